"""How a thread's event stream is read and reopened: the body a subscription asks for, and the reconnect engine's strategy."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any

from lgsync.errors import APIConnectionError, APIError, NotFoundError, RunFailedError
from lgsync.reconnect import Reconnector
from lgsync.resources.thread_stream._protocol import (
    TERMINAL_PHASES,
    is_error_frame,
    lifecycle_phase,
    lifecycle_run_id,
    matches,
    protocol_error,
    seq_of,
)
from lgsync.stream import ReconnectingStream

if TYPE_CHECKING:
    from lgsync.resources.thread_stream._session import ThreadStream

__all__ = ["ThreadEvents", "read_events", "subscription"]

#: Why the per-connection stream is not resumed by itself: this strategy resumes it.
NOT_RESUMABLE = "a thread's event stream resumes from the cursor in its request body"


class ThreadEvents:
    """The strategy of a thread's event stream (``POST .../stream/events``), for the reconnect engine.

    - Each connection carries ``since`` in its body: the last ``seq`` seen, or
      at first the ``applied_through_seq`` the last command answered. Events
      seen already (by ``event_id``) are skipped, so nothing is lost or
      repeated across connections.
    - The server replays the thread's history: from a lifecycle event of
      another run until this run's own, events are skipped. Events before any
      lifecycle event are delivered. After ``run.respond`` whose run is not
      known yet, the run followed is the first one that starts after the
      interrupted run.
    - The stream is finished at the run's root lifecycle
      ``completed``/``failed``/``interrupted`` (or the end of ``scope``'s
      lifecycle); a connection that breaks or closes before that is reopened.
      A 404 before any event (the thread's stream not there yet, right after
      ``run.start``) counts as a failed reopen. Once the budget is spent,
      :class:`RunFailedError` (a ``RuntimeError``) is raised.
    - An error frame from the server (``{"type": "error", "id": null}``) fails
      the run with :class:`~lgsync.errors.ProtocolError`
      (``Protocol error [<code>]: <message>``), which is raised.
    """

    def __init__(
        self,
        session: ThreadStream,
        body: dict[str, Any],
        *,
        run_id: str | None,
        wanted: tuple[list[str], list[list[str]] | None, int | None] | None,
        scope: list[str] | None,
    ) -> None:
        self._session = session
        self._body = body
        self.run_id = run_id
        self._wanted = wanted
        self._scope = scope
        self.since: int | None = session._followed.applied_seq
        # Following "the run after ``previous``" (a resume): adopt the first other run after it.
        self._previous = session._followed.previous_run_id if run_id is None else None
        self._passed_previous = bool(self.since)  # a cursor past the history starts after ``previous`` already
        self._other_run = False
        self._seen: set[str] = set()
        self._progress = False
        self._done = False

    def reopen(self) -> ReconnectingStream:
        session = self._session
        request = dict(self._body) if self.since is None else {**self._body, "since": self.since}
        try:
            stream = session._http.stream(
                f"{session._path}/stream/events",
                "POST",
                json=request,
                headers=session._headers or None,
                not_resumable_reason=NOT_RESUMABLE,
            )
        except NotFoundError as exc:
            if self._seen:
                raise
            raise APIConnectionError(f"the thread's event stream is not there yet ({exc.message})") from exc
        with session._lock:
            if session._closed:
                stream.close()
                return stream
            session._open_streams.add(stream)
        return stream

    def read(self, stream: ReconnectingStream) -> Iterator[dict[str, Any]]:
        session = self._session
        run_id = self.run_id
        wanted = self._wanted
        scope = self._scope
        self._progress = False
        for part in stream:
            event = part.data
            if not isinstance(event, dict):
                continue
            if is_error_frame(event):
                error = protocol_error(event)
                session._followed.fail(run_id, error)
                raise error
            if event.get("type") == "error":
                continue
            seq = seq_of(event)
            if seq is not None and (self.since is None or seq > self.since):
                self.since = seq
            event_id = event.get("event_id")
            if isinstance(event_id, str):
                if event_id in self._seen:
                    continue
                self._seen.add(event_id)
            self._progress = True
            phase = lifecycle_phase(event)
            owner = lifecycle_run_id(event) if phase is not None else None
            if owner is not None and run_id is None and self._previous is not None:
                if owner == self._previous:
                    self._passed_previous = True
                elif self._passed_previous:
                    run_id = self.run_id = owner
                    session._followed.adopt(owner, self._previous)
                self._other_run = run_id is None
            if owner is not None and run_id is not None:
                self._other_run = owner != run_id
            if self._other_run:
                continue
            session._followed.observe(event, run_id)
            if wanted is None or matches(event, *wanted):
                yield event
            if phase in TERMINAL_PHASES or (scope and lifecycle_phase(event, scope) in TERMINAL_PHASES):
                self._done = True
                return

    def discard(self, stream: ReconnectingStream) -> None:
        stream.close()
        with self._session._lock:
            self._session._open_streams.discard(stream)

    def finished(self) -> bool:
        return self._done or self._session._closed

    def progressed(self) -> bool:
        return self._progress

    def closed_early(self) -> str | None:
        return "the thread's event stream closed before the run ended"

    def check_resumable(self, cause: APIError) -> None:
        pass  # always: the cursor travels in the request body

    def server_delay(self) -> float | None:
        return None

    def exhausted(self, cause: APIError, attempts: int) -> BaseException:
        error = RunFailedError(
            f"Lifecycle transport failed: the thread's event stream for run {self.run_id} could not be "
            f"resumed after {attempts} attempts ({cause.message})"
        )
        error.__cause__ = cause
        return error


def subscription(channels: list[str], namespaces: list[list[str]] | None, depth: int | None) -> dict[str, Any]:
    """The request body of a subscription to ``channels`` (below ``namespaces``, ``depth`` levels down at most)."""
    # The root lifecycle and input events say where the run ends and what it
    # waits for: ask for them whatever the filter, and deliver only what was asked.
    extra = [name for name in ("lifecycle", "input") if name not in channels]
    body: dict[str, Any] = {"channels": [*channels, *extra]}
    if namespaces:
        body["namespaces"] = namespaces if [] in namespaces else [*namespaces, []]
    if depth is not None:
        body["depth"] = depth
    return body


def read_events(
    session: ThreadStream,
    body: dict[str, Any],
    *,
    run_id: str | None,
    wanted: tuple[list[str], list[list[str]] | None, int | None] | None = None,
    scope: list[str] | None = None,
) -> Generator[dict[str, Any], None, None]:
    """Read the thread's events for run ``run_id`` until it ends, across as many connections as it takes.

    The connections go through the one reconnect engine
    (:class:`lgsync.reconnect.Reconnector`: budget, backoff, caps, and a
    stop when the session closes); `ThreadEvents` says how a thread's event
    stream is read and reopened.
    """
    strategy = ThreadEvents(session, body, run_id=run_id, wanted=wanted, scope=scope)
    engine: Reconnector[ReconnectingStream, dict[str, Any]] = Reconnector(
        session._http.stream_retry,
        sleep=session._http.sleep,
        name=f"thread {session.thread_id} event stream",
        stop=session._stopped,
    )
    yield from engine.run(strategy)
