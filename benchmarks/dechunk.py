"""``python -m benchmarks.dechunk``: lgsync's own chunked framing against ``http.client``'s, side by side.

Both sides read the same chunked SSE bodies through ``Urllib3Body`` (the one
body reader of both transports). "dechunker" frames the chunks itself, every
chunk in the socket buffer per read; "http.client" lets the standard library
de-chunk, one chunk per read. Two layers: bytes (``iter_bytes``) and events
(``client.runs.join_stream``, parsing and JSON included). Two scenarios: a
burst of small events already waiting in the socket, and events paced by the
server. Every measurement runs in a fresh process, the two sides interleaved;
each figure is a median, each ratio is http.client / dechunker (above 1: the
dechunker is faster).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

from benchmarks.payloads import small_messages
from benchmarks.server import BenchServer

__all__ = ["main", "measure", "run"]

ROOT = Path(__file__).resolve().parent.parent
MODES = ("dechunker", "http.client")
LAYERS = ("bytes", "events")


def _read_bytes(base_url: str, thread: str) -> Iterator[bytes]:
    import urllib3

    from lgsync.transport._body import Urllib3Body

    url = f"{base_url}/threads/{thread}/runs/r/stream"
    pool = urllib3.PoolManager()
    raw = pool.request("GET", url, preload_content=False, headers={"Accept": "text/event-stream"})
    body = Urllib3Body(raw, url)
    try:
        yield from body.iter_bytes()
    finally:
        body.close()
        pool.clear()


def _read_events(base_url: str, thread: str) -> Iterator[Any]:
    import lgsync

    with lgsync.get_sync_client(url=base_url, api_key=None, transport="urllib3") as client:
        for part in client.runs.join_stream(thread, "r"):
            yield part.data


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement in this process: ``spec`` names the mode, the layer, the scenario and the server."""
    import lgsync.transport._body as body

    if spec["mode"] == "http.client":
        body.can_dechunk = lambda response: False  # the library de-chunks
    # Imports and first-use costs are paid here, outside the timing, alike on both sides.
    read = _read_bytes if spec["layer"] == "bytes" else _read_events
    for _ in read(spec["url"], "warm.chunked"):
        pass
    thread = f"{spec['scenario']}.chunked"
    paced = spec["scenario"] == "trickle"
    latencies: list[float] = []
    count = 0
    cpu = time.process_time()
    start = time.perf_counter()
    if spec["layer"] == "bytes":
        tail = b""  # an event's blank line may straddle two reads
        for chunk in _read_bytes(spec["url"], thread):
            count += (tail + chunk[:3]).count(b"\r\n\r\n") + chunk.count(b"\r\n\r\n")
            tail = (tail + chunk)[-3:]
    else:
        for data in _read_events(spec["url"], thread):
            if paced and isinstance(data, dict) and "sent" in data:
                latencies.append(time.perf_counter() - data["sent"])
            count += 1
    return {
        "events": count,
        "seconds": time.perf_counter() - start,
        "cpu_seconds": time.process_time() - cpu,
        "latency_ms": statistics.median(latencies) * 1000 if latencies else None,
    }


def _spawn(spec: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.dechunk", "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=str(ROOT),
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"measurement {spec} failed: {proc.stderr.strip()[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def run(*, burst: int = 20_000, paced: int = 200, interval: float = 0.005, repeats: int = 5) -> list[dict[str, Any]]:
    """Every (scenario, layer) pair, both modes interleaved ``repeats`` times; one row of medians each."""
    rows: list[dict[str, Any]] = []
    bodies = {"warm": small_messages(20), "burst": small_messages(burst)}
    with BenchServer(bodies, trickle_count=paced, trickle_interval=interval) as server:
        for scenario, expected in (("burst", burst), ("trickle", paced)):
            for layer in LAYERS:
                results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
                for repeat in range(repeats):
                    for mode in MODES if repeat % 2 == 0 else reversed(MODES):
                        spec = {"mode": mode, "layer": layer, "scenario": scenario, "url": server.url}
                        result = _spawn(spec)
                        if result["events"] != expected:
                            raise RuntimeError(f"{spec}: read {result['events']} events, expected {expected}")
                        results[mode].append(result)
                row: dict[str, Any] = {"scenario": scenario, "layer": layer, "events": expected}
                for key in ("seconds", "cpu_seconds", "latency_ms"):
                    for mode in MODES:
                        values = [r[key] for r in results[mode] if r[key] is not None]
                        row[f"{key}[{mode}]"] = statistics.median(values) if values else None
                    ours, theirs = row[f"{key}[dechunker]"], row[f"{key}[http.client]"]
                    row[f"{key}[ratio]"] = theirs / ours if ours and theirs else None
                rows.append(row)
    return rows


def _table(rows: list[dict[str, Any]]) -> str:
    head = (
        "| scenario | layer | events | wall s dechunker | wall s http.client | ratio "
        "| cpu s dechunker | cpu s http.client | ratio | latency ms dechunker | latency ms http.client |"
    )
    lines = [head, "|" + "---|" * 11]

    def cell(value: Any, digits: int = 3) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    for row in rows:
        lines.append(
            f"| {row['scenario']} | {row['layer']} | {row['events']} "
            f"| {cell(row['seconds[dechunker]'])} | {cell(row['seconds[http.client]'])} | {cell(row['seconds[ratio]'], 2)} "
            f"| {cell(row['cpu_seconds[dechunker]'])} | {cell(row['cpu_seconds[http.client]'])} "
            f"| {cell(row['cpu_seconds[ratio]'], 2)} "
            f"| {cell(row['latency_ms[dechunker]'], 2)} | {cell(row['latency_ms[http.client]'], 2)} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dechunk", description=__doc__.splitlines()[0])
    parser.add_argument("--burst", type=int, default=20_000, help="events in the burst scenario (default 20000)")
    parser.add_argument("--paced", type=int, default=200, help="events in the paced scenario (default 200)")
    parser.add_argument("--interval", type=float, default=0.005, help="seconds between paced events (default 0.005)")
    parser.add_argument("--repeats", type=int, default=5, help="measurements per mode and row (default 5)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON instead of a table")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(json.loads(args.child))))
        return 0
    rows = run(burst=args.burst, paced=args.paced, interval=args.interval, repeats=args.repeats)
    print(json.dumps(rows, indent=2) if args.json else _table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
