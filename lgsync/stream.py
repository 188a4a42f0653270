"""The one stream type: an iterator of a run's parts that resumes after a drop, closes, aborts.

:class:`Stream` is what callers hold: ``runs.stream``, ``runs.join_stream``,
``threads.join_stream`` and ``version="v2"`` streams (a :meth:`Stream.converted`
view). It counts reconnects and duplicates, and closes its connection the
moment the caller stops. How a run's SSE is read, resumed and finished is
:mod:`lgsync._run_stream`; the reconnect engine is :mod:`lgsync.reconnect`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable, Generic, Optional, TypeVar

from lgsync._resume import GROUP_LIMIT, ResumeCursor
from lgsync._run_stream import OnAbandon, Reopen, RunIsActive, RunStream, RunStreamState, read_parts
from lgsync.reconnect import Reconnector
from lgsync.retry import Retry
from lgsync.schema import StreamPart
from lgsync.sse import DEFAULT_MAX_EVENT_SIZE
from lgsync.transport.base import Response

__all__ = ["GROUP_LIMIT", "ReconnectingStream", "ResumeCursor", "Stream"]

T = TypeVar("T")
U = TypeVar("U")


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
        strategy = RunStream(
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
        self._state = RunStreamState(strategy, engine)
        self._state.on_abandon = on_abandon
        self._convert = convert
        self._iter = read_parts(self._state, response)
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

    def __exit__(self, *exc_info: object) -> None:
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
            state.abort_response()
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
        state.abort_response()
        state.abandon()


class ReconnectingStream(Stream[StreamPart]):
    """The :class:`Stream` of :class:`~lgsync.schema.StreamPart` that ``runs.stream`` and ``join_stream`` return."""
