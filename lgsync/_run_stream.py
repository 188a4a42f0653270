"""How a run's SSE stream is read, resumed and finished: the strategy behind :class:`lgsync.stream.Stream`.

:class:`RunStream` tells the reconnect engine (:mod:`lgsync.reconnect`) how
to read one connection (decode, de-duplicate through the
:class:`~lgsync._resume.ResumeCursor`, hide events, check a ``metadata``
event's attempt), how to reopen at ``Location`` with ``Last-Event-ID``, and
when the run's stream is finished (``end`` or ``error``).
:class:`RunStreamState` and :func:`read_parts` are what a ``Stream`` holds.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Generator, Iterable, Iterator
from typing import Any, Callable, Optional

from lgsync import _resume
from lgsync._headers import check_header_value
from lgsync._json import loads
from lgsync._resume import ResumeCursor
from lgsync.errors import (
    APIConnectionError,
    APIError,
    RunRestartedError,
    StreamDecodeError,
    StreamError,
    excerpt,
)
from lgsync.reconnect import Reconnector
from lgsync.schema import StreamPart
from lgsync.sse import ServerSentEvent, SSEDecoder
from lgsync.transport.base import Response

__all__ = ["OnAbandon", "Reopen", "RunIsActive", "RunStream", "RunStreamState", "decode_data", "read_parts"]

logger = logging.getLogger("lgsync.stream")

_LARGE_EVENT = 1 << 20
_new_tuple = tuple.__new__
#: Opens the stream again: ``(last_event_id) -> Response``; raises lgsync errors.
Reopen = Callable[[Optional[str]], Response]
#: Asks whether the run is still pending or running (``None``: cannot tell).
RunIsActive = Callable[[], Optional[bool]]
#: Called once when a stream is closed before it finished (explicit cancel).
OnAbandon = Callable[[], None]


class RunStream:
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
        # tuple.__new__ directly: the named tuple's own __new__ is a Python function, a frame per event.
        part = _new_tuple(StreamPart, (event.event, decode_data(event), event.id))
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


class RunStreamState:
    """What the generator and the caller's stream object share.

    Kept apart from :class:`lgsync.stream.Stream` so that the generator holds
    no reference to the object the caller holds: when the caller drops that
    object (``break`` out of a ``for`` loop), it is freed at once and its
    connection closed, without waiting for the garbage collector.
    """

    def __init__(self, strategy: RunStream, engine: Reconnector[Response, Optional[StreamPart]]) -> None:
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

    def abort_response(self) -> None:
        """Shut the current connection at once (a read blocked in another thread ends)."""
        response = self.strategy.response
        if response is None:
            return
        abort = getattr(response, "abort", None)
        if callable(abort):
            abort()
        else:
            response.close()


def read_parts(state: RunStreamState, response: Response) -> Generator[Optional[StreamPart], None, None]:
    """The parts a Stream yields, across reconnects; stopping before the run finished calls the abandon hook."""
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


def decode_data(event: ServerSentEvent) -> Any:
    """The event's data as JSON (``None`` for none); :class:`StreamDecodeError` if it cannot be."""
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
