"""LangGraph-shaped SSE bodies, generated once so that serving them costs nothing.

Events look like the real server's: ``event``, ``data`` and ``id`` fields,
CRLF line ends, ``<ms>-<seq>`` ids.
"""

from __future__ import annotations

import json
import time
from typing import NamedTuple

__all__ = ["Body", "LARGE_SIZES", "chunk_frame", "large_values", "small_messages", "trickle_event"]

LARGE_SIZES = {"large1": 1, "large4": 4, "large16": 16}
_BASE_MS = 1712345678901


class Body(NamedTuple):
    """One stream: its events, each already framed as SSE bytes."""

    events: list[bytes]
    size: int


def _event(name: str, data: bytes, seq: int) -> bytes:
    return b"event: %s\r\ndata: %s\r\nid: %d-%d\r\n\r\n" % (name.encode(), data, _BASE_MS + seq // 4, seq % 4)


def small_messages(count: int) -> Body:
    """``count`` LLM token events of stream mode ``messages``, about 250 bytes each."""
    events = []
    words = ["the", "ice", "cream", "joke", "goes", "like", "this", "so"]
    for i in range(count):
        chunk = {
            "content": words[i % len(words)] + " ",
            "type": "AIMessageChunk",
            "id": "run-7f1c2d9e-5b3a-4c1e-9d2f-%012d" % i,
            "tool_call_chunks": [],
        }
        meta = {"langgraph_step": 1, "langgraph_node": "agent", "ls_model_name": "gpt-4o-mini"}
        data = json.dumps([chunk, meta], separators=(",", ":")).encode()
        events.append(_event("messages", data, i))
    return Body(events, sum(map(len, events)))


def large_values(megabytes: int) -> Body:
    """One ``values`` event whose JSON data is ``megabytes`` MB: a long message history."""
    target = megabytes * 1024 * 1024
    text = ("Ice cream is a frozen dessert made from milk, cream and sugar. " * 15).strip()
    message = {"type": "human", "content": text, "id": "", "additional_kwargs": {}}
    one = len(json.dumps(message, separators=(",", ":"))) + 12
    messages = []
    for i in range(max(1, target // one)):
        messages.append(dict(message, id="msg-%08d" % i))
    data = json.dumps({"messages": messages, "topic": "ice cream"}, separators=(",", ":")).encode()
    event = _event("values", data, 0)
    return Body([event], len(event))


def trickle_event(i: int) -> bytes:
    """A ``custom`` event carrying the moment it is sent (``time.perf_counter``, shared by processes)."""
    data = b'{"i":%d,"sent":%.9f}' % (i, time.perf_counter())
    return _event("custom", data, i)


def chunk_frame(payload: bytes) -> bytes:
    """``payload`` as one chunk of a chunked body, as uvicorn sends each event."""
    return b"%x\r\n%s\r\n" % (len(payload), payload)
