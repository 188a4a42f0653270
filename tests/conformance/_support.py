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
    stream_retry: lgsync.Retry | None = None,
) -> lgsync.SyncClient:
    """A client of ``BASE_URL`` on ``transport``; every backoff is recorded in ``sleeps`` instead of slept."""
    record = sleeps if sleeps is not None else []
    all_headers = {"User-Agent": f"lgsync/{lgsync.__version__}", **(headers or {})}
    if api_key:
        all_headers["x-api-key"] = api_key
    http = HttpClient(
        BASE_URL, transport=transport, headers=all_headers, stream_retry=stream_retry, sleep=record.append
    )
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


def proto(seq: int, method: str, data: Any, namespace: Sequence[str] = ()) -> dict[str, Any]:
    """One protocol event of the thread stream, with ``seq`` and an ``event_id`` derived from it."""
    return {
        "type": "event",
        "method": method,
        "params": {"namespace": list(namespace), "data": data},
        "seq": seq,
        "event_id": f"e{seq}",
    }


def lifecycle(seq: int, phase: str, namespace: Sequence[str] = (), **extra: Any) -> dict[str, Any]:
    """A ``lifecycle`` event: ``running``, ``completed``, ``failed`` (with ``error=``), ``interrupted``."""
    return proto(seq, "lifecycle", {"event": phase, **extra}, namespace)


def message_started(seq: int, message_id: str, namespace: Sequence[str] = ()) -> dict[str, Any]:
    data = {"event": "message-start", "id": message_id, "role": "ai", "metadata": {"langgraph_node": "potter"}}
    return proto(seq, "messages", data, namespace)


def message_delta(seq: int, text: str, message_id: str | None, namespace: Sequence[str] = ()) -> dict[str, Any]:
    data: dict[str, Any] = {"event": "content-block-delta", "index": 0, "delta": {"type": "text-delta", "text": text}}
    if message_id is not None:
        data["id"] = message_id
    return proto(seq, "messages", data, namespace)


def message_block_done(seq: int, text: str, message_id: str | None, namespace: Sequence[str] = ()) -> dict[str, Any]:
    data: dict[str, Any] = {"event": "content-block-finish", "index": 0, "content": {"type": "text", "text": text}}
    if message_id is not None:
        data["id"] = message_id
    return proto(seq, "messages", data, namespace)


def message_finished(seq: int, message_id: str | None, namespace: Sequence[str] = ()) -> dict[str, Any]:
    data: dict[str, Any] = {"event": "message-finish", "usage": {"input_tokens": 2, "output_tokens": 3}}
    if message_id is not None:
        data["id"] = message_id
    return proto(seq, "messages", data, namespace)


def whole_message(
    first_seq: int, message_id: str, text: str, namespace: Sequence[str] = (), *, keyed: bool = True
) -> list[dict[str, Any]]:
    """The four events of one message: start, a text delta, the block's end, the message's end."""
    key = message_id if keyed else None
    return [
        message_started(first_seq, message_id, namespace),
        message_delta(first_seq + 1, text, key, namespace),
        message_block_done(first_seq + 2, text, key, namespace),
        message_finished(first_seq + 3, key, namespace),
    ]


def tool(seq: int, phase: str, call_id: str, namespace: Sequence[str] = (), **extra: Any) -> dict[str, Any]:
    """A ``tools`` event: ``tool-started`` (``tool_name=``), ``tool-output-delta`` (``delta=``), ``tool-finished`` (``output=``), ``tool-error`` (``message=``)."""
    return proto(seq, "tools", {"event": f"tool-{phase}", "tool_call_id": call_id, **extra}, namespace)


def task_started(seq: int, namespace: Sequence[str], task_id: str, name: str = "step") -> dict[str, Any]:
    return proto(seq, "tasks", {"id": task_id, "name": name, "input": None, "triggers": []}, namespace)


def task_result(
    seq: int, namespace: Sequence[str], task_id: str, name: str, *, error: str | None = None, interrupts: Any = ()
) -> dict[str, Any]:
    data = {"id": task_id, "name": name, "result": {}, "error": error, "interrupts": list(interrupts)}
    return proto(seq, "tasks", data, namespace)


def custom(seq: int, name: str, namespace: Sequence[str] = (), **payload: Any) -> dict[str, Any]:
    return proto(seq, "custom", {"name": name, **payload}, namespace)


class ThreadServer:
    """The three endpoints a ``threads.stream`` session uses, on a ``MockTransport``.

    ``streams`` are the answers of ``POST .../stream/events`` in turn (the
    last one repeats); ``commands`` and ``stream_bodies`` record what was
    sent.
    """

    def __init__(
        self,
        transport: MockTransport,
        streams: Sequence[CannedResponse],
        *,
        state: Any = None,
        run_id: str = "run-1",
        command_meta: Mapping[str, Any] | None = None,
    ) -> None:
        self.commands: list[Any] = []
        self.run_id = run_id
        self.command_meta = command_meta
        prefix = r"/threads/[^/]+"
        transport.add("POST", re.compile(prefix + r"/commands"), handler=self._command)
        self.events_route = transport.add("POST", re.compile(prefix + r"/stream/events"), response=list(streams))
        transport.add("GET", re.compile(prefix + r"/state"), json={"values": state, "next": [], "tasks": []})
        transport.add("GET", re.compile(prefix + r"/runs"), json=[])

    @property
    def stream_bodies(self) -> list[Any]:
        return [r.json() for r in self.events_route.calls]

    def _command(self, request: RecordedRequest, _params: dict[str, str]) -> CannedResponse:
        body = request.json()
        self.commands.append(body)
        answer: dict[str, Any] = {"type": "success", "id": body.get("id"), "result": {"run_id": self.run_id}}
        if self.command_meta is not None:
            answer["meta"] = dict(self.command_meta)
        return json_response(answer)


def header_values(request: RecordedRequest, name: str) -> list[str]:
    """Every value sent for header ``name`` (case-insensitive), in order."""
    return [value for key, value in request.request.headers.items() if key.lower() == name.lower()]


__all__ = [
    "BASE_URL",
    "Step",
    "ThreadServer",
    "custom",
    "message_block_done",
    "message_delta",
    "message_finished",
    "message_started",
    "task_result",
    "task_started",
    "tool",
    "whole_message",
    "header_values",
    "lifecycle",
    "proto",
    "json_response",
    "make_client",
    "protocol_events",
    "raw_sse",
    "scripted",
    "sse_response",
    "status",
]
