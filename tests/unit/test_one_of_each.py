"""The small things lgsync keeps one of: the SSE encoder, the sentinel, the URL helpers, the body builders."""

from __future__ import annotations

import inspect
import json
import warnings
from datetime import datetime, timezone
from typing import Any, Callable

import pytest

import lgsync
from lgsync import _urls
from lgsync._sentinel import NOT_PROVIDED
from lgsync._sse_encoder import encode_event, json_data
from lgsync.contrib._sse_relay import encode_part
from lgsync.resources import _cron_payload, _run_payload, crons, runs
from lgsync.resources._shared import merge_params, non_empty, pick
from lgsync.schema import StreamPart
from lgsync.sse import ServerSentEvent, SSEDecoder
from lgsync.testing import MockTransport, encode_sse
from tests.support.sse_server import sse_event

URL = "http://langgraph.test"


def _decode(raw: bytes) -> list[ServerSentEvent]:
    return SSEDecoder().feed(raw)


@pytest.mark.parametrize(
    ("event", "data", "event_id"),
    [
        ("updates", {"a": 1}, "5-0"),
        ("messages", [{"content": "a\nb\r\nc"}, {"é": "ü"}], None),
        ("bad\nname\rhere", None, "1\n2"),
        (None, "line one\nline two\r\nline three\rfour", ""),
    ],
)
def test_what_the_encoder_writes_the_decoder_reads_back(event: str | None, data: Any, event_id: str | None) -> None:
    text = data if isinstance(data, str) or data is None else json_data(data)
    (decoded,) = _decode(encode_event(event, text, id=event_id))
    assert decoded.event == (event or "message").replace("\n", " ").replace("\r", " ")
    if isinstance(data, str):
        assert decoded.data == b"line one\nline two\nline three\nfour"
    elif data is None:
        assert decoded.data is None
    else:
        assert json.loads(decoded.data or b"") == data
    # An empty id is written, since it resets the cursor; None leaves the cursor as it was.
    assert decoded.id == (event_id.replace("\n", " ") if event_id else None)


def test_the_mock_transport_the_relay_and_the_tests_write_the_same_bytes() -> None:
    part = StreamPart("updates", {"topic": "crème"}, "7-0")
    expected = b'event: updates\nid: 7-0\ndata: {"topic":"cr\xc3\xa8me"}\n\n'
    assert encode_sse(part) == expected
    assert encode_part(part) == expected
    assert sse_event({"topic": "crème"}, event="updates", id="7-0") == expected
    # Each keeps its own convention for a missing payload.
    assert encode_sse(("end", None)) == b"event: end\n\n"
    assert encode_part(("end", None)) == b"event: end\ndata: null\n\n"
    assert sse_event() == b"data: null\n\n"


def test_one_not_provided_sentinel() -> None:
    assert lgsync.client.NOT_PROVIDED is NOT_PROVIDED
    assert crons.NOT_PROVIDED is NOT_PROVIDED
    assert inspect.signature(lgsync.get_sync_client).parameters["api_key"].default is NOT_PROVIDED
    assert inspect.signature(crons.CronClient.update).parameters["end_time"].default is NOT_PROVIDED


def test_url_helpers_live_in_one_module_and_the_old_paths_still_import() -> None:
    from lgsync.http import origin_of
    from lgsync.transport._body import redact_url as from_body
    from lgsync.transport._errors import redact_url as from_errors

    assert from_body is from_errors is _urls.redact_url
    assert origin_of is _urls.origin_of
    assert _urls.redact_url("https://u:p@h/x?api_key=1#f") == "https://h/x"
    assert _urls.redact_url("http://[::1") == "<invalid url>"
    assert _urls.userinfo_parts("http://h/") == []


def test_shared_builders() -> None:
    assert non_empty(a=0, b=False, c=[], d="x", e={"k": 1}) == {"d": "x", "e": {"k": 1}}
    assert pick({"a": 1, "b": None, "c": False}, ("a", "b", "c")) == {"a": 1, "c": False}
    assert merge_params({"limit": 10}, None) == {"limit": 10}
    assert merge_params({"limit": 10}, [("limit", 3)]) == {"limit": 3}


# Parameters of the run- and cron-creating calls that never go in the body.
_NOT_IN_BODY = {"self", "thread_id", "headers", "params", "on_run_created", "version", "raise_error"}


@pytest.mark.parametrize(
    ("method", "fields"),
    [
        (runs.RunsClient.stream, _run_payload.STREAM_FIELDS),
        (runs.RunsClient.create, _run_payload.CREATE_FIELDS),
        (runs.RunsClient.wait, _run_payload.WAIT_FIELDS),
        (crons.CronClient.create_for_thread, _cron_payload.SCHEDULE_FIELDS),
        (crons.CronClient.create, (*_cron_payload.SCHEDULE_FIELDS, "on_run_completed")),
        (crons.CronClient.update, (*_cron_payload.UPDATE_FIELDS, "end_time", "cron_id")),
    ],
)
def test_every_body_parameter_is_in_its_field_list(method: Callable[..., Any], fields: tuple[str, ...]) -> None:
    parameters = set(inspect.signature(method).parameters) - _NOT_IN_BODY
    assert parameters == set(fields)
    assert len(fields) == len(set(fields))


def _sent_body(call: Callable[[lgsync.SyncClient], object], route: tuple[str, str]) -> Any:
    transport = MockTransport()
    transport.add(*route, json={"run_id": "r-1"})
    with lgsync.get_sync_client(url=URL, api_key=None, transport=transport) as client:
        call(client)
    return transport.requests[-1].json()


def test_run_bodies_keep_the_sdk_names_and_leave_out_none() -> None:
    body = _sent_body(
        lambda c: c.runs.create(
            "t1",
            "agent",
            input={"topic": "cats"},
            command={"resume": "yes", "goto": None},
            langsmith_tracing={"project_name": "p"},
            stream_mode=["values"],
            durability="async",
        ),
        ("POST", "/threads/{thread_id}/runs"),
    )
    assert body == {
        "assistant_id": "agent",
        "input": {"topic": "cats"},
        "command": {"resume": "yes"},
        "langsmith_tracer": {"project_name": "p"},
        "stream_mode": ["values"],
        "stream_subgraphs": False,
        "stream_resumable": False,
        "durability": "async",
    }
    assert _sent_body(lambda c: c.runs.create(None, "agent", command={}), ("POST", "/runs")) == {
        "assistant_id": "agent",
        "stream_mode": "values",
        "stream_subgraphs": False,
        "stream_resumable": False,
    }


def test_cron_bodies_send_times_as_the_server_reads_them() -> None:
    end = datetime(2030, 1, 2, 3, 4, tzinfo=timezone.utc)
    body = _sent_body(
        lambda c: c.crons.create("agent", schedule="0 9 * * *", end_time=end, timezone=timezone.utc, enabled=False),
        ("POST", "/runs/crons"),
    )
    assert body == {
        "assistant_id": "agent",
        "schedule": "0 9 * * *",
        "end_time": "2030-01-02T03:04:00+00:00",
        "timezone": "UTC",
        "enabled": False,
    }
    cleared = _sent_body(lambda c: c.crons.update("c1", end_time=None), ("PATCH", "/runs/crons/{cron_id}"))
    assert cleared == {"end_time": None}
    kept = _sent_body(lambda c: c.crons.update("c1", schedule="* * * * *"), ("PATCH", "/runs/crons/{cron_id}"))
    assert kept == {"schedule": "* * * * *"}


@pytest.mark.parametrize(
    ("call", "route"),
    [
        (lambda c: c.runs.create(None, "agent", checkpoint_during=True), ("POST", "/runs")),
        (lambda c: c.crons.create("agent", schedule="* * * * *", checkpoint_during=False), ("POST", "/runs/crons")),
    ],
)
def test_checkpoint_during_warns_at_the_callers_line(
    call: Callable[[lgsync.SyncClient], object], route: tuple[str, str]
) -> None:
    transport = MockTransport()
    transport.add(*route, json={})
    with lgsync.get_sync_client(url=URL, api_key=None, transport=transport) as client:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call(client)
    (warning,) = [w for w in caught if issubclass(w.category, DeprecationWarning)]
    assert "durability" in str(warning.message)
    assert warning.filename == __file__
    assert "checkpoint_during" in transport.requests[-1].json()
