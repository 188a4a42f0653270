"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_tools.py`` (sync half), on both transports."""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import DEADLINE, within

pytestmark = pytest.mark.integration


def test_tools(client: lgsync.SyncClient) -> None:
    """SDK: test_tools.py::test_tools_sync. ``thread.tool_calls`` yields the agent's ``search`` call, which succeeds."""

    def scenario() -> list[tuple[str, Any, str, Any]]:
        with client.threads.stream(assistant_id="tools_agent") as thread:
            thread.run.start(input={"messages": [{"role": "human", "content": "search for v3"}]})
            handles = list(thread.tool_calls)
            return [(h.name, h.input, "".join(h.deltas), h.output) for h in handles]

    calls = within(DEADLINE, scenario)
    assert [(name, arguments) for name, arguments, _, _ in calls] == [("search", {"query": "v3"})]
    (_, _, deltas, output) = calls[0]
    assert isinstance(deltas, str)  # the tool streams no partial output, so this may be empty
    assert output["status"] == "success"
    assert output["content"] == "two hits for v3"
