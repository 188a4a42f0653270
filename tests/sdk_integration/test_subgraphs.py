"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_subgraphs.py`` (sync halves), on both transports."""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, within

pytestmark = pytest.mark.integration


def test_subgraphs_agent(client: lgsync.SyncClient) -> None:
    """SDK: test_subgraphs.py::test_subgraphs_agent_sync.

    ``agent`` stops for its question before its nested graph runs, so
    ``thread.subgraphs`` (which ends there) has no child.
    """

    def scenario() -> tuple[list[Any], bool]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            return list(thread.subgraphs), thread.interrupted

    handles, interrupted = within(DEADLINE, scenario)
    assert handles == []
    assert interrupted


def test_subgraphs_deep_agent(client: lgsync.SyncClient) -> None:
    """SDK: test_subgraphs.py::test_subgraphs_deep_agent_sync. The deep agent's subagent is a direct child handle."""

    def scenario() -> list[tuple[Any, ...]]:
        with client.threads.stream(assistant_id="deep_agent") as thread:
            thread.run.start(input={"messages": [{"role": "user", "content": "research the v3 spec"}]})
            handles = list(thread.subgraphs)
            return [(len(h.path), h.status, [str(m.text) for m in h.messages]) for h in handles]

    children = within(DEADLINE, scenario)
    assert children, "deep_agent should produce at least one direct-child handle"
    assert all(depth == 1 for depth, _, _ in children)
    assert ["The v3 protocol streams typed events per thread."] in [texts for _, _, texts in children]


def test_subgraph_handle_is_named_like_the_sdk(client: lgsync.SyncClient) -> None:
    """Found side by side with the SDK's sync client on this server (no SDK integration test checks it).

    langgraph-sdk 0.4.14 names the deep agent's child handle ``"tools"``,
    the name part of its namespace segment ``"tools:<id>"``.
    """

    def scenario() -> list[Any]:
        with client.threads.stream(assistant_id="deep_agent") as thread:
            thread.run.start(input={"messages": [{"role": "user", "content": "research the v3 spec"}]})
            return [handle.graph_name for handle in thread.subgraphs]

    assert within(DEADLINE, scenario) == ["tools"]
