"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_sync_extensions_projection.py``: ``extensions[name]``."""

from __future__ import annotations

import lgsync
from lgsync.testing import MockTransport
from tests.conformance._support import ThreadServer, custom, lifecycle, protocol_events, task_started


def test_an_extension_yields_only_its_own_payloads(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_extensions_projection.py::test_sync_extension_projection_yields_matching_custom_payloads."""
    events = [
        lifecycle(0, "running"),
        custom(1, "kiln_temp", celsius=900),
        custom(2, "load", pots=4),
        custom(3, "kiln_temp", celsius=1200),
        lifecycle(4, "completed"),
    ]
    server = ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        payloads = list(thread.extensions["kiln_temp"])

    assert payloads == [{"name": "kiln_temp", "celsius": 900}, {"name": "kiln_temp", "celsius": 1200}]
    assert any("custom:kiln_temp" in body.get("channels", []) for body in server.stream_bodies)


def test_a_handles_extension_is_scoped_to_its_namespace(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_extensions_projection.py::test_sync_extension_projection_supports_namespace_scope_on_subgraph_handle.

    The SDK test builds the handle by hand; here it comes from
    ``thread.subgraphs``.
    """
    child = ("shaper:s1",)
    events = [
        lifecycle(0, "running"),
        task_started(1, child, "task-s"),
        custom(2, "kiln_temp", child, celsius=700),
        custom(3, "kiln_temp", celsius=0),
        lifecycle(4, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={})

    with client.threads.stream("th-1", assistant_id="potter") as thread:
        thread.run.start(input={})
        (handle,) = list(thread.subgraphs)
        payloads = list(handle.extensions["kiln_temp"])

    assert payloads == [{"name": "kiln_temp", "celsius": 700}]
