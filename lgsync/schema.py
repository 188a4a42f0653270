"""The shapes lgsync returns and takes, named as in ``langgraph_sdk.schema``.

Answers are plain dicts and lists (the JSON the server sent); the aliases
here document them for type checkers. It mirrors ``langgraph_sdk.schema``
name by name (kept in step with the SDK), and that is why it is long.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Dict, List, Literal, NamedTuple, Optional, Tuple, TypedDict, Union

__all__ = [
    "All",
    "Assistant",
    "AssistantSelectField",
    "AssistantSortBy",
    "AssistantVersion",
    "AssistantsSearchResponse",
    "BulkCancelRunsStatus",
    "CancelAction",
    "Checkpoint",
    "Command",
    "Config",
    "Context",
    "Cron",
    "CronSelectField",
    "CronSortBy",
    "DisconnectMode",
    "Durability",
    "GraphSchema",
    "IfNotExists",
    "Input",
    "Item",
    "Json",
    "LangSmithTracing",
    "ListNamespaceResponse",
    "MultitaskStrategy",
    "OnCompletionBehavior",
    "OnConflictBehavior",
    "PruneStrategy",
    "QueryParamTypes",
    "Run",
    "RunCreate",
    "RunCreateMetadata",
    "RunSelectField",
    "RunStatus",
    "SearchItem",
    "SearchItemsResponse",
    "SortOrder",
    "StreamMode",
    "StreamPart",
    "StreamPartV2",
    "StreamVersion",
    "Subgraphs",
    "Thread",
    "ThreadSelectField",
    "ThreadSortBy",
    "ThreadState",
    "ThreadStateSelectField",
    "ThreadStatus",
    "ThreadStreamMode",
    "ThreadUpdateStateResponse",
]

Json = Optional[Dict[str, Any]]
Input = Any
Config = Dict[str, Any]
Context = Dict[str, Any]
Command = Dict[str, Any]
All = Literal["*"]

RunStatus = Literal["pending", "running", "error", "success", "timeout", "interrupted"]
StreamMode = Literal[
    "values",
    "messages",
    "updates",
    "events",
    "tasks",
    "checkpoints",
    "debug",
    "custom",
    "messages-tuple",
    "tools",
    "lifecycle",
]
ThreadStatus = Literal["idle", "busy", "interrupted", "error"]
ThreadStreamMode = Literal["run_modes", "lifecycle", "state_update"]
StreamVersion = Literal["v1", "v2"]
DisconnectMode = Literal["cancel", "continue"]
MultitaskStrategy = Literal["reject", "interrupt", "rollback", "enqueue"]
OnCompletionBehavior = Literal["delete", "keep"]
IfNotExists = Literal["create", "reject"]
Durability = Literal["sync", "async", "exit"]
OnConflictBehavior = Literal["raise", "do_nothing"]
PruneStrategy = Literal["delete", "keep_latest"]
CancelAction = Literal["interrupt", "rollback"]
BulkCancelRunsStatus = Literal["pending", "running", "all"]
SortOrder = Literal["asc", "desc"]
AssistantSortBy = Literal["assistant_id", "graph_id", "name", "created_at", "updated_at"]
ThreadSortBy = Literal["thread_id", "status", "created_at", "updated_at", "state_updated_at"]
CronSortBy = Literal["cron_id", "assistant_id", "thread_id", "created_at", "updated_at", "next_run_date", "end_time"]
AssistantSelectField = Literal[
    "assistant_id",
    "graph_id",
    "name",
    "description",
    "config",
    "context",
    "created_at",
    "updated_at",
    "metadata",
    "version",
]
ThreadSelectField = Literal[
    "thread_id",
    "created_at",
    "updated_at",
    "metadata",
    "config",
    "context",
    "status",
    "values",
    "interrupts",
]
#: State fields to select; the server also accepts channel names, hence ``str``.
ThreadStateSelectField = str
RunSelectField = Literal[
    "run_id",
    "thread_id",
    "assistant_id",
    "created_at",
    "updated_at",
    "status",
    "metadata",
    "kwargs",
    "multitask_strategy",
    "cancel_reason",
]
CronSelectField = Literal[
    "cron_id",
    "assistant_id",
    "thread_id",
    "end_time",
    "schedule",
    "timezone",
    "created_at",
    "updated_at",
    "user_id",
    "payload",
    "next_run_date",
    "metadata",
    "now",
    "on_run_completed",
    "enabled",
]

PrimitiveData = Union[str, int, float, bool, None]
QueryParamTypes = Union[
    Mapping[str, Union[PrimitiveData, Sequence[PrimitiveData]]],
    List[Tuple[str, PrimitiveData]],
    Tuple[Tuple[str, PrimitiveData], ...],
    str,
    bytes,
]


class StreamPart(NamedTuple):
    """One event of a run's stream: a named tuple `(event, data, id)`.

    Attributes:
        event: The stream mode that produced it (`"values"`, `"updates"`,
            `"messages"`, `"custom"`, ...), or `"metadata"` (the first part:
            `{"run_id", "attempt"}`), `"error"` (the run failed) or `"end"`.
            With `stream_subgraphs=True` a subgraph's parts are named
            `"<mode>|<namespace>"`.
        data: The event's decoded JSON.
        id: The event id, the place to resume after (`None` unless the run was
            created with `stream_resumable=True`).

    Example:
        ```python
        for part in client.runs.stream(None, "agent", input={"topic": "ice cream"}, stream_mode="updates"):
            if part.event == "updates":
                print(part.data)
        ```
    """

    event: str
    data: Any
    id: Optional[str] = None


class RunCreateMetadata(TypedDict):
    """What ``on_run_created`` receives: the ids of the run just created."""

    run_id: str
    thread_id: Optional[str]


class LangSmithTracing(TypedDict, total=False):
    """Where a run's trace goes: ``project_name`` and, for evaluations, ``example_id``."""

    project_name: str
    example_id: str


class Checkpoint(TypedDict):
    """A point in a thread's history, as ``get_state``/``get_history`` name it."""

    thread_id: str
    checkpoint_ns: str
    checkpoint_id: Optional[str]
    checkpoint_map: Optional[Dict[str, Any]]


class GraphSchema(TypedDict):
    """The JSON schemas of a graph's input, output, state, config and context."""

    graph_id: str
    input_schema: Optional[Dict[str, Any]]
    output_schema: Optional[Dict[str, Any]]
    state_schema: Optional[Dict[str, Any]]
    config_schema: Optional[Dict[str, Any]]
    context_schema: Optional[Dict[str, Any]]


#: ``assistants.get_subgraphs``: namespace -> that subgraph's schemas.
Subgraphs = Dict[str, GraphSchema]


class AssistantVersion(TypedDict):
    """One saved version of an assistant (timestamps are ISO 8601 strings)."""

    assistant_id: str
    graph_id: str
    config: Config
    context: Context
    created_at: str
    metadata: Json
    version: int
    name: str
    description: Optional[str]


class Assistant(AssistantVersion):
    """An assistant: its latest version plus ``updated_at``."""

    updated_at: str


class AssistantsSearchResponse(TypedDict):
    """``assistants.search(response_format="object")``: a page and the cursor of the next."""

    assistants: List[Assistant]
    next: Optional[str]


class Thread(TypedDict):
    """A thread; ``values`` is its latest state, ``interrupts`` pending interrupts by task."""

    thread_id: str
    created_at: str
    updated_at: str
    metadata: Json
    status: ThreadStatus
    values: Json
    interrupts: Dict[str, List[Dict[str, Any]]]


class ThreadState(TypedDict):
    """A thread's state at one checkpoint."""

    values: Union[List[Dict[str, Any]], Dict[str, Any]]
    next: Sequence[str]
    checkpoint: Checkpoint
    metadata: Json
    created_at: Optional[str]
    parent_checkpoint: Optional[Checkpoint]
    tasks: Sequence[Dict[str, Any]]
    interrupts: List[Dict[str, Any]]


class ThreadUpdateStateResponse(TypedDict):
    """``threads.update_state``: the checkpoint the update created."""

    checkpoint: Checkpoint


class Run(TypedDict):
    """A run of an assistant on a thread."""

    run_id: str
    thread_id: str
    assistant_id: str
    created_at: str
    updated_at: str
    status: RunStatus
    metadata: Json
    multitask_strategy: MultitaskStrategy


class RunCreate(TypedDict, total=False):
    """One entry of ``runs.create_batch``; keys left out (or ``None``) are not sent."""

    thread_id: Optional[str]
    assistant_id: str
    input: Optional[Dict[str, Any]]
    metadata: Optional[Dict[str, Any]]
    config: Optional[Config]
    context: Optional[Context]
    checkpoint_id: Optional[str]
    interrupt_before: Optional[List[str]]
    interrupt_after: Optional[List[str]]
    webhook: Optional[str]
    multitask_strategy: Optional[MultitaskStrategy]


class Cron(TypedDict):
    """A scheduled job (``end_time`` and ``next_run_date`` are ISO 8601 strings)."""

    cron_id: str
    assistant_id: str
    thread_id: Optional[str]
    on_run_completed: Optional[OnCompletionBehavior]
    end_time: Optional[str]
    schedule: str
    timezone: Optional[str]
    created_at: str
    updated_at: str
    payload: Dict[str, Any]
    user_id: Optional[str]
    next_run_date: Optional[str]
    metadata: Dict[str, Any]
    enabled: bool


class Item(TypedDict):
    """A stored value under a namespace and key."""

    namespace: List[str]
    key: str
    value: Dict[str, Any]
    created_at: str
    updated_at: str


class SearchItem(Item, total=False):
    """A store search hit; ``score`` is present for a semantic (``query``) search."""

    score: Optional[float]


class SearchItemsResponse(TypedDict):
    """``store.search_items``: the matching items."""

    items: List[SearchItem]


class ListNamespaceResponse(TypedDict):
    """``store.list_namespaces``: namespaces as lists of labels."""

    namespaces: List[List[str]]


#: A ``version="v2"`` stream part: ``type``, ``ns``, ``data`` and ``interrupts``.
StreamPartV2 = Dict[str, Any]
