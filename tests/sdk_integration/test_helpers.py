"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_helpers.py`` (sync half), on both transports."""

from __future__ import annotations

import pytest

import lgsync

pytestmark = pytest.mark.integration


def test_get_tree_and_extensions_cache(client: lgsync.SyncClient) -> None:
    """SDK: test_helpers.py::test_get_tree_and_extensions_cache_sync.

    ``thread.agent.get_tree`` gives the assistant's graph (plain and xray),
    and ``thread.extensions[name]`` is the same object each time.
    """
    with client.threads.stream(assistant_id="agent") as thread:
        tree = thread.agent.get_tree()
        assert {"stream_message", "ask_human"} <= {node["id"] for node in tree["nodes"]}

        xray = thread.agent.get_tree(xray=True)
        assert {"nodes", "edges"} <= set(xray)

        assert thread.extensions["progress"] is thread.extensions["progress"]
        assert thread.extensions["progress"] is not thread.extensions["other"]
