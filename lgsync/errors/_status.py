"""`APIStatusError` and its class per HTTP status that the caller handles differently.

The server answered, with an error status: the status, the call, the headers and
the request id travel with the error. `_class_for` says which class stands for a status.
"""

from __future__ import annotations

from collections.abc import Mapping

from lgsync.errors._base import APIError
from lgsync.retry import parse_retry_after


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


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def _class_for(status_code: int) -> type[APIStatusError]:
    """The class that stands for a status: its own, else `InternalServerError` for a 5xx, `RedirectError` for a 3xx."""
    cls = _BY_STATUS.get(status_code)
    if cls is not None:
        return cls
    if status_code >= 500:
        return InternalServerError
    if 300 <= status_code < 400:
        return RedirectError
    return APIStatusError


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
