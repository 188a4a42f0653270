"""A loopback TCP proxy that injects faults between lgsync and a real server.

It forwards bytes both ways and, on the responses to stream requests (a
request line containing ``/stream``), can cut the connection after a given
number of bytes or stall it (hold it open, forwarding nothing).
"""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field


@dataclass
class Fault:
    """What to do to the next stream response: after ``after`` bytes, ``cut`` or ``stall``."""

    after: int
    kind: str = "cut"  # "cut" or "stall"


@dataclass
class ProxyStats:
    connections: int = 0
    streams: int = 0
    faults_injected: int = 0
    stream_requests: list[bytes] = field(default_factory=list)


class FaultProxy:
    """``FaultProxy(upstream_port)``: listen on 127.0.0.1, forward to ``upstream_port``.

    ``plan`` holds the faults to inject, one per stream response, in order;
    when it is empty, streams pass untouched. ``close()`` stops listening and
    drops every open connection (the "server gone" case).
    """

    def __init__(self, upstream_port: int, *, upstream_host: str = "127.0.0.1") -> None:
        self.upstream = (upstream_host, upstream_port)
        self.plan: deque[Fault] = deque()
        self.stats = ProxyStats()
        self._lock = threading.Lock()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._sockets: set[socket.socket] = set()
        self._held: list[socket.socket] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="fault-proxy", daemon=True)
        self._thread.start()

    def add_faults(self, *faults: Fault) -> None:
        with self._lock:
            self.plan.extend(faults)

    def _next_fault(self) -> Fault | None:
        with self._lock:
            return self.plan.popleft() if self.plan else None

    def _track(self, *socks: socket.socket) -> None:
        with self._lock:
            self._sockets.update(socks)

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)
            self._track(client, upstream)
            self.stats.connections += 1
            state = _Connection(self, client, upstream)
            threading.Thread(target=state.client_to_server, daemon=True).start()
            threading.Thread(target=state.server_to_client, daemon=True).start()

    def close(self) -> None:
        """Stop listening and drop every connection, as a server that went away."""
        self._closed.set()
        # shutdown() wakes the thread blocked in accept(); close() alone does not.
        _hard_close(self._listener)
        with self._lock:
            socks, self._sockets = list(self._sockets), set()
        for sock in socks:
            _hard_close(sock)


def _hard_close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class _Connection:
    """One proxied connection; arms a fault when the client sends a stream request."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, upstream: socket.socket) -> None:
        self.proxy = proxy
        self.client = client
        self.upstream = upstream
        self.fault: Fault | None = None
        self.sent = 0
        self.cond = threading.Condition()

    def client_to_server(self) -> None:
        try:
            while True:
                data = self.client.recv(65536)
                if not data:
                    break
                line = data.split(b"\r\n", 1)[0]
                if line.split(b" ")[0] in (b"GET", b"POST") and b"/stream" in line:
                    self.proxy.stats.streams += 1
                    self.proxy.stats.stream_requests.append(data)
                    with self.cond:
                        self.fault = self.proxy._next_fault()
                        self.sent = 0
                self.upstream.sendall(data)
        except OSError:
            pass
        if self.upstream not in self.proxy._held:
            _hard_close(self.upstream)

    def server_to_client(self) -> None:
        try:
            while True:
                data = self.upstream.recv(65536)
                if not data:
                    break
                with self.cond:
                    fault = self.fault
                    if fault is not None and self.sent + len(data) >= fault.after:
                        keep = fault.after - self.sent
                        if keep > 0:
                            self.client.sendall(data[:keep])
                        self.proxy.stats.faults_injected += 1
                        self.fault = None
                        if fault.kind == "stall":
                            # A half-open connection: the server never learns
                            # that the client left, so it does not cancel.
                            self.proxy._held.append(self.upstream)
                            self._stall()
                            _hard_close(self.client)
                            return
                        _hard_close(self.client)
                        _hard_close(self.upstream)
                        return
                    self.sent += len(data)
                self.client.sendall(data)
        except OSError:
            pass
        finally:
            _hard_close(self.client)

    def _stall(self) -> None:
        """Forward nothing, keep the socket open, until the client gives up (or 120 s)."""
        self.client.settimeout(0.2)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not self.proxy._closed.is_set():
            try:
                if self.client.recv(1) == b"":
                    return
            except socket.timeout:
                continue
            except OSError:
                return
