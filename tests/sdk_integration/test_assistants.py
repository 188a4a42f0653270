"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_assistants.py`` (sync halves), on both transports."""

from __future__ import annotations

import uuid

import pytest

import lgsync

pytestmark = pytest.mark.integration


def test_assistants_crud(client: lgsync.SyncClient) -> None:
    """SDK: test_assistants.py::test_assistants_crud_sync. Create, get, update, search by metadata, delete."""
    label = f"crud-{uuid.uuid4().hex[:8]}"
    created = client.assistants.create(
        graph_id="agent", metadata={"suite": "sdk-integration", "label": label}, name=label
    )
    assistant_id = created["assistant_id"]
    try:
        fetched = client.assistants.get(assistant_id)
        assert fetched["assistant_id"] == assistant_id
        assert fetched["graph_id"] == "agent"
        assert fetched["name"] == label

        updated = client.assistants.update(assistant_id, metadata={"suite": "sdk-integration", "label": f"{label}-2"})
        assert updated["metadata"]["label"] == f"{label}-2"

        found = client.assistants.search(metadata={"label": f"{label}-2"})
        assert [a["assistant_id"] for a in found] == [assistant_id]
    finally:
        client.assistants.delete(assistant_id)
    with pytest.raises(lgsync.errors.NotFoundError):
        client.assistants.get(assistant_id)


def test_assistants_graph_introspection(client: lgsync.SyncClient) -> None:
    """SDK: test_assistants.py::test_assistants_graph_introspection_sync. The graph (plain and xray) and schemas."""
    (assistant,) = client.assistants.search(graph_id="agent", limit=1)
    assistant_id = assistant["assistant_id"]

    graph = client.assistants.get_graph(assistant_id)
    node_ids = {node["id"] for node in graph["nodes"]}
    assert {"stream_message", "call_tool", "ask_human", "run_subgraph"} <= node_ids

    xray = client.assistants.get_graph(assistant_id, xray=True)
    assert {"nodes", "edges"} <= set(xray)

    schemas = client.assistants.get_schemas(assistant_id)
    assert schemas["graph_id"] == "agent"
    assert {"messages", "value", "items"} <= set(schemas["state_schema"]["properties"])
