"""Fixtures of the contract suite: the scripted servers, and each transport in turn."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest

import lgsync
from tests.support.sse_server import ScriptedServer

#: Fast, deterministic stream reconnects for tests (no jitter, milliseconds of backoff).
FAST_STREAM_RETRY = lgsync.Retry(total=3, backoff_factor=0.01, backoff_max=0.05, jitter=0.0)


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """The scripted server playing the LangGraph API."""
    with ScriptedServer() as s:
        yield s


@pytest.fixture
def other_server() -> Iterator[ScriptedServer]:
    """A second scripted server on another port: another origin."""
    with ScriptedServer() as s:
        yield s


@pytest.fixture(params=["requests", "urllib3"])
def transport(request: pytest.FixtureRequest) -> Iterator[lgsync.Transport]:
    """A fresh transport of each kind, closed after the test."""
    made: lgsync.Transport = lgsync.RequestsTransport() if request.param == "requests" else lgsync.Urllib3Transport()
    try:
        yield made
    finally:
        made.close()


@pytest.fixture
def make_client(server: ScriptedServer, transport: lgsync.Transport) -> Iterator[Callable[..., lgsync.SyncClient]]:
    """Build clients of ``server`` over ``transport``; no retries of ordinary calls, fast stream resumes."""
    made: list[lgsync.SyncClient] = []

    def make(**kwargs: Any) -> lgsync.SyncClient:
        options: dict[str, Any] = {
            "url": server.url,
            "api_key": None,
            "transport": transport,
            "retry": lgsync.Retry.disabled(),
            "stream_retry": FAST_STREAM_RETRY,
            "timeout": lgsync.Timeout(connect=2.0, read=5.0, stream_idle=5.0),
        }
        options.update(kwargs)
        client = lgsync.get_sync_client(**options)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
