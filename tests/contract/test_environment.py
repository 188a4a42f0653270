"""Both transports read the proxy variables as requests users expect, also when they change.

A second scripted server plays the HTTP proxy: a request sent through it
arrives there (in absolute form) and is answered by it.
"""

from __future__ import annotations

from typing import Callable

import pytest

import lgsync
from tests.support.sse_server import ScriptedServer, json_script

MakeClient = Callable[..., lgsync.SyncClient]
THREAD = "/threads/t1"


@pytest.fixture
def answers(server: ScriptedServer, other_server: ScriptedServer) -> ScriptedServer:
    server.route("GET", THREAD, json_script({"via": "direct"}))
    other_server.route("GET", THREAD, json_script({"via": "proxy"}))
    return other_server


def _clear_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
        "no_proxy",
        "NO_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)


def test_http_proxy_is_used_and_no_proxy_bypasses_it(
    answers: ScriptedServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = answers
    _clear_proxy_variables(monkeypatch)
    client = make_client()
    assert client.threads.get("t1") == {"via": "direct"}

    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    assert client.threads.get("t1") == {"via": "proxy"}
    (through_proxy,) = proxy.requests_to(THREAD)
    assert through_proxy.header("host") is not None

    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert client.threads.get("t1") == {"via": "direct"}
    assert len(proxy.requests_to(THREAD)) == 1


def test_trust_env_false_ignores_the_proxy_variables(
    answers: ScriptedServer, server: ScriptedServer, monkeypatch: pytest.MonkeyPatch, transport: lgsync.Transport
) -> None:
    _clear_proxy_variables(monkeypatch)
    monkeypatch.setenv("HTTP_PROXY", answers.url)
    kind = lgsync.RequestsTransport if isinstance(transport, lgsync.RequestsTransport) else lgsync.Urllib3Transport
    client = lgsync.get_sync_client(url=server.url, api_key=None, transport=kind(trust_env=False))
    assert client.threads.get("t1") == {"via": "direct"}
    assert answers.requests_to(THREAD) == []
