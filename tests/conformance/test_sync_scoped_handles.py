"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_sync_scoped_handles.py``: ``thread.subgraphs`` handles.

The SDK tests that build a handle by hand or read its private inboxes are
skipped (README, with the reasons); the rest run on the public session.
"""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from lgsync.testing import MockTransport
from tests.conformance._support import (
    ThreadServer,
    lifecycle,
    protocol_events,
    task_result,
    task_started,
    tool,
    whole_message,
)

CHILD = ("shaper:s1",)


def _session_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [lifecycle(0, "running"), *events]


def _subgraphs(client: lgsync.SyncClient, mock: MockTransport, events: list[dict[str, Any]]) -> list[Any]:
    ThreadServer(mock, [protocol_events(_session_events(events))], state={})
    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        return list(thread.subgraphs)


def test_subgraphs_yield_a_handle_that_completes(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_subgraphs_yields_handle_and_completes_status."""
    events = [task_started(1, CHILD, "task-s"), task_result(2, (), "s1", "shaper"), lifecycle(3, "completed")]

    (handle,) = _subgraphs(client, mock, events)

    assert handle.path == CHILD
    assert handle.namespace == list(CHILD)
    assert handle.graph_name == "shaper"
    assert handle.trigger_call_id == "s1"
    assert (handle.status, handle.error) == ("completed", None)


@pytest.mark.parametrize(
    ("result", "expected"),
    [({"error": "cracked"}, ("failed", "cracked")), ({"interrupts": [{"value": "check it"}]}, ("interrupted", None))],
    ids=["failed", "interrupted"],
)
def test_a_subgraphs_task_result_sets_failed_or_interrupted(
    client: lgsync.SyncClient, mock: MockTransport, result: dict[str, Any], expected: tuple[str, Any]
) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_subgraphs_failed_and_interrupted_statuses."""
    events = [task_started(1, CHILD, "task-s"), task_result(2, (), "s1", "shaper", **result), lifecycle(3, "completed")]

    (handle,) = _subgraphs(client, mock, events)

    assert (handle.status, handle.error) == expected


def test_a_handle_has_subgraphs_of_its_own(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_subgraph_handles_are_recursive_for_grandchildren."""
    grand = (*CHILD, "trimmer:t9")
    events = [
        lifecycle(0, "running"),
        task_started(1, CHILD, "task-s"),
        task_started(2, grand, "task-t"),
        task_result(3, CHILD, "t9", "trimmer"),
        task_result(4, (), "s1", "shaper"),
        lifecycle(5, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (child,) = list(thread.subgraphs)
        (grandchild,) = list(child.subgraphs)

    assert child.path == CHILD
    assert grandchild.path == grand
    assert (grandchild.graph_name, grandchild.trigger_call_id, grandchild.status) == ("trimmer", "t9", "completed")


def test_a_handles_messages_are_its_own(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_subgraph_messages_are_scoped_to_child_namespace."""
    events = [
        lifecycle(0, "running"),
        task_started(1, CHILD, "task-s"),
        *whole_message(2, "m-child", "round", CHILD, keyed=False),
        task_result(6, (), "s1", "shaper"),
        lifecycle(7, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (handle,) = list(thread.subgraphs)
        child_messages = list(handle.messages)
        root_messages = list(thread.messages)

    assert [(m.message_id, str(m.text)) for m in child_messages] == [("m-child", "round")]
    assert root_messages == []


def test_a_handles_tool_calls_are_its_own(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_subgraph_tool_calls_are_scoped_to_child_namespace."""
    events = [
        lifecycle(0, "running"),
        task_started(1, CHILD, "task-s"),
        tool(2, "started", "tc-child", CHILD, tool_name="lathe"),
        tool(3, "output-delta", "tc-child", CHILD, delta="turning"),
        tool(4, "finished", "tc-child", CHILD, output={"turned": True}),
        task_result(5, (), "s1", "shaper"),
        lifecycle(6, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (handle,) = list(thread.subgraphs)
        child_calls = list(handle.tool_calls)
        root_calls = list(thread.tool_calls)

    assert [c.tool_call_id for c in child_calls] == ["tc-child"]
    assert list(child_calls[0].deltas) == ["turning"]
    assert child_calls[0].output == {"turned": True}
    assert root_calls == []


def test_root_and_child_messages_do_not_mix(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_root_and_child_projections_do_not_cross_talk."""
    events = [
        lifecycle(0, "running"),
        task_started(1, CHILD, "task-s"),
        *whole_message(2, "m-root", "top", keyed=False),
        *whole_message(6, "m-child", "inner", CHILD, keyed=False),
        task_result(10, (), "s1", "shaper"),
        lifecycle(11, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (handle,) = list(thread.subgraphs)
        root_messages = list(thread.messages)
        child_messages = list(handle.messages)

    assert [(m.message_id, str(m.text)) for m in root_messages] == [("m-root", "top")]
    assert [(m.message_id, str(m.text)) for m in child_messages] == [("m-child", "inner")]


def test_subagents_is_subgraphs(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_subagents_aliases_subgraphs."""
    ThreadServer(mock, [protocol_events([lifecycle(1, "completed")])], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        assert thread.subagents is thread.subgraphs
        thread.run.start(input={})


def test_a_grandchilds_early_messages_keep_their_order(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_grandchild_sibling_routing_preserves_event_order.

    The grandchild's messages arrive before the event that announces it.
    """
    grand = (*CHILD, "trimmer:g1")
    events = [
        lifecycle(0, "running"),
        task_started(1, CHILD, "task-s"),
        *whole_message(2, "m-1", "one", grand, keyed=False),
        *whole_message(6, "m-2", "two", grand, keyed=False),
        *whole_message(10, "m-3", "three", grand, keyed=False),
        task_started(14, grand, "task-g"),
        task_result(15, CHILD, "g1", "trimmer"),
        task_result(16, (), "s1", "shaper"),
        lifecycle(17, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (child,) = list(thread.subgraphs)
        (grandchild,) = list(child.subgraphs)
        messages = list(grandchild.messages)

    assert [(m.message_id, str(m.text)) for m in messages] == [("m-1", "one"), ("m-2", "two"), ("m-3", "three")]


def test_sibling_grandchildren_get_only_their_messages(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_grandchild_events_dispatched_to_correct_sibling."""
    first, second = (*CHILD, "trimmer:g1"), (*CHILD, "trimmer:g2")
    events = [
        lifecycle(0, "running"),
        task_started(1, CHILD, "task-s"),
        task_started(2, first, "task-g1"),
        task_started(3, second, "task-g2"),
        *whole_message(4, "m-g1", "left", first, keyed=False),
        *whole_message(8, "m-g2", "right", second, keyed=False),
        task_result(12, CHILD, "g1", "trimmer"),
        task_result(13, CHILD, "g2", "trimmer"),
        task_result(14, (), "s1", "shaper"),
        lifecycle(15, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (child,) = list(thread.subgraphs)
        by_path = {h.path: h for h in child.subgraphs}
        left = [m.message_id for m in by_path[first].messages]
        right = [m.message_id for m in by_path[second].messages]

    assert (left, right) == (["m-g1"], ["m-g2"])


@pytest.mark.parametrize(
    ("run_end", "expected"),
    [(lifecycle(2, "failed", error="kiln cracked"), "failed"), (lifecycle(2, "completed"), "completed")],
    ids=["run-failed", "run-completed"],
)
def test_a_child_still_open_at_the_runs_end_takes_the_runs_outcome(
    client: lgsync.SyncClient, mock: MockTransport, run_end: dict[str, Any], expected: str
) -> None:
    """SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_force_complete_uses_failed_when_run_errored
    SDK: tests/streaming/test_sync_scoped_handles.py::test_sync_force_complete_uses_completed_when_run_completed
    """
    (handle,) = _subgraphs(client, mock, [task_started(1, CHILD, "task-s"), run_end])

    assert handle.status == expected
