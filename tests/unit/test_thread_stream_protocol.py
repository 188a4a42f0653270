"""``threads.stream`` fed from given protocol events (``lgsync.testing.MockTransport``).

What a real server does not show on demand: events before the run's first
lifecycle event, an error frame, clean closes and cuts mid-run, a command's
``applied_through_seq``, message deltas for no open message, and a
projection read before ``run.start``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

import lgsync
from lgsync.errors import APIConnectionError, ProtocolError, RunFailedError
from lgsync.resources.thread_stream import _subscriptions
from lgsync.testing import MockTransport, sse_response

THREAD = "t-1"
RUN = "r-1"


def _event(seq: int, method: str, data: Any, *, namespace: list[str] | None = None, event_id: str | None = None) -> Any:
    body = {
        "type": "event",
        "seq": seq,
        "event_id": event_id or f"e-{seq}",
        "method": method,
        "params": {"namespace": namespace or [], "timestamp": 0, "data": data},
    }
    return ("message", body)


def _lifecycle(seq: int, phase: str, run_id: str = RUN, **extra: Any) -> Any:
    return _event(seq, "lifecycle", {"event": phase, **extra}, event_id=f"synth:{run_id}:lc||{phase}")


def _transport(*streams: Any, meta: dict[str, Any] | None = None) -> MockTransport:
    transport = MockTransport()
    answer: dict[str, Any] = {"type": "success", "id": 1, "result": {"run_id": RUN}}
    if meta is not None:
        answer["meta"] = meta
    transport.add("POST", f"/threads/{THREAD}/commands", json=answer)
    transport.add("GET", f"/threads/{THREAD}/state", json={"values": {"n": 0}, "interrupts": []})
    transport.add("POST", f"/threads/{THREAD}/stream/events", response=list(streams))
    return transport


@pytest.fixture
def sleeps() -> list[float]:
    return []


def _client(transport: MockTransport, sleeps: list[float], total: int = 2) -> lgsync.SyncClient:
    client = lgsync.get_sync_client(
        url="http://langgraph.test", api_key=None, transport=transport, stream_retry=lgsync.Retry(total=total)
    )
    client.http.sleep = sleeps.append
    return client


def _stream_bodies(transport: MockTransport) -> list[dict[str, Any]]:
    return [r.json() for r in transport.requests if r.path.endswith("/stream/events")]


@pytest.fixture
def session(request: pytest.FixtureRequest, sleeps: list[float]) -> Iterator[Any]:
    transport = request.param
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        yield thread, transport


def test_events_before_the_runs_first_lifecycle_event_are_yielded(sleeps: list[float]) -> None:
    transport = _transport(
        sse_response([_event(1, "values", {"n": 1}), _lifecycle(2, "running"), _lifecycle(3, "completed")])
    )
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        methods = [(event["seq"], event["method"]) for event in thread.events]
    assert methods == [(1, "values"), (2, "lifecycle"), (3, "lifecycle")]


def test_the_history_of_earlier_runs_is_skipped(sleeps: list[float]) -> None:
    transport = _transport(
        sse_response(
            [
                _lifecycle(1, "running", "r-0"),
                _event(2, "values", {"n": "old"}),
                _lifecycle(3, "completed", "r-0"),
                _lifecycle(4, "running"),
                _event(5, "values", {"n": "new"}),
                _lifecycle(6, "completed"),
            ]
        )
    )
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        states = list(thread.values)
    assert states == [{"n": 0}, {"n": "new"}]


def test_an_error_frame_fails_the_run_with_the_sdks_protocol_error(sleeps: list[float]) -> None:
    frame = {"type": "error", "id": None, "error": "internal_error", "message": "stream read failed"}
    transport = _transport(sse_response([_lifecycle(1, "running"), _event(2, "values", {"n": 1}), ("message", frame)]))
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        seen: list[Any] = []
        with pytest.raises(ProtocolError, match=r"^Protocol error \[internal_error\]: stream read failed$"):
            for state in thread.values:
                seen.append(state)
        with pytest.raises(RuntimeError, match=r"Protocol error \[internal_error\]"):
            _ = thread.output
    assert seen == [{"n": 0}, {"n": 1}]
    assert len(_stream_bodies(transport)) == 1  # no reconnect after the server said why it stopped


def test_a_clean_close_mid_run_resumes_from_the_last_seq(sleeps: list[float]) -> None:
    transport = _transport(
        sse_response([_lifecycle(1, "running"), _event(2, "values", {"n": 1})]),
        sse_response([_event(2, "values", {"n": 1}), _event(3, "values", {"n": 2}), _lifecycle(4, "completed")]),
    )
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        states = list(thread.values)
        output = thread.output
    assert states == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert output == {"n": 0}  # the state the mock's GET answers
    # ``output`` needs no connection of its own: ``values`` saw the run end.
    assert [body.get("since") for body in _stream_bodies(transport)] == [None, 2]


def test_a_stream_that_keeps_closing_raises_instead_of_a_partial_list(sleeps: list[float]) -> None:
    transport = _transport(sse_response([_lifecycle(1, "running"), _event(2, "values", {"n": 1})]))
    with _client(transport, sleeps, total=2) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        seen: list[Any] = []
        with pytest.raises(RunFailedError, match="could not be resumed after 2 attempts") as caught:
            for state in thread.values:
                seen.append(state)
    assert isinstance(caught.value, RuntimeError)  # as the SDK's "Lifecycle transport failed"
    assert seen == [{"n": 0}, {"n": 1}]
    assert len(_stream_bodies(transport)) == 3  # the first connection and 2 reconnects
    assert len(sleeps) == 2  # paced through the client's injected sleep


def test_running_out_of_reconnects_after_cuts_raises_a_runtime_error(sleeps: list[float]) -> None:
    transport = _transport(sse_response([_lifecycle(1, "running")], drop=True))
    with _client(transport, sleeps, total=3) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        with pytest.raises(RuntimeError, match="Lifecycle transport failed") as caught:
            _ = thread.output
    assert isinstance(caught.value, RunFailedError)
    assert isinstance(caught.value.__cause__, APIConnectionError)
    assert len(_stream_bodies(transport)) == 4


def test_applied_through_seq_in_a_commands_answer_seeds_since(sleeps: list[float]) -> None:
    transport = _transport(
        sse_response([_lifecycle(8, "running"), _lifecycle(9, "completed")]), meta={"applied_through_seq": 7}
    )
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        list(thread.events)
    assert _stream_bodies(transport)[0]["since"] == 7


def _message(seq: int, data: dict[str, Any]) -> Any:
    return _event(seq, "messages", data)


def test_a_delta_for_a_message_that_is_not_open_is_dropped(sleeps: list[float]) -> None:
    def delta(text: str) -> dict[str, Any]:
        return {"type": "text-delta", "text": text}

    transport = _transport(
        sse_response(
            [
                _lifecycle(1, "running"),
                _message(2, {"event": "message-start", "id": "m-1"}),
                _message(3, {"event": "content-block-delta", "id": "m-2", "delta": delta("lost ")}),
                _message(4, {"event": "content-block-delta", "id": "m-1", "delta": delta("kept ")}),
                _message(5, {"event": "content-block-delta", "delta": delta("anonymous")}),
                _message(6, {"event": "message-finish", "id": "m-1"}),
                _lifecycle(7, "completed"),
            ]
        )
    )
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        texts = [str(message.text) for message in thread.messages]
    # An id that names no open message is dropped; an event with no id goes to the one open message.
    assert texts == ["kept anonymous"]


def test_taking_events_before_run_start_in_the_same_thread_works(sleeps: list[float]) -> None:
    transport = _transport(sse_response([_lifecycle(1, "running"), _lifecycle(2, "completed")]))
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        events = thread.events
        filtered = thread.subscribe(["lifecycle"])
        thread.run.start(input={})
        assert [event["seq"] for event in events] == [1, 2]
        assert [event["seq"] for event in filtered] == [1, 2]


def test_reading_before_run_start_in_the_same_thread_fails_within_the_bound(
    sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The default bound is the SDK's 30 s; shortened here so that the test is quick.
    monkeypatch.setattr(_subscriptions, "DEFAULT_RUN_START_TIMEOUT", 0.2)
    transport = _transport(sse_response([]))
    with _client(transport, sleeps) as client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        for projection in (thread.events, thread.subscribe(["values"]), iter(thread.values)):
            with pytest.raises(TimeoutError, match=r"thread.run.start\(\) was not called within 0.2 s"):
                next(projection)
    assert _stream_bodies(transport) == []


def test_the_default_wait_for_run_start_is_bounded() -> None:
    assert _subscriptions.DEFAULT_RUN_START_TIMEOUT == 30.0


def test_closing_the_session_ends_a_wait_between_two_connections() -> None:
    transport = _transport(sse_response([_lifecycle(1, "running")], drop=True))
    client = lgsync.get_sync_client(
        url="http://langgraph.test",
        api_key=None,
        transport=transport,
        stream_retry=lgsync.Retry(total=3, backoff_factor=30.0, backoff_max=30.0),
    )
    with client, client.threads.stream(THREAD, assistant_id="agent") as thread:
        thread.run.start(input={})
        outcome: list[Any] = []
        reader = threading.Thread(target=lambda: outcome.append(list(thread.events)), daemon=True)
        reader.start()
        deadline = time.monotonic() + 10
        while len(_stream_bodies(transport)) < 1 and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # the reader is now in its 30 s wait
        thread.close()
        reader.join(10)
    assert not reader.is_alive()
    assert outcome and [event["seq"] for event in outcome[0]] == [1]
    assert len(_stream_bodies(transport)) == 1  # no request after the close
