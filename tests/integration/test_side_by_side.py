"""lgsync and langgraph_sdk side by side against the same real server.

Each scenario runs once with each client; the answers must be equal once ids
and timestamps (which differ between two runs by nature) are masked.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any, Callable

import pytest

import lgsync
from lgsync.devserver import DevServer

langgraph_sdk = pytest.importorskip("langgraph_sdk")

pytestmark = pytest.mark.integration

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})?")
_STREAM_ID = re.compile(r"^\d{10,}-\d+$")
#: Keys whose values are per-run by nature (a new marker, a new id, a clock).
_VOLATILE_KEYS = frozenset({"marker", "thread_ts", "step_ts", "__request_start_time_ms__"})

Scenario = Callable[[Any], Any]


def masked(value: Any) -> Any:
    """``value`` with every id and timestamp replaced by a placeholder.

    Example::

        >>> masked({"run_id": "1f1e5f0b-b39a-669b-8002-e25878e2dc54", "n": 1})
        {'run_id': '<id>', 'n': 1}
    """
    if isinstance(value, dict):
        return {key: "<volatile>" if key in _VOLATILE_KEYS else masked(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [masked(item) for item in value]
    if isinstance(value, str):
        if _STREAM_ID.match(value):
            return "<event-id>"
        return _TIMESTAMP.sub("<time>", _UUID.sub("<id>", value))
    return value


def _stream_parts(parts: Any) -> list[Any]:
    """Stream parts as plain lists (lgsync's and the SDK's ``StreamPart`` are different NamedTuples)."""
    return [list(part) if isinstance(part, tuple) else part for part in parts]


# Scenarios: each takes a client (lgsync or SDK) and returns what it answered.


def assistant_lifecycle(client: Any) -> Any:
    marker = uuid.uuid4().hex
    created = client.assistants.create(
        "agent", config={"configurable": {"x": 1}}, metadata={"marker": marker}, name="side", description="by side"
    )
    assistant_id = created["assistant_id"]
    updated = client.assistants.update(assistant_id, metadata={"marker": marker, "v": 2})
    versions = client.assistants.get_versions(assistant_id)
    latest = client.assistants.set_latest(assistant_id, 1)
    found = client.assistants.search(metadata={"marker": marker}, response_format="object")
    count = client.assistants.count(metadata={"marker": marker})
    deleted = client.assistants.delete(assistant_id)
    return [created, updated, versions, latest, found, count, deleted]


def assistant_graph_views(client: Any) -> Any:
    agent = client.assistants.search(graph_id="agent", sort_by="created_at", sort_order="asc", limit=1)[0]
    parent = client.assistants.search(graph_id="subgraphs", limit=1)[0]
    return [
        client.assistants.get(agent["assistant_id"]),
        client.assistants.get_graph(agent["assistant_id"]),
        client.assistants.get_graph(parent["assistant_id"], xray=True),
        client.assistants.get_schemas(agent["assistant_id"]),
        client.assistants.get_subgraphs(parent["assistant_id"], recurse=True),
    ]


def thread_lifecycle(client: Any) -> Any:
    marker = uuid.uuid4().hex
    thread = client.threads.create(metadata={"marker": marker}, graph_id="agent")
    thread_id = thread["thread_id"]
    answers = [
        thread,
        client.threads.update(thread_id, metadata={"step": 2}),
        client.threads.update(thread_id, metadata={"step": 3}, return_minimal=True),
        client.threads.get(thread_id),
        client.threads.search(metadata={"marker": marker}),
        client.threads.count(metadata={"marker": marker}),
    ]
    copy = client.threads.copy(thread_id)
    answers += [copy, client.threads.prune([copy["thread_id"]]), client.threads.delete(thread_id)]
    return answers


def state_and_history(client: Any) -> Any:
    thread_id = client.threads.create()["thread_id"]
    final = client.runs.wait(thread_id, "agent", input={"topic": "cats"})
    state = client.threads.get_state(thread_id)
    written = client.threads.update_state(thread_id, {"topic": "dogs"}, as_node="generate_joke")
    history = client.threads.get_history(thread_id, limit=10)
    client.threads.delete(thread_id)
    return [final, state, written, history]


def runs_create_join_list(client: Any) -> Any:
    thread_id = client.threads.create()["thread_id"]
    created: list[Any] = []
    run = client.runs.create(thread_id, "custom", input={"count": 2}, on_run_created=created.append)
    joined = client.runs.join(thread_id, run["run_id"])
    answers = [run, created, joined, client.runs.get(thread_id, run["run_id"]), client.runs.list(thread_id)]
    client.threads.delete(thread_id)
    return answers


def runs_wait_error(client: Any) -> Any:
    unraised = client.runs.wait(None, "custom", input={"count": "many"}, raise_error=False)
    with pytest.raises(Exception) as failure:
        client.runs.wait(None, "custom", input={"count": "many"})
    return [unraised, str(failure.value)]


def runs_stream_v1(client: Any) -> Any:
    thread_id = client.threads.create()["thread_id"]
    parts = _stream_parts(
        client.runs.stream(
            thread_id, "subgraphs", input={"foo": "foo"}, stream_mode=["updates", "values"], stream_subgraphs=True
        )
    )
    client.threads.delete(thread_id)
    return parts


def runs_stream_v2(client: Any) -> Any:
    return [
        list(client.runs.stream(None, "custom", input={"count": 3}, stream_mode=["custom", "values"], version="v2")),
        list(
            client.runs.stream(None, "chat", input={"topic": "ice cream"}, stream_mode="messages-tuple", version="v2")
        ),
    ]


def store_items(client: Any) -> Any:
    namespace = ["side", str(uuid.uuid4())]
    answers = [
        client.store.put_item(namespace, key="a", value={"n": 1}),
        client.store.put_item(namespace, key="b", value={"n": 2}, index=False),
        client.store.get_item(namespace, key="a"),
        client.store.search_items(namespace, filter={"n": 2}),
        client.store.list_namespaces(prefix=namespace),
        client.store.delete_item(namespace, key="a"),
        client.store.get_item(namespace, key="a"),
    ]
    client.store.delete_item(namespace, key="b")
    return answers


def crons_lifecycle(client: Any) -> Any:
    marker = uuid.uuid4().hex
    cron = client.crons.create(
        "agent", schedule="0 9 * * *", input={"topic": "x"}, metadata={"marker": marker}, timezone="Europe/Paris"
    )
    answers = [
        cron,
        client.crons.update(cron["cron_id"], schedule="0 10 * * *", end_time=None),
        client.crons.search(metadata={"marker": marker}),
        client.crons.count(metadata={"marker": marker}),
        client.crons.delete(cron["cron_id"]),
    ]
    return answers


def not_found_error(client: Any) -> Any:
    with pytest.raises(Exception) as failure:
        client.threads.get(str(uuid.uuid4()))
    return [type(failure.value).__name__, failure.value.status_code]


SCENARIOS: list[Scenario] = [
    assistant_lifecycle,
    assistant_graph_views,
    thread_lifecycle,
    state_and_history,
    runs_create_join_list,
    runs_wait_error,
    runs_stream_v1,
    runs_stream_v2,
    store_items,
    crons_lifecycle,
    not_found_error,
]


@pytest.fixture
def sdk_client(langgraph_server: DevServer) -> Iterator[Any]:
    """langgraph_sdk's own sync client of the same server."""
    client = langgraph_sdk.get_sync_client(url=langgraph_server.url, api_key=None)
    yield client
    client.http.client.close()


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda scenario: scenario.__name__)
def test_lgsync_answers_as_the_sdk_does(scenario: Scenario, client: lgsync.SyncClient, sdk_client: Any) -> None:
    ours = masked(scenario(client))
    theirs = masked(scenario(sdk_client))
    assert ours == theirs
    # Something must have been compared: no scenario may come back empty.
    assert ours


def test_masking_hides_ids_and_times_only() -> None:
    answer = {
        "thread_id": "1f1e5f0b-b39a-669b-8002-e25878e2dc54",
        "created_at": "2026-11-21T21:12:15.661336+00:00",
        "message": "run lc_run--1f1e5f0b-b39a-669b-8002-e25878e2dc54 said hi",
        "id": "1795295621306-0",
        "count": 3,
    }
    assert masked(answer) == {
        "thread_id": "<id>",
        "created_at": "<time>",
        "message": "run lc_run--<id> said hi",
        "id": "<event-id>",
        "count": 3,
    }
