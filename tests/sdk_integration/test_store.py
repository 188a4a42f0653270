"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_store.py`` (sync halves), on both transports."""

from __future__ import annotations

import uuid

import pytest

import lgsync

pytestmark = pytest.mark.integration


def _namespace(label: str) -> list[str]:
    return ["sdk-integration", label, uuid.uuid4().hex[:12]]


def test_store_put_get_delete(client: lgsync.SyncClient) -> None:
    """SDK: test_store.py::test_store_put_get_delete_sync. An item round-trips, and is ``None`` once deleted."""
    namespace = _namespace("put")
    value = {"title": "Hello", "body": "World"}
    client.store.put_item(namespace, key="doc-1", value=value)
    try:
        item = client.store.get_item(namespace, key="doc-1")
        assert item is not None
        assert (item["value"], item["namespace"], item["key"]) == (value, namespace, "doc-1")
    finally:
        client.store.delete_item(namespace, key="doc-1")
    assert client.store.get_item(namespace, key="doc-1") is None


def test_store_search_and_list_namespaces(client: lgsync.SyncClient) -> None:
    """SDK: test_store.py::test_store_search_and_list_namespaces_sync. Search finds both items; the namespace is listed."""
    namespace = _namespace("search")
    client.store.put_item(namespace, key="a", value={"kind": "alpha"})
    client.store.put_item(namespace, key="b", value={"kind": "beta"})
    try:
        found = client.store.search_items(namespace, limit=10)
        assert sorted(item["key"] for item in found["items"]) == ["a", "b"]

        listed = client.store.list_namespaces(prefix=namespace[:1], limit=100)
        assert namespace in [list(name) for name in listed["namespaces"]]
    finally:
        client.store.delete_item(namespace, key="a")
        client.store.delete_item(namespace, key="b")
