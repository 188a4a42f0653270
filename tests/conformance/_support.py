"""Helpers of the conformance suite: a client on a ``MockTransport`` and scripted answers.

Every test builds its client with :func:`make_client`, so a change in how a
client is put together touches this file only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Callable, Union

import lgsync
from lgsync.http import HttpClient
from lgsync.testing import CannedResponse, MockTransport, RecordedRequest, json_response, sse_response

BASE_URL = "http://sdk-conformance.test"

#: One answer of a script: a canned response, a function of the request, or an exception to raise.
Step = Union[CannedResponse, Callable[[RecordedRequest], CannedResponse], BaseException]


def make_client(
    transport: MockTransport,
    *,
    sleeps: list[float] | None = None,
    headers: Mapping[str, str] | None = None,
    api_key: str | None = None,
) -> lgsync.SyncClient:
    """A client of ``BASE_URL`` on ``transport``; every backoff is recorded in ``sleeps`` instead of slept."""
    record = sleeps if sleeps is not None else []
    all_headers = {"User-Agent": f"lgsync/{lgsync.__version__}", **(headers or {})}
    if api_key:
        all_headers["x-api-key"] = api_key
    http = HttpClient(BASE_URL, transport=transport, headers=all_headers, sleep=record.append)
    return lgsync.SyncClient(http)


def scripted(transport: MockTransport, steps: Sequence[Step]) -> list[RecordedRequest]:
    """Answer every request, whatever its path, with the next step; a request past the last fails the test."""
    seen: list[RecordedRequest] = []

    def answer(request: RecordedRequest, _params: dict[str, str]) -> CannedResponse:
        seen.append(request)
        if len(seen) > len(steps):
            raise AssertionError(f"unexpected request #{len(seen)}: {request.method} {request.url}")
        step = steps[len(seen) - 1]
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, CannedResponse):
            return step
        return step(request)

    transport.add("*", re.compile(r"/.*"), handler=answer)
    return seen


def raw_sse(
    chunks: Iterable[bytes],
    *,
    location: str | None = None,
    drop: bool = False,
    status: int = 200,
    content_type: str = "text/event-stream",
) -> CannedResponse:
    """An answer whose body is exactly ``chunks`` (raw SSE bytes), optionally cut at the end."""
    headers: dict[str, str] = {"Content-Type": content_type}
    if location is not None:
        headers["Location"] = location
    return CannedResponse(status, tuple(headers.items()), tuple(chunks), drop=drop)


def status(code: int, body: Any = None, headers: Mapping[str, str] | None = None) -> CannedResponse:
    """A JSON error (or any) answer with ``code``."""
    return json_response({"detail": "scripted failure"} if body is None else body, status=code, headers=headers)


def protocol_events(
    events: Sequence[Mapping[str, Any]], *, drop: bool = False, status_code: int = 200
) -> CannedResponse:
    """The thread event stream's answer: each protocol event as one ``message`` event with its ``event_id``."""
    if status_code != 200:
        return json_response({"detail": "scripted"}, status=status_code)
    chunks = []
    for event in events:
        event_id = event.get("event_id")
        head = f"id: {event_id}\n" if event_id is not None else ""
        chunks.append(f"{head}event: message\ndata: {json.dumps(event)}\n\n".encode())
    return raw_sse(chunks, drop=drop)


def header_values(request: RecordedRequest, name: str) -> list[str]:
    """Every value sent for header ``name`` (case-insensitive), in order."""
    return [value for key, value in request.request.headers.items() if key.lower() == name.lower()]


__all__ = [
    "BASE_URL",
    "Step",
    "header_values",
    "json_response",
    "make_client",
    "protocol_events",
    "raw_sse",
    "scripted",
    "sse_response",
    "status",
]
