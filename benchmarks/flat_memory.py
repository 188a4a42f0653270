"""Memory over a long stream: ``python -m benchmarks.flat_memory [--gigabytes 1]``.

A loopback server sends one chunked run stream of small ``messages`` events
(the benchmark's ~250-byte token events, repeated) until ``--gigabytes`` have
gone out; lgsync reads it on each transport in a fresh process and reports
the RSS after warm-up and at the end. A stream's memory must stay flat.
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import subprocess
import sys
import threading
import time

from benchmarks.payloads import chunk_frame, small_messages

HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
    b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
)


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def serve(total: int) -> tuple[int, threading.Thread]:
    """A one-connection server that streams ``total`` bytes of events; returns its port."""
    block = b"".join(chunk_frame(event) for event in small_messages(2000).events)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)

    def run() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(HEAD)
            sent = 0
            try:
                while sent < total:
                    conn.sendall(block)
                    sent += len(block)
                conn.sendall(b"0\r\n\r\n")
            except OSError:
                pass
        listener.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return listener.getsockname()[1], thread


def measure(transport: str, gigabytes: float) -> dict[str, float]:
    import lgsync

    total = int(gigabytes * 2**30)
    port, thread = serve(total)
    client = lgsync.get_sync_client(url=f"http://127.0.0.1:{port}", api_key=None, transport=transport)
    events = 0
    warm = 0.0
    peak = 0.0
    started = time.perf_counter()
    for _ in client.runs.join_stream("t", "r"):
        events += 1
        if events == 20_000:
            warm = _rss_mb()
        elif events % 200_000 == 0:
            peak = max(peak, _rss_mb())
    seconds = time.perf_counter() - started
    end = _rss_mb()
    thread.join(timeout=5)
    return {
        "events": events,
        "seconds": seconds,
        "rss_warm_mb": warm,
        "rss_peak_mb": max(peak, end),
        "rss_end_mb": end,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gigabytes", type=float, default=1.0)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(measure(args.run, args.gigabytes)))
        return
    print(f"{args.gigabytes:g} GB of ~250-byte events in one stream, each transport in a fresh process\n")
    print("| transport | events | seconds | RSS after 20k events MB | peak MB | growth MB |")
    print("|---|---|---|---|---|---|")
    for transport in ("urllib3", "requests"):
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.flat_memory", "--run", transport, "--gigabytes", str(args.gigabytes)],
            capture_output=True,
            text=True,
            check=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        growth = r["rss_peak_mb"] - r["rss_warm_mb"]
        print(
            f"| {transport} | {r['events']:,} | {r['seconds']:.1f} | {r['rss_warm_mb']:.1f} | "
            f"{r['rss_peak_mb']:.1f} | {growth:+.1f} |"
        )


if __name__ == "__main__":
    main()
