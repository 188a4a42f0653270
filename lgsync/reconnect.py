"""The one reconnect engine: every stream that resumes after a drop goes through it.

:class:`Reconnector` owns what must hold on every path: the attempt budget,
the backoff (with the caller's injected sleep), the cap on server-given
delays, and stopping at any moment. What differs between a run stream, the
rejoin of ``runs.wait`` and a thread's event stream is a small
:class:`Strategy`: how to read one connection, how to open the next one,
and when the logical stream is finished.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator, Iterator
from typing import Callable, Generic, Optional, Protocol, TypeVar

from lgsync.errors import APIConnectionError, APIError, APIStatusError
from lgsync.retry import Retry

__all__ = ["DEFAULT_STREAM_RETRY", "Reconnector", "Strategy"]

logger = logging.getLogger("lgsync.stream")

#: The reconnect policy of streams and rejoins unless the client sets ``stream_retry``.
DEFAULT_STREAM_RETRY = Retry(total=5, backoff_factor=0.25, backoff_max=5.0)

#: Statuses a reopen may meet and try again after (the server restarting or busy).
_REOPEN_STATUSES = frozenset({429, 500, 502, 503, 504})

C = TypeVar("C")
T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Strategy(Protocol[C, T_co]):
    """What one kind of resumable stream does; the :class:`Reconnector` does the rest.

    ``C`` is a connection (usually a transport ``Response``), ``T`` what the
    stream yields.
    """

    def read(self, connection: C) -> Iterator[T_co]:
        """Yield what ``connection`` carries; raise ``APIConnectionError`` if it breaks."""
        ...

    def discard(self, connection: C) -> None:
        """Close ``connection`` (idempotent; also called after an ordinary end)."""
        ...

    def finished(self) -> bool:
        """True once the logical stream is complete: nothing after this is an error."""
        ...

    def progressed(self) -> bool:
        """Whether the last connection delivered anything new (resets the attempt count)."""
        ...

    def closed_early(self) -> str | None:
        """After a clean close that did not finish the stream: why to resume, or ``None`` to stop."""
        ...

    def check_resumable(self, cause: APIError) -> None:
        """Raise the error that says why this stream cannot be resumed, if it cannot."""
        ...

    def reopen(self) -> C:
        """Open the next connection (raises lgsync errors)."""
        ...

    def server_delay(self) -> float | None:
        """A delay the server asked for between connections (SSE ``retry:``), in seconds."""
        ...

    def exhausted(self, cause: APIError, attempts: int) -> BaseException:
        """The error to raise once ``attempts`` reconnects in a row have failed."""
        ...


class Reconnector(Generic[C, T]):
    """Reads a stream through its :class:`Strategy`, reconnecting as the policy allows.

    - The budget is ``policy.total`` reconnect attempts in a row: a failed
      reopen and a connection that breaks before delivering anything new
      both count; any new item resets the count.
    - Between attempts it waits ``policy.backoff(n)``. A delay the server
      asks for (SSE ``retry:``, ``Retry-After``) can lengthen that wait up to
      ``policy.backoff_max``, never shorten it; a ``Retry-After`` longer than
      ``policy.retry_after_max`` is not waited on: its error is raised.
    - :meth:`stop` (from any thread) ends the stream at once, also while
      it waits between two connections: no request is sent after it.

    Example::

        engine = Reconnector(Retry(total=5))
        for item in engine.run(strategy, first_connection):
            ...
    """

    def __init__(
        self,
        policy: Retry | None = None,
        *,
        sleep: Callable[[float], None] | None = None,
        name: str = "stream",
        stop: threading.Event | None = None,
    ) -> None:
        self.policy = policy if policy is not None else DEFAULT_STREAM_RETRY
        self._sleep = sleep
        # Shared with an owner that stops several streams at once (a thread-stream session).
        self._stop = stop if stop is not None else threading.Event()
        self._name = name
        self.attempts = 0
        self.reconnects = 0
        self.causes: list[str] = []

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def stop(self) -> None:
        """End the stream at the next step, and any wait between connections now."""
        self._stop.set()

    def run(self, strategy: Strategy[C, T], connection: C | None = None) -> Generator[T, None, None]:
        """Yield everything the stream carries, across as many connections as it takes.

        Without a first ``connection``, the stream is opened through
        ``strategy.reopen()``, and a first open that fails is tried again by
        the same rules as a reconnect.
        """
        current: Optional[C] = connection
        if current is None:
            current = self._open(strategy)
        try:
            while current is not None:
                cause: APIError | None = None
                try:
                    yield from strategy.read(current)
                except APIConnectionError as exc:
                    cause = exc
                finally:
                    strategy.discard(current)
                    current = None
                if self.stopped or strategy.finished():
                    return
                if strategy.progressed():
                    self.attempts = 0
                if cause is None:
                    reason = strategy.closed_early()
                    if reason is None:
                        return
                    cause = APIConnectionError(reason)
                strategy.check_resumable(cause)
                current = self._reconnect(strategy, cause)
        finally:
            if current is not None:
                strategy.discard(current)

    def _open(self, strategy: Strategy[C, T]) -> C | None:
        """The first connection: at once, and then, if it fails, as a reconnect."""
        if self.stopped:
            return None
        connection, failure = self._try_reopen(strategy)
        if failure is not None:
            return self._reconnect(strategy, failure)
        return connection

    def _try_reopen(self, strategy: Strategy[C, T]) -> tuple[C | None, APIError | None]:
        """One reopen: the connection (``None`` if stopped meanwhile), or the error to try again after."""
        try:
            connection = strategy.reopen()
        except APIError as exc:
            if not self._retryable(exc):
                raise
            return None, exc
        if self.stopped:
            strategy.discard(connection)
            return None, None
        return connection, None

    def _retryable(self, exc: APIError) -> bool:
        """Whether a failed open may be tried again (its own wait, if any, within the cap)."""
        if isinstance(exc, APIConnectionError):
            return True
        if isinstance(exc, APIStatusError) and exc.status_code in _REOPEN_STATUSES:
            return self.policy.allows_delay(exc.retry_after)
        return False

    def _reconnect(self, strategy: Strategy[C, T], cause: APIError) -> C | None:
        """The next connection, or ``None`` if the stream was stopped meanwhile."""
        server_delay = strategy.server_delay()
        while True:
            self.attempts += 1
            if self.attempts > self.policy.total:
                raise strategy.exhausted(cause, self.attempts - 1)
            delay = self._delay(server_delay)
            self.reconnects += 1
            self.causes.append(cause.message)
            logger.info(
                "lgsync: %s interrupted (%s); reconnect attempt %d of %d in %.2fs",
                self._name,
                cause.message,
                self.attempts,
                self.policy.total,
                delay,
            )
            if not self._wait(delay):
                return None
            connection, failure = self._try_reopen(strategy)
            if failure is None:
                return connection
            retry_after = failure.retry_after if isinstance(failure, APIStatusError) else None
            cause, server_delay = failure, retry_after if retry_after is not None else strategy.server_delay()

    def _delay(self, server_delay: float | None) -> float:
        delay = self.policy.backoff(self.attempts)
        if server_delay is not None and server_delay > delay:
            delay = min(server_delay, max(self.policy.backoff_max, delay))
        return delay

    def _wait(self, seconds: float) -> bool:
        """Wait ``seconds`` unless stopped; False if the stream was stopped."""
        if self.stopped:
            return False
        if self._sleep is None:
            return not self._stop.wait(seconds)
        self._sleep(seconds)
        return not self.stopped
