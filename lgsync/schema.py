"""The shapes lgsync returns and takes, named as in ``langgraph_sdk.schema``.

Answers are plain dicts and lists (the JSON the server sent); the aliases
here document them for type checkers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Dict, List, Literal, NamedTuple, Optional, Tuple, TypedDict, Union

__all__ = [
    "All",
    "Command",
    "Config",
    "Context",
    "DisconnectMode",
    "Durability",
    "IfNotExists",
    "Input",
    "Json",
    "MultitaskStrategy",
    "OnCompletionBehavior",
    "QueryParamTypes",
    "RunCreateMetadata",
    "RunStatus",
    "StreamMode",
    "StreamPart",
    "StreamVersion",
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
]
StreamVersion = Literal["v1", "v2"]
DisconnectMode = Literal["cancel", "continue"]
MultitaskStrategy = Literal["reject", "interrupt", "rollback", "enqueue"]
OnCompletionBehavior = Literal["delete", "keep"]
IfNotExists = Literal["create", "reject"]
Durability = Literal["sync", "async", "exit"]

PrimitiveData = Union[str, int, float, bool, None]
QueryParamTypes = Union[
    Mapping[str, Union[PrimitiveData, Sequence[PrimitiveData]]],
    List[Tuple[str, PrimitiveData]],
    str,
    bytes,
]


class StreamPart(NamedTuple):
    """One event of a run's stream.

    ``event`` is the stream mode that produced it (``"values"``,
    ``"updates"``, ``"messages"``, ``"metadata"``, ``"custom"``, ...; with
    ``stream_subgraphs=True`` a subgraph's events are ``"updates|node:id"``),
    ``data`` its decoded JSON, ``id`` the event id (``None`` unless the run is
    resumable).
    """

    event: str
    data: Any
    id: Optional[str] = None


class RunCreateMetadata(TypedDict):
    """What ``on_run_created`` receives: the ids of the run just created."""

    run_id: str
    thread_id: Optional[str]
