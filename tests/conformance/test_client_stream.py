"""Port of langgraph-sdk 0.4.14 ``tests/test_client_stream.py`` (sync client).

The SDK feeds its private SSE decoders line by line and drives its
``SyncHttpClient.stream``; here raw SSE bytes reach lgsync's public
``client.http.stream`` (and ``runs.stream(version="v2")`` for the v2
conversion) through a ``MockTransport``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

import pytest

import lgsync
from lgsync import errors
from lgsync.testing import CannedResponse, MockTransport, RecordedRequest, json_response
from tests.conformance._support import Step, header_values, raw_sse, scripted, status

RUN_STREAM = "/threads/th-loom/runs/run-loom/stream"
RUN = "/threads/th-loom/runs/run-loom"
END = b"event: end\ndata: null\n\n"


def ev(n: int) -> bytes:
    """Event ``n``: a ``values`` event with id ``n`` and data ``n``."""
    return f"id: {n}\nevent: values\ndata: {n}\n\n".encode()


def parts_of(client: lgsync.SyncClient, method: str = "GET", **kwargs: Any) -> list[lgsync.StreamPart]:
    json_body = kwargs.pop("json", {} if method == "POST" else None)
    return list(client.http.stream("/weave", method, json=json_body, **kwargs))


def one_answer(mock: MockTransport, *chunks: bytes, **kwargs: Any) -> None:
    mock.add("*", re.compile(r"/.*"), response=raw_sse(chunks, **kwargs))


def run_status(value: str) -> CannedResponse:
    return json_response({"run_id": "run-loom", "status": value})


def refused(_request: RecordedRequest) -> CannedResponse:
    raise errors.APIConnectionError("connection refused (scripted)", request_sent=False)


def not_sse(_request: RecordedRequest) -> CannedResponse:
    return CannedResponse(200, (("Content-Type", "text/html"),), (b"<html>maintenance</html>",))


def trail(steps: Sequence[RecordedRequest]) -> list[tuple[str, str, str | None]]:
    return [(r.method, r.path, r.headers.get("last-event-id")) for r in steps]


# --- parsing: what parts a given byte stream yields ---


def _mixed_payload() -> bytes:
    blocks = [b": connected\n\n", b'event: metadata\nid: 1-0\ndata: {"run_id": "run-loom"}\n\n']
    for n in range(1, 31):
        blocks.append(f'event: values\nid: {n + 1}-0\ndata: {{"row": {n},\ndata:  "pattern": "twill"}}\n\n'.encode())
        if n % 7 == 0:
            blocks.append(b": heartbeat\n\n")
        blocks.append(f'event: messages/partial\r\nid: {n + 1}-1\r\ndata: [{{"content": "warp {n}"}}]\r\n\r\n'.encode())
    blocks.append(b"event: end\ndata: null\n\n")
    return b"".join(blocks)


def test_a_payload_parses_the_same_whatever_its_chunks(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_stream_sse."""
    payload = _mixed_payload()
    mock.add(
        "GET",
        "/weave",
        response=[
            raw_sse([payload]),
            raw_sse(payload.splitlines(keepends=True)),
            raw_sse([payload[i : i + 1] for i in range(len(payload))]),
        ],
    )

    whole, by_line, by_byte = (parts_of(client) for _ in range(3))

    assert len(whole) == 62
    assert whole == by_line == by_byte
    assert whole[1].data == {"row": 1, "pattern": "twill"}
    assert whole[2] == lgsync.StreamPart("messages/partial", [{"content": "warp 1"}], "2-1")


def test_data_lines_are_joined_with_a_newline(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_decoder_joins_data_lines_with_a_newline (first half)."""
    one_answer(mock, b"event: values\ndata: [7,\ndata: 8]\n\n")

    (part,) = parts_of(client)

    assert (part.data, part.id) == ([7, 8], None)


@pytest.mark.sdk_difference
def test_data_that_is_not_json_raises_an_lgsync_error(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_decoder_joins_data_lines_with_a_newline (second half).

    The SDK lets ``orjson.JSONDecodeError`` escape; lgsync raises
    ``lgsync.errors.StreamDecodeError`` (README, "Exceptions": every error
    is an ``lgsync.errors`` class).
    """
    one_answer(mock, b"event: values\ndata: [7\ndata: 0]\n\n")

    with pytest.raises(errors.StreamDecodeError):
        parts_of(client)


@pytest.mark.sdk_difference
def test_an_event_without_an_event_line_is_named_message(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_decoder_joins_data_lines_with_a_newline (the part's event).

    Documented difference (incompatibility 2 of issue 10): lgsync names it ``"message"``, the WHATWG
    default (a relay re-encoding it keeps a browser's ``onmessage`` working); the SDK names it ``""``.
    The LangGraph server names every event, so only other servers meet this.
    """
    one_answer(mock, b"data: [7,\ndata: 8]\n\n")

    (part,) = parts_of(client)

    assert part.event == "message"


def test_a_leading_bom_is_stripped(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_decoder_strips_a_leading_bom."""
    one_answer(mock, b"\xef\xbb\xbfevent: values\ndata: 11\n\n")

    assert parts_of(client) == [lgsync.StreamPart("values", 11, None)]


@pytest.mark.sdk_difference
def test_an_id_only_block_moves_the_cursor_but_yields_nothing(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_control_blocks_do_not_repeat_after_a_cursor_update.

    Both yield nothing for a heartbeat or an empty line, and both take the
    new cursor from a block with only an ``id:`` line. The SDK also yields
    that block as ``StreamPart(event="", data=None, id=<id>)``; lgsync
    follows the SSE specification and dispatches no event without data.
    """
    seen = scripted(
        mock,
        [
            raw_sse([ev(1), b"id: spool-3\n\n", b": heartbeat\n\n", b"\n"], location="/weave/again", drop=True),
            raw_sse([END]),
        ],
    )

    parts = parts_of(client, "POST")

    assert [(p.event, p.data) for p in parts] == [("values", 1), ("end", None)]
    assert header_values(seen[1], "last-event-id") == ["spool-3"]


def test_a_cr_ended_event_is_yielded_before_the_next_chunk(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_cr_lines_are_emitted_without_waiting_for_another_chunk.

    The first answer's body ends right after ``\\r\\r`` and then breaks: the
    event must come out before the break. The second checks that a CR LF
    split across chunks counts as one line end.
    """
    mock.add(
        "GET",
        "/weave",
        response=[
            raw_sse([b"event: values\rdata: 1\r\r"], drop=True),
            raw_sse([b"event: values\rdata: 1\r\r", b"\n", b"event: values\rdata: 2\r", b"", b"\n\r"]),
        ],
    )
    seen: list[Any] = []

    with pytest.raises(errors.APIConnectionError):
        for part in client.http.stream("/weave", "GET"):
            seen.append(part.data)
    assert seen == [1]
    assert [p.data for p in parts_of(client)] == [1, 2]


def test_empty_data_lines_keep_their_newlines(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_empty_data_lines_preserve_their_newlines."""
    one_answer(mock, b"event: values\ndata\ndata: 1\ndata:\n\n", b"event: values\ndata:\ndata:\n\n", b"\n")

    assert [(p.event, p.data) for p in parts_of(client)] == [("values", 1), ("values", None)]


def test_malformed_utf8_in_fields_becomes_the_replacement_character(
    client: lgsync.SyncClient, mock: MockTransport
) -> None:
    """SDK: tests/test_client_stream.py::test_malformed_utf8_is_replaced_in_fields_and_json_strings (the fields)."""
    one_answer(mock, b'event: \xfe\nid: \xfe\ndata: "plain"\n\n')

    assert parts_of(client) == [lgsync.StreamPart("\ufffd", "plain", "\ufffd")]


@pytest.mark.sdk_difference
def test_malformed_utf8_in_data_raises_a_decode_error(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_malformed_utf8_is_replaced_in_fields_and_json_strings (the data).

    The SDK replaces a bad byte inside a JSON string with U+FFFD and yields
    the part; lgsync refuses data that is not valid UTF-8 with
    ``lgsync.errors.StreamDecodeError`` rather than hand over altered data.
    """
    one_answer(mock, b'event: values\ndata: "\xfe"\n\n')

    with pytest.raises(errors.StreamDecodeError, match="UTF-8"):
        parts_of(client)


def test_null_and_empty_data_both_yield_a_part(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_null_and_empty_data_are_not_dropped."""
    one_answer(mock, b"event: values\ndata: null\n\nevent: values\ndata:\n\n")

    assert [(p.event, p.data) for p in parts_of(client)] == [("values", None), ("values", None)]


def test_the_cursor_carries_over_a_reconnect(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_cursor_is_inherited_after_reconnect."""
    seen = scripted(
        mock,
        [
            raw_sse([b"id: bobbin\nevent: values\ndata: 1\n\n"], location="/weave/again", drop=True),
            raw_sse([b"event: values\ndata: 2\n\n"]),
        ],
    )

    parts = parts_of(client)

    assert header_values(seen[1], "last-event-id") == ["bobbin"]
    assert [(p.data, p.id) for p in parts] == [(1, "bobbin"), (2, "bobbin")]


def test_a_stream_request_asks_for_an_uncached_event_stream(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_http_client_stream_flushes_trailing_event (the request)."""
    one_answer(mock, b'event: shuttle\ndata: {"pass": 4}\n\n')

    assert parts_of(client) == [lgsync.StreamPart("shuttle", {"pass": 4}, None)]
    sent = mock.requests[0]
    assert sent.headers["accept"] == "text/event-stream"
    assert sent.headers["cache-control"] == "no-store"


@pytest.mark.sdk_difference
def test_an_unterminated_last_event_is_a_cut_not_an_event(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_http_client_stream_flushes_trailing_event (the trailing event).

    The SDK yields an event whose closing blank line never came, as if the
    body had ended it. lgsync follows the SSE specification (an incomplete
    event is not dispatched) and treats the missing end as a broken
    connection: a stream it cannot resume raises ``StreamError``.
    """
    one_answer(mock, b'event: shuttle\ndata: {"pass": 4}\n')

    with pytest.raises(errors.StreamError, match="middle of an event"):
        parts_of(client)


def test_a_dropped_post_stream_resumes_with_a_bodyless_get(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_http_client_stream_recovers_after_disconnect."""
    seen = scripted(
        mock,
        [
            raw_sse([b"id: 1\n", b"event: values\n", b'data: {"row": 1}\n\n'], location="/weave/again", drop=True),
            raw_sse([b"id: 2\n", b"event: values\n", b'data: {"row": 2}\n\n', b"event: end\n", b"data: null\n\n"]),
        ],
    )

    parts = parts_of(client, "POST", json={"pattern": "herringbone"})

    first, second = seen
    assert (first.method, first.path) == ("POST", "/weave")
    assert first.headers["accept"] == "text/event-stream"
    assert first.headers["cache-control"] == "no-store"
    assert header_values(first, "last-event-id") == []
    assert first.json() == {"pattern": "herringbone"}
    assert (second.method, second.path) == ("GET", "/weave/again")
    assert header_values(second, "last-event-id") == ["1"]
    assert second.body in (None, b"")
    assert parts == [
        lgsync.StreamPart("values", {"row": 1}, "1"),
        lgsync.StreamPart("values", {"row": 2}, "2"),
        lgsync.StreamPart("end", None, "2"),
    ]


def _reconnect_after(
    mock: MockTransport, client: lgsync.SyncClient, chunks: list[bytes], headers: Any
) -> RecordedRequest:
    seen = scripted(mock, [raw_sse(chunks, location="/weave/again", drop=True), raw_sse([END])])
    parts_of(client, "POST", headers=headers)
    return seen[1]


NO_CURSOR_ANY_MORE = pytest.mark.parametrize(
    "empty_id", [b"id:\nevent: values\ndata: 2\n\n", b"id:\n\n"], ids=["with-an-event", "alone"]
)


@pytest.mark.sdk_difference
@NO_CURSOR_ANY_MORE
@pytest.mark.parametrize(
    "headers",
    [None, {"Last-Event-ID": "5"}, {"last-event-id": "5"}],
    ids=["no-caller-cursor", "caller-cursor", "lowercase-caller-cursor"],
)
def test_a_drop_after_an_empty_id_is_not_resumed_blind(
    client: lgsync.SyncClient, mock: MockTransport, empty_id: bytes, headers: Any
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_stream_reconnects_without_a_cursor_after_an_empty_id.

    After ``id:`` cleared the cursor, the SDK reconnects without a
    ``Last-Event-ID`` (and warns that events may be lost). lgsync does not
    resume a stream it cannot resume without loss: it raises ``StreamError``
    naming the reason, and sends no reconnect.
    """
    seen = scripted(mock, [raw_sse([ev(1), empty_id], location="/weave/again", drop=True), raw_sse([END])])

    with pytest.raises(errors.StreamError, match="without ids"):
        parts_of(client, "POST", headers=headers)
    assert len(seen) == 1


def test_the_streams_id_replaces_a_lowercase_caller_cursor(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_stream_id_replaces_a_lowercase_caller_cursor."""
    reconnect = _reconnect_after(mock, client, [ev(1)], {"last-event-id": "5"})

    assert header_values(reconnect, "last-event-id") == ["1"]


def test_the_caller_cursor_is_kept_until_the_stream_sends_an_id(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_stream_keeps_the_caller_cursor_until_the_stream_sends_an_id."""
    reconnect = _reconnect_after(mock, client, [b"event: values\ndata: 1\n\n"], {"Last-Event-ID": "5"})

    assert header_values(reconnect, "last-event-id") == ["5"]


@pytest.mark.sdk_difference
@pytest.mark.parametrize(
    ("chunks", "headers", "resumed"),
    [
        ([b"event: values\ndata: 1\n\n"], None, False),
        ([ev(1)], None, True),
        ([b"event: values\ndata: 1\n\n"], {"Last-Event-ID": "5"}, True),
    ],
    ids=["no-cursor", "stream-cursor", "caller-cursor"],
)
def test_a_reconnect_is_logged_never_warned(
    client: lgsync.SyncClient,
    mock: MockTransport,
    chunks: list[bytes],
    headers: Any,
    resumed: bool,
    recwarn: pytest.WarningsRecorder,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_reconnect_warns_only_without_a_cursor.

    The SDK reconnects in all three cases and warns (``UserWarning`` naming
    ``Last-Event-ID``) when it has no cursor. lgsync emits no warning: with
    a cursor it resumes and logs the reconnect on the ``lgsync`` logger;
    without one it raises ``StreamError`` instead of resuming blind.
    """
    seen = scripted(mock, [raw_sse(chunks, location="/weave/again", drop=True), raw_sse([END])])

    with caplog.at_level(logging.INFO, logger="lgsync"):
        if resumed:
            parts_of(client, "POST", headers=headers)
        else:
            with pytest.raises(errors.StreamError):
                parts_of(client, "POST", headers=headers)

    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
    assert len(seen) == (2 if resumed else 1)
    if resumed:
        assert [r for r in caplog.records if r.name.startswith("lgsync")]


# --- reconnects that meet a restarting server ---


def _transient(failure: Step) -> list[Step]:
    return [raw_sse([ev(1)], location="/weave/again", drop=True), failure, raw_sse([ev(2), END])]


TRANSIENT = {
    "429": status(429),
    "502": status(502),
    "503": status(503),
    "refused": refused,
    "not-sse": not_sse,
}


@pytest.mark.parametrize("failure", list(TRANSIENT.values()), ids=list(TRANSIENT))
def test_a_reconnect_recovers_from_a_transient_failure(
    client: lgsync.SyncClient, mock: MockTransport, failure: Step
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_reconnect_recovers_from_transient_failure."""
    seen = scripted(mock, _transient(failure))

    parts = parts_of(client, "POST")

    assert [p.event for p in parts] == ["values", "values", "end"]
    assert len(seen) == 3


def test_a_reconnect_does_not_retry_a_client_error(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_reconnect_does_not_retry_a_client_error."""
    seen = scripted(mock, [raw_sse([ev(1)], location="/weave/again", drop=True), status(404)])

    with pytest.raises(errors.NotFoundError):
        parts_of(client, "POST")
    assert len(seen) == 2


def test_the_first_request_is_not_retried(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_first_request_failure_is_not_retried."""
    seen = scripted(mock, [status(503, headers={"Location": "/weave/again"})])

    with pytest.raises(errors.InternalServerError):
        parts_of(client, "POST")
    assert len(seen) == 1


@pytest.mark.sdk_difference
def test_a_server_that_stays_down_exhausts_the_stream_retry_budget(
    client: lgsync.SyncClient, mock: MockTransport, sleeps: list[float]
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_reconnect_gives_up_after_five_backed_off_attempts.

    Both give up after five reconnects, with the last failure as the
    cause. The SDK raises ``httpx.TransportError("Exceeded maximum SSE
    reconnection attempts")`` after waiting 1, 2, 4, 5 and 5 s; lgsync raises
    ``lgsync.errors.StreamError`` (an ``APIConnectionError``; README,
    "Exceptions") after the waits of its ``stream_retry`` policy (0.25 s
    doubling, at most 5 s, plus jitter).
    """
    seen = scripted(mock, [raw_sse([ev(1)], location="/weave/again", drop=True), *[status(502)] * 5])

    with pytest.raises(errors.StreamError) as caught:
        parts_of(client, "POST")

    assert isinstance(caught.value.__cause__, errors.InternalServerError)
    assert len(seen) == 6
    assert len(sleeps) == 5
    assert all(later >= earlier for earlier, later in zip(sleeps, sleeps[1:]))


def _long_stream(drops: int) -> list[Step]:
    steps: list[Step] = [raw_sse([ev(0)], location="/weave/again", drop=True)]
    steps += [raw_sse([ev(n)], drop=True) for n in range(1, drops)]
    return [*steps, raw_sse([ev(drops), END])]


def test_a_long_stream_survives_many_drops_with_progress(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_long_stream_survives_many_spaced_out_drops."""
    scripted(mock, _long_stream(6))

    assert [p.data for p in parts_of(client, "POST")] == [0, 1, 2, 3, 4, 5, 6, None]


@pytest.mark.parametrize(
    ("steps", "cursors"),
    [(_long_stream(3), [None, "0", "1", "2"]), (_transient(status(502)), [None, "1", "1"])],
    ids=["progress_between_drops", "failed_reconnect"],
)
def test_each_reconnect_resumes_after_the_newest_event(
    client: lgsync.SyncClient, mock: MockTransport, steps: list[Step], cursors: list[str | None]
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_reconnect_loop_resumes_after_the_newest_event."""
    seen = scripted(mock, steps)

    parts_of(client, "POST")

    assert [r.headers.get("last-event-id") for r in seen] == cursors


def test_reconnects_back_off(client: lgsync.SyncClient, mock: MockTransport, sleeps: list[float]) -> None:
    """SDK: tests/test_client_stream.py::test_sync_reconnect_backs_off."""
    scripted(mock, _long_stream(2))

    parts_of(client, "POST")

    assert len(sleeps) == 2 and all(delay > 0 for delay in sleeps)


# --- a run stream that closes cleanly before the run has ended ---


def _clean_closes(closes: int, check: Step) -> list[Step]:
    steps: list[Step] = [raw_sse([ev(0)], location=RUN_STREAM)]
    for n in range(1, closes + 1):
        steps += [check, raw_sse([ev(n)])]
    return [*steps, run_status("success")]


CHECKS_THAT_RECONNECT = {
    "pending": run_status("pending"),
    "running": run_status("running"),
    "429": status(429),
    "503": status(503),
    "refused": refused,
}


@pytest.mark.parametrize("check", list(CHECKS_THAT_RECONNECT.values()), ids=list(CHECKS_THAT_RECONNECT))
def test_a_clean_close_reconnects_when_the_check_says_so(
    client: lgsync.SyncClient, mock: MockTransport, sleeps: list[float], check: Step
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_clean_close_reconnects_after_check."""
    seen = scripted(mock, _clean_closes(1, check))

    parts = parts_of(client, "POST")

    assert [p.data for p in parts] == [0, 1]
    assert trail(seen) == [("POST", "/weave", None), ("GET", RUN, None), ("GET", RUN_STREAM, "0"), ("GET", RUN, None)]
    assert len(sleeps) == 1


def test_clean_closes_with_progress_do_not_run_out(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_clean_closes_with_progress_do_not_run_out_of_attempts."""
    scripted(mock, _clean_closes(6, run_status("running")))

    assert [p.data for p in parts_of(client, "POST")] == [0, 1, 2, 3, 4, 5, 6]


CHECKS_THAT_END = {
    "success": run_status("success"),
    "error": run_status("error"),
    "timeout": run_status("timeout"),
    "interrupted": run_status("interrupted"),
    "403": status(403),
    "404": status(404),
    "not-json": not_sse,
    "json-without-status": json_response({}),
}


@pytest.mark.parametrize("check", list(CHECKS_THAT_END.values()), ids=list(CHECKS_THAT_END))
def test_a_clean_close_ends_the_stream_when_the_check_says_so(
    client: lgsync.SyncClient, mock: MockTransport, check: Step
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_clean_close_ends_the_stream_after_check."""
    seen = scripted(mock, [raw_sse([ev(1)], location=RUN_STREAM), check])

    assert [p.data for p in parts_of(client, "POST")] == [1]
    assert trail(seen) == [("POST", "/weave", None), ("GET", RUN, None)]


NO_CHECK: dict[str, list[Step]] = {
    "end": [raw_sse([ev(1), END], location=RUN_STREAM)],
    "error": [raw_sse([ev(1), b"event: error\ndata: {}\n\n"], location=RUN_STREAM)],
    "thread-stream": [raw_sse([ev(1)], location="/threads/th-loom/stream")],
    "threadless-run-location": [raw_sse([ev(1)], location="/runs/run-loom/stream")],
}


@pytest.mark.parametrize("steps", list(NO_CHECK.values()), ids=list(NO_CHECK))
def test_the_stream_ends_without_a_run_check(client: lgsync.SyncClient, mock: MockTransport, steps: list[Step]) -> None:
    """SDK: tests/test_client_stream.py::test_sync_stream_ends_without_a_run_check."""
    seen = scripted(mock, steps)

    parts_of(client, "POST")

    assert [r.path for r in seen if not r.path.endswith("/stream")] == ["/weave"]


def test_no_run_check_after_end_on_an_earlier_connection(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_stream_ends_without_a_run_check[end_on_an_earlier_connection]."""
    seen = scripted(mock, [raw_sse([ev(1), END], location=RUN_STREAM, drop=True), raw_sse([]), run_status("success")])

    parts_of(client, "POST")

    assert [r.path for r in seen if not r.path.endswith("/stream")] == ["/weave"]


@pytest.mark.sdk_difference
def test_an_unterminated_end_is_resumed(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_stream_ends_without_a_run_check[unterminated_end].

    The SDK takes an ``end`` event without its closing blank line as the end
    of the stream. lgsync does not dispatch an incomplete event (see
    test_an_unterminated_last_event_is_a_cut_not_an_event): it resumes
    after the last complete event and gets ``end`` there.
    """
    seen = scripted(
        mock, [raw_sse([ev(1), b"event: end\ndata: null\n"], location=RUN_STREAM), raw_sse([b"id: 2\n" + END])]
    )

    assert [p.event for p in parts_of(client, "POST")] == ["values", "end"]
    assert trail(seen) == [("POST", "/weave", None), ("GET", RUN_STREAM, "1")]


@pytest.mark.sdk_difference
def test_clean_closes_without_progress_give_up_after_the_budget(
    client: lgsync.SyncClient, mock: MockTransport, sleeps: list[float]
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_clean_closes_without_progress_give_up_after_five_attempts.

    Both give up after five reconnects that bring nothing while the run
    reports ``running``. The SDK raises ``httpx.TransportError`` caused by
    an error saying the run is "still pending or running", after 1, 2, 4, 5
    and 5 s; lgsync raises ``lgsync.errors.StreamError`` (README,
    "Exceptions") after its ``stream_retry`` waits.
    """
    scripted(
        mock, [raw_sse([ev(1)], location=RUN_STREAM), *[run_status("running"), raw_sse([])] * 5, run_status("running")]
    )

    with pytest.raises(errors.StreamError):
        parts_of(client, "POST")
    assert len(sleeps) == 5


@pytest.mark.parametrize(
    ("location", "url"),
    [
        (RUN_STREAM, f"{RUN}"),
        ("/api/threads/th-loom/runs/run-loom/stream?stream_mode=values", "/api/threads/th-loom/runs/run-loom"),
        (f"http://sdk-conformance.test{RUN_STREAM}", f"{RUN}"),
    ],
    ids=["path", "prefix_and_query", "absolute"],
)
def test_the_run_check_asks_for_the_run_behind_the_location(
    client: lgsync.SyncClient, mock: MockTransport, location: str, url: str
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_run_check_gets_the_run_behind_the_stream_location."""
    seen = scripted(mock, [raw_sse([ev(1)], location=location), run_status("success")])

    parts_of(client, "POST")

    assert seen[-1].url == f"http://sdk-conformance.test{url}"


def test_the_run_check_sends_caller_headers_but_no_body_or_cursor_headers(
    client: lgsync.SyncClient, mock: MockTransport
) -> None:
    """SDK: tests/test_client_stream.py::test_sync_run_check_sends_caller_headers_and_accepts_json_without_body_or_cursor."""
    seen = scripted(mock, [raw_sse([ev(1)], location=RUN_STREAM), run_status("success")])

    parts_of(client, "POST", headers={"Authorization": "Bearer tok-77", "Last-Event-ID": "0"})

    check = seen[-1]
    assert check.path == RUN
    assert check.headers["authorization"] == "Bearer tok-77"
    assert check.headers["accept"] == "application/json"
    assert {k.lower() for k in check.headers} & {"content-type", "content-length", "last-event-id"} == set()


# --- version="v2": parts as {"type", "ns", "data", "interrupts"} dicts ---


def _v2_parts(client: lgsync.SyncClient, mock: MockTransport, *events: tuple[str, Any]) -> list[Any]:
    mock.add_stream("POST", "/threads/th-loom/runs/stream", list(events))
    return list(client.runs.stream("th-loom", "weaver", input={}, version="v2"))


def test_v2_a_plain_event(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_to_v2_dict_basic."""
    (part,) = _v2_parts(client, mock, ("values", {"threads": [{"color": "indigo"}]}))

    assert part == {"type": "values", "ns": [], "data": {"threads": [{"color": "indigo"}]}, "interrupts": []}


def test_v2_one_namespace(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_to_v2_dict_with_namespace."""
    (part,) = _v2_parts(client, mock, ("updates|dyer:7", {"vat": "blue"}))

    assert part == {"type": "updates", "ns": ["dyer:7"], "data": {"vat": "blue"}, "interrupts": []}


def test_v2_nested_namespaces(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_to_v2_dict_with_multiple_ns."""
    (part,) = _v2_parts(client, mock, ("custom|mill|spinner:9", "spun"))

    assert part == {"type": "custom", "ns": ["mill", "spinner:9"], "data": "spun", "interrupts": []}


def test_v2_end_is_not_yielded(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_to_v2_dict_end_event."""
    assert _v2_parts(client, mock, ("end", None)) == []


def test_v2_metadata(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_to_v2_dict_metadata_event."""
    (part,) = _v2_parts(client, mock, ("metadata", {"run_id": "run-loom"}))

    assert part == {"type": "metadata", "ns": [], "data": {"run_id": "run-loom"}, "interrupts": []}


def test_v2_messages_partial_keeps_its_slash(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_to_v2_dict_messages_partial."""
    (part,) = _v2_parts(client, mock, ("messages/partial", [{"type": "ai", "content": "knot"}]))

    assert part == {"type": "messages/partial", "ns": [], "data": [{"type": "ai", "content": "knot"}], "interrupts": []}


def test_v2_values_move_interrupts_out_of_the_data(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sse_to_v2_dict_values_with_interrupts."""
    question = {"value": "cut the thread?", "resumable": True}
    (part,) = _v2_parts(client, mock, ("values", {"threads": [], "__interrupt__": [question]}))

    assert part == {"type": "values", "ns": [], "data": {"threads": []}, "interrupts": [question]}


def test_v2_a_whole_stream(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_client_stream.py::test_sync_stream_v2_client_side_conversion."""
    parts = _v2_parts(client, mock, ("metadata", {"run_id": "run-loom"}), ("values", {"bolt": "done"}), ("end", None))

    assert parts == [
        {"type": "metadata", "ns": [], "data": {"run_id": "run-loom"}, "interrupts": []},
        {"type": "values", "ns": [], "data": {"bolt": "done"}, "interrupts": []},
    ]
    assert json.loads(mock.requests[0].body or b"{}")["assistant_id"] == "weaver"
