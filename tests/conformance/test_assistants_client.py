"""Port of langgraph-sdk 0.4.14 ``tests/test_assistants_client.py`` (sync client)."""

from __future__ import annotations

import lgsync
from lgsync.testing import MockTransport

ROBOT = {
    "assistant_id": "robot-7",
    "graph_id": "planner",
    "config": {"configurable": {"tone": "dry"}},
    "context": {"tone": "dry"},
    "created_at": "2025-03-04T05:06:07Z",
    "updated_at": "2025-03-05T05:06:07Z",
    "metadata": {"team": "ops"},
    "version": 3,
    "name": "Robot Seven",
    "description": "plans the week",
}


def test_search_returns_a_plain_list_by_default(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_assistants_client.py::test_assistants_search_returns_list_by_default (async test; checked on the sync client)."""
    route = mock.add("POST", "/assistants/search", json=[ROBOT])

    assert client.assistants.search(limit=3) == [ROBOT]
    assert [r.method for r in route.calls] == ["POST"]
    assert route.calls[0].json()["limit"] == 3


def test_search_object_format_carries_the_next_cursor(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_assistants_client.py::test_sync_assistants_search_can_return_object_with_pagination_metadata."""
    route = mock.add("POST", "/assistants/search", json=[ROBOT], headers={"X-Pagination-Next": "96"})

    assert client.assistants.search(response_format="object") == {"assistants": [ROBOT], "next": "96"}
    assert len(route.calls) == 1
