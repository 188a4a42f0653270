"""``runs.join_stream``: the guide's "Join and stream" and the reference example, on the real server.

Background runs come from ``runs.create``; the ``slow`` graph keeps a run
going long enough to join it, and the ``custom`` graph gives numbered events
whose ids a resumable run keeps.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import TYPE_CHECKING

import pytest

import lgsync

if TYPE_CHECKING:
    from tests.integration.conftest import RecordingProxy

pytestmark = pytest.mark.integration

EVENT_ID = re.compile(r"(\d+)-(\d+)")
FINISHED = ("success", "error", "timeout", "interrupted")


def _new_thread(client: lgsync.SyncClient) -> str:
    return str(client.threads.create()["thread_id"])


def _id_key(event_id: str | None) -> tuple[int, int]:
    assert event_id is not None
    match = EVENT_ID.fullmatch(event_id)
    assert match, f"event id {event_id!r} is not of the form <ms>-<seq>"
    return int(match[1]), int(match[2])


def _final_status(client: lgsync.SyncClient, thread_id: str, run_id: str, timeout: float = 20.0) -> str:
    """Poll the run until it has finished; its status then."""
    deadline = time.monotonic() + timeout
    while True:
        status = str(client.runs.get(thread_id, run_id)["status"])
        if status in FINISHED:
            return status
        assert time.monotonic() < deadline, f"run {run_id} still {status!r} after {timeout:.0f}s"
        time.sleep(0.1)


def test_join_stream_guide_example_streams_the_rest_of_a_background_run(client: lgsync.SyncClient) -> None:
    thread_id = _new_thread(client)
    run = client.runs.create(thread_id, "slow", input={"steps": 5, "delay": 0.1})
    assert run["status"] == "pending"

    chunks = list(client.runs.join_stream(thread_id, run["run_id"]))

    # Created with the default mode ("values"); the join has no filter, so
    # the metadata event passes too, if the join came before the run started.
    assert chunks, "joining a run that has not finished yields its events"
    assert {chunk.event for chunk in chunks} <= {"metadata", "values"}
    assert (chunks[-1].event, chunks[-1].data) == ("values", {"steps": 5, "delay": 0.1, "done": 5})
    assert client.runs.get(thread_id, run["run_id"])["status"] == "success"


def test_join_stream_reference_example_honours_every_mode_of_the_list(client: lgsync.SyncClient) -> None:
    thread_id = _new_thread(client)
    run = client.runs.create(
        thread_id, "slow", input={"steps": 5, "delay": 0.1}, stream_mode=["values", "debug", "custom"]
    )

    parts = list(client.runs.join_stream(thread_id=thread_id, run_id=run["run_id"], stream_mode=["values", "debug"]))

    events = {part.event for part in parts}
    # Both modes: the server reads one JSON array. Sent as a repeated query
    # key it would keep only the last ("debug").
    assert events == {"values", "debug"}, events
    assert [part.data for part in parts if part.event == "values"][-1] == {"steps": 5, "delay": 0.1, "done": 5}
    assert {part.data["type"] for part in parts if part.event == "debug"} <= {"checkpoint", "task", "task_result"}


def test_join_stream_single_mode_filters_the_run_events(client: lgsync.SyncClient) -> None:
    thread_id = _new_thread(client)
    run = client.runs.create(thread_id, "slow", input={"steps": 4, "delay": 0.1}, stream_mode=["values", "custom"])

    parts = list(client.runs.join_stream(thread_id, run["run_id"], stream_mode="custom"))

    assert parts, "the run was joined before its last step"
    assert {part.event for part in parts} == {"custom"}
    steps = [part.data["step"] for part in parts]
    assert steps == list(range(steps[0], 4)), "the custom events after the join, in order, to the last"


def test_join_stream_params_change_what_the_server_streams(client: lgsync.SyncClient) -> None:
    # A query parameter the server acts on, passed through params= only:
    # the stream is filtered, so the server read it.
    thread_id = _new_thread(client)
    run = client.runs.create(thread_id, "slow", input={"steps": 4, "delay": 0.1}, stream_mode=["values", "custom"])

    parts = list(client.runs.join_stream(thread_id, run["run_id"], params={"stream_mode": "values"}))

    assert {part.event for part in parts} == {"values"}
    assert parts[-1].data == {"steps": 4, "delay": 0.1, "done": 4}


def test_join_stream_sends_headers_params_and_modes_to_the_server(
    proxied_client: lgsync.SyncClient, recording_proxy: RecordingProxy
) -> None:
    # The server echoes no request header, so what is proven here is what
    # reached its socket (recorded by a proxy in front of it), and that the
    # stream it answered came back through the same request.
    client = proxied_client
    thread_id = _new_thread(client)
    run = client.runs.create(thread_id, "slow", input={"steps": 3, "delay": 0.1}, stream_mode=["values", "custom"])
    marker = uuid.uuid4().hex

    parts = list(
        client.runs.join_stream(
            thread_id,
            run["run_id"],
            stream_mode=["custom"],
            headers={"x-lgsync-test": marker},
            params={"trace": marker},
        )
    )

    assert parts and {part.event for part in parts} == {"custom"}
    stream_path = f"/threads/{thread_id}/runs/{run['run_id']}/stream"
    joins = [r for r in recording_proxy.recorded() if r.path == stream_path]
    assert len(joins) == 1, [r.target for r in recording_proxy.recorded()]
    join = joins[0]
    assert join.method == "GET"
    assert join.headers.get("x-lgsync-test") == marker
    assert join.headers.get("accept") == "text/event-stream"
    assert join.query.get("trace") == [marker]
    assert join.query.get("stream_mode") == ['["custom","error","metadata"]']
    assert join.query.get("cancel_on_disconnect") == ["false"]
    assert "last-event-id" not in join.headers


def test_join_stream_after_the_run_ended_yields_nothing(client: lgsync.SyncClient) -> None:
    # "Outputs not buffered": without last_event_id, a finished run has nothing left.
    thread_id = _new_thread(client)
    run = client.runs.create(thread_id, "custom", input={"count": 3}, stream_mode=["custom"], stream_resumable=True)
    client.runs.join(thread_id, run["run_id"])

    assert list(client.runs.join_stream(thread_id, run["run_id"])) == []


def test_join_stream_last_event_id_replays_only_the_events_after_it(client: lgsync.SyncClient) -> None:
    thread_id = _new_thread(client)
    run = client.runs.create(
        thread_id,
        "custom",
        input={"count": 5, "delay": 0.02},
        stream_mode=["custom", "values"],
        stream_resumable=True,
    )
    run_id = run["run_id"]
    assert client.runs.join(thread_id, run_id) == {"count": 5, "delay": 0.02, "written": 5}

    # An id before every event: the whole stream the resumable run kept.
    everything = list(client.runs.join_stream(thread_id, run_id, last_event_id="0-0"))
    assert [part.event for part in everything] == ["metadata", "values"] + ["custom"] * 5 + ["values"]
    assert everything[0].data == {"run_id": run_id, "attempt": 1}
    assert [part.data for part in everything if part.event == "custom"] == [{"i": i} for i in range(5)]
    keys = [_id_key(part.id) for part in everything]
    assert keys == sorted(keys)

    pivot = everything[3]
    after = list(client.runs.join_stream(thread_id, run_id, last_event_id=pivot.id))

    expected = [part for part in everything if _id_key(part.id) > _id_key(pivot.id)]
    assert after == expected
    assert 0 < len(after) < len(everything) - 3
    assert after[-1].data == {"count": 5, "delay": 0.02, "written": 5}

    custom_only = list(client.runs.join_stream(thread_id, run_id, last_event_id=pivot.id, stream_mode="custom"))
    assert custom_only == [part for part in expected if part.event == "custom"]


def test_join_stream_cancel_on_disconnect_interrupts_the_run_when_the_loop_breaks(
    client: lgsync.SyncClient,
) -> None:
    thread_id = _new_thread(client)
    run = client.runs.create(thread_id, "slow", input={"steps": 100, "delay": 0.05}, stream_mode=["custom"])
    run_id = run["run_id"]

    seen = []
    for chunk in client.runs.join_stream(thread_id, run_id, cancel_on_disconnect=True, stream_mode="custom"):
        seen.append(chunk)
        break

    assert seen and seen[0].event == "custom"
    assert seen[0].data["step"] < 99, "the loop broke while the run still had steps to go"
    assert _final_status(client, thread_id, run_id) == "interrupted"
    values = client.threads.get_state(thread_id)["values"]
    assert isinstance(values, dict) and "done" not in values, values


def test_join_stream_without_cancel_on_disconnect_lets_the_run_finish(client: lgsync.SyncClient) -> None:
    thread_id = _new_thread(client)
    run = client.runs.create(thread_id, "slow", input={"steps": 20, "delay": 0.05}, stream_mode=["custom"])
    run_id = run["run_id"]

    seen = []
    for chunk in client.runs.join_stream(thread_id, run_id, stream_mode="custom"):
        seen.append(chunk)
        break

    assert seen and seen[0].event == "custom"
    assert seen[0].data["step"] < 19, "the loop broke while the run still had steps to go"
    assert _final_status(client, thread_id, run_id) == "success"
    values = client.threads.get_state(thread_id)["values"]
    assert isinstance(values, dict) and values["done"] == 20, values
