"""``client.threads``: conversations, their state and its history.

This module mirrors ``langgraph_sdk``'s sync ``ThreadsClient`` method by method:
the signatures (names, order, defaults, overloads) and the docstrings are kept
in step with the SDK's (``tests/unit/test_parity.py`` holds them to it), and
that is why it is long. Each method builds a path, a payload and query
parameters (the longer bodies in ``_thread_payload``); ``HttpClient`` does the rest.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Literal, overload

from lgsync.http import HttpClient
from lgsync.resources._shared import merge_params, non_empty, quote_path_param
from lgsync.resources._thread_payload import THREAD_STREAM_NOT_RESUMABLE, create_payload, join_params, ttl_payload
from lgsync.resources.thread_stream import ThreadStream
from lgsync.schema import (
    Checkpoint,
    Json,
    OnConflictBehavior,
    PruneStrategy,
    QueryParamTypes,
    SortOrder,
    Thread,
    ThreadSelectField,
    ThreadSortBy,
    ThreadState,
    ThreadStateSelectField,
    ThreadStatus,
    ThreadStreamMode,
    ThreadUpdateStateResponse,
)
from lgsync.stream import ReconnectingStream

__all__ = ["ThreadsClient"]


class ThreadsClient:
    """Threads hold a graph's state across runs.

    Example::

        thread = client.threads.create(metadata={"user": "ada"})
        state = client.threads.get_state(thread["thread_id"])
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def _path(self, thread_id: str, *rest: str) -> str:
        return "/".join(["/threads", quote_path_param(thread_id), *rest])

    def get(
        self,
        thread_id: str,
        *,
        include: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Thread:
        """One thread, with its `status` (`"idle"`, `"busy"`, `"interrupted"` or `"error"`) and current `values`.

        Args:
            thread_id: The thread.
            include: Extra fields to include (for example `["ttl"]`).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The thread: `thread_id`, `status`, `values`, `metadata`, `created_at`, `updated_at`, `interrupts`.

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            print(client.threads.get(thread_id)["status"])
            ```
        """
        query = merge_params({"include": ",".join(include)} if include else {}, params)
        return self.http.get(self._path(thread_id), headers=headers, params=query or None)  # type: ignore[no-any-return]

    def create(
        self,
        *,
        metadata: Json = None,
        thread_id: str | None = None,
        if_exists: OnConflictBehavior | None = None,
        supersteps: Sequence[dict[str, Sequence[dict[str, Any]]]] | None = None,
        graph_id: str | None = None,
        ttl: int | Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Thread:
        """Create a thread: a conversation whose state the server keeps between runs.

        Args:
            metadata: Stored on the thread; `threads.search(metadata=...)` finds
                threads by it (for example, the user they belong to).
            thread_id: The thread's id (a UUID) instead of one the server picks.
            if_exists: When `thread_id` is taken: `"raise"` (`ConflictError`, the
                server's default) or `"do_nothing"` (return the existing thread).
            supersteps: A state to start from, as a history: one list of
                `{"updates": [{"values": ..., "as_node": node}]}` per step.
            graph_id: The graph the thread is meant for (stored in its metadata).
            ttl: Delete the thread this many minutes after its last use (or a
                `{"ttl": minutes, "strategy": "delete"}` mapping).
            headers: Headers for this request only.
            params: Extra query parameters.

        Returns:
            The thread: `thread_id`, `status` (`"idle"`), `metadata`,
            `created_at`, `updated_at`, `values`.

        Raises:
            lgsync.errors.ConflictError: `thread_id` is taken and `if_exists` is
                `"raise"`.

        Example:
            ```python
            thread = client.threads.create(metadata={"user": "ada"})
            client.runs.wait(thread["thread_id"], "agent", input={"topic": "ice cream"})
            ```
        """
        payload = create_payload(locals())
        return self.http.post("/threads", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    @overload
    def update(
        self,
        thread_id: str,
        *,
        metadata: Mapping[str, Any],
        ttl: int | Mapping[str, Any] | None = None,
        return_minimal: Literal[False] = False,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Thread: ...

    @overload
    def update(
        self,
        thread_id: str,
        *,
        metadata: Mapping[str, Any],
        ttl: int | Mapping[str, Any] | None = None,
        return_minimal: Literal[True],
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None: ...

    def update(
        self,
        thread_id: str,
        *,
        metadata: Mapping[str, Any],
        ttl: int | Mapping[str, Any] | None = None,
        return_minimal: bool = False,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Thread | None:
        """Merge `metadata` into the thread's (and restart its TTL, if given).

        Args:
            thread_id: The thread.
            metadata: Keys to set in the thread's metadata; other keys stay.
            ttl: A new time to live, in minutes (or `{"ttl": minutes, "strategy": "delete"}`).
            return_minimal: Ask the server for no body, and return `None`.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The updated thread, or `None` with `return_minimal=True`.

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            client.threads.update(thread_id, metadata={"topic": "cats"})
            ```
        """
        payload: dict[str, Any] = {"metadata": metadata}
        if ttl is not None:
            payload["ttl"] = ttl_payload(ttl)
        request_headers = dict(headers or {})
        if return_minimal:
            request_headers["Prefer"] = "return=minimal"
        return self.http.patch(  # type: ignore[no-any-return]
            self._path(thread_id), json=payload, headers=request_headers or None, params=params
        )

    def delete(
        self,
        thread_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete a thread, with its state, checkpoints and runs.

        Args:
            thread_id: The thread.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `None`.

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            client.threads.delete(thread_id)
            ```
        """
        self.http.delete(self._path(thread_id), headers=headers, params=params)

    def search(
        self,
        *,
        metadata: Json = None,
        values: Json = None,
        ids: Sequence[str] | None = None,
        status: ThreadStatus | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: ThreadSortBy | None = None,
        sort_order: SortOrder | None = None,
        select: list[ThreadSelectField] | None = None,
        extract: dict[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> list[Thread]:
        """Threads that match every filter given.

        Args:
            metadata: Match these metadata keys and values (each must be equal).
            values: Match these state values, key by key.
            ids: Only these thread ids.
            status: Only threads in this status (`"idle"`, `"busy"`, `"interrupted"`, `"error"`).
            limit: At most this many threads.
            offset: Skip this many (for paging).
            sort_by: The field to sort on (`"thread_id"`, `"status"`, `"created_at"`, `"updated_at"`).
            sort_order: `"asc"` or `"desc"`.
            select: Only these fields of each thread.
            extract: Extra fields to extract from each thread, `{name: json_path}`.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The threads, as dicts.

        Example:
            ```python
            busy = client.threads.search(metadata={"user": "ada"}, status="busy", limit=20)
            ```
        """
        payload: dict[str, Any] = {"limit": limit, "offset": offset}
        payload.update(
            non_empty(
                metadata=metadata,
                values=values,
                ids=list(ids) if ids else None,
                status=status,
                sort_by=sort_by,
                sort_order=sort_order,
                select=select,
                extract=extract,
            )
        )
        return self.http.post("/threads/search", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def count(
        self,
        *,
        metadata: Json = None,
        values: Json = None,
        status: ThreadStatus | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> int:
        """How many threads match the filters.

        Args:
            metadata: Match these metadata keys and values.
            values: Match these state values, key by key.
            status: Only threads in this status.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The number of threads.

        Example:
            ```python
            print(client.threads.count(status="idle"))
            ```
        """
        payload = non_empty(metadata=metadata, values=values, status=status)
        return self.http.post("/threads/count", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def copy(
        self,
        thread_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Copy a thread, with its state history, into a new thread.

        Args:
            thread_id: The thread to copy.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            What the server answers (the new thread), although annotated `None`, as in the SDK.

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            client.threads.copy(thread_id)
            ```
        """
        return self.http.post(self._path(thread_id, "copy"), json=None, headers=headers, params=params)  # type: ignore[no-any-return]

    def prune(
        self,
        thread_ids: Sequence[str],
        *,
        strategy: PruneStrategy = "delete",
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, Any]:
        """Delete threads, or only their older checkpoints.

        Args:
            thread_ids: The threads.
            strategy: `"delete"` removes the threads; `"keep_latest"` keeps each
                thread and its latest state, deleting the older checkpoints.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The server's answer, with `pruned_count`.

        Example:
            ```python
            client.threads.prune([old_thread_id], strategy="keep_latest")
            ```
        """
        payload: dict[str, Any] = {"thread_ids": list(thread_ids)}
        if strategy != "delete":
            payload["strategy"] = strategy
        return self.http.post("/threads/prune", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def get_state(
        self,
        thread_id: str,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        *,
        subgraphs: bool = False,
        select: list[ThreadStateSelectField] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> ThreadState:
        """The thread's state: now, or at an earlier checkpoint.

        Args:
            thread_id: The thread.
            checkpoint: A checkpoint of the thread (`{"checkpoint_id": ...}`, from
                `get_history`) to read instead of the latest.
            checkpoint_id: The same, by id alone (the older spelling).
            subgraphs: Include the state of subgraphs that are waiting.
            select: Only these fields of the answer.
            headers: Headers for this request only.
            params: Extra query parameters.

        Returns:
            The state: `values` (the graph's state), `next` (the nodes that would
            run next; not empty while the thread waits at an interrupt),
            `tasks` and `interrupts` (what waits for an answer), `checkpoint`,
            `metadata`, `created_at`, `parent_checkpoint`.

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            state = client.threads.get_state(thread_id)
            print(state["values"], state["next"])
            ```
        """
        if checkpoint:
            payload: dict[str, Any] = {"checkpoint": checkpoint, "subgraphs": subgraphs}
            if select:
                payload["select"] = select
            return self.http.post(  # type: ignore[no-any-return]
                self._path(thread_id, "state", "checkpoint"), json=payload, headers=headers, params=params
            )
        query: dict[str, Any] = {"subgraphs": subgraphs}
        if select:
            query["select"] = select
        query = merge_params(query, params)
        path = (
            self._path(thread_id, "state", quote_path_param(checkpoint_id))
            if checkpoint_id
            else self._path(thread_id, "state")
        )
        return self.http.get(path, params=query, headers=headers)  # type: ignore[no-any-return]

    def update_state(
        self,
        thread_id: str,
        values: dict[str, Any] | Sequence[dict[str, Any]] | None,
        *,
        as_node: str | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> ThreadUpdateStateResponse:
        """Write `values` into the thread's state, as if node `as_node` had returned them.

        Args:
            thread_id: The thread.
            values: The update (merged by the graph's reducers), or a list of updates;
                `None` writes nothing but moves past `as_node`.
            as_node: The node the update is attributed to, which decides what runs
                next (default: the last node that ran).
            checkpoint: Fork from this earlier checkpoint instead of the latest.
            checkpoint_id: The same, by id alone.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The new checkpoint: `{"checkpoint": {"checkpoint_id": ..., ...}}`.

        Raises:
            lgsync.errors.NotFoundError: No such thread.
            lgsync.errors.BadRequestError: An update the graph cannot take (an unknown node, ...).

        Example:
            ```python
            new = client.threads.update_state(thread_id, {"topic": "dogs"}, as_node="refine_topic")
            print(new["checkpoint"]["checkpoint_id"])
            ```
        """
        payload: dict[str, Any] = {"values": values}
        if checkpoint_id:
            payload["checkpoint_id"] = checkpoint_id
        if checkpoint:
            payload["checkpoint"] = checkpoint
        if as_node:
            payload["as_node"] = as_node
        return self.http.post(  # type: ignore[no-any-return]
            self._path(thread_id, "state"), json=payload, headers=headers, params=params
        )

    def get_history(
        self,
        thread_id: str,
        *,
        limit: int = 10,
        before: str | Checkpoint | None = None,
        metadata: Mapping[str, Any] | None = None,
        checkpoint: Checkpoint | None = None,
        select: list[ThreadStateSelectField] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> list[ThreadState]:
        """The thread's past states, newest first: one per checkpoint.

        Args:
            thread_id: The thread.
            limit: At most this many states.
            before: Only states older than this checkpoint (sent as given: the
                server expects `{"configurable": checkpoint}`).
            metadata: Only checkpoints whose metadata match.
            checkpoint: Only states of this checkpoint's namespace.
            select: Only these fields of each state.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The states (`values`, `next`, `checkpoint`, `metadata`, `created_at`, `parent_checkpoint`, `tasks`).

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            for state in client.threads.get_history(thread_id, limit=5):
                print(state["checkpoint"]["checkpoint_id"], state["values"])
            ```
        """
        payload: dict[str, Any] = {"limit": limit}
        payload.update(non_empty(before=before, metadata=metadata, checkpoint=checkpoint, select=select))
        return self.http.post(  # type: ignore[no-any-return]
            self._path(thread_id, "history"), json=payload, headers=headers, params=params
        )

    def stream(
        self,
        thread_id: str | None = None,
        *,
        assistant_id: str,
        headers: Mapping[str, str] | None = None,
        run_start_timeout: float | None = None,
        transport: Literal["sse", "websocket"] = "sse",
    ) -> ThreadStream:
        """A streaming session on a thread (the SDK's thread-centric streaming), as a context manager.

        The session starts runs (`thread.run.start(...)`), answers interrupts
        (`thread.run.respond(...)`), and reads the run through projections:
        `values`, `messages`, `events`, `output`, `interrupts`, `tool_calls`,
        `subgraphs`, `extensions`. Each projection reads its own connection over
        SSE, resumed from the last `seq` after a drop.

        Args:
            thread_id: The thread; `None` creates one.
            assistant_id: The assistant (or graph name) the session's runs use.
            headers: Sent with every command and stream of the session.
            run_start_timeout: How long a projection read before `run.start` waits
                for it (`None`: 30 s, as in the SDK), then `TimeoutError`.
            transport: `"sse"`; `"websocket"` raises `ValueError` (lgsync speaks
                the protocol over SSE only).

        Returns:
            A `ThreadStream`, to use in a `with` block (or close).

        Raises:
            ValueError: `transport="websocket"`.
            lgsync.errors.RunFailedError: From `output` and the projections, when
                the run failed (a `RuntimeError`, as in the SDK).

        Example:
            ```python
            with client.threads.stream(assistant_id="agent") as thread:
                thread.run.start(input={"topic": "ice cream"})
                for state in thread.values:
                    print(state)
                print(thread.output)
            ```
        """
        if transport == "websocket":
            raise ValueError(
                "lgsync speaks the thread stream protocol over SSE only; "
                "use transport='sse' (the default), which carries the same events"
            )
        if transport != "sse":
            raise ValueError("transport must be 'sse' or 'websocket'.")
        return ThreadStream(
            self.http,
            thread_id=thread_id if thread_id is not None else str(uuid.uuid4()),
            assistant_id=assistant_id,
            headers=headers,
            run_start_timeout=run_start_timeout,
            explicit_thread_id=thread_id is not None,
        )

    def join_stream(
        self,
        thread_id: str,
        *,
        stream_mode: ThreadStreamMode | Sequence[ThreadStreamMode] = "run_modes",
        last_event_id: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> ReconnectingStream:
        """Follow everything that happens on a thread: its runs' output, their lifecycle, state changes.

        Args:
            thread_id: The thread.
            stream_mode: `"run_modes"` (the output of the thread's runs, in the
                modes they were created with), `"lifecycle"` (runs starting and
                ending), `"state_update"` (changes to the state), or a list. Sent as
                the SDK sends it and in the spelling the server reads
                (`stream_modes`, comma-separated), so that the filter takes effect.
            last_event_id: Replay what came after this event, then go on live.
                A thread stream is not resumed by itself (the server names no place
                to resume from): call again with the last `part.id` you saw.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            A `lgsync.stream.Stream` of `StreamPart`s, open across runs until you leave the loop.

        Raises:
            lgsync.errors.NotFoundError: No such thread.

        Example:
            ```python
            for part in client.threads.join_stream(thread_id, stream_mode=["run_modes", "lifecycle"]):
                print(part.event, part.data)
                if part.event == "end":
                    break
            ```
        """
        query = join_params(stream_mode, params)
        return self.http.stream(
            self._path(thread_id, "stream"),
            "GET",
            params=query,
            headers=headers,
            last_event_id=last_event_id,
            not_resumable_reason=THREAD_STREAM_NOT_RESUMABLE,
        )
