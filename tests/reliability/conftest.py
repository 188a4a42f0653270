"""Fixtures for the reliability suite: a fault-injecting proxy in front of the real server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from lgsync.devserver import DevServer
from tests.support.fault_proxy import FaultProxy


@pytest.fixture
def proxy(langgraph_server: DevServer) -> Iterator[FaultProxy]:
    fault_proxy = FaultProxy(langgraph_server.port)
    try:
        yield fault_proxy
    finally:
        fault_proxy.close()
