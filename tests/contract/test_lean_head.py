"""The pools lgsync makes read an answer's head through a small buffer; a user's pools are left alone.

The memory this saves is measured in ``benchmarks.concurrency`` (about 5 kB
per open stream); here: that the small buffer is in place where it should
be and nowhere else, and that heads of any length and the bodies right
behind them still read exactly, on both transports.
"""

from __future__ import annotations

import http.client
import json
from typing import Any

import pytest
import requests
import urllib3

import lgsync
from lgsync.transport._lean import HEAD_BUFFER_SIZE
from tests.support.sse_server import SSE, Script, ScriptedServer, Send, json_script, sse_event

TIMEOUT = lgsync.Timeout(connect=5, read=10, stream_idle=10)


def _head_reader(response: lgsync.Response) -> Any:
    """The ``http.client`` answer under one of lgsync's responses (urllib3 1.26 and 2.x alike)."""
    raw = response._raw  # type: ignore[attr-defined]
    return raw._original_response


@pytest.mark.parametrize("head_size", [0, HEAD_BUFFER_SIZE - 200, HEAD_BUFFER_SIZE * 6])
def test_a_head_of_any_length_and_the_body_behind_it_read_exactly(
    server: ScriptedServer, transport: lgsync.Transport, head_size: int
) -> None:
    padding = {"X-Padding": "p" * head_size} if head_size else {}
    body = {"thread_id": "t1", "values": "v" * 5000}
    server.route("GET", "/threads/t1", json_script(body, headers=padding))
    events = [sse_event({"n": n}, event="values", id=f"{n}-0") for n in range(50)]
    server.route(
        "GET", "/threads/t1/runs/r1/stream", Script(headers={**SSE, **padding}, actions=[Send(e) for e in events])
    )

    response = transport.send(lgsync.Request("GET", server.url + "/threads/t1"), timeout=TIMEOUT)
    try:
        assert type(_head_reader(response)).__name__ == "LeanHeadResponse"
        assert response.headers.get("x-padding", "") == padding.get("X-Padding", "")
        content = response.read()
    finally:
        response.close()
    assert json.loads(content) == body

    with lgsync.get_sync_client(url=server.url, api_key=None, transport=transport) as client:
        parts = list(client.runs.join_stream("t1", "r1"))
    assert [p.data for p in parts] == [{"n": n} for n in range(50)]


@pytest.mark.parametrize("kind", ["pool manager", "session"])
def test_a_users_pool_manager_or_session_keeps_urllib3s_own_reader(server: ScriptedServer, kind: str) -> None:
    server.route("GET", "/threads/t1", json_script({"thread_id": "t1"}))
    transport: lgsync.Transport
    if kind == "pool manager":
        mine: Any = urllib3.PoolManager()
        transport = lgsync.Urllib3Transport(pool_manager=mine)
    else:
        mine = requests.Session()
        transport = lgsync.RequestsTransport(session=mine)
    response = transport.send(lgsync.Request("GET", server.url + "/threads/t1"), timeout=TIMEOUT)
    try:
        assert type(_head_reader(response)) is http.client.HTTPResponse
        assert response.read() == b'{"thread_id": "t1"}'
    finally:
        response.close()
    if kind == "pool manager":
        assert "Lean" not in mine.pool_classes_by_scheme["http"].__name__
        mine.clear()
    else:
        mine.close()
