"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_thread_stream_path_encoding.py`` (sync half)."""

from __future__ import annotations

import re

import lgsync
from lgsync.testing import MockTransport
from tests.conformance._support import protocol_events

TRICKY_THREAD = "../assistants/kiln/graph#"
ENCODED_THREAD = "/threads/..%2Fassistants%2Fkiln%2Fgraph%23"
TRICKY_ASSISTANT = "../../elsewhere/path#"


def test_output_keeps_the_thread_id_one_segment(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_thread_stream_path_encoding.py::test_sync_output_encodes_thread_id."""
    mock.add("GET", re.compile(r".*/state"), json={"values": {"ok": True}, "next": [], "tasks": []})
    mock.add("GET", re.compile(r".*"), json=[])
    mock.add("POST", re.compile(r".*"), response=protocol_events([]))

    with client.threads.stream(TRICKY_THREAD, assistant_id="kiln") as thread:
        assert thread.output == {"ok": True}

    gets = [r.path for r in mock.requests if r.method == "GET"]
    assert gets[-1] == f"{ENCODED_THREAD}/state"
    assert all(path.startswith(ENCODED_THREAD + "/") for path in gets)


def test_agent_get_tree_keeps_the_assistant_id_one_segment(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_thread_stream_path_encoding.py::test_sync_agent_get_tree_encodes_assistant_id."""
    mock.add("GET", re.compile(r".*"), json={"nodes": [], "edges": []})

    with client.threads.stream("th-1", assistant_id=TRICKY_ASSISTANT) as thread:
        thread.agent.get_tree()

    assert [r.path for r in mock.requests if r.method == "GET"] == ["/assistants/..%2F..%2Felsewhere%2Fpath%23/graph"]
