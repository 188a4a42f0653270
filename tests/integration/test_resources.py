"""Every sub-client against the real LangGraph dev server, on both transports.

Round trips (create, read, update, search, delete) for assistants, threads,
store items and crons; state and history; waiting, joining and cancelling runs.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

import lgsync
from lgsync.errors import NotFoundError
from lgsync.resources.runs import RunError
from lgsync.schema import RunCreateMetadata

pytestmark = pytest.mark.integration

ZoneInfo = pytest.importorskip("zoneinfo").ZoneInfo


def _marker() -> str:
    """A value no other test uses, so that searches see only this test's objects."""
    return uuid.uuid4().hex


def _wait_for_status(client: lgsync.SyncClient, thread_id: str, run_id: str, wanted: set[str]) -> str:
    deadline = time.monotonic() + 30
    status = ""
    while time.monotonic() < deadline:
        status = client.runs.get(thread_id, run_id)["status"]
        if status in wanted:
            return status
        time.sleep(0.05)
    return status


# Assistants.


def test_assistant_round_trip(client: lgsync.SyncClient) -> None:
    marker = _marker()
    created = client.assistants.create(
        "agent", config={"configurable": {"style": "dry"}}, metadata={"test": marker}, name="dry", description="d1"
    )
    assistant_id = created["assistant_id"]
    try:
        assert created["graph_id"] == "agent"
        assert created["name"] == "dry"
        assert created["version"] == 1
        assert client.assistants.get(assistant_id)["metadata"] == {"test": marker}

        updated = client.assistants.update(assistant_id, metadata={"test": marker, "step": 2}, name="drier")
        assert updated["version"] == 2
        assert updated["name"] == "drier"

        versions = client.assistants.get_versions(assistant_id)
        assert sorted(version["version"] for version in versions) == [1, 2]
        assert client.assistants.set_latest(assistant_id, 1)["name"] == "dry"

        found = client.assistants.search(metadata={"test": marker})
        assert [a["assistant_id"] for a in found] == [assistant_id]
        assert client.assistants.count(metadata={"test": marker}) == 1
        assert client.assistants.count(graph_id="agent", metadata={"test": marker}) == 1

        graph = client.assistants.get_graph(assistant_id)
        assert {"generate_joke", "refine_topic"} <= {node["id"] for node in graph["nodes"]}
        schemas = client.assistants.get_schemas(assistant_id)
        assert schemas["graph_id"] == "agent"
        assert "topic" in schemas["state_schema"]["properties"]
    finally:
        client.assistants.delete(assistant_id)
    with pytest.raises(NotFoundError):
        client.assistants.get(assistant_id)


def test_assistant_create_if_exists_do_nothing_returns_the_existing_one(client: lgsync.SyncClient) -> None:
    assistant_id = str(uuid.uuid4())
    first = client.assistants.create("agent", assistant_id=assistant_id, name="first")
    try:
        again = client.assistants.create("agent", assistant_id=assistant_id, name="second", if_exists="do_nothing")
        assert again["name"] == "first"
        with pytest.raises(lgsync.errors.ConflictError):
            client.assistants.create("agent", assistant_id=assistant_id, if_exists="raise")
    finally:
        client.assistants.delete(first["assistant_id"])


def test_assistant_search_object_format_pages_with_the_next_cursor(client: lgsync.SyncClient) -> None:
    marker = _marker()
    ids = [client.assistants.create("agent", metadata={"page": marker})["assistant_id"] for _ in range(3)]
    try:
        first = client.assistants.search(metadata={"page": marker}, limit=2, response_format="object")
        assert len(first["assistants"]) == 2
        assert first["next"] is not None
        second = client.assistants.search(
            metadata={"page": marker}, limit=2, offset=int(first["next"]), response_format="object"
        )
        assert len(second["assistants"]) == 1
        assert second["next"] is None
        seen = {a["assistant_id"] for a in first["assistants"] + second["assistants"]}
        assert seen == set(ids)
        selected = client.assistants.search(metadata={"page": marker}, select=["assistant_id"], limit=5)
        assert all(set(a) == {"assistant_id"} for a in selected)
        with pytest.raises(ValueError):
            client.assistants.search(response_format="table")  # type: ignore[call-overload]
    finally:
        for assistant_id in ids:
            client.assistants.delete(assistant_id)


def test_assistant_subgraphs(client: lgsync.SyncClient) -> None:
    assistant_id = client.assistants.search(graph_id="subgraphs", limit=1)[0]["assistant_id"]
    subgraphs = client.assistants.get_subgraphs(assistant_id, recurse=True)
    assert list(subgraphs) == ["node_2"]
    assert "bar" in subgraphs["node_2"]["state_schema"]["properties"]
    one = client.assistants.get_subgraphs(assistant_id, "node_2")
    assert list(one) == ["node_2"]


# Threads.


def test_thread_round_trip(client: lgsync.SyncClient) -> None:
    marker = _marker()
    thread_id = str(uuid.uuid4())
    created = client.threads.create(thread_id=thread_id, metadata={"test": marker}, graph_id="agent")
    assert created["thread_id"] == thread_id
    assert created["metadata"] == {"test": marker, "graph_id": "agent"}
    assert client.threads.create(thread_id=thread_id, if_exists="do_nothing")["thread_id"] == thread_id
    with pytest.raises(lgsync.errors.ConflictError):
        client.threads.create(thread_id=thread_id, if_exists="raise")

    fetched = client.threads.get(thread_id)
    assert fetched["status"] == "idle"
    updated = client.threads.update(thread_id, metadata={"step": 2})
    assert updated["metadata"] == {"test": marker, "graph_id": "agent", "step": 2}
    assert client.threads.update(thread_id, metadata={"step": 3}, return_minimal=True) is None
    assert client.threads.get(thread_id)["metadata"]["step"] == 3

    found = client.threads.search(metadata={"test": marker}, status="idle")
    assert [t["thread_id"] for t in found] == [thread_id]
    assert client.threads.search(ids=[thread_id], select=["thread_id", "status"]) == [
        {"thread_id": thread_id, "status": "idle"}
    ]
    assert client.threads.count(metadata={"test": marker}) == 1

    copy = client.threads.copy(thread_id)
    assert isinstance(copy, dict) and copy["thread_id"] != thread_id
    assert client.threads.prune([copy["thread_id"]]) == {"pruned_count": 1}
    with pytest.raises(NotFoundError):
        client.threads.get(copy["thread_id"])

    client.threads.delete(thread_id)
    with pytest.raises(NotFoundError):
        client.threads.get(thread_id)


def test_thread_create_with_supersteps_prefills_the_state(client: lgsync.SyncClient) -> None:
    thread = client.threads.create(
        graph_id="agent",
        supersteps=[{"updates": [{"values": {"topic": "owls"}, "as_node": "refine_topic"}]}],
    )
    try:
        state = client.threads.get_state(thread["thread_id"])
        assert state["values"] == {"topic": "owls"}
        assert state["next"] == ["generate_joke"]
    finally:
        client.threads.delete(thread["thread_id"])


def test_state_update_and_history(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    try:
        final = client.runs.wait(thread_id, "agent", input={"topic": "cats"})
        assert final == {"topic": "cats and cats", "joke": "This is a joke about cats and cats"}
        state = client.threads.get_state(thread_id)
        assert state["values"] == final
        assert state["next"] == []

        written = client.threads.update_state(thread_id, {"topic": "dogs"}, as_node="generate_joke")
        checkpoint = written["checkpoint"]
        assert checkpoint["thread_id"] == thread_id
        assert client.threads.get_state(thread_id)["values"]["topic"] == "dogs"

        history = client.threads.get_history(thread_id, limit=20)
        assert history[0]["checkpoint"]["checkpoint_id"] == checkpoint["checkpoint_id"]
        assert history[0]["values"]["topic"] == "dogs"
        assert [s["values"].get("topic") for s in history[1:3]] == ["cats and cats", "cats and cats"]
        assert len(client.threads.get_history(thread_id, limit=2)) == 2
        # The server reads ``before`` as a checkpoint config, as with the SDK.
        older = client.threads.get_history(thread_id, before={"configurable": history[0]["checkpoint"]}, limit=1)
        assert older[0]["checkpoint"]["checkpoint_id"] == history[1]["checkpoint"]["checkpoint_id"]

        at_checkpoint = client.threads.get_state(thread_id, checkpoint=history[1]["checkpoint"])
        assert at_checkpoint["values"] == final
        by_id = client.threads.get_state(thread_id, checkpoint_id=history[1]["checkpoint"]["checkpoint_id"])
        assert by_id["values"] == final
    finally:
        client.threads.delete(thread_id)


def test_thread_join_stream_follows_a_run_on_the_thread(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    try:
        run = client.runs.create(thread_id, "slow", input={"steps": 3, "delay": 0.2}, stream_mode=["custom"])
        events: list[lgsync.StreamPart] = []
        with client.threads.join_stream(thread_id, stream_mode="run_modes") as stream:  # type: ignore[attr-defined]
            for part in stream:
                events.append(part)
                if part.event == "metadata" and part.data.get("status") == "run_done":
                    break
        customs = [part.data for part in events if part.event == "custom"]
        assert customs and customs[-1] == {"step": 2}
        assert all(part.id for part in events)
        assert client.runs.join(thread_id, run["run_id"]) == {"steps": 3, "delay": 0.2, "done": 3}
    finally:
        client.threads.delete(thread_id)


# Store.


def test_store_item_round_trip(client: lgsync.SyncClient) -> None:
    marker = _marker()
    namespace = ["lgsync", marker, "prefs"]
    client.store.put_item(namespace, key="ada", value={"theme": "dark"})
    client.store.put_item(namespace, key="bob", value={"theme": "light"})
    item = client.store.get_item(namespace, key="ada")
    assert item["namespace"] == namespace
    assert item["key"] == "ada"
    assert item["value"] == {"theme": "dark"}

    everything = client.store.search_items(["lgsync", marker])
    assert sorted(i["key"] for i in everything["items"]) == ["ada", "bob"]
    dark = client.store.search_items(["lgsync", marker], filter={"theme": "dark"})
    assert [i["key"] for i in dark["items"]] == ["ada"]
    assert len(client.store.search_items(["lgsync", marker], limit=1)["items"]) == 1

    namespaces = client.store.list_namespaces(prefix=["lgsync", marker])
    assert namespaces == {"namespaces": [namespace]}
    assert client.store.list_namespaces(prefix=["lgsync", marker], max_depth=2) == {"namespaces": [["lgsync", marker]]}

    assert client.store.delete_item(namespace, key="ada") is None
    # The server answers a missing item with null, so get_item returns None (as the SDK does).
    assert client.store.get_item(namespace, key="ada") is None
    with pytest.raises(ValueError):
        client.store.put_item(["a.b"], key="k", value={})


# Crons (the in-memory server supports them).


def test_cron_round_trip(client: lgsync.SyncClient) -> None:
    marker = _marker()
    thread_id = client.threads.create()["thread_id"]
    end = datetime.now(timezone.utc) + timedelta(days=30)
    stateless = client.crons.create(
        "agent",
        schedule="0 9 * * *",
        input={"topic": "mornings"},
        metadata={"test": marker},
        timezone=ZoneInfo("Europe/Paris"),
        end_time=end,
        on_run_completed="keep",
    )
    on_thread = client.crons.create_for_thread(
        thread_id,
        "agent",
        schedule="*/30 * * * *",
        input={"topic": "news"},
        metadata={"test": marker},
        timezone="UTC",
    )
    try:
        assert stateless["timezone"] == "Europe/Paris"
        assert stateless["schedule"] == "0 9 * * *"
        assert stateless["end_time"] is not None
        assert stateless["on_run_completed"] == "keep"
        assert on_thread["thread_id"] == thread_id
        assert on_thread["timezone"] == "UTC"

        found = client.crons.search(metadata={"test": marker}, sort_by="created_at", sort_order="asc")
        assert [c["cron_id"] for c in found] == [stateless["cron_id"], on_thread["cron_id"]]
        assert [c["cron_id"] for c in client.crons.search(thread_id=thread_id)] == [on_thread["cron_id"]]
        assert client.crons.count(metadata={"test": marker}) == 2
        assert client.crons.count(thread_id=thread_id) == 1

        kept = client.crons.update(stateless["cron_id"], schedule="0 10 * * *")
        assert kept["schedule"] == "0 10 * * *"
        assert kept["end_time"] is not None
        cleared = client.crons.update(stateless["cron_id"], end_time=None, timezone=timezone.utc, enabled=False)
        assert cleared["end_time"] is None
        assert cleared["timezone"] == "UTC"
        assert cleared["enabled"] is False
    finally:
        client.crons.delete(stateless["cron_id"])
        client.crons.delete(on_thread["cron_id"])
        client.threads.delete(thread_id)
    assert client.crons.count(metadata={"test": marker}) == 0


# Runs.


def test_runs_wait_reports_the_run_and_raises_run_error(client: lgsync.SyncClient) -> None:
    created: list[RunCreateMetadata] = []
    thread_id = client.threads.create()["thread_id"]
    try:
        final = client.runs.wait(thread_id, "agent", input={"topic": "owls"}, on_run_created=created.append)
        assert final["joke"] == "This is a joke about owls and cats"
        assert len(created) == 1 and created[0]["thread_id"] == thread_id
        assert client.runs.get(thread_id, created[0]["run_id"])["status"] == "success"
        assert [r["run_id"] for r in client.runs.list(thread_id)] == [created[0]["run_id"]]
    finally:
        client.threads.delete(thread_id)

    with pytest.raises(RunError) as failure:
        client.runs.wait(None, "custom", input={"count": "many"})
    assert failure.value.error == "ValueError"
    assert "many" in failure.value.message
    unraised = client.runs.wait(None, "custom", input={"count": "many"}, raise_error=False)
    assert isinstance(unraised, dict) and unraised["__error__"]["error"] == "ValueError"


def test_runs_create_join_and_delete(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    try:
        created: list[RunCreateMetadata] = []
        run = client.runs.create(
            thread_id, "custom", input={"count": 2}, metadata={"who": "test"}, on_run_created=created.append
        )
        assert run["status"] == "pending"
        assert created == [{"run_id": run["run_id"], "thread_id": thread_id}]
        assert client.runs.join(thread_id, run["run_id"]) == {"count": 2, "written": 2}
        listed = client.runs.list(thread_id, status="success", select=["run_id", "status"])
        assert listed == [{"run_id": run["run_id"], "status": "success"}]
        client.runs.delete(thread_id, run["run_id"])
        with pytest.raises(NotFoundError):
            client.runs.get(thread_id, run["run_id"])
    finally:
        client.threads.delete(thread_id)


def test_runs_create_batch(client: lgsync.SyncClient) -> None:
    runs = client.runs.create_batch(
        [
            {"assistant_id": "custom", "input": {"count": 1}},
            {"assistant_id": "custom", "input": {"count": 2}, "metadata": None},
        ]
    )
    assert len(runs) == 2
    assert all(run["status"] in ("pending", "running", "success") for run in runs)


def test_runs_cancel_and_cancel_many(client: lgsync.SyncClient) -> None:
    thread_a = client.threads.create()["thread_id"]
    thread_b = client.threads.create()["thread_id"]
    try:
        run_a = client.runs.create(thread_a, "slow", input={"steps": 200, "delay": 0.05})
        assert _wait_for_status(client, thread_a, run_a["run_id"], {"running"}) == "running"
        # With wait=True the server answers with the thread's values once the run has stopped
        # (the SDK returns them too; how far the state got depends on timing).
        stopped = client.runs.cancel(thread_a, run_a["run_id"], wait=True)
        assert isinstance(stopped, dict) and "done" not in stopped
        assert client.runs.get(thread_a, run_a["run_id"])["status"] == "interrupted"

        run_b = client.runs.create(thread_b, "slow", input={"steps": 200, "delay": 0.05})
        assert _wait_for_status(client, thread_b, run_b["run_id"], {"running"}) == "running"
        assert client.runs.cancel_many(thread_id=thread_b, run_ids=[run_b["run_id"]]) is None
        assert _wait_for_status(client, thread_b, run_b["run_id"], {"interrupted"}) == "interrupted"
    finally:
        client.threads.delete(thread_a)
        client.threads.delete(thread_b)


# version="v2" streams.


def test_runs_stream_v2_on_subgraphs_names_the_namespace(client: lgsync.SyncClient) -> None:
    thread_id = client.threads.create()["thread_id"]
    try:
        parts: list[dict[str, Any]] = list(
            client.runs.stream(
                thread_id,
                "subgraphs",
                input={"foo": "foo"},
                stream_mode="updates",
                stream_subgraphs=True,
                version="v2",
            )
        )
    finally:
        client.threads.delete(thread_id)
    assert all(set(part) == {"type", "ns", "data", "interrupts"} for part in parts)
    assert parts[0]["type"] == "metadata"
    updates = [part for part in parts if part["type"] == "updates"]
    assert updates[0] == {"type": "updates", "ns": [], "data": {"node_1": {"foo": "hi! foo"}}, "interrupts": []}
    nested = [part for part in updates if part["ns"]]
    assert [list(part["data"]) for part in nested] == [["subgraph_node_1"], ["subgraph_node_2"]]
    assert all(part["ns"][0].startswith("node_2:") for part in nested)
    assert updates[-1]["data"] == {"node_2": {"foo": "hi! foobar"}}


def test_runs_stream_v2_custom_and_values(client: lgsync.SyncClient) -> None:
    parts = list(client.runs.stream(None, "custom", input={"count": 3}, stream_mode=["custom", "values"], version="v2"))
    assert [p["data"] for p in parts if p["type"] == "custom"] == [{"i": 0}, {"i": 1}, {"i": 2}]
    values = [p for p in parts if p["type"] == "values"]
    assert values[-1]["data"] == {"count": 3, "written": 3}
    assert all(p["interrupts"] == [] for p in values)
