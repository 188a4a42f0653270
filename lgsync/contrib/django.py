"""Django: return a LangGraph run's stream to the browser as server-sent events, under WSGI or ASGI.

``sse_response`` wraps a run stream in a ``StreamingHttpResponse`` that relays it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Mapping
from functools import lru_cache
from typing import Any, Callable

from lgsync.contrib._sse_relay import DEFAULT_HEARTBEAT, SSE_CONTENT_TYPE, SSE_HEADERS, SSERelay
from lgsync.schema import StreamPart

__all__ = ["sse_response"]


@lru_cache(maxsize=None)
def _response_class() -> Any:
    from django.http import StreamingHttpResponse

    class SSEStreamingHttpResponse(StreamingHttpResponse):  # type: ignore[misc]
        """Streams ``relay`` to a WSGI server as an iterator, to an ASGI server as an async iterator.

        Django serves a sync iterator to ASGI by reading it whole first, so
        the ASGI path gets the relay's own async iteration instead.
        """

        relay: SSERelay

        def __aiter__(self) -> AsyncIterator[bytes]:
            # The relay's own generator, so that the server's aclose() reaches it.
            return self.relay.aiter_bytes()

    return SSEStreamingHttpResponse


def sse_response(
    parts: Iterable[StreamPart],
    *,
    heartbeat: float = DEFAULT_HEARTBEAT,
    end_event: str | None = "end",
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    on_close: Callable[[], None] | None = None,
    request: Any = None,
) -> Any:
    """A ``StreamingHttpResponse`` (``text/event-stream``, unbuffered) relaying ``parts``.

    Each part becomes one SSE event named after its stream mode, with its
    data as JSON; a ``: heartbeat`` comment goes out on each keep-alive of
    the server (every 5 s); one ``end`` event marks the end (or one ``error``
    event, ``{"error": "upstream_error", ...}``, if the stream fails). Create
    the run with ``on_disconnect="cancel"`` (or join it with
    ``cancel_on_disconnect=True``) to have the server cancel it when the
    browser goes away. Keep ``GZipMiddleware`` away from this view:
    compression buffers the events.

    Under WSGI the response is read in the server's thread; under ASGI
    (uvicorn, daphne; Django 4.2 or later) it streams asynchronously, the
    run being read in one worker thread per response, and a browser that
    leaves closes the upstream stream at once (Django 5.0 or later, whose
    ASGI handler listens for the disconnect). Pass the view's ``request``
    so that the relay can check the server it runs under (a warning for
    gunicorn's ``sync`` worker).

    Example::

        from lgsync.contrib.django import sse_response

        def chat_stream(request):
            parts = client.runs.stream(None, "chat", input={"topic": request.GET["topic"]},
                                       stream_mode="messages-tuple", on_disconnect="cancel")
            return sse_response(parts, request=request)
    """
    meta = getattr(request, "META", None)
    environ = meta if isinstance(meta, Mapping) and "wsgi.version" in meta else None
    relay = SSERelay(parts, heartbeat=heartbeat, end_event=end_event, on_close=on_close, environ=environ)
    response = _response_class()(relay, status=status, content_type=SSE_CONTENT_TYPE)
    response.relay = relay
    for name, value in {**SSE_HEADERS, **(headers or {})}.items():
        response[name] = value
    return response
