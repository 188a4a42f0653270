"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_concurrent.py`` (sync half), on both transports."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, EXPECTED_TERMINAL_ITEMS

pytestmark = pytest.mark.integration


def _drive(client: lgsync.SyncClient, label: str, results: dict[str, Any]) -> None:
    try:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            for _ in thread.values:
                if thread.interrupted:
                    break
            if thread.interrupted:
                thread.run.respond("yes")
            results[label] = (thread.thread_id, thread.output["items"])
    except BaseException as exc:
        results[label] = exc


def test_concurrent_streams(client: lgsync.SyncClient) -> None:
    """SDK: test_concurrent.py::test_concurrent_streams_sync. Two sessions at once, from two threads, one client."""
    results: dict[str, Any] = {}
    workers = [
        threading.Thread(target=_drive, args=(client, label, results), daemon=True, name=f"sdk-stream-{label}")
        for label in ("A", "B")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(DEADLINE)
        assert not worker.is_alive(), f"{worker.name} did not finish within {DEADLINE} s"
    for label in ("A", "B"):
        if isinstance(results[label], BaseException):
            raise results[label]
    (thread_a, items_a), (thread_b, items_b) = results["A"], results["B"]
    assert items_a == items_b == EXPECTED_TERMINAL_ITEMS
    assert thread_a != thread_b
