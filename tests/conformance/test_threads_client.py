"""Port of langgraph-sdk 0.4.14 ``tests/test_threads_client.py`` (sync client)."""

from __future__ import annotations

import re

import lgsync
from lgsync.testing import MockTransport

SAVEPOINT = {
    "thread_id": "th-orchard",
    "checkpoint_ns": "",
    "checkpoint_id": "ck-42",
    "checkpoint_map": None,
}


def test_update_with_return_minimal_prefers_a_minimal_answer(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_threads_client.py::test_sync_threads_update_return_minimal."""
    route = mock.add("PATCH", "/threads/th-orchard", status=204)

    result = client.threads.update("th-orchard", metadata={"season": "autumn"}, return_minimal=True)

    assert result is None
    (sent,) = route.calls
    assert sent.headers["Prefer"] == "return=minimal"
    assert sent.json() == {"metadata": {"season": "autumn"}}


def test_get_state_sends_select_on_each_form(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_threads_client.py::test_sync_threads_get_state_select."""
    mock.add("*", re.compile(r"/threads/th-orchard/state.*"), json={})

    client.threads.get_state("th-orchard", select=["values.apples", "next"])
    client.threads.get_state("th-orchard", checkpoint_id="ck-42", select=["values.apples"])
    client.threads.get_state("th-orchard", checkpoint=SAVEPOINT, select=["values.apples"])  # type: ignore[arg-type]
    client.threads.get_state("th-orchard")

    latest, by_id, by_checkpoint, plain = mock.requests
    assert (latest.method, latest.path) == ("GET", "/threads/th-orchard/state")
    assert latest.params["select"] == ["values.apples", "next"]
    assert (by_id.method, by_id.path) == ("GET", "/threads/th-orchard/state/ck-42")
    assert by_id.params["select"] == ["values.apples"]
    assert (by_checkpoint.method, by_checkpoint.path) == ("POST", "/threads/th-orchard/state/checkpoint")
    assert by_checkpoint.json() == {"checkpoint": SAVEPOINT, "subgraphs": False, "select": ["values.apples"]}
    assert "select" not in plain.params


def test_get_history_sends_select_only_when_given(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_threads_client.py::test_sync_threads_get_history_select."""
    route = mock.add("POST", "/threads/th-orchard/history", json=[])

    client.threads.get_history("th-orchard", select=["values.apples"])
    client.threads.get_history("th-orchard")

    assert [r.json() for r in route.calls] == [{"limit": 10, "select": ["values.apples"]}, {"limit": 10}]
