"""Count the conformance suite per SDK test file and write the table into README.md.

Runs ``tests/conformance`` in-process, reads the ``SDK: <file>::<test>``
references in each test's docstring and its outcome, and prints one row
per SDK file: SDK tests ported, passing, documented differences, strict
xfails (pending a fix), failing, and skipped (listed in ``SKIPPED`` with the
reason). ``--write`` replaces the table in this folder's README.md;
``--sdk DIR`` (an unpacked langgraph-sdk sdist) also checks that every sync
test of the covered files is ported or skipped.

    python tests/conformance/count.py --write
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
README = HERE / "README.md"
BEGIN, END = "<!-- counts:begin -->", "<!-- counts:end -->"
REFERENCE = re.compile(r"SDK: (tests/[\w/]+\.py)::([\w:]+)")

FILES = [
    "tests/test_assistants_client.py",
    "tests/test_threads_client.py",
    "tests/test_crons_client.py",
    "tests/test_runs_client.py",
    "tests/test_errors.py",
    "tests/test_path_encoding.py",
    "tests/test_client_stream.py",
    "tests/test_langsmith_tracing.py",
    "tests/test_skip_auto_load_api_key.py",
    "tests/streaming/test_sync_thread_stream.py",
    "tests/streaming/test_sync_projections.py",
    "tests/streaming/test_sync_scoped_handles.py",
    "tests/streaming/test_sync_shared_stream.py",
    "tests/streaming/test_sync_transport_http.py",
    "tests/streaming/test_sync_transport_ws.py",
    "tests/streaming/test_sync_extensions_projection.py",
    "tests/streaming/test_lifecycle_namespace.py",
    "tests/streaming/test_thread_stream_path_encoding.py",
]

_HANDLE_INTERNALS = "builds the SDK's scoped subgraph handle and reads its private inboxes"
SKIPPED: dict[str, dict[str, str]] = {
    "tests/streaming/test_sync_projections.py": {
        "test_sync_drain_messages_inbox_pre_dispatches_before_yield": "fills the session's private root-messages "
        "inbox; the public behaviour (a yielded message is complete) is test_a_yielded_message_is_complete",
        "test_sync_tool_calls_explicit_close_does_not_block_1s": "drives the private _tool_calls_iter and asserts "
        "a duration (the public outcome, a call left open is failed, is "
        "test_interleave_fails_a_tool_call_left_open_by_a_break)",
        "test_sync_tool_call_handle_deltas_queue_is_bounded": "builds the SDK's SyncToolCallHandle and reads its "
        "private queue",
    },
    "tests/streaming/test_sync_scoped_handles.py": {
        "test_sync_scoped_handle_finish_is_idempotent": _HANDLE_INTERNALS,
        "test_sync_scoped_handle_finish_concurrent_only_one_wins": _HANDLE_INTERNALS,
        "test_sync_scoped_handle_has_descendant_handles_dict": _HANDLE_INTERNALS,
        "test_sync_register_descendant_forwards_buffered_events_in_order": _HANDLE_INTERNALS,
        "test_sync_scoped_handle_finish_thread_safe_with_20_concurrent_calls": _HANDLE_INTERNALS,
        "test_sync_scoped_handle_inboxes_bounded_by_max_queue_size": _HANDLE_INTERNALS,
        "test_sync_child_handle_inherits_max_queue_size_from_parent": _HANDLE_INTERNALS,
        "test_sync_close_inboxes_does_not_enqueue_on_uniterated_inboxes": _HANDLE_INTERNALS,
        "test_sync_close_inboxes_enqueues_sentinel_on_iterated_inboxes": _HANDLE_INTERNALS,
    },
    "tests/streaming/test_sync_thread_stream.py": {
        "test_sync_rotation_does_not_lose_buffered_events": "the private controller's rotation of one shared "
        "connection; lgsync gives each projection its own connection and never rotates",
        "test_sync_lifecycle_watcher_stops_on_a_404_without_retrying": "reads the private _run_done of the "
        "lifecycle watcher the SDK opens at __enter__, before any run; lgsync opens no stream before run.start "
        "(a 404 after it: test_a_404_on_a_reconnect_is_not_retried)",
        "test_sync_concurrent_run_starts_start_one_lifecycle_watcher": "counts the SDK's private watcher threads "
        "by patching threading.Thread",
    },
    "tests/streaming/test_sync_shared_stream.py": {
        "test_sync_controller_fans_out_to_subscription": "drives the private SyncStreamController; the public "
        "behaviour is test_a_subscription_posts_its_channels_and_yields_the_events",
    },
}


class _Collector:
    def __init__(self) -> None:
        self.items: dict[str, Any] = {}
        self.outcomes: dict[str, str] = {}

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self.items[item.nodeid] = item

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            if hasattr(report, "wasxfail"):
                outcome = "xfail" if report.skipped else "fail"
            else:
                outcome = "pass" if report.passed else "fail"
            self.outcomes[report.nodeid] = outcome


def _run_suite() -> tuple[_Collector, int]:
    collector = _Collector()
    code = pytest.main(
        [str(HERE), "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts="], plugins=[collector]
    )
    return collector, int(code)


def _status(outcome: str, documented: bool) -> str:
    if outcome == "pass":
        return "documented" if documented else "pass"
    return outcome


def tally() -> tuple[dict[str, dict[str, set[str]]], dict[str, int], int]:
    """SDK file -> status -> SDK test names, lgsync test cases per SDK file, and pytest's exit code."""
    collector, code = _run_suite()
    statuses: dict[tuple[str, str], set[str]] = defaultdict(set)
    cases: dict[str, int] = defaultdict(int)
    for nodeid, item in collector.items.items():
        function = getattr(item, "function", None)
        doc = (function.__doc__ if function is not None else "") or ""
        documented = item.get_closest_marker("sdk_difference") is not None
        outcome = collector.outcomes.get(nodeid, "fail")
        refs = {(m.group(1), m.group(2)) for m in REFERENCE.finditer(doc)}
        for ref in refs:
            statuses[ref].add(_status(outcome, documented))
        for sdk_file in {f for f, _ in refs}:
            cases[sdk_file] += 1
    table: dict[str, dict[str, set[str]]] = {f: defaultdict(set) for f in FILES}
    for (sdk_file, name), seen in statuses.items():
        row = table.setdefault(sdk_file, defaultdict(set))
        row["ported"].add(name)
        for worst in ("fail", "xfail", "documented", "pass"):
            if worst in seen:
                row[worst].add(name)
                break
    for sdk_file, names in SKIPPED.items():
        table[sdk_file]["skipped"].update(names)
    return table, cases, code


def markdown(table: dict[str, dict[str, set[str]]], cases: dict[str, int]) -> str:
    head = "| SDK file | ported | pass | documented difference | xfail pending fix | failing | skipped | lgsync tests |"
    lines = [head, "|---|---|---|---|---|---|---|---|"]
    totals = [0] * 7
    for sdk_file, row in table.items():
        values = [len(row.get(k, ())) for k in ("ported", "pass", "documented", "xfail", "fail", "skipped")]
        values.append(cases.get(sdk_file, 0))
        totals = [a + b for a, b in zip(totals, values)]
        lines.append(f"| `{sdk_file}` | " + " | ".join(str(v) for v in values) + " |")
    lines.append("| **total** | " + " | ".join(f"**{v}**" for v in totals) + " |")
    lines += ["", "Skipped SDK tests (they reach only SDK internals):", ""]
    for sdk_file, names in SKIPPED.items():
        for name, reason in names.items():
            lines.append(f"- `{sdk_file}::{name}`: {reason}.")
    return "\n".join(lines)


def _sdk_sync_tests(sdk_dir: Path, rel: str) -> set[str]:
    tree = ast.parse((sdk_dir / rel).read_text())
    found: set[str] = set()

    def wanted(node: ast.AST) -> bool:
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) or not node.name.startswith("test"):
            return False
        source = ast.unparse(node.decorator_list) if node.decorator_list else ""
        if isinstance(node, ast.AsyncFunctionDef):
            return "'asynchronous'" in source or '"asynchronous"' in source
        return True

    for node in tree.body:
        if wanted(node):
            found.add(node.name)
        elif isinstance(node, ast.ClassDef) and "Async" not in node.name:
            found.update(f"{node.name}::{sub.name}" for sub in node.body if wanted(sub))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="replace the table in README.md")
    parser.add_argument("--sdk", type=Path, help="an unpacked langgraph-sdk sdist, to check coverage")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    table, cases, code = tally()
    text = markdown(table, cases)
    print(text)
    missing: list[str] = []
    if args.sdk is not None:
        for rel in FILES:
            accounted = table[rel].get("ported", set()) | table[rel].get("skipped", set())
            missing += [f"{rel}::{name}" for name in sorted(_sdk_sync_tests(args.sdk, rel) - accounted)]
        print("\nSDK sync tests neither ported nor skipped:", *missing or ["none"], sep="\n- ")
    if args.write:
        readme = README.read_text()
        start, stop = readme.index(BEGIN) + len(BEGIN), readme.index(END)
        README.write_text(readme[:start] + "\n" + text + "\n" + readme[stop:])
    return 1 if code not in (0, 5) or missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
