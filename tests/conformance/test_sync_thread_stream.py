"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_sync_thread_stream.py``: ``threads.stream`` sessions.

The SDK tests drive its fake server through a private controller; here the
same protocol events come from a ``MockTransport`` and only the public
session (``run.start``, ``output``, the projections, ``interleave_projections``,
``agent``, ``close``) is used.
"""

from __future__ import annotations

import re
import threading
import uuid
from typing import Any

import pytest

import lgsync
from lgsync import errors
from lgsync.testing import CannedResponse, MockTransport
from tests.conformance._support import (
    ThreadServer,
    custom,
    lifecycle,
    make_client,
    message_finished,
    message_started,
    proto,
    protocol_events,
    status,
    task_started,
    tool,
    whole_message,
)

FAILED_FRAME = {"type": "error", "id": None, "error": "stream_broken", "message": "The thread's events failed."}


def values(seq: int, **state: Any) -> dict[str, Any]:
    return proto(seq, "values", state)


def test_a_subscription_opened_before_run_start_waits_for_it(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_subscribe_before_run_start_waits_on_gate."""
    server = ThreadServer(mock, [protocol_events([lifecycle(0, "running"), values(1, n=1), lifecycle(2, "completed")])])
    got: list[Any] = []

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        reader = threading.Thread(target=lambda: got.extend(thread.subscribe(["values"])))
        reader.start()
        reader.join(0.2)
        assert reader.is_alive()
        assert server.stream_bodies == []
        thread.run.start(input={})
        reader.join(10)

    assert not reader.is_alive()
    assert [e["params"]["data"] for e in got] == [{"n": 1}]
    assert [r.path.rsplit("/", 1)[-1] for r in mock.requests][:2] == ["commands", "events"]


def test_failed_reconnects_back_off(client: lgsync.SyncClient, mock: MockTransport, sleeps: list[float]) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_reconnect_uses_backoff_between_attempts.

    The SDK test drives its private controller; here a subscription's
    connection drops, and two reopens fail before the third one delivers.
    """
    ThreadServer(
        mock,
        [
            protocol_events([lifecycle(0, "running")], drop=True),
            status(503),
            status(503),
            protocol_events([values(1, n=1), lifecycle(2, "completed")]),
        ],
    )

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        got = list(thread.subscribe(["values"]))

    assert [e["seq"] for e in got] == [1]
    assert len(sleeps) >= 2 and all(d > 0 for d in sleeps)
    assert sleeps[1] >= sleeps[0] * 0.8


def test_concurrent_commands_get_distinct_ids(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_concurrent_commands_do_not_share_command_id."""
    server = ThreadServer(mock, [protocol_events([])])

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        starters = [threading.Thread(target=thread.run.start, kwargs={"input": {"i": i}}) for i in range(24)]
        for starter in starters:
            starter.start()
        for starter in starters:
            starter.join(10)

    ids = [command["id"] for command in server.commands]
    assert len(ids) == 24
    assert len(set(ids)) == 24


def test_each_access_of_events_is_a_new_iterator(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_events_returns_fresh_iterator_each_access."""
    ThreadServer(mock, [protocol_events([lifecycle(0, "running"), values(1, n=1), lifecycle(2, "completed")])])

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        first, second = thread.events, thread.events
        assert first is not second
        assert [e["seq"] for e in first] == [e["seq"] for e in second] == [0, 1, 2]


def test_close_wakes_a_reader_blocked_in_another_thread(mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_close_unblocks_active_subscription_before_lifecycle_join.

    The stream trickles one event every 50 ms for minutes; ``close()`` from
    the main thread must end the reader's iteration.
    """
    slow = [lifecycle(0, "running"), *(values(n, n=n) for n in range(1, 4000))]
    canned = protocol_events(slow)
    ThreadServer(mock, [CannedResponse(canned.status_code, canned.headers, canned.chunks, pause=0.05)])
    got: list[Any] = []
    first = threading.Event()

    def read(thread: Any) -> None:
        for event in thread.subscribe(["values"]):
            got.append(event)
            first.set()

    with make_client(mock) as client:
        thread = client.threads.stream("th-1", assistant_id="kiln").__enter__()
        thread.run.start(input={})
        reader = threading.Thread(target=read, args=(thread,), daemon=True)
        reader.start()
        assert first.wait(10)
        thread.close()
        reader.join(10)

    assert not reader.is_alive()
    assert 1 <= len(got) < 3999


def test_a_new_session_mints_a_uuid4_thread_id(client: lgsync.SyncClient) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_threads_stream_mints_uuid4_when_thread_id_none."""
    session = client.threads.stream(assistant_id="kiln")

    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", session.thread_id)
    assert uuid.UUID(session.thread_id).version == 4


def test_run_start_sends_the_command_and_returns_its_result(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_run_start_sends_command."""
    server = ThreadServer(mock, [protocol_events([lifecycle(1, "completed")])], run_id="run-glaze")

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        result = thread.run.start(input={"pots": 3}, langsmith_tracing={"project_name": "kiln-evals"})

    assert result == {"run_id": "run-glaze"}
    (command,) = server.commands
    assert command["method"] == "run.start"
    assert command["params"]["assistant_id"] == "kiln"
    assert command["params"]["input"] == {"pots": 3}
    assert command["params"]["langsmith_tracer"] == {"project_name": "kiln-evals"}


def test_subscribe_yields_the_raw_events_even_before_a_lifecycle_event(
    client: lgsync.SyncClient, mock: MockTransport
) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_events_iterates_raw_events.

    The SDK's stream holds one ``values`` event and ends; here the run's
    ``completed`` follows it, since lgsync resumes a stream that ends
    before the run (see test_a_subscription_cut_before_the_runs_end_is_resumed).
    """
    ThreadServer(mock, [protocol_events([values(1, n=1), lifecycle(2, "completed")])])

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        got = list(thread.subscribe(["values"]))

    assert got == [values(1, n=1)]


@pytest.mark.sdk_difference
def test_a_subscription_cut_before_the_runs_end_is_resumed(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_events_iterates_raw_events.

    In the SDK a subscription ends when its stream closes, whether or not
    the run has ended. lgsync takes a close before the run's end as a cut:
    it resumes from the last ``seq`` (and raises once ``stream_retry`` is
    spent), so the subscription ends with the run.
    """
    server = ThreadServer(
        mock,
        [
            protocol_events([lifecycle(0, "running"), values(1, n=1)]),
            protocol_events([values(2, n=2), lifecycle(3, "completed")]),
        ],
    )

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        got = list(thread.subscribe(["values"]))

    assert [e["seq"] for e in got] == [1, 2]
    assert server.stream_bodies[1]["since"] == 1


def test_output_resumes_from_the_last_seq_after_a_drop(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_lifecycle_watcher_reconnects_with_since_after_transport_drop."""
    server = ThreadServer(
        mock,
        [protocol_events([lifecycle(1, "running")], drop=True), protocol_events([lifecycle(2, "completed")])],
        state={"glazed": True},
    )

    with client.threads.stream("existing", assistant_id="kiln") as thread:
        thread.run.start(input={})
        assert thread.output == {"glazed": True}

    assert server.stream_bodies[1]["since"] == 1


def test_a_subgraphs_completed_event_does_not_end_the_run(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_subgraph_completed_event_does_not_end_run."""
    ThreadServer(
        mock,
        [protocol_events([lifecycle(1, "completed", ["firing:1"]), lifecycle(2, "failed", error="kiln cracked")])],
    )

    with client.threads.stream("existing", assistant_id="kiln") as thread:
        thread.run.start(input={})
        with pytest.raises(RuntimeError, match="kiln cracked"):
            _ = thread.output


def test_an_unknown_transport_option_is_refused(client: lgsync.SyncClient) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_threads_stream_rejects_unknown_transport_option."""
    with pytest.raises(ValueError, match="transport"):
        client.threads.stream("th-1", assistant_id="kiln", transport="carrier-pigeon")  # type: ignore[arg-type]


def test_every_projection_read_side_by_side(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_v3_streaming_sync_surface_smoke."""
    events = [
        lifecycle(0, "running"),
        values(1, step=1),
        *whole_message(2, "m-1", "hey"),
        tool(6, "started", "tc-1", tool_name="kiln_temp"),
        tool(7, "finished", "tc-1", output={"ok": True}),
        custom(8, "progress", step=1),
        lifecycle(9, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={"final": True})
    results: dict[str, Any] = {}
    readers = {
        "values": lambda thread: next(iter(thread.values)),
        "messages": lambda thread: [str(m.text) for m in thread.messages],
        "tools": lambda thread: [c.name for c in thread.tool_calls],
        "progress": lambda thread: list(thread.extensions["progress"]),
    }

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        start = thread.run.start(input={"messages": [{"role": "user", "content": "hey"}]})
        workers = [
            threading.Thread(target=lambda k=key, f=read: results.__setitem__(k, f(thread)))
            for key, read in readers.items()
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(10)
            assert not worker.is_alive()
        final = thread.output

    assert start == {"run_id": "run-1"}
    assert results == {
        "values": {"final": True},
        "messages": ["hey"],
        "tools": ["kiln_temp"],
        "progress": [{"name": "progress", "step": 1}],
    }
    assert final == {"final": True}


def test_a_clean_end_before_the_run_ended_fails_the_output(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_lifecycle_clean_eof_fails_the_run_instead_of_blocking."""
    ThreadServer(mock, [protocol_events([lifecycle(0, "running")])])

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        with pytest.raises(RuntimeError):
            _ = thread.output


def test_an_error_frame_becomes_the_runs_error(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_lifecycle_error_frame_becomes_the_run_error."""
    ThreadServer(mock, [protocol_events([lifecycle(0, "running"), FAILED_FRAME])])

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        with pytest.raises(RuntimeError) as caught:
            _ = thread.output

    assert str(caught.value) == "Protocol error [stream_broken]: The thread's events failed."


def test_a_minted_thread_opens_no_stream_before_run_start(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_minted_thread_opens_the_lifecycle_stream_after_run_start."""
    server = ThreadServer(mock, [protocol_events([lifecycle(1, "completed")])], state={"ok": 1})

    with client.threads.stream(assistant_id="kiln") as thread:
        assert server.stream_bodies == []
        thread.run.start(input={})
        assert thread.output == {"ok": 1}

    assert len(server.stream_bodies) == 1


def test_output_after_run_start_on_a_new_thread_id(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_run_start_restarts_a_watcher_stopped_by_a_404_for_a_new_thread.

    The SDK's lifecycle watcher opens before ``run.start`` and meets a 404
    for a thread that does not exist yet; lgsync opens no stream before
    ``run.start``. What the caller sees is the same: the output.
    """
    ThreadServer(mock, [protocol_events([lifecycle(1, "completed")])], state={"ok": 2})

    with client.threads.stream("th-new", assistant_id="kiln") as thread:
        thread.run.start(input={})
        assert thread.output == {"ok": 2}


def test_a_404_on_the_event_stream_after_run_start_is_retried(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_lifecycle_watcher_retries_a_404_that_arrives_after_run_start."""
    server = ThreadServer(mock, [status(404), protocol_events([lifecycle(1, "completed")])], state={"ok": 3})

    with client.threads.stream("th-new", assistant_id="kiln") as thread:
        thread.run.start(input={})
        assert thread.output == {"ok": 3}

    assert len(server.stream_bodies) == 2


def test_an_error_frame_is_reported_when_reconnects_run_out(mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_lifecycle_watcher_reports_the_error_frame_when_reconnects_run_out."""
    ThreadServer(mock, [protocol_events([FAILED_FRAME], drop=True)])

    with make_client(mock, stream_retry=lgsync.Retry(total=1)) as client:
        with client.threads.stream("th-1", assistant_id="kiln") as thread:
            thread.run.start(input={})
            with pytest.raises(RuntimeError) as caught:
                _ = thread.output

    assert str(caught.value) == "Protocol error [stream_broken]: The thread's events failed."


def test_a_404_on_a_reconnect_is_not_retried(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_reconnect_stops_on_a_404."""
    server = ThreadServer(mock, [protocol_events([lifecycle(0, "running"), values(1, n=1)], drop=True), status(404)])

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        with pytest.raises(errors.NotFoundError):
            list(thread.subscribe(["values"]))

    assert len(server.stream_bodies) == 2


def test_agent_get_tree_fetches_the_assistants_graph(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_thread_agent_get_tree_fetches_assistant_graph."""
    tree = {
        "nodes": [{"id": "shape", "type": "runnable", "data": {"name": "shape"}}],
        "edges": [{"source": "shape", "target": "__end__"}],
    }
    graph = mock.add("GET", "/assistants/kiln/graph", json=tree)

    with client.threads.stream("th-1", assistant_id="kiln", headers={"X-Studio": "north"}) as thread:
        assert thread.agent.get_tree(xray=True) == tree

    (sent,) = graph.calls
    assert sent.params == {"xray": ["true"]}
    assert sent.headers["x-studio"] == "north"


def test_agent_get_tree_refuses_after_close(client: lgsync.SyncClient) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_thread_agent_get_tree_raises_after_close."""
    session = client.threads.stream("th-1", assistant_id="kiln")
    session.close()

    with pytest.raises(RuntimeError, match="closed"):
        session.agent.get_tree()


def test_an_empty_extension_name_is_refused(client: lgsync.SyncClient) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_extensions_projection_empty_name_raises."""
    with pytest.raises(ValueError, match="non-empty"):
        client.threads.stream("th-1", assistant_id="kiln").extensions[""]


def test_an_extension_of_a_closed_session_yields_nothing(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_sync_extensions_projection_closed_stream_yields_nothing."""
    with client.threads.stream("th-1", assistant_id="kiln") as session:
        pass

    assert list(session.extensions["progress"]) == []
    assert mock.requests == []


def _interleave(
    client: lgsync.SyncClient, mock: MockTransport, events: list[dict[str, Any]], channels: list[str], limit: int = 0
) -> list[tuple[str, Any]]:
    ThreadServer(mock, [protocol_events(events)], state={"counter": 0})
    items: list[tuple[str, Any]] = []
    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        for pair in thread.interleave_projections(channels):
            items.append(pair)
            if limit and len(items) >= limit:
                break
    return items


def test_interleave_one_values_channel(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_single_channel_values."""
    events = [lifecycle(0, "running"), values(1, counter=1), values(2, counter=2), lifecycle(3, "completed")]

    items = _interleave(client, mock, events, ["values"])

    assert ("values", {"counter": 1}) in items and ("values", {"counter": 2}) in items
    assert {channel for channel, _ in items} == {"values"}


def test_interleave_keeps_the_arrival_order(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_values_and_messages_arrival_order."""
    events = [
        lifecycle(0, "running"),
        values(1, counter=1),
        message_started(2, "m-1"),
        values(3, counter=2),
        message_finished(4, "m-1"),
        lifecycle(5, "completed"),
    ]

    items = _interleave(client, mock, events, ["values", "messages"], limit=3)

    assert [channel for channel, _ in items] == ["values", "messages", "values"]


def test_interleave_mixes_builtin_and_extension_channels(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_mixes_builtin_and_extension."""
    events = [
        lifecycle(0, "running"),
        values(1, counter=1),
        custom(2, "glaze", color="teal"),
        lifecycle(3, "completed"),
    ]

    items = _interleave(client, mock, events, ["values", "glaze"])

    assert ("values", {"counter": 1}) in items
    assert ("glaze", {"name": "glaze", "color": "teal"}) in items


def test_interleave_names_tool_calls_by_their_public_name(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_tool_calls_uses_public_name."""
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-1", tool_name="kiln_temp"),
        tool(2, "finished", "tc-1", output={"ok": True}),
        lifecycle(3, "completed"),
    ]

    ((channel, handle),) = _interleave(client, mock, events, ["tool_calls"], limit=1)

    assert channel == "tool_calls"
    assert handle.tool_call_id == "tc-1"


def test_interleave_discovers_a_subgraph(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_subgraphs_discovers_child."""
    events = [lifecycle(0, "running"), lifecycle(1, "started", ["shaper"]), lifecycle(2, "completed")]

    items = _interleave(client, mock, events, ["subgraphs"])

    assert ("subgraphs", ("shaper",)) in [(channel, handle.path) for channel, handle in items]


def test_interleave_fails_a_tool_call_left_open_by_a_break(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_inflight_tool_call_failed_on_break.

    The SDK reads the handle's private result with a timeout; here
    ``handle.output`` is read in a worker that must finish within 10 s.
    """
    events = [lifecycle(0, "running"), tool(1, "started", "tc-1", tool_name="kiln_temp"), lifecycle(2, "completed")]
    outcome: list[BaseException] = []

    ((_, handle),) = _interleave(client, mock, events, ["tool_calls"], limit=1)

    def read() -> None:
        try:
            _ = handle.output
        except BaseException as exc:  # noqa: BLE001 - recorded for the assertion below
            outcome.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], RuntimeError)


def test_interleave_finishes_a_subgraph_still_open_at_the_end(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_inflight_subgraph_finished_on_terminal."""
    events = [lifecycle(0, "running"), lifecycle(1, "started", ["shaper"]), lifecycle(2, "completed")]

    items = _interleave(client, mock, events, ["subgraphs"])

    (child,) = [handle for channel, handle in items if channel == "subgraphs"]
    assert child.status == "completed"


@pytest.mark.parametrize("channel", ["lifecycle", "tools", "input"])
def test_interleave_refuses_a_reserved_channel(client: lgsync.SyncClient, mock: MockTransport, channel: str) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_rejects_reserved_channel."""
    ThreadServer(mock, [protocol_events([lifecycle(0, "running"), lifecycle(1, "completed")])], state={})

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        with pytest.raises(ValueError, match=channel):
            list(thread.interleave_projections([channel]))


def test_interleave_data_channels_yield_their_payloads(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_data_channels_yield_payloads."""
    events = [
        lifecycle(0, "running"),
        proto(1, "updates", {"shape": {"height": 30}}),
        proto(2, "checkpoints", {"ts": "t-7", "v": 2}),
        task_started(3, (), "task-42"),
        lifecycle(4, "completed"),
    ]

    items = _interleave(client, mock, events, ["updates", "checkpoints", "tasks"])

    assert ("updates", {"shape": {"height": 30}}) in items
    assert ("checkpoints", {"ts": "t-7", "v": 2}) in items
    assert any(channel == "tasks" and item.get("id") == "task-42" for channel, item in items)


def test_interleave_data_channels_stay_in_the_root_namespace(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_thread_stream.py::test_interleave_projections_data_channel_scoped_to_root_namespace."""
    events = [
        lifecycle(0, "running"),
        proto(1, "checkpoints", {"where": "inside"}, ["shaper"]),
        proto(2, "checkpoints", {"where": "top"}),
        lifecycle(3, "completed"),
    ]

    items = _interleave(client, mock, events, ["values", "checkpoints"])

    checkpoints = [item for channel, item in items if channel == "checkpoints"]
    assert {"where": "top"} in checkpoints
    assert {"where": "inside"} not in checkpoints
