"""``SSERelay``, the framework-free core of the Flask and Django adapters.

The end and error events, heartbeats and closing are checked with lgsync's
``MockTransport``; closing from another thread, cancel-on-disconnect and the
thread budget under werkzeug's threaded server against the real LangGraph server.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from gunicorn.config import KNOWN_SETTINGS
from werkzeug.serving import make_server

import lgsync
from lgsync.contrib import _wsgi_server
from lgsync.contrib._sse_relay import UPSTREAM_ERROR, SSERelay, encode_part
from lgsync.contrib._wsgi_server import client_socket, peer_left, warn_if_sync_worker
from lgsync.devserver import DevServer, free_port
from lgsync.schema import StreamPart
from lgsync.testing import MockTransport
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "examples"))
from flask_app import create_app  # noqa: E402

SECRET = "lgs-secret-api-key-0123456789"
INTERNAL = "http://langgraph.internal.example:8123"


def mock_client(transport: MockTransport, url: str = "http://langgraph.test") -> lgsync.SyncClient:
    return lgsync.get_sync_client(url=url, api_key=SECRET, transport=transport)


def events_of(chunks: list[bytes]) -> list[bytes]:
    return [chunk for chunk in chunks if not chunk.startswith(b":")]


def wait_for_status(client: lgsync.SyncClient, thread_id: str, run_id: str, deadline: float) -> str:
    status = ""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        status = client.runs.get(thread_id, run_id)["status"]
        if status not in ("pending", "running"):
            break
        time.sleep(0.1)
    return status


def test_encode_part_is_one_sse_event_with_one_line_of_json() -> None:
    encoded = encode_part(StreamPart("messages", [{"content": "a\nb"}, {}], "7-0"))
    assert encoded == b'event: messages\nid: 7-0\ndata: [{"content":"a\\nb"},{}]\n\n'
    assert encode_part(("bad\nname", None)) == b"event: bad name\ndata: null\n\n"


def test_the_relay_sends_exactly_one_end_when_the_server_sends_its_own() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0}), ("custom", {"i": 1}), ("end", None)])
    with mock_client(transport) as client:
        relay = SSERelay(client.runs.stream(None, "custom", stream_mode="custom"))
        out = list(relay)
        relay.close()
    assert out[0] == b": connected\n\n"
    assert events_of(out) == [
        b'event: custom\ndata: {"i":0}\n\n',
        b'event: custom\ndata: {"i":1}\n\n',
        b"event: end\ndata: null\n\n",
    ]
    assert relay.relayed == 2
    assert transport.responses[0].closed


def test_a_v2_stream_is_relayed_as_its_dicts_named_by_type() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0}), ("end", None)])
    with mock_client(transport) as client:
        relay = SSERelay(client.runs.stream(None, "custom", stream_mode="custom", version="v2"))
        out = list(relay)
        relay.close()
    assert events_of(out) == [
        b'event: custom\ndata: {"type":"custom","ns":[],"data":{"i":0},"interrupts":[]}\n\n',
        b"event: end\ndata: null\n\n",
    ]


def test_a_renamed_end_event_replaces_the_servers_end_and_none_sends_no_end() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0}), ("end", None)])
    with mock_client(transport) as client:
        renamed = events_of(list(SSERelay(client.runs.stream(None, "custom"), end_event="done")))
        silent = events_of(list(SSERelay(client.runs.stream(None, "custom"), end_event=None)))
    assert renamed == [b'event: custom\ndata: {"i":0}\n\n', b"event: done\ndata: null\n\n"]
    assert silent == [b'event: custom\ndata: {"i":0}\n\n']


def test_a_stream_without_an_end_of_its_own_still_gets_one_end() -> None:
    relay = SSERelay([StreamPart("custom", {"i": 0}), StreamPart("custom", {"i": 1})])
    assert events_of(list(relay))[-1:] == [b"event: end\ndata: null\n\n"]
    assert [chunk for chunk in relay] == []


def test_an_upstream_failure_is_one_generic_error_event_and_the_details_go_to_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    transport = MockTransport()
    # No Location: the drop cannot be resumed, so the stream raises with a message naming the server.
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0})], drop=True)
    with mock_client(transport, url=INTERNAL) as client, caplog.at_level(logging.DEBUG, logger="lgsync.contrib"):
        relay = SSERelay(client.runs.stream(None, "custom", stream_mode="custom"))
        out = list(relay)
    events = events_of(out)
    assert events == [b'event: custom\ndata: {"i":0}\n\n', encode_part(("error", dict(UPSTREAM_ERROR)))]
    assert UPSTREAM_ERROR == {"error": "upstream_error", "message": "The run's stream failed."}
    body = b"".join(out).decode()
    assert "internal" not in body and "8123" not in body and "end" not in body
    failures = [r for r in caplog.records if r.name == "lgsync.contrib" and r.levelno == logging.WARNING]
    assert len(failures) == 1
    logged = failures[0].getMessage()
    assert "after 1 parts" in logged and "StreamError" in logged
    assert all(SECRET not in record.getMessage() for record in caplog.records)
    assert SECRET not in caplog.text


def test_a_run_that_failed_on_the_server_keeps_its_own_error_event_then_one_end() -> None:
    transport = MockTransport()
    failed = {"error": "ValueError", "message": "the graph raised"}
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0}), ("error", failed)])
    with mock_client(transport) as client:
        events = events_of(list(SSERelay(client.runs.stream(None, "custom", stream_mode="custom"))))
    assert events == [
        b'event: custom\ndata: {"i":0}\n\n',
        b'event: error\ndata: {"error":"ValueError","message":"the graph raised"}\n\n',
        b"event: end\ndata: null\n\n",
    ]


def test_a_status_error_on_reconnect_is_the_same_generic_error_event(caplog: pytest.LogCaptureFixture) -> None:
    transport = MockTransport()
    location = "/threads/t-1/runs/r-1/stream"
    transport.add_stream(
        "POST", "/threads/t-1/runs/stream", [("custom", {"i": 0}, "1-0")], location=location, drop=True
    )
    transport.add("GET", location, status=403, json={"detail": f"forbidden by the gateway at {INTERNAL}"})
    with mock_client(transport) as client, caplog.at_level(logging.WARNING, logger="lgsync.contrib"):
        stream = client.runs.stream("t-1", "custom", stream_mode="custom", stream_resumable=True)
        out = list(SSERelay(stream))
    assert (
        events_of(out)[-1]
        == b'event: error\ndata: {"error":"upstream_error","message":"The run\'s stream failed."}\n\n'
    )
    assert b"gateway" not in b"".join(out)
    assert "PermissionDeniedError" in caplog.text


def test_the_servers_keep_alives_become_heartbeats_while_the_run_is_quiet() -> None:
    transport = MockTransport()
    quiet = [b": heartbeat\n\n"] * 3
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0}), *quiet, ("custom", {"i": 1}), ("end", None)])
    with mock_client(transport) as client:
        out = list(SSERelay(client.runs.stream(None, "custom", stream_mode="custom")))
    first, second = out.index(b'event: custom\ndata: {"i":0}\n\n'), out.index(b'event: custom\ndata: {"i":1}\n\n')
    assert out[first + 1 : second] == [b": heartbeat\n\n"] * 3
    assert out.count(b"event: end\ndata: null\n\n") == 1


def test_the_relay_starts_no_thread() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": i}) for i in range(3)], pause=0.05)
    with mock_client(transport) as client:
        relay = SSERelay(client.runs.stream(None, "custom", stream_mode="custom"))
        before = {t.ident for t in threading.enumerate()}
        out = [next(relay), next(relay)]
        during = {t.ident for t in threading.enumerate()}
        out += list(relay)
    assert during <= before
    assert len(events_of(out)) == 4


def test_closing_before_the_first_read_closes_upstream_and_calls_on_close() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("custom", {"i": 0})])
    closed: list[bool] = []
    with mock_client(transport) as client:
        relay = SSERelay(client.runs.stream(None, "custom"), on_close=lambda: closed.append(True))
        relay.close()
        relay.close()
        assert list(relay) == []
    assert closed == [True]
    assert transport.responses[0].closed


def test_a_heartbeat_must_be_positive() -> None:
    for bad in (0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="heartbeat"):
            SSERelay([], heartbeat=bad)


def test_a_browser_that_closed_its_socket_is_seen_without_writing_to_it() -> None:
    server_side, browser = socket.socketpair()
    with server_side:
        assert not peer_left(server_side)  # open and quiet
        browser.sendall(b"GET /next HTTP/1.1\r\n")
        assert not peer_left(server_side)  # bytes from the browser say nothing about leaving
        assert server_side.recv(100) == b"GET /next HTTP/1.1\r\n"
        browser.close()
        assert peer_left(server_side)
    assert not peer_left(server_side)  # a socket the server already closed: nothing to conclude
    assert client_socket({"werkzeug.socket": object()}) is None
    assert client_socket(None) is None


def gunicorn_environ(multithread: bool) -> dict[str, Any]:
    # The keys gunicorn's WSGI environ carries; only the gthread and async workers set multithread.
    return {"SERVER_SOFTWARE": "gunicorn/23.0.0", "wsgi.multithread": multithread, "wsgi.multiprocess": False}


def test_gunicorns_sync_worker_is_warned_about_once(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_wsgi_server, "_sync_worker_warned", False)
    with caplog.at_level(logging.WARNING, logger="lgsync.contrib"):
        assert not warn_if_sync_worker(gunicorn_environ(multithread=True))
        assert not warn_if_sync_worker({"SERVER_SOFTWARE": "Werkzeug/3.1", "wsgi.multithread": False})
        assert caplog.records == []
        assert warn_if_sync_worker(gunicorn_environ(multithread=False))
        SSERelay([], environ=gunicorn_environ(multithread=False))
    assert len(caplog.records) == 1
    assert "sync worker" in caplog.records[0].getMessage() and "--timeout" in caplog.records[0].getMessage()


@pytest.mark.integration
def test_closing_the_relay_cancels_a_run_streamed_with_on_disconnect_cancel(langgraph_server: DevServer) -> None:
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        thread = client.threads.create()["thread_id"]
        created: list[str] = []
        stream = client.runs.stream(
            thread,
            "slow",
            input={"steps": 5, "delay": 10.0},
            stream_mode="custom",
            on_disconnect="cancel",
            on_run_created=lambda meta: created.append(meta["run_id"]),
        )
        relay = SSERelay(stream, heartbeat=0.2)
        chunks = iter(relay)
        while b"event: custom" not in next(chunks):
            pass
        time.sleep(0.5)  # the relay is suspended between two reads of a quiet run
        started = time.monotonic()
        relay.close()
        assert time.monotonic() - started < 1.0
        assert wait_for_status(client, thread, created[0], deadline=5.0) == "interrupted"


@pytest.mark.integration
@pytest.mark.parametrize("transport_name", ["requests", "urllib3"])
def test_closing_the_relay_from_another_thread_ends_a_blocked_read_and_cancels_the_run(
    langgraph_server: DevServer, transport_name: str
) -> None:
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None, transport=transport_name) as client:
        thread = client.threads.create()["thread_id"]
        run = client.runs.create(thread, "slow", input={"steps": 5, "delay": 10.0}, stream_mode=["custom"])
        closed: list[str] = []
        relay = SSERelay(
            client.runs.join_stream(thread, run["run_id"], cancel_on_disconnect=True, stream_mode=["custom"]),
            on_close=lambda: closed.append(threading.current_thread().name),
        )
        out: list[bytes] = []
        first_event = threading.Event()

        def serve() -> None:  # what a WSGI server thread does with the response
            for chunk in relay:
                out.append(chunk)
                if chunk.startswith(b"event: custom"):
                    first_event.set()

        server_thread = threading.Thread(target=serve, name="wsgi-server-thread")
        server_thread.start()
        assert first_event.wait(10.0)
        time.sleep(0.5)  # the server thread is now blocked reading the quiet run
        relay.close()  # from this thread, as a disconnect handler would
        server_thread.join(timeout=5.0)
        assert not server_thread.is_alive()
        assert closed == [threading.current_thread().name]
        assert [chunk for chunk in events_of(out) if not chunk.startswith(b"event: custom")] == []
        assert wait_for_status(client, thread, run["run_id"], deadline=10.0) == "interrupted"


def open_browser(port: int, path: str) -> socket.socket:
    """A browser's EventSource request, read until the relay's first comment arrived."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=20.0)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode())
    received = b""
    while b": connected" not in received:
        piece = sock.recv(4096)
        assert piece, f"the relay closed before its first byte: {received!r}"
        received += piece
    assert received.startswith(b"HTTP/1.1 200")
    return sock


@pytest.fixture
def threaded_flask(langgraph_server: DevServer) -> Iterator[int]:
    """The Flask example under werkzeug's threaded WSGI server; yields its port."""
    app = create_app(langgraph_server.url, transport="urllib3")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="werkzeug-serve-forever", daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.extensions["lgsync"].close()


@pytest.mark.integration
def test_a_quiet_run_gets_heartbeats_between_its_events_and_one_end(
    langgraph_server: DevServer, threaded_flask: int
) -> None:
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        thread_id = client.threads.create()["thread_id"]
        # 8 s between the two steps: the server's keep-alive (every 5 s) falls in between.
        run = client.runs.create(thread_id, "slow", input={"steps": 2, "delay": 8.0}, stream_mode=["custom"])
        with open_browser(threaded_flask, f"/runs/{thread_id}/{run['run_id']}/stream?mode=custom") as browser:
            body = b""
            while b"event: end" not in body:
                piece = browser.recv(65536)
                assert piece, body
                body += piece
    first, second = body.index(b'data: {"step":0}'), body.index(b'data: {"step":1}')
    assert b": heartbeat\n\n" in body[first:second]
    assert body.count(b"event: end") == 1


@pytest.mark.integration
def test_twenty_open_relays_cost_at_most_one_thread_each_and_leaving_cancels_their_runs(
    langgraph_server: DevServer, threaded_flask: int
) -> None:
    streams = 20
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        runs = []
        for _ in range(streams):
            thread_id = client.threads.create()["thread_id"]
            run = client.runs.create(thread_id, "slow", input={"steps": 3, "delay": 10.0}, stream_mode=["custom"])
            runs.append((thread_id, run["run_id"]))
        before = threading.active_count()
        browsers = [
            open_browser(threaded_flask, f"/runs/{thread_id}/{run_id}/stream?mode=custom&cancel=1")
            for thread_id, run_id in runs
        ]
        try:
            during = threading.active_count()
            # werkzeug's thread per connection, nothing else (the former design: two per stream).
            assert during - before <= streams + 2, (before, during)
        finally:
            for browser in browsers:
                browser.close()
        # The relays notice the departures at their next heartbeat and abort upstream.
        statuses = [wait_for_status(client, thread_id, run_id, deadline=40.0) for thread_id, run_id in runs]
        assert statuses == ["interrupted"] * streams
        deadline = time.monotonic() + 20.0
        while threading.active_count() > before and time.monotonic() < deadline:
            time.sleep(0.1)
        assert threading.active_count() <= before


# -- the Flask example under gunicorn, in a process of its own ------------------------------------------------


def start_gunicorn(langgraph_server: DevServer, worker: str, log: Any) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "--chdir", str(ROOT / "examples"), "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--worker-class", worker, "--graceful-timeout", "2"]
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        command.append("--no-control-socket")  # newer gunicorns share one control socket per user otherwise
    command.append("flask_app:create_app()")
    env = {**os.environ, "LANGGRAPH_URL": langgraph_server.url}
    env.pop("LANGGRAPH_API_KEY", None)
    process = subprocess.Popen(command, stdout=log, stderr=log, env=env)
    deadline = time.monotonic() + 30.0
    while True:
        assert process.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1.0).close()
            return process, port
        except OSError:
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def worker_pid(master: int) -> int:
    """The pid of gunicorn's one worker (the child of ``master``)."""
    deadline = time.monotonic() + 10.0
    while time.monotonic() < deadline:
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        fields = stat.read().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == master:
                    return int(entry)
        time.sleep(0.1)
    raise AssertionError("gunicorn started no worker")


def read_to_end(sock: socket.socket) -> bytes:
    received = b""
    while True:
        piece = sock.recv(65536)
        if not piece:
            return received
        received += piece
        if b"event: end" in received:
            return received


@pytest.mark.integration
def test_under_gunicorns_sync_worker_the_relay_warns_once(langgraph_server: DevServer, tmp_path: Any) -> None:
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        runs = []
        for _ in range(2):
            thread_id = client.threads.create()["thread_id"]
            runs.append(client.runs.create(thread_id, "slow", input={"steps": 2, "delay": 0.1}, stream_mode=["custom"]))
        with open(tmp_path / "gunicorn.log", "wb") as log:
            process, port = start_gunicorn(langgraph_server, "sync", log)
            try:
                for run in runs:
                    browser = open_browser(port, f"/runs/{run['thread_id']}/{run['run_id']}/stream?mode=custom")
                    with browser:
                        assert b"event: end" in read_to_end(browser)
            finally:
                stop(process)
    logged = (tmp_path / "gunicorn.log").read_text()
    assert logged.count("gunicorn's sync worker") == 1, logged


@pytest.mark.integration
@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="counts threads through /proc")
def test_under_gunicorns_gevent_worker_open_relays_add_no_os_thread(langgraph_server: DevServer, tmp_path: Any) -> None:
    streams = 20
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None) as client:
        runs = []
        for _ in range(streams + 1):
            thread_id = client.threads.create()["thread_id"]
            run = client.runs.create(thread_id, "slow", input={"steps": 3, "delay": 10.0}, stream_mode=["custom"])
            runs.append((thread_id, run["run_id"]))
        paths = [f"/runs/{thread_id}/{run_id}/stream?mode=custom&cancel=1" for thread_id, run_id in runs]
        with open(tmp_path / "gunicorn.log", "wb") as log:
            process, port = start_gunicorn(langgraph_server, "gevent", log)
            browsers = []
            try:
                worker = worker_pid(process.pid)
                browsers.append(open_browser(port, paths[0]))
                one_open = len(os.listdir(f"/proc/{worker}/task"))
                browsers += [open_browser(port, path) for path in paths[1:]]
                all_open = len(os.listdir(f"/proc/{worker}/task"))
                assert all_open <= one_open, (one_open, all_open)
            finally:
                for browser in browsers:
                    browser.close()
            try:
                statuses = [wait_for_status(client, thread_id, run_id, deadline=40.0) for thread_id, run_id in runs]
            finally:
                stop(process)
        assert statuses == ["interrupted"] * (streams + 1)
