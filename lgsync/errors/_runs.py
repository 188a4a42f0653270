"""Errors of a run rather than of a request: it failed, it was restarted, or the server refused a command.

The HTTP exchange went well; what the server reported about the run is what
went wrong, so these sit beside `APIError`, not under it.
"""

from __future__ import annotations

from typing import Any

from lgsync.errors._base import LangGraphError
from lgsync.errors._text import MESSAGE_LIMIT, bounded_str


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
