"""``client.threads.stream(...)`` against the real server, on both transports, and beside the SDK's.

Covers ``run.start``, ``output``, ``values``, ``messages``, ``events``,
failed runs and closing; every wait has a deadline.
"""

from __future__ import annotations

import inspect
import threading
import time
import uuid
from typing import Any, Callable, TypeVar

import pytest

import lgsync
from lgsync.devserver import DevServer
from lgsync.resources.thread_stream import MessageStream, RunCommands, RunFailedError, ThreadStream
from tests.support.fault_proxy import Fault, FaultProxy

pytestmark = pytest.mark.integration

T = TypeVar("T")

REPLY = "Why did the ice cream cross the road? To get to the sundae!"
DEADLINE = 60.0


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``, run in a thread that must finish within ``seconds``."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def test_output_is_the_final_state(client: lgsync.SyncClient) -> None:
    def scenario() -> tuple[dict[str, Any], Any]:
        with client.threads.stream(assistant_id="agent") as thread:
            started = thread.run.start(input={"topic": "ice cream"})
            return started, thread.output

    started, output = within(DEADLINE, scenario)
    assert isinstance(started["run_id"], str) and started["run_id"]
    assert output == {"topic": "ice cream and cats", "joke": "This is a joke about ice cream and cats"}


def test_values_come_in_order_and_end_with_the_output(client: lgsync.SyncClient) -> None:
    def scenario() -> tuple[list[Any], Any]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input={"topic": "ice cream"})
            return list(thread.values), thread.output

    values, output = within(DEADLINE, scenario)
    # The first item is the thread's state when the iteration began, as in the SDK.
    assert values[-3:] == [
        {"topic": "ice cream"},
        {"topic": "ice cream and cats"},
        {"topic": "ice cream and cats", "joke": "This is a joke about ice cream and cats"},
    ]
    assert values[-1] == output


def test_messages_assemble_the_text_from_its_tokens(client: lgsync.SyncClient) -> None:
    def scenario() -> list[tuple[MessageStream, list[str]]]:
        with client.threads.stream(assistant_id="chat") as thread:
            thread.run.start(input={"topic": "ice cream"})
            return [(message, list(message.text)) for message in thread.messages]

    messages = within(DEADLINE, scenario)
    assert len(messages) == 1
    message, tokens = messages[0]
    assert message.done and message.error is None
    assert isinstance(message.message_id, str) and message.message_id
    assert str(message.text) == REPLY
    assert "".join(tokens) == REPLY
    assert len(tokens) > 10  # token by token, not one piece
    assert not message.reasoning


def test_events_are_the_raw_protocol_events_of_the_run(client: lgsync.SyncClient) -> None:
    def scenario() -> list[dict[str, Any]]:
        with client.threads.stream(assistant_id="chat") as thread:
            thread.run.start(input={"topic": "ice cream"})
            return list(thread.events)

    events = within(DEADLINE, scenario)
    assert all(event["type"] == "event" for event in events)
    seqs = [event["seq"] for event in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert events[0]["method"] == "lifecycle" and events[0]["params"]["data"]["event"] == "running"
    assert events[-1]["method"] == "lifecycle" and events[-1]["params"]["data"]["event"] == "completed"
    assert {"values", "messages"} <= {event["method"] for event in events}
    deltas = [
        event["params"]["data"]["delta"]["text"]
        for event in events
        if event["method"] == "messages" and event["params"]["data"]["event"] == "content-block-delta"
    ]
    assert "".join(deltas) == REPLY


def test_a_second_run_on_a_thread_is_followed_from_its_own_start(client: lgsync.SyncClient) -> None:
    thread_id = str(uuid.uuid4())

    def scenario() -> tuple[list[Any], Any]:
        with client.threads.stream(thread_id, assistant_id="agent") as thread:
            thread.run.start(input={"topic": "dogs"})
            assert thread.output["joke"] == "This is a joke about dogs and cats"
            thread.run.start(input={"topic": "birds"})
            return list(thread.values), thread.output

    values, output = within(DEADLINE, scenario)
    assert output == {"topic": "birds and cats", "joke": "This is a joke about birds and cats"}
    # Only the second run's states: the replay of the first run is skipped.
    assert values[1:] == [
        {"topic": "birds", "joke": "This is a joke about dogs and cats"},
        {"topic": "birds and cats", "joke": "This is a joke about dogs and cats"},
        {"topic": "birds and cats", "joke": "This is a joke about birds and cats"},
    ]


def test_output_on_a_given_thread_waits_for_the_run_already_going(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    client.runs.create(thread_id, "slow", input={"steps": 10, "delay": 0.1})

    def scenario() -> Any:
        with client.threads.stream(thread_id, assistant_id="slow") as thread:
            return thread.output

    assert within(DEADLINE, scenario) == {"steps": 10, "delay": 0.1, "done": 10}


def test_an_interrupted_thread_gives_its_state_then_resumes_with_run_start(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    client.runs.wait(thread_id, "agent", input={"topic": "owls"}, interrupt_before=["generate_joke"])

    def scenario() -> tuple[Any, Any]:
        with client.threads.stream(thread_id, assistant_id="agent") as thread:
            paused = thread.output
            thread.run.start()
            return paused, thread.output

    paused, resumed = within(DEADLINE, scenario)
    assert paused == {"topic": "owls and cats"}
    assert resumed == {"topic": "owls and cats", "joke": "This is a joke about owls and cats"}


def test_a_projection_read_before_run_start_waits_for_it(client: lgsync.SyncClient) -> None:
    with client.threads.stream(assistant_id="agent", run_start_timeout=0.5) as thread:
        started = time.monotonic()
        with pytest.raises(TimeoutError, match="run.start"):
            list(thread.values)
        assert 0.4 < time.monotonic() - started < 10.0

    def scenario() -> list[Any]:
        with client.threads.stream(assistant_id="agent", run_start_timeout=DEADLINE) as thread:
            threading.Timer(0.3, lambda: thread.run.start(input={"topic": "later"})).start()
            return list(thread.values)

    values = within(DEADLINE, scenario)
    assert values[-1] == {"topic": "later and cats", "joke": "This is a joke about later and cats"}


def test_subscribe_filters_by_channel_and_namespace(client: lgsync.SyncClient) -> None:
    def scenario() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        with client.threads.stream(assistant_id="subgraphs") as thread:
            thread.run.start(input={"foo": "x"})
            below = list(thread.subscribe(["values"], namespaces=[["node_2"]]))
        with client.threads.stream(assistant_id="subgraphs") as thread:
            thread.run.start(input={"foo": "x"})
            root = list(thread.subscribe(["values", "lifecycle"], namespaces=[[]], depth=0))
        return below, root

    below, root = within(DEADLINE, scenario)
    assert [event["params"]["data"] for event in below] == [
        {"foo": "hi! x"},
        {"foo": "hi! x", "bar": "bar"},
        {"foo": "hi! xbar", "bar": "bar"},
    ]
    assert all(event["params"]["namespace"][0].startswith("node_2:") for event in below)
    assert all(event["params"]["namespace"] == [] for event in root)
    assert [event["method"] for event in root][0] == "lifecycle"
    assert root[-1]["params"]["data"]["event"] == "completed"
    assert root[-2]["params"]["data"] == {"foo": "hi! xbar"}


def test_a_failed_run_raises_from_output_like_the_sdk(client: lgsync.SyncClient) -> None:
    def scenario() -> BaseException:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input={"not_a_topic": 1})
            with pytest.raises(RunFailedError) as caught:
                _ = thread.output
            return caught.value

    error = within(DEADLINE, scenario)
    assert isinstance(error, RuntimeError) and isinstance(error, lgsync.errors.LangGraphError)
    assert str(error) == "Run errored: 'topic'"


def test_leaving_the_block_closes_a_connection_another_thread_is_reading(client: lgsync.SyncClient) -> None:
    seen: list[dict[str, Any]] = []
    first = threading.Event()
    finished = threading.Event()

    def reader(events: Any) -> None:
        for event in events:
            seen.append(event)
            first.set()
        finished.set()

    with client.threads.stream(assistant_id="slow") as thread:
        thread.run.start(input={"steps": 200, "delay": 0.1})
        worker = threading.Thread(target=reader, args=(thread.events,), daemon=True)
        worker.start()
        assert first.wait(DEADLINE)
        left_at = time.monotonic()
    assert finished.wait(5.0), "the reader was still blocked after the session closed"
    assert time.monotonic() - left_at < 5.0
    # The run takes 20 s; the reader stopped long before its end.
    assert not any(event["method"] == "lifecycle" and event["params"]["data"]["event"] == "completed" for event in seen)
    with pytest.raises(RuntimeError, match="closed"):
        _ = thread.output


def test_breaking_out_of_a_projection_leaves_the_session_usable(client: lgsync.SyncClient) -> None:
    def scenario() -> tuple[dict[str, Any], Any]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input={"topic": "ice cream"})
            for event in thread.events:
                first = event
                break
            return first, thread.output

    first, output = within(DEADLINE, scenario)
    assert first["method"] == "lifecycle"
    assert output["joke"] == "This is a joke about ice cream and cats"


def _without_ids(data: Any) -> Any:
    return {k: v for k, v in data.items() if k != "id"} if isinstance(data, dict) else data


def test_a_cut_connection_resumes_without_losing_or_repeating_events(
    langgraph_server: DevServer, transport_name: str
) -> None:
    proxy = FaultProxy(langgraph_server.port)
    try:
        with lgsync.get_sync_client(url=proxy.url, api_key=None, transport=transport_name) as through_proxy:

            def session(cut_after: int | None) -> list[tuple[str, Any]]:
                if cut_after is not None:
                    proxy.add_faults(Fault(after=cut_after))
                with through_proxy.threads.stream(assistant_id="chat") as thread:
                    thread.run.start(input={"topic": "ice cream"})
                    # A message's id differs between two runs; the rest must not.
                    return [(event["method"], _without_ids(event["params"]["data"])) for event in thread.events]

            whole = within(DEADLINE, lambda: session(None))
            streams_before = proxy.stats.streams
            cut = within(DEADLINE, lambda: session(3000))
    finally:
        proxy.close()
    assert proxy.stats.faults_injected == 1
    assert proxy.stats.streams - streams_before == 2  # the first connection, cut, then one resume
    assert cut == whole
    assert len(whole) > 20


def test_websocket_is_refused_with_a_clear_error(client: lgsync.SyncClient) -> None:
    with pytest.raises(ValueError, match="SSE only"):
        client.threads.stream(assistant_id="agent", transport="websocket")


def test_output_before_any_run_needs_a_run(client: lgsync.SyncClient) -> None:
    with client.threads.stream(assistant_id="agent") as thread:
        with pytest.raises(RuntimeError, match="run.start"):
            _ = thread.output


def _without_task_ids(data: Any) -> Any:
    volatile = ("namespace", "trigger_call_id")
    return {k: v for k, v in data.items() if k not in volatile} if isinstance(data, dict) else data


def test_same_answers_as_the_sdk_thread_stream(langgraph_server: DevServer, client: lgsync.SyncClient) -> None:
    langgraph_sdk = pytest.importorskip("langgraph_sdk")
    sdk = langgraph_sdk.get_sync_client(url=langgraph_server.url, api_key=None)

    def session(any_client: Any) -> dict[str, Any]:
        with any_client.threads.stream(assistant_id="chat") as thread:
            thread.run.start(input={"topic": "ice cream"})
            texts = [(str(message.text), list(message.text)) for message in thread.messages]
        with any_client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input={"topic": "ice cream"})
            values = list(thread.values)[-3:]
            output = thread.output
        with any_client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input={"topic": "ice cream"})
            everything = list(thread.events)
            shape = [
                (event["type"], event["method"], event["params"]["namespace"], event["params"]["data"])
                for event in everything
                if event["method"] in ("values", "lifecycle")
            ]
            methods = [event["method"] for event in everything]
        with any_client.threads.stream(assistant_id="subgraphs") as thread:
            thread.run.start(input={"foo": "x"})
            scoped = [
                # A subgraph's namespace carries its task id, which differs between two runs.
                (event["method"], len(event["params"]["namespace"]), _without_task_ids(event["params"]["data"]))
                for event in thread.subscribe(["values", "lifecycle"], namespaces=[["node_2"]], depth=0)
            ]
        with any_client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input={})
            try:
                _ = thread.output
            except RuntimeError as exc:
                failure = (True, str(exc))
            else:
                failure = (False, "")
        with any_client.threads.stream(assistant_id="no-such-graph") as thread:
            try:
                thread.run.start(input={})
            except RuntimeError as exc:
                refused = str(exc)
            else:
                refused = ""
        return {
            "refused": refused,
            "texts": texts,
            "values": values,
            "output": output,
            "events": shape,
            "methods": methods,
            "scoped": scoped,
            "failure": failure,
        }

    try:
        theirs = within(DEADLINE, lambda: session(sdk))
    finally:
        sdk.http.client.close()
    ours = within(DEADLINE, lambda: session(client))
    assert ours == theirs
    assert theirs["texts"][0][0] == REPLY and theirs["failure"][0] is True
    assert theirs["refused"].startswith("Protocol error [")


def test_the_session_has_the_sdk_names_for_what_it_supports() -> None:
    sdk_stream = pytest.importorskip("langgraph_sdk._sync.stream")
    sdk_start = inspect.signature(sdk_stream.SyncRunModule.start).parameters
    our_start = inspect.signature(RunCommands.start).parameters
    assert [(p.name, p.kind, p.default) for p in our_start.values()] == [
        (p.name, p.kind, p.default) for p in sdk_start.values()
    ]
    for name in ("output", "events", "subscribe", "close", "__enter__", "__exit__"):
        assert hasattr(sdk_stream.SyncThreadStream, name) and hasattr(ThreadStream, name), name
    assert isinstance(ThreadStream.output, property) and isinstance(sdk_stream.SyncThreadStream.output, property)
    assert isinstance(ThreadStream.events, property) and isinstance(sdk_stream.SyncThreadStream.events, property)
    sdk_subscribe = inspect.signature(sdk_stream.SyncThreadStream.subscribe).parameters
    our_subscribe = inspect.signature(ThreadStream.subscribe).parameters
    assert [(p.name, p.kind, p.default) for p in our_subscribe.values()] == [
        (p.name, p.kind, p.default) for p in sdk_subscribe.values()
    ]
    with lgsync.get_sync_client(url="http://127.0.0.1:9", api_key=None) as ours:
        session = ours.threads.stream(assistant_id="agent")
        assert {"run", "values", "messages", "thread_id", "assistant_id"} <= set(vars(session))
        uuid.UUID(session.thread_id)
