"""Relaying a run's stream to a browser as server-sent events, framework-free.

``SSERelay`` is the response iterable the Flask and Django adapters wrap: it
re-encodes ``StreamPart`` as SSE, beats while the run is quiet, and closes the
upstream stream the moment the web server closes the response.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Generator, Iterable, Iterator, Mapping
from typing import Any, Callable

from lgsync._sse_encoder import encode_event, json_data
from lgsync.contrib._wsgi_server import client_socket, peer_left, warn_if_sync_worker
from lgsync.schema import StreamPart

__all__ = [
    "DEFAULT_HEARTBEAT",
    "SSE_HEADERS",
    "UPSTREAM_ERROR",
    "SSERelay",
    "close_upstream",
    "encode_part",
]

logger = logging.getLogger("lgsync.contrib")

#: Headers that keep proxies and browsers from buffering or caching the stream.
#: (No ``Connection`` header: WSGI forbids hop-by-hop headers.)
SSE_HEADERS: Mapping[str, str] = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
SSE_CONTENT_TYPE = "text/event-stream; charset=utf-8"

#: The tick interval asked of a stream that ticks on a timer. lgsync's run
#: streams tick on the server's keep-alive instead (LangGraph: every 5 s).
DEFAULT_HEARTBEAT = 5.0

#: The data of the ``error`` event sent when the upstream stream fails. It is
#: the same whatever the cause: an exception's text can name internal hosts,
#: so it goes to the ``lgsync.contrib`` log and never to the browser.
UPSTREAM_ERROR: Mapping[str, str] = {"error": "upstream_error", "message": "The run's stream failed."}

_CONNECTED = b": connected\n\n"
_HEARTBEAT = b": heartbeat\n\n"
#: How many encoded chunks the ASGI worker thread may read ahead of the browser.
_READ_AHEAD = 64


def encode_part(part: StreamPart | tuple[str, Any] | tuple[str, Any, str | None], *, include_id: bool = True) -> bytes:
    """One stream part as an SSE event: ``event``, ``id`` and the data as one line of JSON.

    Example::

        >>> encode_part(StreamPart("updates", {"refine_topic": {"topic": "ice cream and cats"}}, "3-0"))
        b'event: updates\\nid: 3-0\\ndata: {"refine_topic":{"topic":"ice cream and cats"}}\\n\\n'
    """
    event_id = part[2] if len(part) > 2 else None
    return encode_event(part[0], json_data(part[1]), id=event_id if include_id and event_id else None)


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
    """A response iterable that relays a run's stream as SSE bytes, sync (WSGI) or async (ASGI).

    The caller's thread reads the run and writes what it reads: a
    ``: connected`` comment first, then each part as one SSE event, and a
    ``: heartbeat`` comment on each tick of the stream (its
    ``iter_with_ticks``: the LangGraph server's keep-alive, every 5 s), so
    that proxies keep the connection open and a browser that went away is
    noticed. No thread is started for this: a relay costs the web server's
    own thread (or greenlet) and nothing more. Any other iterable of parts
    is relayed without heartbeats.

    The response ends with exactly one ``end`` event (``end_event`` names it,
    ``None`` sends none), also when the server sent its own ``end``. If the
    upstream stream fails, it ends with one ``error`` event carrying
    :data:`UPSTREAM_ERROR` instead, and the exception goes to the
    ``lgsync.contrib`` log.

    When the web server closes the iterable (the browser went away, or the
    response was finished), the upstream stream is closed at once, from any
    thread, and ``on_close`` is called once. ``environ`` (the WSGI environ)
    lets the relay notice a departed browser at the next heartbeat without
    writing, where the server exposes the socket (werkzeug, gunicorn).

    Under ASGI, :meth:`aiter_bytes` serves the same bytes asynchronously: the
    blocking stream is read in one worker thread per response.

    Example::

        relay = SSERelay(client.runs.stream(None, "chat", input={"topic": "ice cream"},
                                            stream_mode="messages-tuple", on_disconnect="cancel"))
        return relay  # as a WSGI app_iter, or wrapped by lgsync.contrib.flask / .django
    """

    def __init__(
        self,
        parts: Iterable[StreamPart],
        *,
        heartbeat: float = DEFAULT_HEARTBEAT,
        end_event: str | None = "end",
        include_ids: bool = True,
        on_close: Callable[[], None] | None = None,
        environ: Mapping[str, Any] | None = None,
    ) -> None:
        if not heartbeat > 0:
            raise ValueError("heartbeat must be a positive number of seconds")
        self._parts = parts
        self.heartbeat = heartbeat
        self._end_event = end_event
        self._include_ids = include_ids
        self._on_close = on_close
        self._socket = client_socket(environ)
        if environ is not None:
            warn_if_sync_worker(environ)
        self._lock = threading.Lock()
        self._chunks = self._generate()
        self._upstream_done = False
        self._upstream_shut = False
        self._on_close_called = False
        self.closed = False
        #: Parts relayed so far (for logs and tests).
        self.relayed = 0
        #: Whether the relay stopped because the browser was seen to leave.
        self.peer_left = False

    def __iter__(self) -> SSERelay:
        return self

    def __next__(self) -> bytes:
        if self.closed:
            raise StopIteration
        try:
            return next(self._chunks)
        except ValueError as exc:  # "generator already executing"
            if self.closed:
                raise StopIteration from None  # closed from another thread at this very moment
            raise RuntimeError("an SSERelay is read by one thread at a time") from exc

    def _upstream(self) -> Iterator[StreamPart | None]:
        ticks: Callable[..., Iterator[StreamPart | None]] | None = getattr(self._parts, "iter_with_ticks", None)
        if not callable(ticks):
            return iter(self._parts)
        try:
            return ticks(self.heartbeat)
        except TypeError:  # a stream that ticks on the server's keep-alives only
            return ticks()

    def _generate(self) -> Generator[bytes, None, None]:
        yield _CONNECTED  # the headers and a first byte reach the browser at once
        upstream: Iterator[StreamPart | None] | None = None
        finished = False
        try:
            upstream = self._upstream()
            for part in upstream:
                if self.closed:
                    return
                if part is None:
                    if self._socket is not None and peer_left(self._socket):
                        self.peer_left = True
                        logger.info("lgsync: the browser left; closing the relayed stream")
                        self.close()
                        return
                    yield _HEARTBEAT
                    continue
                if isinstance(part, dict):
                    # A version="v2" stream: the dict goes as it is, named by its type.
                    self.relayed += 1
                    yield encode_part((str(part.get("type", "message")), part))
                    continue
                if part.event == "end":
                    break  # the run's stream is complete; the relay sends the one end event below
                self.relayed += 1
                yield encode_part(part, include_id=self._include_ids)
            if self.closed:
                return  # the read ended because the relay was closed from another thread
            finished = True
        except Exception as exc:
            if self.closed:
                return  # closed from outside: the abort ended the read, nothing failed
            logger.warning(
                "lgsync: the relayed stream failed after %d parts: %s: %s",
                self.relayed,
                type(exc).__name__,
                exc,
                exc_info=logger.isEnabledFor(logging.DEBUG),
            )
            yield encode_part(("error", dict(UPSTREAM_ERROR)))
            return
        finally:
            self._finish_upstream(upstream, finished)
        if self._end_event is not None:
            yield encode_event(self._end_event, json_data(None))

    def _finish_upstream(self, upstream: Iterator[StreamPart | None] | None, finished: bool) -> None:
        if finished:
            with self._lock:
                self._upstream_done = True
        for target in (upstream, self._parts):
            close: Callable[[], None] | None = getattr(target, "close", None)
            if close is None:
                continue
            try:
                close()
            except Exception:
                logger.debug("lgsync: closing the relayed stream failed", exc_info=True)

    def _shut_upstream(self) -> None:
        with self._lock:
            self.closed = True
            if self._upstream_shut or self._upstream_done:
                return
            self._upstream_shut = True
        close_upstream(self._parts)  # also ends a read blocked in another thread
        try:
            self._chunks.close()
        except ValueError:
            return  # being read in another thread: the abort ends that read, and that thread closes the rest
        # Not being read (perhaps never started): release the stream from here.
        self._finish_upstream(None, finished=False)

    def close(self) -> None:
        """Stop relaying and close the upstream stream now (idempotent, any thread); called by the server."""
        try:
            self._shut_upstream()
        finally:
            with self._lock:
                call, self._on_close_called = not self._on_close_called, True
            if call and self._on_close is not None:
                self._on_close()

    async def aiter_bytes(self) -> AsyncIterator[bytes]:
        """The relay's bytes for an ASGI server: the stream is read in a worker thread.

        Leaving the iteration early (the browser went away and the server
        cancelled the response) closes the upstream stream at once; the
        worker thread then ends. ``on_close`` is never called on the event loop.

        Example::

            async for chunk in SSERelay(parts).aiter_bytes():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
        """
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[bytes | BaseException | None] = asyncio.Queue()
        credit = threading.Semaphore(_READ_AHEAD)

        def deliver(item: bytes | BaseException | None) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:
                pass  # the event loop is gone: nobody is reading any more

        def pump() -> None:
            try:
                for chunk in self:
                    while not credit.acquire(timeout=0.5):
                        if self.closed:
                            return
                    deliver(chunk)
            except BaseException as exc:
                deliver(exc)
            finally:
                deliver(None)
                self.close()

        threading.Thread(target=pump, name="lgsync-sse-relay", daemon=True).start()
        try:
            while True:
                item = await queue.get()
                if item is None:
                    return
                if isinstance(item, BaseException):
                    raise item
                credit.release()
                yield item
        finally:
            # Cancelled or closed early: abort the upstream read now (the server
            # cancels a cancel-on-disconnect run). Off the event loop, since
            # lgsync may also ask the server to cancel the run; on_close runs
            # in the worker thread once its read has ended.
            try:
                loop.run_in_executor(None, self._shut_upstream)
            except RuntimeError:  # the loop is shutting down
                self._shut_upstream()
