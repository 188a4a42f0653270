"""The seam between lgsync and an HTTP library: one ``send`` and a ``close``.

A transport knows nothing of LangGraph. It sends one request, follows no
redirect, and maps every library exception to ``lgsync.errors``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from lgsync._headers import Headers, check_header_value
from lgsync.timeouts import Timeout

__all__ = ["REDIRECTS", "Headers", "Request", "Response", "Transport", "check_header_value", "proxy_environment"]

#: The statuses whose answer a transport hands back unread.
REDIRECTS = frozenset({301, 302, 303, 307, 308})

#: The variables that decide the proxy (and, for requests, the CA bundle) of an
#: http(s) URL: what urllib's getproxies()/proxy_bypass() and requests read.
_ENVIRONMENT = (
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
    "REQUEST_METHOD",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
)


@dataclass(frozen=True)
class Request:
    """One HTTP request: the full URL, headers and an optional body."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None

    def __repr__(self) -> str:
        # Headers stay out of the repr: they may carry the api key.
        return f"<Request {self.method} {self.url}>"


class Response(Protocol):
    """What a transport hands back. Every transport behaves the same way.

    - ``iter_bytes()`` yields bytes as soon as the socket has them (never
      waiting for a buffer to fill), decoded from chunked transfer encoding
      but not from content encodings other than gzip/deflate.
    - ``read()`` returns the whole (remaining) body.
    - ``close()`` releases the connection: to the pool if the body was read to
      the end, otherwise by closing the socket (never by draining it).
    """

    status_code: int
    headers: Headers
    url: str

    def read(self) -> bytes: ...

    def iter_bytes(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


@runtime_checkable
class Transport(Protocol):
    """Sends requests. Implementations: ``RequestsTransport``, ``Urllib3Transport``.

    ``send`` returns once the status line and headers are in. With
    ``stream=False`` the body is read before returning; with ``stream=True``
    the caller reads it through ``iter_bytes()`` and must ``close()`` the
    response. A redirect (301, 302, 303, 307, 308) always comes back unread,
    as if streamed: lgsync follows redirects itself and never needs their
    bodies, and closing it closes the socket. Timeouts: ``timeout.connect``
    to connect, then ``timeout.read`` (or ``timeout.stream_idle`` when
    streaming) between two reads.

    Headers go out once per name, case-insensitively (the request's value
    wins over any the library adds). A header that cannot travel raises
    ``ValueError`` (see ``check_header_value``); every other failure is an
    ``lgsync.errors`` exception whose message names the reason.

    Example::

        transport = lgsync.Urllib3Transport()
        response = transport.send(Request("GET", "http://127.0.0.1:2024/ok"), timeout=Timeout())
        print(response.status_code, response.read())
    """

    def send(self, request: Request, *, stream: bool = False, timeout: Timeout) -> Response: ...

    def close(self) -> None: ...


def proxy_environment() -> tuple[str | None, ...]:
    """The values of the proxy and CA-bundle variables now.

    Working out a proxy scans the whole environment; the transports do it
    once per origin and value of this tuple, so a change of the variables
    at run time still takes effect.
    """
    get = os.environ.get
    return tuple(get(name) for name in _ENVIRONMENT)
