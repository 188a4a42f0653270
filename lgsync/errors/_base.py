"""The root of lgsync's errors and `APIError`, the parent of every failed request.

What every error carries (`message`, `body` and the body's `code`, `param` and `type`),
and how every error pickles whatever its constructor takes.
"""

from __future__ import annotations

from typing import Any


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


def _string_field(body: object | None, name: str) -> str | None:
    value = body.get(name) if isinstance(body, dict) else None
    return value if isinstance(value, str) else None
