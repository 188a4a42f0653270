"""The benchmark harness works: every runner reads a tiny scenario whole (no timing is asserted)."""

from __future__ import annotations

from typing import Iterator

import pytest

from benchmarks.payloads import large_values, small_messages
from benchmarks.runners import CALL_RUNNERS, STREAM_RUNNERS, run_calls, run_stream
from benchmarks.server import BenchServer

SMALL = 25


@pytest.fixture(scope="module")
def server() -> Iterator[BenchServer]:
    with BenchServer(
        {"warm": small_messages(3), "small": small_messages(SMALL), "large1": large_values(1)},
        trickle_count=4,
        trickle_interval=0.001,
    ) as running:
        yield running


@pytest.mark.parametrize("framing", ["chunked", "close"])
@pytest.mark.parametrize("runner", STREAM_RUNNERS)
def test_each_stream_runner_consumes_every_event(server: BenchServer, runner: str, framing: str) -> None:
    if runner == "sdk":
        pytest.importorskip("langgraph_sdk")  # needs Python 3.10+
    for scenario, expected in (("small", SMALL), ("large1", 1), ("trickle", 4)):
        spec = {
            "runner": runner,
            "json": "orjson",
            "url": server.url,
            "scenario": scenario,
            "framing": framing,
            "iterations": 1,
        }
        result = run_stream(spec)
        assert result["events"] == expected, (scenario, result)
        if scenario == "trickle":
            assert len(result["latencies"]) == expected


@pytest.mark.parametrize("runner", CALL_RUNNERS)
def test_each_call_runner_makes_its_calls_on_one_connection(server: BenchServer, runner: str) -> None:
    if runner == "sdk":
        pytest.importorskip("langgraph_sdk")  # needs Python 3.10+
    before = server.connections
    result = run_calls({"runner": runner, "url": server.url, "count": 5})
    assert result["events"] == 5
    assert server.connections - before == 1, "ordinary calls reuse one keep-alive connection"
