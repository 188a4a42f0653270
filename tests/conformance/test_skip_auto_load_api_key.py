"""Port of langgraph-sdk 0.4.14 ``tests/test_skip_auto_load_api_key.py`` (sync client).

The SDK tests read the header off its httpx client; here it is read off the
request that reaches the transport.
"""

from __future__ import annotations

import re

import pytest

import lgsync
from lgsync.testing import MockTransport


def _sent_api_key(api_key: object = "unset") -> str | None:
    transport = MockTransport()
    transport.add("*", re.compile(r"/.*"), json={})
    kwargs = {} if api_key == "unset" else {"api_key": api_key}
    with lgsync.get_sync_client(url="http://keys.test", transport=transport, **kwargs) as client:  # type: ignore[arg-type]
        client.assistants.count()
    return transport.requests[0].headers.get("x-api-key")


@pytest.fixture(autouse=True)
def env_key(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANGGRAPH_API_KEY", "key-from-environment")


def test_the_key_is_read_from_the_environment_by_default() -> None:
    """SDK: tests/test_skip_auto_load_api_key.py::TestSkipAutoLoadApiKey::test_get_sync_client_loads_from_env_by_default."""
    assert _sent_api_key() == "key-from-environment"


def test_api_key_none_sends_no_key() -> None:
    """SDK: tests/test_skip_auto_load_api_key.py::TestSkipAutoLoadApiKey::test_get_sync_client_skips_env_when_sentinel_used."""
    assert _sent_api_key(None) is None


def test_an_explicit_key_wins_over_the_environment() -> None:
    """SDK: tests/test_skip_auto_load_api_key.py::TestSkipAutoLoadApiKey::test_get_sync_client_uses_explicit_key_when_provided."""
    assert _sent_api_key("key-given-in-code") == "key-given-in-code"
