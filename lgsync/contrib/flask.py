"""Flask: return a LangGraph run's stream to the browser as server-sent events.

``sse_response`` wraps a run stream in a ``flask.Response`` that relays it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Callable

from lgsync.contrib._sse_relay import DEFAULT_HEARTBEAT, SSE_CONTENT_TYPE, SSE_HEADERS, SSERelay
from lgsync.schema import StreamPart

__all__ = ["sse_response"]


def sse_response(
    parts: Iterable[StreamPart],
    *,
    heartbeat: float = DEFAULT_HEARTBEAT,
    end_event: str | None = "end",
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    on_close: Callable[[], None] | None = None,
) -> Any:
    """A `flask.Response` (`text/event-stream`, unbuffered) that relays a run's stream to the browser.

    Each part becomes one SSE event named after its stream mode, its data
    as one line of JSON, with its id if the run has ids (so that a browser's
    `EventSource` can come back with `Last-Event-ID`). The response starts
    with a `: connected` comment and sends `: heartbeat` on each keep-alive.
    It ends with one `end` event; a run that fails sends the server's `error`
    event, then `end`; a stream that fails upstream (beyond the reconnects)
    sends one `error` event `{"error": "upstream_error", ...}` instead, the
    details going to the `lgsync.contrib` logger. When the browser leaves,
    the upstream stream is closed (within one keep-alive on a quiet run):
    create the run with `on_disconnect="cancel"`, or join it with
    `cancel_on_disconnect=True`, to have it cancelled then.
    The relay uses the server's thread (or greenlet) and no other.

    Args:
        parts: The stream to relay: what `client.runs.stream` or
            `client.runs.join_stream` returns (heartbeats follow its
            keep-alives), or any iterable of `StreamPart` (relayed without
            heartbeats).
        heartbeat: Seconds between heartbeats for a stream that ticks on a
            timer. lgsync's run streams tick on the LangGraph server's
            keep-alive (every 5 s), whatever this value.
        end_event: The name of the one closing event (`None`: none).
        status: The response's status.
        headers: Response headers to add or override.
        on_close: Called once, after the upstream stream was closed, when the
            response is closed.

    Returns:
        A streamed `flask.Response`; return it from the view.

    Example:
        ```python
        from lgsync.contrib.flask import sse_response

        @app.get("/chat/stream")
        def chat_stream():
            parts = client.runs.stream(
                None, "chat", input={"topic": request.args["topic"]}, stream_mode="messages-tuple", on_disconnect="cancel"
            )
            return sse_response(parts)
        ```
    """
    from flask import Response, has_request_context, request

    environ = request.environ if has_request_context() else None
    relay = SSERelay(parts, heartbeat=heartbeat, end_event=end_event, on_close=on_close, environ=environ)
    response = Response(relay, status=status, content_type=SSE_CONTENT_TYPE)
    for name, value in {**SSE_HEADERS, **(headers or {})}.items():
        response.headers[name] = value
    return response
