"""``client.runs``: create, stream, wait for, join and cancel runs.

Streams go through ``HttpClient.stream``, which resumes them after a dropped connection.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Callable, Literal, overload

from lgsync._json import dumps
from lgsync.errors import NotFoundError, RunError
from lgsync.http import HttpClient
from lgsync.resources._shared import (
    compact,
    merge_params,
    on_run_created_hook,
    pick,
    quote_path_param,
    warn_checkpoint_during,
)
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

_STATELESS = "a stateless run (thread_id=None) has no stream to rejoin; pass a thread to make it resumable"

#: The parameters every run-creating call sends in its body (``None`` left out).
_RUN_FIELDS = (
    "assistant_id",
    "input",
    "command",
    "config",
    "context",
    "metadata",
    "interrupt_before",
    "interrupt_after",
    "webhook",
    "checkpoint",
    "checkpoint_id",
    "checkpoint_during",
    "multitask_strategy",
    "if_not_exists",
    "on_completion",
    "after_seconds",
    "durability",
    "strict_resume",
    "langsmith_tracing",
)
_STREAMED_FIELDS = ("stream_mode", "stream_subgraphs", "stream_resumable")
#: The body parameters of ``runs.stream``, ``runs.create`` and ``runs.wait``, as the SDK sends them.
_STREAM_FIELDS = (*_RUN_FIELDS, *_STREAMED_FIELDS, "feedback_keys", "on_disconnect")
_CREATE_FIELDS = (*_RUN_FIELDS, *_STREAMED_FIELDS)
_WAIT_FIELDS = (*_RUN_FIELDS, "on_disconnect")


def _run_payload(arguments: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The body of a run-creating call, from its arguments (``locals()``) and its ``fields``.

    ``None`` is left out, so is an empty ``command`` (and ``None`` inside
    one); ``langsmith_tracing`` goes as the server's ``langsmith_tracer``.

    Example::

        >>> _run_payload({"assistant_id": "agent", "input": None, "command": {"resume": 1, "goto": None}},
        ...              ("assistant_id", "input", "command"))
        {'assistant_id': 'agent', 'command': {'resume': 1}}
    """
    payload = pick(arguments, fields)
    command = payload.pop("command", None)
    if command:
        payload["command"] = compact(command)
    if "langsmith_tracing" in payload:
        payload["langsmith_tracer"] = payload.pop("langsmith_tracing")
    return payload


def _modes_param(stream_mode: str | Sequence[str] | None) -> str | None:
    """``stream_mode`` as the server's query string reads it, for joining a run.

    The server keeps only the last of repeated query keys but accepts a JSON
    array, so several modes go as one. It also passes only the events whose
    name is in the filter, and ``error`` is not a mode: without it in the
    list, a run that fails would end the stream as quietly as one that
    succeeded. So a filter always includes ``error``; and ``metadata``,
    whose ``attempt`` tells a run the server started again (the stream
    raises ``RunRestartedError`` rather than pass its events off as new).

    Example::

        >>> _modes_param("custom")
        '["custom","error","metadata"]'
    """
    if stream_mode is None:
        return None
    modes = [stream_mode] if isinstance(stream_mode, str) else list(stream_mode)
    if not modes:
        return None
    for always in ("error", "metadata"):
        if always not in modes:
            modes.append(always)
    return dumps(modes).decode()


def _hidden_events(stream_mode: str | Sequence[str] | None) -> frozenset[str]:
    """The events a join asks for only for lgsync's own sake: not handed to the caller."""
    if stream_mode is None:
        return frozenset()
    modes = [stream_mode] if isinstance(stream_mode, str) else list(stream_mode)
    return frozenset() if not modes or "metadata" in modes else frozenset({"metadata"})


@contextmanager
def _stateless_hint(thread_id: str | None) -> Iterator[None]:
    """Say so when a server answers a stateless run with a bare 404: it does not offer them."""
    try:
        yield
    except NotFoundError as exc:
        if thread_id is not None or exc.message not in ("Not Found", ""):
            raise
        raise NotFoundError(
            f"{exc.method or 'POST'} {exc.path} answered 404 Not Found: this server does not offer "
            "stateless runs (thread_id=None); create a thread and run on it instead",
            status_code=404,
            body=exc.body,
            headers=exc.headers,
            method=exc.method,
            path=exc.path,
        ) from exc


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

        Returns a :class:`~lgsync.stream.ReconnectingStream` of
        :class:`StreamPart` (``version="v2"``: dicts with ``type``, ``ns``,
        ``data``, ``interrupts``). With ``stream_resumable=True`` a dropped
        connection is resumed without losing or repeating an event; with
        ``on_disconnect="cancel"``, leaving the loop cancels the run.

        Example::

            for part in client.runs.stream(thread_id, "agent", input={"topic": "ice cream"},
                                           stream_mode=["updates", "custom"]):
                print(part.event, part.data)
        """
        warn_checkpoint_during(checkpoint_during)
        payload = _run_payload(locals(), _STREAM_FIELDS)
        if stream_resumable and on_disconnect is None:
            # A resumable stream is one whose run goes on while the client
            # reconnects: LangGraph's default, which some servers (aegra) do not share.
            payload["on_disconnect"] = "continue"
        endpoint = f"/threads/{quote_path_param(thread_id)}/runs/stream" if thread_id is not None else "/runs/stream"
        # A resume joins the run's stream: it must ask for the same modes and
        # cancellation, and carry the caller's own query parameters again.
        reconnect_params: dict[str, Any] = dict(params) if isinstance(params, Mapping) else {}
        reconnect_params.update(
            {
                "stream_mode": _modes_param(stream_mode),
                "cancel_on_disconnect": True if on_disconnect == "cancel" else None,
                "stream_subgraphs": True if stream_subgraphs else None,
            }
        )
        with _stateless_hint(thread_id):
            stream = self.http.stream(
                endpoint,
                "POST",
                json=payload,
                params=params,
                headers=headers,
                on_response=on_run_created_hook(on_run_created),
                reconnect_params=reconnect_params,
                replay_from_start=True,
                not_resumable_reason=_STATELESS if thread_id is None else None,
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
        """Create a background run and return it (``status`` is ``"pending"``).

        Example::

            run = client.runs.create(thread_id, "agent", input={"topic": "ice cream"},
                                     stream_mode=["values", "updates"], stream_resumable=True)
        """
        warn_checkpoint_during(checkpoint_during)
        payload = _run_payload(locals(), _CREATE_FIELDS)
        path = f"/threads/{quote_path_param(thread_id)}/runs" if thread_id else "/runs"
        with _stateless_hint(thread_id):
            return self.http.post(  # type: ignore[no-any-return]
                path, json=payload, params=params, headers=headers, on_response=on_run_created_hook(on_run_created)
            )

    def create_batch(
        self,
        payloads: builtins.list[RunCreate],
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> builtins.list[Run]:
        """Create several background runs in one request; ``None`` values are left out of each.

        Example::

            runs = client.runs.create_batch([
                {"assistant_id": "agent", "input": {"topic": "cats"}},
                {"assistant_id": "agent", "input": {"topic": "dogs"}},
            ])
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
        """Create a run, wait for it to finish and return its final state values.

        A dropped connection is resumed by joining the run. With
        ``raise_error`` (the default) a run that failed raises
        :class:`RunError`.

        Example::

            state = client.runs.wait(None, "agent", input={"topic": "ice cream"})
        """
        warn_checkpoint_during(checkpoint_during)
        payload = _run_payload(locals(), _WAIT_FIELDS)
        endpoint = f"/threads/{quote_path_param(thread_id)}/runs/wait" if thread_id is not None else "/runs/wait"
        with _stateless_hint(thread_id):
            result = self.http.request_reconnect(
                endpoint,
                "POST",
                json=payload,
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

        Example::

            done = client.runs.list(thread_id, status="success", select=["run_id", "status"])
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
        """One run, with its ``status``.

        Example::

            client.runs.get(thread_id, run_id)["status"]  # "success"
        """
        return self.http.get(_run_path(thread_id, run_id), headers=headers, params=params)  # type: ignore[no-any-return]

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
        """Cancel a run; with ``wait=True`` return once it has stopped.

        ``action="rollback"`` also deletes the run and its checkpoints. With
        ``wait=True`` the server's answer (the thread's values) is returned,
        as the SDK does, although both annotate ``None``.

        Example::

            client.runs.cancel(thread_id, run_id, wait=True)
        """
        query: dict[str, Any] = {"wait": 1 if wait else 0, "action": action}
        query = merge_params(query, params)
        path = _run_path(thread_id, run_id) + "/cancel"
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
        """Cancel several runs: those of a thread, those listed, or all in a status.

        Example::

            client.runs.cancel_many(thread_id=thread_id, run_ids=[run_id], action="interrupt")
            client.runs.cancel_many(status="pending")
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
        """Wait for a run to finish and return the thread's final state values.

        Example::

            run = client.runs.create(thread_id, "agent", input={"topic": "cats"})
            values = client.runs.join(thread_id, run["run_id"])
        """
        return self.http.request_reconnect(  # type: ignore[no-any-return]
            _run_path(thread_id, run_id) + "/join", "GET", headers=headers, params=params
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
        """Stream a run that is already going, from now on (or after ``last_event_id``).

        ``stream_mode`` must be a subset of the modes the run was created
        with. With ``cancel_on_disconnect=True``, leaving the loop (``break``,
        an exception, closing the iterator) cancels the run on the server.
        Every option here is kept on reconnects.

        Example::

            for part in client.runs.join_stream(thread_id, run_id, stream_mode=["values", "debug"]):
                print(part)
        """
        query: dict[str, Any] = {
            "stream_mode": _modes_param(stream_mode),
            "cancel_on_disconnect": cancel_on_disconnect,
        }
        query = merge_params(query, params)
        return self.http.stream(
            _run_path(thread_id, run_id) + "/stream",
            "GET",
            params=query,
            headers=headers,
            reconnect_params=query,
            last_event_id=last_event_id,
            cancel_on_close=cancel_on_disconnect,
            hidden_events=_hidden_events(stream_mode),
        )

    def delete(
        self,
        thread_id: str,
        run_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete a finished run.

        Example::

            client.runs.delete(thread_id, run_id)
        """
        self.http.delete(_run_path(thread_id, run_id), headers=headers, params=params)


def _run_path(thread_id: str, run_id: str) -> str:
    return f"/threads/{quote_path_param(thread_id)}/runs/{quote_path_param(run_id)}"
