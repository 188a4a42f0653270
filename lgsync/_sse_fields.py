"""The event-stream field rules: complete lines in, events out, each event's size bounded.

:class:`LineDecoder` reads the fields of SSE lines (``data``, ``event``,
``id``, ``retry``, comments) the WHATWG way and dispatches an event at each
blank line. Cutting bytes into lines, across reads, is :mod:`lgsync.sse`.
"""

from __future__ import annotations

from typing import NamedTuple

from lgsync.errors import StreamDecodeError

__all__ = ["EVENT_NAMES", "LINE_COST", "LineDecoder", "ServerSentEvent"]

#: What one held line or piece costs beyond its bytes (the bytes object and
#: its slot in a list): an event of many tiny ``data:`` lines counts against
#: ``max_event_size`` by the memory it takes, not only by its data bytes.
LINE_COST = 48
#: Event names seen so far, decoded once (a stream uses a handful).
EVENT_NAMES: dict[bytes, str] = {}

_COLON = 58
_new_tuple = tuple.__new__


class ServerSentEvent(NamedTuple):
    """One dispatched event.

    ``data`` is the raw data (lines joined with ``\\n``), or ``None`` for a
    block with an ``event`` field and no ``data`` field. ``id`` is the last
    event id in force when the event was dispatched (``None`` if unset or
    reset by an empty ``id:``).
    """

    event: str
    data: bytes | None
    id: str | None


class LineDecoder:
    """The state of the event being assembled, and the rules that fill it from whole lines.

    Example::

        >>> decoder = LineDecoder(last_event_id=None, max_event_size=1024)
        >>> events = []
        >>> decoder._process_lines([b"event: values", b'data: {"a": 1}', b""], events)
        >>> events
        [ServerSentEvent(event='values', data=b'{"a": 1}', id=None)]
    """

    __slots__ = ("_data", "_event_type", "_max", "_size", "block_id", "last_event_id", "quiet_blocks", "retry")

    def __init__(self, *, last_event_id: str | None, max_event_size: int) -> None:
        self.last_event_id: str | None = last_event_id or None
        self.retry: int | None = None
        #: Blocks that dispatched no event (a heartbeat comment, an id-only
        #: block): a sign of life.
        self.quiet_blocks = 0
        #: The event id in force when the last complete block (event or quiet) ended.
        self.block_id: str | None = self.last_event_id
        self._max = max_event_size
        self._event_type: str | None = None
        self._data: list[bytes] = []
        self._size = 0

    def _process_lines(self, lines: list[bytes], events: list[ServerSentEvent]) -> None:
        # The hot loop: state lives in locals, the usual fields are matched by
        # prefix, and the rest goes through the general rules below.
        data = self._data
        event_type = self._event_type
        size = self._size
        limit = self._max
        last_id = self.last_event_id
        names = EVENT_NAMES
        for line in lines:
            if not line:
                if data:
                    joined = data[0] if len(data) == 1 else b"\n".join(data)
                    events.append(_new_tuple(ServerSentEvent, (event_type or "message", joined, last_id)))
                    data = []
                elif event_type is not None:
                    events.append(_new_tuple(ServerSentEvent, (event_type, None, last_id)))
                else:
                    self.quiet_blocks += 1
                self.block_id = last_id
                event_type = None
                size = 0
                continue
            if line.startswith(b"data:"):
                value = line[6:] if line.startswith(b"data: ") else line[5:]
            elif line.startswith(b"event:"):
                value = line[7:] if line.startswith(b"event: ") else line[6:]
                name = names.get(value)
                if name is None:
                    name = value.decode("utf-8", errors="replace")
                    if len(names) < 64:
                        names[value] = name
                event_type = name
                continue
            elif line.startswith(b"id:"):
                value = line[4:] if line.startswith(b"id: ") else line[3:]
                # NUL as an int: with b"\0", CPython first tries the bytes as an int and drops a TypeError.
                if 0 not in value:
                    last_id = value.decode("utf-8", errors="replace") or None
                continue
            elif line[0] == _COLON:
                continue
            else:
                colon = line.find(b":")
                if colon < 0:
                    field, value = line, b""
                else:
                    field = line[:colon]
                    value = line[colon + 1 :]
                    if value[:1] == b" ":
                        value = value[1:]
                if field == b"retry":
                    if value.isdigit():
                        self.retry = int(value)
                    continue
                if field == b"event" or field == b"id":
                    # Only a field without a colon gets here: its value is empty.
                    if field == b"event":
                        event_type = ""
                    else:
                        last_id = None
                    continue
                if field != b"data":
                    continue
            size += len(value) + LINE_COST
            if size > limit:
                self._check_size(size)
            data.append(value)
        self._data = data
        self._event_type = event_type
        self._size = size
        self.last_event_id = last_id

    def _check_size(self, size: int) -> None:
        if size > self._max:
            raise StreamDecodeError(
                f"An event exceeded the limit of {self._max} bytes (raise max_event_size if such events are expected)"
            )
