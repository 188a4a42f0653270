"""Run streams through the public API on both transports: resume, de-duplicate, refuse, close.

The scripted server plays a LangGraph run stream whose connection breaks in the ways a
real server cannot be made to: cut mid-event, reset, stalled, on another origin.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any, Callable

import pytest

import lgsync
from lgsync.errors import LangGraphError, NotFoundError, StreamDecodeError, StreamError
from tests.support.sse_server import (
    SSE,
    Action,
    Cut,
    Raw,
    RecordedRequest,
    Script,
    ScriptedServer,
    Send,
    Sleep,
    Stall,
    events_after,
    json_script,
    sse_event,
)

RUN = "/threads/t1/runs/r1"
STREAM = RUN + "/stream"
CREATE = "/threads/t1/runs/stream"
GONE_WITHIN = 3.0

#: (id, event, data): several events share an id, as on the LangGraph server.
PARTS: list[tuple[str, str, Any]] = [
    ("1000-0", "metadata", {"run_id": "r1"}),
    ("1000-0", "values", {"n": 1}),
    ("1001-0", "values", {"n": 2}),
    ("1001-0", "updates", {"node": {"n": 2}}),
    ("1002-0", "values", {"n": 123}),
    ("1003-0", "values", {"n": 4}),
]
EVENTS: list[tuple[str, bytes]] = [(i, sse_event(data, event=event, id=i)) for i, event, data in PARTS]
EXPECTED = [lgsync.StreamPart(event, data, i) for i, event, data in PARTS]

MakeClient = Callable[..., lgsync.SyncClient]


def _stream_headers(location: str = STREAM) -> dict[str, str]:
    return {**SSE, "Location": location, "Content-Location": RUN}


def _broken_first(cut_at: int, kind: str) -> Script:
    """The first answer: events before ``cut_at`` whole, then half of the next and a break of ``kind``."""
    whole: list[Action] = [Send(encoded) for _, encoded in EVENTS[:cut_at]]
    event = EVENTS[cut_at][1]
    half = event[: len(event) // 2]
    framing = "close" if kind == "close-delimited" else "chunked"
    tail: list[Action] = {
        "chunked-cut": [Send(half), Cut()],
        "chunked-reset": [Send(half), Cut(reset=True)],
        "mid-chunk": [Raw(b"%x\r\n" % len(event) + half), Cut()],
        "close-delimited": [Send(half), Cut()],
        "stall": [Send(half), Stall(30)],
        "no-blank-line": [Send(event[:-1])],  # the body then ends cleanly
    }[kind]
    return Script(headers=_stream_headers(), actions=whole + tail, framing=framing)


def _replay(request: RecordedRequest) -> Script:
    """A reconnect: the events after ``Last-Event-ID``, as the server replays them."""
    actions: list[Action] = [Send(e) for e in events_after(EVENTS, request.header("last-event-id"))]
    return Script(headers=_stream_headers(), actions=actions)


def _join_answer(first: Script) -> Callable[[RecordedRequest], Script]:
    """``GET STREAM``: ``first`` for the first request, a replay for every request after it."""
    seen: list[RecordedRequest] = []

    def answer(request: RecordedRequest) -> Script:
        seen.append(request)
        return first if len(seen) == 1 else _replay(request)

    return answer


def _finished_run(server: ScriptedServer) -> None:
    server.route("GET", RUN, json_script({"run_id": "r1", "thread_id": "t1", "status": "success"}))


def _stream_requests(server: ScriptedServer) -> list[RecordedRequest]:
    return server.requests_to(STREAM, "GET")


CUT_KINDS = ["chunked-cut", "chunked-reset", "mid-chunk", "close-delimited", "stall", "no-blank-line"]


@pytest.mark.parametrize("kind", CUT_KINDS)
def test_join_stream_cut_mid_event_resumes_and_yields_each_event_once(
    server: ScriptedServer, make_client: MakeClient, kind: str
) -> None:
    server.route("GET", STREAM, _join_answer(_broken_first(3, kind)))
    _finished_run(server)
    idle = 0.3 if kind == "stall" else 5.0
    client = make_client(timeout=lgsync.Timeout(connect=2.0, read=5.0, stream_idle=idle))

    stream = client.runs.join_stream("t1", "r1")
    parts = list(stream)

    assert parts == EXPECTED
    first, reconnect = _stream_requests(server)
    assert first.header("last-event-id") is None
    # The group 1001-0 was cut in the middle, so the resume asks from the group before it.
    assert reconnect.header("last-event-id") == "1000-0"
    assert stream.reconnects == 1
    assert stream.last_event_id == "1003-0"


def test_each_part_is_a_stream_part_with_its_fields_by_name(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", STREAM, lambda request: Script(headers=_stream_headers(), actions=[Send(e) for _, e in EVENTS]))
    _finished_run(server)

    parts = list(make_client().runs.join_stream("t1", "r1"))

    assert [type(part) for part in parts] == [lgsync.StreamPart] * len(PARTS)
    assert [(part.id, part.event, part.data) for part in parts] == PARTS
    assert parts[0]._asdict() == {"event": "metadata", "data": {"run_id": "r1"}, "id": "1000-0"}


@pytest.mark.parametrize(
    ("cut_at", "last_event_id"),
    [(1, "0"), (2, "0"), (3, "1000-0"), (4, "1000-0"), (5, "1001-0")],
    ids=["in-group-1000", "after-group-1000", "in-group-1001", "after-group-1001", "after-group-1002"],
)
def test_the_resume_asks_from_the_group_before_the_last_one_seen(
    server: ScriptedServer, make_client: MakeClient, cut_at: int, last_event_id: str
) -> None:
    server.route("POST", CREATE, _broken_first(cut_at, "chunked-cut"))
    server.route("GET", STREAM, _replay)
    _finished_run(server)
    client = make_client()

    parts = list(client.runs.stream("t1", "agent", input={"x": 1}, stream_mode="values"))

    assert parts == EXPECTED
    (reconnect,) = _stream_requests(server)
    assert reconnect.header("last-event-id") == last_event_id
    assert len(server.requests_to(CREATE)) == 1, "a resume must never create a second run"


def test_runs_stream_reconnect_keeps_modes_cancellation_and_headers(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    server.route("POST", CREATE, _broken_first(3, "chunked-cut"))
    server.route("GET", STREAM, _replay)
    _finished_run(server)
    client = make_client(headers={"X-Tenant": "acme"})

    parts = list(
        client.runs.stream(
            "t1",
            "agent",
            input={"x": 1},
            stream_mode=["values", "updates"],
            stream_subgraphs=True,
            on_disconnect="cancel",
            headers={"X-Trace": "abc"},
        )
    )

    assert parts == EXPECTED
    create = server.requests_to(CREATE)[0]
    assert create.json()["stream_mode"] == ["values", "updates"]
    (reconnect,) = _stream_requests(server)
    modes = reconnect.query["stream_mode"]
    assert len(modes) == 1 and {"values", "updates"} <= set(_as_list(modes[0]))
    assert reconnect.query["cancel_on_disconnect"] == ["true"]
    assert reconnect.query["stream_subgraphs"] == ["true"]
    assert reconnect.header("x-trace") == "abc"
    assert reconnect.header("x-tenant") == "acme"
    assert reconnect.header("accept") == "text/event-stream"


def test_runs_stream_reconnect_keeps_custom_params(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("POST", CREATE, _broken_first(3, "chunked-cut"))
    server.route("GET", STREAM, _replay)
    _finished_run(server)
    client = make_client()

    parts = list(client.runs.stream("t1", "agent", input={"x": 1}, params={"tenant": "acme"}))

    assert parts == EXPECTED
    assert server.requests_to(CREATE)[0].query == {"tenant": ["acme"]}
    (reconnect,) = _stream_requests(server)
    assert reconnect.query.get("tenant") == ["acme"]


def test_join_stream_reconnect_keeps_every_option(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", STREAM, _join_answer(_broken_first(3, "chunked-cut")))
    _finished_run(server)
    client = make_client()

    parts = list(
        client.runs.join_stream(
            "t1",
            "r1",
            cancel_on_disconnect=True,
            stream_mode=["values", "updates"],
            headers={"X-Trace": "abc"},
            params={"tenant": "acme"},
        )
    )

    # metadata is in the wire filter for lgsync's sake (the run's attempt), not handed over.
    assert parts == [p for p in EXPECTED if p.event != "metadata"]
    first, reconnect = _stream_requests(server)
    for request in (first, reconnect):
        assert request.query["cancel_on_disconnect"] == ["true"]
        assert request.query["tenant"] == ["acme"]
        # "error" joins every filter, so that a failed run is not mistaken for a finished one.
        assert set(_as_list(request.query["stream_mode"][0])) == {"values", "updates", "error", "metadata"}
        assert request.header("x-trace") == "abc"
    assert reconnect.query["stream_mode"] == first.query["stream_mode"]


def test_join_stream_from_a_last_event_id_sends_it(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", STREAM, _replay)
    _finished_run(server)
    client = make_client()

    parts = list(client.runs.join_stream("t1", "r1", last_event_id="1001-0"))

    assert parts == EXPECTED[4:]
    assert _stream_requests(server)[0].header("last-event-id") == "1001-0"


def test_a_clean_close_while_the_run_is_running_resumes(server: ScriptedServer, make_client: MakeClient) -> None:
    first = Script(headers=_stream_headers(), actions=[Send(e) for _, e in EVENTS[:3]])
    server.route("GET", STREAM, _join_answer(first))
    server.route(
        "GET",
        RUN,
        [json_script({"run_id": "r1", "status": "running"}), json_script({"run_id": "r1", "status": "success"})],
    )
    client = make_client()

    parts = list(client.runs.join_stream("t1", "r1"))

    assert parts == EXPECTED
    assert len(_stream_requests(server)) == 2
    assert len(server.requests_to(RUN)) == 2


def test_an_end_event_finishes_the_stream_without_asking_the_run(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    actions: list[Action] = [Send(e) for _, e in EVENTS[:2]] + [Send(sse_event(None, event="end"))]
    server.route("GET", STREAM, Script(headers=_stream_headers(), actions=actions))
    client = make_client()

    parts = list(client.runs.join_stream("t1", "r1"))

    assert parts == EXPECTED[:2] + [lgsync.StreamPart("end", None, "1000-0")]
    assert server.requests_to(RUN) == []
    assert len(_stream_requests(server)) == 1


def test_a_cross_origin_location_is_never_contacted(
    server: ScriptedServer, other_server: ScriptedServer, make_client: MakeClient
) -> None:
    elsewhere = other_server.url + STREAM
    broken = _broken_first(3, "chunked-cut")
    broken.headers = _stream_headers(elsewhere)
    server.route("GET", STREAM, broken)
    other_server.route("GET", STREAM, _replay)
    _finished_run(server)
    client = make_client(api_key="sk-secret-key")

    parts: list[lgsync.StreamPart] = []
    with pytest.raises(StreamError) as info:
        for part in client.runs.join_stream("t1", "r1"):
            parts.append(part)

    assert parts == EXPECTED[:3]
    assert other_server.requests == []
    message = str(info.value)
    assert "another origin" in message
    assert "sk-secret-key" not in message
    assert len(_stream_requests(server)) == 1


def test_a_cross_origin_location_is_harmless_when_no_resume_is_needed(
    server: ScriptedServer, other_server: ScriptedServer, make_client: MakeClient
) -> None:
    actions: list[Action] = [Send(e) for _, e in EVENTS] + [Send(sse_event(None, event="end"))]
    server.route("GET", STREAM, Script(headers=_stream_headers(other_server.url + STREAM), actions=actions))
    client = make_client(api_key="sk-secret-key")

    parts = list(client.runs.join_stream("t1", "r1"))

    assert parts[:-1] == EXPECTED
    assert other_server.requests == []


@pytest.mark.parametrize("content_type", ["application/json", "text/html; charset=utf-8", "text/plain", None])
def test_a_stream_answered_with_another_content_type_is_a_stream_error(
    server: ScriptedServer, make_client: MakeClient, content_type: str | None
) -> None:
    headers = {"Location": STREAM} if content_type is None else {"Content-Type": content_type, "Location": STREAM}
    server.route(
        "GET", STREAM, Script(headers=headers, actions=[Send(b'{"detail": "not a stream"}')], framing="length")
    )
    client = make_client()

    with pytest.raises(StreamError) as info:
        list(client.runs.join_stream("t1", "r1"))

    assert (content_type or "none") in str(info.value)
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "content_type", ["Text/Event-Stream", "text/event-stream;charset=UTF-8", " TEXT/EVENT-STREAM ; q=1"]
)
def test_the_content_type_is_checked_on_its_essence(
    server: ScriptedServer, make_client: MakeClient, content_type: str
) -> None:
    actions: list[Action] = [Send(e) for _, e in EVENTS] + [Send(sse_event(None, event="end"))]
    server.route("GET", STREAM, Script(headers={"Content-Type": content_type, "Location": STREAM}, actions=actions))
    client = make_client()

    assert list(client.runs.join_stream("t1", "r1"))[:-1] == EXPECTED


@pytest.mark.parametrize("kind", ["no-blank-line", "close-delimited", "chunked-cut"])
def test_an_event_cut_before_its_blank_line_is_never_yielded(
    server: ScriptedServer, make_client: MakeClient, kind: str
) -> None:
    # No Location: nothing to resume from. "data: {"n": 12" of "data: {"n": 123}" must not surface.
    broken = _broken_first(4, kind)
    broken.headers = dict(SSE)
    server.route("GET", STREAM, broken)
    client = make_client()

    parts: list[lgsync.StreamPart] = []
    with pytest.raises(StreamError) as info:
        for part in client.runs.join_stream("t1", "r1"):
            parts.append(part)

    assert parts == EXPECTED[:4]
    if kind != "chunked-cut":  # a clean end of the body: the error says an event was cut
        assert "middle of an event" in str(info.value)


def test_a_stream_without_event_ids_is_not_resumed_at_the_risk_of_repeating(
    server: ScriptedServer, make_client: MakeClient
) -> None:
    first = Script(
        headers=_stream_headers(),
        actions=[Send(sse_event({"n": 1}, event="values")), Send(b'event: values\ndata: {"n"'), Cut()],
    )
    server.route("GET", STREAM, _join_answer(first))
    client = make_client()

    parts: list[lgsync.StreamPart] = []
    with pytest.raises(StreamError):
        for part in client.runs.join_stream("t1", "r1"):
            parts.append(part)

    assert parts == [lgsync.StreamPart("values", {"n": 1}, None)]
    assert len(_stream_requests(server)) == 1


def test_reconnects_give_up_after_the_retry_budget(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", STREAM, _broken_first(3, "chunked-cut"))  # every connection breaks at once
    client = make_client(stream_retry=lgsync.Retry(total=2, backoff_factor=0.01, jitter=0.0))

    parts: list[lgsync.StreamPart] = []
    with pytest.raises(StreamError) as info:
        for part in client.runs.join_stream("t1", "r1"):
            parts.append(part)

    assert parts == EXPECTED[:3]
    assert "2" in str(info.value)
    assert len(_stream_requests(server)) == 3


def test_a_missing_stream_is_a_not_found_error(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", STREAM, json_script({"detail": "Run not found"}, status=404))
    client = make_client()

    with pytest.raises(NotFoundError) as info:
        list(client.runs.join_stream("t1", "r1"))

    assert info.value.status_code == 404
    assert "Run not found" in str(info.value)


def test_events_reach_the_caller_one_by_one(server: ScriptedServer, make_client: MakeClient) -> None:
    actions: list[Action] = []
    for index, (_, encoded) in enumerate(EVENTS):
        if index:
            actions.append(Sleep(0.05))
        actions.append(Send(encoded))
    actions.append(Send(sse_event(None, event="end")))
    server.route("GET", STREAM, Script(headers=_stream_headers(), actions=actions))
    client = make_client()

    arrivals: list[float] = []
    for _ in client.runs.join_stream("t1", "r1"):
        arrivals.append(time.monotonic())

    # The stream stops reading at end, possibly before the server has recorded its last write.
    assert server.requests[0].done.wait(5)
    sent = [at for at, payload in server.requests[0].sent if payload]
    assert len(arrivals) == len(sent) == len(EVENTS) + 1
    assert arrivals[0] < sent[len(EVENTS) - 1]


@pytest.mark.parametrize("how", ["break", "with", "close"])
def test_leaving_the_stream_closes_the_connection_at_once(
    server: ScriptedServer, make_client: MakeClient, how: str
) -> None:
    actions: list[Action] = [Send(e) for _, e in EVENTS[:2]] + [Stall(30)]
    server.route("GET", STREAM, Script(headers=_stream_headers(), actions=actions))
    client = make_client()

    if how == "break":
        for part in client.runs.join_stream("t1", "r1", cancel_on_disconnect=True):
            assert part == EXPECTED[0]
            break
    elif how == "with":
        with client.runs.join_stream("t1", "r1", cancel_on_disconnect=True) as stream:
            assert next(stream) == EXPECTED[0]
    else:
        stream = client.runs.join_stream("t1", "r1", cancel_on_disconnect=True)
        assert next(stream) == EXPECTED[0]
        stream.close()

    (request,) = _stream_requests(server)
    assert request.query["cancel_on_disconnect"] == ["true"]
    assert request.client_gone.wait(GONE_WITHIN), "the connection stayed open after the caller left"
    # Then, as some runtimes ignore a disconnect, the run is cancelled explicitly, once.
    assert [(r.method, r.path) for r in server.requests[1:]] == [("POST", "/threads/t1/runs/r1/cancel")]
    assert server.requests[1].query == {"wait": ["0"], "action": ["interrupt"]}


def test_an_exception_in_the_loop_closes_the_connection(server: ScriptedServer, make_client: MakeClient) -> None:
    actions: list[Action] = [Send(e) for _, e in EVENTS[:2]] + [Stall(30)]
    server.route("GET", STREAM, Script(headers=_stream_headers(), actions=actions))
    client = make_client()

    with pytest.raises(KeyError):
        with client.runs.join_stream("t1", "r1") as stream:
            for part in stream:
                raise KeyError(part.event)

    assert server.requests[0].client_gone.wait(GONE_WITHIN)


def test_no_library_exception_escapes_a_broken_stream(server: ScriptedServer, make_client: MakeClient) -> None:
    server.route("GET", STREAM, Script(headers=SSE, actions=[Send(EVENTS[0][1]), Raw(b"zz\r\n"), Cut(reset=True)]))
    client = make_client()

    with pytest.raises(LangGraphError) as info:
        list(client.runs.join_stream("t1", "r1"))

    assert type(info.value).__module__.startswith("lgsync")


def _as_list(value: str) -> Sequence[str]:
    """A ``stream_mode`` query value: one mode, or a JSON array of modes."""
    import json

    return json.loads(value) if value.startswith("[") else [value]


@pytest.mark.parametrize("bad", [b'data: {"n": 1\n\n', b"data: \xff\xfe\n\n"], ids=["not-json", "not-utf8"])
def test_bad_bytes_in_an_event_raise_a_decode_error_and_close(
    server: ScriptedServer, make_client: MakeClient, bad: bytes
) -> None:
    actions: list[Action] = [Send(EVENTS[0][1]), Send(b"event: values\n" + bad), Stall(30)]
    server.route("GET", STREAM, Script(headers=_stream_headers(), actions=actions))
    client = make_client()

    parts: list[lgsync.StreamPart] = []
    with pytest.raises(StreamDecodeError) as info:
        for part in client.runs.join_stream("t1", "r1"):
            parts.append(part)

    assert parts == EXPECTED[:1]
    assert "values" in str(info.value)
    assert server.requests[0].client_gone.wait(GONE_WITHIN)
    assert len(_stream_requests(server)) == 1, "a decode error is not a reason to reconnect"


def test_an_event_over_max_event_size_raises_and_closes(server: ScriptedServer, make_client: MakeClient) -> None:
    huge = sse_event({"text": "x" * 10_000}, event="values", id="1001-0")
    actions: list[Action] = [Send(EVENTS[0][1]), Send(huge), Stall(30)]
    server.route("GET", STREAM, Script(headers=_stream_headers(), actions=actions))
    client = make_client(max_event_size=4096)

    parts: list[lgsync.StreamPart] = []
    with pytest.raises(StreamDecodeError):
        for part in client.runs.join_stream("t1", "r1"):
            parts.append(part)

    assert parts == EXPECTED[:1]
    assert server.requests[0].client_gone.wait(GONE_WITHIN)
