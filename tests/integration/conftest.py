"""Fixtures of the integration tests: a recording proxy in front of the real server.

The proxy forwards every request to ``langgraph dev`` unchanged and streams
the answer back as it arrives, keeping the request line and headers, so a
test can prove what actually went over the wire to the server.
"""

from __future__ import annotations

import http.client
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

import lgsync
from lgsync.devserver import DevServer

# Hop-by-hop headers are the proxy's own business, never forwarded.
_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}
)


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the proxy received it (header names lower-cased)."""

    method: str
    target: str
    headers: dict[str, str]

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)


@dataclass
class RecordingProxy:
    """A forwarding HTTP proxy on 127.0.0.1 that records what it forwards."""

    upstream_host: str
    upstream_port: int
    requests: list[RecordedRequest] = field(default_factory=list)
    url: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def recorded(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self.requests)


def _handler_for(proxy: RecordingProxy) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: the answer ends when the connection closes, so a stream
        # can be relayed piece by piece without re-chunking it.
        protocol_version = "HTTP/1.0"

        def _forward(self) -> None:
            headers = {name.lower(): value for name, value in self.headers.items()}
            proxy.record(RecordedRequest(self.command, self.path, headers))
            length = int(headers.get("content-length", "0") or 0)
            body = self.rfile.read(length) if length else None
            upstream = http.client.HTTPConnection(proxy.upstream_host, proxy.upstream_port, timeout=60)
            try:
                upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for name, value in self.headers.items():
                    if name.lower() not in _HOP_BY_HOP:
                        upstream.putheader(name, value)
                upstream.endheaders(body)
                answer = upstream.getresponse()
                self.send_response_only(answer.status, answer.reason)
                for name, value in answer.getheaders():
                    if name.lower() not in _HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.flush()
                while True:
                    piece = answer.read1(65536)
                    if not piece:
                        break
                    self.wfile.write(piece)
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client went away: stop relaying, which closes upstream too
            finally:
                upstream.close()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def recording_proxy(langgraph_server: DevServer) -> Iterator[RecordingProxy]:
    """A recording proxy in front of the session's LangGraph server."""
    upstream = urlsplit(langgraph_server.url)
    proxy = RecordingProxy(upstream.hostname or "127.0.0.1", int(upstream.port or 80))
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(proxy))
    server.daemon_threads = True
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="recording-proxy", daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def proxied_client(recording_proxy: RecordingProxy, transport_name: str) -> Iterator[lgsync.SyncClient]:
    """An lgsync client that reaches the real server through ``recording_proxy``."""
    with lgsync.get_sync_client(url=recording_proxy.url, api_key=None, transport=transport_name) as c:
        yield c
