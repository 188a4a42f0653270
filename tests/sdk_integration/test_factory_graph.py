"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_factory_graph.py`` (sync half), on both transports."""

from __future__ import annotations

import pytest

import lgsync

pytestmark = pytest.mark.integration


def test_factory_graph_executes(client: lgsync.SyncClient) -> None:
    """SDK: test_factory_graph.py::test_factory_graph_executes_sync.

    A run of a graph built per run by a factory (config + server runtime)
    completes, and the runtime the factory saw was the one for executing a run.
    """
    thread = client.threads.create(metadata={"suite": "sdk-integration", "label": "factory"})
    thread_id = thread["thread_id"]
    try:
        result = client.runs.wait(thread_id, "factory_agent", input={"text": "hi"})
        assert result == {"text": "hi echoed", "access_context": "threads.create_run", "is_for_execution": True}
    finally:
        client.threads.delete(thread_id)
