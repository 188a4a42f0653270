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
    """A `StreamingHttpResponse` (`text/event-stream`, unbuffered) that relays a run's stream to the browser.

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
    Keep `GZipMiddleware` away from this view: compression buffers the events.

    Under WSGI the response is read in the server's thread. Under ASGI
    (uvicorn, daphne; Django 4.2 or later) it streams asynchronously, the run
    being read in one worker thread per response, and a browser that leaves
    closes the upstream stream at once (Django 5.0 or later, whose ASGI
    handler listens for the disconnect).

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
        request: The view's request, so that the relay can tell the server it
            runs under (a warning, once, for gunicorn's `sync` worker).

    Returns:
        A `StreamingHttpResponse`; return it from the view.

    Example:
        ```python
        from lgsync.contrib.django import sse_response

        def chat_stream(request):
            parts = client.runs.stream(
                None, "chat", input={"topic": request.GET["topic"]}, stream_mode="messages-tuple", on_disconnect="cancel"
            )
            return sse_response(parts, request=request)
        ```
    """
    meta = getattr(request, "META", None)
    environ = meta if isinstance(meta, Mapping) and "wsgi.version" in meta else None
    relay = SSERelay(parts, heartbeat=heartbeat, end_event=end_event, on_close=on_close, environ=environ)
    response = _response_class()(relay, status=status, content_type=SSE_CONTENT_TYPE)
    response.relay = relay
    for name, value in {**SSE_HEADERS, **(headers or {})}.items():
        response[name] = value
    return response
