"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import lgsync
from lgsync.devserver import DevServer

ROOT = Path(__file__).resolve().parent.parent
TRANSPORTS = ("requests", "urllib3")


@pytest.fixture(scope="session")
def langgraph_server() -> Iterator[DevServer]:
    """The real LangGraph server (``langgraph dev``) with the graphs of ``examples/``, on a free loopback port."""
    server = DevServer(ROOT / "examples" / "langgraph.json", jobs_per_worker=8)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=TRANSPORTS)
def transport_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def client(langgraph_server: DevServer, transport_name: str) -> Iterator[lgsync.SyncClient]:
    """An lgsync client of the real server, once per transport."""
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None, transport=transport_name) as c:
        yield c
