"""``ReconnectingStream.abort()`` ends a read blocked in another thread, at once and without resuming."""

from __future__ import annotations

import threading
import time
from typing import Callable

import lgsync
from tests.support.sse_server import SSE, Script, ScriptedServer, Send, Stall, sse_event

MakeClient = Callable[..., lgsync.SyncClient]
STREAM = "/threads/t1/runs/r1/stream"


def test_abort_from_another_thread_ends_a_blocked_read(server: ScriptedServer, make_client: MakeClient) -> None:
    answer = Script(
        headers={**SSE, "Location": STREAM},
        actions=[Send(sse_event({"n": 0}, event="custom", id="1-0")), Stall(30)],
    )
    server.route("GET", STREAM, answer)
    stream = make_client().runs.join_stream("t1", "r1", cancel_on_disconnect=True)
    assert next(stream).data == {"n": 0}

    timer = threading.Timer(0.3, stream.abort)
    timer.start()
    started = time.monotonic()
    rest = list(stream)  # blocked on the stall until abort() shuts the socket down
    elapsed = time.monotonic() - started
    timer.join()

    assert rest == []
    assert elapsed < 5, "the blocked read must end when aborted, not at the stall's end"
    (request,) = server.requests_to(STREAM)
    assert request.client_gone.wait(5), "the server must see the client leave"
    assert stream.reconnects == 0


def test_abort_before_iterating_and_twice_is_harmless(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", STREAM, Script(headers={**SSE, "Location": STREAM}, actions=[Stall(30)]))
    stream = make_client().runs.join_stream("t1", "r1")
    stream.abort()
    stream.abort()
    assert list(stream) == []
    assert server.requests_to(STREAM)[0].client_gone.wait(5)
