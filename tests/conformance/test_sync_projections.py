"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_sync_projections.py``: ``thread.values`` and ``thread.messages``.

Also ``thread.tool_calls`` and the projections of a subgraph handle.
"""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from lgsync.testing import MockTransport
from tests.conformance._support import (
    ThreadServer,
    lifecycle,
    message_delta,
    message_finished,
    message_started,
    proto,
    protocol_events,
    task_result,
    task_started,
    tool,
    whole_message,
)


def _messages(client: lgsync.SyncClient, mock: MockTransport, events: list[dict[str, Any]]) -> list[Any]:
    ThreadServer(mock, [protocol_events(events)], state={})
    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        return list(thread.messages)


def test_values_first_yields_the_state_and_output_the_final_state(
    client: lgsync.SyncClient, mock: MockTransport
) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_values_first_yield_is_rest_state_and_output_returns_final_state."""
    ThreadServer(mock, [protocol_events([lifecycle(1, "completed")])], state={"vases": 12})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        first = next(iter(thread.values))
        output = thread.output

    assert first == {"vases": 12}
    assert output == {"vases": 12}


@pytest.mark.sdk_difference
def test_messages_yield_lgsyncs_message_stream(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_messages_yield_chat_model_stream.

    The SDK yields langchain-core's ``ChatModelStream`` (with ``.output``,
    an ``AIMessage``); lgsync yields its own ``MessageStream`` with the same
    ``message_id`` and ``text`` (README, "threads.stream").
    """
    events = [lifecycle(0, "running"), *whole_message(1, "m-1", "hello"), lifecycle(5, "completed")]

    (message,) = _messages(client, mock, events)

    assert type(message).__name__ == "MessageStream"
    assert not hasattr(message, "output")
    assert message.message_id == "m-1"
    assert str(message.text) == "hello"


def test_root_messages_leave_out_a_subgraphs_messages(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_messages_ignores_nested_namespace_for_root_projection."""
    child = ("glazer:1",)
    events = [
        lifecycle(0, "running"),
        message_started(1, "deep", child),
        message_delta(2, "deep", None, child),
        message_finished(3, None, child),
        lifecycle(4, "completed"),
    ]

    assert _messages(client, mock, events) == []


def test_two_messages_are_two_streams(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_messages_multiple_messages_are_distinct_streams."""
    events = [
        lifecycle(0, "running"),
        *whole_message(1, "m-1", "first"),
        *whole_message(5, "m-2", "second"),
        lifecycle(9, "completed"),
    ]

    messages = _messages(client, mock, events)

    assert [m.message_id for m in messages] == ["m-1", "m-2"]
    assert [str(m.text) for m in messages] == ["first", "second"]


@pytest.mark.sdk_difference
def test_a_message_error_fails_that_message(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_messages_error_event_fails_active_stream.

    Both fail the message with a ``RuntimeError`` naming the model's error.
    The SDK raises it from ``ChatModelStream.output``; lgsync's
    ``MessageStream`` has no ``output`` and raises it from ``text``
    (``str(message.text)``), with the error also in ``message.error``.
    """
    events = [
        lifecycle(0, "running"),
        message_started(1, "m-1"),
        proto(2, "messages", {"event": "error", "id": "m-1", "message": "kiln too hot", "code": "provider_error"}),
        lifecycle(3, "completed"),
    ]

    (message,) = _messages(client, mock, events)

    assert isinstance(message.error, RuntimeError)
    with pytest.raises(RuntimeError, match="kiln too hot"):
        str(message.text)


def test_a_delta_for_an_unknown_message_is_dropped(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_messages_orphan_delta_without_matching_key_is_dropped."""
    events = [
        lifecycle(0, "running"),
        message_started(1, "m-A"),
        message_delta(2, "stray", "m-UNKNOWN"),
        message_delta(3, "mine", "m-A"),
        message_finished(4, "m-A"),
        lifecycle(5, "completed"),
    ]

    (message,) = _messages(client, mock, events)

    assert str(message.text) == "mine"


def test_a_yielded_message_is_complete(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_messages_subscription_pre_dispatches_before_yield."""
    ThreadServer(
        mock,
        [protocol_events([lifecycle(0, "running"), *whole_message(1, "m-1", "at once"), lifecycle(5, "completed")])],
    )
    texts: list[str] = []

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        for message in thread.messages:
            texts.append(str(message.text))

    assert texts == ["at once"]


def _calls(client: lgsync.SyncClient, mock: MockTransport, events: list[dict[str, Any]]) -> list[Any]:
    ThreadServer(mock, [protocol_events(events)], state={})
    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        return list(thread.tool_calls)


def test_tool_calls_yield_a_handle_with_deltas_and_output(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_calls_yield_handle_deltas_and_output."""
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-1", tool_name="kiln_temp"),
        tool(2, "output-delta", "tc-1", delta="12"),
        tool(3, "output-delta", "tc-1", delta="50"),
        tool(4, "finished", "tc-1", output={"celsius": 1250}),
        lifecycle(5, "completed"),
    ]

    calls = _calls(client, mock, events)

    assert [c.tool_call_id for c in calls] == ["tc-1"]
    assert list(calls[0].deltas) == ["12", "50"]
    assert calls[0].output == {"celsius": 1250}


def test_a_subgraph_handle_has_its_own_messages_and_tool_calls(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_subgraph_scoped_messages_and_tool_calls."""
    child = ("glazer:g1",)
    events = [
        lifecycle(0, "running"),
        task_started(1, child, "task-g"),
        *whole_message(2, "m-child", "shiny", child, keyed=False),
        tool(6, "started", "tc-child", child, tool_name="mix"),
        tool(7, "output-delta", "tc-child", child, delta="stir"),
        tool(8, "finished", "tc-child", child, output={"mixed": True}),
        task_result(9, (), "g1", "glazer"),
        lifecycle(10, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (handle,) = list(thread.subgraphs)
        messages = list(handle.messages)
        calls = list(handle.tool_calls)

    assert handle.status == "completed"
    assert handle.path == child
    assert [m.message_id for m in messages] == ["m-child"]
    assert [str(m.text) for m in messages] == ["shiny"]
    assert [c.tool_call_id for c in calls] == ["tc-child"]
    assert list(calls[0].deltas) == ["stir"]
    assert calls[0].output == {"mixed": True}


def test_a_subgraphs_messages_survive_a_reconnect(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_subgraph_scoped_messages_survive_shared_stream_reconnect.

    The SDK shares one connection; here every projection's connection is cut
    after the subgraph started, and each resumes with ``since``.
    """
    child = ("glazer:g1",)
    before = [lifecycle(0, "running"), task_started(1, child, "task-g")]
    after = [
        *whole_message(2, "m-child", "glossy", child, keyed=False),
        task_result(6, (), "g1", "glazer"),
        lifecycle(7, "completed"),
    ]
    cut, rest = protocol_events(before, drop=True), protocol_events(after)
    server = ThreadServer(mock, [cut, rest, cut, rest], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (handle,) = list(thread.subgraphs)
        messages = list(handle.messages)

    assert handle.path == child
    assert [str(m.text) for m in messages] == ["glossy"]
    assert server.stream_bodies[-1]["since"] >= 1


def test_interleaved_tool_calls_route_by_id(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_calls_multiple_concurrent_calls_route_by_id."""
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-a", tool_name="weigh"),
        tool(2, "output-delta", "tc-a", delta="a-part"),
        tool(3, "finished", "tc-a", output="A!"),
        tool(4, "started", "tc-b", tool_name="measure"),
        tool(5, "output-delta", "tc-b", delta="b-part"),
        tool(6, "finished", "tc-b", output="B!"),
        lifecycle(7, "completed"),
    ]

    by_id = {c.tool_call_id: c for c in _calls(client, mock, events)}

    assert set(by_id) == {"tc-a", "tc-b"}
    assert (list(by_id["tc-a"].deltas), by_id["tc-a"].output) == (["a-part"], "A!")
    assert (list(by_id["tc-b"].deltas), by_id["tc-b"].output) == (["b-part"], "B!")


def test_root_tool_calls_leave_out_a_subgraphs_calls(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_calls_ignores_nested_namespace_for_root_projection."""
    child = ("glazer:1",)
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "deep", child, tool_name="mix"),
        tool(2, "finished", "deep", child, output=None),
        lifecycle(3, "completed"),
    ]

    assert _calls(client, mock, events) == []


def test_a_tool_error_fails_the_calls_output(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_calls_error_event_fails_output."""
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-1", tool_name="kiln_temp"),
        tool(2, "output-delta", "tc-1", delta="early"),
        tool(3, "error", "tc-1", message="sensor offline", code="tool_error"),
        lifecycle(4, "completed"),
    ]

    (call,) = _calls(client, mock, events)

    assert list(call.deltas) == ["early"]
    with pytest.raises(RuntimeError, match="sensor offline"):
        _ = call.output


def test_a_run_error_fails_a_call_still_open(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_calls_run_error_fails_active_handle."""
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-1", tool_name="kiln_temp"),
        tool(2, "output-delta", "tc-1", delta="half"),
        lifecycle(3, "failed", error="power cut"),
    ]

    (call,) = _calls(client, mock, events)

    with pytest.raises(RuntimeError, match="Run errored: power cut"):
        _ = call.output


def test_a_yielded_tool_call_has_its_output(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_calls_subscription_resolves_output_before_yield."""
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-1", tool_name="kiln_temp"),
        tool(2, "finished", "tc-1", output={"ready": True}),
        lifecycle(3, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})
    outputs: list[Any] = []

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        for call in thread.tool_calls:
            outputs.append(call.output)

    assert outputs == [{"ready": True}]


def test_two_overlapping_tool_calls_both_come_out(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_calls_interleaved_concurrent_calls_both_surface."""
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-a", tool_name="weigh"),
        tool(2, "started", "tc-b", tool_name="measure"),
        tool(3, "finished", "tc-a", output={"a": 1}),
        tool(4, "finished", "tc-b", output={"b": 2}),
        lifecycle(5, "completed"),
    ]

    assert sorted(c.tool_call_id for c in _calls(client, mock, events)) == ["tc-a", "tc-b"]


def test_a_tool_calls_deltas_have_a_single_reader(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_projections.py::test_sync_tool_call_handle_deltas_single_consumer_guard.

    The SDK test builds the handle by hand; here it comes from
    ``thread.tool_calls``.
    """
    events = [
        lifecycle(0, "running"),
        tool(1, "started", "tc-1", tool_name="kiln_temp"),
        tool(2, "finished", "tc-1", output=1),
        lifecycle(3, "completed"),
    ]
    (call,) = _calls(client, mock, events)

    first = call.deltas
    with pytest.raises(RuntimeError, match="single consumer"):
        _ = call.deltas
    assert list(first) == []
