"""De-chunking an HTTP/1.1 body straight from the socket's buffer: every chunk waiting in one read.

http.client returns one chunk per read; a burst of small events (one chunk
each) reaches the caller faster when a read frames all the chunks it holds.
Used only on an untouched ``http.client.HTTPResponse`` (``can_dechunk``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lgsync.transport._errors import IncompleteBody

if TYPE_CHECKING:  # http.client is imported by urllib3 when a transport is used
    import http.client

__all__ = ["Dechunker", "can_dechunk"]


def can_dechunk(response: Any) -> bool:
    """Whether ``response`` is an untouched chunked ``http.client.HTTPResponse`` with the internals the dechunker uses."""
    import http.client

    return (
        isinstance(response, http.client.HTTPResponse)
        and bool(response.chunked)
        and getattr(response, "chunk_left", 0) is None
        and callable(getattr(response, "_close_conn", None))
        and response.fp is not None
        and hasattr(response.fp, "read1")
    )


def _is_last_chunk(line: bytes) -> bool:
    try:
        return bool(line) and int(line.split(b";", 1)[0], 16) == 0
    except ValueError:
        return False


class Dechunker:
    """Reads a chunked body straight from the socket's buffer: each read returns every chunk available.

    Malformed framing or an early end raise ``IncompleteBody``, where
    http.client raises its ``IncompleteRead``; at the end the response is closed the way
    http.client closes it, so the connection can go back to the pool.

    It earns its place on a burst (20k small events waiting in the socket:
    about 1.5x the events per second of http.client's one-chunk-per-read,
    ``python -m benchmarks.dechunk``) and costs nothing measurable on paced
    events. ``tests/contract/test_dechunk_fuzz.py`` holds it to http.client's
    de-chunking, cut at every byte, on every interpreter of the tox matrix;
    it touches ``chunk_left`` and ``_close_conn`` only, and ``can_dechunk``
    falls back to http.client's reading where either is missing.
    """

    __slots__ = ("_buf", "_done", "_error", "_left", "_response", "_sock_read1")

    _MAX_LINE = 64 * 1024

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self._response = response
        self._sock_read1 = response.fp.read1
        self._buf = b""
        #: Bytes of chunk data still to come; -1 while a size line is expected,
        #: -2 while the CRLF after a chunk is, -3 in the trailer.
        self._left = -1
        self._done = False
        self._error: IncompleteBody | None = None

    def read1(self, size: int) -> bytes:
        if self._error is not None:
            raise self._error
        if self._done:
            return b""
        while True:
            data = self._sock_read1(size)
            if not data:
                if self._left == -3 or (self._left == -1 and _is_last_chunk(self._buf)):
                    # http.client too takes the end of the connection as the end
                    # of a last-chunk line or of the trailer.
                    self._finish()
                    return b""
                raise IncompleteBody()
            if self._buf:
                data = self._buf + data
                self._buf = b""
            pieces: list[bytes] = []
            try:
                out = self._frame(data, pieces)
            except IncompleteBody as exc:
                # Hand over the chunks framed before the bad one; fail on the next read.
                if not pieces:
                    raise
                self._error = exc
                return b"".join(pieces)
            if out or self._done:
                return out

    def _frame(self, data: bytes, pieces: list[bytes]) -> bytes:
        pos = 0
        end = len(data)
        left = self._left
        while pos < end:
            if left > 0:
                take = min(left, end - pos)
                pieces.append(data if take == end else data[pos : pos + take])
                pos += take
                left -= take
                if left == 0:
                    left = -2
                continue
            if left == -2:
                if end - pos < 2:
                    break
                if data[pos : pos + 2] != b"\r\n":
                    raise IncompleteBody()
                pos += 2
                left = -1
                continue
            eol = data.find(b"\n", pos)
            if eol < 0:
                break
            line = data[pos:eol]
            pos = eol + 1
            if left == -3:  # the trailer ends with an empty line
                if not line.strip():
                    self._finish()
                    return b"".join(pieces)
                continue
            try:
                left = int(line.split(b";", 1)[0], 16)
            except ValueError:
                raise IncompleteBody() from None
            if left < 0:
                raise IncompleteBody()
            if left == 0:
                left = -3
        rest = data[pos:]
        if len(rest) > self._MAX_LINE and left < 0:
            raise IncompleteBody()
        self._buf = rest
        self._left = left
        return b"".join(pieces) if len(pieces) != 1 else pieces[0]

    def _finish(self) -> None:
        self._done = True
        self._left = 0
        response = self._response
        response.chunk_left = 0
        response._close_conn()  # type: ignore[attr-defined]  # as http.client does after the last chunk
