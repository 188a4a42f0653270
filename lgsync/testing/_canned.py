"""Canned answers for ``MockTransport``: JSON bodies, event streams, and the response served from them."""

from __future__ import annotations

import json as _json
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Optional, Tuple, Union

from lgsync._sse_encoder import encode_event, json_data
from lgsync.errors import APIConnectionError
from lgsync.schema import StreamPart
from lgsync.transport.base import Headers

__all__ = ["CannedResponse", "EventLike", "MockResponse", "encode_sse", "json_response", "sse_response"]

#: What ``add_stream`` accepts as one event: a ``StreamPart``, ``(event, data)``,
#: ``(event, data, id)``, or raw bytes sent as they are (comments, ``retry:``).
EventLike = Union[StreamPart, Tuple[str, Any], Tuple[str, Any, Optional[str]], bytes]


def encode_sse(event: EventLike) -> bytes:
    """One event in the SSE wire format, its data as JSON.

    Args:
        event: A `StreamPart`, an `(event, data)` or `(event, data, id)` tuple,
            or bytes (returned as they are).

    Returns:
        The event's bytes, ending with a blank line.

    Example:
        >>> encode_sse(("updates", {"a": 1}, "5-0"))
        b'event: updates\nid: 5-0\ndata: {"a":1}\n\n'
    """
    if isinstance(event, bytes):
        return event
    data = event[1]
    return encode_event(event[0], None if data is None else json_data(data), id=event[2] if len(event) > 2 else None)


@dataclass(frozen=True)
class CannedResponse:
    """What a route answers: status, headers and the body in chunks.

    Each request gets a fresh :class:`MockResponse` built from it, so one
    canned answer serves any number of calls. ``drop`` makes the body end
    with a connection error after the last chunk (a dropped stream);
    ``pause`` is slept before each chunk (a slow stream).
    """

    status_code: int = 200
    headers: Tuple[Tuple[str, str], ...] = ()
    chunks: Tuple[bytes, ...] = ()
    drop: bool = False
    pause: float = 0.0

    def build(self, url: str) -> MockResponse:
        return MockResponse(self, url)


def json_response(json: Any = None, *, status: int = 200, headers: Mapping[str, str] | None = None) -> CannedResponse:
    """A canned JSON answer, for `MockTransport.add(..., response=...)` or a route's handler.

    Args:
        json: The body, encoded as JSON.
        status: The status (an error status makes the client raise the matching error).
        headers: More headers (`Content-Type: application/json` is set).

    Returns:
        A `CannedResponse`.

    Example:
        ```python
        transport.add("GET", "/threads/{thread_id}", response=[json_response(status=503), json_response({"thread_id": "t-1"})])
        ```
    """
    body = b"" if json is None else _json.dumps(json).encode("utf-8")
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return CannedResponse(status, tuple(all_headers.items()), (body,) if body else ())


def sse_response(
    events: Iterable[EventLike],
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    location: str | None = None,
    chunk_size: int | None = None,
    drop: bool = False,
    pause: float = 0.0,
) -> CannedResponse:
    """A canned event stream, for `MockTransport.add(..., response=...)` or a route's handler.

    Args:
        events: `StreamPart`s, `(event, data)` or `(event, data, id)` tuples,
            or raw bytes sent as they are.
        status: The status.
        headers: More headers (`Content-Type: text/event-stream` is set).
        location: The `Location` header that names the run's stream, which
            lgsync reconnects to after a drop.
        chunk_size: Send the body in chunks of this many bytes, cutting events
            anywhere (default: one chunk per event).
        drop: End the body with a broken connection after the events, as a
            network cut would (off by default).
        pause: Seconds to wait before each chunk.

    Returns:
        A `CannedResponse`.

    Example:
        ```python
        cut = sse_response([("metadata", {"run_id": "r-1"}), ("values", {"n": 1}, "1-0")], location="/threads/t/runs/r/stream", drop=True)
        ```
    """
    encoded = [encode_sse(e) for e in events]
    if chunk_size:
        blob = b"".join(encoded)
        encoded = [blob[i : i + chunk_size] for i in range(0, len(blob), chunk_size)]
    all_headers = {"Content-Type": "text/event-stream; charset=utf-8", **(headers or {})}
    if location is not None:
        all_headers["Location"] = location
    return CannedResponse(status, tuple(all_headers.items()), tuple(encoded), drop=drop, pause=pause)


class MockResponse:
    """A response served from memory that behaves like a transport's.

    ``read()`` returns the rest of the body, ``iter_bytes()`` yields it chunk
    by chunk, ``close()`` stops both; ``closed`` tells a test whether the
    code under test closed it (lgsync closes every response, read or not).
    """

    def __init__(self, canned: CannedResponse, url: str) -> None:
        self.status_code = canned.status_code
        self.headers = Headers(list(canned.headers))
        self.url = url
        self._chunks = list(canned.chunks)
        self._drop = canned.drop
        self._pause = canned.pause
        self._preloaded = False
        self.closed = False

    def __repr__(self) -> str:
        return f"<MockResponse [{self.status_code}] {self.url}>"

    def preload(self) -> MockResponse:
        """Read the whole body now and release the connection, as a transport that buffers answers would."""
        content = self.read()
        self._chunks = [content] if content else []
        self._pause = 0.0
        self._preloaded = self.closed = True
        return self

    def _open(self) -> bool:
        return self._preloaded or not self.closed

    def read(self) -> bytes:
        return b"".join(self.iter_bytes())

    def iter_bytes(self) -> Iterator[bytes]:
        while self._chunks and self._open():
            if self._pause:
                time.sleep(self._pause)
            if not self._open():
                return
            yield self._chunks.pop(0)
        if self._drop and self._open():
            self._drop = False
            raise APIConnectionError(f"The connection to {self.url} broke while reading (MockTransport drop)")

    def close(self) -> None:
        self.closed = True
