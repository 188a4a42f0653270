"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_sync_shared_stream.py``.

The SDK shares one connection between projections through a private
controller; lgsync gives each projection its own connection. The
behaviours a caller sees are ported through ``thread.subscribe``.
"""

from __future__ import annotations

import lgsync
from lgsync.testing import MockTransport
from tests.conformance._support import ThreadServer, lifecycle, proto, protocol_events


def test_applied_through_seq_seeds_since(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_shared_stream.py::test_sync_send_command_applied_through_seq_seeds_shared_stream_since."""
    server = ThreadServer(
        mock, [protocol_events([lifecycle(24, "completed")])], command_meta={"applied_through_seq": 23}
    )

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        assert list(thread.subscribe(["values"])) == []

    (body,) = [b for b in server.stream_bodies if "values" in (b.get("channels") or [])]
    assert body["since"] == 23


def test_a_dropped_subscription_resumes_with_since(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/streaming/test_sync_shared_stream.py::test_sync_shared_stream_reconnects_with_since_after_transport_drop."""
    server = ThreadServer(
        mock,
        [
            protocol_events([lifecycle(0, "running"), proto(1, "values", {"kilns": 1})], drop=True),
            protocol_events([proto(2, "values", {"kilns": 2}), lifecycle(3, "completed")]),
        ],
    )

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        got = list(thread.subscribe(["values"]))

    assert [e["seq"] for e in got] == [1, 2]
    assert server.stream_bodies[1]["since"] == 1
