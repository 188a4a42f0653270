"""The Streaming API guide's examples, in sync Python, against the real LangGraph server.

Each test runs the guide's call as written (``client.runs.stream(...)``) on
both transports and checks the shape of what arrives, event by event.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

import lgsync
from examples.graphs.chat import REPLY

pytestmark = pytest.mark.integration

TOPIC_INPUT = {"topic": "ice cream"}
REFINED = {"refine_topic": {"topic": "ice cream and cats"}}
JOKE = {"generate_joke": {"joke": "This is a joke about ice cream and cats"}}
FINAL_STATE = {"topic": "ice cream and cats", "joke": "This is a joke about ice cream and cats"}
SUBGRAPH_EVENT = re.compile(r"updates\|node_2:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _new_thread(client: lgsync.SyncClient) -> str:
    return str(client.threads.create()["thread_id"])


def _assert_metadata(part: lgsync.StreamPart) -> str:
    """The first part of every run's stream: ``metadata`` with the run id and attempt 1."""
    assert part.event == "metadata"
    assert set(part.data) == {"run_id", "attempt"}
    assert part.data["attempt"] == 1
    uuid.UUID(part.data["run_id"])
    return str(part.data["run_id"])


def test_extended_example_streams_metadata_then_the_two_updates(client: lgsync.SyncClient) -> None:
    # The guide's "Basic usage" / "Extended example: streaming updates", as written.
    assistant_id = "agent"
    thread = client.threads.create()
    thread_id = thread["thread_id"]
    chunks = list(client.runs.stream(thread_id, assistant_id, input=TOPIC_INPUT, stream_mode="updates"))

    assert [chunk.event for chunk in chunks] == ["metadata", "updates", "updates"]
    run_id = _assert_metadata(chunks[0])
    assert [chunk.data for chunk in chunks[1:]] == [REFINED, JOKE]
    assert all(chunk.id is None for chunk in chunks), "a run that is not resumable has no event ids"
    run = client.runs.get(thread_id, run_id)
    assert (run["thread_id"], run["status"]) == (thread_id, "success")


def test_values_mode_streams_the_full_state_after_each_step(client: lgsync.SyncClient) -> None:
    parts = list(client.runs.stream(_new_thread(client), "agent", input=TOPIC_INPUT, stream_mode="values"))

    _assert_metadata(parts[0])
    assert [part.event for part in parts[1:]] == ["values"] * 3
    assert [part.data for part in parts[1:]] == [TOPIC_INPUT, {"topic": "ice cream and cats"}, FINAL_STATE]


def test_updates_mode_names_each_node_with_its_update(client: lgsync.SyncClient) -> None:
    parts = list(client.runs.stream(_new_thread(client), "agent", input=TOPIC_INPUT, stream_mode="updates"))

    _assert_metadata(parts[0])
    assert [(part.event, part.data) for part in parts[1:]] == [("updates", REFINED), ("updates", JOKE)]


def test_messages_tuple_mode_streams_the_reply_token_by_token(client: lgsync.SyncClient) -> None:
    thread_id = _new_thread(client)
    tokens: list[str] = []
    nodes: set[str] = set()
    events: list[str] = []
    # The guide's loop, collecting what it prints.
    for chunk in client.runs.stream(thread_id, "chat", input=TOPIC_INPUT, stream_mode="messages-tuple"):
        events.append(chunk.event)
        if chunk.event != "messages":
            continue
        message_chunk, metadata = chunk.data
        assert message_chunk["type"] == "AIMessageChunk"
        nodes.add(metadata["langgraph_node"])
        if message_chunk["content"]:
            tokens.append(message_chunk["content"])

    assert events[0] == "metadata"
    assert set(events[1:]) == {"messages"}
    assert len(tokens) > 1, "the reply must arrive as several tokens, not as one message"
    assert "".join(tokens) == REPLY
    assert nodes == {"call_model"}
    values = client.threads.get_state(thread_id)["values"]
    assert isinstance(values, dict) and values["joke"] == REPLY


def test_debug_mode_streams_checkpoints_and_tasks_with_their_results(client: lgsync.SyncClient) -> None:
    parts = list(client.runs.stream(_new_thread(client), "agent", input=TOPIC_INPUT, stream_mode="debug"))

    _assert_metadata(parts[0])
    debug = parts[1:]
    assert {part.event for part in debug} == {"debug"}
    for part in debug:
        assert {"step", "timestamp", "type", "payload"} <= set(part.data)
    types = [part.data["type"] for part in debug]
    assert set(types) == {"checkpoint", "task", "task_result"}
    tasks = [part.data["payload"]["name"] for part in debug if part.data["type"] == "task"]
    assert tasks == ["refine_topic", "generate_joke"]
    results = {
        part.data["payload"]["name"]: part.data["payload"]["result"]
        for part in debug
        if part.data["type"] == "task_result"
    }
    assert results == {"refine_topic": REFINED["refine_topic"], "generate_joke": JOKE["generate_joke"]}
    assert types[-1] == "checkpoint"
    assert debug[-1].data["payload"]["values"] == FINAL_STATE


def test_custom_mode_streams_what_the_graph_writes(client: lgsync.SyncClient) -> None:
    # The guide's custom-data example, input {"query": "example"}.
    parts = list(client.runs.stream(_new_thread(client), "custom", input={"query": "example"}, stream_mode="custom"))

    _assert_metadata(parts[0])
    assert [(part.event, part.data) for part in parts[1:]] == [("custom", {"i": i}) for i in range(3)]


def test_events_mode_streams_the_runnable_events_of_the_graph(client: lgsync.SyncClient) -> None:
    parts = list(client.runs.stream(_new_thread(client), "agent", input=TOPIC_INPUT, stream_mode="events"))

    run_id = _assert_metadata(parts[0])
    events: list[dict[str, Any]] = [part.data for part in parts[1:]]
    assert {part.event for part in parts[1:]} == {"events"}
    assert (events[0]["event"], events[0]["name"], events[0]["run_id"]) == ("on_chain_start", "agent", run_id)
    assert events[0]["data"]["input"] == TOPIC_INPUT
    assert (events[-1]["event"], events[-1]["name"]) == ("on_chain_end", "agent")
    assert events[-1]["data"]["output"] == FINAL_STATE
    for node in ("refine_topic", "generate_joke"):
        kinds = [event["event"] for event in events if event["name"] == node]
        assert kinds[0] == "on_chain_start" and kinds[-1] == "on_chain_end", (node, kinds)
    ends = {event["name"]: event["data"]["output"] for event in events if event["event"] == "on_chain_end"}
    assert ends["refine_topic"] == REFINED["refine_topic"]
    assert ends["generate_joke"] == JOKE["generate_joke"]


def test_several_modes_at_once_name_the_mode_of_each_event(client: lgsync.SyncClient) -> None:
    parts = list(
        client.runs.stream(_new_thread(client), "custom", input={"query": "example"}, stream_mode=["updates", "custom"])
    )

    _assert_metadata(parts[0])
    assert [(part.event, part.data) for part in parts[1:]] == [
        ("custom", {"i": 0}),
        ("custom", {"i": 1}),
        ("custom", {"i": 2}),
        ("updates", {"emit": {"written": 3}}),
    ]


def test_stream_subgraphs_namespaces_the_subgraph_events(client: lgsync.SyncClient) -> None:
    parts = list(
        client.runs.stream(
            _new_thread(client), "subgraphs", input={"foo": "foo"}, stream_subgraphs=True, stream_mode="updates"
        )
    )

    _assert_metadata(parts[0])
    rest = parts[1:]
    assert len(rest) == 4
    assert (rest[0].event, rest[0].data) == ("updates", {"node_1": {"foo": "hi! foo"}})
    assert SUBGRAPH_EVENT.fullmatch(rest[1].event), rest[1].event
    assert rest[2].event == rest[1].event, "both subgraph nodes run in the same subgraph task"
    assert [rest[1].data, rest[2].data] == [
        {"subgraph_node_1": {"bar": "bar"}},
        {"subgraph_node_2": {"foo": "hi! foobar"}},
    ]
    assert (rest[3].event, rest[3].data) == ("updates", {"node_2": {"foo": "hi! foobar"}})


def test_without_stream_subgraphs_only_the_parent_updates_arrive(client: lgsync.SyncClient) -> None:
    parts = list(client.runs.stream(_new_thread(client), "subgraphs", input={"foo": "foo"}, stream_mode="updates"))

    _assert_metadata(parts[0])
    assert [(part.event, part.data) for part in parts[1:]] == [
        ("updates", {"node_1": {"foo": "hi! foo"}}),
        ("updates", {"node_2": {"foo": "hi! foobar"}}),
    ]


def test_stateless_run_streams_without_a_thread(client: lgsync.SyncClient) -> None:
    chunks = list(client.runs.stream(None, "agent", input=TOPIC_INPUT, stream_mode="updates"))

    assert [chunk.event for chunk in chunks] == ["metadata", "updates", "updates"]
    _assert_metadata(chunks[0])
    assert [chunk.data for chunk in chunks[1:]] == [REFINED, JOKE]
