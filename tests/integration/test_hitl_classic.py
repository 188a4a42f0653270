"""Human in the loop through the classic API (``runs.stream``/``runs.wait``/``threads.get_state``).

Runs the ``approval`` graphs of ``examples/`` on the real server, on both
transports: the run stops at ``interrupt(...)``, the state says what is
pending, and a ``command`` resumes it. Each flow is also run with the SDK's
sync client on the same server, and the answers must match.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Callable

import pytest

import lgsync
from lgsync.devserver import DevServer
from tests.integration.test_side_by_side import masked

langgraph_sdk = pytest.importorskip("langgraph_sdk")

pytestmark = pytest.mark.integration

_INTERRUPT_ID = re.compile(r"^[0-9a-f]{32}$")


def _masked(value: Any) -> Any:
    """``masked(value)``, with interrupt ids (32 hex digits, new on every run) hidden too."""
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_masked(item) for item in value]
    if isinstance(value, str) and _INTERRUPT_ID.match(value):
        return "<interrupt-id>"
    return masked(value)


@pytest.fixture
def sdk_client(langgraph_server: DevServer) -> Iterator[Any]:
    """langgraph_sdk's own sync client of the same server."""
    client = langgraph_sdk.get_sync_client(url=langgraph_server.url, api_key=None)
    yield client
    client.http.client.close()


def _parts(stream: Any) -> list[tuple[str, Any]]:
    return [(part.event, part.data) for part in stream]


def _interrupt_updates(parts: list[tuple[str, Any]]) -> list[Any]:
    return [data["__interrupt__"] for event, data in parts if event == "updates" and "__interrupt__" in data]


# Flows: each takes a client (lgsync or SDK) and returns what it saw.


def stream_until_interrupted_then_resume(client: Any) -> Any:
    thread_id = client.threads.create()["thread_id"]
    first = _parts(
        client.runs.stream(thread_id, "approval", input={"request": "deploy"}, stream_mode=["updates", "values"])
    )
    state = client.threads.get_state(thread_id)
    second = _parts(client.runs.stream(thread_id, "approval", command={"resume": "approve"}, stream_mode="updates"))
    return [first[1:], state["next"], state["interrupts"], second[1:], client.threads.get_state(thread_id)["values"]]


def wait_on_parallel_interrupts_then_answer_each(client: Any) -> Any:
    thread_id = client.threads.create()["thread_id"]
    stopped = client.runs.wait(thread_id, "approval_parallel", input={"request": "budget"})
    pending = client.threads.get_state(thread_id)["interrupts"]
    answers = {item["id"]: "approve" for item in pending}
    finished = client.runs.wait(thread_id, "approval_parallel", command={"resume": answers})
    return [
        sorted(item["value"]["reviewer"] for item in stopped["__interrupt__"]),
        sorted(item["value"]["reviewer"] for item in pending),
        finished,
    ]


def interrupt_before_then_continue(client: Any) -> Any:
    thread_id = client.threads.create()["thread_id"]
    stopped = client.runs.wait(thread_id, "agent", input={"topic": "owls"}, interrupt_before=["generate_joke"])
    state = client.threads.get_state(thread_id)
    finished = client.runs.wait(thread_id, "agent", input=None)
    return [stopped, state["next"], [task["name"] for task in state["tasks"]], finished]


def goto_with_update(client: Any) -> Any:
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "approval", input={"request": "rollback"})
    after = client.runs.wait(thread_id, "approval", command={"goto": "act", "update": {"decision": "approve"}})
    return [after, client.threads.get_state(thread_id)["next"]]


FLOWS: list[Callable[[Any], Any]] = [
    stream_until_interrupted_then_resume,
    wait_on_parallel_interrupts_then_answer_each,
    interrupt_before_then_continue,
    goto_with_update,
]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.__name__)
def test_human_in_the_loop_answers_as_the_sdk_does(
    flow: Callable[[Any], Any], client: lgsync.SyncClient, sdk_client: Any
) -> None:
    ours = _masked(flow(client))
    assert ours == _masked(flow(sdk_client))
    assert ours


def test_runs_stream_shows_the_interrupt_in_updates_and_values(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    parts = _parts(
        client.runs.stream(thread_id, "approval", input={"request": "deploy"}, stream_mode=["updates", "values"])
    )
    (interrupts,) = _interrupt_updates(parts)
    assert [item["value"] for item in interrupts] == [{"question": "Approve this request?", "request": "deploy"}]
    assert isinstance(interrupts[0]["id"], str) and interrupts[0]["id"]
    last_values = [data for event, data in parts if event == "values"][-1]
    assert last_values["__interrupt__"][0]["id"] == interrupts[0]["id"]
    assert "outcome" not in last_values


def test_debug_mode_shows_the_interrupted_task(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    parts = _parts(client.runs.stream(thread_id, "approval", input={"request": "deploy"}, stream_mode="debug"))
    results = [data["payload"] for event, data in parts if event == "debug" and data.get("type") == "task_result"]
    review = [payload for payload in results if payload["name"] == "review"]
    assert review and review[0]["interrupts"][0]["value"]["request"] == "deploy"


@pytest.mark.parametrize(
    ("answer", "outcome"), [("approve", "done: deploy"), ({"decision": "reject"}, "refused: deploy")]
)
def test_command_resume_continues_the_run_from_the_interrupt(
    client: lgsync.SyncClient, answer: Any, outcome: str
) -> None:
    thread_id = client.threads.create()["thread_id"]
    list(client.runs.stream(thread_id, "approval", input={"request": "deploy"}))
    parts = _parts(client.runs.stream(thread_id, "approval", command={"resume": answer}, stream_mode="updates"))
    nodes = [next(iter(data)) for event, data in parts if event == "updates"]
    # ``prepare`` ran before the interrupt: the resumed run starts at ``review``.
    assert nodes == ["review", "act"]
    state = client.threads.get_state(thread_id)
    assert state["values"]["outcome"] == outcome
    assert state["next"] == [] and state["interrupts"] == []


def test_runs_wait_returns_the_interrupted_state_and_get_state_shows_what_is_pending(
    client: lgsync.SyncClient,
) -> None:
    thread_id = client.threads.create()["thread_id"]
    stopped = client.runs.wait(thread_id, "approval", input={"request": "deploy"})
    assert stopped["request"] == "deploy"
    (pending,) = stopped["__interrupt__"]
    state = client.threads.get_state(thread_id)
    assert state["next"] == ["review"]
    assert state["interrupts"] == [{"id": pending["id"], "value": pending["value"]}]
    (task,) = state["tasks"]
    assert task["name"] == "review"
    assert task["interrupts"] == [{"id": pending["id"], "value": pending["value"]}]
    assert client.threads.get(thread_id)["status"] == "interrupted"


def test_parallel_interrupts_are_answered_by_id(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "approval_parallel", input={"request": "budget"})
    pending = {item["value"]["reviewer"]: item["id"] for item in client.threads.get_state(thread_id)["interrupts"]}
    assert sorted(pending) == ["finance", "legal"]
    # Answer one reviewer: the run stops again, waiting for the other.
    client.runs.wait(thread_id, "approval_parallel", command={"resume": {pending["legal"]: "approve"}})
    left = client.threads.get_state(thread_id)["interrupts"]
    assert [item["id"] for item in left] == [pending["finance"]]
    final = client.runs.wait(thread_id, "approval_parallel", command={"resume": {pending["finance"]: "reject"}})
    assert sorted(final["approvals"]) == ["finance:reject", "legal:approve"]
    assert final["outcome"] == "refused"


@pytest.mark.parametrize(
    ("where", "stopped_at", "state_then"),
    [
        ("interrupt_before", "refine_topic", {"topic": "owls"}),
        ("interrupt_after", "generate_joke", {"topic": "owls and cats"}),
    ],
)
def test_interrupt_before_and_after_a_node_stop_the_run_there(
    client: lgsync.SyncClient, where: str, stopped_at: str, state_then: dict[str, Any]
) -> None:
    node = "refine_topic"
    thread_id = client.threads.create()["thread_id"]
    stopped = client.runs.wait(thread_id, "agent", input={"topic": "owls"}, **{where: [node]})
    assert stopped == state_then
    assert client.threads.get_state(thread_id)["next"] == [stopped_at]
    finished = client.runs.wait(thread_id, "agent", input=None)
    assert finished == {"topic": "owls and cats", "joke": "This is a joke about owls and cats"}


@pytest.mark.parametrize(
    ("graph", "payload"),
    [
        ("tools_agent", {"messages": [{"role": "user", "content": "Quito"}]}),
        ("research", {"messages": [{"role": "user", "content": "moths"}]}),
        ("progress", {"steps": 2}),
    ],
)
def test_the_agent_examples_stream_as_they_do_for_the_sdk(
    graph: str, payload: dict[str, Any], client: lgsync.SyncClient, sdk_client: Any
) -> None:
    """The other new example graphs through the classic API: stream parts and final state, beside the SDK."""

    def flow(any_client: Any) -> Any:
        thread_id = any_client.threads.create()["thread_id"]
        parts = _parts(
            any_client.runs.stream(thread_id, graph, input=payload, stream_mode=["updates", "custom", "values"])
        )
        return [parts[1:], any_client.threads.get_state(thread_id)["values"]]

    ours = _masked(flow(client))
    assert ours == _masked(flow(sdk_client))
    assert ours[0] and ours[1]
