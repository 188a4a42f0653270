"""A smoke test against aegra, an independent server of the same protocol, on the tier's Postgres.

aegra's event ids are ``<run_id>_event_<n>`` (neither the dev server's nor
Redis's ``<ms>-<seq>``): joining after one and resuming a cut stream must
work with them too. Where aegra lacks an endpoint (stateless runs), the
call fails with the server's 404.
"""

from __future__ import annotations

import re
import time

import pytest

import lgsync
import lgsync.errors
from tests.support.fault_proxy import Fault, FaultProxy
from tests.support.prod_servers import Aegra

pytestmark = pytest.mark.prod

AEGRA_ID = re.compile(r"(?P<run>[0-9a-f-]{36})_event_(?P<n>\d+)")


def _assert_aegra_ids(parts: list[lgsync.StreamPart], run_id: str) -> None:
    numbers = []
    for part in parts:
        match = AEGRA_ID.fullmatch(part.id or "")
        assert match and match["run"] == run_id, part.id
        numbers.append(int(match["n"]))
    assert numbers == sorted(set(numbers)), numbers


def test_threads_create_and_stream_updates(aegra_client: lgsync.SyncClient) -> None:
    thread_id = aegra_client.threads.create()["thread_id"]

    parts = list(aegra_client.runs.stream(thread_id, "agent", input={"topic": "ice cream"}, stream_mode="updates"))

    assert [part.event for part in parts] == ["metadata", "updates", "updates"]
    assert parts[0].data["attempt"] == 1
    assert [part.data for part in parts[1:]] == [
        {"refine_topic": {"topic": "ice cream and cats"}},
        {"generate_joke": {"joke": "This is a joke about ice cream and cats"}},
    ]
    _assert_aegra_ids(parts, parts[0].data["run_id"])


def test_join_stream_with_last_event_id_continues_after_that_event(aegra_client: lgsync.SyncClient) -> None:
    client = aegra_client
    thread_id = client.threads.create()["thread_id"]
    run = client.runs.create(thread_id, "slow", input={"steps": 30, "delay": 0.05}, stream_mode=["custom"])
    run_id = str(run["run_id"])

    first: list[lgsync.StreamPart] = []
    for part in client.runs.join_stream(thread_id, run_id, stream_mode="custom"):
        first.append(part)
        if len(first) == 3:
            break
    rest = list(client.runs.join_stream(thread_id, run_id, stream_mode="custom", last_event_id=first[-1].id))

    custom = [part for part in first + rest if part.event == "custom"]
    assert [part.data["step"] for part in custom] == list(range(custom[0].data["step"], 30))
    _assert_aegra_ids(custom, run_id)
    assert client.runs.get(thread_id, run_id)["status"] == "success"


def test_a_cut_stream_resumes_after_the_last_aegra_id_delivered(aegra_server: Aegra, transport_name: str) -> None:
    # aegra cancels a streamed run when its client goes away unless told
    # otherwise (its default on_disconnect is "cancel"), hence "continue".
    # What lgsync owns is checked: the resume names the last event it
    # delivered, and nothing comes twice or out of order. aegra itself can
    # lose the event(s) emitted while the resume connects (it replays from
    # its database, then follows its live broker), so no test here counts
    # on every step arriving.
    proxy = FaultProxy(aegra_server.port)
    proxy.add_faults(Fault(after=1500))
    before_cut: lgsync.StreamPart | None = None
    parts: list[lgsync.StreamPart] = []
    try:
        with lgsync.get_sync_client(url=proxy.url, api_key=None, transport=transport_name) as client:
            thread_id = client.threads.create()["thread_id"]
            with client.runs.stream(
                thread_id,
                "slow",
                input={"steps": 30, "delay": 0.05},
                stream_mode="custom",
                stream_resumable=True,
                on_disconnect="continue",
            ) as stream:
                for part in stream:
                    if stream.reconnects and before_cut is None:
                        before_cut = parts[-1]
                    if part.event in ("metadata", "custom"):
                        parts.append(part)
    finally:
        proxy.close()

    assert proxy.stats.faults_injected == 1 and stream.reconnects == 1 and before_cut is not None
    run_id = parts[0].data["run_id"]
    _assert_aegra_ids(parts, run_id)
    steps = [part.data["step"] for part in parts[1:]]
    assert steps == sorted(set(steps)) and steps[-1] == 29, steps
    resume = proxy.stats.stream_requests[-1].decode("latin-1")
    assert f"GET /threads/{thread_id}/runs/{run_id}/stream" in resume
    assert f"Last-Event-ID: {before_cut.id}\r\n" in resume, resume


def test_a_stateless_run_is_refused_with_the_servers_404(aegra_client: lgsync.SyncClient) -> None:
    with pytest.raises(lgsync.errors.NotFoundError) as raised:
        list(aegra_client.runs.stream(None, "agent", input={"topic": "ice cream"}, stream_mode="updates"))

    assert raised.value.status_code == 404


def test_join_stream_cancel_on_disconnect_cancels_the_run_on_aegra(aegra_client: lgsync.SyncClient) -> None:
    # aegra's join ignores cancel_on_disconnect: only an explicit cancel stops the run.
    client = aegra_client
    thread_id = client.threads.create()["thread_id"]
    run = client.runs.create(thread_id, "slow", input={"steps": 100, "delay": 0.05}, stream_mode=["custom"])
    run_id = str(run["run_id"])

    for part in client.runs.join_stream(thread_id, run_id, cancel_on_disconnect=True, stream_mode="custom"):
        assert part.data["step"] < 90
        break

    deadline = time.monotonic() + 3.0
    status = str(client.runs.get(thread_id, run_id)["status"])
    while status in ("pending", "running") and time.monotonic() < deadline:
        time.sleep(0.1)
        status = str(client.runs.get(thread_id, run_id)["status"])
    assert status not in ("pending", "running"), f"run still {status!r} 3 s after the stream was closed"
