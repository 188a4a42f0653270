"""A scriptable, threaded stdlib HTTP server on 127.0.0.1 for fault-injection tests.

Each route answers with a :class:`Script` (status, headers, framing, then actions such as
send, sleep, trickle, cut, stall); every request and every sign that the client went away
is recorded, so a test can check what lgsync sent and when it let go of a connection.

Example::

    server = ScriptedServer().start()
    server.route("GET", "/s", Script(headers=SSE, actions=[Send(sse_event(data=1)), Stall()]))
    ...
    assert server.requests_to("/s")[0].client_gone.wait(2)
    server.stop()
"""

from __future__ import annotations

import json
import re
import select
import socket
import socketserver
import struct
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any, Callable, Union
from urllib.parse import parse_qs, urlsplit

from lgsync._sse_encoder import encode_event, json_data

__all__ = [
    "SSE",
    "Action",
    "Answer",
    "Cut",
    "RecordedRequest",
    "Raw",
    "Script",
    "ScriptedServer",
    "Send",
    "Sleep",
    "Stall",
    "Trickle",
    "events_after",
    "json_script",
    "sse_event",
]

#: Headers of an event-stream answer.
SSE: dict[str, str] = {"Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-store"}


@dataclass(frozen=True)
class Send:
    """Write ``data``: one chunk of a chunked body, or the bytes as they are otherwise."""

    data: bytes


@dataclass(frozen=True)
class Raw:
    """Write ``data`` without chunk framing (a chunk header that lies, a bad chunk size)."""

    data: bytes


@dataclass(frozen=True)
class Sleep:
    """Send nothing for ``seconds``; ends the script early if the client goes away."""

    seconds: float


@dataclass(frozen=True)
class Trickle:
    """Write ``data`` in pieces of ``size`` bytes (or the given ``pieces``), ``delay`` apart."""

    data: bytes = b""
    size: int = 1
    delay: float = 0.0
    pieces: Sequence[bytes] | None = None

    def parts(self) -> list[bytes]:
        if self.pieces is not None:
            return [bytes(p) for p in self.pieces if p]
        return [self.data[i : i + self.size] for i in range(0, len(self.data), self.size)]


@dataclass(frozen=True)
class Cut:
    """Close the connection at once, mid-body: a FIN, or with ``reset`` a TCP RST."""

    reset: bool = False


@dataclass(frozen=True)
class Stall:
    """Send nothing and hold the connection until the client goes away or ``seconds`` pass.

    The connection is then closed (no terminating chunk), as a hung server would be.
    """

    seconds: float = 10.0


Action = Union[Send, Raw, Sleep, Trickle, Cut, Stall]


@dataclass
class Script:
    """One answer.

    ``framing``: ``"chunked"`` (each ``Send`` is one chunk; the ``0`` chunk ends the body
    unless ``finish`` is false or the script was cut), ``"length"`` (``Content-Length`` is
    ``content_length`` or the sum of what the actions send), or ``"close"`` (an HTTP/1.0
    style body delimited by closing the connection). ``delay`` holds the status line back;
    ``head``, if given, is written instead of the status line and headers (a broken answer).
    """

    status: int = 200
    headers: dict[str, str] | list[tuple[str, str]] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)
    framing: str = "chunked"
    content_length: int | None = None
    finish: bool = True
    delay: float = 0.0
    reason: str = ""
    head: bytes | None = None


#: What a route answers: a script, scripts used in turn (the last one repeats), or a
#: function of the recorded request.
Answer = Union[Script, Sequence[Script], Callable[["RecordedRequest"], Script]]


@dataclass
class RecordedRequest:
    """A request as the server received it, and what became of its answer."""

    method: str
    path: str
    raw_query: str
    headers: dict[str, str]
    body: bytes
    connection_id: int
    received_at: float
    #: Every header line as received, repeated names included.
    raw_headers: list[tuple[str, str]] = field(default_factory=list)
    #: ``(monotonic time the write began, payload without chunk framing)`` per write.
    sent: list[tuple[float, bytes]] = field(default_factory=list)
    client_gone: threading.Event = field(default_factory=threading.Event)
    client_gone_at: float | None = None
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.raw_query, keep_blank_values=True)

    def header(self, name: str) -> str | None:
        """A request header, case-insensitively (``None`` if absent)."""
        return self.headers.get(name.lower())

    def header_values(self, name: str) -> list[str]:
        """Every value sent for header ``name``, case-insensitively, in order."""
        return [v for k, v in self.raw_headers if k.lower() == name.lower()]

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def sse_event(data: Any = None, *, event: str | None = None, id: str | None = None) -> bytes:
    """One event through lgsync's SSE encoder: ``data`` as JSON (``str`` and ``bytes`` sent as text, line by line)."""
    if isinstance(data, (bytes, str)):
        text: str | None = data.decode() if isinstance(data, bytes) else data
    else:
        text = None if data is None and event is not None else json_data(data)
    return encode_event(event, text, id=id)


def json_script(obj: Any, status: int = 200, headers: dict[str, str] | None = None) -> Script:
    """A complete JSON answer with ``Content-Length``."""
    merged = {"Content-Type": "application/json", **(headers or {})}
    return Script(status=status, headers=merged, actions=[Send(json.dumps(obj).encode())], framing="length")


_EVENT_ID = re.compile(r"(\d+)-(\d+)")


def events_after(events: Sequence[tuple[str, bytes]], last_event_id: str | None) -> list[bytes]:
    """The encoded events whose ``<ms>-<seq>`` id is strictly greater, as the LangGraph server replays.

    ``events`` are ``(id, encoded event)`` pairs; ``None`` replays everything.
    """
    if last_event_id is None:
        return [encoded for _, encoded in events]
    match = _EVENT_ID.fullmatch(last_event_id)
    if match is not None:
        floor = (int(match[1]), int(match[2]))
    elif last_event_id.isdigit():
        floor = (int(last_event_id), 0)  # "0" asks for everything
    else:
        raise ValueError(f"not a <ms>-<seq> id: {last_event_id!r}")
    kept = []
    for event_id, encoded in events:
        own = _EVENT_ID.fullmatch(event_id)
        assert own is not None, event_id
        if (int(own[1]), int(own[2])) > floor:
            kept.append(encoded)
    return kept


class _ClientGone(Exception):
    pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _TCPServer

    def setup(self) -> None:
        super().setup()
        self.connection_id = self.server.owner._register(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._unregister(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _serve(self) -> None:
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        record = RecordedRequest(
            method=self.command,
            path=parts.path,
            raw_query=parts.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            raw_headers=list(self.headers.items()),
            body=body,
            connection_id=self.connection_id,
            received_at=time.monotonic(),
        )
        owner._record(record)
        try:
            self._play(owner._script_for(record), record)
        except _ClientGone:
            record.client_gone_at = time.monotonic()
            record.client_gone.set()
            self.close_connection = True
        finally:
            record.done.set()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve

    def _write(self, data: bytes, record: RecordedRequest, payload: bytes | None = None) -> None:
        started = time.monotonic()  # before the write: no byte can arrive earlier
        try:
            self.connection.sendall(data)
        except OSError as exc:
            raise _ClientGone() from exc
        record.sent.append((started, data if payload is None else payload))

    def _wait(self, seconds: float) -> None:
        """Sleep, but notice at once a client that closes its end."""
        deadline = time.monotonic() + seconds
        owner = self.server.owner
        while not owner._stopping.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            readable, _, _ = select.select([self.connection], [], [], min(remaining, 0.05))
            if readable:
                try:
                    peeked = self.connection.recv(1, socket.MSG_PEEK)
                except OSError as exc:
                    raise _ClientGone() from exc
                if not peeked:
                    raise _ClientGone()
                time.sleep(min(remaining, 0.01))  # the client sent more; keep holding

    def _play(self, script: Script, record: RecordedRequest) -> None:
        if script.delay:
            self._wait(script.delay)
        framing = script.framing
        chunked = framing == "chunked"
        version = "HTTP/1.0" if framing == "close" else "HTTP/1.1"
        reason = script.reason or self.responses.get(script.status, ("Unknown",))[0]
        headers = list(script.headers.items()) if isinstance(script.headers, dict) else list(script.headers)
        names = {name.lower() for name, _ in headers}
        if chunked:
            headers.append(("Transfer-Encoding", "chunked"))
        elif framing == "length" and "content-length" not in names:
            size = script.content_length
            if size is None:
                size = sum(
                    len(a.data) if isinstance(a, (Send, Raw)) else sum(map(len, a.parts()))
                    for a in script.actions
                    if isinstance(a, (Send, Raw, Trickle))
                )
            headers.append(("Content-Length", str(size)))
        elif framing == "close":
            headers.append(("Connection", "close"))
            self.close_connection = True
        head = f"{version} {script.status} {reason}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n"
        self._write(head.encode("latin-1") if script.head is None else script.head, record, b"")

        def frame(data: bytes) -> bytes:
            return b"%x\r\n%s\r\n" % (len(data), data) if chunked else data

        for action in script.actions:
            if isinstance(action, Send):
                self._write(frame(action.data), record, action.data)
            elif isinstance(action, Raw):
                self._write(action.data, record)
            elif isinstance(action, Sleep):
                self._wait(action.seconds)
            elif isinstance(action, Trickle):
                for i, piece in enumerate(action.parts()):
                    if i and action.delay:
                        self._wait(action.delay)
                    self._write(frame(piece), record, piece)
            elif isinstance(action, Cut):
                self._cut(action.reset)
                return
            elif isinstance(action, Stall):
                self._wait(action.seconds)
                self._cut(False)
                return
            else:
                raise TypeError(f"unknown action {action!r}")
        if chunked and script.finish:
            self._write(b"0\r\n\r\n", record, b"")
        elif chunked:
            self._cut(False)

    def _cut(self, reset: bool) -> None:
        self.close_connection = True
        try:
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                # Close the descriptor itself: the handler's file objects would delay close().
                socket.socket(fileno=self.connection.detach()).close()
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False
    owner: ScriptedServer


class ScriptedServer:
    """The server: ``route()`` answers, ``start()``/``stop()``, and the record of ``requests``."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], Answer] = {}
        self._turns: dict[tuple[str, str], int] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._connections: dict[int, socket.socket] = {}
        self._next_connection = 0
        self._tcp: _TCPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        assert self._tcp is not None, "server not started"
        return int(self._tcp.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ScriptedServer:
        self._tcp = _TCPServer(("127.0.0.1", 0), _Handler)
        self._tcp.owner = self
        self._thread = threading.Thread(target=self._tcp.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection (stalled answers end at once)."""
        self._stopping.set()
        if self._tcp is not None:
            self._tcp.shutdown()
            self._tcp.server_close()
        with self._lock:
            connections = list(self._connections.values())
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def route(self, method: str, path: str, answer: Answer) -> None:
        """Answer ``method path`` (path without query) with ``answer``; other paths get a 404."""
        with self._lock:
            self._routes[(method.upper(), path)] = answer
            self._turns[(method.upper(), path)] = 0

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str, method: str | None = None) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path and (method is None or r.method == method.upper())]

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """Block until ``count`` requests arrived; raise ``TimeoutError`` after ``timeout`` seconds."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._requests) >= count, timeout):
                raise TimeoutError(f"{len(self._requests)} of {count} requests arrived within {timeout}s")
            return list(self._requests)

    def _record(self, record: RecordedRequest) -> None:
        with self._arrived:
            self._requests.append(record)
            self._arrived.notify_all()

    def _script_for(self, record: RecordedRequest) -> Script:
        key = (record.method, record.path)
        with self._lock:
            answer = self._routes.get(key)
            turn = self._turns.get(key, 0)
            self._turns[key] = turn + 1
        if answer is None:
            return json_script({"detail": f"no route for {record.method} {record.path}"}, status=404)
        if isinstance(answer, Script):
            return answer
        if callable(answer):
            return answer(record)
        scripts = list(answer)
        return scripts[min(turn, len(scripts) - 1)]

    def _register(self, conn: socket.socket) -> int:
        with self._lock:
            self._next_connection += 1
            self._connections[self._next_connection] = conn
            return self._next_connection

    def _unregister(self, conn: socket.socket) -> None:
        with self._lock:
            for key, value in list(self._connections.items()):
                if value is conn:
                    del self._connections[key]
