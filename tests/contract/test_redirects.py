"""Redirects on both transports: followed within the origin, refused across it, key kept home."""

from __future__ import annotations

from typing import Callable

import pytest

import lgsync
from lgsync.errors import RedirectError
from tests.support.sse_server import Script, ScriptedServer, json_script

MakeClient = Callable[..., lgsync.SyncClient]
KEY = "sk-redirect-secret"


def _redirect(status: int, location: str) -> Script:
    return Script(status=status, headers={"Location": location}, framing="length")


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_same_origin_redirect_is_followed_with_the_key(
    server: ScriptedServer, make_client: MakeClient, status: int
) -> None:
    server.route("GET", "/threads/old", _redirect(status, "/threads/new"))
    server.route("GET", "/threads/new", json_script({"thread_id": "new"}))
    client = make_client(api_key=KEY)

    assert client.threads.get("old") == {"thread_id": "new"}

    old, new = server.requests
    assert (old.path, new.path) == ("/threads/old", "/threads/new")
    assert new.header("x-api-key") == KEY


def test_an_absolute_same_origin_location_is_followed(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", "/threads/old", _redirect(307, server.url + "/threads/new"))
    server.route("GET", "/threads/new", json_script({"thread_id": "new"}))

    assert make_client().threads.get("old") == {"thread_id": "new"}


def test_a_307_keeps_the_method_and_body(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("POST", "/threads", _redirect(307, "/v2/threads"))
    server.route("POST", "/v2/threads", json_script({"thread_id": "t1"}))

    assert make_client().threads.create(metadata={"a": 1}) == {"thread_id": "t1"}

    first, second = server.requests
    assert second.method == "POST"
    assert second.body == first.body and second.json()["metadata"] == {"a": 1}


def test_a_303_becomes_a_get_without_body(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("POST", "/threads", _redirect(303, "/threads/t1"))
    server.route("GET", "/threads/t1", json_script({"thread_id": "t1"}))

    assert make_client().threads.create() == {"thread_id": "t1"}

    second = server.requests[1]
    assert (second.method, second.body, second.header("content-type")) == ("GET", b"", None)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_cross_origin_redirect_is_refused_and_the_key_stays_home(
    server: ScriptedServer, other_server: ScriptedServer, make_client: MakeClient, status: int
) -> None:
    server.route("GET", "/threads/t1", _redirect(status, other_server.url + "/threads/t1"))
    other_server.route("GET", "/threads/t1", json_script({"thread_id": "stolen"}))
    client = make_client(api_key=KEY)

    with pytest.raises(RedirectError) as info:
        client.threads.get("t1")

    assert other_server.requests == []
    assert info.value.status_code == status
    assert "another origin" in str(info.value)
    assert KEY not in str(info.value) and KEY not in repr(info.value)
    assert server.requests[0].header("x-api-key") == KEY


def test_a_redirect_to_another_host_name_of_the_same_machine_is_cross_origin(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("GET", "/threads/t1", _redirect(307, f"http://localhost:{server.port}/threads/t1"))

    with pytest.raises(RedirectError):
        make_client(api_key=KEY).threads.get("t1")

    assert len(server.requests) == 1


def test_a_cross_origin_redirect_of_a_stream_is_refused(
    server: ScriptedServer, other_server: ScriptedServer, make_client: MakeClient
) -> None:
    stream = "/threads/t1/runs/r1/stream"
    server.route("GET", stream, _redirect(307, other_server.url + stream))
    client = make_client(api_key=KEY)

    with pytest.raises(RedirectError):
        list(client.runs.join_stream("t1", "r1"))

    assert other_server.requests == []


def test_a_redirect_loop_ends_in_a_redirect_error(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", "/threads/a", _redirect(307, "/threads/b"))
    server.route("GET", "/threads/b", _redirect(307, "/threads/a"))

    with pytest.raises(RedirectError):
        make_client().threads.get("a")

    assert 2 <= len(server.requests) <= 10


def test_a_redirect_without_location_is_an_error_not_an_empty_result(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("GET", "/threads/t1", Script(status=302, framing="length"))

    with pytest.raises(RedirectError) as info:
        make_client().threads.get("t1")

    assert info.value.status_code == 302
