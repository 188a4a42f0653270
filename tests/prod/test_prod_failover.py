"""The replica serving a stream dies mid-stream, behind the balancer.

Replica ``a`` serves the stream (the balancer sends it everything while it
lives) and replica ``b`` executes the run. ``a`` is killed (SIGKILL, or
SIGTERM) once some events have arrived; the balancer then hands the
client's reconnect to ``b``. Every event must arrive exactly once and in
order, and the reconnect must ask for the same modes, with the caller's
headers and query parameters.
"""

from __future__ import annotations

import re
import signal
import uuid
from typing import Any

import pytest

import lgsync
from tests.prod.conftest import ProdStack
from tests.support.prod_balancer import ForwardedRequest

pytestmark = pytest.mark.prod

STEPS = 40
SLOW = {"steps": STEPS, "delay": 0.1}
KILL_AT_STEP = 8
EVENT_ID = re.compile(r"(\d+)-(\d+)")
SIGNALS = {"SIGKILL": signal.SIGKILL, "SIGTERM": signal.SIGTERM}


def _key(event_id: str | None) -> tuple[int, int]:
    assert event_id is not None
    match = EVENT_ID.fullmatch(event_id)
    assert match, event_id
    return int(match[1]), int(match[2])


def _read_killing_the_serving_replica(
    stack: ProdStack, stream: lgsync.ReconnectingStream, sig: int
) -> list[lgsync.StreamPart]:
    """Read ``stream`` to its end; when step ``KILL_AT_STEP`` arrives, send ``sig`` to replica ``a``."""
    serving = stack.replicas[0]
    parts: list[lgsync.StreamPart] = []
    with stream:
        for part in stream:
            parts.append(part)
            if part.event == "custom" and part.data["step"] == KILL_AT_STEP:
                assert stack.balancer.open_streams(0), "the stream is served by replica a"
                serving.send_signal(sig)
    serving.wait_gone()
    assert stream.reconnects >= 1, "the stream was resumed after its replica died"
    return parts


def _stream_requests(stack: ProdStack, before: int, thread_id: str) -> list[ForwardedRequest]:
    return [
        request
        for request in stack.balancer.requests()[before:]
        if request.path.startswith(f"/threads/{thread_id}/runs") and request.path.endswith("/stream")
    ]


def _assert_exactly_once_in_order(parts: list[lgsync.StreamPart], first_step: int = 0) -> None:
    steps = [part.data["step"] for part in parts if part.event == "custom"]
    assert steps == list(range(first_step, STEPS)), "every event exactly once, in order"
    keys = [_key(part.id) for part in parts]
    assert keys == sorted(set(keys)), "no event id twice, none out of order"


def _assert_resume_kept_the_request(
    resume: ForwardedRequest, marker: str, modes: list[str], last_id: str | None
) -> None:
    assert resume.backend == 1, "the balancer handed the reconnect to the live replica"
    assert resume.method == "GET"
    assert resume.headers.get("x-lgsync-test") == marker
    assert resume.query.get("trace") == [marker]
    sent_modes: Any = resume.query.get("stream_mode", [""])[0]
    for mode in modes:
        assert f'"{mode}"' in sent_modes, (mode, sent_modes)
    assert resume.headers.get("last-event-id"), "the reconnect says where it left off"
    if last_id is not None:
        assert _key(resume.headers["last-event-id"]) <= _key(last_id)


@pytest.mark.parametrize("sig", sorted(SIGNALS))
def test_runs_stream_resumable_survives_the_death_of_its_replica(
    revive_replicas: ProdStack, client: lgsync.SyncClient, sig: str
) -> None:
    stack = revive_replicas
    thread_id = str(client.threads.create()["thread_id"])
    marker = uuid.uuid4().hex
    before = len(stack.balancer.requests())

    stream = client.runs.stream(
        thread_id,
        "slow",
        input=SLOW,
        stream_mode=["custom", "values"],
        stream_resumable=True,
        headers={"x-lgsync-test": marker},
        params={"trace": marker},
    )
    parts = _read_killing_the_serving_replica(stack, stream, SIGNALS[sig])

    assert parts[0].event == "metadata" and parts[0].data["attempt"] == 1
    run_id = parts[0].data["run_id"]
    _assert_exactly_once_in_order(parts)
    assert [part.event for part in parts].count("metadata") == 1
    assert parts[-1].event == "values" and parts[-1].data["done"] == STEPS
    requests = _stream_requests(stack, before, thread_id)
    assert requests[0].method == "POST" and requests[0].backend == 0
    resumes = [request for request in requests[1:] if request.path == f"/threads/{thread_id}/runs/{run_id}/stream"]
    assert resumes, [request.target for request in requests]
    _assert_resume_kept_the_request(resumes[-1], marker, ["custom", "values"], parts[-1].id)
    assert client.runs.get(thread_id, run_id)["status"] == "success"


@pytest.mark.parametrize("sig", sorted(SIGNALS))
def test_join_stream_survives_the_death_of_its_replica(
    revive_replicas: ProdStack, client: lgsync.SyncClient, sig: str
) -> None:
    stack = revive_replicas
    thread_id = str(client.threads.create()["thread_id"])
    run = client.runs.create(thread_id, "slow", input=SLOW, stream_mode=["custom", "values"], stream_resumable=True)
    run_id = str(run["run_id"])
    marker = uuid.uuid4().hex
    before = len(stack.balancer.requests())

    stream = client.runs.join_stream(
        thread_id,
        run_id,
        stream_mode=["custom"],
        headers={"x-lgsync-test": marker},
        params={"trace": marker},
        last_event_id="0-0",
    )
    parts = _read_killing_the_serving_replica(stack, stream, SIGNALS[sig])

    # From the start (last_event_id "0-0"), custom events only: the join's filter holds after the reconnect.
    assert {part.event for part in parts} == {"custom"}
    _assert_exactly_once_in_order(parts)
    requests = _stream_requests(stack, before, thread_id)
    assert requests[0].backend == 0 and requests[0].headers.get("last-event-id") == "0-0"
    assert len(requests) >= 2, [request.target for request in requests]
    _assert_resume_kept_the_request(requests[-1], marker, ["custom"], parts[-1].id)
    assert client.runs.get(thread_id, run_id)["status"] == "success"
