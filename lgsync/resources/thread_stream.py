"""``client.threads.stream(...)``: one thread's streaming session over the server's event protocol.

Commands go to ``POST /threads/{id}/commands``; each projection (``values``,
``messages``, ``events``, ``subscribe``) reads its own
``POST /threads/{id}/stream/events``, resumed from the last ``seq`` after a drop.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Generator, Iterator, Mapping
from types import TracebackType
from typing import Any

from lgsync.errors import APIConnectionError, LangGraphError, StreamDecodeError
from lgsync.http import HttpClient
from lgsync.resources._shared import quote_path_param
from lgsync.stream import ReconnectingStream

__all__ = [
    "MessageStream",
    "MessagesProjection",
    "ProtocolError",
    "RunCommands",
    "RunFailedError",
    "TextStream",
    "ThreadStream",
    "ValuesProjection",
]

#: Every channel the server streams; what ``ThreadStream.events`` asks for.
ALL_CHANNELS = ("values", "updates", "messages", "tools", "lifecycle", "input", "checkpoints", "tasks", "custom")

logger = logging.getLogger("lgsync.thread_stream")

_TERMINAL_PHASES = ("completed", "failed", "interrupted")
_NOT_ENTERED = "ThreadStream not entered: use `with client.threads.stream(...) as thread:`"
# ThreadStream resumes a thread's event stream itself (``since`` in the request body).
_NOT_RESUMABLE = "a thread's event stream resumes from the cursor in its request body"


class RunFailedError(LangGraphError, RuntimeError):
    """The run of a thread stream ended with an error (``thread.output`` raises it).

    A ``RuntimeError`` too, as in ``langgraph_sdk``, so ``except RuntimeError`` keeps working.
    """


class ProtocolError(LangGraphError, RuntimeError):
    """The server refused a thread-stream command (an ``{"type": "error"}`` answer)."""


def _event_data(event: Mapping[str, Any]) -> Any:
    params = event.get("params")
    return params.get("data") if isinstance(params, dict) else None


def _is_root(event: Mapping[str, Any]) -> bool:
    params = event.get("params")
    return isinstance(params, dict) and not params.get("namespace")


def _channel_of(event: Mapping[str, Any]) -> str | None:
    """The subscription channel an event belongs to (``custom:<name>`` for named custom events)."""
    method = event.get("method")
    if method == "input.requested":
        return "input"
    if method == "custom":
        data = _event_data(event)
        name = data.get("name") if isinstance(data, dict) else None
        return f"custom:{name}" if name else "custom"
    return method if isinstance(method, str) else None


def _segment_matches(wanted: str, segment: str) -> bool:
    # ``node`` matches ``node:<task id>``; a wanted segment with its own task id must match exactly.
    return segment == wanted or (":" not in wanted and segment.partition(":")[0] == wanted)


def _namespace_matches(namespace: list[str], prefixes: list[list[str]] | None, depth: int | None) -> bool:
    if not prefixes:
        return True
    for prefix in prefixes:
        if len(prefix) > len(namespace):
            continue
        if not all(_segment_matches(want, seg) for want, seg in zip(prefix, namespace)):
            continue
        if depth is None or len(namespace) - len(prefix) <= depth:
            return True
    return False


def _matches(
    event: Mapping[str, Any], channels: list[str], namespaces: list[list[str]] | None, depth: int | None
) -> bool:
    """Whether a subscription with these filters asked for ``event``."""
    channel = _channel_of(event)
    if channel is None:
        return False
    if channel not in channels and not (channel.startswith("custom:") and "custom" in channels):
        return False
    params = event.get("params")
    namespace = params.get("namespace") if isinstance(params, dict) else None
    return _namespace_matches(namespace if isinstance(namespace, list) else [], namespaces, depth)


def _lifecycle_phase(event: Mapping[str, Any]) -> str | None:
    """``running``/``completed``/``failed``... for a root lifecycle event, else ``None``."""
    if event.get("method") != "lifecycle" or not _is_root(event):
        return None
    data = _event_data(event)
    phase = data.get("event") if isinstance(data, dict) else None
    return phase if isinstance(phase, str) else None


def _lifecycle_run_id(event: Mapping[str, Any]) -> str | None:
    """The run a lifecycle event belongs to, read from its ``synth:<run_id>:...`` event id."""
    event_id = event.get("event_id")
    if not isinstance(event_id, str) or not event_id.startswith("synth:"):
        return None
    run_id = event_id[len("synth:") :].partition(":")[0]
    return run_id or None


class TextStream:
    """The text (or reasoning) of one message: iterate for the tokens, ``str()`` for the whole.

    Example::

        for token in message.text:
            print(token, end="")
        print(str(message.text))
    """

    def __init__(self) -> None:
        self._deltas: list[str] = []
        self._final: str | None = None
        self.done = False
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[str]:
        """The tokens in arrival order (raises the message's error after the last one)."""
        yield from list(self._deltas)
        if self.error is not None:
            raise self.error

    def get(self) -> str:
        """The whole text (raises the message's error if it failed).

        Example::

            message.text.get()
        """
        if self.error is not None:
            raise self.error
        return self._final if self._final is not None else "".join(self._deltas)

    def __str__(self) -> str:
        return self.get()

    def __bool__(self) -> bool:
        return bool(self._deltas)

    def __repr__(self) -> str:
        return repr(self._final if self._final is not None else "".join(self._deltas))

    def _push(self, delta: str) -> None:
        self._deltas.append(delta)

    def _complete(self, final: str | None) -> None:
        if final is not None:
            self._final = final
        self.done = True

    def _fail(self, error: BaseException) -> None:
        self.error = error
        self.done = True


class MessageStream:
    """One chat-model message of a run, assembled from its protocol events.

    ``text`` and ``reasoning`` are :class:`TextStream`; ``message_id``,
    ``node`` and ``namespace`` say where it came from; ``done`` and
    ``error`` how it ended.

    Example::

        for message in thread.messages:
            print(message.message_id, str(message.text))
    """

    def __init__(self, *, namespace: list[str], node: str | None, message_id: str | None) -> None:
        self.namespace = namespace
        self.node = node
        self.message_id = message_id
        self.text = TextStream()
        self.reasoning = TextStream()
        self.error: BaseException | None = None
        self._done = False

    @property
    def done(self) -> bool:
        """Whether the message has finished (or failed)."""
        return self._done

    def __repr__(self) -> str:
        return f"<MessageStream {self.message_id!r} done={self._done} text={self.text!r}>"

    def _dispatch(self, data: Mapping[str, Any]) -> None:
        kind = data.get("event")
        if kind == "content-block-delta":
            delta = data.get("delta")
            if isinstance(delta, dict):
                if delta.get("type") == "text-delta" and isinstance(delta.get("text"), str) and delta["text"]:
                    self.text._push(delta["text"])
                elif (
                    delta.get("type") == "reasoning-delta"
                    and isinstance(delta.get("reasoning"), str)
                    and delta["reasoning"]
                ):
                    self.reasoning._push(delta["reasoning"])
        elif kind == "message-finish":
            self._finish()
        elif kind == "error":
            message = data.get("message") or data.get("error") or "message failed"
            self._fail(RunFailedError(f"Message errored: {message}"))

    def _finish(self) -> None:
        self.text._complete(None)
        self.reasoning._complete(None)
        self._done = True

    def _fail(self, error: BaseException) -> None:
        self.error = error
        self.text._fail(error)
        self.reasoning._fail(error)
        self._done = True


def _message_key(data: Mapping[str, Any]) -> str | None:
    message_id = data.get("id") or data.get("message_id")
    return str(message_id) if message_id is not None else None


class RunCommands:
    """``thread.run``: start the thread's run."""

    def __init__(self, owner: ThreadStream) -> None:
        self._owner = owner

    def start(
        self,
        *,
        input: Any = None,
        config: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        langsmith_tracing: Any | None = None,
    ) -> dict[str, Any]:
        """Start a run of the session's assistant on the thread; returns ``{"run_id": ...}``.

        Example::

            with client.threads.stream(assistant_id="agent") as thread:
                thread.run.start(input={"topic": "ice cream"})
                print(thread.output)
        """
        params: dict[str, Any] = {"assistant_id": self._owner.assistant_id}
        for key, value in (
            ("input", input),
            ("config", config),
            ("metadata", metadata),
            ("langsmith_tracer", langsmith_tracing),
        ):
            if value is not None:
                params[key] = value
        result = self._owner._command("run.start", params)
        run_id = result.get("run_id")
        self._owner._run_started(run_id if isinstance(run_id, str) else None)
        return result


class ValuesProjection:
    """``thread.values``: the thread's state now, then each new state of the run.

    Example::

        for state in thread.values:
            print(state)
    """

    def __init__(self, owner: ThreadStream) -> None:
        self._owner = owner

    def __iter__(self) -> Iterator[Any]:
        owner = self._owner
        owner._check_open()
        events = owner._follow(["values"])
        try:
            yield owner._fetch_state().get("values")
            for event in events:
                if event.get("method") == "values":
                    data = _event_data(event)
                    if data is not None:
                        yield data
        finally:
            events.close()

    def get(self) -> Any:
        """The final state values, as :attr:`ThreadStream.output`.

        Example::

            thread.values.get()
        """
        return self._owner.output


class MessagesProjection:
    """``thread.messages``: one :class:`MessageStream` per message of the root graph, complete when yielded.

    Example::

        for message in thread.messages:
            print(str(message.text))
    """

    def __init__(self, owner: ThreadStream) -> None:
        self._owner = owner

    def __iter__(self) -> Iterator[MessageStream]:
        owner = self._owner
        owner._check_open()
        active: dict[str, MessageStream] = {}
        pending: list[MessageStream] = []
        events = owner._follow(["messages"], namespaces=[[]], depth=0)
        try:
            for event in events:
                if event.get("method") != "messages":
                    continue
                data = _event_data(event)
                if not isinstance(data, dict):
                    continue
                key = _message_key(data)
                if data.get("event") == "message-start":
                    metadata = data.get("metadata")
                    node = metadata.get("langgraph_node") if isinstance(metadata, dict) else None
                    message = MessageStream(namespace=[], node=node, message_id=key)
                    active[key or ""] = message
                    pending.append(message)
                else:
                    target = active.get(key) if key is not None else None
                    if target is None and len(active) == 1:
                        target = next(iter(active.values()))
                    if target is None:
                        continue
                    target._dispatch(data)
                    if target.done:
                        active = {k: m for k, m in active.items() if m is not target}
                while pending and pending[0].done:
                    yield pending.pop(0)
            error = owner._outcomes.get(owner._run_id)
            for message in pending:
                if error is not None and not message.done:
                    message._fail(error)
            while pending:
                yield pending.pop(0)
        finally:
            events.close()


class ThreadStream:
    """One thread's streaming session: start a run and follow it through projections.

    A context manager: leaving the ``with`` block closes every connection
    it opened at once. ``thread.run.start(...)`` starts a run;
    ``thread.output`` waits for its end and returns the final state;
    ``thread.values``, ``thread.messages`` and ``thread.events`` follow it
    live. Each projection has its own connection, so they can be read one
    after the other or from different threads.

    Example::

        with client.threads.stream(assistant_id="chat") as thread:
            thread.run.start(input={"topic": "ice cream"})
            for message in thread.messages:
                print(str(message.text))
            print(thread.output)
    """

    def __init__(
        self,
        http: HttpClient,
        *,
        thread_id: str,
        assistant_id: str,
        headers: Mapping[str, str] | None = None,
        run_start_timeout: float | None = None,
        explicit_thread_id: bool = False,
    ) -> None:
        self._http = http
        self._headers = dict(headers or {})
        self.thread_id = thread_id
        self.assistant_id = assistant_id
        self._run_start_timeout = run_start_timeout
        self._explicit_thread_id = explicit_thread_id
        self._path = f"/threads/{quote_path_param(thread_id)}"
        self._lock = threading.Lock()
        self._entered = False
        self._closed = False
        self._open_streams: set[ReconnectingStream] = set()
        self._next_command_id = 1
        self._run_id: str | None = None
        self._run_seen = False
        self._run_start_gate = threading.Event()
        #: How each run followed so far ended: ``None`` for success, else its error.
        self._outcomes: dict[str | None, RunFailedError | None] = {}
        self.run = RunCommands(self)
        self.values = ValuesProjection(self)
        self.messages = MessagesProjection(self)

    def __repr__(self) -> str:
        return f"<ThreadStream thread_id={self.thread_id!r} assistant_id={self.assistant_id!r}>"

    def __enter__(self) -> ThreadStream:
        if self._closed:
            raise RuntimeError("ThreadStream is closed and cannot be re-entered.")
        self._entered = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def output(self) -> Any:
        """The thread's final state values, once the run has ended (blocking).

        Raises :class:`RunFailedError` (a ``RuntimeError``) if the run failed.
        On a ``thread_id`` given before any ``run.start``, it waits for the
        thread's pending or running run, if there is one, else returns the
        state as it is.

        Example::

            thread.run.start(input={"topic": "cats"})
            print(thread.output["joke"])
        """
        self._check_open()
        run_id = self._run_id
        if not self._run_seen:
            if not self._explicit_thread_id:
                raise RuntimeError(
                    "thread.output: no run has been started and no thread_id was given; call thread.run.start() first."
                )
            run_id = self._active_run_id()
            if run_id is None:
                # Nothing is running on the thread (done, interrupted or errored): no wait.
                return self._fetch_state().get("values")
        if run_id not in self._outcomes:
            events = self._read({"channels": ["lifecycle"]}, run_id=run_id)
            try:
                for _ in events:
                    pass
            finally:
                events.close()
            if run_id not in self._outcomes:
                self._check_open()
                raise RunFailedError("The thread's event stream ended before the run did.")
        failure = self._outcomes[run_id]
        if failure is not None:
            raise failure
        return self._fetch_state().get("values")

    @property
    def events(self) -> Iterator[dict[str, Any]]:
        """Every protocol event of the run as the server sends it (dicts with ``method`` and ``params``).

        The iterator ends with the run (after its ``lifecycle`` ``completed``
        or ``failed`` event).

        Example::

            for event in thread.events:
                print(event["seq"], event["method"], event["params"]["data"])
        """
        self._check_open()
        return self._follow(list(ALL_CHANNELS))

    def subscribe(
        self,
        channels: list[str],
        *,
        namespaces: list[list[str]] | None = None,
        depth: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The run's protocol events of some ``channels``, optionally only below some namespaces.

        ``namespaces`` are prefixes (``["node_2"]`` also matches
        ``["node_2:<task id>", ...]``) and ``depth`` how far below them to
        go (``0``: only the prefix itself). The iterator ends with the run.

        Example::

            for event in thread.subscribe(["values", "updates"], namespaces=[["node_2"]]):
                print(event["params"]["namespace"], event["params"]["data"])
        """
        self._check_open()
        return self._follow(list(channels), namespaces=namespaces, depth=depth)

    def close(self) -> None:
        """Close every connection of the session (idempotent; safe from another thread).

        Example::

            thread.close()
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            streams = list(self._open_streams)
            self._open_streams.clear()
        self._run_start_gate.set()
        for stream in streams:
            stream.abort()

    # Internals.

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("ThreadStream is closed.")
        if not self._entered:
            raise RuntimeError(_NOT_ENTERED)

    def _command(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self._check_open()
        with self._lock:
            command_id = self._next_command_id
            self._next_command_id += 1
        answer = self._http.post(
            f"{self._path}/commands",
            json={"id": command_id, "method": method, "params": params},
            headers=self._headers or None,
        )
        if not isinstance(answer, dict):
            return {}
        if answer.get("type") == "error":
            raise ProtocolError(f"Protocol error [{answer.get('error', 'unknown')}]: {answer.get('message', '')}")
        result = answer.get("result")
        return result if isinstance(result, dict) else {}

    def _run_started(self, run_id: str | None) -> None:
        self._run_id = run_id
        self._run_seen = True
        self._outcomes.pop(run_id, None)
        self._run_start_gate.set()

    def _active_run_id(self) -> str | None:
        """The thread's pending or running run (started outside this session), if any."""
        for status in ("running", "pending"):
            runs = self._http.get(
                f"{self._path}/runs", params={"status": status, "limit": 1}, headers=self._headers or None
            )
            if isinstance(runs, list) and runs and isinstance(runs[0], dict):
                run_id = runs[0].get("run_id")
                if isinstance(run_id, str):
                    return run_id
        return None

    def _fetch_state(self) -> dict[str, Any]:
        state = self._http.get(f"{self._path}/state", headers=self._headers or None)
        return state if isinstance(state, dict) else {}

    def _follow(
        self,
        channels: list[str],
        *,
        namespaces: list[list[str]] | None = None,
        depth: int | None = None,
    ) -> Generator[dict[str, Any], None, None]:
        """The events of ``channels`` for the current run, ending with its root lifecycle end."""
        # As in the SDK, a projection follows a run this session starts: read
        # before run.start (from another thread), it waits for it.
        if not self._run_start_gate.wait(self._run_start_timeout):
            raise TimeoutError(f"thread.run.start() was not called within {self._run_start_timeout} s.")
        self._check_open()
        # The root lifecycle events say where the run ends: ask for them whatever
        # the filter, and deliver only what the filter asked for.
        body: dict[str, Any] = {"channels": channels if "lifecycle" in channels else [*channels, "lifecycle"]}
        if namespaces:
            body["namespaces"] = namespaces if [] in namespaces else [*namespaces, []]
        if depth is not None:
            body["depth"] = depth
        return self._read(body, run_id=self._run_id, wanted=(list(channels), namespaces, depth))

    def _read(
        self,
        body: dict[str, Any],
        *,
        run_id: str | None,
        wanted: tuple[list[str], list[list[str]] | None, int | None] | None = None,
    ) -> Generator[dict[str, Any], None, None]:
        """Read the thread's events, resuming after a drop from the last ``seq`` seen."""
        policy = self._http.stream_retry
        # The server replays the thread's history from its first run: skip to this run.
        in_run = run_id is None
        since: int | None = None
        seen: set[str] = set()
        attempts = 0
        while True:
            request = dict(body) if since is None else {**body, "since": since}
            progressed = False
            stream: ReconnectingStream | None = None
            try:
                stream = self._http.stream(
                    f"{self._path}/stream/events",
                    "POST",
                    json=request,
                    headers=self._headers or None,
                    not_resumable_reason=_NOT_RESUMABLE,
                )
                with self._lock:
                    if self._closed:
                        return
                    self._open_streams.add(stream)
                for part in stream:
                    event = part.data
                    if not isinstance(event, dict) or event.get("type") == "error":
                        continue
                    seq = event.get("seq")
                    if isinstance(seq, int) and not isinstance(seq, bool) and (since is None or seq > since):
                        since = seq
                    event_id = event.get("event_id")
                    if isinstance(event_id, str):
                        if event_id in seen:
                            continue
                        seen.add(event_id)
                    progressed = True
                    phase = _lifecycle_phase(event)
                    if not in_run:
                        if phase is None:
                            continue
                        owner = _lifecycle_run_id(event)
                        if owner is not None and owner != run_id:
                            continue
                        in_run = True
                    if wanted is None or _matches(event, *wanted):
                        yield event
                    if phase in _TERMINAL_PHASES:
                        failure = None
                        if phase == "failed":
                            data = _event_data(event)
                            error = data.get("error") if isinstance(data, dict) else None
                            failure = RunFailedError(f"Run errored: {error}" if error else "Run errored")
                        self._outcomes[run_id] = failure
                        return
                return
            except StreamDecodeError:
                raise
            except APIConnectionError as exc:
                if self._closed:
                    return
                attempts = 1 if progressed else attempts + 1
                if attempts > policy.total:
                    raise
                delay = policy.backoff(attempts)
                logger.info(
                    "lgsync: thread %s event stream interrupted (%s); reconnecting in %.2fs from seq %s",
                    self.thread_id,
                    exc.message,
                    delay,
                    since,
                )
                time.sleep(delay)
            finally:
                if stream is not None:
                    stream.close()
                    with self._lock:
                        self._open_streams.discard(stream)
