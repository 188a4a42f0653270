"""Timeouts as one immutable value: connect, read, and the stream idle limit.

Build one ``Timeout`` and pass it around. The client picks the limit of each
call (an event stream's ``stream_idle`` travels as ``read``); a transport
reads ``connect`` and ``read`` only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Union

__all__ = ["Timeout", "TimeoutTypes"]


@dataclass(frozen=True)
class Timeout:
    """How long lgsync waits, in seconds; immutable, build it once and share it.

    Args:
        connect: To open a connection (TCP and TLS). Default 5.
        read: The longest silence between two reads of an ordinary answer,
            `runs.wait` and `runs.join` included (they can be long, hence the
            SDK's generous default of 300).
        stream_idle: The longest silence on an event stream (default 20). The
            LangGraph server sends a keep-alive comment every 5 s while a run is
            quiet, so a longer silence means a half-open connection: it is
            dropped and resumed. Only an explicit `Timeout(stream_idle=...)`
            changes it: a number or a `(connect, read)` tuple passed as
            `timeout` leaves it at 20 s, so a short `timeout=3` cannot fail a
            healthy stream whose run is quiet.

    Raises:
        ValueError: A limit that is not a positive number.

    Example:
        ```python
        client = lgsync.get_sync_client(url="http://127.0.0.1:2024", timeout=lgsync.Timeout(connect=2, read=60))
        ```
    """

    connect: float = 5.0
    read: float = 300.0
    stream_idle: float = 20.0

    def __post_init__(self) -> None:
        for name in ("connect", "read", "stream_idle"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"Timeout.{name} must be a positive number of seconds, got {value!r}")

    @classmethod
    def coerce(cls, value: TimeoutTypes | None) -> Timeout:
        """Turn a float, a ``(connect, read)`` tuple or a ``Timeout`` into a ``Timeout``.

        A number sets connect and read, a tuple each of them; the stream idle
        limit keeps its default either way (set it with ``Timeout(stream_idle=...)``).
        """
        if value is None:
            return cls()
        if isinstance(value, Timeout):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            seconds = float(value)
            return cls(connect=seconds, read=seconds)
        if isinstance(value, tuple) and len(value) == 2:
            connect, read = value
            return cls(connect=float(connect), read=float(read))
        raise TypeError(f"timeout must be a number, a (connect, read) tuple or lgsync.Timeout, got {value!r}")

    def with_(self, **changes: float) -> Timeout:
        """A copy with some limits changed."""
        return replace(self, **changes)


TimeoutTypes = Union[float, "tuple[float, float]", Timeout]
