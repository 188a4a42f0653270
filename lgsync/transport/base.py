"""The seam between lgsync and an HTTP library: one ``send`` and a ``close``.

A transport knows nothing of LangGraph. It sends one request, follows no
redirect, and maps every library exception to ``lgsync.errors``.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from lgsync._headers import HeaderDict, Headers, check_header_value
from lgsync.timeouts import Timeout

__all__ = [
    "REDIRECTS",
    "Headers",
    "Request",
    "Response",
    "Transport",
    "check_header_value",
    "outgoing_headers",
    "proxy_environment",
    "takes_stream_flag",
]

#: The redirect statuses: a transport hands them back like any answer (it
#: follows none); lgsync follows them itself, within the client's origin.
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
    """What a transport hands back: the status and headers, the body still unread.

    Every transport behaves the same way:

    - ``iter_bytes()`` yields bytes as soon as the socket has them (never
      waiting for a buffer to fill), decoded from chunked transfer encoding
      and from a gzip or deflate ``Content-Encoding`` (any other raises
      ``StreamDecodeError``).
    - ``read()`` returns the whole (remaining) body.
    - ``close()`` releases the connection: to the pool if the body was read to
      the end, otherwise by closing the socket (never by draining it). The
      caller always closes a response, whether it read the body or not.

    lgsync only ever reads a body through ``read()`` and ``iter_bytes()``.
    """

    status_code: int
    headers: Headers
    url: str

    def read(self) -> bytes: ...

    def iter_bytes(self) -> Iterator[bytes]: ...

    def close(self) -> None: ...


@runtime_checkable
class Transport(Protocol):
    """Moves bytes. Implementations: ``RequestsTransport``, ``Urllib3Transport``.

    ``send`` returns once the status line and headers are in, with the body
    unread: the caller reads it through ``read()`` or ``iter_bytes()`` and
    must ``close()`` the response. A transport follows no redirect (lgsync
    follows them itself, within the origin).

    A transport carries no policy of its own. It sends the request's headers
    as they are, once per name, case-insensitively (the request's value wins
    over any the library would add, ``Accept-Encoding`` included: lgsync asks
    for a compressed JSON answer and a raw event stream). It waits
    ``timeout.connect`` to connect, then at most ``timeout.read`` between two
    reads; ``timeout.stream_idle`` is for the client, which passes a stream's
    limit as ``read``. A header that cannot travel raises ``ValueError`` (see
    ``check_header_value``); every other failure is an ``lgsync.errors``
    exception whose message names the reason.

    A transport written for lgsync 0.1.0, whose ``send`` takes
    ``stream=False`` and reads the body first unless asked to stream, keeps
    working: lgsync sees the parameter (:func:`takes_stream_flag`), passes
    ``stream=True`` and warns once with a ``DeprecationWarning``.

    Example::

        transport = lgsync.Urllib3Transport()
        response = transport.send(Request("GET", "http://127.0.0.1:2024/ok"), timeout=Timeout())
        try:
            print(response.status_code, response.read())
        finally:
            response.close()
    """

    def send(self, request: Request, *, timeout: Timeout) -> Response: ...

    def close(self) -> None: ...


def proxy_environment() -> tuple[str | None, ...]:
    """The values of the proxy and CA-bundle variables now.

    Working out a proxy scans the whole environment; the transports do it
    once per origin and value of this tuple, so a change of the variables
    at run time still takes effect.
    """
    get = os.environ.get
    return tuple(get(name) for name in _ENVIRONMENT)


def outgoing_headers(request: Request, spelling: Mapping[str, str] | None = None) -> HeaderDict:
    """The request's headers, checked, one per name; ``spelling`` maps a lower-case name to the one to send.

    Raises ``ValueError`` for a header that cannot travel, before anything is sent.

    Example::

        >>> dict(outgoing_headers(Request("GET", "http://h/", {"accept": "a"}), {"accept": "Accept"}))
        {'Accept': 'a'}
    """
    headers = HeaderDict()
    items = headers._items
    source = request.headers
    # A HeaderDict's own pairs, not the Mapping views (a method call per name).
    pairs = source._items.values() if type(source) is HeaderDict else source.items()
    for name, value in pairs:
        check_header_value(name, value)
        lowered = name.lower()
        items[lowered] = (spelling.get(lowered, name) if spelling else name, value)
    return headers


def takes_stream_flag(transport: Transport) -> bool:
    """Whether ``transport.send`` takes the ``stream`` flag of lgsync 0.1.0's protocol.

    Such a transport reads the body before returning unless it is passed
    ``stream=True``; lgsync passes it, so that streams still arrive event by
    event and bodies are read under lgsync's bounds. A ``send`` whose
    signature cannot be read is taken as today's (no flag).

    Example::

        >>> class Old:
        ...     def send(self, request, *, stream=False, timeout): ...
        ...     def close(self): ...
        >>> takes_stream_flag(Old())
        True
    """
    try:
        parameters = inspect.signature(transport.send).parameters
    except (TypeError, ValueError):
        return False
    flag = parameters.get("stream")
    return flag is not None and flag.kind in (flag.KEYWORD_ONLY, flag.POSITIONAL_OR_KEYWORD)
