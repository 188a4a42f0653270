"""The seam between lgsync and an HTTP library: one ``send`` and a ``close``.

A transport knows nothing of LangGraph. It sends one request, follows no
redirect, and maps every library exception to ``lgsync.errors``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Protocol, overload, runtime_checkable

from lgsync.timeouts import Timeout

__all__ = ["Headers", "Request", "Response", "Transport", "check_header_value", "proxy_environment"]

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


class Headers(Mapping[str, str]):
    """A read-only, case-insensitive view of response headers."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, str] | list[tuple[str, str]] | None = None) -> None:
        self._items: dict[str, tuple[str, str]] = {}
        pairs = items.items() if isinstance(items, Mapping) else (items or [])
        for key, value in pairs:
            lowered = key.lower()
            if lowered in self._items:
                # Repeated headers are joined as HTTP allows.
                value = f"{self._items[lowered][1]}, {value}"
            self._items[lowered] = (key, value)

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (original for original, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    @overload  # type: ignore[override]
    def get(self, key: str) -> str | None: ...

    @overload
    def get(self, key: str, default: str) -> str: ...

    def get(self, key: str, default: str | None = None) -> str | None:
        # Mapping.get goes through __getitem__ and a KeyError; this is on every call's path.
        item = self._items.get(key.lower())
        return default if item is None else item[1]

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


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
    response. Timeouts: ``timeout.connect`` to connect, then ``timeout.read``
    (or ``timeout.stream_idle`` when streaming) between two reads.

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


def check_header_value(name: str, value: str) -> None:
    """Refuse header names or values that would split the request (CR, LF, NUL)."""
    if not isinstance(value, str):
        raise TypeError(f"header {name!r} must be a str, got {type(value).__name__}")
    for ch in ("\r", "\n", "\0"):
        if ch in name or ch in value:
            raise ValueError(f"header {name!r} contains a CR, LF or NUL character")
