"""Reading a urllib3 response body the same way on urllib3 1.26 and 2.x.

Both transports end in a ``urllib3.HTTPResponse``. Streams are read with the
standard library's ``read1``, which returns whatever the socket has (one chunk
of a chunked body, or what arrived of a close-delimited one) instead of
waiting for a fixed amount: events reach the caller the moment they arrive.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable, cast

from lgsync._urls import redact_url
from lgsync.errors import APIConnectionError, APIError, StreamDecodeError
from lgsync.transport._errors import IncompleteBody, close_quietly, map_read_error
from lgsync.transport.base import Headers

if TYPE_CHECKING:  # http.client (and ssl with it) is imported by urllib3 when a transport is used
    import http.client
    import socket

__all__ = [
    "Preloaded",
    "Urllib3Body",
    "content_decoder",
    "map_read_error",
    "redact_url",
]

#: The most one read asks of the socket's buffer. ``BufferedReader.read1(n)``
#: allocates ``n`` bytes before it reads: at 256 KB that allocation (past the
#: C library's mmap threshold) cost ~17 us a read, which paced streams pay
#: per event; 64 KB still takes a burst's waiting chunks hundreds at a time.
READ_SIZE = 64 * 1024


def content_decoder(headers: Headers) -> Callable[[bytes], bytes] | None:
    """A decompressor for gzip/deflate bodies, ``None`` for identity."""
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress
    if encoding == "deflate":
        return zlib.decompressobj().decompress
    raise StreamDecodeError(f"The server sent an unsupported Content-Encoding: {encoding!r}")


class Urllib3Body:
    """``Response`` over a ``urllib3.HTTPResponse`` opened with ``preload_content=False``.

    ``on_close`` lets the owner release anything else tied to the response
    (requests' own ``Response`` object, for one).
    """

    def __init__(
        self,
        raw: Any,
        url: str,
        *,
        status_code: int | None = None,
        headers: Headers | None = None,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self._raw = raw
        self.url = url
        self.status_code = int(status_code if status_code is not None else raw.status)
        self.headers = headers if headers is not None else Headers(list(raw.headers.items()))
        self._on_close = on_close
        self._done = False
        self._closed = False
        self._aborted = False

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}] {redact_url(self.url)}>"

    def read(self) -> bytes:
        try:
            data = self._raw.read(decode_content=True)
        except Exception as exc:
            self.close()
            raise map_read_error(exc, self.url) from exc
        self._done = True
        return bytes(data or b"")

    def iter_bytes(self) -> Iterator[bytes]:
        fp = getattr(self._raw, "_fp", None)
        read1 = getattr(fp, "read1", None)
        decode = content_decoder(self.headers)
        if read1 is not None and _can_dechunk(fp):
            # One socket read can hold many chunks (the server sends one per
            # event): framing them here yields them all at once, where
            # http.client would return them one read at a time.
            read1 = _Dechunker(cast("http.client.HTTPResponse", fp)).read1
            fp = None
        try:
            if read1 is None:  # not an http.client body: let urllib3 stream it
                for chunk in self._raw.stream(None, decode_content=True):
                    if chunk:
                        yield chunk
            else:
                while True:
                    chunk = read1(READ_SIZE)
                    if not chunk:
                        if getattr(fp, "length", None):
                            # EOF before Content-Length was reached: a cut, not an end.
                            raise APIConnectionError(
                                f"The connection to {redact_url(self.url)} closed before the body was complete"
                            )
                        break
                    if decode is not None:
                        chunk = decode(chunk)
                        if not chunk:
                            continue
                    yield chunk
        except (APIError, GeneratorExit):
            raise
        except Exception as exc:
            if self._closed or self._aborted:
                return
            raise map_read_error(exc, self.url) from exc
        self._done = True

    def abort(self) -> None:
        """Shut the connection down now, from any thread.

        A read blocked on it in another thread ends at once (quietly: the
        body just stops); the owner still calls :meth:`close`.
        """
        import socket

        self._aborted = True
        sock = _socket_of(self._raw)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        raw = self._raw
        if not self._done:
            # Never drain a half-read body into the pool: close the socket,
            # which is what tells the server the client went away.
            close_quietly(raw.close)
        close_quietly(raw.release_conn)
        if self._on_close is not None:
            close_quietly(self._on_close)


def _socket_of(raw: Any) -> socket.socket | None:
    """The socket under a urllib3 response (1.26 and 2.x keep it in different places)."""
    import socket

    connection = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        return sock
    buffered = getattr(getattr(raw, "_fp", None), "fp", None)
    sock = getattr(getattr(buffered, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def _can_dechunk(response: Any) -> bool:
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


class _Dechunker:
    """Reads a chunked body straight from the socket's buffer: each read returns every chunk available.

    Malformed framing or an early end raise ``IncompleteBody``, where
    http.client raises its ``IncompleteRead``; at the end the response is closed the way
    http.client closes it, so the connection can go back to the pool.

    It earns its place on a burst (20k small events waiting in the socket:
    about 1.5x the events per second of http.client's one-chunk-per-read,
    ``python -m benchmarks.dechunk``) and costs nothing measurable on paced
    events. ``tests/contract/test_dechunk_fuzz.py`` holds it to http.client's
    de-chunking, cut at every byte, on every interpreter of the tox matrix;
    it touches ``chunk_left`` and ``_close_conn`` only, and ``_can_dechunk``
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


class Preloaded:
    """A response whose body was read in full and whose connection went back to the pool."""

    def __init__(self, status_code: int, headers: Headers, url: str, content: bytes) -> None:
        self.status_code = status_code
        self.headers = headers
        self.url = url
        self._content = content

    @classmethod
    def of(cls, response: Any) -> Preloaded:
        """Read ``response`` to the end and close it."""
        try:
            content = response.read()
        finally:
            response.close()
        return cls(response.status_code, response.headers, response.url, content)

    def __repr__(self) -> str:
        return f"<Response [{self.status_code}] {redact_url(self.url)}>"

    def read(self) -> bytes:
        return self._content

    def iter_bytes(self) -> Iterator[bytes]:
        if self._content:
            yield self._content

    def close(self) -> None:
        return None
