"""The clients under test, each a function that reads one stream or makes calls.

Run as ``python -m benchmarks.runners SPEC`` (a JSON object) so that every
measurement happens in a fresh process; it prints one JSON result line.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from typing import Any, Callable, Iterator

__all__ = ["CALL_RUNNERS", "E2E_RUNNERS", "STREAM_RUNNERS", "measure"]

STREAM_RUNNERS = ["lgsync-urllib3", "lgsync-requests", "sdk", "sseclient-requests", "sseclient-urllib3", "floor"]
CALL_RUNNERS = ["lgsync-urllib3", "lgsync-requests", "sdk", "bare-urllib3", "bare-requests"]
E2E_RUNNERS = ["lgsync-urllib3", "lgsync-requests", "sdk"]

Reader = Callable[[str, str, str], Iterator[Any]]


def _json_loads(mode: str) -> Callable[[Any], Any]:
    if mode == "orjson":
        import orjson

        return orjson.loads
    return json.loads


def _lgsync_reader(transport: str) -> Reader:
    import lgsync

    def read(url: str, thread: str, run: str) -> Iterator[Any]:
        client = lgsync.get_sync_client(url=url, api_key=None, transport=transport)
        try:
            for part in client.runs.join_stream(thread, run):
                yield part.data
        finally:
            client.close()

    return read


def _sdk_reader() -> Reader:
    import langgraph_sdk

    def read(url: str, thread: str, run: str) -> Iterator[Any]:
        client = langgraph_sdk.get_sync_client(url=url, api_key=None)
        try:
            for part in client.runs.join_stream(thread, run):
                yield part.data
        finally:
            client.close()

    return read


def _sseclient_reader(library: str, loads: Callable[[Any], Any]) -> Reader:
    import sseclient

    headers = {"Accept": "text/event-stream"}

    if library == "requests":
        import requests

        def open_source(url: str) -> Any:
            # As sseclient-py's README: the response itself is the event source.
            return requests.get(url, stream=True, headers=headers)

    else:
        import urllib3

        pool = urllib3.PoolManager()

        def open_source(url: str) -> Any:
            return pool.request("GET", url, preload_content=False, headers=headers)

    def read(url: str, thread: str, run: str) -> Iterator[Any]:
        source = open_source(f"{url}/threads/{thread}/runs/{run}/stream")
        try:
            for event in sseclient.SSEClient(source).events():
                yield loads(event.data)
        finally:
            source.close()

    return read


def _floor_reader(loads: Callable[[Any], Any]) -> Reader:
    """The least a Python client can do: urllib3's ``read1``, split on blank lines, decode each data line."""
    import urllib3

    pool = urllib3.PoolManager()

    def read(url: str, thread: str, run: str) -> Iterator[Any]:
        resp = pool.request(
            "GET",
            f"{url}/threads/{thread}/runs/{run}/stream",
            preload_content=False,
            headers={"Accept": "text/event-stream"},
        )
        read1 = resp._fp.read1
        pending: list[bytes] = []
        tail = b""
        try:
            while True:
                chunk = read1(262144)
                if not chunk:
                    break
                if b"\r\n\r\n" not in tail[-3:] + chunk[:3] and b"\r\n\r\n" not in chunk:
                    pending.append(chunk)
                    tail = chunk
                    continue
                pending.append(chunk)
                blocks = b"".join(pending).split(b"\r\n\r\n")
                rest = blocks.pop()
                pending = [rest] if rest else []
                tail = rest
                for block in blocks:
                    for line in block.split(b"\r\n"):
                        if line.startswith(b"data: "):
                            yield loads(line[6:])
        finally:
            resp.release_conn()

    return read


def stream_reader(runner: str, json_mode: str) -> Reader:
    """The reader function of ``runner``; ``json_mode`` is ``orjson`` or ``stdlib``."""
    if runner.startswith("lgsync-"):
        return _lgsync_reader(runner.split("-", 1)[1])
    if runner == "sdk":
        return _sdk_reader()
    if runner.startswith("sseclient-"):
        return _sseclient_reader(runner.split("-", 1)[1], json.loads)
    if runner == "floor":
        return _floor_reader(_json_loads(json_mode))
    raise ValueError(f"unknown stream runner {runner!r}")


def _peak_rss_mb() -> float:
    # VmHWM starts afresh at exec; ru_maxrss would carry the parent's peak over.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_stream(spec: dict[str, Any]) -> dict[str, Any]:
    read = stream_reader(spec["runner"], spec["json"])
    url, run = spec["url"], "r"
    for _ in read(url, "warm." + spec["framing"], run):
        pass
    thread = f"{spec['scenario']}.{spec['framing']}"
    trickle = spec["scenario"] == "trickle"
    latencies: list[float] = []
    counts: list[int] = []
    times: list[float] = []
    rss_growth = 0.0
    for iteration in range(1 if trickle else spec.get("iterations", 1)):
        count = 0
        rss_before = _peak_rss_mb()
        start = time.perf_counter()
        for data in read(url, thread, run):
            if trickle:
                latencies.append(time.perf_counter() - data["sent"])
            count += 1
        times.append(time.perf_counter() - start)
        counts.append(count)
        if iteration == 0:
            # The first pass only: later ones reuse memory the first one freed.
            rss_growth = _peak_rss_mb() - rss_before
    times.sort()
    return {
        "events": min(counts),
        "seconds": times[len(times) // 2],
        "rss_growth_mb": rss_growth,
        "latencies": latencies,
    }


def run_calls(spec: dict[str, Any]) -> dict[str, Any]:
    runner, url, count = spec["runner"], spec["url"], spec["count"]
    target = f"{url}/threads/t"
    if runner.startswith("lgsync-"):
        import lgsync

        client = lgsync.get_sync_client(url=url, api_key=None, transport=runner.split("-", 1)[1])
        call: Callable[[], Any] = lambda: client.threads.get("t")  # noqa: E731
    elif runner == "sdk":
        import langgraph_sdk

        sdk = langgraph_sdk.get_sync_client(url=url, api_key=None)
        call = lambda: sdk.threads.get("t")  # noqa: E731
    elif runner == "bare-urllib3":
        import urllib3

        pool = urllib3.PoolManager()
        headers = {"Accept": "application/json"}
        call = lambda: json.loads(pool.request("GET", target, headers=headers).data)  # noqa: E731
    elif runner == "bare-requests":
        import requests

        session = requests.Session()
        call = lambda: json.loads(session.get(target, headers={"Accept": "application/json"}).content)  # noqa: E731
    else:
        raise ValueError(f"unknown call runner {runner!r}")
    for _ in range(20):
        call()
    start = time.perf_counter()
    for _ in range(count):
        call()
    seconds = time.perf_counter() - start
    return {"events": count, "seconds": seconds}


def run_e2e(spec: dict[str, Any]) -> dict[str, Any]:
    runner, url, count = spec["runner"], spec["url"], spec["count"]
    if runner.startswith("lgsync-"):
        import lgsync

        client: Any = lgsync.get_sync_client(url=url, api_key=None, transport=runner.split("-", 1)[1])
    else:
        import langgraph_sdk

        client = langgraph_sdk.get_sync_client(url=url, api_key=None)

    def once(n: int) -> int:
        parts = client.runs.stream(None, "custom", input={"count": n}, stream_mode="custom")
        return sum(1 for part in parts if part.event == "custom")

    once(10)
    start = time.perf_counter()
    events = once(count)
    return {"events": events, "seconds": time.perf_counter() - start}


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one measurement in this process."""
    if spec["json"] == "stdlib" and spec["runner"].startswith("lgsync-"):
        sys.modules["orjson"] = None  # type: ignore[assignment]  # lgsync falls back to the standard library
    kind = spec["kind"]
    if kind == "stream":
        return run_stream(spec)
    if kind == "calls":
        return run_calls(spec)
    if kind == "e2e":
        return run_e2e(spec)
    raise ValueError(f"unknown kind {kind!r}")


if __name__ == "__main__":
    print(json.dumps(measure(json.loads(sys.argv[1]))))
