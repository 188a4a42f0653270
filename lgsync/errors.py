"""Exceptions raised by lgsync, named as in ``langgraph_sdk.errors``.

User code catches these and never a requests or urllib3 exception::

    LangGraphError
     ├── APIError                      .message, .body, .code, .param, .type
     │    ├── APIConnectionError       no usable answer from the server
     │    │    ├── APITimeoutError     connect, read or stream-idle timeout
     │    │    └── StreamError         an SSE stream could not be read or resumed
     │    ├── StreamDecodeError        bytes that are not a valid event (trying again cannot help)
     │    └── APIStatusError           .status_code, .method, .path, .request_id, .headers, .retry_after
     │         ├── BadRequestError            400
     │         ├── AuthenticationError        401
     │         ├── PermissionDeniedError      403
     │         ├── NotFoundError              404
     │         ├── ConflictError              409
     │         ├── UnprocessableEntityError   422
     │         ├── RateLimitError             429
     │         ├── InternalServerError        5xx
     │         └── RedirectError              3xx that lgsync refused to follow
     ├── RunRestartedError             the server started a streamed run again (attempt 2): .run_id, .attempt
     ├── RunError                      runs.wait(raise_error=True): the run failed; .error, .message, .body
     ├── RunFailedError                a thread stream's run failed (also a RuntimeError)
     └── ProtocolError                 the server refused a thread-stream command (also a RuntimeError)

As in the SDK, ``str(exc) == exc.message`` is the server's own message when
it sent one; :meth:`APIStatusError.describe` adds the status and the call.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lgsync.retry import parse_retry_after

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
    "ProtocolError",
    "RateLimitError",
    "RedirectError",
    "RunError",
    "RunFailedError",
    "RunRestartedError",
    "StreamDecodeError",
    "StreamError",
    "UnprocessableEntityError",
    "status_error",
]


class LangGraphError(Exception):
    """Root of every exception lgsync raises."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Rebuilt from args and attributes, not by calling __init__ again, so
        # that errors whose constructor takes keywords survive pickling
        # (multiprocessing, task queues).
        return (_restore, (type(self), self.args), self.__dict__)


def _restore(cls: type[LangGraphError], args: tuple[Any, ...]) -> LangGraphError:
    error = cls.__new__(cls)
    error.args = args
    return error


class APIError(LangGraphError):
    """A request to the LangGraph API failed.

    As in ``langgraph_sdk``: ``str(exc) == exc.message`` and
    ``exc.args == (exc.message,)``; ``code``, ``param`` and ``type`` are the
    body's string fields of those names, or ``None``.
    """

    def __init__(self, message: str, *, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.body = body
        self.code: str | None = _string_field(body, "code")
        self.param: str | None = _string_field(body, "param")
        self.type: str | None = _string_field(body, "type")


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


class StreamDecodeError(APIError):
    """The server sent bytes that do not decode: a bad event, data that is not JSON, a corrupt body.

    Not a connection error: the same request would get the same bytes again,
    so code that retries ``APIConnectionError`` leaves this one alone.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, body=None)


class APIStatusError(APIError):
    """The server answered with an error status.

    ``str(exc)`` is the server's message when the body has one (as in
    ``langgraph_sdk``); otherwise lgsync's own summary: the status, the
    method and path, and an excerpt of the body. The status, method and path
    are always on the error (``status_code``, ``method``, ``path``), in its
    ``repr`` and in :meth:`describe`.

    ``retry_after`` is the answer's ``Retry-After`` in seconds (both forms,
    read by :func:`lgsync.retry.parse_retry_after`), or ``None``: set on a
    429, a 503, any status that carries the header.
    """

    status_code: int = 0

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: object | None = None,
        headers: Mapping[str, str] | None = None,
        method: str = "",
        path: str = "",
    ) -> None:
        super().__init__(message, body=body)
        self.status_code = status_code
        self.method = method
        self.path = path
        self.headers: Mapping[str, str] = dict(headers or {})
        self.request_id: str | None = _header(self.headers, "x-request-id")
        self.retry_after: float | None = parse_retry_after(_header(self.headers, "retry-after"))
        heading = self._heading()
        if not message.startswith(heading) and hasattr(self, "add_note"):
            # Python 3.11+ prints notes under the message in a traceback, so
            # the status and the call stay visible beside the server's text.
            self.add_note(heading if self.request_id is None else f"{heading}, request id {self.request_id}")

    def describe(self) -> str:
        """The status, the call and the message on one line, for logs and command-line tools.

        Example::

            >>> status_error(404, b'{"detail":"Thread not found"}', {}, method="GET", path="/threads/t1").describe()
            '404 Not Found (GET /threads/t1): Thread not found'
        """
        heading = self._heading()
        return self.message if self.message.startswith(heading) else f"{heading}: {self.message}"

    def _heading(self) -> str:
        where = f" ({self.method} {self.path})" if self.method and self.path else ""
        return f"{self.status_code} {_reason(self.status_code)}{where}"

    def __repr__(self) -> str:
        fields = [repr(self.message), f"status_code={self.status_code}"]
        if self.method and self.path:
            fields += [f"method={self.method!r}", f"path={self.path!r}"]
        if self.request_id is not None:
            fields.append(f"request_id={self.request_id!r}")
        return f"{type(self).__name__}({', '.join(fields)})"


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
    """429: too many requests; ``retry_after`` holds the server's hint in seconds.

    Also raised at once, without waiting, when the server asks for a longer
    wait than the policy's ``retry_after_max``.
    """


class InternalServerError(APIStatusError):
    """5xx: the server failed."""


class RedirectError(APIStatusError):
    """A redirect lgsync will not follow (another origin, or too many hops)."""


class RunError(LangGraphError):
    """``runs.wait(..., raise_error=True)`` found that the run ended in an error.

    ``error`` is the name of the graph's exception, ``message`` its text and
    ``body`` the whole answer; ``str(exc)`` is ``"<error>: <message>"``, as
    the exception the SDK raises.
    """

    def __init__(self, error: object, message: object, body: Any) -> None:
        # The server's values, rendered bounded: a failed run's error can be
        # any JSON, nested deeper than str() can recurse.
        self.error = bounded_str(error, MESSAGE_LIMIT)
        self.message = bounded_str(message, MESSAGE_LIMIT)
        self.body = body
        super().__init__(f"{self.error}: {self.message}")


class RunRestartedError(LangGraphError):
    """A streamed run was started again by the server, after the worker running it died.

    The server then runs it from the beginning (its ``metadata`` event says
    ``attempt`` 2 or more), so the events that follow repeat the run's
    progress with new ids: no resume can tell them from new ones. Rather than
    hand them over as if they were new, the stream raises this. The run goes
    on: join it again (``runs.join_stream`` without ``last_event_id``) to
    follow the new attempt from its start, or wait for its result
    (``runs.join``).
    """

    def __init__(self, run_id: str | None, attempt: int, previous_attempt: int) -> None:
        self.run_id = run_id
        self.attempt = attempt
        self.previous_attempt = previous_attempt
        super().__init__(
            f"The server started run {run_id or '(unknown)'} again (attempt {attempt} after {previous_attempt}): "
            "its events begin again from the start; join the run again to follow the new attempt"
        )


class RunFailedError(LangGraphError, RuntimeError):
    """The run of a thread stream ended with an error (``thread.output`` raises it).

    A ``RuntimeError`` too, as in ``langgraph_sdk``, so ``except RuntimeError`` keeps working.
    """


class ProtocolError(LangGraphError, RuntimeError):
    """The server refused a thread-stream command (an ``{"type": "error"}`` answer)."""


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
#: The longest server message an error repeats; past it, the text is cut and ends with "…".
MESSAGE_LIMIT = 4000
# How deep a server value is rendered; deeper containers show as […] or {…}.
_RENDER_DEPTH = 20


def status_error(
    status_code: int,
    body: bytes,
    headers: Mapping[str, str],
    *,
    method: str = "",
    path: str = "",
) -> APIStatusError:
    """Build the typed error for an HTTP error answer.

    The message is the server's, as ``langgraph_sdk`` reads it: the first
    non-empty string among the body's ``message``, ``detail`` and ``error``,
    then ``error.message`` and ``error.detail``. A body without one gets
    lgsync's summary: ``"<status> <reason> (<method> <path>): <excerpt>"``.
    Whatever the body holds, the message is at most ``MESSAGE_LIMIT``
    characters, and building it never recurses deeper than a few levels.

    Example::

        >>> str(status_error(404, b'{"detail":"Thread not found"}', {}))
        'Thread not found'
        >>> str(status_error(502, b"<html>Bad Gateway</html>", {}, method="GET", path="/ok"))
        '502 Bad Gateway (GET /ok): <html>Bad Gateway</html>'
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


def _string_field(body: object | None, name: str) -> str | None:
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def excerpt(raw: bytes | str, limit: int = _EXCERPT) -> str:
    """A short, printable excerpt of a body for an error message: whitespace runs as one space, cut at ``limit``.

    Only the first few times ``limit`` characters are looked at, whatever the body's size.

    Example::

        >>> excerpt(b"<html>\\n  <body>Bad Gateway</body>\\n</html>")
        '<html> <body>Bad Gateway</body> </html>'
    """
    window = 4 * limit + 4
    head = raw[:window]
    text = head.decode("utf-8", errors="replace") if isinstance(head, bytes) else head
    text = " ".join(text.split())
    if len(text) > limit or len(raw) > window:
        text = text[:limit] + "…"
    return text


def bounded_str(value: object, limit: int = _EXCERPT) -> str:
    """``str(value)`` for a value that came from a server, bounded in depth and length.

    The same text as ``str()`` for ordinary JSON values (a string is itself);
    containers nested more than 20 levels show as ``[…]`` or ``{…}``, and a
    text longer than ``limit`` is cut and ends with ``…``. It never raises
    ``RecursionError``, however deep the value (JSON parsers accept 1,024 levels).

    Example::

        >>> bounded_str({"loc": ["body", "input"], "msg": "field required"})
        "{'loc': ['body', 'input'], 'msg': 'field required'}"
        >>> bounded_str("x" * 500, limit=5)
        'xxxxx…'
    """
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    writer = _BoundedWriter(limit)
    writer.value(value, 0, nested=False)
    return writer.text()


class _BoundedWriter:
    """Writes ``str()`` of a value piece by piece, and stops once ``limit`` characters are written."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pieces: list[str] = []
        self.size = 0

    def room(self) -> int:
        return self.limit + 1 - self.size  # one more than the limit, to know that it was passed

    def put(self, text: str) -> None:
        room = self.room()
        if room > 0:
            piece = text[:room]
            self.pieces.append(piece)
            self.size += len(piece)

    def value(self, value: object, depth: int, *, nested: bool = True) -> None:
        if self.room() <= 0:
            return
        if isinstance(value, str):
            self.put(repr(value[: self.room()]))
        elif isinstance(value, dict):
            self.items(value, depth)
        elif isinstance(value, (list, tuple)):
            self.sequence(value, depth)
        else:
            self.put(_scalar_text(value, nested=nested))

    def items(self, mapping: dict[Any, Any], depth: int) -> None:
        if depth >= _RENDER_DEPTH:
            self.put("{…}")
            return
        self.put("{")
        for index, (key, item) in enumerate(mapping.items()):
            if self.room() <= 0:
                return
            if index:
                self.put(", ")
            self.value(key, depth + 1)
            self.put(": ")
            self.value(item, depth + 1)
        self.put("}")

    def sequence(self, items: list[Any] | tuple[Any, ...], depth: int) -> None:
        opening, closing = ("[", "]") if isinstance(items, list) else ("(", ",)" if len(items) == 1 else ")")
        if depth >= _RENDER_DEPTH:
            self.put(f"{opening}…{closing}")
            return
        self.put(opening)
        for index, item in enumerate(items):
            if self.room() <= 0:
                return
            if index:
                self.put(", ")
            self.value(item, depth + 1)
        self.put(closing)

    def text(self) -> str:
        text = "".join(self.pieces)
        return text if len(text) <= self.limit else text[: self.limit] + "…"


def _scalar_text(value: object, *, nested: bool) -> str:
    """``repr`` (inside a container) or ``str`` of a leaf value, never raising."""
    try:
        return repr(value) if nested else str(value)
    except ValueError:  # an int too long to print (Python 3.11+ limits int-to-str digits)
        return f"<int of {value.bit_length()} bits>" if isinstance(value, int) else f"<{type(value).__name__}>"
    except Exception:
        return f"<{type(value).__name__}>"


def _header(headers: Mapping[str, str], name: str) -> str | None:
    lowered = name.lower()
    for key, value in headers.items():
        if key.lower() == lowered:
            return value
    return None


#: Phrases that Python 3.13 renamed (RFC 9110), kept as httpx and the SDK
#: spell them, so that messages are the same on every Python.
_STABLE_PHRASES = {
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    416: "Requested Range Not Satisfiable",
    422: "Unprocessable Entity",
}


def _reason(status_code: int) -> str:
    from http import HTTPStatus

    stable = _STABLE_PHRASES.get(status_code)
    if stable is not None:
        return stable
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"
