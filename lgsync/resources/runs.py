"""``client.runs``: create, stream, wait for, join and cancel runs.

This module mirrors ``langgraph_sdk``'s sync ``RunsClient`` method by method:
the signatures (names, order, defaults, overloads) and the docstrings are
kept in step with the SDK's (``tests/unit/test_parity.py`` holds them to
it), and that is why it is long. It holds no logic of its own: the body and
endpoint of a run-creating call come from ``_run_payload``, the query of a
join from ``_join_query``; streams go through ``HttpClient.stream``, which
resumes them after a dropped connection.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from typing import Any, Callable, Literal, overload

from lgsync.errors import RunError
from lgsync.http import HttpClient
from lgsync.resources._join_query import STATELESS_NOT_RESUMABLE, hidden_events, join_params, resume_params
from lgsync.resources._run_payload import run_call, run_path, stateless_hint
from lgsync.resources._shared import compact, merge_params, on_run_created_hook, quote_path_param
from lgsync.resources._v2 import V2Stream, to_v2
from lgsync.schema import (
    All,
    BulkCancelRunsStatus,
    CancelAction,
    Checkpoint,
    Command,
    Config,
    Context,
    DisconnectMode,
    Durability,
    IfNotExists,
    Input,
    LangSmithTracing,
    MultitaskStrategy,
    OnCompletionBehavior,
    QueryParamTypes,
    Run,
    RunCreate,
    RunCreateMetadata,
    RunSelectField,
    RunStatus,
    StreamMode,
)
from lgsync.stream import ReconnectingStream

__all__ = ["RunError", "RunsClient"]


class RunsClient:
    """Runs of an assistant on a thread (or stateless, with ``thread_id=None``).

    Example::

        client = lgsync.get_sync_client(url="http://127.0.0.1:2024")
        thread = client.threads.create()
        for part in client.runs.stream(thread["thread_id"], "agent", input={"topic": "ice cream"},
                                       stream_mode="updates"):
            print(part.data)
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    @overload
    def stream(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] = "values",
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        feedback_keys: Sequence[str] | None = None,
        on_disconnect: DisconnectMode | None = None,
        on_completion: OnCompletionBehavior | None = None,
        webhook: str | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        after_seconds: int | None = None,
        langsmith_tracing: LangSmithTracing | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
        version: Literal["v1"] = "v1",
    ) -> ReconnectingStream: ...

    @overload
    def stream(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] = "values",
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        feedback_keys: Sequence[str] | None = None,
        on_disconnect: DisconnectMode | None = None,
        on_completion: OnCompletionBehavior | None = None,
        webhook: str | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        after_seconds: int | None = None,
        langsmith_tracing: LangSmithTracing | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
        version: Literal["v2"],
    ) -> V2Stream: ...

    def stream(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] = "values",
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        feedback_keys: Sequence[str] | None = None,
        on_disconnect: DisconnectMode | None = None,
        on_completion: OnCompletionBehavior | None = None,
        webhook: str | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        after_seconds: int | None = None,
        langsmith_tracing: LangSmithTracing | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
        version: Literal["v1", "v2"] = "v1",
    ) -> ReconnectingStream | V2Stream:
        """Create a run and stream its output as it happens.

        Leaving the loop (`break`, an exception, `close()`, the end of a `with`
        block) closes the connection at once. A run created with
        `stream_resumable=True` is resumed after a dropped connection without
        losing or repeating an event.

        Args:
            thread_id: The thread to run on, whose state the run starts from and
                writes to. `None` makes a stateless run: the server creates a temporary
                thread and deletes it when the run ends (see `on_completion`).
            assistant_id: An assistant id, or a graph name (the server then uses
                that graph's default assistant).
            input: The graph's input, merged into the thread's state by the graph's
                reducers. `None` with a thread that stopped at an interrupt or a
                breakpoint continues it.
            command: Instead of `input`, a command to the graph:
                `{"resume": answer}` answers a pending `interrupt(...)`,
                `{"update": values}` writes to the state first, `{"goto": node}` starts
                at a node.
            stream_mode: What the stream carries, one mode or a list: `"values"`
                (the whole state after each step), `"updates"` (each node's return),
                `"messages-tuple"` (chat model tokens), `"custom"` (what nodes write with
                `get_stream_writer()`), `"debug"`, `"events"`, `"tasks"`,
                `"checkpoints"`, `"messages"`.
            stream_subgraphs: Also stream what subgraphs emit; their parts are
                named `"<mode>|<namespace>"`.
            stream_resumable: The server keeps the run's events and gives each an
                id, so that a stream can be rejoined after a drop with `Last-Event-ID`
                (lgsync does it by itself) or followed from another process with
                `join_stream(last_event_id=...)`. Off by default, as in the SDK; without
                it a broken stream raises `StreamError`. With it, lgsync sends
                `on_disconnect="continue"` unless you pass one.
            metadata: Stored on the run, for your own bookkeeping and searches.
            config: The run's `RunnableConfig` (`configurable`, `tags`,
                `recursion_limit`, ...), merged over the assistant's.
            context: The graph's static runtime context (LangGraph 0.6 and later),
                merged over the assistant's.
            checkpoint: Start from this checkpoint of the thread instead of its
                latest state (replay or fork an earlier point).
            checkpoint_id: The same, by checkpoint id alone.
            checkpoint_during: Deprecated (a `DeprecationWarning`): use
                `durability`.
            interrupt_before: Node names (or `"*"`) to stop before, as a
                breakpoint: the run ends `interrupted`, and a run with `input=None`
                continues it.
            interrupt_after: Node names (or `"*"`) to stop after, likewise.
            feedback_keys: LangSmith feedback keys for which the server makes
                feedback URLs for the run.
            on_disconnect: What the server does with the run when this request's
                connection closes before the run ended: `"cancel"` or `"continue"` (the
                LangGraph server's default). With `"cancel"`, lgsync also sends an
                explicit cancel when you close the stream early, since some runtimes
                ignore the disconnect (see `lgsync.langgraph.CANCEL_TIMEOUT`).
            on_completion: For a stateless run, `"delete"` (the default) removes
                its temporary thread when the run ends, `"keep"` keeps it.
            webhook: A URL the server POSTs the run to when it ends.
            multitask_strategy: What happens when the thread already has a run
                going: `"reject"` (the server's default: this call fails with
                `ConflictError`), `"enqueue"` (this run waits its turn), `"interrupt"`
                (the other run is stopped, its work kept) or `"rollback"` (the other run
                is stopped and undone).
            if_not_exists: A `thread_id` the server does not know: `"reject"` (the
                default, `NotFoundError`) or `"create"` (create the thread).
            after_seconds: Start the run this many seconds from now.
            langsmith_tracing: Where the run's LangSmith traces go
                (`project_name`, `example_id`).
            headers: Headers for this request only, over the client's (kept on
                reconnects).
            params: Extra query parameters for this request (kept on reconnects).
            on_run_created: Called with `{"run_id", "thread_id"}` as soon as the
                server accepted the run, before anything else is read.
            durability: When the server writes checkpoints: `"async"` (while the
                next step runs), `"sync"` (before the next step starts) or `"exit"`
                (only when the run ends; nothing to resume from in between).
            strict_resume: Fail the run when `command={"resume": ...}` answers no
                pending interrupt, instead of ignoring the answer (on servers that
                support it).
            version: `"v1"` yields `StreamPart`s; `"v2"` yields the SDK's v2 dicts
                (`type`, `ns`, `data`, `interrupts`) from the same `Stream`.

        Returns:
            A `lgsync.stream.Stream` of `StreamPart(event, data, id)`, the first
            one the run's `metadata` (`{"run_id", "attempt"}`). It is an iterator
            and a context manager, with `close()`, `abort()` (from another
            thread), `last_event_id` and `reconnects`.

        Raises:
            lgsync.errors.APIStatusError: The server refused the run (`NotFoundError`
                for an unknown thread or assistant, `ConflictError` for a busy
                thread, `UnprocessableEntityError` for a body it cannot use).
            lgsync.errors.StreamError: While iterating: the stream broke and could
                not be resumed (no ids, a stateless run, the reconnects spent).
            lgsync.errors.RunRestartedError: While iterating: the server started the
                run again after its worker died.

        Example:
            ```python
            for part in client.runs.stream(
                thread_id, "agent", input={"topic": "ice cream"}, stream_mode=["updates", "custom"]
            ):
                print(part.event, part.data)
            ```
        """
        call = run_call(locals(), "stream")
        with stateless_hint(thread_id):
            stream = self.http.stream(
                call.path,
                "POST",
                json=call.payload,
                params=params,
                headers=headers,
                on_response=on_run_created_hook(on_run_created),
                reconnect_params=resume_params(params, stream_mode, on_disconnect, stream_subgraphs),
                replay_from_start=True,
                not_resumable_reason=STATELESS_NOT_RESUMABLE if thread_id is None else None,
                cancel_on_close=on_disconnect == "cancel",
            )
        return to_v2(stream) if version == "v2" else stream

    def create(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] = "values",
        stream_subgraphs: bool = False,
        stream_resumable: bool = False,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        on_completion: OnCompletionBehavior | None = None,
        after_seconds: int | None = None,
        langsmith_tracing: LangSmithTracing | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
    ) -> Run:
        """Create a background run and return it at once, without waiting for it.

        Follow it with `join_stream`, wait for it with `join`, or stop it with
        `cancel`. To follow it from elsewhere and resume after a drop, create it
        with `stream_resumable=True` and the modes you will follow.

        Args:
            thread_id: The thread to run on, whose state the run starts from and
                writes to. `None` makes a stateless run: the server creates a temporary
                thread and deletes it when the run ends (see `on_completion`).
            assistant_id: An assistant id, or a graph name (the server then uses
                that graph's default assistant).
            input: The graph's input, merged into the thread's state by the graph's
                reducers. `None` with a thread that stopped at an interrupt or a
                breakpoint continues it.
            command: Instead of `input`, a command to the graph:
                `{"resume": answer}` answers a pending `interrupt(...)`,
                `{"update": values}` writes to the state first, `{"goto": node}` starts
                at a node.
            stream_mode: The modes the server records for the run, so that a
                `join_stream` can ask for them (a join can only have modes the run was
                created with).
            stream_subgraphs: Also stream what subgraphs emit; their parts are
                named `"<mode>|<namespace>"`.
            stream_resumable: The server keeps the run's events and gives each an
                id, so that a stream can be rejoined after a drop with `Last-Event-ID`
                (lgsync does it by itself) or followed from another process with
                `join_stream(last_event_id=...)`. Off by default, as in the SDK; without
                it a broken stream raises `StreamError`. With it, lgsync sends
                `on_disconnect="continue"` unless you pass one.
            metadata: Stored on the run, for your own bookkeeping and searches.
            config: The run's `RunnableConfig` (`configurable`, `tags`,
                `recursion_limit`, ...), merged over the assistant's.
            context: The graph's static runtime context (LangGraph 0.6 and later),
                merged over the assistant's.
            checkpoint: Start from this checkpoint of the thread instead of its
                latest state (replay or fork an earlier point).
            checkpoint_id: The same, by checkpoint id alone.
            checkpoint_during: Deprecated (a `DeprecationWarning`): use
                `durability`.
            interrupt_before: Node names (or `"*"`) to stop before, as a
                breakpoint: the run ends `interrupted`, and a run with `input=None`
                continues it.
            interrupt_after: Node names (or `"*"`) to stop after, likewise.
            webhook: A URL the server POSTs the run to when it ends.
            multitask_strategy: What happens when the thread already has a run
                going: `"reject"` (the server's default: this call fails with
                `ConflictError`), `"enqueue"` (this run waits its turn), `"interrupt"`
                (the other run is stopped, its work kept) or `"rollback"` (the other run
                is stopped and undone).
            if_not_exists: A `thread_id` the server does not know: `"reject"` (the
                default, `NotFoundError`) or `"create"` (create the thread).
            on_completion: For a stateless run, `"delete"` (the default) removes
                its temporary thread when the run ends, `"keep"` keeps it.
            after_seconds: Start the run this many seconds from now.
            langsmith_tracing: Where the run's LangSmith traces go
                (`project_name`, `example_id`).
            headers: Headers for this request only, over the client's (kept on
                reconnects).
            params: Extra query parameters for this request (kept on reconnects).
            on_run_created: Called with `{"run_id", "thread_id"}` as soon as the
                server accepted the run, before anything else is read.
            durability: When the server writes checkpoints: `"async"` (while the
                next step runs), `"sync"` (before the next step starts) or `"exit"`
                (only when the run ends; nothing to resume from in between).
            strict_resume: Fail the run when `command={"resume": ...}` answers no
                pending interrupt, instead of ignoring the answer (on servers that
                support it).

        Returns:
            The run: `run_id`, `thread_id`, `assistant_id`, `status`
            (`"pending"`), `created_at`, `metadata`, `multitask_strategy`.

        Raises:
            lgsync.errors.APIStatusError: The server refused the run (see `stream`).

        Example:
            ```python
            run = client.runs.create(
                thread_id, "agent", input={"topic": "ice cream"}, stream_mode=["updates"], stream_resumable=True
            )
            for part in client.runs.join_stream(thread_id, run["run_id"], last_event_id="0"):
                print(part.event, part.data)
            ```
        """
        call = run_call(locals(), "create")
        with stateless_hint(thread_id):
            return self.http.post(  # type: ignore[no-any-return]
                call.path,
                json=call.payload,
                params=params,
                headers=headers,
                on_response=on_run_created_hook(on_run_created),
            )

    def create_batch(
        self,
        payloads: builtins.list[RunCreate],
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> builtins.list[Run]:
        """Create several background runs in one request.

        Args:
            payloads: One `runs.create` body per run (`assistant_id`, `thread_id`, `input`, ...); `None` values are left out.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The runs, in order.

        Raises:
            lgsync.errors.APIStatusError: The server refused the batch.

        Example:
            ```python
            runs = client.runs.create_batch([
                {"assistant_id": "agent", "input": {"topic": "cats"}},
                {"assistant_id": "agent", "input": {"topic": "dogs"}},
            ])
            ```
        """
        return self.http.post(  # type: ignore[no-any-return]
            "/runs/batch", json=[compact(p) for p in payloads], headers=headers, params=params
        )

    def wait(
        self,
        thread_id: str | None,
        assistant_id: str,
        *,
        input: Input | None = None,
        command: Command | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | Sequence[str] | None = None,
        interrupt_after: All | Sequence[str] | None = None,
        webhook: str | None = None,
        on_disconnect: DisconnectMode | None = None,
        on_completion: OnCompletionBehavior | None = None,
        multitask_strategy: MultitaskStrategy | None = None,
        if_not_exists: IfNotExists | None = None,
        after_seconds: int | None = None,
        langsmith_tracing: LangSmithTracing | None = None,
        raise_error: bool = True,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
        on_run_created: Callable[[RunCreateMetadata], None] | None = None,
        durability: Durability | None = None,
        strict_resume: bool | None = None,
    ) -> builtins.list[dict[str, Any]] | dict[str, Any]:
        """Create a run, wait until it ends, and return the thread's final state values.

        The answer comes when the run ends; a connection cut meanwhile is
        recovered by joining the run (never by creating it again). The wait is
        bounded by the client's `read` timeout (300 s by default) of silence.

        Args:
            thread_id: The thread to run on, whose state the run starts from and
                writes to. `None` makes a stateless run: the server creates a temporary
                thread and deletes it when the run ends (see `on_completion`).
            assistant_id: An assistant id, or a graph name (the server then uses
                that graph's default assistant).
            input: The graph's input, merged into the thread's state by the graph's
                reducers. `None` with a thread that stopped at an interrupt or a
                breakpoint continues it.
            command: Instead of `input`, a command to the graph:
                `{"resume": answer}` answers a pending `interrupt(...)`,
                `{"update": values}` writes to the state first, `{"goto": node}` starts
                at a node.
            metadata: Stored on the run, for your own bookkeeping and searches.
            config: The run's `RunnableConfig` (`configurable`, `tags`,
                `recursion_limit`, ...), merged over the assistant's.
            context: The graph's static runtime context (LangGraph 0.6 and later),
                merged over the assistant's.
            checkpoint: Start from this checkpoint of the thread instead of its
                latest state (replay or fork an earlier point).
            checkpoint_id: The same, by checkpoint id alone.
            checkpoint_during: Deprecated (a `DeprecationWarning`): use
                `durability`.
            interrupt_before: Node names (or `"*"`) to stop before, as a
                breakpoint: the run ends `interrupted`, and a run with `input=None`
                continues it.
            interrupt_after: Node names (or `"*"`) to stop after, likewise.
            webhook: A URL the server POSTs the run to when it ends.
            on_disconnect: What the server does with the run when this request's
                connection closes before the run ended: `"cancel"` or `"continue"` (the
                LangGraph server's default). With `"cancel"`, lgsync also sends an
                explicit cancel when you close the stream early, since some runtimes
                ignore the disconnect (see `lgsync.langgraph.CANCEL_TIMEOUT`).
            on_completion: For a stateless run, `"delete"` (the default) removes
                its temporary thread when the run ends, `"keep"` keeps it.
            multitask_strategy: What happens when the thread already has a run
                going: `"reject"` (the server's default: this call fails with
                `ConflictError`), `"enqueue"` (this run waits its turn), `"interrupt"`
                (the other run is stopped, its work kept) or `"rollback"` (the other run
                is stopped and undone).
            if_not_exists: A `thread_id` the server does not know: `"reject"` (the
                default, `NotFoundError`) or `"create"` (create the thread).
            after_seconds: Start the run this many seconds from now.
            langsmith_tracing: Where the run's LangSmith traces go
                (`project_name`, `example_id`).
            raise_error: Raise `RunError` when the run failed (the default);
                `False` returns the answer with its `__error__`.
            headers: Headers for this request only, over the client's (kept on
                reconnects).
            params: Extra query parameters for this request (kept on reconnects).
            on_run_created: Called with `{"run_id", "thread_id"}` as soon as the
                server accepted the run, before anything else is read.
            durability: When the server writes checkpoints: `"async"` (while the
                next step runs), `"sync"` (before the next step starts) or `"exit"`
                (only when the run ends; nothing to resume from in between).
            strict_resume: Fail the run when `command={"resume": ...}` answers no
                pending interrupt, instead of ignoring the answer (on servers that
                support it).

        Returns:
            The final state values (a dict, or the list the graph's output is). A
            run stopped by `interrupt(...)` returns its state with the pending
            interrupts under `"__interrupt__"`.

        Raises:
            lgsync.errors.RunError: The run failed (with `raise_error=True`).
            lgsync.errors.APIStatusError: The server refused the run.
            lgsync.errors.APITimeoutError: The answer was silent for longer than `read`.

        Example:
            ```python
            state = client.runs.wait(None, "agent", input={"topic": "ice cream"})
            print(state["joke"])
            ```
        """
        call = run_call(locals(), "wait")
        with stateless_hint(thread_id):
            result = self.http.request_reconnect(
                call.path,
                "POST",
                json=call.payload,
                params=params,
                headers=headers,
                on_response=on_run_created_hook(on_run_created),
            )
        if raise_error and isinstance(result, dict) and isinstance(result.get("__error__"), dict):
            failure = result["__error__"]
            raise RunError(failure.get("error"), failure.get("message"), result)
        return result  # type: ignore[no-any-return]

    def list(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        offset: int = 0,
        status: RunStatus | None = None,
        select: builtins.list[RunSelectField] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> builtins.list[Run]:
        """The runs of a thread, newest first.

        Args:
            thread_id: The thread.
            limit: At most this many runs.
            offset: Skip this many (for paging).
            status: Only runs in this status.
            select: Only these fields of each run.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The runs (`run_id`, `status`, `created_at`, ...).

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            done = client.runs.list(thread_id, status="success", select=["run_id", "status"])
            ```
        """
        query: dict[str, Any] = {"limit": limit, "offset": offset}
        if status is not None:
            query["status"] = status
        if select:
            query["select"] = select
        query = merge_params(query, params)
        return self.http.get(  # type: ignore[no-any-return]
            f"/threads/{quote_path_param(thread_id)}/runs", params=query, headers=headers
        )

    def get(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Run:
        """One run, with its `status`.

        Args:
            thread_id: The run's thread.
            run_id: The run.
            headers: Headers for this request only.
            params: Extra query parameters.

        Returns:
            The run: `run_id`, `thread_id`, `assistant_id`, `status` (`"pending"`,
            `"running"`, `"success"`, `"error"`, `"timeout"` or `"interrupted"`),
            `metadata`, `created_at`, `updated_at`.

        Raises:
            lgsync.errors.NotFoundError: No such run.

        Example:
            ```python
            print(client.runs.get(thread_id, run_id)["status"])
            ```
        """
        return self.http.get(run_path(thread_id, run_id), headers=headers, params=params)  # type: ignore[no-any-return]

    def cancel(
        self,
        thread_id: str,
        run_id: str,
        *,
        wait: bool = False,
        action: CancelAction = "interrupt",
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Cancel a run.

        Args:
            thread_id: The run's thread.
            run_id: The run.
            wait: Return only once the run has stopped (and return the server's
                answer, the thread's values, as the SDK does although both
                annotate `None`).
            action: `"interrupt"` stops the run and keeps what it did (status
                `"interrupted"`); `"rollback"` also undoes it and deletes the run.
            headers: Headers for this request only.
            params: Extra query parameters.

        Returns:
            `None`, or with `wait=True` the server's answer.

        Raises:
            lgsync.errors.NotFoundError: No such run.

        Example:
            ```python
            client.runs.cancel(thread_id, run_id, wait=True)
            assert client.runs.get(thread_id, run_id)["status"] == "interrupted"
            ```
        """
        query: dict[str, Any] = {"wait": 1 if wait else 0, "action": action}
        query = merge_params(query, params)
        path = run_path(thread_id, run_id) + "/cancel"
        if wait:
            return self.http.request_reconnect(path, "POST", json=None, params=query, headers=headers)  # type: ignore[no-any-return]
        return self.http.post(path, json=None, params=query, headers=headers)  # type: ignore[no-any-return]

    def cancel_many(
        self,
        *,
        thread_id: str | None = None,
        run_ids: Sequence[str] | None = None,
        status: BulkCancelRunsStatus | None = None,
        action: CancelAction = "interrupt",
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Cancel several runs: those of a thread, those listed, or every run in a status.

        Args:
            thread_id: The runs of this thread (with `run_ids`: those of them).
            run_ids: These runs.
            status: Every run in this status (`"pending"`, `"running"` or `"all"`).
            action: `"interrupt"` (stop, keep what was done) or `"rollback"` (stop and undo).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `None`.

        Example:
            ```python
            client.runs.cancel_many(thread_id=thread_id, run_ids=[run_id])
            client.runs.cancel_many(status="pending")
            ```
        """
        payload: dict[str, Any] = {}
        if thread_id:
            payload["thread_id"] = thread_id
        if run_ids:
            payload["run_ids"] = list(run_ids)
        if status:
            payload["status"] = status
        query: dict[str, Any] = {"action": action}
        query = merge_params(query, params)
        self.http.post("/runs/cancel", json=payload, headers=headers, params=query)

    def join(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, Any]:
        """Wait until a run ends and return the thread's final state values.

        A connection cut meanwhile is recovered by joining again.

        Args:
            thread_id: The run's thread.
            run_id: The run.
            headers: Headers for this request only.
            params: Extra query parameters.

        Returns:
            The thread's state values once the run ended (also when it failed or
            was cancelled: check `runs.get(...)["status"]`).

        Raises:
            lgsync.errors.NotFoundError: No such run.
            lgsync.errors.APITimeoutError: The answer was silent for longer than `read`.

        Example:
            ```python
            run = client.runs.create(thread_id, "agent", input={"topic": "cats"})
            values = client.runs.join(thread_id, run["run_id"])
            ```
        """
        return self.http.request_reconnect(  # type: ignore[no-any-return]
            run_path(thread_id, run_id) + "/join", "GET", headers=headers, params=params
        )

    def join_stream(
        self,
        thread_id: str,
        run_id: str,
        *,
        cancel_on_disconnect: bool = False,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
        last_event_id: str | None = None,
    ) -> ReconnectingStream:
        """Stream a run that is already going: from now on, or after `last_event_id`.

        The run goes on whoever listens; joining it again is always possible while
        it runs. Every option is kept when lgsync reconnects.

        Args:
            thread_id: The run's thread.
            run_id: The run, from `runs.create(...)["run_id"]`, the `metadata`
                part of a stream, or `on_run_created`.
            cancel_on_disconnect: Closing this stream before the run ended
                (`break`, an exception, `close()`, `abort()`) cancels the run: the
                server is told by the disconnect, and lgsync also sends an explicit
                cancel (bounded by `lgsync.langgraph.CANCEL_TIMEOUT`).
            stream_mode: The modes to receive, a subset of those the run was
                created with (default: all of them). `error` and `metadata` are always
                asked for, and handed over only if you asked for them.
            headers: Headers for this request only, over the client's (kept on
                reconnects).
            params: Extra query parameters for this request (kept on reconnects).
            last_event_id: Replay the events after this id, then go on live
                (`"0"`: from the first event). Needs a run created with
                `stream_resumable=True`. Without it, the join streams from now on.

        Returns:
            A `lgsync.stream.Stream` of `StreamPart`s, as `stream` returns.

        Raises:
            lgsync.errors.NotFoundError: The server does not know the run (on the
                first read; a LangGraph server may also answer with an `error` part).
            lgsync.errors.StreamError: While iterating: the stream broke and could
                not be resumed.
            lgsync.errors.RunRestartedError: While iterating: the server started the
                run again after its worker died; join again to follow the new attempt.

        Example:
            ```python
            run = client.runs.create(thread_id, "slow", input={"steps": 5}, stream_mode=["custom"], stream_resumable=True)
            with client.runs.join_stream(thread_id, run["run_id"], stream_mode="custom", cancel_on_disconnect=True) as stream:
                for part in stream:
                    print(part.data)
            ```
        """
        query = join_params(stream_mode, cancel_on_disconnect, params)
        return self.http.stream(
            run_path(thread_id, run_id) + "/stream",
            "GET",
            params=query,
            headers=headers,
            reconnect_params=query,
            last_event_id=last_event_id,
            cancel_on_close=cancel_on_disconnect,
            hidden_events=hidden_events(stream_mode),
        )

    def delete(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete a run that has ended.

        Args:
            thread_id: The run's thread.
            run_id: The run.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `None`.

        Raises:
            lgsync.errors.NotFoundError: No such run.

        Example:
            ```python
            client.runs.delete(thread_id, run_id)
            ```
        """
        self.http.delete(run_path(thread_id, run_id), headers=headers, params=params)
