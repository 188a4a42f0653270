"""What the ``lgsync`` command prints: stream parts and results on stdout, progress on stderr.

stdout carries only the output (JSON lines, or ``--format pretty`` text),
flushed as each part arrives so it pipes into ``jq``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO, Any, Callable

from lgsync.cli._exits import EXIT_OK, EXIT_RUN_ERROR

__all__ = ["Printer", "print_stream", "progress"]


class Printer:
    """Writes stream parts and results to ``out`` as JSON lines (``fmt="json"``) or readable text."""

    def __init__(self, fmt: str, out: IO[str]) -> None:
        self.fmt = fmt
        self.out = out

    def part(self, event: str, data: Any, event_id: str | None) -> None:
        if self.fmt == "json":
            line = json.dumps({"event": event, "data": data, "id": event_id}, default=str)
        else:
            shown = json.dumps(data, default=str, ensure_ascii=False)
            line = f"{event:<10} {shown}" + (f"  [id {event_id}]" if event_id else "")
        self.out.write(line + "\n")
        self.out.flush()

    def result(self, value: Any) -> None:
        indent = 2 if self.fmt == "pretty" else None
        self.out.write(json.dumps(value, default=str, indent=indent) + "\n")
        self.out.flush()


def progress(args: argparse.Namespace, message: str) -> None:
    """``lgsync: message`` on stderr, unless ``--quiet``."""
    if not args.quiet:
        print(f"lgsync: {message}", file=sys.stderr, flush=True)


def print_stream(args: argparse.Namespace, stream: Iterator[Any], printer: Printer) -> int:
    """Print every part of ``stream``, then close it; the exit code is 1 if the run sent an ``error`` event."""
    failed: Any = None
    try:
        for part in stream:
            printer.part(part.event, part.data, part.id)
            if part.event == "error":
                failed = part.data
    finally:
        close: Callable[[], None] | None = getattr(stream, "close", None)
        if close is not None:
            close()
    if failed is not None:
        message = failed.get("message") if isinstance(failed, dict) else failed
        error = failed.get("error") if isinstance(failed, dict) else "error"
        print(f"lgsync: the run ended in error: {error}: {message}", file=sys.stderr)
        return EXIT_RUN_ERROR
    progress(args, "stream ended")
    return EXIT_OK
