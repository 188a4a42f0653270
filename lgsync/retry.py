"""Retry policy as one immutable value, applied above the transports.

``Retry`` decides whether a failed call may be sent again and how long to
wait; the HTTP layer and the stream reconnection both read from it.
``parse_retry_after`` is the one reader of a server's ``Retry-After``.
"""

from __future__ import annotations

import calendar
import math
import random
import re
import time
from dataclasses import dataclass, field, replace
from email.utils import parsedate_tz

__all__ = ["Retry", "parse_retry_after"]

# RFC 9111 (section 1.2.2) caps delta-seconds that overflow at 2**31; a
# larger delay means "not in this process's lifetime" just as well.
RETRY_AFTER_CEILING = 2.0**31
# RFC 9110 delta-seconds is digits only; a fraction ("0.5") is accepted since
# servers send it and it has one reading. Signs, exponents, nan, inf are not.
_DELTA_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
# The longest HTTP-date form (RFC 850 with a long weekday) is 37 characters.
_LONGEST_DATE = 64


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait as a ``Retry-After`` header says, or ``None`` if it says nothing usable.

    Reads both forms: delta-seconds (``"120"``, also ``"0.5"``) and an
    HTTP-date (``"Wed, 21 Oct 2015 07:28:00 GMT"``, counted from ``now``,
    a ``time.time()`` value, the current time by default; a date in the past
    gives ``0.0``). The answer is finite, at least 0 and at most 2**31.
    Anything else (a negative or signed number, ``nan``, ``inf``, an
    impossible date, garbage) gives ``None``; it never raises.

    Example::

        >>> parse_retry_after("120")
        120.0
        >>> parse_retry_after("Thu, 01 Jan 1970 00:01:00 GMT", now=0.0)
        60.0
        >>> parse_retry_after("Fri, 31 Dec 99999 23:59:59 GMT") is None
        True
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _DELTA_SECONDS.fullmatch(text):
        return min(float(text), RETRY_AFTER_CEILING)
    if not text or len(text) > _LONGEST_DATE:
        return None
    return _seconds_until(text, time.time() if now is None else now)


def _seconds_until(http_date: str, now: float) -> float | None:
    try:
        parts = parsedate_tz(http_date)
        if parts is None:
            return None
        # timegm is plain arithmetic (no platform time_t); it refuses years
        # outside 1..9999 with ValueError or OverflowError.
        when = calendar.timegm(parts[:6]) - (parts[9] or 0)  # HTTP-dates are GMT; a stated zone counts
        seconds = float(when) - float(now)
    except (TypeError, ValueError, OverflowError, IndexError):
        return None
    if not math.isfinite(seconds):
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CEILING)


_IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Retry:
    """How often and how patiently to try again; immutable, like urllib3's `Retry`.

    The same class is the policy of ordinary calls (`retry=`) and of stream
    reconnects (`stream_retry=`).

    Args:
        total: Tries after the first one (0 turns retries off; so does
            `Retry.disabled()`). For streams: reconnect attempts in a row,
            counted again from zero once new events arrive.
        backoff_factor: Wait `backoff_factor * 2**n` seconds before try `n + 1`.
        backoff_max: ... but never longer than this.
        jitter: Plus up to this fraction more, so that many clients do not
            retry in step.
        statuses: Answers worth another try (429 and 5xx by default).
        methods: Methods that are safe to repeat once the request was sent
            (idempotent ones by default; a `POST` that reached the server is
            never sent twice). Any method is retried when the connection failed
            before the request went out, since the server cannot have acted.
        retry_after_max: A `Retry-After` up to this many seconds is waited out;
            a longer one is not waited on at all: the call fails at once with
            the answer's error, whose `retry_after` says when to come back
            (`allows_delay` is that rule).

    Example:
        ```python
        client = lgsync.get_sync_client(
            url="http://127.0.0.1:2024",
            retry=lgsync.Retry(total=5, backoff_max=10),
            stream_retry=lgsync.Retry(total=10, backoff_factor=0.5, backoff_max=5),
        )
        ```
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

    def allows_delay(self, retry_after: float | None) -> bool:
        """Whether a delay the server asked for may be waited out: none given, or at most ``retry_after_max``.

        Example::

            >>> Retry(retry_after_max=30).allows_delay(parse_retry_after("3600"))
            False
        """
        return retry_after is None or retry_after <= self.retry_after_max

    def backoff(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try ``attempt`` (1 for the first retry)."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.retry_after_max)
        delay = min(self.backoff_max, self.backoff_factor * (2.0 ** max(attempt - 1, 0)))
        return delay + random.uniform(0, delay * self.jitter)

    def with_(self, **changes: object) -> Retry:
        """A copy with some settings changed."""
        return replace(self, **changes)  # type: ignore[arg-type]
