"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_runs.py`` (sync halves), on both transports."""

from __future__ import annotations

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT

pytestmark = pytest.mark.integration


def test_runs_create_get_list(client: lgsync.SyncClient) -> None:
    """SDK: test_runs.py::test_runs_create_get_list_sync. A created run is found by get and by list."""
    thread_id = client.threads.create(metadata={"suite": "sdk-integration", "label": "runs"})["thread_id"]
    try:
        created = client.runs.create(thread_id, "agent", input=AGENT_INPUT)
        run_id = created["run_id"]
        assert created["thread_id"] == thread_id
        assert client.runs.get(thread_id, run_id)["run_id"] == run_id
        assert run_id in {run["run_id"] for run in client.runs.list(thread_id, limit=10)}
        client.runs.join(thread_id, run_id)  # let it stop before the thread goes
    finally:
        client.threads.delete(thread_id)


def test_runs_wait(client: lgsync.SyncClient) -> None:
    """SDK: test_runs.py::test_runs_wait_sync. ``wait`` returns the state where ``interrupt_before`` stopped the run."""
    thread_id = client.threads.create(metadata={"suite": "sdk-integration", "label": "wait"})["thread_id"]
    try:
        result = client.runs.wait(thread_id, "agent", input=AGENT_INPUT, interrupt_before=["ask_human"])
        assert isinstance(result, dict)
        assert result["items"] == ["streamed", "tool"]
        assert result["value"] == "x"
        assert client.threads.get_state(thread_id)["next"] == ["ask_human"]
    finally:
        client.threads.delete(thread_id)
