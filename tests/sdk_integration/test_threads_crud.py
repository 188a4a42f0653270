"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_threads_crud.py`` (sync halves), on both transports."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, EXPECTED_TERMINAL_ITEMS, within

pytestmark = pytest.mark.integration


def test_threads_create_get_delete(client: lgsync.SyncClient) -> None:
    """SDK: test_threads_crud.py::test_threads_create_get_delete_sync."""
    created = client.threads.create(metadata={"suite": "sdk-integration", "label": "crud"})
    thread_id = created["thread_id"]
    try:
        fetched = client.threads.get(thread_id)
        assert fetched["thread_id"] == thread_id
        assert fetched["metadata"]["label"] == "crud"
    finally:
        client.threads.delete(thread_id)
    with pytest.raises(lgsync.errors.NotFoundError):
        client.threads.get(thread_id)


def test_threads_search(client: lgsync.SyncClient) -> None:
    """SDK: test_threads_crud.py::test_threads_search_sync. Search by metadata finds the thread."""
    label = f"search-{uuid.uuid4().hex[:8]}"
    thread_id = client.threads.create(metadata={"label": label})["thread_id"]
    try:
        found = client.threads.search(metadata={"label": label}, limit=10)
        assert [thread["thread_id"] for thread in found] == [thread_id]
    finally:
        client.threads.delete(thread_id)


def test_threads_copy(client: lgsync.SyncClient) -> None:
    """SDK: test_threads_crud.py::test_threads_copy_sync. A copy is a new thread."""
    source = client.threads.create(metadata={"label": "copy-src"})["thread_id"]
    try:
        copied = client.threads.copy(source)
        assert isinstance(copied, dict)
        copy_id = copied["thread_id"]
        try:
            assert copy_id != source
            assert client.threads.get(copy_id)["thread_id"] == copy_id
        finally:
            client.threads.delete(copy_id)
    finally:
        client.threads.delete(source)


def test_threads_history_after_run(client: lgsync.SyncClient) -> None:
    """SDK: test_threads_crud.py::test_threads_history_after_run_sync. A run answered at its question leaves checkpoints."""

    def scenario() -> tuple[Any, list[Any]]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            for _ in thread.values:
                if thread.interrupted:
                    break
            assert thread.interrupted
            thread.run.respond("yes")
            final = thread.output
            return final, client.threads.get_history(thread.thread_id, limit=20)

    final, history = within(DEADLINE, scenario)
    assert final["items"] == EXPECTED_TERMINAL_ITEMS
    assert history, "expected checkpoints after a completed run"
    assert history[0]["values"]["items"] == EXPECTED_TERMINAL_ITEMS
