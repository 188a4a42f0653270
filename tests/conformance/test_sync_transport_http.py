"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_sync_transport_http.py``.

The SDK tests call its private ``SyncProtocolSseTransport``; the same
exchanges are driven here through a ``threads.stream`` session.
"""

from __future__ import annotations

import pytest

import lgsync
from lgsync import errors
from lgsync.testing import MockTransport
from tests.conformance._support import ThreadServer, lifecycle, make_client, proto, protocol_events


def test_a_command_is_posted_and_its_result_returned(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_transport_http.py::test_sync_transport_sends_command."""
    server = ThreadServer(mock, [protocol_events([])], run_id="run-77")

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        assert thread.run.start(input={}) == {"run_id": "run-77"}

    (command,) = server.commands
    assert command["method"] == "run.start"
    assert isinstance(command["id"], int)
    assert [r.path for r in mock.requests if r.method == "POST"][0] == "/threads/th-1/commands"


def test_a_subscription_posts_its_channels_and_yields_the_events(
    client: lgsync.SyncClient, mock: MockTransport
) -> None:
    """SDK: tests/streaming/test_sync_transport_http.py::test_sync_transport_streams_events."""
    events = [lifecycle(0, "running"), proto(1, "values", {"shelf": 1}), lifecycle(2, "completed")]
    server = ThreadServer(mock, [protocol_events(events)])

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        got = list(thread.subscribe(["values"]))

    assert got == [events[1]]
    (body,) = server.stream_bodies
    assert "values" in body["channels"]


@pytest.mark.sdk_difference
def test_a_stream_that_keeps_failing_raises_to_the_reader(mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_transport_http.py::test_sync_open_event_stream_records_post_ready_error.

    The SDK's transport hands the read error (``httpx.ReadError``) to the
    consumer; lgsync first resumes within its ``stream_retry`` budget, then
    raises an ``lgsync.errors`` exception (README, "Exceptions"; a
    ``RunFailedError`` naming the cut) after the events it did get.
    """
    ThreadServer(mock, [protocol_events([lifecycle(0, "running"), proto(1, "values", {"shelf": 1})], drop=True)])
    got: list[int] = []

    with make_client(mock, stream_retry=lgsync.Retry(total=2)) as client:
        with client.threads.stream("th-1", assistant_id="kiln") as thread:
            thread.run.start(input={})
            with pytest.raises(errors.LangGraphError, match="could not be resumed"):
                for event in thread.subscribe(["values"]):
                    got.append(event["seq"])

    assert got == [1]
