"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_update_state.py`` (sync half), on both transports."""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from lgsync.errors import ConflictError
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, wait_until, within

pytestmark = pytest.mark.integration


def _accepted(client: lgsync.SyncClient, thread_id: str, values: dict[str, Any]) -> bool:
    # The stream shows the interrupt a moment before the server has put the run down: 409 until then.
    try:
        client.threads.update_state(thread_id, values)
    except ConflictError:
        return False
    return True


def test_update_state(client: lgsync.SyncClient) -> None:
    """SDK: test_update_state.py::test_update_state_sync. ``update_state`` during an interrupt persists."""

    def scenario() -> tuple[Any, Any]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            for _ in thread.values:
                if thread.interrupted:
                    break
            assert thread.interrupted, "expected an interrupt before update_state"
            before = client.threads.get_state(thread.thread_id)["values"]["value"]
            wait_until(lambda: _accepted(client, thread.thread_id, {"value": "patched"}), seconds=5.0)
            after = client.threads.get_state(thread.thread_id)["values"]["value"]
            return before, after

    before, after = within(DEADLINE, scenario)
    assert before == "x"  # stream_message set it
    assert after == "patched"
