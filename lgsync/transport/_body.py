"""Reading a urllib3 response body the same way on urllib3 1.26 and 2.x.

Both transports end in a ``urllib3.HTTPResponse``. Streams are read with the
standard library's ``read1``, which returns whatever the socket has (one chunk
of a chunked body, or what arrived of a close-delimited one) instead of
waiting for a fixed amount: events reach the caller the moment they arrive.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable, cast

from lgsync._urls import redact_url
from lgsync.errors import APIConnectionError, APIError, StreamDecodeError
from lgsync.transport._dechunk import Dechunker, can_dechunk
from lgsync.transport._errors import close_quietly, map_read_error
from lgsync.transport.base import Headers

if TYPE_CHECKING:  # http.client (and ssl with it) is imported by urllib3 when a transport is used
    import http.client
    import socket

__all__ = ["Preloaded", "Urllib3Body", "content_decoder"]

#: The most one read asks of the socket's buffer. ``BufferedReader.read1(n)``
#: allocates ``n`` bytes before it reads: at 256 KB that allocation (past the
#: C library's mmap threshold) cost ~17 us a read, which paced streams pay
#: per event; 64 KB still takes a burst's waiting chunks hundreds at a time.
READ_SIZE = 64 * 1024


def content_decoder(headers: Headers) -> Callable[[bytes], bytes] | None:
    """urllib3's decompressor for a gzip or deflate body, ``None`` for identity.

    Any other encoding raises ``StreamDecodeError``: lgsync asks for gzip and
    deflate only, and passing compressed bytes on as if they were the body
    would fail later, and less clearly.
    """
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    from urllib3.response import DeflateDecoder, GzipDecoder

    if encoding in ("gzip", "x-gzip"):
        return GzipDecoder().decompress
    if encoding == "deflate":
        return DeflateDecoder().decompress
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
        if read1 is not None and can_dechunk(fp):
            # One socket read can hold many chunks (the server sends one per
            # event): framing them here yields them all at once, where
            # http.client would return them one read at a time.
            read1 = Dechunker(cast("http.client.HTTPResponse", fp)).read1
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
