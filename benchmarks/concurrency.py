"""``python -m benchmarks.concurrency``: N streams open at once in one process, per client and model.

Each stream joins a run of ``--events`` events sent ``--interval`` seconds
apart by the benchmark server (each event carries its send time). Every
(client, model, N) runs in a fresh process: OS threads, or gevent with the
standard library monkey-patched before anything else is imported.
"""

from __future__ import annotations

import argparse
import array
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Callable, Iterator

from benchmarks.compare import _num, _quantile, _table, machine
from benchmarks.server import BenchServer

__all__ = [
    "CLIENTS",
    "EXTRA_CLIENTS",
    "MODELS",
    "ProcessStats",
    "WideServer",
    "last_json_line",
    "limits",
    "main",
    "process_stats",
    "python_command",
    "python_env",
]

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = ["lgsync-urllib3", "lgsync-requests", "sdk"]
#: Run only when asked (``--clients floor``): a raw socket per stream, no client library (see ``_floor``).
EXTRA_CLIENTS = ["floor"]
MODELS = ["threads", "gevent"]
TRICKLE_THREAD = "trickle.chunked"
_GEVENT_PREAMBLE = "from gevent import monkey; monkey.patch_all(); "
_PAGE_KB = resource.getpagesize() // 1024
_TICKS = os.sysconf("SC_CLK_TCK")


class WideServer(BenchServer):
    """The benchmark server with a listen backlog that thousands of simultaneous connects fit in."""

    def __init__(self, *args: Any, backlog: int = 4096, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._listener.listen(backlog)


class ProcessStats:
    """One reading of a process: resident memory (kB), open file descriptors, OS threads, CPU seconds."""

    __slots__ = ("cpu", "fds", "rss_kb", "threads")

    def __init__(self, rss_kb: int, fds: int, threads: int, cpu: float) -> None:
        self.rss_kb = rss_kb
        self.fds = fds
        self.threads = threads
        self.cpu = cpu


def process_stats(pid: int | str = "self") -> ProcessStats:
    """Read ``/proc/<pid>`` (Linux only).

    Example::

        before = process_stats()
        print(before.rss_kb, before.fds, before.threads)
    """
    base = f"/proc/{pid}"
    with open(f"{base}/statm") as statm:
        rss_kb = int(statm.read().split()[1]) * _PAGE_KB
    with open(f"{base}/stat") as stat:
        # The command name may hold spaces: the fields that follow start after its ')'.
        fields = stat.read().rsplit(")", 1)[1].split()
    return ProcessStats(
        rss_kb=rss_kb,
        fds=len(os.listdir(f"{base}/fd")),
        threads=int(fields[17]),
        cpu=(int(fields[11]) + int(fields[12])) / _TICKS,
    )


def limits() -> str:
    """The machine limits that bound these figures, as one line."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    parts = [f"ulimit -n {soft} (hard {hard})", f"{os.cpu_count()} cores"]
    for name in ("net/core/somaxconn", "kernel/pid_max"):
        try:
            parts.append(f"{name.split('/')[-1]} {Path('/proc/sys', name).read_text().strip()}")
        except OSError:
            pass
    return ", ".join(parts)


# -- the worker: runs in its own process ------------------------------------------------------------


def _open_client(
    name: str, url: str, n: int, real_input: dict[str, Any] | None = None
) -> tuple[Callable[[str], Iterator[Any]], Callable[[], Any]]:
    """``(read, warm)`` for client ``name``: ``read(run_id)`` yields each event's data.

    ``read`` joins a benchmark server's trickle, or with ``real_input`` streams
    a new run of the example graph ``slow`` on a real LangGraph server.
    """
    if name == "floor":
        return _floor(url, real_input)
    if name.startswith("lgsync-"):
        import lgsync

        kind = name.split("-", 1)[1]
        # urllib3: one pool that keeps all N connections (beyond ``maxsize`` it
        # would open them anyway, then warn and discard them on return).
        # requests: each call borrows a session of its own, so N streams fit
        # whatever the size; ``pool_maxsize`` is also each session's pool, and
        # N of them sized N would cost N squared slots, so it stays as it is.
        transport: Any = lgsync.Urllib3Transport(maxsize=n) if kind == "urllib3" else lgsync.RequestsTransport()
        client: Any = lgsync.get_sync_client(url=url, api_key=None, transport=transport)
    elif name == "sdk":
        import langgraph_sdk

        # As users create it: its own connection limits are part of what is measured.
        client = langgraph_sdk.get_sync_client(url=url, api_key=None)
    else:
        raise ValueError(f"unknown client {name!r}")

    def join(run_id: str) -> Iterator[Any]:
        for part in client.runs.join_stream(TRICKLE_THREAD, run_id):
            yield part.data

    def run_real(run_id: str) -> Iterator[Any]:
        # A stateless run of the example graph ``slow``: one custom event per step, ``delay`` apart.
        parts = client.runs.stream(None, "slow", input=real_input, stream_mode="custom")
        for part in parts:
            if part.event == "custom":
                yield part.data

    if real_input is not None:
        return run_real, lambda: client.assistants.search(limit=1)
    return join, lambda: client.threads.get("t")


def _floor(url: str, real_input: dict[str, Any] | None) -> tuple[Callable[[str], Iterator[Any]], Callable[[], Any]]:
    """``(read, warm)`` with no client library: what a stream costs before any client adds to it.

    Per stream: one ``socket`` (gevent's, once monkey-patched) that sends the
    GET lgsync sends for a join, then the plainest read: ``recv`` into bytes,
    the chunked framing undone, events split on the blank line, each ``data:``
    line decoded by the JSON library lgsync uses (orjson when installed, the
    standard library otherwise). It does nothing else: no pool, no redirects or
    retries, no status check, no SSE edge cases (comments, ``retry:``, split or
    multi-line data, bare ``\\n`` line ends), no resume after a cut. Benchmark server only.
    """
    import socket

    loads: Callable[[bytes], Any] = json.loads
    try:
        import orjson

        loads = orjson.loads
    except ImportError:
        pass

    if real_input is not None:
        raise ValueError("the floor client reads the benchmark server only, not a real server")
    host, _, port = url.split("://", 1)[1].rstrip("/").rpartition(":")
    head = (
        "GET /threads/{thread}/runs/{run}/stream?cancel_on_disconnect=false HTTP/1.1\r\n"
        f"Host: {host}:{port}\r\nUser-Agent: floor\r\nAccept: text/event-stream\r\n"
        "Cache-Control: no-store\r\nAccept-Encoding: identity\r\n\r\n"
    )

    def join(run_id: str) -> Iterator[Any]:
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(head.format(thread=TRICKLE_THREAD, run=run_id).encode("ascii"))
            raw = b""
            while b"\r\n\r\n" not in raw:
                raw += _recv(sock)
            raw = raw.split(b"\r\n\r\n", 1)[1]  # the status line and headers, unread
            body = b""
            while True:
                size_line, crlf, rest = raw.partition(b"\r\n")
                if not crlf or len(rest) < int(size_line, 16) + 2:
                    raw += _recv(sock)
                    continue
                size = int(size_line, 16)
                if size == 0:
                    return
                body += rest[:size]
                raw = rest[size + 2 :]
                while b"\r\n\r\n" in body:
                    event, body = body.split(b"\r\n\r\n", 1)
                    for line in event.split(b"\r\n"):
                        if line.startswith(b"data: "):
                            yield loads(line[6:])

    def warm() -> None:
        # The imports, one connection and one whole answer, as the clients' warm-up call.
        with socket.create_connection((host, int(port))) as sock:
            sock.sendall(f"GET /threads/t HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode("ascii"))
            raw = b""
            while b"\r\n\r\n" not in raw:
                raw += _recv(sock)
            answer_head, _, body = raw.partition(b"\r\n\r\n")
            length = int(answer_head.lower().split(b"content-length:", 1)[1].split(b"\r\n", 1)[0])
            while len(body) < length:
                body += _recv(sock)

    return join, warm


def _recv(sock: Any) -> bytes:
    data: bytes = sock.recv(65536)
    if not data:
        raise ConnectionError("the server closed the connection mid-stream")
    return data


def run_streams(spec: dict[str, Any]) -> dict[str, Any]:
    """Open ``spec["n"]`` streams at once in this process and measure them; runs in a fresh process."""
    n, events = int(spec["n"]), int(spec["events"])
    real = spec.get("real", False)
    real_input = {"steps": events, "delay": spec["interval"]} if real else None
    join, warm = _open_client(spec["client"], spec["url"], n, real_input)
    warm()  # imports, pool and one connection: not the streams' cost
    # Preallocated, so that recording a latency costs no memory the streams are charged for.
    latencies = array.array("d", bytes(8 * n * events))
    arrivals = array.array("d", bytes(8 * n * events))
    counts = array.array("l", bytes(array.array("l").itemsize * n))
    errors: list[str | None] = [None] * n
    messages: list[str | None] = [None] * n
    peak = {"rss_kb": 0, "fds": 0, "threads": 0}
    done = threading.Event()
    # Every thread is started before any stream opens: starting a thread while a thousand
    # others are busy can take milliseconds each, and the early streams would end first.
    go = threading.Event()
    lock = threading.Lock()
    # Streams that brought a first event, streams that ended, streams open now (a first
    # event came, no end yet), the most at once, and the moment all N were open together.
    opened, ended, live, most = [0], [0], [0], [0]
    all_open = [float("inf")]

    def take() -> None:
        stats = process_stats()
        with lock:
            peak["rss_kb"] = max(peak["rss_kb"], stats.rss_kb)
            peak["fds"] = max(peak["fds"], stats.fds)
            peak["threads"] = max(peak["threads"], stats.threads)

    def stream(i: int) -> None:
        offset = i * events
        received = 0
        go.wait()
        try:
            for data in join(f"r{i}"):
                now = time.perf_counter()
                if received < events and not real:
                    latencies[offset + received] = now - data["sent"]
                    arrivals[offset + received] = now
                received += 1
                if received == 1:
                    with lock:
                        opened[0] += 1
                        live[0] += 1
                        most[0] = max(most[0], live[0])
                        last = opened[0] == n and ended[0] == 0
                    if last:
                        all_open[0] = now
                        take()  # every stream is open now: the moment that matters most
        except Exception as exc:
            errors[i] = type(exc).__name__
            messages[i] = str(exc)[:200]
        finally:
            with lock:
                ended[0] += 1
                live[0] -= 1 if received else 0
        counts[i] = received

    def sample() -> None:
        while True:
            take()
            if done.wait(0.25):
                return

    threads = [threading.Thread(target=stream, args=(i,), daemon=True) for i in range(n)]
    sampler = threading.Thread(target=sample, daemon=True)
    before = process_stats()
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    sampler.start()
    go.set()
    deadline = time.monotonic() + float(spec["deadline"])
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    after = process_stats()
    unfinished = sum(1 for thread in threads if thread.is_alive())
    completed = sum(1 for i in range(n) if errors[i] is None and counts[i] == events and not threads[i].is_alive())
    first_error = next((e for e in errors if e), None)
    if first_error is None and completed < n:
        first_error = "unfinished at deadline" if unfinished else "missing events"
    indexes = [] if real else [i * events + k for i in range(n) for k in range(min(counts[i], events))]
    received = [latencies[j] for j in indexes]
    # Once every stream is open: the steady state, without the crowd of connections opening.
    steady = [latencies[j] for j in indexes if arrivals[j] > all_open[0]]
    return {
        "n": n,
        "completed": completed,
        "failed": n - completed,
        "first_error": first_error,
        "first_message": next((m for m in messages if m), None),
        "events": sum(counts),
        "most_open": most[0],
        "rss_growth_kb": peak["rss_kb"] - before.rss_kb,
        "peak_fds": peak["fds"],
        "base_fds": before.fds,
        "peak_threads": peak["threads"],
        "base_threads": before.threads,
        "cpu_s": after.cpu - before.cpu,
        "seconds": wall,
        "p50_ms": _quantile(received, 0.5) * 1000 if received else None,
        "p99_ms": _quantile(received, 0.99) * 1000 if received else None,
        "p99_steady_ms": _quantile(steady, 0.99) * 1000 if steady else None,
    }


# -- the orchestrator ------------------------------------------------------------------------------


def python_env() -> dict[str, str]:
    """The environment of a benchmark subprocess: this checkout first on the import path."""
    return dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))


def python_command(function: str, *, gevent: bool = False) -> list[str]:
    """The argv that prints ``function(spec)`` as JSON in a fresh interpreter (gevent: patched first).

    The spec goes in as JSON on standard input: thousands of streams do not fit in an argument.

    Example::

        argv = python_command("benchmarks.concurrency:run_streams")
        subprocess.run(argv, env=python_env(), input=json.dumps(spec), capture_output=True, text=True)
    """
    module, name = function.split(":")
    code = f"import json, sys; from {module} import {name}; print(json.dumps({name}(json.load(sys.stdin))))"
    return [sys.executable, "-c", (_GEVENT_PREAMBLE if gevent else "") + code]


def last_json_line(returncode: int, stdout: str, stderr: str) -> dict[str, Any]:
    """The result a :func:`python_command` process printed, or ``{"error": <its last stderr line>}``."""
    if returncode != 0:
        lines = stderr.strip().splitlines()
        return {"error": lines[-1] if lines else f"exit {returncode}"}
    return dict(json.loads(stdout.strip().splitlines()[-1]))


def spawn(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run :func:`run_streams` for ``spec`` in a fresh process; its JSON result."""
    argv = python_command("benchmarks.concurrency:run_streams", gevent=spec["model"] == "gevent")
    try:
        proc = subprocess.run(
            argv,
            input=json.dumps(spec),
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=str(ROOT),
            env=python_env(),
        )
    except subprocess.TimeoutExpired:
        return {"error": f"no result within {timeout:.0f}s"}
    return last_json_line(proc.returncode, proc.stdout, proc.stderr)


def installed(client: str, model: str) -> bool:
    """Whether ``client`` under ``model`` can run here (gevent and langgraph_sdk are optional)."""
    import importlib.util

    needs = (["gevent"] if model == "gevent" else []) + (["langgraph_sdk"] if client == "sdk" else [])
    return all(importlib.util.find_spec(name) is not None for name in needs)


def _measure(
    args: argparse.Namespace, url: str, counts: list[int], prefix: str, real: bool, log: Any, started: float
) -> dict[str, Any]:
    duration = args.events * args.interval
    results: dict[str, Any] = {}
    for n in counts:
        for model in args.models:
            for client in args.clients:
                key = f"{prefix}{client}/{model}/{n}"
                if not installed(client, model):
                    results[key] = {"error": "not installed"}
                    continue
                # Starting N threads or connections takes time of its own on a busy machine.
                deadline = duration + 30 + n / 20
                spec = {
                    "client": client,
                    "model": model,
                    "n": n,
                    "events": args.events,
                    "interval": args.interval,
                    "url": url,
                    "deadline": deadline,
                    "real": real,
                }
                result = spawn(spec, timeout=deadline + 60)
                results[key] = result
                state = result.get("error") or f"{result['completed']}/{n} completed"
                print(f"  {key}: {state} at {time.monotonic() - started:.0f}s", file=log)
    return results


def run_all(args: argparse.Namespace, log: Any = sys.stderr) -> dict[str, Any]:
    """Measure every (client, model, N) of ``args``, plus one single stream per (client, model).

    With ``args.real``, the same on a real ``langgraph dev`` server (stateless
    runs of the example graph ``slow``), under keys prefixed ``real/``.
    """
    started = time.monotonic()
    results: dict[str, Any] = {}
    if args.n:
        server: Any = WideServer({}, trickle_count=args.events, trickle_interval=args.interval)
        if args.gevent_server:
            from benchmarks.relay_load import ServerProcess

            server = ServerProcess(args.events, args.interval)
        with server:
            results.update(_measure(args, server.url, [1, *args.n], "", False, log, started))
    if args.real:
        from lgsync.devserver import DevServer, DevServerError

        try:
            # Every run at once: the server's default of a few jobs per worker would queue them.
            with DevServer(ROOT / "examples" / "langgraph.json", jobs_per_worker=max(args.real) + 10) as dev:
                results.update(_measure(args, dev.url, [1, *args.real], "real/", True, log, started))
        except DevServerError as exc:
            print(f"  real server skipped: {str(exc).splitlines()[0]}", file=log)
    return {"results": results, "seconds": time.monotonic() - started}


def report(args: argparse.Namespace, run: dict[str, Any], real: bool = False) -> str:
    """A table: one row per (client, model, N), latency beside the same client's single stream."""
    results = run["results"]
    prefix = "real/" if real else ""
    rows = []
    for n in args.real if real else args.n:
        for model in args.models:
            for client in args.clients:
                r = results.get(f"{prefix}{client}/{model}/{n}", {"error": "not run"})
                if "error" in r:
                    rows.append([client, model, f"{n:,}", "-", r["error"], *["-"] * 9])
                    continue
                single = results.get(f"{prefix}{client}/{model}/1", {})
                p99, p99_one = r.get("p99_ms"), single.get("p99_ms")
                steady = r.get("p99_steady_ms")
                failed = f"{r['failed']}" + (f" ({r['first_error']})" if r["failed"] else "")
                rows.append(
                    [
                        client,
                        model,
                        f"{n:,}",
                        f"{r['completed']:,}",
                        failed,
                        f"{r['most_open']:,}",
                        _num(r["rss_growth_kb"] / n, ".1f"),
                        f"{r['peak_fds']:,} (+{r['peak_fds'] - r['base_fds']:,})",
                        f"{r['peak_threads']:,}",
                        _num(r["cpu_s"] / r["events"] * 1000 if r["events"] else None, ".2f"),
                        _num(p99, ".1f"),
                        _num(steady, ".1f"),
                        _num(p99_one, ".1f"),
                        _num(r["seconds"], ".1f"),
                    ]
                )
    header = [
        "client",
        "model",
        "streams",
        "completed",
        "failed (first error)",
        "most open at once",
        "kB/stream",
        "fds (+growth)",
        "OS threads",
        "CPU s/1000 ev",
        "p99 ms",
        "p99 all open",
        "p99 1 stream",
        "wall s",
    ]
    return _table(header, rows)


def targets(args: argparse.Namespace, run: dict[str, Any]) -> str:
    """The issue's client target, at the largest N run: lgsync under gevent, every stream, at most 30 kB each."""
    rows = []
    n = max(args.n, default=0)
    for client in (c for c in args.clients if c.startswith("lgsync-")):
        r = run["results"].get(f"{client}/gevent/{n}")
        if r is None or "error" in r:
            continue
        per_stream = r["rss_growth_kb"] / n
        met = r["completed"] == n and per_stream <= 30
        rows.append([f"{client}, gevent, {n:,} streams: completed, kB/stream", f"{r['completed']:,}, {per_stream:.1f}"])
        rows[-1] += [f"{n:,}, 30 (target set at 10,000)", "yes" if met else "NO"]
    floor = run["results"].get(f"floor/gevent/{n}")
    if rows and floor is not None and "error" not in floor:
        # What N raw sockets under gevent cost with no client: the part of the figure no client can cut.
        rows.append(
            [
                f"floor (raw socket, no client), gevent, {n:,} streams: kB/stream",
                _num(floor["rss_growth_kb"] / n, ".1f"),
            ]
        )
        rows[-1] += ["(for comparison)", ""]
    return _table(["target", "measured", "limit", "met"], rows) if rows else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.concurrency", description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="*", default=[100, 1000, 3000], help="streams open at once (none: skip)")
    parser.add_argument("--events", type=int, default=60, help="events per stream")
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between two events of a stream")
    parser.add_argument("--clients", nargs="+", choices=CLIENTS + EXTRA_CLIENTS, default=CLIENTS)
    parser.add_argument("--models", nargs="+", choices=MODELS, default=MODELS)
    parser.add_argument(
        "--real",
        type=int,
        nargs="+",
        default=[],
        metavar="N",
        help="also these N against a real `langgraph dev` server (the demo extra)",
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
        f"Machine: {machine()}; {limits()}. Each stream: {args.events} events, "
        f"{args.interval * 1000:g} ms apart; took {run['seconds']:.0f}s"
    )
    print(
        "kB/stream = peak RSS growth / N; fds and OS threads are peaks of the client process; "
        "p99 = receive time minus the server's send time, over every event or once every stream is open"
    )
    if args.n:
        print()
        print("Benchmark server: each stream joins a trickle whose events carry their send time")
        print(report(args, run))
        table = targets(args, run)
        if table:
            print()
            print(table)
    if args.real:
        print()
        print(
            "Real `langgraph dev` server: each stream is a new stateless run of the example graph `slow` "
            "(no send time in its events, so no latency)"
        )
        print(report(args, run, real=True))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine(), "python": platform.python_version(), **run}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
