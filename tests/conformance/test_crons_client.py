"""Port of langgraph-sdk 0.4.14 ``tests/test_crons_client.py`` (sync client)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import lgsync
from lgsync.testing import MockTransport

SCHEDULED_RUN = {
    "run_id": "run-dawn",
    "thread_id": "th-garden",
    "assistant_id": "gardener",
    "created_at": "2025-02-01T06:00:00Z",
    "updated_at": "2025-02-01T06:00:05Z",
    "status": "success",
    "metadata": {},
    "multitask_strategy": "reject",
}

CRON = {
    "cron_id": "cron-water",
    "assistant_id": "gardener",
    "thread_id": "th-garden",
    "on_run_completed": None,
    "end_time": "2026-08-31T18:00:00+00:00",
    "schedule": "30 6 * * 1",
    "created_at": "2025-02-01T06:00:00Z",
    "updated_at": "2025-02-02T06:00:00Z",
    "payload": {},
    "user_id": None,
    "next_run_date": "2025-02-03T06:30:00Z",
    "metadata": {},
    "enabled": True,
}


def test_create_for_thread_leaves_end_time_out(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_create_for_thread."""
    route = mock.add("POST", "/threads/th-garden/runs/crons", json=SCHEDULED_RUN)

    result = client.crons.create_for_thread("th-garden", "gardener", schedule="30 6 * * 1")

    assert result == SCHEDULED_RUN
    body = route.calls[0].json()
    assert (body["schedule"], body["assistant_id"]) == ("30 6 * * 1", "gardener")
    assert "end_time" not in body


def test_create_for_thread_sends_end_time_as_iso(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_create_for_thread_with_end_time."""
    route = mock.add("POST", "/threads/th-garden/runs/crons", json=SCHEDULED_RUN)

    client.crons.create_for_thread(
        "th-garden", "gardener", schedule="30 6 * * 1", end_time=datetime(2026, 8, 31, 18, 0, 0, tzinfo=timezone.utc)
    )

    body = route.calls[0].json()
    assert (body["schedule"], body["assistant_id"]) == ("30 6 * * 1", "gardener")
    assert body["end_time"] == "2026-08-31T18:00:00+00:00"


def test_create_leaves_end_time_out(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_create."""
    route = mock.add("POST", "/runs/crons", json=SCHEDULED_RUN)

    assert client.crons.create("harvester", schedule="0 20 * * *") == SCHEDULED_RUN
    body = route.calls[0].json()
    assert (body["schedule"], body["assistant_id"]) == ("0 20 * * *", "harvester")
    assert "end_time" not in body


def test_create_sends_end_time_as_iso(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_create_with_end_time."""
    route = mock.add("POST", "/runs/crons", json=SCHEDULED_RUN)

    client.crons.create(
        "harvester", schedule="0 20 * * *", end_time=datetime(2026, 1, 9, 7, 15, 0, tzinfo=timezone.utc)
    )

    assert route.calls[0].json()["end_time"] == "2026-01-09T07:15:00+00:00"


@pytest.mark.parametrize("enabled", [True, False], ids=["on", "off"])
def test_create_sends_enabled(client: lgsync.SyncClient, mock: MockTransport, enabled: bool) -> None:
    """SDK: tests/test_crons_client.py::test_sync_create_with_enabled_parameter."""
    route = mock.add("POST", "/runs/crons", json=SCHEDULED_RUN)

    assert client.crons.create("harvester", schedule="0 20 * * *", enabled=enabled) == SCHEDULED_RUN
    body = route.calls[0].json()
    assert body["enabled"] is enabled
    assert (body["schedule"], body["assistant_id"]) == ("0 20 * * *", "harvester")


def test_update_sends_schedule_and_enabled_only(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_update."""
    route = mock.add("PATCH", "/runs/crons/cron-water", json=CRON)

    assert client.crons.update("cron-water", schedule="30 6 * * 1", enabled=False) == CRON
    body = route.calls[0].json()
    assert body["schedule"] == "30 6 * * 1"
    assert body["enabled"] is False
    assert "end_time" not in body


def test_update_sends_end_time_as_iso(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_update_with_end_time."""
    route = mock.add("PATCH", "/runs/crons/cron-water", json=CRON)

    client.crons.update(
        "cron-water",
        schedule="30 6 * * 1",
        end_time=datetime(2026, 8, 31, 18, 0, 0, tzinfo=timezone.utc),
        enabled=True,
    )

    body = route.calls[0].json()
    assert body["end_time"] == "2026-08-31T18:00:00+00:00"
    assert body["enabled"] is True


def test_update_with_end_time_none_clears_it(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_update_clears_end_time."""
    route = mock.add("PATCH", "/runs/crons/cron-water", json=CRON)

    assert client.crons.update("cron-water", end_time=None) == CRON
    body = route.calls[0].json()
    assert "end_time" in body
    assert body["end_time"] is None


@pytest.mark.parametrize("enabled", [True, False], ids=["on", "off"])
def test_update_sends_enabled_alone(client: lgsync.SyncClient, mock: MockTransport, enabled: bool) -> None:
    """SDK: tests/test_crons_client.py::test_sync_update_with_enabled_parameter."""
    route = mock.add("PATCH", "/runs/crons/cron-prune", json=CRON)

    assert client.crons.update("cron-prune", enabled=enabled) == CRON
    body = route.calls[0].json()
    assert body["enabled"] is enabled
    assert "schedule" not in body


def test_search_sends_metadata_and_paging_defaults(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_search_with_metadata."""
    route = mock.add("POST", "/runs/crons/search", json=[CRON])

    assert client.crons.search(metadata={"owner": "bea"}) == [CRON]
    body = route.calls[0].json()
    assert body["metadata"] == {"owner": "bea"}
    assert (body["limit"], body["offset"]) == (10, 0)


def test_search_leaves_metadata_out_when_not_given(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_search_omits_empty_metadata."""
    route = mock.add("POST", "/runs/crons/search", json=[CRON])

    client.crons.search()

    assert "metadata" not in route.calls[0].json()


def test_count_sends_metadata(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_count_with_metadata."""
    route = mock.add("POST", "/runs/crons/count", json=5)

    assert client.crons.count(metadata={"squad": "night"}) == 5
    assert route.calls[0].json()["metadata"] == {"squad": "night"}


def test_count_leaves_metadata_out_when_not_given(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_crons_client.py::test_sync_count_omits_empty_metadata."""
    route = mock.add("POST", "/runs/crons/count", json=0)

    assert client.crons.count() == 0
    assert "metadata" not in route.calls[0].json()
