"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_lifecycle.py`` (sync half), on both transports."""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, EXPECTED_TERMINAL_ITEMS, within

pytestmark = pytest.mark.integration


def test_lifecycle(client: lgsync.SyncClient) -> None:
    """SDK: test_lifecycle.py::test_lifecycle_sync. ``interrupted``, ``interrupts``, then ``run.respond`` to the end.

    The interrupt's ``value`` is the question: the server sends it as
    ``payload``, which lgsync reads; langgraph-sdk 0.4.14 reads only
    ``value`` and gives ``None`` here (its test checks only that the list
    is not empty).
    """

    def scenario() -> tuple[bool, list[Any], Any, bool]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            for _ in thread.values:
                if thread.interrupted:
                    break
            interrupted, interrupts = thread.interrupted, thread.interrupts
            thread.run.respond("yes")
            return interrupted, interrupts, thread.output, thread.interrupted

    interrupted, interrupts, final, still_interrupted = within(DEADLINE, scenario)
    assert interrupted
    (question,) = interrupts
    assert question["value"] == "Are we good?"
    assert question["namespace"] == []
    assert final["items"] == EXPECTED_TERMINAL_ITEMS
    assert final["messages"][-1]["content"] == "You said yes"
    assert not still_interrupted
