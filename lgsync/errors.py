"""Exceptions raised by lgsync, named as in `langgraph_sdk.errors`.

User code catches these and never a requests or urllib3 exception. They are
organised by what the caller does about them:

```text
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
```

As in the SDK, `str(exc) == exc.message` is the server's own message when
it sent one; `APIStatusError.describe()` adds the status and the call.
Connection failures and 429/5xx answers of calls that are safe to repeat
are retried before they reach you (the client's `retry=` policy), and a
broken stream is resumed first (`stream_retry=`): an error you catch is
one those policies gave up on.
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
    """Root of every exception lgsync raises: catch it to handle any lgsync failure in one place.

    Every lgsync error pickles and unpickles with its attributes (for
    multiprocessing and task queues), whatever its constructor takes.

    Example:
        ```python
        try:
            client.threads.get(thread_id)
        except lgsync.errors.LangGraphError as exc:
            log.warning("LangGraph call failed: %s", exc)
        ```
    """

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
    """A request to the LangGraph API failed: the parent of connection, decoding and status errors.

    Raised as itself (not a subclass) when the server answered with a success
    status but a body lgsync cannot use: one that is not JSON, JSON nested too
    deeply, or an answer larger than `max_response_size` (raise that limit in
    `get_sync_client` if such answers are expected). Trying again rarely helps;
    check the server or the proxy in front of it.

    As in `langgraph_sdk`: `str(exc) == exc.message` and
    `exc.args == (exc.message,)`.

    Args:
        message: The text of the error (the server's message when it sent one).
        body: The decoded answer body (JSON, or text when it is not JSON), or `None`.

    Attributes:
        message: The error's text, as `str(exc)`.
        body: The answer body, decoded from JSON where possible, else text or bytes; `None`
            when there was no answer.
        code: The body's `"code"` string, or `None`.
        param: The body's `"param"` string, or `None`.
        type: The body's `"type"` string, or `None`.

    Example:
        ```python
        try:
            client.assistants.search()
        except lgsync.errors.APIError as exc:
            print(exc.message, exc.code, exc.body)
        ```
    """

    def __init__(self, message: str, *, body: object | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.body = body
        self.code: str | None = _string_field(body, "code")
        self.param: str | None = _string_field(body, "param")
        self.type: str | None = _string_field(body, "type")


class APIConnectionError(APIError):
    """The server could not be reached, or the connection broke before a usable answer.

    Raised for a refused or reset connection, a failed TLS handshake or
    proxy, or an answer cut short, once the client's `retry=`
    policy is spent (ordinary calls are tried again only where it is safe: see
    `lgsync.Retry`). Check that the URL and the server are right and up; then
    try again later. A `POST` that creates something (a run, a thread) and
    failed with `request_sent=True` may have taken effect: look it up (for
    example `client.runs.list(thread_id)`) before sending it again.

    Args:
        message: The error's text.
        request_sent: Whether any byte of the request went out.

    Attributes:
        request_sent: `False` when the connection failed before any byte of the
            request went out, so the server cannot have acted on it and sending
            it again is always safe.

    Example:
        ```python
        try:
            run = client.runs.create(thread_id, "agent", input={"topic": "ice cream"})
        except lgsync.errors.APIConnectionError as exc:
            if exc.request_sent:  # the server may have created the run: look before sending it again
                print(client.runs.list(thread_id, limit=1))
            raise
        ```
    """

    def __init__(self, message: str = "Connection error.", *, request_sent: bool = True) -> None:
        super().__init__(message, body=None)
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """A connect, read or stream-idle timeout expired (after the retries the policy allows).

    `connect` bounds opening a connection, `read` the silence between two reads
    of an ordinary answer (`runs.wait` and `runs.join` included), and
    `stream_idle` the silence on an event stream, which lgsync resumes before
    it gives up. Raise the limit that expired with
    `get_sync_client(timeout=lgsync.Timeout(connect=..., read=..., stream_idle=...))`,
    or follow a long run with `runs.join_stream` instead of waiting on it.

    Args:
        message: The error's text, naming the limit that expired.
        request_sent: Whether any byte of the request went out (a connect
            timeout: `False`).

    Example:
        ```python
        client = lgsync.get_sync_client(url="http://127.0.0.1:2024", timeout=lgsync.Timeout(read=600))
        run = client.runs.create(thread_id, "agent", input={"topic": "ice cream"})
        try:
            result = client.runs.join(thread_id, run["run_id"])
        except lgsync.errors.APITimeoutError:
            print("still running; the run goes on on the server:", run["run_id"])
        ```
    """

    def __init__(self, message: str = "Request timed out.", *, request_sent: bool = True) -> None:
        super().__init__(message, request_sent=request_sent)


class StreamError(APIConnectionError):
    """A server-sent event stream broke and could not be resumed.

    Raised while iterating a stream when the reconnects of the client's
    `stream_retry=` policy are spent, or when a resume is impossible: the run
    was not created with `stream_resumable=True` (its events have no ids), it is
    a stateless run, an event was cut before its end with nothing to resume
    from, or the server pointed the resume at another origin. The last failure
    is its `__cause__`. The run itself usually goes on: follow it again with
    `runs.join_stream(thread_id, run_id, last_event_id=stream.last_event_id)`
    (resumable runs), or wait for its result with `runs.join`.

    Example:
        ```python
        created = {}
        stream = client.runs.stream(
            thread_id, "agent", input={"topic": "ice cream"}, stream_resumable=True, on_run_created=created.update
        )
        try:
            for part in stream:
                print(part.event)
        except lgsync.errors.StreamError:
            for part in client.runs.join_stream(thread_id, created["run_id"], last_event_id=stream.last_event_id):
                print(part.event)
        ```
    """


class StreamDecodeError(APIError):
    """The server sent bytes that do not decode: a bad event, data that is not JSON, a corrupt body.

    Also raised for an event larger than the client's `max_event_size` and for a
    `Content-Encoding` lgsync cannot read. Not a connection error: the same
    request would get the same bytes again, so code that retries
    `APIConnectionError` leaves this one alone. Check what sits between lgsync
    and the server (a proxy rewriting the stream), or raise `max_event_size` in
    `get_sync_client` for runs with very large states.

    Args:
        message: What could not be decoded, with an excerpt of it.

    Example:
        ```python
        client = lgsync.get_sync_client(url="http://127.0.0.1:2024", max_event_size=256 * 1024 * 1024)
        try:
            for part in client.runs.stream(thread_id, "agent", input={"topic": "ice cream"}):
                print(part.event)
        except lgsync.errors.StreamDecodeError as exc:
            print("unreadable stream:", exc)
        ```
    """

    def __init__(self, message: str) -> None:
        super().__init__(message, body=None)


class APIStatusError(APIError):
    """The server answered with an error status: the parent of one class per status the caller handles differently.

    `status_error` builds it from the answer. `str(exc)` is the server's
    message when the body has one (as in `langgraph_sdk`); otherwise lgsync's
    own summary: the status, the method and path, and an excerpt of the body.
    Answers with a 429 or 5xx status to calls that are safe to repeat are
    retried first (see `lgsync.Retry`); this is raised once that gave up, or at
    once for any other status. A status without a class of its own (418, 451,
    ...) raises `APIStatusError` itself.

    Args:
        message: The error's text.
        status_code: The answer's HTTP status.
        body: The decoded answer body.
        headers: The answer's headers.
        method: The request's method.
        path: The request's path (without the base URL).

    Attributes:
        status_code: The HTTP status, for example `404`.
        method: The request's method, `""` where unknown.
        path: The request's path, `""` where unknown.
        headers: The answer's headers.
        request_id: The answer's `x-request-id`, to quote to the server's
            operators, or `None`.
        retry_after: The answer's `Retry-After` in seconds (both forms, read by
            `lgsync.retry.parse_retry_after`), or `None`: set on a 429, a 503,
            any status that carries the header.

    Example:
        ```python
        try:
            client.threads.get(thread_id)
        except lgsync.errors.APIStatusError as exc:
            print(exc.status_code, exc.request_id, exc.describe())
        ```
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

        Returns:
            `"<status> <reason> (<METHOD> <path>): <message>"`; the message alone
            when it already starts with the status (lgsync's own summary).

        Example:
            ```pycon
            >>> status_error(404, b'{"detail":"Thread not found"}', {}, method="GET", path="/threads/t1").describe()
            '404 Not Found (GET /threads/t1): Thread not found'
            ```
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
    """400: the server could not use the request (a malformed body, a bad parameter combination).

    Sending it again does not help: fix the call. `exc.message` says what the
    server objected to.

    Example:
        ```python
        try:
            client.runs.create(thread_id, "agent", input={"topic": "cats"})
        except lgsync.errors.BadRequestError as exc:
            print("fix the request:", exc.message)
        ```
    """


class AuthenticationError(APIStatusError):
    """401: the api key is missing or wrong.

    Pass `api_key=` to `get_sync_client`, or set `LANGGRAPH_API_KEY`
    (`LANGSMITH_API_KEY` and `LANGCHAIN_API_KEY` are read too). The key is never
    part of the error's message.

    Example:
        ```python
        try:
            client.assistants.search()
        except lgsync.errors.AuthenticationError:
            print("set LANGGRAPH_API_KEY, or pass api_key= to get_sync_client")
        ```
    """


class PermissionDeniedError(APIStatusError):
    """403: the api key (or the server's auth handler) does not allow this call.

    Sending it again does not help: use a key that may do it, or act on a
    resource the caller owns (custom auth often scopes threads to their owner).

    Example:
        ```python
        try:
            client.threads.delete(thread_id)
        except lgsync.errors.PermissionDeniedError as exc:
            print("not allowed:", exc.message)
        ```
    """


class NotFoundError(APIStatusError):
    """404: no such assistant, graph, thread, run, cron or store item on this server.

    Check the id (and that the graph name is one the server serves). A thread
    deleted after a stateless run, or an id from another deployment, gives the
    same error. For runs on a thread the server does not know,
    `if_not_exists="create"` creates it instead.

    Example:
        ```python
        try:
            state = client.threads.get_state(thread_id)
        except lgsync.errors.NotFoundError:
            thread_id = client.threads.create()["thread_id"]
        ```
    """


class ConflictError(APIStatusError):
    """409: the resource exists already, or the thread is busy with another run.

    For a run on a busy thread, pick what should happen with
    `multitask_strategy=` (`"enqueue"` to wait its turn, `"interrupt"` or
    `"rollback"` to stop the other run), or wait for the other run
    (`runs.join`) and try again. For a create with your own id, use
    `if_exists="do_nothing"` to get the existing resource.

    Example:
        ```python
        try:
            run = client.runs.create(thread_id, "agent", input={"topic": "cats"})
        except lgsync.errors.ConflictError:
            run = client.runs.create(thread_id, "agent", input={"topic": "cats"}, multitask_strategy="enqueue")
        ```
    """


class UnprocessableEntityError(APIStatusError):
    """422: the request was well formed but its values are invalid (a validation error).

    `exc.body` holds the server's validation details (often a list of
    `{"loc", "msg"}`); fix the values it names. Sending it again does not help.

    Example:
        ```python
        try:
            client.runs.create(thread_id, "agent", input={"topic": "cats"})
        except lgsync.errors.UnprocessableEntityError as exc:
            print(exc.body)
        ```
    """


class RateLimitError(APIStatusError):
    """429: too many requests; `retry_after` holds the server's hint in seconds.

    Calls that are safe to repeat are retried first, waiting as the server asks
    up to the policy's `retry_after_max` (30 s by default). A longer wait is not
    slept on: the error is raised at once, so that the caller can decide (come
    back after `exc.retry_after` seconds, or tell the user).

    Example:
        ```python
        try:
            client.threads.search(limit=100)
        except lgsync.errors.RateLimitError as exc:
            time.sleep(exc.retry_after or 1.0)
        ```
    """


class InternalServerError(APIStatusError):
    """5xx: the server (or a gateway in front of it) failed.

    Calls that are safe to repeat were retried already (`retry=`); this one
    gave up or was not safe to repeat. Try again later; quote `exc.request_id`
    to the server's operators. A run that failed inside the graph is not a 5xx:
    it ends with an `error` event (or `RunError` from `runs.wait`).

    Example:
        ```python
        try:
            client.assistants.search()
        except lgsync.errors.InternalServerError as exc:
            log.error("server failed: %s (request id %s)", exc.describe(), exc.request_id)
        ```
    """


class RedirectError(APIStatusError):
    """A redirect lgsync will not follow: to another origin, without a `Location`, or too many hops.

    lgsync follows redirects only within the client's origin, so that the api
    key never travels elsewhere (requests and urllib3 would forward custom
    headers; the SDK returns `None`). Point `url=` at where the server really
    is (often `https://` instead of `http://`, or a missing path prefix).

    Example:
        ```python
        try:
            client.assistants.search()
        except lgsync.errors.RedirectError as exc:
            print("the server moved:", exc.headers.get("location"))
        ```
    """


class RunError(LangGraphError):
    """`runs.wait(..., raise_error=True)` found that the run ended in an error.

    The graph raised: fix the input, the graph, or its configuration, then run
    again. The SDK
    raises a bare `Exception` with the same text, so `except Exception` still
    catches it.

    Args:
        error: The name of the graph's exception, as the server sent it.
        message: The exception's text, as the server sent it.
        body: The whole answer of `runs.wait`.

    Attributes:
        error: The name of the graph's exception, for example `"ValueError"`.
        message: Its text (both bounded to `MESSAGE_LIMIT` characters).
        body: The whole answer; `str(exc)` is `"<error>: <message>"`.

    Example:
        ```python
        try:
            client.runs.wait(thread_id, "agent", input={"topic": ""}, raise_error=True)
        except lgsync.errors.RunError as exc:
            print(exc.error, exc.message)
        ```
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

    The server then runs it from the beginning (its `metadata` event says
    `attempt` 2 or more), so the events that follow repeat the run's
    progress with new ids: no resume can tell them from new ones. Rather than
    hand them over as if they were new (the SDK does), the stream raises this.
    The run goes on: join it again (`runs.join_stream` without
    `last_event_id`) to follow the new attempt from its start, or wait for its
    result (`runs.join`).

    Args:
        run_id: The run, where the stream knew it.
        attempt: The attempt the server started.
        previous_attempt: The attempt the stream was following.

    Attributes:
        run_id: The run that restarted, or `None`.
        attempt: The new attempt's number (2 or more).
        previous_attempt: The attempt followed until then.

    Example:
        ```python
        try:
            for part in client.runs.join_stream(thread_id, run_id):
                print(part.event)
        except lgsync.errors.RunRestartedError as exc:
            for part in client.runs.join_stream(thread_id, exc.run_id or run_id):
                print(part.event)
        ```
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
    """The run of a thread stream ended with an error, or its event stream could not be resumed.

    Raised by `thread.output` and the projections of `client.threads.stream(...)`
    when the run's lifecycle says `failed` (`"Run errored: <error>"`), by a
    message's text or a tool call's `output` when that message or tool failed,
    and by a projection whose connection could not be resumed within the
    client's `stream_retry=` policy (`"Lifecycle transport failed: ..."`, the
    last failure as `__cause__`; the SDK raises `httpx.ReadError` there). A
    `RuntimeError` too, as in `langgraph_sdk`, so `except RuntimeError` keeps
    working. Fix the graph or the input and start a new run; after a transport
    failure, open a new session on the same `thread_id` to read the run's
    outcome.

    Example:
        ```python
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input={"topic": "ice cream"})
            try:
                print(thread.output)
            except lgsync.errors.RunFailedError as exc:
                print("run failed:", exc)
        ```
    """


class ProtocolError(LangGraphError, RuntimeError):
    """The server refused a thread-stream command or failed its event stream (an `{"type": "error"}` answer).

    Worded as the SDK words it: `"Protocol error [<code>]: <message>"`. Raised
    by `thread.run.start(...)` and `thread.run.respond(...)` when the server
    rejects the command (its answer names the reason), and by `thread.output`
    or a projection when the server sends an error frame and closes the
    stream.
    Also a `RuntimeError`, as in the SDK. Fix the command's arguments; after an
    error frame, open a new session on the thread.

    Example:
        ```python
        with client.threads.stream(assistant_id="agent") as thread:
            try:
                thread.run.start(input={"topic": "ice cream"})
            except lgsync.errors.ProtocolError as exc:
                print("refused:", exc)
        ```
    """


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
MESSAGE_LIMIT = 4000
"""The longest server message an error repeats, in characters; past it, the text is cut and ends with "…"."""
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
    """A short, printable excerpt of a body for an error message: whitespace runs as one space, cut at `limit`.

    Only the first few times `limit` characters are looked at, whatever the body's size.

    Args:
        raw: The body, as bytes (decoded as UTF-8, bad bytes replaced) or text.
        limit: The most characters kept before the `…`.

    Returns:
        The excerpt, ending with `…` when the body was longer.

    Example:
        ```pycon
        >>> excerpt(b"<html>\\n  <body>Bad Gateway</body>\\n</html>")
        '<html> <body>Bad Gateway</body> </html>'
        ```
    """
    window = 4 * limit + 4
    head = raw[:window]
    text = head.decode("utf-8", errors="replace") if isinstance(head, bytes) else head
    text = " ".join(text.split())
    if len(text) > limit or len(raw) > window:
        text = text[:limit] + "…"
    return text


def bounded_str(value: object, limit: int = _EXCERPT) -> str:
    """`str(value)` for a value that came from a server, bounded in depth and length.

    The same text as `str()` for ordinary JSON values (a string is itself);
    containers nested more than 20 levels show as `[…]` or `{…}`, and a
    text longer than `limit` is cut and ends with `…`. It never raises
    `RecursionError`, however deep the value (JSON parsers accept 1,024 levels).
    lgsync's errors use it for every value the server chose, and your own log
    lines can too.

    Args:
        value: Any value, usually decoded JSON.
        limit: The most characters kept before the `…` (300 by default).

    Returns:
        The text, at most `limit` characters plus the `…`.

    Example:
        ```pycon
        >>> bounded_str({"loc": ["body", "input"], "msg": "field required"})
        "{'loc': ['body', 'input'], 'msg': 'field required'}"
        >>> bounded_str("x" * 500, limit=5)
        'xxxxx…'
        ```
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
