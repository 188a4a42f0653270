"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_values.py`` (sync half), on both transports."""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, EXPECTED_TERMINAL_ITEMS, within

pytestmark = pytest.mark.integration


def test_values(client: lgsync.SyncClient) -> None:
    """SDK: test_values.py::test_values_sync.

    ``thread.values`` ends where the run stops for a person; the answer
    resumes it to the end.
    """

    def scenario() -> tuple[list[Any], bool, Any]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            snapshots = list(thread.values)
            interrupted = thread.interrupted
            thread.run.respond("yes")
            return snapshots, interrupted, thread.output

    snapshots, interrupted, final = within(DEADLINE, scenario)
    assert interrupted, f"expected an interrupt after {len(snapshots)} snapshots"
    # The thread's state when the iteration began, then each state of the run.
    assert [snapshot["items"] for snapshot in snapshots[1:]] == [[], ["streamed"], ["streamed", "tool"]]
    assert final["items"] == EXPECTED_TERMINAL_ITEMS
