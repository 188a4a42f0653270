"""Retry policy as one immutable value, applied above the transports.

``Retry`` decides whether a failed call may be sent again and how long to
wait; the HTTP layer and the stream reconnection both read from it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

__all__ = ["Retry"]

_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Retry:
    """How often and how patiently to try again.

    - ``total``: tries after the first one (0 turns retries off).
    - ``backoff_factor`` / ``backoff_max``: wait ``factor * 2**n`` seconds
      before try ``n + 1``, at most ``backoff_max``, plus up to ``jitter``
      (a fraction) more, so that many clients do not retry in step.
    - ``statuses``: answers worth another try; ``Retry-After`` on them is
      honoured up to ``retry_after_max`` seconds.
    - ``methods``: methods that are safe to repeat once the request was sent.
      Any method is retried when the connection failed before the request
      went out, since the server cannot have acted on it.

    Example::

        client = lgsync.get_sync_client(retry=lgsync.Retry(total=5, backoff_max=10))
    """

    total: int = 3
    backoff_factor: float = 0.25
    backoff_max: float = 8.0
    jitter: float = 0.25
    statuses: frozenset[int] = field(default=_RETRY_STATUSES)
    methods: frozenset[str] = field(default=_IDEMPOTENT)
    retry_after_max: float = 30.0

    def __post_init__(self) -> None:
        if self.total < 0:
            raise ValueError("Retry.total must be 0 or more")
        if self.backoff_factor < 0 or self.backoff_max < 0 or self.jitter < 0:
            raise ValueError("Retry backoff settings must not be negative")

    @classmethod
    def disabled(cls) -> Retry:
        """A policy that never retries."""
        return cls(total=0)

    def allows_method(self, method: str) -> bool:
        return method.upper() in self.methods

    def allows_status(self, status_code: int) -> bool:
        return status_code in self.statuses

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try ``attempt`` (1 for the first retry)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_max)
        delay = min(self.backoff_max, self.backoff_factor * (2.0 ** max(attempt - 1, 0)))
        return delay + random.uniform(0, delay * self.jitter)

    def with_(self, **changes: object) -> Retry:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
