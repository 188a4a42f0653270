"""Library exceptions to ``lgsync.errors``: one ``isinstance`` table for requests, urllib3 and the standard library.

Messages name the URL (without userinfo or query) and the underlying reason,
such as the TLS verification failure, but never a header value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from lgsync._urls import redact_url, userinfo_parts
from lgsync.errors import APIConnectionError, APIError, APITimeoutError, StreamDecodeError

__all__ = [
    "IncompleteBody",
    "check_proxy",
    "check_url",
    "close_quietly",
    "map_read_error",
    "map_send_error",
    "reason_of",
    "redact_url",
]

_REASON_LIMIT = 300
_SSL_LOCATION = re.compile(r"\s*\(_ssl\.c:\d+\)")
_USERINFO = re.compile(r"(?<=://)[^/@\s]*@")


class IncompleteBody(Exception):
    """A body that ended early or broke its chunked framing (read by lgsync's own dechunker)."""


class _Table:
    """The library classes, grouped by what the failure means. Built once, on the first failure."""

    def __init__(self) -> None:
        import http.client
        import socket
        import ssl
        import zlib

        from urllib3 import exceptions as u3

        proxy: list[type[BaseException]] = [u3.ProxyError]
        tls: list[type[BaseException]] = [ssl.SSLError, ssl.CertificateError, u3.SSLError]
        connect: list[type[BaseException]] = [u3.NewConnectionError, ConnectionRefusedError, socket.gaierror]
        connect_timeout: list[type[BaseException]] = [u3.ConnectTimeoutError]
        timeout: list[type[BaseException]] = [u3.TimeoutError, socket.timeout, TimeoutError]
        bad_url: list[type[BaseException]] = [u3.LocationValueError, http.client.InvalidURL, UnicodeError]
        incomplete: list[type[BaseException]] = [IncompleteBody, http.client.IncompleteRead]
        decode: list[type[BaseException]] = [u3.DecodeError, zlib.error]
        wrappers: list[type[BaseException]] = [u3.MaxRetryError, u3.ProtocolError, u3.ProxyError]
        try:
            from requests import exceptions as rq
        except ImportError:  # pragma: no cover - requests is a dependency, but a transport may run without it
            pass
        else:
            proxy.append(rq.ProxyError)
            tls.append(rq.SSLError)
            connect_timeout.append(rq.ConnectTimeout)
            timeout.append(rq.Timeout)
            bad_url.extend([rq.InvalidURL, rq.MissingSchema, rq.InvalidSchema, rq.URLRequired])
            incomplete.append(rq.ChunkedEncodingError)
            decode.append(rq.ContentDecodingError)
            wrappers.append(rq.RequestException)
        self.proxy = tuple(proxy)
        self.tls = tuple(tls)
        self.connect = tuple(connect)
        self.connect_timeout = tuple(connect_timeout)
        self.timeout = tuple(timeout)
        self.bad_url = tuple(bad_url)
        self.incomplete = tuple(incomplete)
        self.decode = tuple(decode)
        self.wrappers = tuple(wrappers)
        #: Exceptions whose message states the cause itself (not a wrapper's summary).
        self.leaves: tuple[type[BaseException], ...] = (
            ssl.SSLError,
            ssl.CertificateError,
            http.client.HTTPException,
            OSError,
            UnicodeError,
            zlib.error,
        )


@lru_cache(maxsize=1)
def _table() -> _Table:
    return _Table()


def _chain(exc: BaseException) -> list[tuple[int, BaseException]]:
    """``exc`` and every exception it wraps (urllib3's ``reason``, requests' args, causes), with depths."""
    found: list[tuple[int, BaseException]] = []
    seen: set[int] = set()
    stack: list[tuple[int, object]] = [(0, exc)]
    while stack and len(found) < 32:
        depth, current = stack.pop()
        if not isinstance(current, BaseException) or id(current) in seen:
            continue
        seen.add(id(current))
        found.append((depth, current))
        inner: list[object] = [current.__context__, current.__cause__, *current.args]
        inner.append(getattr(current, "original_error", None))
        inner.append(getattr(current, "reason", None))
        stack.extend((depth + 1, item) for item in inner)
    return found


def _any(chain: Iterable[tuple[int, BaseException]], classes: tuple[type[BaseException], ...]) -> bool:
    return any(isinstance(exc, classes) for _, exc in chain)


def reason_of(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """The underlying cause of ``exc`` in words, without userinfo or any of ``secrets``.

    Example::

        >>> reason_of(ConnectionRefusedError(111, "Connection refused"))
        '[Errno 111] Connection refused'
    """
    table = _table()
    chain = _chain(exc)
    leaves = [(depth, e) for depth, e in chain if isinstance(e, table.leaves) and not isinstance(e, table.wrappers)]
    if leaves:
        cause = max(leaves, key=lambda item: item[0])[1]
    else:
        cause = max(chain, key=lambda item: item[0])[1]
    text = _describe(cause)
    for secret in secrets:
        if len(secret) >= 4:
            text = text.replace(secret, "<redacted>")
    text = _USERINFO.sub("", text)
    text = " ".join(text.split())
    return text if len(text) <= _REASON_LIMIT else text[:_REASON_LIMIT] + "…"


def _describe(exc: BaseException) -> str:
    import ssl

    try:
        message = str(exc)
    except Exception:
        message = ""
    if isinstance(exc, (ssl.SSLError, ssl.CertificateError)):
        return _SSL_LOCATION.sub("", message) or type(exc).__name__
    if isinstance(exc, OSError) and message:
        return message
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def map_send_error(
    exc: BaseException, url: str, secrets: Iterable[str] = (), *, proxy: str | None = None
) -> APIConnectionError:
    """The lgsync error for a failure to send a request or receive its status line and headers.

    ``secrets`` (the request's header values) and the userinfo of ``proxy``
    never appear in the message.

    ``request_sent`` is False when the chain shows the connection never
    opened (refused, name not resolved, connect timeout, certificate refused),
    so the server cannot have acted on the request.
    """
    import ssl

    table = _table()
    chain = _chain(exc)
    where = redact_url(url)
    secrets = list(secrets)
    if proxy is not None:
        secrets.extend(userinfo_parts(proxy))
    reason = reason_of(exc, secrets)
    never_sent = _any(chain, table.connect + table.connect_timeout + (ssl.SSLCertVerificationError,))
    if _any(chain, table.proxy):
        return APIConnectionError(f"Could not reach {where} through the proxy: {reason}", request_sent=not never_sent)
    if _any(chain, table.tls):
        return APIConnectionError(f"The TLS connection to {where} failed: {reason}", request_sent=not never_sent)
    if _any(chain, table.connect):
        return APIConnectionError(f"Could not connect to {where}: {reason}", request_sent=False)
    if _any(chain, table.connect_timeout):
        return APITimeoutError(f"Timed out connecting to {where}", request_sent=False)
    if _any(chain, table.timeout):
        return APITimeoutError(f"Timed out waiting for {where}")
    if proxy is not None and _any(chain, table.bad_url):
        return APIConnectionError(
            f"Cannot send a request to {where}: the proxy {redact_url(proxy)} is invalid or unsupported ({reason})",
            request_sent=False,
        )
    if _any(chain, table.bad_url):
        return APIConnectionError(
            f"Cannot send a request to {where}: the URL is invalid ({reason})", request_sent=False
        )
    return APIConnectionError(f"The request to {where} failed: {reason}")


def map_read_error(exc: BaseException, url: str) -> APIError:
    """The lgsync error for a failure while reading a response body."""
    table = _table()
    chain = _chain(exc)
    where = redact_url(url)
    if _any(chain, table.timeout):
        return APITimeoutError(f"Timed out reading the response from {where}")
    if _any(chain, table.incomplete):
        return APIConnectionError(f"The connection to {where} closed before the body was complete")
    if _any(chain, table.decode):
        return StreamDecodeError(f"The compressed body from {where} is corrupt: {reason_of(exc)}")
    return APIConnectionError(f"The connection to {where} broke while reading: {reason_of(exc)}")


def close_quietly(closer: Any) -> None:
    """Call ``closer()``; a failure to release a connection is not the caller's problem."""
    try:
        closer()
    except Exception:  # closing is best effort: the socket is gone either way
        pass


def check_url(url: str) -> None:
    """Raise ``APIConnectionError`` (never sent) for a URL no request can go to.

    ``urllib.parse`` raises a bare ``ValueError`` for a port out of range or
    a broken IPv6 literal, and the libraries fail in their own ways later.
    """
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is the check
        problem = None if parts.scheme in ("http", "https") and parts.hostname else "not an http(s) URL with a host"
    except ValueError as exc:
        problem = str(exc)
    if problem is not None:
        raise APIConnectionError(
            f"Cannot send a request to {redact_url(url)}: the URL is invalid ({problem})", request_sent=False
        )


def check_proxy(proxy: str, url: str) -> None:
    """Raise ``APIConnectionError`` (never sent) for a proxy URL that does not parse.

    Example: ``HTTP_PROXY=http://[::1`` would otherwise surface as a bare
    ``ValueError`` from ``urllib.parse`` deep inside the library.
    """
    from urllib.parse import urlsplit

    try:
        urlsplit(proxy).port  # noqa: B018 - parsing the port is the check
    except ValueError as exc:
        raise APIConnectionError(
            f"Cannot send a request to {redact_url(url)}: the proxy {redact_url(proxy)} is invalid or unsupported ({exc})",
            request_sent=False,
        ) from None
