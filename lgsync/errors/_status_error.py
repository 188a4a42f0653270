"""`status_error`: an HTTP error answer (status, body, headers) to its typed error.

Reads the server's message where `langgraph_sdk` reads it, and otherwise writes
lgsync's own summary; every value the server chose is rendered bounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lgsync.errors._status import APIStatusError, _class_for, _reason
from lgsync.errors._text import MESSAGE_LIMIT, bounded_str, excerpt


def status_error(
    status_code: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    method: str = "",
    path: str = "",
) -> APIStatusError:
    """Build the typed error for an HTTP error answer: the class that stands for its status.

    400, 401, 403, 404, 409, 422 and 429 get their own class, any 5xx
    `InternalServerError`, any 3xx `RedirectError`, other statuses
    `APIStatusError`. The message is the server's, as `langgraph_sdk` reads
    it: the first non-empty string among the body's `message`, `detail` and
    `error`, then `error.message` and `error.detail`. A body without one gets
    lgsync's summary: `"<status> <reason> (<method> <path>): <excerpt>"`.
    Whatever the body holds, the message is at most `MESSAGE_LIMIT`
    characters, and building it never recurses deeper than a few levels. Useful
    in your own code on top of `client.http` or a `lgsync.testing.MockTransport`
    route, to raise what lgsync raises.

    Args:
        status_code: The answer's HTTP status.
        body: The raw answer body; JSON is decoded, anything else kept as text.
        headers: The answer's headers (`x-request-id` and `Retry-After` are read).
        method: The request's method, for the message and `describe()`.
        path: The request's path, likewise.

    Returns:
        An `APIStatusError` (or a subclass) to raise; it is not raised here.

    Example:
        ```pycon
        >>> str(status_error(404, b'{"detail":"Thread not found"}', {}))
        'Thread not found'
        >>> str(status_error(502, b"<html>Bad Gateway</html>", {}, method="GET", path="/ok"))
        '502 Bad Gateway (GET /ok): <html>Bad Gateway</html>'
        ```
    """
    decoded = _decode_body(body)
    cls = _class_for(status_code)
    server_message = _server_message(decoded)
    if server_message is not None:
        message = bounded_str(server_message, MESSAGE_LIMIT)
    else:
        where = f" ({method} {path})" if method and path else ""
        message = f"{status_code} {_reason(status_code)}{where}"
        detail = _detail(decoded, body)
        if detail:
            message += f": {detail}"
    return cls(message, status_code=status_code, body=decoded, headers=headers, method=method, path=path)


def _decode_body(body: bytes) -> object | None:
    if not body:
        return None
    from lgsync._json import loads

    try:
        decoded: object = loads(body)
    except (ValueError, RecursionError):  # RecursionError: the stdlib decoder, on deep nesting
        return body.decode("utf-8", errors="replace")
    return decoded


_MESSAGE_KEYS = ("message", "detail", "error")


def _server_message(decoded: object | None) -> str | None:
    """The server's own message, looked up where ``langgraph_sdk`` looks."""
    if not isinstance(decoded, dict):
        return None
    for key in _MESSAGE_KEYS:
        value = decoded.get(key)
        if isinstance(value, str) and value:
            return value
    nested = decoded.get("error")
    if isinstance(nested, dict):
        for key in ("message", "detail"):
            value = nested.get(key)
            if isinstance(value, str) and value:
                return value
    return None


def _detail(decoded: object | None, raw: bytes) -> str:
    """What to show of a body that has no message string (a validation list, HTML, text)."""
    if isinstance(decoded, dict):
        for key in _MESSAGE_KEYS:
            value: Any = decoded.get(key)
            if value:
                return bounded_str(value)
    if decoded is None:
        return ""
    return excerpt(raw)
