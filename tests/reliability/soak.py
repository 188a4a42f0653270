"""Drops injected into real streams, and what reached the caller: ``python -m tests.reliability.soak``.

Starts the real LangGraph dev server, puts the fault proxy in front of it,
and streams runs of 2000 numbered custom events (``stream_resumable=True``)
while the proxy cuts each connection at random bytes. For lgsync on both
transports (``runs.stream`` and ``join_stream``) and for langgraph_sdk's sync
client, it counts the events lost and delivered twice. A measurement, not a
test: the figures go into release notes.
"""

from __future__ import annotations

import argparse
import collections
import random
import time
from pathlib import Path
from typing import Any, Callable

import lgsync
from lgsync.devserver import DevServer
from tests.support.fault_proxy import Fault, FaultProxy

COUNT = 2000
ROOT = Path(__file__).resolve().parent.parent.parent


def _lgsync_stream(url: str, transport: str, join: bool) -> Callable[[], tuple[list[int], int, int]]:
    def run() -> tuple[list[int], int, int]:
        client = lgsync.get_sync_client(
            url=url, api_key=None, transport=transport, stream_retry=lgsync.Retry(total=8, backoff_factor=0.01)
        )
        thread = client.threads.create()
        options: dict[str, Any] = {"input": {"count": COUNT, "delay": 0.0003}, "stream_resumable": True}
        if join:
            run_ = client.runs.create(thread["thread_id"], "custom", stream_mode=["custom"], **options)
            stream = client.runs.join_stream(
                thread["thread_id"], run_["run_id"], stream_mode="custom", last_event_id="0"
            )
        else:
            stream = client.runs.stream(thread["thread_id"], "custom", stream_mode=["custom"], **options)
        got = [part.data["i"] for part in stream if part.event == "custom"]
        return got, stream.reconnects, stream.duplicates_skipped

    return run


def _sdk_stream(url: str) -> Callable[[], tuple[list[int], int, int]]:
    def run() -> tuple[list[int], int, int]:
        import warnings

        from langgraph_sdk import get_sync_client

        client = get_sync_client(url=url, api_key=None)
        thread = client.threads.create()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parts = client.runs.stream(
                thread["thread_id"],
                "custom",
                input={"count": COUNT, "delay": 0.0003},
                stream_mode=["custom"],
                stream_resumable=True,
            )
            got = [part.data["i"] for part in parts if part.event == "custom"]
        return got, -1, -1

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per client (default 5)")
    parser.add_argument("--cuts", type=int, default=6, help="cuts per run (default 6)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rnd = random.Random(args.seed)
    with DevServer(ROOT / "examples" / "langgraph.json", jobs_per_worker=4) as server:
        clients: dict[str, Callable[[str], Callable[[], tuple[list[int], int, int]]]] = {
            "lgsync-urllib3 stream": lambda url: _lgsync_stream(url, "urllib3", join=False),
            "lgsync-requests stream": lambda url: _lgsync_stream(url, "requests", join=False),
            "lgsync-urllib3 join": lambda url: _lgsync_stream(url, "urllib3", join=True),
            "lgsync-requests join": lambda url: _lgsync_stream(url, "requests", join=True),
            "langgraph_sdk stream": _sdk_stream,
        }
        print(f"{COUNT} events a run, {args.runs} runs a client, {args.cuts} cuts planned a run\n")
        print("| client | cuts made | reconnects | lost | delivered twice | repeats dropped | failed runs |")
        print("|---|---|---|---|---|---|---|")
        for name, make in clients.items():
            cuts = reconnects = lost = twice = dropped = failed = 0
            for _ in range(args.runs):
                proxy = FaultProxy(server.port)
                proxy.add_faults(*[Fault(rnd.randint(100, 40000)) for _ in range(args.cuts)])
                try:
                    got, reconnected, skipped = make(proxy.url)()
                except Exception as exc:  # a client that gives up is counted, not fatal
                    failed += 1
                    print(f"  {name}: {type(exc).__name__}: {exc}")
                    got, reconnected, skipped = [], 0, 0
                finally:
                    cuts += proxy.stats.faults_injected
                    proxy.close()
                counts = collections.Counter(got)
                lost += sum(1 for i in range(COUNT) if counts[i] == 0) if got else 0
                twice += sum(n - 1 for n in counts.values() if n > 1)
                reconnects += max(reconnected, 0)
                dropped += max(skipped, 0)
                time.sleep(0.2)
            shown = (str(reconnects), str(dropped)) if not name.startswith("langgraph_sdk") else ("-", "-")
            print(f"| {name} | {cuts} | {shown[0]} | {lost} | {twice} | {shown[1]} | {failed} |")


if __name__ == "__main__":
    main()
