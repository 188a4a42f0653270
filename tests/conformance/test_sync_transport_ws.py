"""The SDK's websocket transport for ``threads.stream``, which lgsync does not offer.

The README's "Migrating from langgraph_sdk" lists it (``threads.stream``:
"SSE only"). The test names every SDK test of the websocket transport.
"""

from __future__ import annotations

import pytest

import lgsync

pytestmark = pytest.mark.sdk_difference


def test_websocket_transport_is_refused(client: lgsync.SyncClient) -> None:
    """lgsync speaks the thread protocol over SSE only: ``transport="websocket"`` raises ``ValueError``.

    SDK: tests/streaming/test_sync_thread_stream.py::test_sync_threads_stream_accepts_websocket_transport_option
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_websocket_sends_subscribe_body_and_yields_events
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_websocket_records_post_ready_error
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_websocket_send_command_uses_http_commands_endpoint
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_websocket_open_event_stream_raises_when_closed
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_websocket_transport_feeds_sync_stream_controller
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_websocket_controller_reconnects_with_since_after_drop
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_ws_transport_forwards_ping_kwargs
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_ws_handshake_forwards_httpx_client_cookies
    SDK: tests/streaming/test_sync_transport_ws.py::test_sync_close_before_iteration_closes_socket
    """
    with pytest.raises(ValueError, match="SSE"):
        client.threads.stream("th-1", assistant_id="kiln", transport="websocket")
