"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_crons.py`` (sync half), on both transports."""

from __future__ import annotations

import uuid

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT

pytestmark = pytest.mark.integration

# Once a year, at midnight on 1 January: never due while a test runs.
_YEARLY = "0 0 1 1 *"


def test_crons_create_search_delete(client: lgsync.SyncClient) -> None:
    """SDK: test_crons.py::test_crons_create_search_delete_sync. A cron is found by search, and gone once deleted."""
    label = f"crons-{uuid.uuid4().hex[:8]}"
    created = client.crons.create("agent", schedule=_YEARLY, input=AGENT_INPUT, metadata={"label": label})
    cron_id = created["cron_id"]
    try:
        found = client.crons.search(limit=100)
        assert cron_id in {cron["cron_id"] for cron in found}
    finally:
        client.crons.delete(cron_id)
    assert cron_id not in {cron["cron_id"] for cron in client.crons.search(limit=100)}
