"""langgraph's own ``RemoteGraph`` driving an lgsync client (``sync_client=``) against the real server.

Ports the sync test of langgraph-sdk 0.4.14 ``tests/integration/test_remote_graph_v3.py``
and the sync equivalents of its async ones, plus ``invoke``, ``stream`` in
several modes and the graph and state helpers: what langgraph itself calls
on the sync client it is given.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.pregel.remote import RemoteGraph
from langgraph.types import Command
from typing_extensions import TypedDict

import lgsync
from tests.sdk_integration.conftest import (
    AGENT_INPUT,
    DEADLINE,
    EXPECTED_TERMINAL_ITEMS,
    run_status,
    wait_until,
    within,
)

pytestmark = pytest.mark.integration

_SEARCH = {"messages": [{"role": "user", "content": "search for v3"}]}


@pytest.fixture
def remote_agent(client: lgsync.SyncClient) -> RemoteGraph:
    # RemoteGraph's annotation names the SDK's client class; the lgsync client stands in for it.
    return RemoteGraph("agent", sync_client=client)  # type: ignore[arg-type]


@pytest.fixture
def remote_tools_agent(client: lgsync.SyncClient) -> RemoteGraph:
    return RemoteGraph("tools_agent", sync_client=client)  # type: ignore[arg-type]


@pytest.fixture
def on_thread(client: lgsync.SyncClient) -> Iterator[RunnableConfig]:
    """A config naming a new thread on the server (deleted afterwards)."""
    thread_id = client.threads.create()["thread_id"]
    try:
        yield {"configurable": {"thread_id": thread_id}}
    finally:
        client.threads.delete(thread_id)


# The classic API: invoke, stream, the graph and the state.


def test_invoke(remote_tools_agent: RemoteGraph) -> None:
    """RemoteGraph.invoke (runs.stream in ``values`` mode underneath) returns the final state."""
    final = within(DEADLINE, lambda: remote_tools_agent.invoke(_SEARCH))
    assert [message["type"] for message in final["messages"]] == ["human", "ai", "tool", "ai"]
    assert final["messages"][-1]["content"] == "Searched."  # runs.stream serializes the text as a string


def test_invoke_stops_at_the_interrupt(remote_agent: RemoteGraph, on_thread: RunnableConfig) -> None:
    """RemoteGraph.invoke on a thread returns the state where the run asked, then resumes with ``Command``."""
    paused = within(DEADLINE, lambda: remote_agent.invoke(AGENT_INPUT, on_thread))
    assert paused["items"] == ["streamed", "tool"]
    assert [item["value"] for item in paused["__interrupt__"]] == ["Are we good?"]
    final = within(DEADLINE, lambda: remote_agent.invoke(Command(resume="yes"), on_thread))
    assert final["items"] == EXPECTED_TERMINAL_ITEMS


def test_stream_modes(remote_agent: RemoteGraph, on_thread: RunnableConfig) -> None:
    """RemoteGraph.stream with several modes at once yields ``(mode, chunk)`` pairs of each."""

    # With several modes RemoteGraph yields the client's stream parts as they are (``.event``, ``.data``).
    parts = within(
        DEADLINE, lambda: list(remote_agent.stream(AGENT_INPUT, on_thread, stream_mode=["values", "updates", "custom"]))
    )
    assert all(isinstance(part, lgsync.StreamPart) for part in parts)
    assert {part.event for part in parts} == {"values", "updates", "custom"}
    updates = [part.data for part in parts if part.event == "updates"]
    assert [next(iter(update)) for update in updates] == ["stream_message", "call_tool", "__interrupt__"]
    progress = [(part.data["step"], part.data["phase"]) for part in parts if part.event == "custom"]
    assert progress == [
        ("stream_message", "start"),
        ("stream_message", "end"),
        ("call_tool", "start"),
        ("call_tool", "end"),
        ("ask_human", "start"),
    ]
    assert [part.data for part in parts if part.event == "values"][-1]["items"] == ["streamed", "tool"]


def test_stream_messages(remote_tools_agent: RemoteGraph) -> None:
    """RemoteGraph.stream in ``messages`` mode yields ``(chunk, metadata)`` pairs with the model's text."""
    parts = within(DEADLINE, lambda: list(remote_tools_agent.stream(_SEARCH, stream_mode="messages")))
    assert all(isinstance(part, tuple) and len(part) == 2 for part in parts)
    by_type = {(message["type"], message["content"]) for message, _ in parts}
    assert ("tool", "two hits for v3") in by_type
    assert ("AIMessageChunk", "Searched.") in by_type
    assert {metadata["langgraph_node"] for _, metadata in parts} >= {"model", "tools"}


def test_stream_subgraphs(client: lgsync.SyncClient) -> None:
    """RemoteGraph.stream with ``subgraphs=True`` yields ``(namespace, chunk)``, the subagent's under its own namespace."""
    remote = RemoteGraph("deep_agent", sync_client=client)  # type: ignore[arg-type]
    ask = {"messages": [{"role": "user", "content": "research the v3 spec"}]}
    parts = within(DEADLINE, lambda: list(remote.stream(ask, stream_mode="updates", subgraphs=True)))
    namespaces = {namespace for namespace, _ in parts}
    assert () in namespaces
    children = [namespace for namespace in namespaces if namespace]
    assert children and all(len(ns) == 1 and ns[0].startswith("tools:") for ns in children)


def test_as_a_node_of_a_local_graph(remote_agent: RemoteGraph) -> None:
    """RemoteGraph as a node of a local graph: the remote run's question becomes the local graph's interrupt."""

    class Mirror(TypedDict, total=False):
        messages: list[Any]
        value: str
        items: list[str]

    parent = (
        StateGraph(Mirror)
        .add_node("remote", remote_agent)
        .add_edge(START, "remote")
        .add_edge("remote", END)
        .compile(checkpointer=InMemorySaver())
    )
    config: RunnableConfig = {"configurable": {"thread_id": str(uuid.uuid4())}}
    result = within(DEADLINE, lambda: parent.invoke(AGENT_INPUT, config))
    assert [item.value for item in result["__interrupt__"]] == ["Are we good?"]
    assert parent.get_state(config).next == ("remote",)


def test_graph_and_state(remote_agent: RemoteGraph, on_thread: RunnableConfig, client: lgsync.SyncClient) -> None:
    """get_graph, get_state, update_state and get_state_history through the lgsync client."""
    drawable = remote_agent.get_graph()
    assert {"stream_message", "ask_human"} <= set(drawable.nodes)

    within(DEADLINE, lambda: remote_agent.invoke(AGENT_INPUT, on_thread))
    snapshot = remote_agent.get_state(on_thread)
    assert snapshot.values["value"] == "x"
    assert snapshot.next == ("ask_human",)
    assert [i.value for i in snapshot.interrupts] == ["Are we good?"]

    remote_agent.update_state(on_thread, {"value": "patched"})
    assert remote_agent.get_state(on_thread).values["value"] == "patched"
    assert len(list(remote_agent.get_state_history(on_thread))) >= 3


# v3 stream_events: RemoteGraph reads the lgsync thread stream.


def test_sync_happy_path_yields_output(remote_tools_agent: RemoteGraph) -> None:
    """SDK: test_remote_graph_v3.py::test_sync_happy_path_yields_output. ``output`` waits for the end."""

    def scenario() -> tuple[Any, bool]:
        with remote_tools_agent.stream_events(_SEARCH, version="v3") as stream:
            return stream.output, stream.interrupted

    output, interrupted = within(DEADLINE, scenario)
    assert [block["text"] for block in output["messages"][-1]["content"]] == ["Searched."]
    assert interrupted is False


def test_interrupt_path_surfaces_interrupts(remote_agent: RemoteGraph) -> None:
    """SDK: test_remote_graph_v3.py::test_async_interrupt_path_surfaces_interrupts, on the sync stream."""

    def scenario() -> tuple[bool, list[Any]]:
        with remote_agent.stream_events(AGENT_INPUT, version="v3") as stream:
            for _ in stream.values:
                if stream.interrupted:
                    break
            return stream.interrupted, stream.interrupts

    interrupted, interrupts = within(DEADLINE, scenario)
    assert interrupted is True
    assert [item["value"] for item in interrupts] == ["Are we good?"]


def test_resume_after_interrupt(remote_agent: RemoteGraph, on_thread: RunnableConfig) -> None:
    """SDK: test_remote_graph_v3.py::test_async_resume_after_interrupt, on the sync stream.

    A second session on the same thread resumes with ``Command(resume=...)``.
    """

    def scenario() -> tuple[bool, Any, bool]:
        with remote_agent.stream_events(AGENT_INPUT, on_thread, version="v3") as stream:
            for _ in stream.values:
                if stream.interrupted:
                    break
            first = stream.interrupted
        with remote_agent.stream_events(Command(resume="yes"), on_thread, version="v3") as stream:
            return first, stream.output, stream.interrupted

    first, output, interrupted = within(DEADLINE, scenario)
    assert first is True
    assert output["items"] == EXPECTED_TERMINAL_ITEMS
    assert interrupted is False


def test_abort_mid_run_cancels_server_side(
    remote_agent: RemoteGraph, on_thread: RunnableConfig, client: lgsync.SyncClient
) -> None:
    """SDK: test_remote_graph_v3.py::test_abort_mid_run_cancels_server_side, on the sync stream.

    ``abort()`` cancels the run through ``runs.cancel`` (held in its first
    node here, so it is surely cancelled, not finished).
    """
    held = {**on_thread, "configurable": {**on_thread["configurable"], "hold_seconds": 30}}

    def scenario() -> None:
        with remote_agent.stream_events(AGENT_INPUT, held, version="v3") as stream:
            stream.abort()

    within(DEADLINE, scenario)
    thread_id = on_thread["configurable"]["thread_id"]
    (run,) = client.runs.list(thread_id)
    status = wait_until(lambda: run_status(client, thread_id, run["run_id"], unless=("pending", "running")))
    assert status == "interrupted"


def test_projections(remote_agent: RemoteGraph) -> None:
    """v3 projections through RemoteGraph: messages, extensions (named and ``updates``), events, interleave."""

    def scenario() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        with remote_agent.stream_events(AGENT_INPUT, version="v3") as stream:
            seen["messages"] = [str(message.text) for message in stream.messages]
            seen["progress"] = [(e["step"], e["phase"]) for e in stream.extensions["progress"]]
            seen["updates"] = [node for update in stream.extensions["updates"] for node in update]
            seen["events"] = [event["method"] for event in stream]
            seen["interleaved"] = [name for name, _ in stream.interleave("values", "messages", "progress")]
            seen["interrupted"] = stream.interrupted
        return seen

    seen = within(DEADLINE, scenario)
    assert seen["messages"] == ["Hello, world!"]
    assert seen["progress"][0] == ("stream_message", "start")
    assert seen["progress"][-1] == ("ask_human", "start")
    assert seen["updates"] == ["stream_message", "call_tool"]
    assert seen["events"][0] == "lifecycle" and seen["events"][-1] == "lifecycle"
    assert {"values", "messages", "progress"} <= set(seen["interleaved"])
    assert seen["interrupted"] is True
