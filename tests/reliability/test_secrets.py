"""The api key never leaves its origin and never shows in reprs, errors or logs."""

from __future__ import annotations

import logging

import pytest

import lgsync
from lgsync.devserver import DevServer
from lgsync.errors import NotFoundError

SECRET = "lgsk-test-0123456789-secret"


def test_a_full_run_logs_nothing_of_the_key(
    langgraph_server: DevServer, transport_name: str, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANGGRAPH_API_KEY", SECRET)
    caplog.set_level(logging.DEBUG)
    client = lgsync.get_sync_client(url=langgraph_server.url, transport=transport_name)
    assert client.http.headers["x-api-key"] == SECRET  # read from the environment, as the SDK does
    thread = client.threads.create()
    parts = list(client.runs.stream(thread["thread_id"], "agent", input={"topic": "keys"}, stream_mode="updates"))
    assert [p.event for p in parts] == ["metadata", "updates", "updates"]
    run = client.runs.create(thread["thread_id"], "agent", input={"topic": "more keys"})
    assert client.runs.join(thread["thread_id"], run["run_id"])["joke"].endswith("and cats")
    with pytest.raises(NotFoundError) as caught:
        client.threads.get("00000000-0000-0000-0000-000000000000")
    texts = [
        caplog.text,
        repr(client),
        repr(client.http),
        repr(client.http.transport),
        str(caught.value),
        repr(caught.value),
        repr(caught.value.headers),
    ]
    assert caplog.records, "the run should have logged something at DEBUG"
    for text in texts:
        assert SECRET not in text


def test_header_values_with_line_breaks_are_refused() -> None:
    with pytest.raises(ValueError, match="CR, LF or NUL"):
        lgsync.get_sync_client(url="http://127.0.0.1:9", api_key="abc\r\nX-Injected: 1")
    client = lgsync.get_sync_client(url="http://127.0.0.1:9", api_key=None)
    with pytest.raises(ValueError, match="CR, LF or NUL"):
        client.threads.get("t", headers={"x-custom": "a\nb"})


def test_the_key_cannot_be_set_through_headers() -> None:
    with pytest.raises(ValueError, match="x-api-key"):
        lgsync.get_sync_client(url="http://127.0.0.1:9", headers={"X-Api-Key": SECRET})
