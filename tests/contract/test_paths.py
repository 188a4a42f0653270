"""Ids on the wire: what each transport really sends for a path parameter that looks like a path."""

from __future__ import annotations

from typing import Callable

import pytest

import lgsync
from tests.support.sse_server import ScriptedServer, json_script

MakeClient = Callable[..., lgsync.SyncClient]


@pytest.mark.parametrize(
    ("thread_id", "wire_path"),
    [
        ("a/b", "/threads/a%2Fb"),
        ("a b?c#d", "/threads/a%20b%3Fc%23d"),
        ("%2E%2E", "/threads/%252E%252E"),
        ("..", "/threads/%2E%2E"),
        (".", "/threads/%2E"),
    ],
    ids=["slash", "reserved", "percent", "dot-dot", "dot"],
)
def test_an_id_never_changes_the_path_on_the_wire(
    server: ScriptedServer,
    make_client: MakeClient,
    thread_id: str,
    wire_path: str,
) -> None:
    server.route("GET", wire_path, json_script({"thread_id": thread_id}))

    assert make_client().threads.get(thread_id) == {"thread_id": thread_id}

    (seen,) = server.requests
    assert seen.path == wire_path
