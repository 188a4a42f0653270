"""Fixtures of the ported SDK integration suite: a second ``langgraph dev`` serving ``graphs/``.

The session's ``langgraph_server`` is overridden for this folder, so the
shared ``client`` fixture (one lgsync client per transport) reaches this
folder's server, which offers the four assistants langgraph-sdk's own
integration tests expect: ``agent``, ``tools_agent``, ``deep_agent`` and
``factory_agent``.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable, TypeVar

import pytest

import lgsync
from lgsync.devserver import DevServer

T = TypeVar("T")

GRAPHS = Path(__file__).resolve().parent / "graphs" / "langgraph.json"
#: What the ``agent`` graph starts from.
AGENT_INPUT: dict[str, Any] = {"messages": [], "value": "init", "items": []}
#: ``items`` of an ``agent`` run that went all the way, answered at its question.
EXPECTED_TERMINAL_ITEMS = ["streamed", "tool", "asked", "sub"]
#: The deadline of one test's scenario against the server.
DEADLINE = 60.0


@pytest.fixture(scope="session")
def langgraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevServer]:
    """``langgraph dev`` with the graphs of ``tests/sdk_integration/graphs``, on a free loopback port.

    It serves a copy of the folder, so the server's saved state
    (``.langgraph_api``) starts empty each session and two sessions at once
    never share it.
    """
    served = tmp_path_factory.mktemp("sdk-graphs") / "graphs"
    shutil.copytree(GRAPHS.parent, served, ignore=shutil.ignore_patterns(".langgraph_api", "__pycache__"))
    server = DevServer(served / GRAPHS.name, jobs_per_worker=8)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def within(seconds: float, work: Callable[[], T]) -> T:
    """``work()``, run in a thread that must finish within ``seconds`` (its error is raised here)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True, name="sdk-integration-scenario")
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"still waiting after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def wait_until(check: Callable[[], T], *, seconds: float = 15.0, every: float = 0.05) -> T:
    """Poll ``check()`` until it returns something truthy, for at most ``seconds``; returns that."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"condition not met within {seconds} s (last: {value!r})"
        time.sleep(every)


def run_status(client: lgsync.SyncClient, thread_id: str, run_id: str, *, unless: tuple[str, ...] = ()) -> str:
    """The run's status, or ``""`` while it is one of ``unless`` (so ``wait_until`` waits past those)."""
    status = str(client.runs.get(thread_id, run_id)["status"])
    return "" if status in unless else status
