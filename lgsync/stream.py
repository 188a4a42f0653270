"""A run's event stream that survives the network: resume, de-duplicate, close.

:class:`ReconnectingStream` is the one stream type callers hold. It reads
SSE through the reconnect engine (:mod:`lgsync.reconnect`): when the
connection drops, or closes while the run is still going, it asks the
stream's ``Location`` again with ``Last-Event-ID``, so that the caller sees
every event once, in order. :class:`ResumeCursor` is the bookkeeping that
makes "once" hold.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Generator, Iterable, Iterator
from types import TracebackType
from typing import Any, Callable, Generic, Optional, TypeVar

from lgsync import _resume
from lgsync._headers import check_header_value
from lgsync._json import loads
from lgsync._resume import GROUP_LIMIT, ResumeCursor
from lgsync.errors import (
    APIConnectionError,
    APIError,
    RunRestartedError,
    StreamDecodeError,
    StreamError,
    excerpt,
)
from lgsync.reconnect import Reconnector
from lgsync.retry import Retry
from lgsync.schema import StreamPart
from lgsync.sse import DEFAULT_MAX_EVENT_SIZE, ServerSentEvent, SSEDecoder
from lgsync.transport.base import Response

__all__ = ["GROUP_LIMIT", "ReconnectingStream", "ResumeCursor", "Stream"]

logger = logging.getLogger("lgsync.stream")

_LARGE_EVENT = 1 << 20
#: Opens the stream again: ``(last_event_id) -> Response``; raises lgsync errors.
Reopen = Callable[[Optional[str]], Response]
#: Asks whether the run is still pending or running (``None``: cannot tell).
RunIsActive = Callable[[], Optional[bool]]
#: Called once when a stream is closed before it finished (explicit cancel).
OnAbandon = Callable[[], None]

T = TypeVar("T")
U = TypeVar("U")


class _RunStream:
    """The strategy of a run's SSE stream: resumed at ``Location`` with ``Last-Event-ID``."""

    def __init__(
        self,
        *,
        reopen: Reopen | None,
        run_is_active: RunIsActive | None,
        last_event_id: str | None,
        replay_from_start: bool,
        max_event_size: int,
        not_resumable_reason: str | None,
        hidden: frozenset[str] = frozenset(),
    ) -> None:
        self._reopen = reopen
        self._hidden = hidden
        self._run_is_active = run_is_active
        self.cursor = ResumeCursor(last_event_id, start_id="0" if replay_from_start else None)
        self._max_event_size = max_event_size
        self._not_resumable = not_resumable_reason
        self._retry_ms: int | None = None
        self._ended = False
        self._progress = False
        self._in_event = False
        #: The run's attempt, from its first ``metadata`` event.
        self._attempt: int | None = None
        self.response: Response | None = None
        #: Yield ``None`` for each quiet block (a heartbeat comment): set by ``iter_with_ticks``.
        self.ticks = False

    def read(self, response: Response) -> Iterator[StreamPart | None]:
        self.response = response
        self._progress = False
        cursor = self.cursor
        decoder = SSEDecoder(last_event_id=cursor.last_id, max_event_size=self._max_event_size)
        quiet = 0
        try:
            for chunk in response.iter_bytes():
                for event in decoder.feed(chunk):
                    if event.event == "end" or event.event == "error":
                        self._ended = True
                    admitted = cursor.admit(event)
                    if cursor.released:
                        yield from self._deliver(cursor.flush())
                    if admitted:
                        part = self._part(event)
                        if part is not None:
                            yield part
                    if event.event == "end":
                        # Nothing follows an end: stop here, so that a server that keeps
                        # the connection open (heartbeats and all) cannot hold the caller.
                        return
                if decoder.quiet_blocks != quiet:
                    if self._ended:
                        return  # an error was delivered, and only keep-alives follow: finished
                    quiet = decoder.quiet_blocks
                    if decoder.block_id != cursor.last_id:
                        cursor.move_to(decoder.block_id)
                    if self.ticks:
                        yield None
                if decoder.retry is not None:
                    self._retry_ms = decoder.retry
            if cursor.holding or cursor.released:
                yield from self._deliver(cursor.flush())
        except APIConnectionError:
            if not self._ended:
                raise
        finally:
            self._in_event = decoder.in_event

    def _deliver(self, events: Iterable[ServerSentEvent]) -> Iterator[StreamPart]:
        for event in events:
            part = self._part(event)
            if part is not None:
                yield part

    def _part(self, event: ServerSentEvent) -> StreamPart | None:
        """The part for a new event (``None`` if hidden); a ``metadata`` event's attempt is checked."""
        self._progress = True
        part = StreamPart(event.event, _decode_data(event), event.id)
        if event.event == "metadata":
            self._check_attempt(part.data)
        if self._hidden and event.event in self._hidden:
            return None
        return part

    def _check_attempt(self, data: Any) -> None:
        """Raise :class:`RunRestartedError` when the run began again under the caller."""
        attempt = data.get("attempt") if isinstance(data, dict) else None
        if not isinstance(attempt, int) or isinstance(attempt, bool):
            return
        if self._attempt is None or attempt <= self._attempt:
            self._attempt = attempt if self._attempt is None else self._attempt
            return
        run_id = data.get("run_id")
        raise RunRestartedError(run_id if isinstance(run_id, str) else None, attempt, self._attempt)

    def discard(self, response: Response) -> None:
        if self.response is response:
            self.response = None
        response.close()

    def finished(self) -> bool:
        return self._ended

    def progressed(self) -> bool:
        return self._progress

    def closed_early(self) -> str | None:
        if self._in_event:
            return "the stream ended in the middle of an event"
        active = self._run_is_active() if self._run_is_active is not None else None
        return "the stream closed while the run was still running" if active else None

    def check_resumable(self, cause: APIError) -> None:
        if self._reopen is None or self._not_resumable:
            reason = self._not_resumable or "the server named no stream to resume from"
            raise StreamError(f"Stream interrupted ({cause.message}) and cannot be resumed: {reason}") from cause
        cursor = self.cursor
        if cursor.unidentified:
            raise StreamError(
                f"Stream interrupted ({cause.message}) and cannot be resumed without losing events: "
                "the server sent events without ids (create the run with stream_resumable=True)"
            ) from cause
        if cursor.group_overflow:
            raise StreamError(
                f"Stream interrupted ({cause.message}) and cannot be resumed without repeating events: "
                f"more than {_resume.GROUP_LIMIT} events share the id {cursor.last_id!r}"
            ) from cause
        resume_id = cursor.resume_id()
        if resume_id is not None:
            try:
                check_header_value("Last-Event-ID", resume_id)
            except ValueError:
                raise StreamError(
                    f"Stream interrupted ({cause.message}) and cannot be resumed: the server's event id "
                    "cannot be sent back in a Last-Event-ID header"
                ) from cause

    def reopen(self) -> Response:
        assert self._reopen is not None
        # A 404 here (the run is gone) is raised as it comes, as the SDK does.
        response = self._reopen(self.cursor.resume_id())
        self.cursor.reconnected()
        return response

    def server_delay(self) -> float | None:
        return self._retry_ms / 1000.0 if self._retry_ms is not None else None

    def exhausted(self, cause: APIError, attempts: int) -> BaseException:
        error = StreamError(f"Stream interrupted ({cause.message}); gave up after {attempts} reconnect attempts")
        error.__cause__ = cause
        return error


class _State:
    """What the generator and the caller's stream object share.

    Kept apart from :class:`ReconnectingStream` so that the generator holds
    no reference to the object the caller holds: when the caller drops that
    object (``break`` out of a ``for`` loop), it is freed at once and its
    connection closed, without waiting for the garbage collector.
    """

    def __init__(self, strategy: _RunStream, engine: Reconnector[Response, Optional[StreamPart]]) -> None:
        self.strategy = strategy
        self.engine = engine
        self.lock = threading.Lock()
        self.on_abandon: OnAbandon | None = None

    def abandon(self) -> None:
        """Run the explicit cancel once, if the stream stops before it finished."""
        with self.lock:
            hook, self.on_abandon = self.on_abandon, None
        if hook is None or self.strategy.finished() or sys.is_finalizing():
            return
        try:
            hook()
        except Exception:  # best effort: the close itself must not fail
            logger.debug("lgsync: the explicit cancel on close failed", exc_info=True)


class Stream(Iterator[T], Generic[T]):
    """The stream of a run: an iterator that resumes after a drop, and a context manager.

    `runs.stream`, `runs.join_stream` and `threads.join_stream` return it.
    Leaving the `with` block, breaking out of the loop, an exception, and
    dropping the iterator all close the connection at once (never draining
    it). A stream opened with `cancel_on_disconnect=True` (`join_stream`) or
    `on_disconnect="cancel"` (`runs.stream`) and closed before the run ended
    then also asks the server to cancel the run (`POST .../cancel`, best
    effort, bounded by `lgsync.langgraph.CANCEL_TIMEOUT`); a run that ended is
    never cancelled.

    Attributes:
        reconnects: The reconnect attempts made so far.
        reconnect_causes: Why each reconnect happened, in order.
        last_event_id: The id of the last event delivered (`None` for a run
            that was not created with `stream_resumable=True`): the place to
            resume from, here or in another process (`join_stream(last_event_id=...)`).
        duplicates_skipped: Events a resume brought again and that were not
            delivered twice.

    Raises:
        lgsync.errors.StreamError: While iterating: the stream broke and could
            not be resumed (no event ids, a stateless run, the reconnects spent,
            a `Location` on another origin).
        lgsync.errors.RunRestartedError: While iterating: the server started the
            run again after its worker died.
        lgsync.errors.StreamDecodeError: While iterating: an event that can never
            decode, or larger than `max_event_size`.

    Example:
        ```python
        with client.runs.stream(thread_id, "agent", input={"topic": "ice cream"}, stream_resumable=True) as stream:
            for part in stream:
                print(part.event, part.data)
        print(stream.reconnects, stream.last_event_id)
        ```
    """

    def __init__(
        self,
        response: Response,
        *,
        reopen: Reopen | None,
        run_is_active: RunIsActive | None = None,
        policy: Retry | None = None,
        last_event_id: str | None = None,
        replay_from_start: bool = False,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        not_resumable_reason: str | None = None,
        sleep: Callable[[float], None] | None = None,
        on_abandon: OnAbandon | None = None,
        convert: Callable[[StreamPart], T | None] | None = None,
        hidden_events: frozenset[str] = frozenset(),
    ) -> None:
        strategy = _RunStream(
            reopen=reopen,
            run_is_active=run_is_active,
            last_event_id=last_event_id,
            replay_from_start=replay_from_start,
            max_event_size=max_event_size,
            not_resumable_reason=not_resumable_reason,
            hidden=hidden_events,
        )
        engine: Reconnector[Response, Optional[StreamPart]] = Reconnector(policy, sleep=sleep, name="stream")
        # Known before the first read, so a close or abort before it still closes the socket.
        strategy.response = response
        self._state = _State(strategy, engine)
        self._state.on_abandon = on_abandon
        self._convert = convert
        self._iter = _parts(self._state, response)
        self._origin: Stream[Any] | None = None

    def converted(self, convert: Callable[[StreamPart], U | None]) -> Stream[U]:
        """The same stream yielding ``convert(part)`` (parts it maps to ``None`` are left out).

        The view shares the connection, counters, ``close()`` and ``abort()``;
        ``version="v2"`` streams are this view of a run stream.

        Example::

            v2 = client.runs.join_stream(thread_id, run_id).converted(lgsync.resources._v2.v2_part)
        """
        view: Stream[U] = Stream.__new__(Stream)
        view._state = self._state
        view._iter = self._iter
        view._convert = convert
        view._origin = self
        return view

    @property
    def reconnects(self) -> int:
        """How many reconnect attempts were made."""
        return self._state.engine.reconnects

    @property
    def reconnect_causes(self) -> list[str]:
        """Why each reconnect attempt happened, in order."""
        return list(self._state.engine.causes)

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event delivered (``None`` for streams without ids)."""
        return self._state.strategy.cursor.last_id

    @property
    def duplicates_skipped(self) -> int:
        """Events a resume brought again that were not delivered a second time."""
        return self._state.strategy.cursor.skipped

    def __iter__(self) -> Stream[T]:
        return self

    def __next__(self) -> T:
        part = next(self._iter)
        while part is None:
            part = next(self._iter)
        convert = self._convert
        if convert is None:
            return part  # type: ignore[return-value]
        converted = convert(part)
        while converted is None:
            part = next(self._iter)
            if part is not None:
                converted = convert(part)
        return converted

    def iter_with_ticks(self) -> Iterator[T | None]:
        """The same items, plus ``None`` each time the server sent a keep-alive.

        The LangGraph server writes a heartbeat comment every few seconds
        while a run is quiet; a relay that writes its own heartbeat on each
        ``None`` needs no thread of its own, and notices a departed client
        at that write.

        Example::

            for part in stream.iter_with_ticks():
                yield ": heartbeat\\n\\n" if part is None else encode(part)
        """
        self._state.strategy.ticks = True
        convert = self._convert
        for part in self._iter:
            if part is None or convert is None:
                yield part  # type: ignore[misc]
                continue
            converted = convert(part)
            if converted is not None:
                yield converted

    def __enter__(self) -> Stream[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass

    def close(self) -> None:
        """Stop reading and close the connection (idempotent).

        Call it from the thread that iterates; from another thread, use
        :meth:`abort`.
        """
        state = self._state
        state.engine.stop()
        try:
            self._iter.close()
        except ValueError:
            # "generator already executing": another thread is inside it.
            _abort_response(state)
        response = state.strategy.response
        if response is not None:
            response.close()
        state.abandon()

    def abort(self) -> None:
        """Stop the stream now, whatever it is doing, from any thread.

        A blocked read ends at once, a wait between two connections ends at
        once, no further request is sent, and the iteration stops without
        resuming. The server sees the client leave, so a run joined with
        ``cancel_on_disconnect=True`` is cancelled (lgsync also asks for it
        explicitly). Idempotent; a web server's disconnect handler is the
        typical caller.

        Example::

            stream = client.runs.join_stream(thread_id, run_id, cancel_on_disconnect=True)
            threading.Timer(5.0, stream.abort).start()   # give up after 5 s
            for part in stream:
                ...
        """
        state = self._state
        state.engine.stop()
        _abort_response(state)
        state.abandon()


class ReconnectingStream(Stream[StreamPart]):
    """The :class:`Stream` of :class:`~lgsync.schema.StreamPart` that ``runs.stream`` and ``join_stream`` return."""


def _abort_response(state: _State) -> None:
    response = state.strategy.response
    if response is None:
        return
    abort = getattr(response, "abort", None)
    if callable(abort):
        abort()
    else:
        response.close()


def _parts(state: _State, response: Response) -> Generator[Optional[StreamPart], None, None]:
    completed = False
    try:
        yield from state.engine.run(state.strategy, response)
        completed = True
    except RunRestartedError:
        completed = True  # the run goes on under a new attempt: no viewer left, nothing to cancel
        raise
    except APIError:
        if state.engine.stopped:
            return  # an aborted read ends as a broken connection: the caller asked for it
        raise
    finally:
        if not completed:
            state.abandon()


def _decode_data(event: ServerSentEvent) -> Any:
    data = event.data
    if not data or data.isspace():
        return None
    try:
        if len(data) < _LARGE_EVENT:
            return loads(data)
        # orjson reserves about twelve times the input for one document;
        # the standard library needs about twice, so large events use it
        # (same values for the JSON a LangGraph server sends).
        return json.loads(data.decode("utf-8"))
    except ValueError as exc:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            what = "is not valid UTF-8"
        else:
            what = "is not valid JSON"
        raise StreamDecodeError(f"The {event.event!r} event carried data that {what}: {excerpt(data, 120)}") from exc
