"""Port of langgraph-sdk 0.4.14 ``tests/test_path_encoding.py``: identifiers stay one path segment.

The SDK's ``TestQuotePathParam`` tests call its private helper; here each
value goes through a public call and the path on the wire is checked
(``RecordedRequest.path`` is the raw, still-encoded path).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

import lgsync
from lgsync.testing import MockTransport

ORCHARD_UUID = "6f1c2a90-3b4d-4e5f-8a7b-9c0d1e2f3a4b"


@pytest.fixture
def anything(mock: MockTransport) -> MockTransport:
    """``mock`` answering every request with an empty JSON object."""
    mock.add("*", re.compile(r"/.*"), json={})
    return mock


def _thread_path(client: lgsync.SyncClient, mock: MockTransport, thread_id: Any) -> str:
    client.threads.get(thread_id)
    return mock.requests[-1].path


def test_a_uuid_is_sent_unchanged(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_uuid_round_trips_unchanged."""
    assert _thread_path(client, anything, ORCHARD_UUID) == f"/threads/{ORCHARD_UUID}"


def test_a_simple_opaque_id_is_sent_unchanged(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_simple_opaque_id_round_trips_unchanged."""
    assert _thread_path(client, anything, "th_plum_9") == "/threads/th_plum_9"
    client.assistants.get("bot_pear")
    assert anything.requests[-1].path == "/assistants/bot_pear"


def test_a_slash_is_encoded(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_slash_is_encoded."""
    assert _thread_path(client, anything, "left/right") == "/threads/left%2Fright"


@pytest.mark.parametrize(
    ("value", "segment"),
    [(".", "%2E"), ("..", "%2E%2E"), ("....", "%2E%2E%2E%2E"), ("model.v2", "model.v2"), ("../up", "..%2Fup")],
    ids=["dot", "dot-dot", "four-dots", "dotted-name", "dot-dot-slash"],
)
def test_all_dot_ids_are_encoded_and_other_dots_kept(
    client: lgsync.SyncClient, anything: MockTransport, value: str, segment: str
) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_bare_dot_segments_are_encoded."""
    assert _thread_path(client, anything, value) == f"/threads/{segment}"


def test_a_pivot_payload_becomes_one_segment(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_full_pivot_payload_is_encoded."""
    assert _thread_path(client, anything, "../crons/cr-1") == "/threads/..%2Fcrons%2Fcr-1"


def test_non_string_ids_are_sent_as_their_str(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_non_string_values_are_coerced_to_str."""
    assert _thread_path(client, anything, uuid.UUID(ORCHARD_UUID)) == f"/threads/{ORCHARD_UUID}"
    assert _thread_path(client, anything, 1234) == "/threads/1234"


def test_a_none_id_raises_type_error(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_none_value_raises_type_error."""
    with pytest.raises(TypeError, match="must not be None"):
        client.threads.get(None)  # type: ignore[arg-type]
    assert anything.requests == []


def test_a_bytes_id_raises_type_error(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestQuotePathParam::test_bytes_value_raises_type_error."""
    with pytest.raises(TypeError, match="bytes"):
        client.threads.get(b"th-1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="bytes"):
        client.threads.get(bytearray(b"th-1"))  # type: ignore[arg-type]
    assert anything.requests == []


def test_threads_get_pivot_stays_on_threads(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestSyncPathEncoding::test_threads_get_with_pivot_payload_stays_on_threads."""
    assert _thread_path(client, anything, "../assistants/bot-1") == "/threads/..%2Fassistants%2Fbot-1"
    assert len(anything.requests) == 1


def test_threads_update_pivot_stays_on_threads(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestAsyncPathEncoding::test_threads_update_with_pivot_payload_stays_on_threads (async test; checked on the sync client)."""
    client.threads.update("../assistants/bot-1", metadata={"k": 1})

    (sent,) = anything.requests
    assert (sent.method, sent.path) == ("PATCH", "/threads/..%2Fassistants%2Fbot-1")


def test_threads_delete_pivot_stays_on_threads(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestAsyncPathEncoding::test_threads_delete_with_pivot_payload_stays_on_threads (async test; checked on the sync client)."""
    client.threads.delete("../runs/crons/cr-1")

    (sent,) = anything.requests
    assert (sent.method, sent.path) == ("DELETE", "/threads/..%2Fruns%2Fcrons%2Fcr-1")


def test_assistants_get_pivot_stays_on_assistants(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestSyncPathEncoding::test_assistants_get_with_pivot_payload_stays_on_assistants."""
    client.assistants.get("../threads/th-1")

    (sent,) = anything.requests
    assert sent.path == "/assistants/..%2Fthreads%2Fth-1"


def test_runs_delete_keeps_both_ids_as_segments(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestSyncPathEncoding::test_runs_delete_double_id_pivot_stays_on_threads_runs."""
    client.runs.delete("..", "../runs/crons/cr-1")

    (sent,) = anything.requests
    assert sent.method == "DELETE"
    assert sent.path.split("/") == ["", "threads", "%2E%2E", "runs", "..%2Fruns%2Fcrons%2Fcr-1"]


def test_crons_delete_pivot_stays_on_crons(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestSyncPathEncoding::test_crons_delete_with_pivot_payload_stays_on_crons."""
    client.crons.delete("../../assistants/bot-1")

    (sent,) = anything.requests
    assert (sent.method, sent.path) == ("DELETE", "/runs/crons/..%2F..%2Fassistants%2Fbot-1")


def test_get_state_checkpoint_id_stays_under_state(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestAsyncPathEncoding::test_threads_get_state_with_pivot_checkpoint_id_stays_on_state (async test; checked on the sync client)."""
    client.threads.get_state("th-7", checkpoint_id="../runs")

    assert anything.requests[-1].path == "/threads/th-7/state/..%2Fruns"


def test_get_subgraphs_namespace_stays_under_subgraphs(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestAsyncPathEncoding::test_assistants_get_subgraphs_with_pivot_namespace_stays_on_subgraphs (async test; checked on the sync client)."""
    client.assistants.get_subgraphs("bot-3", namespace="../elsewhere")

    assert anything.requests[-1].path == "/assistants/bot-3/subgraphs/..%2Felsewhere"


def test_a_bare_double_dot_id_reaches_the_wire_encoded(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestAsyncPathEncoding::test_bare_double_dot_thread_id_survives_to_wire (async test; checked on the sync client)."""
    assert _thread_path(client, anything, "..") == "/threads/%2E%2E"


def test_a_bare_single_dot_id_reaches_the_wire_encoded(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestAsyncPathEncoding::test_bare_single_dot_thread_id_survives_to_wire (async test; checked on the sync client)."""
    assert _thread_path(client, anything, ".") == "/threads/%2E"


def test_a_uuid_lands_on_the_intended_path(client: lgsync.SyncClient, anything: MockTransport) -> None:
    """SDK: tests/test_path_encoding.py::TestSyncPathEncoding::test_uuid_identifier_lands_on_intended_path."""
    client.threads.get(ORCHARD_UUID)

    assert [r.path for r in anything.requests] == [f"/threads/{ORCHARD_UUID}"]
