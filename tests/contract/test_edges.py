"""The promises at the edges of a stream, on both transports: stop, finish, budgets, caps, ids.

Each test is named after the behaviour a user relies on, and fails on the
code before the one reconnect engine (issue: keep every promise at the edges).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Callable

import pytest

import lgsync
from lgsync.errors import APIError, InternalServerError, RateLimitError, RedirectError, StreamError
from tests.support.sse_server import (
    SSE,
    Action,
    Cut,
    RecordedRequest,
    Script,
    ScriptedServer,
    Send,
    Sleep,
    Stall,
    json_script,
    sse_event,
)

RUN = "/threads/t1/runs/r1"
STREAM = RUN + "/stream"
CREATE = "/threads/t1/runs/stream"
MakeClient = Callable[..., lgsync.SyncClient]
#: A deadline guard: far longer than any bounded wait here, far shorter than an unbounded one.
DEADLINE = 10.0


def _sse(location: str | None = STREAM) -> dict[str, str]:
    return {**SSE, "Location": location} if location else dict(SSE)


def _ev(n: int, event_id: str | None, event: str = "values") -> bytes:
    return sse_event({"n": n}, event=event, id=event_id)


def _in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run ``work`` in a daemon thread; its result or exception lands in the returned list."""
    box: list[Any] = []

    def target() -> None:
        try:
            box.append(work())
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, box


# 1. abort() stops the stream at once, also while it waits between two connections.


def test_abort_during_the_wait_before_a_reconnect_ends_the_stream_and_sends_nothing_more(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("GET", STREAM, Script(headers=_sse(), actions=[Send(_ev(1, "1000-0")), Cut()]))
    slow = lgsync.Retry(total=3, backoff_factor=30.0, backoff_max=30.0, jitter=0.0)
    client = make_client(stream_retry=slow)
    stream = client.runs.join_stream("t1", "r1")
    assert next(stream).data == {"n": 1}

    thread, box = _in_thread(lambda: list(stream))  # now waiting 30 s before its reconnect
    time.sleep(0.3)
    stream.abort()
    thread.join(DEADLINE)
    assert not thread.is_alive(), "abort() did not end the wait between two connections"
    assert box == [[]]
    time.sleep(0.2)
    assert len(server.requests_to(STREAM)) == 1, "a request was sent after abort()"


def test_abort_while_blocked_reading_closes_the_socket_and_ends_iteration(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("GET", STREAM, Script(headers=_sse(), actions=[Send(_ev(1, "1000-0")), Stall(30)]))
    stream = make_client().runs.join_stream("t1", "r1")
    assert next(stream).data == {"n": 1}
    thread, box = _in_thread(lambda: list(stream))
    time.sleep(0.2)
    stream.abort()
    thread.join(DEADLINE)
    assert not thread.is_alive()
    assert box == [[]]
    (request,) = server.requests_to(STREAM)
    assert request.client_gone.wait(DEADLINE)
    assert len(server.requests_to(STREAM)) == 1


# 2. Once end or error was delivered, the stream is finished.


@pytest.mark.parametrize("location", [STREAM, None], ids=["resumable", "not-resumable"])
@pytest.mark.parametrize("last", ["end", "error"])
def test_a_cut_after_end_or_error_is_not_an_error_and_causes_no_request(
    server: ScriptedServer, make_client: MakeClient, location: str | None, last: str
) -> None:
    final = sse_event(None, event="end", id="1001-0") if last == "end" else _ev(0, "1001-0", event="error")
    actions: list[Action] = [Send(_ev(1, "1000-0")), Send(final), Cut()]
    server.route("GET", STREAM, Script(headers=_sse(location), actions=actions))
    parts = list(make_client().runs.join_stream("t1", "r1"))
    assert [p.event for p in parts] == ["values", last]
    assert [(r.method, r.path) for r in server.requests] == [("GET", STREAM)]


# 3. The reconnect budget is exactly the configured total.


def test_the_reconnect_budget_is_exact_when_503s_alternate_with_streams_that_drop(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    turns = iter(range(1000))

    def answer(request: RecordedRequest) -> Script:
        turn = next(turns)
        if turn == 0:
            return Script(headers=_sse(), actions=[Send(_ev(1, "1000-0")), Cut()])
        if turn % 2:
            return json_script({"detail": "restarting"}, status=503)
        return Script(headers=_sse(), actions=[Cut()])

    server.route("GET", STREAM, answer)
    policy = lgsync.Retry(total=5, backoff_factor=0.001, backoff_max=0.01, jitter=0.0)
    stream = make_client(stream_retry=policy).runs.join_stream("t1", "r1")
    with pytest.raises(StreamError, match="gave up after 5 reconnect attempts"):
        list(stream)
    assert len(server.requests_to(STREAM)) == 1 + 5
    assert stream.reconnects == 5


# 4. No server-given delay is slept on unchecked.


def test_an_sse_retry_of_a_day_is_clamped_to_backoff_max(server: ScriptedServer, make_client: MakeClient) -> None:
    first = Script(headers=_sse(), actions=[Send(b"retry: 86400000\n\n"), Send(_ev(1, "1000-0")), Cut()])
    rest = Script(headers=_sse(), actions=[Send(_ev(2, "1001-0")), Send(sse_event(None, event="end"))])
    server.route("GET", STREAM, [first, rest])
    policy = lgsync.Retry(total=3, backoff_factor=0.01, backoff_max=0.2, jitter=0.0)
    stream = make_client(stream_retry=policy).runs.join_stream("t1", "r1")
    thread, box = _in_thread(lambda: [p.data for p in stream])
    thread.join(DEADLINE)
    if thread.is_alive():
        stream.abort()
    assert not thread.is_alive(), "the stream slept on the server's retry: field"
    assert box == [[{"n": 1}, {"n": 2}, None]]


def test_a_retry_after_beyond_the_cap_is_raised_at_once_not_slept_on(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route(
        "GET", "/threads/t1", json_script({"detail": "slow down"}, status=429, headers={"Retry-After": "3600"})
    )
    client = make_client(retry=lgsync.Retry(total=3, retry_after_max=30.0))
    thread, box = _in_thread(lambda: client.threads.get("t1"))
    thread.join(DEADLINE)
    assert not thread.is_alive(), "the client slept on Retry-After: 3600"
    (error,) = box
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 3600
    assert len(server.requests_to("/threads/t1")) == 1


def test_a_retry_after_within_the_cap_is_honoured_then_the_error_raised(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("GET", "/threads/t1", json_script({"detail": "slow down"}, status=429, headers={"Retry-After": "0"}))
    client = make_client(retry=lgsync.Retry(total=2, backoff_factor=0.001, retry_after_max=30.0))
    with pytest.raises(RateLimitError):
        client.threads.get("t1")
    assert len(server.requests_to("/threads/t1")) == 3


# 5. A short float timeout does not lower the stream idle limit.


def test_a_short_float_timeout_does_not_fail_a_quiet_healthy_stream(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    actions: list[Action] = [
        Send(_ev(1, "1000-0")),
        Sleep(1.5),
        Send(_ev(2, "1001-0")),
        Send(sse_event(None, event="end")),
    ]
    server.route("GET", STREAM, Script(headers=_sse(), actions=actions))
    stream = make_client(timeout=1.0).runs.join_stream("t1", "r1")
    assert [p.data for p in stream] == [{"n": 1}, {"n": 2}, None]
    assert stream.reconnects == 0


# 9. Exactly one Last-Event-ID; the run-status check carries no stream headers.


def test_a_callers_last_event_id_header_and_the_resume_cursor_are_never_both_sent(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    first = Script(headers=_sse(), actions=[Send(_ev(2, "1002-0")), Cut()])
    rest = Script(headers=_sse(), actions=[Send(_ev(3, "1003-0")), Send(sse_event(None, event="end"))])
    server.route("GET", STREAM, [first, rest])
    stream = make_client().runs.join_stream("t1", "r1", headers={"last-event-id": "1001-0"})
    assert [p.data for p in stream] == [{"n": 2}, {"n": 3}, None]
    opening, resume = server.requests_to(STREAM)
    assert opening.header_values("last-event-id") == ["1001-0"]
    # One value, the cursor's (it asks from before the last group, which holds 1002-0).
    assert resume.header_values("last-event-id") == ["1001-0"]


def test_the_run_status_check_carries_the_callers_headers_but_no_cursor_or_body_headers(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("POST", CREATE, Script(headers=_sse(), actions=[Send(_ev(1, "1000-0"))]))
    server.route("GET", RUN, json_script({"run_id": "r1", "status": "success"}))
    client = make_client()
    parts = list(client.runs.stream("t1", "agent", input={}, headers={"X-Tenant": "a", "Last-Event-ID": "5"}))
    assert [p.data for p in parts] == [{"n": 1}]
    (check,) = server.requests_to(RUN, "GET")
    assert check.header("x-tenant") == "a"
    assert check.header_values("last-event-id") == []
    assert check.header("content-type") is None


# 11. The last event id persists across reconnects; an id-only block moves the cursor.


def test_an_event_without_id_after_a_resume_carries_the_last_id(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    first = Script(headers=_sse(), actions=[Send(_ev(1, "evt-7")), Cut()])
    rest = Script(headers=_sse(), actions=[Send(_ev(2, None)), Send(sse_event(None, event="end"))])
    server.route("GET", STREAM, [first, rest])
    parts = list(make_client().runs.join_stream("t1", "r1"))
    assert [(p.data, p.id) for p in parts] == [({"n": 1}, "evt-7"), ({"n": 2}, "evt-7"), (None, "evt-7")]
    assert server.requests_to(STREAM)[1].header("last-event-id") == "evt-7"


def test_an_id_only_block_moves_the_resume_cursor_without_yielding(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    first = Script(headers=_sse(), actions=[Send(_ev(1, "evt-1")), Send(b"id: evt-2\n\n"), Cut()])
    rest = Script(headers=_sse(), actions=[Send(_ev(3, "evt-3")), Send(sse_event(None, event="end", id="evt-4"))])
    server.route("GET", STREAM, [first, rest])
    stream = make_client().runs.join_stream("t1", "r1")
    assert [p.data for p in stream] == [{"n": 1}, {"n": 3}, None]
    assert server.requests_to(STREAM)[1].header("last-event-id") == "evt-2"


# 12. A new member of a replayed group is delivered even when byte-identical to an earlier one.


def test_a_new_event_identical_to_an_earlier_one_of_its_group_is_not_dropped_after_a_resume(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    token = sse_event({"token": "\n"}, event="messages", id="1000-0")
    head = sse_event({"run_id": "r1"}, event="metadata", id="1000-0")
    other = sse_event({"token": "x"}, event="messages", id="1000-0")
    first = Script(headers=_sse(), actions=[Send(token), Send(head), Cut()])
    # The resume from "0" replays the group, then the run writes the same token again, then another.
    rest = Script(
        headers=_sse(),
        actions=[Send(token), Send(head), Send(token), Send(other), Send(sse_event(None, event="end"))],
    )
    server.route("GET", STREAM, [first, rest])
    stream = make_client().runs.join_stream("t1", "r1")
    parts = list(stream)
    assert [(p.event, p.data) for p in parts] == [
        ("messages", {"token": "\n"}),
        ("metadata", {"run_id": "r1"}),
        ("messages", {"token": "\n"}),
        ("messages", {"token": "x"}),
        ("end", None),
    ]
    assert stream.duplicates_skipped == 2
    assert server.requests_to(STREAM)[1].header("last-event-id") == "0"


def test_a_live_restart_inside_the_last_group_is_dropped_whole(server: ScriptedServer, make_client: MakeClient) -> None:
    a, b, c, d = (_ev(n, "1000-0") for n in range(4))
    first = Script(headers=_sse(), actions=[Send(a), Send(b), Send(c), Cut()])
    # Replay of the group, then the live part restarts at b (the tail of the replay), then d is new.
    rest = Script(
        headers=_sse(),
        actions=[Send(a), Send(b), Send(c), Send(b), Send(c), Send(d), Send(sse_event(None, event="end"))],
    )
    server.route("GET", STREAM, [first, rest])
    stream = make_client().runs.join_stream("t1", "r1")
    assert [p.data for p in stream] == [{"n": 0}, {"n": 1}, {"n": 2}, {"n": 3}, None]
    assert stream.duplicates_skipped == 5


def test_a_live_restart_after_the_replay_is_skipped_by_position(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    a, b, c = _ev(1, "1000-0"), _ev(2, "1001-0"), _ev(3, "1001-0")
    first = Script(headers=_sse(), actions=[Send(a), Send(b), Cut()])
    # Replay from 1000-0: the group 1001-0 (b), then c; the live part restarts at b.
    rest = Script(
        headers=_sse(), actions=[Send(b), Send(c), Send(a), Send(b), Send(c), Send(sse_event(None, event="end"))]
    )
    server.route("GET", STREAM, [first, rest])
    stream = make_client().runs.join_stream("t1", "r1")
    assert [p.data for p in stream] == [{"n": 1}, {"n": 2}, {"n": 3}, None]


# 17. An event id that cannot travel in a header is not resumed from.


@pytest.mark.parametrize("bad_id", ["  padded", "\u20ac1"], ids=["leading-space", "not-latin-1"])
def test_an_event_id_that_cannot_be_a_header_gives_a_typed_error_on_resume(
    server: ScriptedServer, make_client: MakeClient, bad_id: str
) -> None:
    event = b"event: values\ndata: {}\nid: " + bad_id.encode() + b"\n\n"
    server.route("GET", STREAM, Script(headers=_sse(), actions=[Send(event), Cut()]))
    with pytest.raises(StreamError, match="Last-Event-ID"):
        list(make_client().runs.join_stream("t1", "r1"))
    assert len(server.requests_to(STREAM)) == 1


# 19. A Location that is not a valid URL is a typed error.


@pytest.mark.parametrize("location", ["http://127.0.0.1:99999/x", "http://[::1"], ids=["bad-port", "broken-ipv6"])
def test_a_redirect_to_an_invalid_url_is_a_redirect_error(
    server: ScriptedServer, make_client: MakeClient, location: str
) -> None:
    server.route("GET", "/threads/t1", Script(status=302, headers={"Location": location}, framing="length"))
    with pytest.raises(RedirectError, match="invalid URL"):
        make_client().threads.get("t1")


@pytest.mark.parametrize("location", ["http://127.0.0.1:99999/x", "http://[::1"], ids=["bad-port", "broken-ipv6"])
def test_a_stream_location_that_is_not_a_valid_url_is_not_resumed(
    server: ScriptedServer, make_client: MakeClient, location: str
) -> None:
    server.route("GET", STREAM, Script(headers=_sse(location), actions=[Send(_ev(1, "1000-0")), Cut()]))
    with pytest.raises(StreamError, match="cannot be resumed"):
        list(make_client().runs.join_stream("t1", "r1"))


# 22. A group of one id is remembered up to a bound; past it the stream is not resumed.


def test_a_stream_whose_events_all_share_one_id_past_the_bound_is_not_resumed(
    server: ScriptedServer, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lgsync._resume

    monkeypatch.setattr(lgsync._resume, "GROUP_LIMIT", 3)
    actions: list[Action] = [Send(_ev(n, "1000-0")) for n in range(5)] + [Cut()]
    server.route("GET", STREAM, Script(headers=_sse(), actions=actions))
    with pytest.raises(StreamError, match="more than 3 events share the id"):
        list(make_client().runs.join_stream("t1", "r1"))


# 23. Answers are read within bounds.


def test_an_answer_larger_than_max_response_size_is_a_typed_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("GET", "/threads/t1", json_script({"values": "x" * 5000}))
    with pytest.raises(APIError, match="more than 1000 bytes"):
        make_client(max_response_size=1000).threads.get("t1")


def test_an_error_body_is_read_only_as_far_as_its_excerpt(server: ScriptedServer, make_client: MakeClient) -> None:
    big = b'{"detail": "' + b"x" * (8 << 20) + b'"}'
    server.route(
        "GET", "/threads/t1", Script(status=500, headers={"Content-Type": "application/json"}, actions=[Send(big)])
    )
    with pytest.raises(InternalServerError) as caught:
        make_client().threads.get("t1")
    body = caught.value.body
    assert len(body if isinstance(body, (bytes, str)) else repr(body)) <= 64 * 1024


# runs.wait and runs.join rejoin a cut answer at /join through the same engine.

WAIT = "/threads/t1/runs/wait"
JOIN = RUN + "/join"


def _cut_wait_answer() -> Script:
    return Script(
        headers={"Content-Type": "application/json", "Location": JOIN},
        actions=[Send(b'{"values": '), Cut()],
    )


def test_runs_wait_cut_mid_body_rejoins_and_returns_the_state(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("POST", WAIT, _cut_wait_answer())
    server.route("GET", JOIN, json_script({"joke": "done"}))
    assert make_client().runs.wait("t1", "agent", input={}) == {"joke": "done"}
    assert len(server.requests_to(WAIT)) == 1, "the run was created twice"
    assert len(server.requests_to(JOIN)) == 1


def test_runs_wait_raises_the_last_status_error_once_the_rejoins_are_spent(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("POST", WAIT, _cut_wait_answer())
    server.route("GET", JOIN, json_script({"detail": "restarting"}, status=503))
    policy = lgsync.Retry(total=3, backoff_factor=0.001, backoff_max=0.01, jitter=0.0)
    with pytest.raises(InternalServerError) as caught:
        make_client(stream_retry=policy).runs.wait("t1", "agent", input={})
    assert caught.value.status_code == 503
    assert len(server.requests_to(JOIN)) == 3


def test_runs_wait_says_how_many_rejoins_failed_when_every_one_is_cut(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("POST", WAIT, _cut_wait_answer())
    server.route("GET", JOIN, _cut_wait_answer())
    policy = lgsync.Retry(total=2, backoff_factor=0.001, backoff_max=0.01, jitter=0.0)
    with pytest.raises(lgsync.errors.APIConnectionError, match="rejoining it failed 2 times"):
        make_client(stream_retry=policy).runs.wait("t1", "agent", input={})
    assert len(server.requests_to(JOIN)) == 2


def test_runs_wait_is_read_under_the_read_limit_not_the_stream_idle_limit(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    slow = Script(headers={"Content-Type": "application/json"}, actions=[Sleep(1.0), Send(b'{"ok": true}')])
    server.route("POST", WAIT, slow)
    client = make_client(timeout=lgsync.Timeout(connect=2.0, read=5.0, stream_idle=0.3))
    assert client.runs.wait("t1", "agent", input={}) == {"ok": True}


def test_closing_a_stream_whose_run_ended_never_cancels_it(server: ScriptedServer, make_client: MakeClient) -> None:
    actions: list[Action] = [Send(_ev(1, "1000-0")), Send(sse_event(None, event="end"))]
    server.route("GET", STREAM, Script(headers=_sse(), actions=actions))
    stream = make_client().runs.join_stream("t1", "r1", cancel_on_disconnect=True)
    assert [p.event for p in stream] == ["values", "end"]
    stream.close()
    assert [(r.method, r.path) for r in server.requests] == [("GET", STREAM)]


def test_a_failed_run_whose_error_is_nested_a_thousand_deep_is_a_run_error(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    nested = b"[" * 900 + b"]" * 900
    body = b'{"__error__": {"error": ' + nested + b', "message": "boom"}}'
    server.route("POST", WAIT, Script(headers={"Content-Type": "application/json"}, actions=[Send(body)]))
    with pytest.raises(lgsync.errors.RunError) as caught:
        make_client().runs.wait("t1", "agent", input={})
    assert str(caught.value).endswith(": boom")


# A run the server started again is never passed off as new events.


def _meta(attempt: int, event_id: str) -> bytes:
    return sse_event({"run_id": "r1", "attempt": attempt}, event="metadata", id=event_id)


def test_a_run_started_again_by_the_server_raises_run_restarted_instead_of_repeating_its_events(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    first = Script(headers=_sse(), actions=[Send(_meta(1, "1000-0")), Send(_ev(1, "1001-0")), Cut()])
    # The worker died; another runs the run again from the start, with new ids.
    again = Script(headers=_sse(), actions=[Send(_meta(2, "2000-0")), Send(_ev(1, "2001-0")), Stall(30)])
    server.route("GET", STREAM, [first, again])
    seen: list[Any] = []
    stream = make_client().runs.join_stream("t1", "r1", stream_mode=["values"], cancel_on_disconnect=True)
    with pytest.raises(lgsync.errors.RunRestartedError) as caught:
        for part in stream:
            seen.append(part.data)
    assert seen == [{"n": 1}]  # metadata was asked for lgsync's sake only, and attempt 2 never delivered
    assert (caught.value.run_id, caught.value.attempt, caught.value.previous_attempt) == ("r1", 2, 1)
    assert server.requests_to(STREAM)[0].query["stream_mode"] == ['["values","error","metadata"]']
    assert server.requests_to(RUN + "/cancel") == [], "a restarted run's viewer did not leave: nothing to cancel"


def test_joining_a_run_already_on_its_second_attempt_is_ordinary(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    actions: list[Action] = [Send(_meta(2, "2000-0")), Send(_ev(1, "2001-0")), Send(sse_event(None, event="end"))]
    server.route("GET", STREAM, Script(headers=_sse(), actions=actions))
    parts = list(make_client().runs.join_stream("t1", "r1", stream_mode=["values", "metadata"]))
    assert [p.event for p in parts] == ["metadata", "values", "end"]


def test_a_v2_stream_is_the_one_stream_type_with_its_counters_and_abort(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    first = Script(headers=_sse(), actions=[Send(_meta(1, "1000-0")), Send(_ev(1, "1001-0")), Cut()])
    rest = Script(headers=_sse(), actions=[Send(_ev(2, "1002-0")), Send(sse_event(None, event="end"))])
    server.route("POST", CREATE, first)
    server.route("GET", STREAM, rest)
    stream = make_client().runs.stream("t1", "agent", input={}, stream_resumable=True, version="v2")
    assert isinstance(stream, lgsync.stream.Stream)
    items = list(stream)
    assert [item["type"] for item in items] == ["metadata", "values", "values"]
    assert stream.reconnects == 1
    assert stream.last_event_id == "1002-0"
    stream.abort()  # idempotent after the end


@pytest.mark.parametrize(("given", "sent"), [(None, "continue"), ("cancel", "cancel")])
def test_a_resumable_stream_asks_the_run_to_go_on_when_the_client_leaves(
    server: ScriptedServer, make_client: MakeClient, given: str | None, sent: str
) -> None:
    server.route("POST", CREATE, Script(headers=_sse(), actions=[Send(sse_event(None, event="end"))]))
    list(make_client().runs.stream("t1", "agent", input={}, stream_resumable=True, on_disconnect=given))  # type: ignore[arg-type]
    (request,) = server.requests_to(CREATE)
    assert request.json()["on_disconnect"] == sent


def test_a_server_without_stateless_runs_says_so(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("POST", "/runs/stream", json_script({"detail": "Not Found"}, status=404))
    with pytest.raises(lgsync.errors.NotFoundError, match="does not offer stateless runs"):
        list(make_client().runs.stream(None, "agent", input={}))


def test_a_missing_assistant_on_a_stateless_run_keeps_the_servers_message(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("POST", "/runs/wait", json_script({"detail": "Assistant not found"}, status=404))
    with pytest.raises(lgsync.errors.NotFoundError, match="^Assistant not found"):
        make_client().runs.wait(None, "nope", input={})


def test_a_stream_dropped_inside_the_transports_critical_section_still_closes_and_cancels(
    server: ScriptedServer, make_client: MakeClient, transport: lgsync.Transport
) -> None:
    """The garbage collector can finalize a stream at any allocation, also while the transport holds its lock."""
    server.route("GET", STREAM, Script(headers=_sse(), actions=[Send(_ev(1, "1000-0")), Stall(30)]))
    stream = make_client().runs.join_stream("t1", "r1", cancel_on_disconnect=True)
    assert next(stream).data == {"n": 1}
    lock = transport._lock  # type: ignore[attr-defined]

    def drop_while_locked() -> None:
        nonlocal stream
        with lock:
            del stream

    thread, box = _in_thread(drop_while_locked)
    thread.join(DEADLINE)
    assert not thread.is_alive(), "closing a stream inside the transport's critical section deadlocked"
    assert box == [None]
    assert [(r.method, r.path) for r in server.requests[1:]] == [("POST", RUN + "/cancel")]


def _events_or_abort(stream: lgsync.ReconnectingStream) -> tuple[bool, list[Any]]:
    """Read ``stream``'s event names in a thread for at most ``DEADLINE``; abort it if still reading.

    Returns whether it was still reading at the deadline, and the thread's result box.
    """
    thread, box = _in_thread(lambda: [p.event for p in stream])
    thread.join(DEADLINE)
    still_reading = thread.is_alive()
    if still_reading:
        stream.abort()
    return still_reading, box


def test_a_server_that_keeps_the_stream_open_after_end_does_not_hold_the_caller(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    actions: list[Action] = [Send(_ev(1, "1000-0")), Send(sse_event(None, event="end"))]
    actions += [Send(b": heartbeat\n\n"), Sleep(0.5)] * 60  # 30 s of heartbeats, never closing
    server.route("GET", STREAM, Script(headers=_sse(), actions=actions))
    still_reading, box = _events_or_abort(make_client().runs.join_stream("t1", "r1"))
    assert not still_reading, "the stream kept reading after end"
    assert box == [["values", "end"]]
    assert server.requests_to(STREAM)[0].client_gone.wait(DEADLINE)


def test_a_server_that_sends_only_keep_alives_after_an_error_does_not_hold_the_caller(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    actions: list[Action] = [Send(_ev(0, "1000-0", event="error"))]
    actions += [Send(b": heartbeat\n\n"), Sleep(0.5)] * 60
    server.route("GET", STREAM, Script(headers=_sse(), actions=actions))
    still_reading, box = _events_or_abort(make_client().runs.join_stream("t1", "r1"))
    assert not still_reading, "the stream kept reading keep-alives after an error"
    assert box == [["error"]]


def test_a_run_check_that_meets_a_closed_pooled_connection_asks_once_more(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("GET", STREAM, Script(headers=_sse(), actions=[Send(_ev(1, None))]))  # no ids, clean close
    # The first look goes out on a connection the server then drops without an answer.
    server.route("GET", RUN, [Script(actions=[Cut()]), json_script({"run_id": "r1", "status": "success"})])
    parts = list(make_client().runs.join_stream("t1", "r1"))
    assert [p.data for p in parts] == [{"n": 1}]
    assert len(server.requests_to(RUN, "GET")) == 2


def test_json_answers_may_be_compressed_and_streams_are_asked_raw(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    import gzip

    packed = gzip.compress(b'{"thread_id": "t1"}')
    server.route(
        "GET",
        "/threads/t1",
        Script(headers={"Content-Type": "application/json", "Content-Encoding": "gzip"}, actions=[Send(packed)]),
    )
    server.route("GET", STREAM, Script(headers=_sse(), actions=[Send(sse_event(None, event="end"))]))
    client = make_client()
    assert client.threads.get("t1") == {"thread_id": "t1"}
    list(client.runs.join_stream("t1", "r1"))
    assert server.requests_to("/threads/t1")[0].header_values("accept-encoding") == ["gzip, deflate"]
    assert server.requests_to(STREAM)[0].header_values("accept-encoding") == ["identity"]
