"""Django: return a LangGraph run's stream to the browser as server-sent events.

``sse_response`` wraps a run stream in a ``StreamingHttpResponse`` that relays it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Callable

from lgsync.contrib._sse_relay import SSE_CONTENT_TYPE, SSE_HEADERS, SSERelay
from lgsync.schema import StreamPart

__all__ = ["sse_response"]


def sse_response(
    parts: Iterable[StreamPart],
    *,
    heartbeat: float = 15.0,
    end_event: str | None = "end",
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    on_close: Callable[[], None] | None = None,
) -> Any:
    """A ``StreamingHttpResponse`` (``text/event-stream``, unbuffered) relaying ``parts``.

    Each part becomes one SSE event named after its stream mode, with its
    data as JSON; a ``: heartbeat`` comment goes out every ``heartbeat``
    seconds of quiet; an ``end`` event marks the end. When the browser goes
    away (the WSGI server closes the response) the upstream stream is closed
    at once: create the run with ``on_disconnect="cancel"`` (or join it with
    ``cancel_on_disconnect=True``) to have the server cancel it then. Keep
    ``GZipMiddleware`` away from this view: compression buffers the events.

    Example::

        from lgsync.contrib.django import sse_response

        def chat_stream(request):
            parts = client.runs.stream(None, "chat", input={"topic": request.GET["topic"]},
                                       stream_mode="messages-tuple", on_disconnect="cancel")
            return sse_response(parts)
    """
    from django.http import StreamingHttpResponse

    relay = SSERelay(parts, heartbeat=heartbeat, end_event=end_event, on_close=on_close)
    response = StreamingHttpResponse(relay, status=status, content_type=SSE_CONTENT_TYPE)
    for name, value in {**SSE_HEADERS, **(headers or {})}.items():
        response[name] = value
    return response
