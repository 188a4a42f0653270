"""``python -m benchmarks.relay_load``: the example apps relaying N streams under gunicorn, per worker type.

An example app (``examples/flask_app.py``; ``--apps django`` adds
``examples/django_app``) runs in one gunicorn worker (``gthread``,
``gevent``) and joins runs of the benchmark server, whose events
carry their send time. A load generator of N browser-like SSE clients reads
the relayed streams to the end, except a tenth that close after a few events;
it reads the same N streams directly from the benchmark server too, so that
the relay's added latency is measured in one run.
"""

from __future__ import annotations

import argparse
import array
import errno
import json
import os
import select
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

from benchmarks.compare import _num, _quantile, _table, machine
from benchmarks.concurrency import (
    _GEVENT_PREAMBLE,
    ROOT,
    TRICKLE_THREAD,
    WideServer,
    last_json_line,
    limits,
    process_stats,
    python_command,
    python_env,
)
from benchmarks.payloads import chunk_frame, trickle_event
from lgsync.devserver import free_port
from lgsync.sse import SSEDecoder

__all__ = ["APPS", "WORKERS", "Gunicorn", "LeaveAwareServer", "ServerProcess", "load", "main", "serve"]

WORKERS = ["gthread", "gevent"]
#: app -> (directory under examples/, gunicorn's application, environment). Both serve the same routes.
APPS: dict[str, tuple[str, str, dict[str, str]]] = {
    "flask": ("", "flask_app:create_app()", {}),
    "django": (
        "django_app",
        "django.core.wsgi:get_wsgi_application()",
        {"DJANGO_SETTINGS_MODULE": "chatsite.settings", "DJANGO_DEBUG": "0"},
    ),
}
#: The example app's route that follows a background run; ``cancel=1``: leaving cancels it.
RELAY_PATH = "/runs/{thread}/{run}/stream?cancel=1"
DIRECT_PATH = "/threads/{thread}/runs/{run}/stream"


class LeaveAwareServer(WideServer):
    """The benchmark server, noting the moment each trickle's reader went away (by run id)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: run id -> ``time.perf_counter()`` when the server saw the reader close.
        self.left_at: dict[str, float] = {}
        self._request = threading.local()

    def _answer(self, conn: socket.socket, method: str, path: str) -> bool:
        self._request.path = path
        return bool(super()._answer(conn, method, path))

    def _trickle(self, send: Callable[[bytes], None], chunked: bool) -> None:
        # As the base class, but waiting on the socket instead of sleeping, so
        # that a reader closing its end is seen at once, not at the next send.
        conn: socket.socket = send.__self__  # type: ignore[attr-defined]
        run_id = self._request.path.strip("/").split("/")[3]
        poller = select.poll()
        poller.register(conn, select.POLLIN)
        start = time.perf_counter()
        for i in range(self.trickle_count):
            delay = start + i * self.trickle_interval - time.perf_counter()
            if delay > 0 and poller.poll(delay * 1000) and not _still_open(conn):
                self.left_at[run_id] = time.perf_counter()
                return
            event = trickle_event(i)
            send(chunk_frame(event) if chunked else event)
        if chunked:
            send(b"0\r\n\r\n")


class ServerProcess:
    """A :class:`LeaveAwareServer` in a gevent-patched process of its own: a greenlet per connection.

    For N beyond a few thousand, where a thread per connection in the
    measuring process stops keeping up. ``left_at`` asks the process.

    Example::

        with ServerProcess(60, 0.2) as server:
            print(server.url, server.left_at)
    """

    def __init__(self, events: int, interval: float) -> None:
        code = f"{_GEVENT_PREAMBLE}from benchmarks.relay_load import serve; serve({int(events)}, {float(interval)!r})"
        self.process = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=str(ROOT),
            env=python_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._stdin, self._stdout = self.process.stdin, self.process.stdout
        self.port = int(self._stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}"

    @property
    def left_at(self) -> dict[str, float]:
        self._stdin.write("left\n")
        self._stdin.flush()
        return dict(json.loads(self._stdout.readline()))

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(events: int, interval: float) -> None:
    """The body of :class:`ServerProcess`: its port, then ``left_at`` as JSON for each line read, until EOF."""
    with LeaveAwareServer({}, trickle_count=events, trickle_interval=interval) as server:
        print(server.port, flush=True)
        stdin = sys.stdin.fileno()
        pending = b""
        while True:
            select.select([stdin], [], [])  # cooperative under gevent: the connections go on meanwhile
            more = os.read(stdin, 4096)
            if not more:
                return
            pending += more
            while b"\n" in pending:
                _, pending = pending.split(b"\n", 1)
                print(json.dumps(server.left_at), flush=True)


def _still_open(conn: socket.socket) -> bool:
    try:
        return conn.recv(1, socket.MSG_PEEK) != b""
    except OSError:
        return False


# -- the load generator: N browser-like SSE clients on one selector, in its own process ------------


class _Client:
    """One SSE client: a request sent, a response read, dechunked and decoded as it arrives."""

    __slots__ = (
        "buf",
        "chunk_left",
        "chunked",
        "closed_at",
        "count",
        "decoder",
        "done",
        "error",
        "head",
        "index",
        "run_id",
        "sock",
    )

    def __init__(self, index: int, run_id: str, sock: socket.socket) -> None:
        self.index = index
        self.run_id = run_id
        self.sock = sock
        self.head = True
        self.buf = b""
        self.chunked = False
        # Bytes of the current chunk still to come; -2: its CRLF is; -1: the last chunk came.
        self.chunk_left = 0
        self.decoder = SSEDecoder()
        self.count = 0
        self.done = False
        self.error: str | None = None
        self.closed_at = 0.0

    def body(self, data: bytes) -> tuple[list[bytes], bool]:
        """The body bytes in ``data`` (dechunked) and whether the body ended."""
        if not self.chunked:
            return [data], False
        if self.chunk_left == -1:
            return [], True  # past the last chunk: only its trailer can follow
        self.buf += data
        pieces: list[bytes] = []
        while True:
            if self.chunk_left > 0:
                take = self.buf[: self.chunk_left]
                pieces.append(take)
                self.buf = self.buf[len(take) :]
                self.chunk_left -= len(take)
                if self.chunk_left:
                    return pieces, False
                self.chunk_left = -2
            if self.chunk_left < 0:
                if len(self.buf) < 2:
                    return pieces, False
                self.buf, self.chunk_left = self.buf[2:], 0
            line, sep, rest = self.buf.partition(b"\r\n")
            if not sep:
                return pieces, False
            size = int(line.split(b";", 1)[0], 16)
            self.buf = rest
            if size == 0:
                self.chunk_left = -1
                return pieces, True
            self.chunk_left = size


def load(spec: dict[str, Any]) -> dict[str, Any]:
    """Read the SSE streams ``spec["targets"]`` (``[run_id, path]``) at once from ``host:port``.

    The first ``spec["early"]`` close after ``early_after`` events. A relayed
    stream ends with its ``end`` event, a direct one with its body; with
    ``spec["exact"]`` a stream must also bring all ``events``. Runs in its own
    process: one thread, one selector, so the generator adds no threads of its
    own to what the latency figures see.
    """
    targets = spec["targets"]
    n, events, early, early_after = len(targets), spec["events"], spec["early"], spec["early_after"]
    address = (spec["host"], spec["port"])
    latencies = array.array("d", bytes(8 * n * events))
    arrivals = array.array("d", bytes(8 * n * events))
    # Streams that brought a first event, streams that ended, streams open now (a first
    # event came, no end yet), the most at once, and the moment all N were open together.
    opened, gone, live, most, all_open = 0, 0, 0, 0, float("inf")
    selector = selectors.DefaultSelector()
    clients: list[_Client] = []
    paths = {run_id: path for run_id, path in targets}
    for i, (run_id, _) in enumerate(targets):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setblocking(False)
        err = sock.connect_ex(address)
        client = _Client(i, run_id, sock)
        clients.append(client)
        if err not in (0, errno.EINPROGRESS):
            client.done, client.error = True, errno.errorcode.get(err, str(err))
            sock.close()
            continue
        selector.register(sock, selectors.EVENT_WRITE, client)
    pending = sum(1 for c in clients if not c.done)
    deadline = time.monotonic() + spec["deadline"]

    def finish(client: _Client, error: str | None = None) -> None:
        nonlocal pending, gone, live
        if client.done:
            return
        client.done, client.error = True, error
        pending -= 1
        gone += 1
        live -= 1 if client.count else 0
        selector.unregister(client.sock)
        client.sock.close()

    while pending and time.monotonic() < deadline:
        for key, mask in selector.select(timeout=1.0):
            client = key.data
            if mask & selectors.EVENT_WRITE:
                request = (
                    f"GET {paths[client.run_id]} HTTP/1.1\r\nHost: {address[0]}:{address[1]}\r\n"
                    "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
                )
                try:
                    client.sock.sendall(request.encode())
                except OSError as exc:
                    finish(client, type(exc).__name__)
                    continue
                selector.modify(client.sock, selectors.EVENT_READ, client)
                continue
            try:
                data = client.sock.recv(65536)
            except OSError as exc:
                finish(client, type(exc).__name__)
                continue
            now = time.perf_counter()
            if not data:
                ended_ok = not spec["relay"] and not client.chunked and not client.head
                finish(client, None if ended_ok else "closed before the end")
                continue
            if client.head:
                client.buf += data
                head, sep, rest = client.buf.partition(b"\r\n\r\n")
                if not sep:
                    continue
                status = head.split(b"\r\n", 1)[0]
                if b" 200 " not in status + b" ":
                    finish(client, status.decode("latin-1"))
                    continue
                client.head = False
                client.chunked = b"transfer-encoding: chunked" in head.lower()
                client.buf = b""
                data = rest
            pieces, ended = client.body(data)
            for piece in pieces:
                for event in client.decoder.feed(piece):
                    if event.event == "end":
                        ended = True
                        break
                    if event.event == "error":
                        finish(client, "error event")
                        break
                    if event.data is None:
                        continue
                    sent = json.loads(event.data).get("sent") if spec["exact"] else None
                    if sent is not None and client.count < events:
                        latencies[client.index * events + client.count] = now - sent
                        arrivals[client.index * events + client.count] = now
                    if client.count == 0:
                        opened += 1
                        live += 1
                        most = max(most, live)
                        if opened == n and gone == 0:
                            all_open = now
                    client.count += 1
            if client.done:
                continue
            if client.index < early and client.count >= early_after:
                client.closed_at = time.perf_counter()
                finish(client)
            elif ended:
                finish(client)
    for client in clients:
        finish(client, "unfinished at deadline")
    selector.close()
    full = [c for c in clients if c.index >= early]
    completed = sum(1 for c in full if c.error is None and (c.count == events or not spec["exact"]))
    errors = [c.error for c in clients if c.error]
    if not errors and completed < len(full):
        errors = ["missing events"]
    indexes = [c.index * events + k for c in full for k in range(min(c.count, events)) if spec["exact"]]
    received = [latencies[j] for j in indexes]
    # Once every stream is open: the steady state, without the crowd of connections opening.
    steady = [latencies[j] for j in indexes if arrivals[j] > all_open]
    return {
        "completed": completed,
        "full": len(full),
        "early_closed": sum(1 for c in clients if c.closed_at),
        "most_open": most,
        "first_error": errors[0] if errors else None,
        "events": sum(c.count for c in clients),
        "closed_at": {c.run_id: c.closed_at for c in clients if c.closed_at},
        "p50_ms": _quantile(received, 0.5) * 1000 if received else None,
        "p99_ms": _quantile(received, 0.99) * 1000 if received else None,
        "p99_steady_ms": _quantile(steady, 0.99) * 1000 if steady else None,
    }


# -- gunicorn around the example app ---------------------------------------------------------------


class Gunicorn:
    """One gunicorn worker of ``worker_class`` serving example ``app``, relaying from ``upstream``."""

    def __init__(self, app: str, worker_class: str, upstream: str, streams: int) -> None:
        directory, application, environment = APPS[app]
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        # Room for every stream: a thread each under gthread, a connection each everywhere.
        self.argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "--chdir",
            str(ROOT / "examples" / directory),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            "1",
            "--worker-class",
            worker_class,
            "--worker-connections",
            str(streams + 100),
            "--backlog",
            "4096",
            "--timeout",
            "120",
        ]
        if worker_class == "gthread":
            self.argv += ["--threads", str(streams + 2)]
        if _has_control_socket():
            # Newer gunicorns listen on one control socket per user by default: several at once would share it.
            self.argv.append("--no-control-socket")
        self.argv.append(application)
        self.env = dict(os.environ, LANGGRAPH_URL=upstream, **environment)
        self.env.pop("LANGGRAPH_API_KEY", None)
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            self.argv, cwd=str(ROOT), env=self.env, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer within 60s: {self.log_tail()}")

    def __exit__(self, *exc: object) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.log.close()

    def worker_pid(self) -> int:
        """The one worker process (the master's child)."""
        assert self.process is not None
        master = str(self.process.pid)
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as stat:
                        if stat.read().rsplit(")", 1)[1].split()[1] == master:
                            return int(entry)
                except OSError:
                    continue
        raise RuntimeError("gunicorn has no worker process")

    def log_tail(self, size: int = 2000) -> str:
        self.log.seek(0, os.SEEK_END)
        self.log.seek(max(0, self.log.tell() - size))
        return self.log.read().decode("utf-8", errors="replace")


def _has_control_socket() -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS)


def _generate(spec: dict[str, Any], watch: int | None, timeout: float) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run :func:`load` in a fresh process while sampling process ``watch``; ``(result, peaks)``."""
    argv = python_command("benchmarks.relay_load:load")
    peaks = {"rss_kb": 0, "fds": 0, "threads": 0}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, cwd=str(ROOT), env=python_env(), stdin=subprocess.PIPE, stdout=out, stderr=err)
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(spec).encode())
        proc.stdin.close()
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            if watch is not None:
                stats = process_stats(watch)
                peaks = {k: max(v, getattr(stats, k)) for k, v in peaks.items()}
            time.sleep(0.25)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            return {"error": f"no result within {timeout:.0f}s"}, peaks
        out.seek(0)
        err.seek(0)
        result = last_json_line(proc.returncode, out.read().decode(), err.read().decode("utf-8", "replace"))
    return result, peaks


class _ServerLeaves:
    """When the benchmark server saw each early-closed stream's relay leave."""

    def __init__(self, server: LeaveAwareServer | ServerProcess) -> None:
        self.server = server

    def start(self, runs: list[tuple[str, str]]) -> None:
        pass

    def stop(self, closed_at: dict[str, float]) -> tuple[list[float], dict[str, int]]:
        left = self.server.left_at
        return sorted(left[r] - t for r, t in closed_at.items() if r in left), {}


class _RunLeaves:
    """When each early-closed run left ``pending``/``running`` on a real server, polled meanwhile."""

    def __init__(self, url: str) -> None:
        import lgsync

        self.client = lgsync.get_sync_client(url=url, api_key=None)
        self.left: dict[str, tuple[float, str]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, runs: list[tuple[str, str]]) -> None:
        self.left = {}
        self._stop.clear()
        self._thread = threading.Thread(target=self._poll, args=(runs,), daemon=True)
        self._thread.start()

    def _poll(self, runs: list[tuple[str, str]]) -> None:
        while not self._stop.is_set() and len(self.left) < len(runs):
            for thread_id, run_id in runs:
                if run_id not in self.left:
                    status = self.client.runs.get(thread_id, run_id)["status"]
                    if status not in ("pending", "running"):
                        self.left[run_id] = (time.perf_counter(), status)
            self._stop.wait(0.05)

    def stop(self, closed_at: dict[str, float]) -> tuple[list[float], dict[str, int]]:
        assert self._thread is not None
        self._thread.join(20)  # the early runs still going are given a while to stop
        self._stop.set()
        self._thread.join()
        statuses: dict[str, int] = {}
        for _, status in self.left.values():
            statuses[status] = statuses.get(status, 0) + 1
        left = self.left
        return sorted(left[r][0] - t for r, t in closed_at.items() if r in left), statuses


def _spec(args: argparse.Namespace, port: int, targets: list[list[str]], relay: bool, exact: bool) -> dict[str, Any]:
    n = len(targets)
    return {
        "host": "127.0.0.1",
        "port": port,
        "targets": targets,
        "relay": relay,
        "exact": exact,
        "events": args.events,
        "early": n // 10,
        "early_after": max(1, args.events // 3),
        "deadline": args.events * args.interval + 30 + n / 20,
    }


def _relayed(
    args: argparse.Namespace,
    server: str,
    upstream: str,
    runs: Callable[[str, int], list[tuple[str, str]]],
    leaves: _ServerLeaves | _RunLeaves,
    n: int,
    exact: bool,
) -> dict[str, Any]:
    """``server`` (``<app>-<worker>``) relaying ``n`` runs (``runs(prefix, n)`` gives their thread and run ids)."""

    def targets(pairs: list[tuple[str, str]]) -> list[list[str]]:
        return [[run, RELAY_PATH.format(thread=thread, run=run)] for thread, run in pairs]

    with Gunicorn(*server.split("-"), upstream, n) as gunicorn:
        pid = gunicorn.worker_pid()
        # One stream first: imports and the upstream pool are not the streams' cost.
        warm = _spec(args, gunicorn.port, targets(runs(f"warm-{server}{n}-", 1)), True, exact)
        _generate(dict(warm, early=1, early_after=1), None, 60)
        time.sleep(0.5)
        before = process_stats(pid)
        pairs = runs(f"{server}{n}-", n)
        spec = _spec(args, gunicorn.port, targets(pairs), True, exact)
        leaves.start(pairs[: spec["early"]])
        result, peaks = _generate(spec, pid, spec["deadline"] + 60)
        worker_cpu = process_stats(pid).cpu - before.cpu
        left, statuses = leaves.stop(result.get("closed_at", {}))
        result["worker_log"] = gunicorn.log_tail(600) if "error" in result or result.get("first_error") else ""
    result["base"] = {"rss_kb": before.rss_kb, "fds": before.fds, "threads": before.threads}
    result["peak"] = peaks
    result["worker_cpu_s"] = worker_cpu
    result["left_s"] = left
    result["left_statuses"] = statuses
    return result


def run_all(args: argparse.Namespace, log: Any = sys.stderr) -> dict[str, Any]:
    """Direct streams, then each worker type relaying them, at every N of ``args`` (and ``args.real``)."""
    results: dict[str, Any] = {}
    started = time.monotonic()

    def note(key: str, result: dict[str, Any]) -> None:
        results[key] = result
        state = result.get("error") or f"{result['completed']}/{result['full']} completed"
        print(f"  {key}: {state} at {time.monotonic() - started:.0f}s", file=log)

    def relay_each(prefix: str, n: int, upstream: str, runs: Any, leaves: Any, exact: bool) -> None:
        for server in _servers(args):
            try:
                note(f"{prefix}{server}/{n}", _relayed(args, server, upstream, runs, leaves, n, exact))
            except RuntimeError as exc:
                note(f"{prefix}{server}/{n}", {"error": str(exc).splitlines()[0]})

    if args.n:
        server: LeaveAwareServer | ServerProcess = (
            ServerProcess(args.events, args.interval)
            if args.gevent_server
            else LeaveAwareServer({}, trickle_count=args.events, trickle_interval=args.interval)
        )
        with server:

            def trickles(prefix: str, n: int) -> list[tuple[str, str]]:
                return [(TRICKLE_THREAD, f"{prefix}{i}") for i in range(n)]

            for n in args.n:
                direct = [[run, DIRECT_PATH.format(thread=thread, run=run)] for thread, run in trickles("direct-", n)]
                spec = _spec(args, server.port, direct, False, True)
                note(f"direct/{n}", _generate(spec, None, spec["deadline"] + 60)[0])
                relay_each("", n, server.url, trickles, _ServerLeaves(server), True)
    if args.real:
        from lgsync.devserver import DevServer, DevServerError

        try:
            with DevServer(ROOT / "examples" / "langgraph.json", jobs_per_worker=max(args.real) + 10) as dev:
                leaves = _RunLeaves(dev.url)

                def runs(prefix: str, n: int) -> list[tuple[str, str]]:
                    # Background runs of the example graph ``slow``, made just before the browsers join them.
                    made = []
                    for _ in range(n):
                        thread = leaves.client.threads.create()["thread_id"]
                        run = leaves.client.runs.create(
                            thread, "slow", input={"steps": args.events, "delay": args.interval}, stream_mode="custom"
                        )
                        made.append((thread, run["run_id"]))
                    return made

                for n in args.real:
                    relay_each("real/", n, dev.url, runs, leaves, False)
        except DevServerError as exc:
            print(f"  real server skipped: {str(exc).splitlines()[0]}", file=log)
    return {"results": results, "seconds": time.monotonic() - started}


def _servers(args: argparse.Namespace) -> list[str]:
    return [f"{app}-{worker}" for app in args.apps for worker in args.workers]


def _minus(a: float | None, b: float | None) -> float | None:
    return a - b if a is not None and b is not None else None


def _p99s(r: dict[str, Any], direct: dict[str, Any] | None = None) -> tuple[str, str]:
    """``p99 (p99 once all are open)``, and the same minus the direct streams' (with ``direct``)."""
    p99, steady = r.get("p99_ms"), r.get("p99_steady_ms")
    both = f"{_num(p99, '.1f')} ({_num(steady, '.1f')})"
    if direct is None:
        return both, "-"
    added = _minus(p99, direct.get("p99_ms")), _minus(steady, direct.get("p99_steady_ms"))
    return both, f"{_num(added[0], '+.1f')} ({_num(added[1], '+.1f')})"


def _worker_row(server: str, n: int, r: dict[str, Any], direct: dict[str, Any] | None) -> list[str]:
    if "error" in r:
        return [server.replace("-", " gunicorn "), f"{n:,}", str(r["error"]), *["-"] * 8]
    base, peak, left = r["base"], r["peak"], r["left_s"]
    leave = f"{len(left)}/{r['early_closed']}"
    if left:
        leave += f", p50 {_quantile(left, 0.5) * 1000:.0f} max {left[-1] * 1000:.0f} ms"
    if r.get("left_statuses"):
        leave += " (" + ", ".join(f"{k} {v}" for k, v in sorted(r["left_statuses"].items())) + ")"
    return [
        server.replace("-", " gunicorn "),
        f"{n:,}",
        _completion(r),
        f"{r['most_open']:,}",
        _num((peak["rss_kb"] - base["rss_kb"]) / n, ".1f"),
        f"{(peak['threads'] - base['threads']) / n:.2f} ({peak['threads']:,})",
        f"{peak['fds']:,}",
        _num(r["worker_cpu_s"] / r["events"] * 1000 if r["events"] else None, ".2f"),
        *(_p99s(r, direct) if direct is not None else ("-", "-")),
        leave,
    ]


def report(args: argparse.Namespace, run: dict[str, Any], real: bool = False) -> str:
    """One row per (worker, N): the worker's cost per stream, latency beside the direct stream, leave time."""
    results = run["results"]
    rows = []
    for n in args.real if real else args.n:
        direct = None
        if not real:
            direct = results.get(f"direct/{n}", {"error": "not run"})
            row = ["direct (no relay)", f"{n:,}", _completion(direct), f"{direct.get('most_open', '-'):,}"]
            rows.append(row + ["-", "-", "-", "-", _p99s(direct)[0], "-", "-"])
        for server in _servers(args):
            key = f"{'real/' if real else ''}{server}/{n}"
            rows.append(_worker_row(server, n, results.get(key, {"error": "not run"}), direct))
    header = [
        "server",
        "streams",
        "read to the end",
        "most open at once",
        "kB/stream",
        "threads/stream (peak)",
        "peak fds",
        "CPU s/1000 ev",
        "p99 ms (all open)",
        "relay adds",
        "early closes seen upstream, time" + (" (final status)" if real else ""),
    ]
    return _table(header, rows)


def targets(args: argparse.Namespace, run: dict[str, Any]) -> str:
    """The issue's relay targets, for each N run (their N: gevent 9,000; added latency 1,000)."""
    results = run["results"]
    rows: list[list[str]] = []

    def check(name: str, measured: str, limit: str, met: bool) -> None:
        rows.append([name, measured, limit, "yes" if met else "NO"])

    for n in args.n:
        direct = results.get(f"direct/{n}", {})
        for server in _servers(args):
            r = results.get(f"{server}/{n}", {})
            if "error" in r or "error" in direct:
                continue
            label = f"{server.replace('-', ' ')}, {n:,}"
            per_stream = (r["peak"]["rss_kb"] - r["base"]["rss_kb"]) / n
            threads = (r["peak"]["threads"] - r["base"]["threads"]) / n
            if server.endswith("-gevent"):
                check(
                    f"{label}: streams read whole, kB/stream",
                    f"{r['completed']:,}/{r['full']:,}, {per_stream:.1f}",
                    "all, 40 (target set at 9,000)",
                    r["completed"] == r["full"] and per_stream <= 40,
                )
            else:
                check(f"{label}: OS threads per open relay", f"{threads:.2f}", "1.0", threads <= 1.0)
            added = _minus(r.get("p99_ms"), direct.get("p99_ms"))
            if added is not None:
                steady = _num(_minus(r.get("p99_steady_ms"), direct.get("p99_steady_ms")), "+.1f")
                measured = f"{added:+.1f} (all open: {steady})"
                check(f"{label}: relay's added p99 ms", measured, "5 (target set at 1,000)", added <= 5)
    for n in args.real:
        for server in _servers(args):
            r = results.get(f"real/{server}/{n}", {})
            if "error" in r or not r:
                continue
            cancelled = r.get("left_statuses", {}).get("interrupted", 0)
            check(
                f"{server.replace('-', ' ')}, {n:,} real runs: early-closed runs cancelled",
                f"{cancelled}/{r['early_closed']}",
                "all",
                cancelled == r["early_closed"],
            )
    return _table(["target", "measured", "limit", "met"], rows) if rows else ""


def _completion(r: dict[str, Any]) -> str:
    if "error" in r:
        return str(r["error"])
    text = f"{r['completed']:,}/{r['full']:,}"
    return text + (f" ({r['first_error']})" if r.get("first_error") else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.relay_load", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="*", default=[200], help="browsers at once (none: skip)")
    parser.add_argument("--events", type=int, default=60, help="events per stream")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between two events of a stream")
    parser.add_argument("--workers", nargs="+", choices=WORKERS, default=WORKERS, help="gunicorn worker classes")
    parser.add_argument("--apps", nargs="+", choices=list(APPS), default=["flask"], help="example apps to serve")
    parser.add_argument(
        "--real",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="also relay N runs of a real `langgraph dev` server (the demo extra), timing cancellation",
    )
    parser.add_argument(
        "--gevent-server",
        action="store_true",
        help="serve the benchmark streams from a gevent-patched process (for N beyond a few thousand)",
    )
    parser.add_argument("--json", metavar="PATH", help="write the raw results here")
    args = parser.parse_args(argv)
    run = run_all(args)
    print(
        f"Machine: {machine()}; {limits()}. Each stream: {args.events} events, {args.interval * 1000:g} ms apart, "
        f"relayed by the example app (join with ?cancel=1) in one gunicorn worker; took {run['seconds']:.0f}s"
    )
    print(
        "kB and threads per stream: the worker's peak growth / N; a tenth of the browsers close after a third of "
        "the events"
    )
    if args.n:
        print()
        print(
            "Benchmark server: p99 = browser receive time minus the server's send time; early closes timed until "
            "the server sees the relay's upstream connection close"
        )
        print(report(args, run))
    if args.real:
        print()
        print(
            "Real `langgraph dev` server, background runs of the example graph `slow` (no send time: no latency); "
            "early closes timed until the run leaves pending/running (polled every ~50 ms)"
        )
        print(report(args, run, real=True))
    table = targets(args, run)
    if table:
        print()
        print(table)
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), **run}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
