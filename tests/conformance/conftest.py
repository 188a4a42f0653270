"""Fixtures of the conformance suite: a client on a ``MockTransport``, no real sleeps."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

import lgsync
from lgsync.testing import MockTransport
from tests.conformance._support import make_client


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sdk_difference: asserts lgsync's side of a difference from langgraph_sdk that the README's "
        "'Migrating from langgraph_sdk' section lists",
    )


@pytest.fixture
def mock() -> MockTransport:
    """The transport every test client sends through; it records each request."""
    return MockTransport()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every backoff the client takes, recorded instead of slept (``time.sleep`` included)."""
    recorded: list[float] = []
    monkeypatch.setattr(time, "sleep", recorded.append)
    return recorded


@pytest.fixture
def client(mock: MockTransport, sleeps: list[float]) -> Iterator[lgsync.SyncClient]:
    """An lgsync client on ``mock`` whose backoffs land in ``sleeps``."""
    with make_client(mock, sleeps=sleeps) as c:
        yield c
