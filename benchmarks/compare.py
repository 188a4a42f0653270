"""``python -m benchmarks.compare``: lgsync against langgraph_sdk, sseclient-py and a raw floor.

Every measurement runs in a fresh process; runners are interleaved and
repeated, and every figure is reported as a median and as a ratio measured
in this one run, so that a busy machine slows all sides alike.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterable

from benchmarks.payloads import LARGE_SIZES, Body, large_values, small_messages
from benchmarks.runners import CALL_RUNNERS, E2E_RUNNERS, STREAM_RUNNERS
from benchmarks.server import BenchServer

__all__ = ["Plan", "main", "run_plan"]

ROOT = Path(__file__).resolve().parent.parent
FRAMINGS = ("chunked", "close")
#: sseclient-py is quadratic in an event's size: a 4 MB event takes tens of seconds.
SSECLIENT_MAX_MB = 1
SMALL_EVENT_SCENARIO = "small"


class Plan:
    """How much to run: a full comparison or a quick one."""

    def __init__(
        self, quick: bool, repeats: int | None = None, e2e: bool = True, scenarios: list[str] | None = None
    ) -> None:
        self.scenarios = scenarios or [SMALL_EVENT_SCENARIO, *LARGE_SIZES, "trickle"]
        self.repeats = repeats or (1 if quick else 3)
        self.small_events = 2000 if quick else 10000
        self.trickle_events = 60 if quick else 200
        self.calls = 100 if quick else 500
        self.e2e_events = 300 if quick else 2000
        self.import_runs = 3 if quick else 7
        self.iterations = 3
        self.e2e = e2e


def _quotient(numerator: float | None, denominator: float | None) -> float | None:
    """``numerator / denominator``, or ``None`` when either figure is missing."""
    return numerator / denominator if numerator and denominator else None


def _spawn(spec: dict[str, Any], timeout: float = 120.0) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.runners", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT),
        env=env,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _stream_jobs(plan: Plan) -> list[dict[str, Any]]:
    jobs = []
    for scenario in plan.scenarios:
        for framing in FRAMINGS:
            for runner in STREAM_RUNNERS:
                if runner.startswith("sseclient") and LARGE_SIZES.get(scenario, 0) > SSECLIENT_MAX_MB:
                    continue
                slow = runner.startswith("sseclient") and scenario in LARGE_SIZES
                jobs.append(
                    {
                        "kind": "stream",
                        "scenario": scenario,
                        "framing": framing,
                        "runner": runner,
                        "json": "orjson",
                        "iterations": 1 if slow else plan.iterations,
                    }
                )
                if scenario == SMALL_EVENT_SCENARIO and (runner.startswith("lgsync") or runner == "floor"):
                    jobs.append(dict(jobs[-1], json="stdlib"))
    return jobs


def _label(job: dict[str, Any]) -> str:
    return job["runner"] + (" (json)" if job["json"] == "stdlib" else "")


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _median(values: Iterable[float]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _import_times(runs: int) -> dict[str, float]:
    code = "import time; t = time.perf_counter(); import {0}; print(time.perf_counter() - t)"
    times: dict[str, list[float]] = {"lgsync": [], "langgraph_sdk": []}
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    # As an installed package is imported: from cached bytecode. Without this, a shell
    # with PYTHONDONTWRITEBYTECODE set would time the compiling of every new module.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for module in times:  # once, untimed, to write the bytecode
        subprocess.run([sys.executable, "-c", f"import {module}"], cwd=str(ROOT), env=env, check=True)
    for _ in range(runs):
        for module in times:
            out = subprocess.run(
                [sys.executable, "-c", code.format(module)],
                capture_output=True,
                text=True,
                cwd=str(ROOT),
                env=env,
                check=True,
            )
            times[module].append(float(out.stdout))
    return {module: statistics.median(values) * 1000 for module, values in times.items()}


def run_plan(plan: Plan, log: Any = sys.stderr) -> dict[str, Any]:
    """Run every measurement of ``plan`` and return the raw results and medians."""
    bodies: dict[str, Body] = {"warm": small_messages(20), SMALL_EVENT_SCENARIO: small_messages(plan.small_events)}
    for name, megabytes in LARGE_SIZES.items():
        bodies[name] = large_values(megabytes)
    expected = {name: len(body.events) for name, body in bodies.items()}
    expected["trickle"] = plan.trickle_events
    sizes = {name: body.size for name, body in bodies.items()}
    rng = random.Random(4)
    raw: dict[str, list[dict[str, Any]]] = {}
    started = time.monotonic()
    with BenchServer(bodies, trickle_count=plan.trickle_events) as server:
        for repeat in range(plan.repeats):
            jobs = _stream_jobs(plan)
            rng.shuffle(jobs)
            calls = [{"kind": "calls", "runner": r, "count": plan.calls, "json": "orjson"} for r in CALL_RUNNERS]
            rng.shuffle(calls)
            for job in jobs + calls:
                result = _spawn(dict(job, url=server.url))
                if job["kind"] == "stream":
                    key = f"{job['scenario']}/{job['framing']}/{_label(job)}"
                    want = expected[job["scenario"]]
                    if "error" not in result and result["events"] != want:
                        result["error"] = f"consumed {result['events']} events, expected {want}"
                else:
                    key = f"calls/{job['runner']}"
                raw.setdefault(key, []).append(result)
                if "error" in result:
                    print(f"  {key}: {result['error']}", file=log)
            print(f"repeat {repeat + 1}/{plan.repeats} done at {time.monotonic() - started:.0f}s", file=log)
    imports = _import_times(plan.import_runs)
    print(f"import times done at {time.monotonic() - started:.0f}s", file=log)
    e2e = _e2e(plan, log) if plan.e2e else {}
    print(f"finished at {time.monotonic() - started:.0f}s", file=log)
    return {"raw": raw, "sizes": sizes, "imports_ms": imports, "e2e": e2e, "seconds": time.monotonic() - started}


def _e2e(plan: Plan, log: Any) -> dict[str, list[dict[str, Any]]]:
    from lgsync.devserver import DevServer, DevServerError

    results: dict[str, list[dict[str, Any]]] = {}
    try:
        with DevServer(ROOT / "examples" / "langgraph.json") as server:
            rng = random.Random(5)
            for _ in range(plan.repeats):
                runners = list(E2E_RUNNERS)
                rng.shuffle(runners)
                for runner in runners:
                    spec = {
                        "kind": "e2e",
                        "runner": runner,
                        "url": server.url,
                        "count": plan.e2e_events,
                        "json": "orjson",
                    }
                    result = _spawn(spec)
                    if "error" not in result and result["events"] != plan.e2e_events:
                        result["error"] = f"consumed {result['events']} events, expected {plan.e2e_events}"
                    results.setdefault(runner, []).append(result)
    except DevServerError as exc:
        print(f"  end-to-end skipped: {str(exc).splitlines()[0]}", file=log)
    return results


def summarize(run: dict[str, Any]) -> dict[str, Any]:
    """Medians per measurement key: events/s, MB/s, seconds, latency p50/p99 (ms), peak RSS growth (MB)."""
    out: dict[str, Any] = {}
    for key, results in run["raw"].items():
        good = [r for r in results if "error" not in r]
        if not good:
            out[key] = {"error": results[0].get("error")}
            continue
        row: dict[str, Any] = {
            "events_per_s": _median(r["events"] / r["seconds"] for r in good),
            "seconds": _median(r["seconds"] for r in good),
            "runs": len(good),
        }
        parts = key.split("/")
        if parts[0] != "calls":
            row["mb_per_s"] = (
                _median(run["sizes"][parts[0]] / 1e6 / r["seconds"] for r in good) if parts[0] in run["sizes"] else None
            )
            row["rss_growth_mb"] = _median(r["rss_growth_mb"] for r in good)
            if parts[0] == "trickle":
                row["p50_ms"] = _median(_quantile(r["latencies"], 0.5) * 1000 for r in good)
                row["p99_ms"] = _median(_quantile(r["latencies"], 0.99) * 1000 for r in good)
        out[key] = row
    for runner, results in run["e2e"].items():
        good = [r for r in results if "error" not in r]
        out[f"e2e/{runner}"] = (
            {
                "events_per_s": _median(r["events"] / r["seconds"] for r in good),
                "seconds": _median(r["seconds"] for r in good),
                "runs": len(good),
            }
            if good
            else {"error": results[0].get("error")}
        )
    return out


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}x" if a is not None and b else "-"


def _num(value: float | None, fmt: str) -> str:
    return format(value, fmt) if value is not None else "-"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(c)) for c in col) for col in zip(header, *rows)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    return "\n".join(lines)


def _stream_labels(scenario: str) -> list[str]:
    labels = []
    for runner in STREAM_RUNNERS:
        labels.append(runner)
        if scenario == SMALL_EVENT_SCENARIO and (runner.startswith("lgsync") or runner == "floor"):
            labels.append(runner + " (json)")
    return labels


def report(run: dict[str, Any], summary: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The printed tables and the target checks."""
    get = summary.get
    text: list[str] = []
    targets: dict[str, Any] = {}

    def val(key: str, field: str) -> float | None:
        row = get(key) or {}
        return row.get(field)

    text.append(
        f"Small events ({run['sizes'][SMALL_EVENT_SCENARIO] // 1000} kB of ~250-byte `messages` events); "
        "'(json)' = lgsync or the floor with the standard library's json instead of orjson"
    )
    rows = []
    for label in _stream_labels(SMALL_EVENT_SCENARIO):
        row = [label]
        for framing in FRAMINGS:
            key = f"{SMALL_EVENT_SCENARIO}/{framing}/{label}"
            eps = val(key, "events_per_s")
            floor = val(
                f"{SMALL_EVENT_SCENARIO}/{framing}/floor" + (" (json)" if "(json)" in label else ""), "events_per_s"
            )
            row += [
                _num(eps, ",.0f"),
                _ratio(eps, val(f"{SMALL_EVENT_SCENARIO}/{framing}/sdk", "events_per_s")),
                _ratio(eps, floor),
            ]
        rows.append(row)
    text.append(_table(["runner", "chunked ev/s", "vs sdk", "vs floor", "close ev/s", "vs sdk", "vs floor"], rows))

    for name in LARGE_SIZES:
        text.append("")
        text.append(f"One `values` event of {LARGE_SIZES[name]} MB")
        rows = []
        for label in _stream_labels(name):
            if label.startswith("sseclient") and LARGE_SIZES[name] > SSECLIENT_MAX_MB:
                continue
            row = [label]
            for framing in FRAMINGS:
                key = f"{name}/{framing}/{label}"
                sec = val(key, "seconds")
                floor_key = f"{name}/{framing}/floor"
                row += [
                    _num(sec and sec * 1000, ".1f"),
                    _ratio(val(key, "mb_per_s"), val(f"{name}/{framing}/sdk", "mb_per_s")),
                    _ratio(sec, val(floor_key, "seconds")),
                    _num(val(key, "rss_growth_mb"), ".1f"),
                    _ratio(val(key, "rss_growth_mb"), val(floor_key, "rss_growth_mb")),
                ]
            rows.append(row)
        text.append(
            _table(
                [
                    "runner",
                    "chunked ms",
                    "MB/s vs sdk",
                    "time vs floor",
                    "RSS+ MB",
                    "RSS vs floor",
                    "close ms",
                    "MB/s vs sdk",
                    "time vs floor",
                    "RSS+ MB",
                    "RSS vs floor",
                ],
                rows,
            )
        )

    text.append("")
    text.append(
        f"Trickle ({run['raw'].get('trickle/chunked/floor', [{}])[0].get('events', '?')} events, one every 5 ms): "
        "delivery latency, server send to client yield"
    )
    rows = []
    for label in _stream_labels("trickle"):
        row = [label]
        for framing in FRAMINGS:
            key = f"trickle/{framing}/{label}"
            p99 = val(key, "p99_ms")
            floor99 = val(f"trickle/{framing}/floor", "p99_ms")
            row += [
                _num(val(key, "p50_ms"), ".3f"),
                _num(p99, ".3f"),
                _num(p99 - floor99 if p99 is not None and floor99 is not None else None, "+.3f"),
            ]
        rows.append(row)
    text.append(
        _table(["runner", "chunked p50 ms", "p99 ms", "p99 - floor", "close p50 ms", "p99 ms", "p99 - floor"], rows)
    )

    text.append("")
    text.append("Ordinary calls (keep-alive GET /threads/t, small JSON body, in a row)")
    rows = []
    for runner in CALL_RUNNERS:
        cps = val(f"calls/{runner}", "events_per_s")
        bare = {"lgsync-urllib3": "bare-urllib3", "lgsync-requests": "bare-requests"}.get(runner)
        rows.append(
            [
                runner,
                _num(cps, ",.0f"),
                _ratio(cps, val("calls/sdk", "events_per_s")),
                _ratio(cps, val(f"calls/{bare}", "events_per_s")) if bare else "-",
            ]
        )
    text.append(_table(["runner", "calls/s", "vs sdk", "vs its bare library"], rows))

    imports = run["imports_ms"]
    text.append("")
    text.append(
        _table(
            ["import", "median ms", "vs langgraph_sdk"],
            [[m, f"{t:.1f}", _ratio(t, imports["langgraph_sdk"])] for m, t in imports.items()],
        )
    )

    if run["e2e"]:
        text.append("")
        text.append("End to end: real `langgraph dev` server, graph `custom` (the server dominates)")
        rows = []
        for runner in E2E_RUNNERS:
            eps = val(f"e2e/{runner}", "events_per_s")
            rows.append(
                [
                    runner,
                    _num(eps, ",.0f"),
                    _num(val(f"e2e/{runner}", "seconds"), ".2f"),
                    _ratio(eps, val("e2e/sdk", "events_per_s")),
                ]
            )
        text.append(_table(["runner", "events/s", "seconds", "vs sdk"], rows))

    def check(name: str, value: float | None, limit: float, higher_is_better: bool, unit: str = "x") -> None:
        ok = value is not None and (value >= limit if higher_is_better else value <= limit)
        targets[name] = {"value": value, "limit": limit, "met": ok}

    for framing in FRAMINGS:
        sdk = val(f"{SMALL_EVENT_SCENARIO}/{framing}/sdk", "events_per_s")
        for transport in ("urllib3", "requests"):
            for mode, limit in (("", 3.0), (" (json)", 2.0)):
                eps = val(f"{SMALL_EVENT_SCENARIO}/{framing}/lgsync-{transport}{mode}", "events_per_s")
                check(
                    f"small {framing} lgsync-{transport}{mode or ' (orjson)'} vs sdk",
                    eps / sdk if eps and sdk else None,
                    limit,
                    True,
                )
        for transport in ("urllib3", "requests"):
            ours, floor = f"lgsync-{transport}", "floor"
            t4 = val(f"large4/{framing}/{ours}", "seconds")
            t16 = val(f"large16/{framing}/{ours}", "seconds")
            check(f"16MB/4MB time {framing} {ours}", _quotient(t16, t4), 4.3, False)
            check(
                f"16MB time vs floor {framing} {ours}",
                _quotient(t16, val(f"large16/{framing}/{floor}", "seconds")),
                1.1,
                False,
            )
            check(
                f"16MB RSS vs floor {framing} {ours}",
                _quotient(
                    val(f"large16/{framing}/{ours}", "rss_growth_mb"),
                    val(f"large16/{framing}/{floor}", "rss_growth_mb"),
                ),
                1.1,
                False,
            )
            p99 = val(f"trickle/{framing}/{ours}", "p99_ms")
            floor99 = val(f"trickle/{framing}/{floor}", "p99_ms")
            check(
                f"trickle p99 - floor (ms) {framing} {ours}",
                p99 - floor99 if p99 is not None and floor99 is not None else None,
                1.0,
                False,
            )
    check("import lgsync vs langgraph_sdk", imports["lgsync"] / imports["langgraph_sdk"], 0.25, False)
    for transport in ("urllib3", "requests"):
        mine = val(f"calls/lgsync-{transport}", "events_per_s")
        bare = val(f"calls/bare-{transport}", "events_per_s")
        check(f"calls lgsync-{transport} vs bare", mine / bare if mine and bare else None, 0.9, True)

    text.append("")
    text.append(
        _table(
            ["target", "measured", "limit", "met"],
            [
                [name, _num(t["value"], ".2f"), f"{t['limit']}", "yes" if t["met"] else "NO"]
                for name, t in targets.items()
            ],
        )
    )
    return "\n".join(text), targets


def machine() -> str:
    return (
        f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (one repeat, smaller bodies)")
    parser.add_argument("--repeats", type=int, default=None, help="repeats of every measurement")
    parser.add_argument("--no-e2e", action="store_true", help="skip the real LangGraph server")
    parser.add_argument(
        "--scenarios",
        nargs="+",
        metavar="NAME",
        help="stream scenarios to run: small large1 large4 large16 trickle (default: all)",
    )
    parser.add_argument("--json", metavar="PATH", help="write the medians, targets and raw results here")
    args = parser.parse_args(argv)
    plan = Plan(args.quick, args.repeats, e2e=not args.no_e2e, scenarios=args.scenarios)
    run = run_plan(plan)
    summary = summarize(run)
    text, targets = report(run, summary)
    print(f"Machine: {machine()}; {plan.repeats} repeats, medians; took {run['seconds']:.0f}s")
    print()
    print(text)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "machine": machine(),
                    "repeats": plan.repeats,
                    "summary": summary,
                    "targets": targets,
                    "imports_ms": run["imports_ms"],
                    "raw": run["raw"],
                    "e2e": run["e2e"],
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
