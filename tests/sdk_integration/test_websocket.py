"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_websocket.py`` (sync half), on both transports.

Documented difference (README, "Migrating from langgraph_sdk": SSE only):
the SDK runs the session over a WebSocket (``transport="websocket"``) and
checks its private transport class; lgsync refuses the WebSocket with a
``ValueError`` and carries the same events over SSE, where the SDK test's
session (values to the interrupt, answer, output) is ``test_values.py``.
"""

from __future__ import annotations

import pytest

import lgsync

pytestmark = pytest.mark.integration


def test_websocket(client: lgsync.SyncClient) -> None:
    """SDK: test_websocket.py::test_websocket_sync. lgsync: ``transport="websocket"`` raises ``ValueError`` at once."""
    with pytest.raises(ValueError, match="SSE"):
        client.threads.stream(assistant_id="agent", transport="websocket")
