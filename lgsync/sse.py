"""Incremental server-sent events decoding: bytes in, events out.

Follows the WHATWG event-stream rules, works on bytes (a character split
across two reads stays whole), and costs time linear in the bytes received,
also for one very large event: an unfinished line is kept as a list of
pieces and joined once, never re-copied as it grows.
"""

from __future__ import annotations

from typing import Iterator, List, NamedTuple

from lgsync.errors import StreamDecodeError

__all__ = ["DEFAULT_MAX_EVENT_SIZE", "SSEDecoder", "ServerSentEvent"]

DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024
#: What one held line or piece costs beyond its bytes (the bytes object and
#: its slot in a list): an event of many tiny ``data:`` lines counts against
#: ``max_event_size`` by the memory it takes, not only by its data bytes.
LINE_COST = 48

_BOM = b"\xef\xbb\xbf"
_CR = 13
_LF = 10
_COLON = 58
_new_tuple = tuple.__new__
#: Event names seen so far, decoded once (a stream uses a handful).
_EVENT_NAMES: dict[bytes, str] = {}


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


class _EventsThenError(List[ServerSentEvent]):
    """Events completed before a decoding error: iterating yields them, then raises it."""

    def __init__(self, events: list[ServerSentEvent], error: StreamDecodeError) -> None:
        super().__init__(events)
        self.error = error

    def __iter__(self) -> Iterator[ServerSentEvent]:
        yield from list.__iter__(self)
        raise self.error


class SSEDecoder:
    """Feed it bytes as they arrive; it returns the events they complete.

    Example::

        >>> decoder = SSEDecoder()
        >>> decoder.feed(b"event: values\\r\\ndata: {\\"a\\": 1}\\r")
        []
        >>> decoder.feed(b"\\n\\r\\n")
        [ServerSentEvent(event='values', data=b'{"a": 1}', id=None)]

    Beyond the WHATWG rules (decisions recorded in the design): an
    event-only block is dispatched with ``data=None``; an id-only block moves
    :attr:`last_event_id` without dispatching; an empty ``id:`` resets it to
    ``None``; ``retry:`` counts only when it is ASCII digits. An event larger
    than ``max_event_size`` bytes raises :class:`StreamDecodeError` before it
    can exhaust memory.
    """

    __slots__ = (
        "_bom_pending",
        "_data",
        "_event_type",
        "_failed",
        "_has_fields",
        "_max",
        "_partial",
        "_partial_size",
        "_size",
        "_skip_lf",
        "block_id",
        "last_event_id",
        "quiet_blocks",
        "retry",
    )

    def __init__(self, *, last_event_id: str | None = None, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        self.last_event_id: str | None = last_event_id or None
        self.retry: int | None = None
        #: Blocks that dispatched no event (a heartbeat comment, an id-only
        #: block): a sign of life.
        self.quiet_blocks = 0
        #: The event id in force when the last complete block (event or quiet) ended.
        self.block_id: str | None = self.last_event_id
        self._max = max_event_size
        self._bom_pending: bytes | None = b""
        self._partial: list[bytes] = []
        self._partial_size = 0
        self._skip_lf = False
        self._event_type: str | None = None
        self._data: list[bytes] = []
        self._size = 0
        self._has_fields = False
        self._failed: StreamDecodeError | None = None

    @property
    def in_event(self) -> bool:
        """Whether an event has begun and not been completed by a blank line.

        True when the connection ends here would cut an event; a comment or
        an id-only block that was cut loses nothing and does not count.
        """
        if self._data or self._event_type is not None:
            return True
        if self._partial:
            return self._partial[0][:1] != b":"
        return False

    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """Decode ``chunk`` and return the events it completes, in order.

        If the chunk also begins an event over ``max_event_size``, the events
        it completed before that one are still delivered: the returned list
        raises :class:`StreamDecodeError` when iterated past them, and so does
        every later call.
        """
        if self._failed is not None:
            raise self._failed
        if not chunk:
            return []
        events: list[ServerSentEvent] = []
        try:
            self._feed(chunk, events)
        except StreamDecodeError as exc:
            self._failed = exc
            if events:
                return _EventsThenError(events, exc)
            raise
        return events

    def _feed(self, chunk: bytes, events: list[ServerSentEvent]) -> None:
        if self._bom_pending is not None:
            chunk = self._strip_bom(chunk)
            if not chunk:
                return
        if self._skip_lf:
            self._skip_lf = False
            if chunk[0] == _LF:
                chunk = chunk[1:]
                if not chunk:
                    return
        if self._partial and b"\n" not in chunk and b"\r" not in chunk:
            self._partial.append(chunk)
            self._partial_size += len(chunk) + LINE_COST
            self._check_size(self._partial_size)
            return
        if not chunk.count(b"\r\n") == chunk.count(b"\r") == chunk.count(b"\n"):
            self._feed_lines(chunk, events)
            return

        # Every line end is CRLF, as the LangGraph server writes them: finish
        # the event in progress, then cut the rest into whole events in C.
        if self._partial or self._data or self._event_type is not None:
            end = 2 if not self._partial and chunk.startswith(b"\r\n") else chunk.find(b"\r\n\r\n") + 4
            if end < 4 and end != 2:
                self._feed_lines(chunk, events)
                return
            self._feed_lines(chunk[:end], events)
            chunk = chunk[end:]
        blocks = chunk.split(b"\r\n\r\n")
        rest = blocks.pop()
        if blocks:
            self._crlf_blocks(blocks, events)
        if rest:
            self._feed_lines(rest, events)

    def _feed_lines(self, chunk: bytes, events: list[ServerSentEvent]) -> None:
        """The general rules: any line ends, a line cut across chunks."""
        last = chunk[-1]
        self._skip_lf = last == _CR
        lines = chunk.splitlines()
        tail = None if last == _LF or last == _CR else lines.pop()
        if self._partial:
            # The chunk holds a line end, so lines[0] finishes the partial line.
            self._partial.append(lines[0])
            self._process_long_line()
            del lines[0]
        if lines:
            self._process_lines(lines, events)
        if tail is not None:
            self._partial = [tail]
            self._partial_size = len(tail)
            self._check_size(self._partial_size + self._size)

    def _crlf_blocks(self, blocks: list[bytes], events: list[ServerSentEvent]) -> None:
        """Decode whole events whose line ends are all CRLF.

        Blocks of the server's exact form (``event``, one ``data``, an
        optional ``id``) are decoded here; any other block goes through the
        general rules, which give the same result for the exact form.
        """
        append = events.append
        names = _EVENT_NAMES
        limit = self._max + 5
        last_id = self.last_event_id
        for block in blocks:
            lines = block.split(b"\r\n")
            count = len(lines)
            if (
                (count == 3 or count == 2)
                and lines[0].startswith(b"event: ")
                and lines[1].startswith(b"data: ")
                and (count == 2 or (lines[2].startswith(b"id: ") and b"\0" not in lines[2]))
            ):
                line = lines[1]
                if len(line) > limit:
                    self._check_size(len(line) - 5)
                raw_name = lines[0][7:]
                name = names.get(raw_name)
                if name is None:
                    name = raw_name.decode("utf-8", errors="replace")
                    if len(names) < 64:
                        names[raw_name] = name
                if count == 3:
                    last_id = lines[2][4:].decode("utf-8", errors="replace") or None
                append(_new_tuple(ServerSentEvent, (name or "message", line[6:], last_id)))
            elif block:
                self.last_event_id = last_id
                lines.append(b"")
                self._process_lines(lines, events)
                last_id = self.last_event_id
        self.last_event_id = last_id
        self.block_id = last_id

    def _process_lines(self, lines: list[bytes], events: list[ServerSentEvent]) -> None:
        # The hot loop: state lives in locals, the usual fields are matched by
        # prefix, and the rest goes through the general rules below.
        data = self._data
        event_type = self._event_type
        size = self._size
        limit = self._max
        last_id = self.last_event_id
        names = _EVENT_NAMES
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
                if b"\0" not in value:
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

    def _strip_bom(self, chunk: bytes) -> bytes:
        seen = (self._bom_pending or b"") + chunk
        if len(seen) < len(_BOM) and _BOM.startswith(seen):
            self._bom_pending = seen
            return b""
        self._bom_pending = None
        return seen[len(_BOM) :] if seen.startswith(_BOM) else seen

    def _process_long_line(self) -> None:
        pieces = self._partial
        self._partial = []
        self._partial_size = 0
        first = pieces[0]
        if first.startswith(b"data:") and len(pieces) > 1:
            # Strip the field name before the one join, so a 16 MB data line
            # is copied once, not twice.
            head = first[6:] if first[5:6] == b" " else first[5:]
            if len(first) == 5 and pieces[1][:1] == b" ":
                pieces[1] = pieces[1][1:]
            pieces[0] = head
            value = b"".join(pieces)
            self._size += len(value)
            self._check_size(self._size)
            self._data.append(value)
            return
        line = b"".join(pieces)
        if line:  # never blank (a blank line is never partial), so nothing is dispatched
            self._process_lines([line], [])

    def _dispatch(self) -> ServerSentEvent | None:
        data = self._data
        event_type = self._event_type
        self._event_type = None
        self._size = 0
        if not data:
            if event_type is None:
                return None
            return ServerSentEvent(event_type, None, self.last_event_id)
        self._data = []
        joined = data[0] if len(data) == 1 else b"\n".join(data)
        return ServerSentEvent(event_type or "message", joined, self.last_event_id)

    def _check_size(self, size: int) -> None:
        if size > self._max:
            raise StreamDecodeError(
                f"An event exceeded the limit of {self._max} bytes (raise max_event_size if such events are expected)"
            )
