"""Errors of getting a usable answer at all: the connection, its timeouts, a broken stream, undecodable bytes.

What the caller does about them: try again later (connection, timeout), resume or
rejoin (stream), or look at what sits between lgsync and the server (decoding).
"""

from __future__ import annotations

from lgsync.errors._base import APIError


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
