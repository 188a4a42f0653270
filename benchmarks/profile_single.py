"""``python -m benchmarks.profile_single``: instructions per event and per call, counted by callgrind.

Wall-clock ratios drift with the load of the machine; instruction counts do
not. Each client runs in a fresh process under ``valgrind --tool=callgrind``,
against the loopback server of ``benchmarks.compare``; every measured section
is bracketed by two marker calls (``os.getppid()`` zeroes the counters,
``os.getpgrp()`` dumps them), so imports, warm-up and bookkeeping are left
out. A stream is read twice, a short body and a long one, and the cost per
event is the difference over the difference in events: what a connection
costs once cancels out.

Three studies, one per gap of ``benchmarks.compare``:

- ``small``: small ``messages`` events, chunked and close-delimited bodies;
  lgsync measured layer by layer (transport bytes, + SSE decoding, + resume
  cursor, + ``StreamPart`` and JSON, the whole ``join_stream``), beside the
  SDK and the raw floor.
- ``trickle``: events paced 5 ms apart, one per read: instructions per read
  and event, the garbage collector's passes during the stream
  (``gc.get_stats``), and, in a run outside valgrind, how long each pass took.
- ``calls``: keep-alive ``threads.get`` against a small JSON answer, for both
  lgsync transports, their bare libraries and the SDK, and lgsync's own steps
  one by one.
"""

from __future__ import annotations

import argparse
import gc
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, Iterator

from benchmarks.payloads import small_messages
from benchmarks.server import BenchServer

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent
FRAMINGS = ("close", "chunked")
STREAM_RUNNERS = ("lgsync-urllib3", "lgsync-requests", "sdk", "floor")
#: lgsync's stream path, one layer added at a time.
LAYERS = ("bytes", "decode", "cursor", "parts", "full")
CALL_RUNNERS = ("lgsync-urllib3", "lgsync-requests", "sdk", "bare-urllib3", "bare-requests")
#: lgsync's steps of one ordinary call, each counted alone (network-free ones are marked).
CALL_STEPS = (
    "urllib3-as-lgsync",
    "transport.send",
    "http.send",
    "http.request",
    "threads.get",
    "headers_for",
    "url",
    "request-headers-check",
    "proxy_for",
    "pool_for",
    "response-headers",
    "json_result",
)
_NETWORK_STEPS = ("urllib3-as-lgsync", "transport.send", "http.send", "http.request", "threads.get")
_MARK_ZERO = "getppid"
_MARK_DUMP = "getpgrp"


# ---------------------------------------------------------------- child side


_first_section = True
_as_is = False


def _section(name: str, work: Callable[[], int], out: list[dict[str, Any]]) -> None:
    """Run ``work`` between the two markers; record its name and the count it returns.

    Every section starts from an empty garbage-collector state, so a full
    collection falls into a section because of what the section allocates,
    not because of what ran before it.
    """
    global _first_section
    if _as_is:
        # Timed, outside valgrind: the process as a benchmark runner leaves it (no collection first).
        os.getppid()
        count = work()
        os.getpgrp()
        out.append({"name": name, "count": count})
        return
    if _first_section:
        # The first section of a process costs millions of instructions more than
        # the same work later (type-cache misses, mostly): run it once, uncounted.
        _first_section = False
        _section("discard", work, [])
    gc.collect()
    os.getppid()
    count = work()
    os.getpgrp()
    out.append({"name": name, "count": count})


def _lgsync_transport(runner: str) -> Any:
    import lgsync

    return lgsync.Urllib3Transport() if runner == "lgsync-urllib3" else lgsync.RequestsTransport()


def _layer(runner: str, layer: str, url: str) -> Callable[[], int]:
    """One read of the stream at ``url`` through lgsync, up to ``layer``; returns the events (bytes for ``bytes``)."""
    import lgsync
    from lgsync._run_stream import decode_data as _decode_data
    from lgsync.schema import StreamPart
    from lgsync.sse import SSEDecoder
    from lgsync.stream import ResumeCursor
    from lgsync.timeouts import Timeout

    base, _, path = url.partition("/threads/")
    thread = path.split("/")[0]

    if layer == "full":
        # One client for every read, made outside the count, as the SDK's below.
        client = lgsync.get_sync_client(url=base, api_key=None, transport=runner.split("-", 1)[1])

        def full() -> int:
            count = 0
            for part in client.runs.join_stream(thread, "r"):
                part.data  # noqa: B018  (what every runner touches)
                count += 1
            return count

        return full

    headers = {"Accept": "text/event-stream", "Cache-Control": "no-store", "Accept-Encoding": "identity"}

    def layered() -> int:
        transport = _lgsync_transport(runner)
        response = transport.send(lgsync.Request("GET", url, headers), timeout=Timeout())
        count = 0
        try:
            if layer == "bytes":
                for chunk in response.iter_bytes():
                    count += len(chunk)
                return count
            decoder = SSEDecoder()
            cursor = ResumeCursor()
            for chunk in response.iter_bytes():
                for event in decoder.feed(chunk):
                    if layer == "decode":
                        count += 1
                        continue
                    if cursor.admit(event):
                        if layer == "parts":
                            # As lgsync._run_stream builds it.
                            tuple.__new__(StreamPart, (event.event, _decode_data(event), event.id))
                        count += 1
            return count
        finally:
            response.close()
            transport.close()

    return layered


_sdk_clients: dict[str, Any] = {}


def _other_stream(runner: str, url: str) -> Callable[[], int]:
    """The SDK (one client for every read: making one loads a CA bundle) or the floor of ``benchmarks.runners``."""
    from benchmarks.runners import stream_reader

    base, _, path = url.partition("/threads/")
    thread = path.split("/")[0]
    if runner == "sdk":
        import langgraph_sdk

        client = _sdk_clients.get(base) or _sdk_clients.setdefault(
            base, langgraph_sdk.get_sync_client(url=base, api_key=None)
        )

        def sdk() -> int:
            count = 0
            for part in client.runs.join_stream(thread, "r"):
                part.data  # noqa: B018
                count += 1
            return count

        return sdk
    read = stream_reader(runner, "orjson")

    def work() -> int:
        return sum(1 for _ in read(base, thread, "r"))

    return work


def _gc_watch() -> tuple[list[dict[str, Any]], Callable[[str, dict[str, Any]], None]]:
    passes: list[dict[str, Any]] = []
    started: list[float] = []

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(time.perf_counter())
        elif started:
            passes.append(
                {
                    "generation": info["generation"],
                    "ms": (time.perf_counter() - started.pop()) * 1000,
                    "at": time.perf_counter(),
                }
            )

    return passes, callback


def _warm_up(runner: str, layer: str, warm_url: str, work: Callable[[], int]) -> None:
    """Keep first-use costs out of the count.

    CPython 3.11 specialises a function's bytecode after its first calls:
    code that runs once per stream is rewritten on its eighth stream, so the
    small body is read ten times before the measured one is read once.
    """
    warm = _layer(runner, layer, warm_url) if runner.startswith("lgsync-") else _other_stream(runner, warm_url)
    for _ in range(10):
        warm()
    work()


def child_small(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    runner, server = spec["runner"], spec["url"]
    layers = LAYERS if runner.startswith("lgsync-") else ("full",)
    for framing in spec["framings"]:
        for layer in layers:
            for size in ("lo", "hi"):
                url = f"{server}/threads/{size}.{framing}/runs/r/stream"
                work = _layer(runner, layer, url) if runner.startswith("lgsync-") else _other_stream(runner, url)
                _warm_up(runner, layer, f"{server}/threads/warm.{framing}/runs/r/stream", work)
                _section(f"{framing}/{layer}/{size}", work, out)
    return out


def child_trickle(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The trickle, read once per framing; with ``timed`` (outside valgrind) the latencies and GC passes too."""
    from benchmarks.runners import stream_reader

    out: list[dict[str, Any]] = []
    runner, server = spec["runner"], spec["url"]
    read = stream_reader(runner, "orjson")
    for framing in spec["framings"]:
        for _ in read(server, f"warm.{framing}", "r"):
            pass
        # The same connection set-up with 20 events in one burst: subtracted, it leaves the per-event cost.
        warm_thread, trickle_thread = f"warm.{framing}", f"trickle.{framing}"
        _section(f"{framing}/warm", lambda thread=warm_thread: sum(1 for _ in read(server, thread, "r")), out)
        passes, callback = _gc_watch()
        latencies: list[float] = []
        objects = len(gc.get_objects())
        before = gc.get_stats()
        gc.callbacks.append(callback)
        try:

            def work(thread: str = trickle_thread, latencies: list[float] = latencies) -> int:
                count = 0
                for data in read(server, thread, "r"):
                    latencies.append(time.perf_counter() - data["sent"])
                    count += 1
                return count

            _section(f"{framing}/trickle", work, out)
        finally:
            gc.callbacks.remove(callback)
        after = gc.get_stats()
        collections = [a["collections"] - b["collections"] for a, b in zip(after, before)]
        # How long one full pass takes in this process, and what is tracked.
        t = time.perf_counter()
        gc.collect()
        full_ms = (time.perf_counter() - t) * 1000
        out[-1].update(
            {
                "gc_collections": collections,
                "gc_passes": passes,
                "tracked_objects": objects,
                "full_pass_ms": full_ms,
                "latencies_ms": [x * 1000 for x in latencies],
            }
        )
    return out


def child_calls(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    runner, server, count = spec["runner"], spec["url"], spec["count"]
    for name, call in _call_steps(runner, server):
        for _ in range(20):
            call()
        # Steps without a network round trip are cheap: more of them, for the same precision.
        times = count if name in _NETWORK_STEPS else count * 10

        def work(call: Callable[[], Any] = call, times: int = times) -> int:
            for _ in range(times):
                call()
            return times

        _section(name, work, out)
    return out


def _call_steps(runner: str, server: str) -> Iterator[tuple[str, Callable[[], Any]]]:
    target = f"{server}/threads/t"
    if runner == "sdk":
        import langgraph_sdk

        sdk = langgraph_sdk.get_sync_client(url=server, api_key=None)
        yield "threads.get", lambda: sdk.threads.get("t")
        return
    if runner == "bare-urllib3":
        import urllib3

        pool = urllib3.PoolManager()
        accept = {"Accept": "application/json"}
        yield "threads.get", lambda: json.loads(pool.request("GET", target, headers=accept).data)
        return
    if runner == "bare-requests":
        import requests

        session = requests.Session()
        accept = {"Accept": "application/json"}
        yield "threads.get", lambda: json.loads(session.get(target, headers=accept).content)
        return

    import lgsync
    from lgsync._headers import Headers
    from lgsync.http import json_result, read_limited
    from lgsync.transport.base import outgoing_headers

    client = lgsync.get_sync_client(url=server, api_key=None, transport=runner.split("-", 1)[1])
    http = client.http
    transport = http.transport
    timeout = http.timeout
    headers = http.headers_for(None)
    request = lgsync.Request("GET", target, headers)
    yield "threads.get", lambda: client.threads.get("t")
    yield "http.request", lambda: http.request("GET", "/threads/t")
    yield "http.send", lambda: http.send("GET", target, headers, None, buffer=True)

    def transport_send() -> bytes:
        response = transport.send(request, timeout=timeout)
        try:
            return read_limited(response, http.max_response_size, strict=True)
        finally:
            response.close()

    yield "transport.send", transport_send
    if runner == "lgsync-urllib3":
        import orjson
        import urllib3

        pool = urllib3.PoolManager(maxsize=10, retries=False, block=False)
        plain = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}

        def as_lgsync() -> Any:
            # What lgsync asks of urllib3, without lgsync around it.
            raw = pool.urlopen(
                "GET",
                target,
                headers=plain,
                redirect=False,
                retries=False,
                timeout=urllib3.Timeout(connect=timeout.connect, read=timeout.read),
                preload_content=False,
                decode_content=False,
            )
            read1 = raw._fp.read1
            pieces = []
            while True:
                chunk = read1(65536)
                if not chunk:
                    break
                pieces.append(chunk)
            raw.release_conn()
            return orjson.loads(b"".join(pieces))

        yield "urllib3-as-lgsync", as_lgsync
        yield "proxy_for", lambda: transport._proxy_for(target)
        yield "pool_for", lambda: transport._pool_for(None)
    yield "headers_for", lambda: http.headers_for(None)
    yield "url", lambda: http.url("/threads/t")

    # What each transport's send does first: every header checked, one per name.
    yield "request-headers-check", lambda: outgoing_headers(request)
    sample = [("content-type", "application/json"), ("content-length", "210")]
    yield "response-headers", lambda: Headers(list(sample))
    body = b'{"thread_id":"t","status":"idle","values":{"topic":"ice cream"},"metadata":{"graph_id":"agent"}}'
    yield "json_result", lambda: json_result(body, "GET", "/threads/t", 200)


def child(spec: dict[str, Any]) -> list[dict[str, Any]]:
    global _as_is
    _as_is = bool(spec.get("as_is"))
    if spec["json"] == "stdlib":
        sys.modules["orjson"] = None  # type: ignore[assignment]
    study = spec["study"]
    if study == "small":
        return child_small(spec)
    if study == "trickle":
        return child_trickle(spec)
    if study == "calls":
        return child_calls(spec)
    raise ValueError(f"unknown study {study!r}")


# --------------------------------------------------------------- parent side

_NAMED = re.compile(r"\((\d+)\)\s*(.*)")


#: callgrind's estimate of cycles from its cache and branch simulation (as KCachegrind's "CEst").
_CYCLE_WEIGHTS = {
    "Ir": 1,
    "Bcm": 10,
    "Bim": 10,
    "I1mr": 10,
    "D1mr": 10,
    "D1mw": 10,
    "ILmr": 100,
    "DLmr": 100,
    "DLmw": 100,
}


def _self_costs(parts: list[str]) -> list[tuple[dict[str, int], int]]:
    """Instructions per C function (self cost) of each dump in ``parts``, in order, and its estimated cycles.

    callgrind compresses names across dumps (a name is spelled out once, in the
    first dump that meets it), which ``callgrind_annotate`` cannot follow on a
    later part: the files are read in order here and the names resolved. The
    cycle estimate is 0 unless the cache and branch simulations ran.
    """
    names: dict[str, str] = {}
    out = []
    for path in parts:
        costs: dict[str, int] = {}
        cycles = 0
        weights: list[int] = [1]
        fn = ""
        after_call = False
        with open(path, errors="replace") as f:
            for line in f:
                head = line[:1]
                if head.isdigit() or head in "+-*":
                    if not after_call:
                        fields = line.split()
                        costs[fn] = costs.get(fn, 0) + int(fields[1]) if len(fields) > 1 else costs.get(fn, 0)
                        cycles += sum(w * int(v) for w, v in zip(weights, fields[1:]))
                    after_call = False
                    continue
                after_call = line.startswith("calls=")
                if line.startswith("events:"):
                    weights = [_CYCLE_WEIGHTS.get(name, 0) for name in line.split()[1:]]
                elif line.startswith(("fn=", "cfn=")):
                    key, _, rest = line.rstrip("\n").partition("=")
                    match = _NAMED.match(rest)
                    ident = match.group(1) if match else rest
                    if match is None or match.group(2):
                        names[ident] = match.group(2) if match else rest
                    if key == "fn":
                        fn = ident
        out.append(({names.get(k, k): v for k, v in costs.items()}, cycles if len(weights) > 1 else 0))
    return out


def spawn(spec: dict[str, Any], keep: str | None, valgrind: bool = True, cycles: bool = False) -> list[dict[str, Any]]:
    """Run one child under callgrind; each section comes back with its instruction count (``ir``)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), PYTHONHASHSEED="0")
    workdir = tempfile.mkdtemp(prefix="lgsync-callgrind-")
    try:
        base = os.path.join(workdir, "cg.out")
        command = [sys.executable, "-m", "benchmarks.profile_single", "--child", json.dumps(spec)]
        if valgrind:
            command = [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={base}",
                f"--zero-before={_MARK_ZERO}",
                f"--dump-before={_MARK_DUMP}",
                *(["--cache-sim=yes", "--branch-sim=yes"] if cycles else []),
                *command,
            ]
        proc = subprocess.run(command, capture_output=True, text=True, cwd=str(ROOT), env=env, timeout=3600)
        if proc.returncode != 0:
            raise RuntimeError(f"{spec['study']} {spec['runner']} failed: {proc.stderr.strip()[-3000:]}")
        sections: list[dict[str, Any]] = json.loads(proc.stdout.strip().splitlines()[-1])
        if valgrind:
            parts = sorted(glob.glob(base + ".*"), key=lambda p: int(p.rsplit(".", 1)[1]))
            costs = _self_costs(parts)[1:]  # the first section, run twice: its first run is left out
            parts = parts[1:]
            if len(parts) != len(sections):
                raise RuntimeError(f"{len(parts)} callgrind dumps for {len(sections)} sections")
            for section, part, (functions, cycles) in zip(sections, parts, costs):
                section["ir"] = sum(functions.values())
                section["cycles"] = cycles
                section["functions"] = functions
                if keep:
                    name = f"{spec['study']}.{spec['runner']}.{spec['json']}.{section['name'].replace('/', '.')}"
                    shutil.copy(part, os.path.join(keep, f"callgrind.{name}"))
        return sections
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _per(hi: dict[str, Any], lo: dict[str, Any]) -> float:
    return (hi["ir"] - lo["ir"]) / (hi["count"] - lo["count"])


def _top(hi: dict[str, Any], lo: dict[str, Any], events: float, count: int = 12) -> list[tuple[str, float]]:
    """The C functions that cost most per event (self cost, long read minus short read)."""
    names = set(hi["functions"]) | set(lo["functions"])
    per = {n: (hi["functions"].get(n, 0) - lo["functions"].get(n, 0)) / events for n in names}
    return sorted(per.items(), key=lambda item: -item[1])[:count]


def study_small(args: argparse.Namespace, server_url: str, pool: ThreadPoolExecutor) -> dict[str, Any]:
    jobs = {}
    for runner in args.runners:
        for mode in ("orjson", "stdlib") if args.stdlib_json and runner != "sdk" else ("orjson",):
            spec = {"study": "small", "runner": runner, "json": mode, "url": server_url, "framings": list(FRAMINGS)}
            jobs[(runner, mode)] = pool.submit(spawn, spec, args.keep, True, args.cycles)
    results: dict[str, Any] = {}
    for (runner, mode), job in jobs.items():
        by_name = {s["name"]: s for s in job.result()}
        label = runner + (" (json)" if mode == "stdlib" else "")
        for framing in FRAMINGS:
            row = {}
            for layer in LAYERS:
                lo, hi = by_name.get(f"{framing}/{layer}/lo"), by_name.get(f"{framing}/{layer}/hi")
                if lo and hi:
                    events = hi["count"] - lo["count"] if layer != "bytes" else args.events - args.events // 2
                    row[layer] = (hi["ir"] - lo["ir"]) / events
                    row[f"top:{layer}"] = _top(hi, lo, events)
                    if hi.get("cycles"):
                        row[f"cycles:{layer}"] = (hi["cycles"] - lo["cycles"]) / events
            results[f"{framing}/{label}"] = row
    return results


def study_trickle(args: argparse.Namespace, server_url: str, pool: ThreadPoolExecutor) -> dict[str, Any]:
    runners = [r for r in args.runners if r != "sdk"] + (["sdk"] if "sdk" in args.runners else [])
    jobs = {}
    spec = {"study": "trickle", "json": "orjson", "url": server_url, "framings": list(FRAMINGS)}
    for runner in runners:
        jobs[runner] = pool.submit(spawn, dict(spec, runner=runner), args.keep, True, args.cycles)
    counted_runs = {runner: {s["name"]: s for s in job.result()} for runner, job in jobs.items()}
    # Timed outside valgrind, one at a time, after the counted runs.
    timed_runs = {
        runner: {s["name"]: s for s in spawn(dict(spec, runner=runner, as_is=True), None, False)} for runner in runners
    }
    results: dict[str, Any] = {}
    for runner in runners:
        counted, timed = counted_runs[runner], timed_runs[runner]
        for framing in FRAMINGS:
            c, t, w = counted[f"{framing}/trickle"], timed[f"{framing}/trickle"], counted[f"{framing}/warm"]
            lat = sorted(t["latencies_ms"])
            results[f"{framing}/{runner}"] = {
                "events": c["count"],
                "ir_per_event": (c["ir"] - w["ir"]) / (c["count"] - w["count"]),
                "gc_collections_timed": t["gc_collections"],
                "tracked_objects": t["tracked_objects"],
                "full_pass_ms": t["full_pass_ms"],
                "gc_passes_timed": [p for p in t["gc_passes"] if p["generation"] > 0 or p["ms"] > 0.5],
                "gen0_passes_timed": sum(1 for p in t["gc_passes"] if p["generation"] == 0),
                "p50_ms": lat[len(lat) // 2],
                "p99_ms": lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))],
                "max_ms": lat[-1],
            }
    return results


def study_calls(args: argparse.Namespace, server_url: str, pool: ThreadPoolExecutor) -> dict[str, Any]:
    jobs = {}
    for runner in CALL_RUNNERS:
        if runner in args.runners or runner.startswith("bare-"):
            spec = {"study": "calls", "runner": runner, "json": "orjson", "url": server_url, "count": args.calls}
            jobs[runner] = pool.submit(spawn, spec, args.keep, True, args.cycles)
    return {runner: {s["name"]: s["ir"] / s["count"] for s in job.result()} for runner, job in jobs.items()}


# ------------------------------------------------------------------- report


def _k(value: float | None) -> str:
    return "-" if value is None else f"{value:,.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a and b else "-"


def report(results: dict[str, Any]) -> str:
    lines: list[str] = []
    small = results.get("small")
    if small:
        lines.append(
            "Small events: instructions per event (callgrind; lgsync by layer, each including the ones before)"
        )
        lines.append("")
        head = (
            "| framing | runner | bytes | + decode | + cursor | + part, JSON | whole join_stream "
            "| vs sdk (speed) | vs floor | est. cycles / event | vs sdk (cycles) |"
        )
        lines += [head, "|---|---|---|---|---|---|---|---|---|---|---|"]
        tops: list[tuple[str, Any]] = []
        for key, row in small.items():
            framing, label = key.split("/", 1)
            sdk = small.get(f"{framing}/sdk", {}).get("full")
            floor = small.get(f"{framing}/floor" + (" (json)" if "(json)" in label else ""), {}).get("full")
            full = row.get("full")
            tops.append((key, row.get("top:full")))
            lines.append(
                f"| {framing} | {label} | {_k(row.get('bytes'))} | {_k(row.get('decode'))} | {_k(row.get('cursor'))} "
                f"| {_k(row.get('parts'))} | {_k(full)} | {_ratio(sdk, full)} | {_ratio(floor, full)} "
                f"| {_k(row.get('cycles:full'))} "
                f"| {_ratio(small.get(f'{framing}/sdk', {}).get('cycles:full'), row.get('cycles:full'))} |"
            )
        lines.append("")
        lines.append("The C functions that cost most per event (self instructions), whole read")
        for key, top in tops:
            if top:
                lines.append(f"- {key}: " + ", ".join(f"{name} {cost:,.0f}" for name, cost in top[:8]))
        lines.append("")
    trickle = results.get("trickle")
    if trickle:
        lines.append(
            "Trickle (one event per read): instructions per event (counted), and from a run outside valgrind "
            "as the benchmark runner leaves the process: GC passes during the stream, a full pass, latencies"
        )
        lines.append("")
        head = (
            "| framing | runner | instr / event | GC passes (gen0, 1, 2) | tracked objects | full pass ms "
            "| gen1+ passes (ms) | p50 ms | p99 ms | max ms |"
        )
        lines += [head, "|---|---|---|---|---|---|---|---|---|---|"]
        for key, row in trickle.items():
            framing, runner = key.split("/", 1)
            passes = ", ".join(f"g{p['generation']} {p['ms']:.2f}" for p in row["gc_passes_timed"]) or "none"
            lines.append(
                f"| {framing} | {runner} | {_k(row['ir_per_event'])} | {tuple(row['gc_collections_timed'])} "
                f"| {row['tracked_objects']:,} | {row['full_pass_ms']:.2f} | {passes} "
                f"| {row['p50_ms']:.3f} | {row['p99_ms']:.3f} | {row['max_ms']:.3f} |"
            )
        lines.append("")
    calls = results.get("calls")
    if calls:
        lines.append("Ordinary calls: instructions per keep-alive threads.get (and per step of lgsync's path)")
        lines.append("")
        lines += ["| runner | instr / call | vs bare urllib3 | vs bare requests | vs sdk |", "|---|---|---|---|---|"]
        bare_u = calls.get("bare-urllib3", {}).get("threads.get")
        bare_r = calls.get("bare-requests", {}).get("threads.get")
        sdk = calls.get("sdk", {}).get("threads.get")
        for runner, steps in calls.items():
            mine = steps.get("threads.get")
            # Calls per second go as 1 / instructions: "vs" is the speed ratio.
            lines.append(
                f"| {runner} | {_k(mine)} | {_ratio(bare_u, mine)} | {_ratio(bare_r, mine)} | {_ratio(sdk, mine)} |"
            )
        lines.append("")
        lines += ["| step | " + " | ".join(r for r in calls if r.startswith("lgsync")) + " |", "|---|---|---|"]
        for step in CALL_STEPS:
            cells = [_k(calls[r].get(step)) for r in calls if r.startswith("lgsync")]
            lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_single", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--studies", nargs="+", default=["small", "trickle", "calls"], choices=["small", "trickle", "calls"]
    )
    parser.add_argument("--runners", nargs="+", default=list(STREAM_RUNNERS), help="runners to count (default: all)")
    parser.add_argument("--events", type=int, default=4000, help="events of the long small body (the short has half)")
    parser.add_argument("--trickle", type=int, default=200, help="events of the trickle, 5 ms apart (default 200)")
    parser.add_argument("--calls", type=int, default=300, help="keep-alive calls per step (default 300)")
    parser.add_argument("--stdlib-json", action="store_true", help="count lgsync and the floor with json as well")
    parser.add_argument(
        "--cycles",
        action="store_true",
        help="also simulate caches and branches: estimated cycles beside instructions (slower)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="children under valgrind at once (default 2)")
    parser.add_argument(
        "--keep",
        metavar="DIR",
        help="keep each section's callgrind dump here (names are compressed across a process's dumps)",
    )
    parser.add_argument("--json", metavar="PATH", help="write the figures here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return 0
    if shutil.which("valgrind") is None:
        parser.error("valgrind is not installed (apt-get install valgrind)")
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    bodies = {"warm": small_messages(20), "lo": small_messages(args.events // 2), "hi": small_messages(args.events)}
    results: dict[str, Any] = {}
    started = time.monotonic()
    with BenchServer(bodies, trickle_count=args.trickle) as server, ThreadPoolExecutor(args.jobs) as pool:
        for study in args.studies:
            run = {"small": study_small, "trickle": study_trickle, "calls": study_calls}[study]
            results[study] = run(args, server.url, pool)
            print(f"{study} done at {time.monotonic() - started:.0f}s", file=sys.stderr)
    print(report(results))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
