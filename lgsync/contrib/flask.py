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
    """A ``flask.Response`` (``text/event-stream``, unbuffered) relaying ``parts``.

    Each part becomes one SSE event named after its stream mode, with its
    data as JSON; a ``: heartbeat`` comment goes out on each keep-alive of
    the server (every 5 s); one ``end`` event marks the end (or one ``error``
    event, ``{"error": "upstream_error", ...}``, if the stream fails). When
    the browser goes away the upstream stream is closed, at the latest one
    keep-alive later: create the run with ``on_disconnect="cancel"`` (or join
    it with ``cancel_on_disconnect=True``) to have the server cancel it then.
    The relay uses the server's thread (or greenlet) and no other.

    Example::

        from lgsync.contrib.flask import sse_response

        @app.get("/chat/stream")
        def chat_stream():
            parts = client.runs.stream(None, "chat", input={"topic": request.args["topic"]},
                                       stream_mode="messages-tuple", on_disconnect="cancel")
            return sse_response(parts)
    """
    from flask import Response, has_request_context, request

    environ = request.environ if has_request_context() else None
    relay = SSERelay(parts, heartbeat=heartbeat, end_event=end_event, on_close=on_close, environ=environ)
    response = Response(relay, status=status, content_type=SSE_CONTENT_TYPE)
    for name, value in {**SSE_HEADERS, **(headers or {})}.items():
        response.headers[name] = value
    return response
