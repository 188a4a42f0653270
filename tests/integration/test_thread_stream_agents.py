"""``threads.stream`` for agents, against the real server on both transports: interrupts and
``run.respond``, tool calls, subagents, extensions, ``interleave_projections`` and ``agent.get_tree``.

Uses the ``approval``, ``tools_agent``, ``research`` and ``progress`` graphs of
``examples/``; the last tests run the same sessions with the SDK's sync client
on the same server and compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import lgsync
from lgsync.devserver import DevServer
from lgsync.resources.thread_stream import RunFailedError, ScopedStreamHandle, ToolCallHandle
from tests.integration.test_side_by_side import masked
from tests.integration.test_thread_stream import DEADLINE, within

pytestmark = pytest.mark.integration

_INTERRUPT_ID = re.compile(r"^[0-9a-f]{32}$")


def _ask(city: str) -> dict[str, Any]:
    return {"messages": [{"role": "user", "content": city}]}


def _masked(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(item) for item in value]
    if isinstance(value, str) and _INTERRUPT_ID.match(value):
        return "<interrupt-id>"
    return masked(value)


# Interrupts and run.respond.


def test_a_run_that_asks_a_person_ends_the_projections_and_lists_its_interrupt(client: lgsync.SyncClient) -> None:
    def session() -> tuple[list[Any], bool, list[Any], Any]:
        with client.threads.stream(assistant_id="approval") as thread:
            thread.run.start(input={"request": "deploy"})
            states = list(thread.values)
            return states, thread.interrupted, thread.interrupts, thread.output

    states, interrupted, interrupts, output = within(DEADLINE, session)
    assert states[-1] == {"request": "deploy"}
    assert interrupted is True
    (item,) = interrupts
    assert item["value"] == {"question": "Approve this request?", "request": "deploy"}
    assert item["namespace"] == [] and _INTERRUPT_ID.match(item["interrupt_id"])
    # lgsync's output returns the state the run stopped in (the SDK's would wait for the answer).
    assert output == {"request": "deploy"}


@pytest.mark.parametrize(
    ("answer", "outcome"), [("approve", "done: deploy"), ({"decision": "reject"}, "refused: deploy")]
)
def test_respond_resumes_the_run_with_the_answer(client: lgsync.SyncClient, answer: Any, outcome: str) -> None:
    def session() -> tuple[Any, list[Any], bool]:
        with client.threads.stream(assistant_id="approval") as thread:
            thread.run.start(input={"request": "deploy"})
            list(thread.values)
            thread.run.respond(answer)
            states = list(thread.values)
            return thread.output, states, thread.interrupted

    output, states, interrupted = within(DEADLINE, session)
    assert output["outcome"] == outcome
    assert states[-1] == output
    assert interrupted is False


def test_respond_follows_the_sdk_rules_for_zero_one_or_several_interrupts(client: lgsync.SyncClient) -> None:
    def session() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        with client.threads.stream(assistant_id="approval_parallel") as thread:
            thread.run.start(input={"request": "budget"})
            # Nothing read yet, so nothing is known to wait.
            with pytest.raises(RuntimeError, match="no outstanding interrupt"):
                thread.run.respond("approve")
            list(thread.values)
            by_reviewer = {item["value"]["reviewer"]: item["interrupt_id"] for item in thread.interrupts}
            seen["reviewers"] = sorted(by_reviewer)
            with pytest.raises(RuntimeError, match="ambiguous — 2 outstanding interrupts"):
                thread.run.respond("approve")
            with pytest.raises(RuntimeError, match="does not match any outstanding interrupt"):
                thread.run.respond("approve", interrupt_id="0" * 32)
            thread.run.respond("approve", interrupt_id=by_reviewer["legal"])
            seen["after_one"] = thread.output
            seen["left"] = [item["interrupt_id"] for item in thread.interrupts]
            seen["finance"] = by_reviewer["finance"]
            thread.run.respond("reject")  # one left: no id needed
            seen["final"] = thread.output
            with pytest.raises(RuntimeError, match="no outstanding interrupt"):
                thread.run.respond("approve")
        return seen

    seen = within(DEADLINE, session)
    assert seen["reviewers"] == ["finance", "legal"]
    assert seen["after_one"]["approvals"] == ["legal:approve"]
    assert seen["left"] == [seen["finance"]]
    assert sorted(seen["final"]["approvals"]) == ["finance:reject", "legal:approve"]
    assert seen["final"]["outcome"] == "refused"


def test_a_new_session_on_an_interrupted_thread_can_answer_it(client: lgsync.SyncClient) -> None:
    """What a web app's "Approve" endpoint does: open the thread again, respond, stream the rest."""
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "approval", input={"request": "deploy"})

    def session() -> tuple[bool, Any, list[Any]]:
        with client.threads.stream(thread_id, assistant_id="approval") as thread:
            waiting = thread.interrupted
            thread.run.respond("approve")
            states = list(thread.values)
            return waiting, thread.output, states

    waiting, output, states = within(DEADLINE, session)
    assert waiting is True
    assert output["outcome"] == "done: deploy"
    assert states[-1] == output


# Tool calls.


def test_tool_calls_give_the_input_the_streamed_output_and_the_result(client: lgsync.SyncClient) -> None:
    def session() -> tuple[list[ToolCallHandle], list[list[str]], list[str]]:
        with client.threads.stream(assistant_id="tools_agent") as thread:
            thread.run.start(input=_ask("Oslo"))
            calls = list(thread.tool_calls)
            deltas = [list(call.deltas) for call in calls]
            texts = [str(message.text) for message in thread.messages]
            return calls, deltas, texts

    calls, deltas, texts = within(DEADLINE, session)
    (call,) = calls
    assert (call.name, call.input, call.namespace, call.done, call.error) == (
        "get_weather",
        {"city": "Oslo"},
        [],
        True,
        None,
    )
    assert call.tool_call_id.startswith("call_")
    assert deltas == [["It is ", "always sunny ", "in Oslo."]]
    assert call.output["content"] == "It is always sunny in Oslo."
    assert call.output["tool_call_id"] == call.tool_call_id
    with pytest.raises(RuntimeError, match="single consumer"):
        _ = call.deltas
    # The model's tool-call message has no text; its answer does.
    assert texts == ["", "The tool says: It is always sunny in Oslo."]


def test_a_failing_tool_fails_its_handle_and_the_run(client: lgsync.SyncClient) -> None:
    def session() -> list[ToolCallHandle]:
        with client.threads.stream(assistant_id="tools_agent") as thread:
            thread.run.start(input=_ask("Atlantis"))
            calls = list(thread.tool_calls)
            with pytest.raises(RunFailedError, match="no weather service reaches Atlantis"):
                _ = thread.output
            return calls

    (call,) = within(DEADLINE, session)
    assert call.done and isinstance(call.error, RuntimeError)
    with pytest.raises(RuntimeError, match="no weather service reaches Atlantis"):
        _ = call.output


# Subagents, extensions, interleaving, the graph.


def test_subagents_are_handles_with_their_own_messages(client: lgsync.SyncClient) -> None:
    def session() -> tuple[list[ScopedStreamHandle], list[list[str]], list[str]]:
        with client.threads.stream(assistant_id="research") as thread:
            thread.run.start(input=_ask("owls"))
            agents = list(thread.subagents)
            texts = [[str(message.text) for message in agent.messages] for agent in agents]
            nested = [len(list(agent.subgraphs)) for agent in agents]
            root = [str(message.text) for message in thread.messages]
            assert nested == [0]
            return agents, texts, root

    agents, texts, root = within(DEADLINE, session)
    (agent,) = agents
    assert agent.graph_name == "researcher"
    assert len(agent.namespace) == 1 and agent.namespace[0].startswith("researcher:")
    assert agent.path == tuple(agent.namespace)
    assert agent.trigger_call_id == agent.namespace[0].partition(":")[2]
    assert agent.status == "completed" and agent.error is None
    assert texts == [["", "The tool says: three notes about owls"]]
    assert root == []  # the parent's summary is written by a node, not a model


def test_extensions_carry_a_stream_transformers_channel(client: lgsync.SyncClient) -> None:
    def session() -> list[dict[str, Any]]:
        with client.threads.stream(assistant_id="progress") as thread:
            thread.run.start(input={"steps": 4})
            assert thread.extensions["progress"] is thread.extensions["progress"]
            with pytest.raises(ValueError, match="non-empty"):
                thread.extensions[""]
            return list(thread.extensions["progress"])

    items = within(DEADLINE, session)
    assert items == [{"name": "progress", "payload": {"percent": p}} for p in (25, 50, 75, 100)]


def test_interleave_projections_yields_each_channel_in_server_order(client: lgsync.SyncClient) -> None:
    def session() -> list[tuple[str, Any]]:
        with client.threads.stream(assistant_id="progress") as thread:
            thread.run.start(input={"steps": 2})
            return list(thread.interleave_projections(["values", "progress"]))

    assert within(DEADLINE, session) == [
        ("values", {"steps": 2}),
        ("progress", {"name": "progress", "payload": {"percent": 50}}),
        ("progress", {"name": "progress", "payload": {"percent": 100}}),
        ("values", {"steps": 2, "done": 2}),
    ]


def test_interleave_projections_yields_handles_as_they_start(client: lgsync.SyncClient) -> None:
    def session() -> list[tuple[str, Any]]:
        with client.threads.stream(assistant_id="tools_agent") as thread:
            thread.run.start(input=_ask("Rome"))
            with pytest.raises(ValueError, match='use "tool_calls"'):
                thread.interleave_projections(["tools"])
            pairs = list(thread.interleave_projections(["messages", "tool_calls"]))
            return pairs

    pairs = within(DEADLINE, session)
    assert [channel for channel, _ in pairs] == ["messages", "tool_calls", "messages"]
    call = pairs[1][1]
    assert call.name == "get_weather" and call.output["content"] == "It is always sunny in Rome."
    assert str(pairs[2][1].text) == "The tool says: It is always sunny in Rome."


def test_get_tree_is_the_assistants_graph(client: lgsync.SyncClient) -> None:
    with client.threads.stream(assistant_id="research") as thread:
        assert thread.agent.get_tree() == client.assistants.get_graph("research")
        assert thread.agent.get_tree(xray=True) == client.assistants.get_graph("research", xray=True)
        assert {node["id"] for node in thread.agent.get_tree()["nodes"]} >= {"researcher", "summarize"}


# Beside the SDK.


@pytest.fixture
def sdk_client(langgraph_server: DevServer) -> Iterator[Any]:
    langgraph_sdk = pytest.importorskip("langgraph_sdk")
    client = langgraph_sdk.get_sync_client(url=langgraph_server.url, api_key=None)
    yield client
    client.http.client.close()


def _agent_session(client: Any) -> Any:
    with client.threads.stream(assistant_id="tools_agent") as thread:
        thread.run.start(input=_ask("Lima"))
        calls = [(call.name, call.input, list(call.deltas), call.output) for call in thread.tool_calls]
        return [calls, thread.output]


def _approval_session(client: Any) -> Any:
    with client.threads.stream(assistant_id="approval") as thread:
        thread.run.start(input={"request": "ship"})
        # What ``values`` yields before the stop is not compared: the SDK ends its projections when
        # another connection sees the interrupt, a race (0 to 2 states here) that lgsync does not run.
        for _ in thread.values:
            pass
        pending = [(item["interrupt_id"], item["namespace"]) for item in thread.interrupts]
        thread.run.respond("approve")
        output = thread.output
        return [pending, output, thread.interrupted]


def _subagent_session(client: Any) -> Any:
    with client.threads.stream(assistant_id="research") as thread:
        thread.run.start(input=_ask("bats"))
        agents = list(thread.subagents)
        described = [(a.graph_name, a.namespace, a.trigger_call_id) for a in agents]
        return [described, thread.output]


def _extension_session(client: Any) -> Any:
    with client.threads.stream(assistant_id="progress") as thread:
        thread.run.start(input={"steps": 3})
        return [list(thread.extensions["progress"]), thread.output]


@pytest.mark.parametrize(
    "session",
    [_agent_session, _approval_session, _subagent_session, _extension_session],
    ids=lambda f: f.__name__.strip("_"),
)
def test_same_answers_as_the_sdk_thread_stream(session: Any, client: lgsync.SyncClient, sdk_client: Any) -> None:
    theirs = _masked(within(DEADLINE, lambda: session(sdk_client)))
    ours = _masked(within(DEADLINE, lambda: session(client)))
    assert ours == theirs
    assert ours


# langgraph's own RemoteGraph, with lgsync as its sync client.


def test_remote_graph_v3_stream_events_runs_on_lgsync(client: lgsync.SyncClient) -> None:
    remote = pytest.importorskip("langgraph.pregel.remote")
    from langgraph.types import Command

    def session() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        agent = remote.RemoteGraph("tools_agent", sync_client=client)
        with agent.stream_events(_ask("Oslo"), version="v3") as run:
            seen["calls"] = [(call.name, call.input, call.output["content"]) for call in run.tool_calls]
            seen["answer"] = run.output["messages"][-1]["content"][0]["text"]
        with agent.stream_events(_ask("Rome"), version="v3") as run:
            seen["interleaved"] = [name for name, _ in run.interleave("messages", "tool_calls")]
        approval = remote.RemoteGraph("approval", sync_client=client)
        config = {"configurable": {"thread_id": client.threads.create()["thread_id"]}}
        with approval.stream_events({"request": "deploy"}, config, version="v3") as run:
            seen["stopped_in"] = list(run.values)[-1]
            seen["interrupted"] = run.interrupted
            seen["asked"] = [item["value"]["question"] for item in run.interrupts]
        with approval.stream_events(Command(resume="approve"), config, version="v3") as run:
            seen["resumed"] = run.output
        return seen

    seen = within(DEADLINE, session)
    assert seen["calls"] == [("get_weather", {"city": "Oslo"}, "It is always sunny in Oslo.")]
    assert seen["answer"] == "The tool says: It is always sunny in Oslo."
    assert seen["interleaved"] == ["messages", "tool_calls", "messages"]
    assert seen["stopped_in"] == {"request": "deploy"}
    assert seen["interrupted"] is True and seen["asked"] == ["Approve this request?"]
    assert seen["resumed"]["outcome"] == "done: deploy"
