"""Streams from the real LangGraph server survive cuts and stalls injected by a proxy.

A run writes 2000 numbered custom events with ``stream_resumable=True``; the
proxy cuts the stream at arbitrary bytes (inside groups of events that share
an id, and while the run is still emitting) and the caller must still see
events 0..1999, each once, in order.
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator

import pytest

import lgsync
from lgsync.errors import APIConnectionError
from tests.conftest import TRANSPORTS
from tests.support.fault_proxy import Fault, FaultProxy

COUNT = 2000
# Fast reconnects make the resume reach the server while the run still
# emits, which is when the server sends some events twice.
QUICK = lgsync.Retry(total=6, backoff_factor=0.01, backoff_max=0.05)


def numbers(parts: Iterator[lgsync.StreamPart]) -> list[int]:
    return [part.data["i"] for part in parts if part.event == "custom"]


def _wait_for_status(client: lgsync.SyncClient, thread_id: str, run_id: str, wanted: str) -> str:
    """Poll the run until its status is ``wanted`` or changes from it no more (10 s at most)."""
    deadline = time.monotonic() + 10
    status = ""
    while time.monotonic() < deadline:
        status = client.runs.get(thread_id, run_id)["status"]
        if status == wanted or (wanted != "running" and status not in ("pending", "running")):
            break
        time.sleep(0.05)
    return status


def cuts(seed: int, count: int = 6) -> list[Fault]:
    rnd = random.Random(seed)
    return [Fault(rnd.randint(100, 40000)) for _ in range(count)]


@pytest.mark.parametrize("transport_name", TRANSPORTS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_runs_stream_survives_cuts(proxy: FaultProxy, transport_name: str, seed: int) -> None:
    client = lgsync.get_sync_client(url=proxy.url, api_key=None, transport=transport_name, stream_retry=QUICK)
    thread = client.threads.create()
    proxy.add_faults(*cuts(seed))
    stream = client.runs.stream(
        thread["thread_id"],
        "custom",
        input={"count": COUNT, "delay": 0.0003},
        stream_mode=["custom"],
        stream_resumable=True,
    )
    assert numbers(stream) == list(range(COUNT))
    # A cut planned past the end of the run's last connection never happens,
    # and one in the final chunk's trailer loses nothing and needs no resume.
    assert 4 <= stream.reconnects <= proxy.stats.faults_injected
    # Every reconnect went to the run's own stream, with the modes and an id to resume from.
    reconnects = proxy.stats.stream_requests[1:]
    assert len(reconnects) == stream.reconnects
    for request in reconnects:
        head = request.split(b"\r\n\r\n", 1)[0].lower()
        assert head.startswith(b"get /threads/")
        assert b"stream_mode=%5b%22custom%22%2c%22error%22%2c%22metadata%22%5d" in head
        assert b"\r\nlast-event-id: " in head


@pytest.mark.parametrize("transport_name", TRANSPORTS)
def test_join_stream_survives_cuts_and_resends_its_options(proxy: FaultProxy, transport_name: str) -> None:
    client = lgsync.get_sync_client(url=proxy.url, api_key=None, transport=transport_name, stream_retry=QUICK)
    thread = client.threads.create()
    run = client.runs.create(
        thread["thread_id"],
        "custom",
        input={"count": COUNT, "delay": 0.0003},
        stream_mode=["custom", "updates"],
        stream_resumable=True,
    )
    proxy.add_faults(*cuts(11, count=5))
    stream = client.runs.join_stream(
        thread["thread_id"],
        run["run_id"],
        stream_mode="custom",
        last_event_id="0",
        headers={"x-trace": "join-test"},
        params={"probe": "kept"},
    )
    parts = list(stream)
    assert [p.data["i"] for p in parts] == list(range(COUNT))
    assert {p.event for p in parts} == {"custom"}, "a reconnect must keep stream_mode"
    # A cut that lands in the stream's last bytes (its final chunk) loses nothing and needs no resume.
    assert 3 <= stream.reconnects <= proxy.stats.faults_injected
    for request in proxy.stats.stream_requests:
        head = request.split(b"\r\n\r\n", 1)[0].lower()
        assert b"stream_mode=%5b%22custom%22%2c%22error%22%2c%22metadata%22%5d" in head
        assert b"cancel_on_disconnect=false" in head
        assert b"probe=kept" in head
        assert b"\r\nx-trace: join-test" in head


@pytest.mark.parametrize("transport_name", TRANSPORTS)
def test_cancel_on_disconnect_still_holds_after_a_reconnect(proxy: FaultProxy, transport_name: str) -> None:
    client = lgsync.get_sync_client(
        url=proxy.url,
        api_key=None,
        transport=transport_name,
        stream_retry=QUICK,
        timeout=lgsync.Timeout(stream_idle=1.0),
    )
    thread = client.threads.create()
    run = client.runs.create(
        thread["thread_id"], "slow", input={"steps": 200, "delay": 0.05}, stream_mode=["custom"], stream_resumable=True
    )
    _wait_for_status(client, thread["thread_id"], run["run_id"], "running")
    # A stall, not a cut: the server must not see the first connection close
    # (it would cancel the run itself); lgsync gives up on it and reconnects.
    proxy.add_faults(Fault(1500, kind="stall"))
    stream = client.runs.join_stream(
        thread["thread_id"], run["run_id"], stream_mode="custom", cancel_on_disconnect=True, last_event_id="0"
    )
    seen = 0
    for _ in stream:
        seen += 1
        if stream.reconnects and seen >= 10:
            break
    stream.close()
    assert stream.reconnects >= 1, "the stall must have been resumed"
    assert _wait_for_status(client, thread["thread_id"], run["run_id"], "interrupted") == "interrupted"


@pytest.mark.parametrize("transport_name", TRANSPORTS)
def test_a_stalled_stream_is_resumed_within_the_idle_timeout(proxy: FaultProxy, transport_name: str) -> None:
    client = lgsync.get_sync_client(
        url=proxy.url,
        api_key=None,
        transport=transport_name,
        timeout=lgsync.Timeout(stream_idle=1.0),
        stream_retry=QUICK,
    )
    thread = client.threads.create()
    proxy.add_faults(Fault(2000, kind="stall"))
    started = time.monotonic()
    stream = client.runs.stream(
        thread["thread_id"],
        "custom",
        input={"count": 300, "delay": 0.002},
        stream_mode=["custom"],
        stream_resumable=True,
    )
    assert numbers(stream) == list(range(300))
    assert stream.reconnects == 1
    assert "timed out" in stream.reconnect_causes[0].lower()
    # One idle period plus the run itself: nowhere near a hang.
    assert time.monotonic() - started < 15


@pytest.mark.parametrize("transport_name", TRANSPORTS)
def test_the_server_going_away_gives_a_clear_error_in_bounded_time(proxy: FaultProxy, transport_name: str) -> None:
    client = lgsync.get_sync_client(url=proxy.url, api_key=None, transport=transport_name)
    thread = client.threads.create()
    stream = client.runs.stream(
        thread["thread_id"],
        "slow",
        input={"steps": 400, "delay": 0.05},
        stream_mode=["custom"],
        stream_resumable=True,
    )
    assert next(stream).event == "metadata"
    started = time.monotonic()
    proxy.close()
    with pytest.raises(APIConnectionError) as caught:
        for _ in stream:
            pass
    elapsed = time.monotonic() - started
    assert "gave up after" in str(caught.value) or "Could not connect" in str(caught.value)
    # Default stream retry policy: 5 reconnects, backoff 0.25 s doubling to 4 s (about 9 s in all).
    assert elapsed < 15


@pytest.mark.parametrize("transport_name", TRANSPORTS)
def test_a_refused_connection_fails_fast(transport_name: str) -> None:
    from lgsync.devserver import free_port

    client = lgsync.get_sync_client(url=f"http://127.0.0.1:{free_port()}", api_key=None, transport=transport_name)
    started = time.monotonic()
    with pytest.raises(APIConnectionError) as caught:
        client.threads.create()
    assert caught.value.request_sent is False
    assert "Could not connect" in str(caught.value)
    assert time.monotonic() - started < 3
