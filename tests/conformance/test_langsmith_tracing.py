"""Port of langgraph-sdk 0.4.14 ``tests/test_langsmith_tracing.py``: ``langsmith_tracing`` goes out as ``langsmith_tracer``.

The SDK tests replace its HTTP client with a ``MagicMock``; here the body
that reaches the transport is checked.
"""

from __future__ import annotations

import lgsync
from lgsync.testing import MockTransport

TRACING = {"project_name": "kiln-evals", "example_id": "ex-0017"}


def test_create_sends_langsmith_tracer(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_langsmith_tracing.py::TestLangSmithTracingPayload::test_sync_create_includes_langsmith_tracer."""
    route = mock.add("POST", "/threads/th-kiln/runs", json={"run_id": "run-1", "status": "pending"})

    client.runs.create("th-kiln", "potter", langsmith_tracing=TRACING)  # type: ignore[arg-type]

    assert route.calls[0].json()["langsmith_tracer"] == TRACING


def test_wait_sends_langsmith_tracer(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_langsmith_tracing.py::TestLangSmithTracingPayload::test_sync_wait_includes_langsmith_tracer."""
    route = mock.add("POST", "/threads/th-kiln/runs/wait", json={"messages": []})

    client.runs.wait("th-kiln", "potter", langsmith_tracing=TRACING)  # type: ignore[arg-type]

    assert route.calls[0].json()["langsmith_tracer"] == TRACING


def test_create_without_tracing_leaves_the_key_out(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_langsmith_tracing.py::TestLangSmithTracingPayload::test_create_without_langsmith_tracing_excludes_key."""
    route = mock.add("POST", "/threads/th-kiln/runs", json={"run_id": "run-1", "status": "pending"})

    client.runs.create("th-kiln", "potter")

    assert "langsmith_tracer" not in route.calls[0].json()


def test_tracing_with_a_project_name_only(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_langsmith_tracing.py::TestLangSmithTracingPayload::test_langsmith_tracing_project_name_only."""
    route = mock.add("POST", "/threads/th-kiln/runs", json={"run_id": "run-1", "status": "pending"})

    client.runs.create("th-kiln", "potter", langsmith_tracing={"project_name": "kiln-evals"})

    assert route.calls[0].json()["langsmith_tracer"] == {"project_name": "kiln-evals"}
