"""The transports keep their promises against hostile input and odd environments.

Header names merge case-insensitively and values are checked before they
travel; no library exception escapes; a redirect body is never read; proxy
credentials are sent; sessions do not pile up per thread.
"""

from __future__ import annotations

import base64
import os
import random
import re
import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

import lgsync
from lgsync._headers import HeaderDict, Headers, check_header_value, merge_headers
from lgsync.errors import APIConnectionError, LangGraphError
from tests.support.sse_server import SSE, Script, ScriptedServer, Send, Stall, json_script, sse_event

SECRET = "sk-secret-0123456789"
TIMEOUT = lgsync.Timeout(connect=2.0, read=5.0, stream_idle=5.0)
PROXY_VARIABLES = (
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "HTTPS_PROXY",
    "all_proxy",
    "ALL_PROXY",
    "no_proxy",
    "NO_PROXY",
)


@pytest.fixture(autouse=True)
def no_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@dataclass
class RawRequest:
    """A request head as it came off the wire: the request line and every header line, in order."""

    line: str
    headers: list[tuple[str, str]]
    body: bytes = b""

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key.lower() == name.lower()]


@dataclass
class RawServer:
    """A loopback server that reads one request per connection and hands the socket to ``answer``.

    It records each request head byte for byte (repeated headers stay repeated), and
    ``answer`` may report how many body bytes it managed to send.
    """

    answer: Callable[[socket.socket, RawRequest], int]
    #: False: answer the moment a connection opens, without waiting for a request head.
    reads_request: bool = True
    #: Speak TLS with this context (a failed handshake ends the connection).
    tls: ssl.SSLContext | None = None
    requests: list[RawRequest] = field(default_factory=list)
    sent: list[int] = field(default_factory=list)
    finished: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        if self.tls is not None:
            try:
                conn = self.tls.wrap_socket(conn, server_side=True)
            except OSError:
                conn.close()
                return
        with conn:
            data = b"" if self.reads_request else b"\r\n\r\n"
            while b"\r\n\r\n" not in data and len(data) < 65536:
                more = conn.recv(65536)
                if not more:
                    return
                data += more
            head, _, rest = data.partition(b"\r\n\r\n")
            line, *header_lines = head.decode("latin-1").split("\r\n")
            headers = [(k.strip(), v.strip()) for k, _, v in (h.partition(":") for h in header_lines)]
            request = RawRequest(line, headers, rest)
            self.requests.append(request)
            try:
                self.sent.append(self.answer(conn, request))
            except OSError:
                self.sent.append(-1)
            finally:
                self.finished.set()

    def close(self) -> None:
        self._listener.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[..., RawServer]]:
    made: list[RawServer] = []

    def make(
        answer: Callable[[socket.socket, RawRequest], int],
        reads_request: bool = True,
        tls: ssl.SSLContext | None = None,
    ) -> RawServer:
        made.append(RawServer(answer, reads_request, tls))
        return made[-1]

    yield make
    for server in made:
        server.close()


def _answer_ok(conn: socket.socket, request: RawRequest) -> int:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
    )
    return 2


def _kind(transport: lgsync.Transport) -> type[lgsync.Transport]:
    return lgsync.RequestsTransport if isinstance(transport, lgsync.RequestsTransport) else lgsync.Urllib3Transport


def _assert_lgsync_error(exc: BaseException) -> None:
    assert isinstance(exc, LangGraphError), repr(exc)
    assert type(exc).__module__.startswith("lgsync"), type(exc)


# Header mapping, merging and validation.


def test_header_dict_keeps_each_name_once_in_the_case_last_set() -> None:
    headers = HeaderDict({"user-agent": "a", "Accept": "x"})
    headers["User-Agent"] = "b"

    assert list(headers.items()) == [("User-Agent", "b"), ("Accept", "x")]
    assert headers["USER-AGENT"] == "b"
    assert "accept" in headers
    del headers["ACCEPT"]
    assert dict(headers) == {"User-Agent": "b"}
    assert headers.setdefault("user-agent", "c") == "b"
    assert headers == {"user-agent": "b"}


def test_header_dict_repr_shows_names_not_values() -> None:
    assert SECRET not in repr(HeaderDict({"x-api-key": SECRET}))


def test_merge_headers_later_layers_win_case_insensitively() -> None:
    merged = merge_headers(
        {"User-Agent": "lgsync", "Content-Type": "application/json"},
        None,
        {"user-agent": "mine"},
        [("CONTENT-TYPE", "text/plain")],
    )

    assert dict(merged) == {"user-agent": "mine", "CONTENT-TYPE": "text/plain"}


def test_response_headers_are_read_only_and_join_repeats() -> None:
    headers = Headers([("X-A", "1"), ("x-a", "2")])

    assert headers["x-A"] == "1, 2"
    assert len(headers) == 1
    assert not hasattr(headers, "__setitem__")


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("X-Key", SECRET + "\r\nX-Evil: 1", "CR, LF or NUL"),
        ("X-Key", SECRET + "\0", "CR, LF or NUL"),
        ("X-Key", SECRET + "\x01", "control character"),
        ("X-Key", " " + SECRET, "whitespace"),
        ("X-Key", "\u00a0" + SECRET, "whitespace"),
        ("X-Key", SECRET + "\t", "whitespace"),
        ("X-Key", SECRET + "\u20ac", "Latin-1"),
        ("X Key", SECRET, "token"),
        ("X-Key\r\n", SECRET, "CR, LF or NUL"),
        ("", SECRET, "token"),
        ("X:Key", SECRET, "token"),
    ],
)
def test_a_header_that_cannot_travel_is_a_value_error_naming_it_without_its_value(
    name: str, value: str, why: str
) -> None:
    with pytest.raises(ValueError, match=why) as caught:
        check_header_value(name, value)

    assert repr(name.strip()) in str(caught.value) or repr(name) in str(caught.value)
    assert SECRET not in str(caught.value)


def test_header_values_that_can_travel_pass() -> None:
    for name, value in [("X-Ok", "fine value"), ("Last-Event-ID", "1-2"), ("X-Latin", "caf\u00e9"), ("X-E", "")]:
        check_header_value(name, value)
    check_header_value("X-Tab", "a\tb")


def test_a_header_that_is_not_a_str_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="X-Num"):
        check_header_value("X-Num", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        check_header_value(b"X", "v")  # type: ignore[arg-type]


def test_a_header_value_that_cannot_travel_is_a_value_error_on_both_transports(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    server.route("GET", "/ok", json_script({}))
    for value in (" " + SECRET, "\u00a0" + SECRET, SECRET + "\u20ac"):
        with pytest.raises(ValueError, match="Last-Event-ID") as caught:
            transport.send(lgsync.Request("GET", server.url + "/ok", {"Last-Event-ID": value}), timeout=TIMEOUT)
        assert SECRET not in str(caught.value)
    assert server.requests == []


# Item 8: each header name once on the wire, the caller's value winning.


def test_each_header_name_goes_on_the_wire_once_with_the_callers_value(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport
) -> None:
    server = raw_server(_answer_ok)
    headers = {
        "User-Agent": "lgsync/0",
        "user-agent": "mine",
        "content-type": "text/plain",
        "accept-encoding": "br",
        "accept": "application/x-mine",
    }

    transport.send(lgsync.Request("POST", server.url + "/threads", headers, body=b"{}"), timeout=TIMEOUT).close()

    (seen,) = server.requests
    assert seen.values("user-agent") == ["mine"]
    assert seen.values("content-type") == ["text/plain"]
    assert seen.values("accept-encoding") == ["br"]
    assert seen.values("accept") == ["application/x-mine"]
    assert len(seen.values("content-length")) == 1


@pytest.mark.parametrize("asked", [None, "gzip, deflate", "identity"])
def test_a_transport_sends_the_accept_encoding_it_is_given_and_adds_none(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport, asked: str | None
) -> None:
    # requests' sessions carry a default ``Accept-Encoding: gzip, deflate``; the client
    # alone says which encodings an answer may use (http.client's own "identity"
    # marks a request that names none).
    server = raw_server(_answer_ok)
    headers = {} if asked is None else {"Accept-Encoding": asked}

    transport.send(lgsync.Request("GET", server.url + "/ok", headers), timeout=TIMEOUT).close()

    (seen,) = server.requests
    assert seen.values("accept-encoding") == [asked or "identity"]


class _TransportOf010:
    """A user's transport written against lgsync 0.1.0: ``send(request, *, stream=False, timeout)``.

    Unless asked to stream it reads the whole body first and hands back a
    response of its own making, as such transports did.
    """

    def __init__(self, inner: lgsync.Transport) -> None:
        self._inner = inner
        self.streams_asked: list[bool] = []

    def send(self, request: lgsync.Request, *, stream: bool = False, timeout: lgsync.Timeout) -> lgsync.Response:
        self.streams_asked.append(stream)
        response = self._inner.send(request, timeout=timeout)
        if stream:
            return response
        try:
            return _ReadAhead(response.status_code, response.headers, response.url, response.read())
        finally:
            response.close()

    def close(self) -> None:
        self._inner.close()


@dataclass
class _ReadAhead:
    status_code: int
    headers: lgsync.transport.Headers
    url: str
    content: bytes

    def read(self) -> bytes:
        return self.content

    def iter_bytes(self) -> Iterator[bytes]:
        yield self.content

    def close(self) -> None:
        pass


def test_a_transport_written_for_0_1_0_still_serves_json_and_streams(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    stream_path = "/threads/t1/runs/stream"
    server.route("GET", "/threads/t1", json_script({"thread_id": "t1"}))
    server.route("POST", "/threads/t1/runs", json_script({"detail": "no such assistant"}, status=404))
    events = [sse_event({"run_id": "r1"}, event="metadata"), sse_event({"n": 1}, event="values")]
    server.route("POST", stream_path, Script(headers=SSE, actions=[Send(e) for e in events]))
    old = _TransportOf010(transport)

    with pytest.warns(DeprecationWarning, match="_TransportOf010.send takes `stream`"):
        client = lgsync.get_sync_client(url=server.url, api_key=None, transport=old)
    with client:
        assert client.threads.get("t1") == {"thread_id": "t1"}
        with pytest.raises(lgsync.errors.NotFoundError):
            client.runs.create("t1", "nobody")
        parts = list(client.runs.stream("t1", "agent", input={}, stream_mode="values"))

    assert [(p.event, p.data) for p in parts] == [("metadata", {"run_id": "r1"}), ("values", {"n": 1})]
    # Asked to stream, as 0.1.0 asked: answers come unread and lgsync reads them within its bounds.
    assert old.streams_asked == [True, True, True]


def test_a_transport_written_for_0_1_0_delivers_a_stream_event_by_event(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    """Without ``stream=True`` such a transport would hold every event back until the run's stream ended."""
    first = sse_event({"run_id": "r1"}, event="metadata")
    server.route("GET", "/threads/t1/runs/r1/stream", Script(headers=SSE, actions=[Send(first), Stall(30)]))
    old = _TransportOf010(transport)
    with pytest.warns(DeprecationWarning):
        client = lgsync.get_sync_client(url=server.url, api_key=None, transport=old)
    seen: list[str] = []

    def read_one() -> None:
        stream = client.runs.join_stream("t1", "r1")
        try:
            seen.append(next(iter(stream)).event)
        finally:
            stream.abort()

    reader = threading.Thread(target=read_one, daemon=True)
    reader.start()
    reader.join(15)  # a deadline guard: the server stalls 30 s after the first event
    client.close()
    assert seen == ["metadata"]


def test_a_transport_replaced_after_the_client_was_made_gets_the_arguments_its_send_takes(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    server.route("GET", "/threads/t1", json_script({"thread_id": "t1"}))
    with lgsync.get_sync_client(url=server.url, api_key=None, transport=transport) as client:
        assert client.threads.get("t1") == {"thread_id": "t1"}
        old = _TransportOf010(transport)
        client.http.transport = old
        with pytest.warns(DeprecationWarning):
            assert client.threads.get("t1") == {"thread_id": "t1"}
        assert old.streams_asked == [True]


def test_each_header_name_goes_once_through_an_http_proxy(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = raw_server(_answer_ok)
    monkeypatch.setenv("HTTP_PROXY", proxy.url)

    transport.send(
        lgsync.Request("GET", "http://lgsync.invalid/threads", {"accept": "application/json"}), timeout=TIMEOUT
    ).close()

    (seen,) = proxy.requests
    assert seen.line.startswith("GET http://lgsync.invalid/threads")
    assert seen.values("accept") == ["application/json"]
    assert seen.values("host") == ["lgsync.invalid"]


def test_client_headers_in_another_case_replace_the_default_user_agent(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport
) -> None:
    server = raw_server(_answer_ok)
    client = lgsync.get_sync_client(
        url=server.url, api_key=None, transport=transport, headers={"user-agent": "mine"}, retry=lgsync.Retry.disabled()
    )

    client.threads.get("t1")

    (seen,) = server.requests
    assert seen.values("user-agent") == ["mine"]


# Item 6: no session or socket left behind per thread.


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def _settles(condition: Callable[[], bool], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_threads_that_make_one_call_each_leave_no_sessions_or_sockets_behind(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    server.route("GET", "/ok", json_script({"ok": True}))
    url = server.url + "/ok"

    def read_and_close() -> None:
        # As lgsync reads a JSON answer: to the end, so the connection goes back to the pool.
        response = transport.send(lgsync.Request("GET", url), timeout=TIMEOUT)
        try:
            assert response.read() == b'{"ok": true}'
        finally:
            response.close()

    read_and_close()
    before = _open_descriptors()
    failures: list[BaseException] = []

    def one_call() -> None:
        try:
            read_and_close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=one_call) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    assert len(server.requests_to("/ok")) == 201
    # At most a pool's worth (10) of idle connections stay open, each a descriptor
    # here and one in the server's handler; a session per thread would keep 200 of each.
    assert _settles(lambda: _open_descriptors() <= before + 2 * 10 + 4), _open_descriptors() - before
    if isinstance(transport, lgsync.RequestsTransport):
        assert transport.open_sessions <= 10

    transport.close()

    assert _settles(lambda: _open_descriptors() <= before), _open_descriptors() - before


def test_close_reaches_a_session_lent_to_an_open_stream(server: ScriptedServer) -> None:
    server.route("GET", "/ok", json_script({"ok": True}))
    transport = lgsync.RequestsTransport()
    streaming = transport.send(lgsync.Request("GET", server.url + "/ok"), timeout=TIMEOUT)
    read_whole = transport.send(lgsync.Request("GET", server.url + "/ok"), timeout=TIMEOUT)
    assert read_whole.read() == b'{"ok": true}'
    read_whole.close()  # its session goes back to the idle ones
    assert transport.open_sessions == 2

    transport.close()
    assert transport.open_sessions == 1  # the lent one is closed when its response is
    assert streaming.read() == b'{"ok": true}'
    streaming.close()

    assert transport.open_sessions == 0
    assert transport.send(lgsync.Request("GET", server.url + "/ok"), timeout=TIMEOUT).status_code == 200


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_close_after_abort_closes_the_socket_and_gives_the_session_back(
    server: ScriptedServer, transport: lgsync.Transport
) -> None:
    server.route("GET", "/s", Script(headers=SSE, actions=[Send(sse_event(data=1)), Stall(10)]))
    before = _open_descriptors()
    response = transport.send(lgsync.Request("GET", server.url + "/s"), timeout=TIMEOUT)
    chunks = response.iter_bytes()
    assert next(chunks).startswith(b"data: 1")

    response.abort()  # type: ignore[attr-defined]  # what Stream.abort() calls from another thread
    assert list(chunks) == []
    response.close()

    assert server.requests_to("/s")[0].client_gone.wait(5)
    assert _settles(lambda: _open_descriptors() <= before), _open_descriptors() - before
    if isinstance(transport, lgsync.RequestsTransport):
        assert transport.open_sessions == 1  # idle again, ready for the next call


# Item 7: proxy credentials from the environment.


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode("latin-1")).decode()


def test_proxy_credentials_in_http_proxy_are_sent_to_the_proxy(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = raw_server(_answer_ok)
    monkeypatch.setenv("HTTP_PROXY", f"http://us%40er:p%3Ass@127.0.0.1:{proxy.port}")

    response = transport.send(lgsync.Request("GET", "http://lgsync.invalid/threads"), timeout=TIMEOUT)

    assert response.status_code == 200
    (seen,) = proxy.requests
    assert seen.values("proxy-authorization") == [_basic("us@er", "p:ss")]


def _refuse_the_tunnel(conn: socket.socket, request: RawRequest) -> int:
    conn.sendall(
        b"HTTP/1.1 407 Proxy Authentication Required\r\n"
        b'Proxy-Authenticate: Basic realm="corp"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
    )
    return 0


def test_proxy_credentials_in_https_proxy_are_sent_on_the_connect(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport, monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy = raw_server(_refuse_the_tunnel)
    monkeypatch.setenv("HTTPS_PROXY", f"http://user:{SECRET}@127.0.0.1:{proxy.port}")

    with pytest.raises(APIConnectionError) as caught:
        transport.send(lgsync.Request("GET", "https://lgsync.invalid/threads"), timeout=TIMEOUT)

    (seen,) = proxy.requests
    assert seen.line.startswith("CONNECT lgsync.invalid:443 ")
    assert seen.values("proxy-authorization") == [_basic("user", SECRET)]
    _assert_lgsync_error(caught.value)
    assert "proxy" in str(caught.value)
    assert SECRET not in str(caught.value)


# Item 10: no library exception escapes, and connection errors say why.


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


def _tls_server(raw_server: Callable[..., RawServer], cert: Path, key: Path) -> RawServer:
    """A server speaking TLS with a self-signed certificate for 127.0.0.1; it answers 200 to whoever trusts it."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    server = raw_server(_answer_ok, tls=context)
    server.url = f"https://127.0.0.1:{server.port}"
    return server


def test_a_failed_certificate_check_names_the_reason(
    raw_server: Callable[..., RawServer],
    transport: lgsync.Transport,
    self_signed: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    server = _tls_server(raw_server, *self_signed)
    fresh = _kind(transport)()

    with pytest.raises(APIConnectionError) as caught:
        fresh.send(lgsync.Request("GET", server.url + "/ok", {"x-api-key": SECRET}), timeout=TIMEOUT)

    message = str(caught.value)
    assert "certificate verify failed" in message
    assert "self-signed certificate" in message or "self signed certificate" in message
    assert caught.value.request_sent is False
    assert SECRET not in message
    _assert_lgsync_error(caught.value)


def _close_at_once(conn: socket.socket, request: RawRequest) -> int:
    return 0


def _corrupt_gzip(conn: socket.socket, request: RawRequest) -> int:
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n"
        b"Content-Length: 12\r\nConnection: close\r\n\r\nnot gzip!!!!"
    )
    return 12


def _bad_chunk(conn: socket.socket, request: RawRequest) -> int:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n")
    return 2


@pytest.mark.parametrize("whole", [True, False], ids=["read", "iter_bytes"])
@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("port out of range", "URL is invalid.*Port out of range"),
        ("broken IPv6 literal", "URL is invalid.*Invalid IPv6"),
        ("unsupported proxy scheme", "proxy socks9://127.0.0.1:1 is invalid or unsupported"),
        ("broken proxy URL", "proxy .* is invalid or unsupported"),
        ("refused proxy", "through the proxy.*[Rr]efused"),
        ("TLS to a plain HTTP server", "TLS connection .* failed: .*SSL"),
        ("closed without an answer", "Remote end closed connection without response"),
        ("corrupt gzip body", "compressed body .* is corrupt"),
        ("bad chunk size", "closed before the body was complete"),
    ],
)
def test_no_library_exception_escapes_a_hostile_setup(
    raw_server: Callable[..., RawServer],
    transport: lgsync.Transport,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
    reason: str,
    whole: bool,
) -> None:
    answers = {
        "closed without an answer": _close_at_once,
        "corrupt gzip body": _corrupt_gzip,
        "bad chunk size": _bad_chunk,
    }
    server = raw_server(answers.get(case, _answer_ok), reads_request=not case.startswith("TLS"))
    url = {
        "port out of range": "http://127.0.0.1:99999/ok",
        "broken IPv6 literal": "http://[::1/ok",
        "TLS to a plain HTTP server": f"https://127.0.0.1:{server.port}/ok",
    }.get(case, server.url + "/ok")
    proxy = {
        "unsupported proxy scheme": "socks9://127.0.0.1:1",
        "broken proxy URL": f"http://user:{SECRET}@[::1",
        "refused proxy": f"http://user:{SECRET}@127.0.0.1:1",
    }.get(case)
    if proxy is not None:
        monkeypatch.setenv("HTTP_PROXY", proxy)
        url = "http://lgsync.invalid/ok"

    def call() -> None:
        response = transport.send(lgsync.Request("GET", url, {"x-api-key": SECRET}), timeout=TIMEOUT)
        try:
            response.read() if whole else b"".join(response.iter_bytes())
        finally:
            response.close()

    with pytest.raises(Exception) as caught:
        call()

    _assert_lgsync_error(caught.value)
    assert re.search(reason, str(caught.value)), str(caught.value)
    assert SECRET not in str(caught.value)


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE"])
def test_a_ca_bundle_in_the_environment_is_trusted_and_read_at_each_call(
    raw_server: Callable[..., RawServer],
    transport: lgsync.Transport,
    self_signed: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
) -> None:
    if variable == "SSL_CERT_FILE" and isinstance(transport, lgsync.RequestsTransport):
        pytest.skip("requests reads REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE only, and so does its transport")
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)
    server = _tls_server(raw_server, *self_signed)
    request = lgsync.Request("GET", server.url + "/ok")
    with pytest.raises(APIConnectionError, match="certificate verify failed"):
        transport.send(request, timeout=TIMEOUT)

    monkeypatch.setenv(variable, str(self_signed[0]))
    assert transport.send(request, timeout=TIMEOUT).read() == b"{}"

    monkeypatch.delenv(variable)
    if isinstance(transport, lgsync.RequestsTransport) and _requests_version() < (2, 32):
        return  # older requests reconnect a pooled connection with the CA settings it was made with
    with pytest.raises(APIConnectionError, match="certificate verify failed"):
        transport.send(request, timeout=TIMEOUT)


def _requests_version() -> tuple[int, ...]:
    import requests

    return tuple(int(part) for part in requests.__version__.split(".")[:2])


# Item 18: a redirect's body is never read.


def _redirect(location: bytes, body: str) -> Callable[[socket.socket, RawRequest], int]:
    """A 302 to ``location`` with a 200 MB body sent lazily, or a broken chunked body."""

    def answer(conn: socket.socket, request: RawRequest) -> int:
        head = b"HTTP/1.1 302 Found\r\nLocation: " + location + b"\r\n"
        if body == "huge":
            size = 200 * 1024 * 1024
            conn.sendall(head + b"Content-Length: %d\r\n\r\n" % size)
            block = b"x" * (1024 * 1024)
            sent = 0
            try:
                while sent < size:
                    sent += conn.send(block)
            except OSError:
                pass  # the client hung up: what it took is counted
            return sent
        conn.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n5\r\nab")
        conn.shutdown(socket.SHUT_RDWR)
        return 2

    return answer


@pytest.mark.parametrize(
    ("location", "body"),
    [(b"/next", "huge"), (b"/caf\xe9-\xff", "huge"), (b"/next", "broken"), (b"/caf\xe9-\xff", "broken")],
    ids=["huge", "huge-non-utf8-location", "broken", "broken-non-utf8-location"],
)
def test_a_redirect_comes_back_with_its_body_unread(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport, location: bytes, body: str
) -> None:
    server = raw_server(_redirect(location, body))
    outcome: list[lgsync.Response] = []
    caller = threading.Thread(
        target=lambda: outcome.append(transport.send(lgsync.Request("GET", server.url + "/start"), timeout=TIMEOUT)),
        daemon=True,
    )
    caller.start()
    caller.join(timeout=10)  # a deadline guard: reading 200 MB would take longer, or fail
    assert len(outcome) == 1, "send() did not return within 10 s"
    response = outcome[0]

    assert response.status_code == 302
    assert response.headers["location"] == location.decode("latin-1")
    response.close()

    assert server.finished.wait(10)
    (sent,) = server.sent
    assert 0 < sent < 64 * 1024 * 1024, sent  # what the socket buffers took before the client hung up


# Hostile answers, generated: whatever the bytes, only lgsync errors come out.

FUZZ_CASES = 500


def _hostile_answer(rng: random.Random) -> bytes:
    """One generated answer: a status line, headers and a body, each valid, odd or broken."""
    status = rng.choice(
        [b"HTTP/1.1 200 OK", b"HTTP/1.1 302 Found", b"HTTP/1.1 500 Oops", b"HTTP/1.0 200 OK", b"HTTP/1.1 99999 X"]
        + [b"HTTP/1.1 abc", b"HTTP/2 200", b"ICY 200 OK", b"", b"\x00\xff\xfe", b"HTTP/1.1 200"]
    )
    body = rng.choice([b"", b'{"a": 1}', b"data: 1\n\n", bytes(rng.randrange(256) for _ in range(rng.randrange(64)))])
    headers: list[bytes] = []
    framing = rng.choice(["length", "chunked", "close", "wrong length", "bad chunks", "none"])
    if framing == "length":
        headers.append(b"Content-Length: %d" % len(body))
    elif framing == "wrong length":
        headers.append(
            rng.choice([b"Content-Length: -1", b"Content-Length: x", b"Content-Length: 99999999999999999999"])
        )
        headers.append(b"Content-Length: %d" % (len(body) + rng.randrange(1, 100)))
    elif framing in ("chunked", "bad chunks"):
        headers.append(rng.choice([b"Transfer-Encoding: chunked", b"Transfer-Encoding: gzip, chunked"]))
        if framing == "chunked":
            body = (b"%x;ext=1\r\n%s\r\n" % (len(body), body) if body else b"") + b"0\r\nTrailer: x\r\n\r\n"
        else:
            body = (
                rng.choice([b"zz\r\n", b"-5\r\nabc", b"ffffffffffffffffffff\r\n", b"5\r\nab", b"3\r\nabcde\r\n"]) + body
            )
    for _ in range(rng.randrange(4)):
        headers.append(
            rng.choice(
                [
                    b"Content-Encoding: " + rng.choice([b"gzip", b"deflate", b"br", b"zstd", b"bogus", b"gzip, gzip"]),
                    b"Content-Type: text/event-stream",
                    b"Location: /caf\xe9\xff",
                    b"Location: http://[::1",
                    b"X-No-Colon",
                    b" folded: continuation",
                    b"X-Nul: a\x00b",
                    b"Retry-After: Wed, 21 Oct 99999 07:28:00 GMT",
                    b"X-Long: " + b"a" * 70000,
                ]
            )
        )
    if rng.random() < 0.05:
        headers.extend(b"X-Many-%d: 1" % i for i in range(120))
    answer = status + b"\r\n" + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body
    if rng.random() < 0.3:
        answer = answer[: rng.randrange(len(answer) + 1)]  # cut anywhere
    return answer


def test_no_library_exception_escapes_generated_hostile_answers(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport
) -> None:
    rng = random.Random(20260901)
    answers = [_hostile_answer(rng) for _ in range(FUZZ_CASES)]
    pending = list(answers)

    def answer(conn: socket.socket, request: RawRequest) -> int:
        data = pending.pop(0)
        conn.sendall(data)
        return len(data)

    server = raw_server(answer)
    quick = lgsync.Timeout(connect=2.0, read=2.0, stream_idle=2.0)
    escaped: list[tuple[int, BaseException]] = []
    for case in range(len(answers)):
        stream = bool(case % 2)
        try:
            response = transport.send(lgsync.Request("GET", server.url + "/x"), timeout=quick)
            try:
                if stream:
                    for _ in response.iter_bytes():
                        pass
                else:
                    response.read()
            finally:
                response.close()
        except LangGraphError:
            pass
        except BaseException as exc:
            escaped.append((case, exc))
        transport.close()  # a fresh connection for the next answer

    assert escaped == [], [(case, repr(exc), answers[case][:200]) for case, exc in escaped]
    assert pending == []
