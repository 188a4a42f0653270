"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_messages.py`` (sync half), on both transports.

Flaky on the SDK (its lifecycle connection races the main stream); made
deterministic here, and repeated to show it: see README.md.
"""

from __future__ import annotations

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, within

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("attempt", range(3))
def test_messages(client: lgsync.SyncClient, attempt: int) -> None:
    """SDK: test_messages.py::test_messages_sync. One streamed message, its text in token deltas."""

    def scenario() -> list[tuple[str, list[str]]]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            streams = list(thread.messages)
            return [(str(stream.text), list(stream.text)) for stream in streams]

    messages = within(DEADLINE, scenario)
    assert messages == [("Hello, world!", ["Hello,", " world!"])]
