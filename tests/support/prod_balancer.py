"""A small TCP balancer in front of several server replicas, for the production-shaped tests.

Each new client connection goes to the first replica, in the order given,
that accepts a TCP connection right now; a replica that is down is skipped.
Bytes are forwarded both ways unchanged, so ``text/event-stream`` answers
pass unbuffered. When the replica of a connection dies, the client's side of
that connection is closed too, and the client's next connection goes to the
next live replica: what a load balancer does when a backend goes away.

It also reads the requests going through (request line and headers, never
changing them), so a test can tell which replica served which request, and
what the client sent on a reconnect.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

__all__ = ["Balancer", "ForwardedRequest"]

_CONNECT_TIMEOUT = 1.0
_HEAD_LIMIT = 64 * 1024


@dataclass(frozen=True)
class ForwardedRequest:
    """One request the balancer passed on: which backend got it, its line and headers (names lower-cased)."""

    backend: int
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
class _Connection:
    backend: int
    client: socket.socket
    upstream: socket.socket
    open_requests: list[ForwardedRequest] = field(default_factory=list)


class _RequestReader:
    """Finds the request heads in the bytes a client sends (bodies by Content-Length)."""

    def __init__(self) -> None:
        self._buffer = b""
        self._body_left = 0

    def feed(self, data: bytes) -> list[tuple[str, str, dict[str, str]]]:
        heads: list[tuple[str, str, dict[str, str]]] = []
        self._buffer += data
        while True:
            if self._body_left:
                taken = min(self._body_left, len(self._buffer))
                self._buffer = self._buffer[taken:]
                self._body_left -= taken
                if self._body_left:
                    return heads
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > _HEAD_LIMIT:
                    self._buffer = b""  # not HTTP we can read: forward it, record nothing
                return heads
            head, self._buffer = self._buffer[:end], self._buffer[end + 4 :]
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3:
                continue
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                headers[name.strip().lower()] = value.strip()
            heads.append((parts[0], parts[1], headers))
            try:
                self._body_left = int(headers.get("content-length", "0") or 0)
            except ValueError:
                self._body_left = 0


class Balancer:
    """``Balancer([port_a, port_b])``: listen on a free 127.0.0.1 port, forward to the first live port.

    ``url`` is where clients connect. ``requests()`` lists what was
    forwarded, with the index of the backend that got it;
    ``open_streams(backend)`` the requests whose connection is still open
    there. ``close()`` stops it and drops every connection.
    """

    def __init__(self, backend_ports: list[int]) -> None:
        self.backend_ports = list(backend_ports)
        self._lock = threading.Lock()
        self._requests: list[ForwardedRequest] = []
        self._open: dict[int, _Connection] = {}
        self._closed = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port = int(self._listener.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._accept_loop, name="prod-balancer", daemon=True)
        self._thread.start()

    # -- what went through ------------------------------------------------

    def requests(self) -> list[ForwardedRequest]:
        with self._lock:
            return list(self._requests)

    def open_streams(self, backend: int, path_suffix: str = "/stream") -> list[ForwardedRequest]:
        """Requests to ``backend`` whose path ends with ``path_suffix``, on connections still open."""
        with self._lock:
            return [
                request
                for conn in self._open.values()
                if conn.backend == backend
                for request in conn.open_requests
                if request.path.endswith(path_suffix)
            ]

    # -- forwarding ---------------------------------------------------------

    def _connect_first_live(self) -> tuple[int, socket.socket] | None:
        for index, port in enumerate(self.backend_ports):
            try:
                upstream = socket.create_connection(("127.0.0.1", port), timeout=_CONNECT_TIMEOUT)
            except OSError:
                continue
            upstream.settimeout(None)
            return index, upstream
        return None

    def _accept_loop(self) -> None:
        while not self._closed.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            picked = self._connect_first_live()
            if picked is None:
                client.close()  # no replica is up: the client sees a refused/closed connection
                continue
            backend, upstream = picked
            conn = _Connection(backend, client, upstream)
            with self._lock:
                self._open[id(conn)] = conn
            threading.Thread(target=self._pump_requests, args=(conn,), daemon=True).start()
            threading.Thread(target=self._pump_answers, args=(conn,), daemon=True).start()

    def _pump_requests(self, conn: _Connection) -> None:
        reader = _RequestReader()
        try:
            while True:
                data = conn.client.recv(65536)
                if not data:
                    break
                heads = reader.feed(data)
                if heads:
                    with self._lock:
                        for method, target, headers in heads:
                            request = ForwardedRequest(conn.backend, method, target, headers)
                            self._requests.append(request)
                            conn.open_requests.append(request)
                conn.upstream.sendall(data)
        except OSError:
            pass
        self._finish(conn)

    def _pump_answers(self, conn: _Connection) -> None:
        try:
            while True:
                data = conn.upstream.recv(65536)
                if not data:
                    break
                conn.client.sendall(data)
        except OSError:
            pass
        self._finish(conn)

    def _finish(self, conn: _Connection) -> None:
        with self._lock:
            if self._open.pop(id(conn), None) is None:
                return
        for sock in (conn.client, conn.upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def close(self) -> None:
        self._closed.set()
        try:
            self._listener.close()
        except OSError:
            pass
        with self._lock:
            conns = list(self._open.values())
        for conn in conns:
            self._finish(conn)
        self._thread.join(timeout=5)
