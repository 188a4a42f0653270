"""Views of the chat example: relay a LangGraph run to the browser as server-sent events.

One lgsync client per process (safe to share between threads), made on first use.
"""

from __future__ import annotations

import threading

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

import lgsync
from lgsync.contrib.django import sse_response

_clients: dict[str, lgsync.SyncClient] = {}  # by transport and URL
_lock = threading.Lock()


def langgraph() -> lgsync.SyncClient:
    """The process's client of ``settings.LANGGRAPH_URL``."""
    url, transport = settings.LANGGRAPH_URL, settings.LANGGRAPH_TRANSPORT
    with _lock:
        key = f"{transport} {url}"
        if key not in _clients:
            _clients[key] = lgsync.get_sync_client(url=url, transport=transport)
        return _clients[key]


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "chat.html", {"stream_url": "/chat/stream"})


def chat_stream(request: HttpRequest) -> HttpResponse:
    # on_disconnect="cancel": the browser leaving cancels the run.
    parts = langgraph().runs.stream(
        None,
        "chat",
        input={"topic": request.GET.get("topic", "ice cream")},
        stream_mode="messages-tuple",
        on_disconnect="cancel",
    )
    return sse_response(parts)  # type: ignore[no-any-return]


def follow_run(request: HttpRequest, thread_id: str, run_id: str) -> HttpResponse:
    # ?cancel=1: the browser leaving cancels the background run.
    parts = langgraph().runs.join_stream(
        thread_id,
        run_id,
        cancel_on_disconnect=request.GET.get("cancel") == "1",
        stream_mode=request.GET.getlist("mode") or None,  # type: ignore[arg-type]
        last_event_id=request.headers.get("Last-Event-ID"),
    )
    return sse_response(parts)  # type: ignore[no-any-return]
