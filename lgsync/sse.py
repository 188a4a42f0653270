"""Incremental server-sent events decoding: bytes in, events out.

Follows the WHATWG event-stream rules, works on bytes (a character split
across two reads stays whole), and costs time linear in the bytes received,
also for one very large event: an unfinished line is kept as a list of
pieces and joined once, never re-copied as it grows. This module cuts bytes
into lines (BOM, CR / LF / CRLF across reads, the CRLF fast path); the field
rules that turn lines into events are :mod:`lgsync._sse_fields`.
"""

from __future__ import annotations

from typing import Iterator, List

from lgsync._sse_fields import EVENT_NAMES, LINE_COST, LineDecoder, ServerSentEvent
from lgsync.errors import StreamDecodeError

__all__ = ["DEFAULT_MAX_EVENT_SIZE", "SSEDecoder", "ServerSentEvent"]

DEFAULT_MAX_EVENT_SIZE = 64 * 1024 * 1024
# Its public home, as before the field rules had a module of their own: pickles and reprs name it here.
ServerSentEvent.__module__ = __name__

_BOM = b"\xef\xbb\xbf"
_CR = 13
_LF = 10
_new_tuple = tuple.__new__


class _EventsThenError(List[ServerSentEvent]):
    """Events completed before a decoding error: iterating yields them, then raises it."""

    def __init__(self, events: list[ServerSentEvent], error: StreamDecodeError) -> None:
        super().__init__(events)
        self.error = error

    def __iter__(self) -> Iterator[ServerSentEvent]:
        yield from list.__iter__(self)
        raise self.error


class SSEDecoder(LineDecoder):
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

    __slots__ = ("_bom_pending", "_failed", "_partial", "_partial_size", "_skip_lf")

    def __init__(self, *, last_event_id: str | None = None, max_event_size: int = DEFAULT_MAX_EVENT_SIZE) -> None:
        super().__init__(last_event_id=last_event_id, max_event_size=max_event_size)
        self._bom_pending: bytes | None = b""
        self._partial: list[bytes] = []
        self._partial_size = 0
        self._skip_lf = False
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
        # Every line end is CRLF exactly when nothing of CR or LF is left once
        # the CRLF pairs are taken out (one pass and two memchr scans, not three counts).
        lone = chunk.replace(b"\r\n", b"")
        if b"\r" in lone or b"\n" in lone:
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
        names = EVENT_NAMES
        limit = self._max + 5
        last_id = self.last_event_id
        for block in blocks:
            lines = block.split(b"\r\n")
            count = len(lines)
            if (
                (count == 3 or count == 2)
                and lines[0].startswith(b"event: ")
                and lines[1].startswith(b"data: ")
                and (count == 2 or (lines[2].startswith(b"id: ") and 0 not in lines[2]))
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
