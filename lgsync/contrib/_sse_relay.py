"""Relaying a run's stream to a browser as server-sent events, framework-free.

``SSERelay`` is the WSGI response iterable the Flask and Django adapters wrap:
it re-encodes ``StreamPart`` as SSE, beats while the run is quiet, and closes
the upstream stream the moment the WSGI server closes it.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Callable, Tuple

from lgsync.schema import StreamPart

__all__ = ["SSE_HEADERS", "SSERelay", "close_upstream", "encode_part"]

logger = logging.getLogger("lgsync.contrib")

#: Headers that keep proxies and browsers from buffering or caching the stream.
#: (No ``Connection`` header: WSGI forbids hop-by-hop headers.)
SSE_HEADERS: Mapping[str, str] = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"

#: ``("part", StreamPart)``, ``("error", {"error": ..., "message": ...})`` or ``("done", None)``.
_Item = Tuple[str, Any]


def _field(value: str) -> str:
    # An event name or id must stay on one line of the SSE stream.
    return value.replace("\r", " ").replace("\n", " ")


def encode_part(part: StreamPart | tuple[str, Any] | tuple[str, Any, str | None], *, include_id: bool = True) -> bytes:
    """One stream part as an SSE event: ``event``, ``id`` and the data as one line of JSON.

    Example::

        >>> encode_part(StreamPart("updates", {"refine_topic": {"topic": "ice cream and cats"}}, "3-0"))
        b'event: updates\\nid: 3-0\\ndata: {"refine_topic":{"topic":"ice cream and cats"}}\\n\\n'
    """
    event, data = part[0], part[1]
    event_id = part[2] if len(part) > 2 else None
    lines = [f"event: {_field(event)}"]
    if include_id and event_id:
        lines.append(f"id: {_field(event_id)}")
    lines.append("data: " + json.dumps(data, separators=(",", ":"), ensure_ascii=False, default=str))
    return ("\n".join(lines) + "\n\n").encode("utf-8")


def close_upstream(parts: object) -> None:
    """Close a run's stream now, even while another thread is blocked reading it.

    A :class:`~lgsync.ReconnectingStream` is aborted (its socket shut down at
    once, no resume), which the server sees as the client leaving: a run
    streamed with ``on_disconnect="cancel"`` or joined with
    ``cancel_on_disconnect=True`` is cancelled. Any other iterable with a
    ``close()`` is closed.

    Example::

        stream = client.runs.join_stream(thread_id, run_id, cancel_on_disconnect=True)
        close_upstream(stream)
    """
    target = getattr(parts, "stream", parts)  # a V2Stream wraps the ReconnectingStream
    abort: Callable[[], None] | None = getattr(target, "abort", None)
    if abort is not None:
        abort()
        return
    close: Callable[[], None] | None = getattr(parts, "close", None)
    if close is not None:
        try:
            close()
        except ValueError:
            pass  # a generator being read in another thread right now


class SSERelay(Iterator[bytes]):
    """A WSGI response iterable that relays a run's stream as SSE bytes.

    A reader thread pulls parts from ``parts`` (usually the stream returned
    by ``client.runs.stream`` or ``client.runs.join_stream``) into a queue;
    the WSGI thread yields them, and a comment (``: heartbeat``) whenever
    ``heartbeat`` seconds pass without one, so that proxies keep the
    connection open and a browser that went away is noticed. When the
    upstream stream ends, an ``end`` event is sent (``end_event=None`` sends
    none); if it fails, an ``error`` event shaped like LangGraph's
    (``{"error": ..., "message": ...}``) is sent instead.

    When the WSGI server closes the iterable (the browser went away, or the
    response was finished), the upstream stream is closed at once, and
    ``on_close`` is called.

    Example::

        relay = SSERelay(client.runs.stream(None, "chat", input={"topic": "ice cream"},
                                            stream_mode="messages-tuple", on_disconnect="cancel"))
        return relay  # as a WSGI app_iter, or wrapped by lgsync.contrib.flask / .django
    """

    def __init__(
        self,
        parts: Iterable[StreamPart],
        *,
        heartbeat: float = 15.0,
        end_event: str | None = "end",
        include_ids: bool = True,
        on_close: Callable[[], None] | None = None,
        max_queue: int = 1024,
    ) -> None:
        if heartbeat <= 0:
            raise ValueError("heartbeat must be a positive number of seconds")
        self._parts = parts
        self.heartbeat = heartbeat
        self._end_event = end_event
        self._include_ids = include_ids
        self._on_close = on_close
        self._queue: queue.Queue[_Item] = queue.Queue(maxsize=max_queue)
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._finished = False
        self.closed = False
        #: Parts relayed so far (for logs and tests).
        self.relayed = 0

    def __iter__(self) -> SSERelay:
        return self

    def __next__(self) -> bytes:
        if self._finished:
            raise StopIteration
        if self._thread is None:
            with self._lock:
                if self.closed:
                    raise StopIteration
                self._thread = threading.Thread(target=self._read, name="lgsync-sse-relay", daemon=True)
                self._thread.start()
            # Sent at once so that the headers and a first byte reach the browser.
            return b": connected\n\n"
        try:
            kind, value = self._queue.get(timeout=self.heartbeat)
        except queue.Empty:
            return b": heartbeat\n\n"
        if kind == "part":
            self.relayed += 1
            return encode_part(value, include_id=self._include_ids)
        self._finished = True
        if kind == "error":
            return encode_part(("error", value))
        if self._end_event is None:
            raise StopIteration
        return f"event: {_field(self._end_event)}\ndata: null\n\n".encode()

    def _put(self, item: _Item) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.25)
                return True
            except queue.Full:
                continue
        return False

    def _read(self) -> None:
        try:
            for part in self._parts:
                if not self._put(("part", part)):
                    return
            self._put(("done", None))
        except Exception as exc:
            if not self._stop.is_set():
                logger.warning("lgsync: the relayed stream failed: %s", exc)
                self._put(("error", {"error": type(exc).__name__, "message": str(exc)}))
        finally:
            close = getattr(self._parts, "close", None)
            if close is not None:
                try:
                    close()
                except Exception:
                    logger.debug("lgsync: closing the relayed stream failed", exc_info=True)

    def close(self) -> None:
        """Stop relaying and close the upstream stream now (idempotent); called by the WSGI server."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            self._finished = True
            self._stop.set()
        try:
            close_upstream(self._parts)
        finally:
            if self._on_close is not None:
                self._on_close()
