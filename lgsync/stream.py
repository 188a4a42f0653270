"""A run's event stream that survives the network: resume, de-duplicate, close.

``ReconnectingStream`` reads SSE from a response, and when the connection
drops (or closes while the run is still going) it asks the stream's
``Location`` again with ``Last-Event-ID``, so that the caller sees every
event once, in order.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Generator, Iterator
from types import TracebackType
from typing import Any, Callable, Optional

from lgsync._json import loads
from lgsync.errors import (
    APIConnectionError,
    APIStatusError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    StreamDecodeError,
    StreamError,
    excerpt,
)
from lgsync.retry import Retry
from lgsync.schema import StreamPart
from lgsync.sse import DEFAULT_MAX_EVENT_SIZE, ServerSentEvent, SSEDecoder
from lgsync.transport.base import Response

__all__ = ["ReconnectingStream", "ResumeCursor"]

logger = logging.getLogger("lgsync.stream")

_LARGE_EVENT = 1 << 20

#: Opens the stream again: ``(last_event_id) -> Response``; raises lgsync errors.
Reopen = Callable[[Optional[str]], Response]
#: Asks whether the run is still pending or running (``None``: cannot tell).
RunIsActive = Callable[[], Optional[bool]]


def _order_key(event_id: str | None) -> tuple[int, int] | None:
    """``(ms, seq)`` for an id of the form ``<ms>-<seq>``; ``None`` for any other id."""
    if event_id is None:
        return None
    ms, dash, seq = event_id.partition("-")
    if dash and ms.isascii() and ms.isdigit() and seq.isascii() and seq.isdigit():
        return int(ms), int(seq)
    return None


class ResumeCursor:
    """What the caller has seen, so a resume loses nothing and repeats nothing.

    The LangGraph server gives event ids of the form ``<ms>-<seq>`` and several
    events can share one id; given ``Last-Event-ID`` it replays the ids
    strictly greater. So a resume asks from the id *before* the last group
    seen, and skips the members of that group already delivered. A resume
    that reaches the server while the run is still emitting also gets some
    live events twice (it subscribes before it replays): after a reconnect,
    events with an older id, or repeating a member of the current group, are
    dropped. Ids of another form are resumed from the last id, as the SSE
    specification intends.
    """

    def __init__(self, last_event_id: str | None = None, *, start_id: str | None = None) -> None:
        self._start_id = start_id
        self.last_id: str | None = last_event_id or None
        self._last_key: tuple[int, int] | None = None
        self._before_group: str | None = self.last_id
        # The events delivered with the id ``last_id``. An event of a group
        # shares its id, so the whole ServerSentEvent can stand for
        # ``(event, data)`` when members are compared.
        self._group: list[ServerSentEvent] = []
        self._positions: dict[ServerSentEvent, list[int]] | None = None
        self._pos = 0
        self._resumed = False
        self.unidentified = 0
        self.skipped = 0

    def resume_id(self) -> str | None:
        """The ``Last-Event-ID`` to send on the next reconnect."""
        if self.last_id is None:
            return self._start_id
        if _order_key(self.last_id) is None:
            return self.last_id
        return self._before_group or "0"

    def reconnected(self) -> None:
        self._resumed = True
        self._pos = 0
        self._last_key = _order_key(self.last_id)

    def admit(self, event: ServerSentEvent) -> bool:
        """Record ``event``; False if the caller has seen it already."""
        if self._admit(event):
            return True
        self.skipped += 1
        return False

    def _admit(self, event: ServerSentEvent) -> bool:
        event_id = event.id
        if event_id is None:
            self.unidentified += 1
            return True
        if event_id == self.last_id:
            # Another event of the current group (written in the same millisecond).
            return self._admit_member(event)
        key = None
        if self._resumed:
            # Ordering only matters once a resume may have brought events again;
            # until then the ids simply go up.
            key = _order_key(event_id)
            if key is not None and self._last_key is not None:
                if key < self._last_key:
                    return False
                if key == self._last_key:
                    return self._admit_member(event)
        if self.last_id is not None:
            self._before_group = self.last_id
        self.last_id = event_id
        self._last_key = key
        self._group = [event]
        self._positions = None
        self._pos = 1
        return True

    def _admit_member(self, event: ServerSentEvent) -> bool:
        group = self._group
        if self._resumed:
            if self._pos < len(group) and group[self._pos] == event:
                self._pos += 1
                return False
            positions = self._index()
            seen_at = positions.get(event)
            if seen_at:
                # A live repeat of the group restarts at this member.
                self._pos = seen_at[0] + 1
                return False
            positions.setdefault(event, []).append(len(group))
        group.append(event)
        self._pos = len(group)
        return True

    def _index(self) -> dict[ServerSentEvent, list[int]]:
        """Where each member of the current group stands (built only once a resume needs it)."""
        if self._positions is None:
            positions: dict[ServerSentEvent, list[int]] = {}
            for index, member in enumerate(self._group):
                positions.setdefault(member, []).append(index)
            self._positions = positions
        return self._positions


class _Reader:
    """The state of one logical stream across its connections.

    Kept apart from :class:`ReconnectingStream` so that the generator reading
    it holds no reference to the object the caller holds: when the caller
    drops that object (``break`` out of a ``for`` loop), it is freed at once
    and its connection closed, without waiting for the garbage collector.
    """

    def __init__(
        self,
        response: Response,
        *,
        reopen: Reopen | None,
        run_is_active: RunIsActive | None,
        policy: Retry | None,
        last_event_id: str | None,
        replay_from_start: bool,
        max_event_size: int,
        not_resumable_reason: str | None,
        sleep: Callable[[float], None],
    ) -> None:
        self._response: Response | None = response
        self._reopen = reopen
        self._run_is_active = run_is_active
        self._policy = policy if policy is not None else Retry(total=5, backoff_factor=0.25, backoff_max=5.0)
        self.cursor = ResumeCursor(last_event_id, start_id="0" if replay_from_start else None)
        self._max_event_size = max_event_size
        self._not_resumable = not_resumable_reason
        self._sleep = sleep
        self._retry_ms: int | None = None
        self.reconnects = 0
        self.reconnect_causes: list[str] = []
        self.aborted = False

    def _close_response(self) -> None:
        response, self._response = self._response, None
        if response is not None:
            response.close()

    def run(self) -> Generator[StreamPart, None, None]:
        attempts = 0
        try:
            while True:
                decoder = SSEDecoder(max_event_size=self._max_event_size)
                cause: str | None = None
                error: BaseException | None = None
                ended = False
                progressed = False
                try:
                    assert self._response is not None
                    for chunk in self._response.iter_bytes():
                        for event in decoder.feed(chunk):
                            if event.event in ("end", "error"):
                                ended = True
                            if not self.cursor.admit(event):
                                continue
                            progressed = True
                            yield StreamPart(event.event, _decode_data(event), event.id)
                        if decoder.retry is not None:
                            self._retry_ms = decoder.retry
                except StreamDecodeError:
                    raise
                except APIConnectionError as exc:
                    cause, error = exc.message, exc
                finally:
                    self._close_response()
                if self.aborted:
                    return
                if progressed:
                    attempts = 0
                if cause is None:
                    if decoder.in_event:
                        cause = "the stream ended in the middle of an event"
                    elif ended:
                        return
                    else:
                        active = self._run_is_active() if self._run_is_active is not None else None
                        if not active:
                            return
                        cause = "the stream closed while the run was still running"
                attempts += 1
                self._resume(cause, error, attempts)
        finally:
            self._close_response()

    def _resume(self, cause: str, error: BaseException | None, attempts: int) -> None:
        """Open the stream again, or raise a ``StreamError`` saying why not."""
        policy = self._policy
        if self._reopen is None or self._not_resumable:
            reason = self._not_resumable or "the server named no stream to resume from"
            raise StreamError(f"Stream interrupted ({cause}) and cannot be resumed: {reason}") from error
        if self.cursor.unidentified:
            raise StreamError(
                f"Stream interrupted ({cause}) and cannot be resumed without losing events: "
                "the server sent no event ids (create the run with stream_resumable=True)"
            ) from error
        while True:
            if attempts > policy.total:
                raise StreamError(
                    f"Stream interrupted ({cause}); gave up after {policy.total} reconnect attempts"
                ) from error
            delay = self._retry_ms / 1000.0 if self._retry_ms is not None else policy.backoff(attempts)
            self.reconnects += 1
            self.reconnect_causes.append(cause)
            logger.info(
                "lgsync: stream interrupted (%s); reconnect %d in %.2fs from event id %s",
                cause,
                attempts,
                delay,
                self.cursor.resume_id(),
            )
            self._sleep(delay)
            try:
                self._response = self._reopen(self.cursor.resume_id())
            except (APIConnectionError, RateLimitError, InternalServerError) as exc:
                cause, error = exc.message, exc
                attempts += 1
                continue
            except NotFoundError as exc:
                raise StreamError(
                    f"Stream interrupted ({cause}) and cannot be resumed: the server has no stream "
                    "to rejoin (a stateless run, or one that no longer exists)"
                ) from exc
            except APIStatusError:
                raise
            self.cursor.reconnected()
            return


class ReconnectingStream(Iterator[StreamPart]):
    """An iterator of :class:`StreamPart` that resumes after a drop.

    It is also a context manager; leaving the ``with`` block, breaking out of
    the loop and dropping the iterator all close the connection at once
    (which is what makes the server cancel a run joined with
    ``cancel_on_disconnect=True``).

    ``reconnects`` counts the resumes so far and ``reconnect_causes`` says
    why each happened; ``last_event_id`` is the id of the last event
    delivered.

    Example::

        with client.runs.stream(thread_id, "agent", input={...}, stream_resumable=True) as stream:
            for part in stream:
                print(part.event, part.data)
        print(stream.reconnects)
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
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._reader = _Reader(
            response,
            reopen=reopen,
            run_is_active=run_is_active,
            policy=policy,
            last_event_id=last_event_id,
            replay_from_start=replay_from_start,
            max_event_size=max_event_size,
            not_resumable_reason=not_resumable_reason,
            sleep=sleep,
        )
        self._iter = self._reader.run()

    @property
    def reconnects(self) -> int:
        """How many times the stream was resumed."""
        return self._reader.reconnects

    @property
    def reconnect_causes(self) -> list[str]:
        """Why each resume happened, in order."""
        return list(self._reader.reconnect_causes)

    @property
    def last_event_id(self) -> str | None:
        """The id of the last event delivered (``None`` for streams without ids)."""
        return self._reader.cursor.last_id

    @property
    def duplicates_skipped(self) -> int:
        """Events a resume brought again that were not delivered a second time."""
        return self._reader.cursor.skipped

    def __iter__(self) -> ReconnectingStream:
        return self

    def __next__(self) -> StreamPart:
        return next(self._iter)

    def __enter__(self) -> ReconnectingStream:
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
        self._iter.close()
        self._reader._close_response()

    def abort(self) -> None:
        """Close the connection now, even while another thread is blocked reading the stream.

        The blocked read ends at once and the iteration stops without
        resuming (the server sees the client leave, so a run joined with
        ``cancel_on_disconnect=True`` is cancelled). Safe from any thread,
        and idempotent; a web server's disconnect handler is the typical
        caller.

        Example::

            stream = client.runs.join_stream(thread_id, run_id, cancel_on_disconnect=True)
            threading.Timer(5.0, stream.abort).start()   # give up after 5 s
            for part in stream:
                ...
        """
        reader = self._reader
        reader.aborted = True
        response = reader._response
        if response is None:
            return
        abort = getattr(response, "abort", None)
        if callable(abort):
            abort()
        else:
            response.close()


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
