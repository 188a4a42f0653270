"""Reading a urllib3 response body the same way on urllib3 1.26 and 2.x.

Both transports end in a ``urllib3.HTTPResponse``. Streams are read with the
standard library's ``read1``, which returns whatever the socket has (one chunk
of a chunked body, or what arrived of a close-delimited one) instead of
waiting for a fixed amount: events reach the caller the moment they arrive.
"""

from __future__ import annotations

import http.client
import socket
import zlib
from collections.abc import Iterator
from typing import Any, Callable

from lgsync.errors import APIConnectionError, APITimeoutError, StreamDecodeError
from lgsync.transport.base import Headers

__all__ = [
    "Preloaded",
    "Urllib3Body",
    "connect_error",
    "content_decoder",
    "map_read_error",
    "redact_url",
]

_CONNECT_FAILURES = frozenset(
    {"NewConnectionError", "NameResolutionError", "ConnectionRefusedError", "ConnectTimeoutError", "ConnectTimeout"}
)

READ_SIZE = 256 * 1024


def redact_url(url: str) -> str:
    """The URL without userinfo or query, fit for an error message or a log."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid url>"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def connect_error(exc: BaseException, url: str) -> APIConnectionError | None:
    """The lgsync error for a failure to connect, or ``None`` if ``exc`` is another failure.

    Walks the chain of causes (requests wraps urllib3, which wraps socket
    errors) so both transports agree on what counts as "never sent".
    """
    seen: set[int] = set()
    stack: list[object] = [exc]
    while stack:
        current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        names = {cls.__name__ for cls in type(current).__mro__}
        if "NewConnectionError" in names or "NameResolutionError" in names or isinstance(current, ConnectionRefusedError):
            return APIConnectionError(
                f"Could not connect to {redact_url(url)} ({type(current).__name__})", request_sent=False
            )
        if names & _CONNECT_FAILURES:
            return APITimeoutError(f"Timed out connecting to {redact_url(url)}", request_sent=False)
        stack.extend([getattr(current, "reason", None), current.__cause__, current.__context__, *current.args])
    return None


def map_read_error(exc: BaseException, url: str) -> APIConnectionError:
    """Turn an error raised while reading a body into an lgsync error."""
    where = redact_url(url)
    name = type(exc).__name__
    if isinstance(exc, (socket.timeout, TimeoutError)) or "Timeout" in name:
        return APITimeoutError(f"Timed out reading the response from {where}")
    if isinstance(exc, http.client.IncompleteRead) or "IncompleteRead" in name:
        return APIConnectionError(f"The connection to {where} closed before the body was complete")
    return APIConnectionError(f"The connection to {where} broke while reading ({name})")


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
        except (APIConnectionError, GeneratorExit):
            raise
        except zlib.error as exc:
            raise StreamDecodeError(f"The compressed body from {redact_url(self.url)} is corrupt") from exc
        except Exception as exc:
            if self._closed:
                return
            raise map_read_error(exc, self.url) from exc
        self._done = True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        raw = self._raw
        try:
            if self._done:
                raw.release_conn()
            else:
                # Never drain a half-read body into the pool: close the socket,
                # which is what tells the server the client went away.
                raw.close()
                raw.release_conn()
        except Exception:
            pass
        finally:
            if self._on_close is not None:
                self._on_close()


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
