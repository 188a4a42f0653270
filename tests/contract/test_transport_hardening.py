"""The transports keep their promises against hostile input and odd environments.

Header names merge case-insensitively and values are checked before they
travel; no library exception escapes; a redirect body is never read; proxy
credentials are sent; sessions do not pile up per thread.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Callable

import pytest

import lgsync
from lgsync._headers import HeaderDict, Headers, check_header_value, merge_headers
from lgsync.errors import LangGraphError
from tests.support.sse_server import ScriptedServer, json_script

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
        with conn:
            data = b""
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
def raw_server() -> Iterator[Callable[[Callable[[socket.socket, RawRequest], int]], RawServer]]:
    made: list[RawServer] = []

    def make(answer: Callable[[socket.socket, RawRequest], int]) -> RawServer:
        made.append(RawServer(answer))
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


@pytest.mark.parametrize("stream", [False, True], ids=["whole", "stream"])
def test_each_header_name_goes_on_the_wire_once_with_the_callers_value(
    raw_server: Callable[..., RawServer], transport: lgsync.Transport, stream: bool
) -> None:
    server = raw_server(_answer_ok)
    headers = {
        "User-Agent": "lgsync/0",
        "user-agent": "mine",
        "content-type": "text/plain",
        "accept-encoding": "br",
        "accept": "application/x-mine",
    }

    transport.send(
        lgsync.Request("POST", server.url + "/threads", headers, body=b"{}"), stream=stream, timeout=TIMEOUT
    ).close()

    (seen,) = server.requests
    assert seen.values("user-agent") == ["mine"]
    assert seen.values("content-type") == ["text/plain"]
    assert seen.values("accept-encoding") == ["br"]
    assert seen.values("accept") == ["application/x-mine"]
    assert len(seen.values("content-length")) == 1


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
