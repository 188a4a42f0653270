"""Exceptions raised by lgsync, named as in ``langgraph_sdk.errors``.

User code catches these and never a requests or urllib3 exception::

    LangGraphError
     └── APIError                      .message, .body
          ├── APIConnectionError       no usable answer from the server
          │    ├── APITimeoutError     connect, read or stream-idle timeout
          │    └── StreamError         an SSE stream could not be read or resumed
          │         └── StreamDecodeError   bytes that are not a valid event
          └── APIStatusError           .status_code, .body, .request_id, .headers
               ├── BadRequestError            400
               ├── AuthenticationError        401
               ├── PermissionDeniedError      403
               ├── NotFoundError              404
               ├── ConflictError              409
               ├── UnprocessableEntityError   422
               ├── RateLimitError             429
               ├── InternalServerError        5xx
               └── RedirectError              3xx that lgsync refused to follow
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "LangGraphError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RedirectError",
    "StreamDecodeError",
    "StreamError",
    "UnprocessableEntityError",
    "status_error",
]


class LangGraphError(Exception):
    """Root of every exception lgsync raises."""


class APIError(LangGraphError):
    """A request to the LangGraph API failed."""

    def __init__(self, message: str, *, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.body = body


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke.

    ``request_sent`` is False when the connection failed before any byte of
    the request went out, so the server cannot have acted on it.
    """

    def __init__(self, message: str = "Connection error.", *, request_sent: bool = True) -> None:
        super().__init__(message, body=None)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """A connect, read or stream-idle timeout expired."""

    def __init__(self, message: str = "Request timed out.", *, request_sent: bool = True) -> None:
        super().__init__(message, request_sent=request_sent)


class StreamError(APIConnectionError):
    """A server-sent event stream broke and could not be resumed."""


class StreamDecodeError(StreamError):
    """The stream carried bytes that do not decode to a valid event."""


class APIStatusError(APIError):
    """The server answered with an error status."""

    status_code: int = 0

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message, body=body)
        self.status_code = status_code
        self.headers: Mapping[str, str] = dict(headers or {})
        self.request_id: str | None = _header(self.headers, "x-request-id")


class BadRequestError(APIStatusError):
    """400: the request was malformed."""


class AuthenticationError(APIStatusError):
    """401: the api key is missing or wrong."""


class PermissionDeniedError(APIStatusError):
    """403: the api key may not do this."""


class NotFoundError(APIStatusError):
    """404: no such assistant, thread, run or item."""


class ConflictError(APIStatusError):
    """409: the resource exists already, or a run is busy on the thread."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well formed but invalid."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` holds the server's hint in seconds."""

    @property
    def retry_after(self) -> float | None:
        value = _header(self.headers, "retry-after")
        if value is None:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            return None


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class RedirectError(APIStatusError):
    """A redirect lgsync will not follow (another origin, or too many hops)."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}

_EXCERPT = 300


def status_error(
    status_code: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    method: str = "",
    path: str = "",
) -> APIStatusError:
    """Build the typed error for an HTTP error answer.

    Example::

        >>> str(status_error(404, b'{"detail":"Thread not found"}', {}))
        '404 Not Found: Thread not found'
    """
    decoded = _decode_body(body)
    cls = _BY_STATUS.get(status_code)
    if cls is None:
        if status_code >= 500:
            cls = InternalServerError
        elif 300 <= status_code < 400:
            cls = RedirectError
        else:
            cls = APIStatusError
    detail = _detail(decoded, body)
    where = f" ({method} {path})" if method and path else ""
    message = f"{status_code} {_reason(status_code)}{where}"
    if detail:
        message += f": {detail}"
    return cls(message, status_code=status_code, body=decoded, headers=headers)


def _decode_body(body: bytes) -> object | None:
    if not body:
        return None
    from lgsync._json import loads

    try:
        decoded: object = loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")
    return decoded


def _detail(decoded: object | None, raw: bytes) -> str:
    if isinstance(decoded, dict):
        for key in ("detail", "message", "error"):
            value: Any = decoded.get(key)
            if value:
                return value if isinstance(value, str) else str(value)
    if decoded is None:
        return ""
    return excerpt(raw)


def excerpt(raw: bytes | str, limit: int = _EXCERPT) -> str:
    """A short, printable excerpt of a body for an error message."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[:limit] + "…"
    return text


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


def _reason(status_code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"
