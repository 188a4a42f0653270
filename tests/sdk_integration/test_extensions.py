"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_extensions.py`` (sync half), on both transports.

Flaky on the SDK (its lifecycle connection races the main stream); made
deterministic here, and repeated to show it: see README.md.
"""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, within

pytestmark = pytest.mark.integration

_BEFORE_THE_QUESTION = [
    ("stream_message", "start"),
    ("stream_message", "end"),
    ("call_tool", "start"),
    ("call_tool", "end"),
    ("ask_human", "start"),
]


@pytest.mark.parametrize("attempt", range(3))
def test_extensions(client: lgsync.SyncClient, attempt: int) -> None:
    """SDK: test_extensions.py::test_extensions_sync. ``extensions["progress"]`` up to the interrupt, in order."""

    def scenario() -> list[dict[str, Any]]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            return list(thread.extensions["progress"])

    events = within(DEADLINE, scenario)
    assert [(event.get("step"), event.get("phase")) for event in events] == _BEFORE_THE_QUESTION
    assert {event["name"] for event in events} == {"progress"}
