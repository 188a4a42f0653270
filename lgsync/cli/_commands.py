"""What each ``lgsync`` command does with its parsed arguments: ``stream``, ``join``, ``wait`` and ``demo``.

Each handler takes the :class:`argparse.Namespace` and returns an exit code;
:func:`lgsync.cli._exits.run_handler` maps what they raise.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from lgsync.cli._args import make_client, parse_input
from lgsync.cli._exits import EXIT_DEMO_SERVER, EXIT_OK, EXIT_RUN_ERROR
from lgsync.cli._output import Printer, print_stream, progress

__all__ = ["demo", "join", "stream", "wait"]


def _modes(args: argparse.Namespace, default: Any) -> Any:
    modes: list[str] = args.mode or []
    if not modes:
        return default
    return modes[0] if len(modes) == 1 else modes


def _on_disconnect(args: argparse.Namespace) -> str | None:
    return "cancel" if args.cancel_on_disconnect else None


def stream(args: argparse.Namespace) -> int:
    """``lgsync stream``: create a run and print its stream."""
    payload = parse_input(args.input)
    printer = Printer(args.format, sys.stdout)
    with make_client(args) as client:

        def created(meta: Any) -> None:
            thread = meta.get("thread_id")
            where = f" on thread {thread}" if thread else " (stateless)"
            progress(args, f"run {meta.get('run_id')}{where}")

        parts = client.runs.stream(
            args.thread,
            args.assistant,
            input=payload,
            stream_mode=_modes(args, "values"),
            stream_subgraphs=args.subgraphs,
            stream_resumable=args.resumable,
            on_disconnect=_on_disconnect(args),
            on_run_created=created,
        )
        return print_stream(args, parts, printer)


def join(args: argparse.Namespace) -> int:
    """``lgsync join``: print the stream of a run that is already going."""
    printer = Printer(args.format, sys.stdout)
    with make_client(args) as client:
        parts = client.runs.join_stream(
            args.thread,
            args.run,
            cancel_on_disconnect=args.cancel_on_disconnect,
            stream_mode=_modes(args, None),
            last_event_id=args.last_event_id,
        )
        progress(args, f"joined run {args.run} on thread {args.thread}")
        return print_stream(args, parts, printer)


def wait(args: argparse.Namespace) -> int:
    """``lgsync wait``: create a run, wait for it, print its final state."""
    from lgsync.resources.runs import RunError

    payload = parse_input(args.input)
    printer = Printer(args.format, sys.stdout)
    with make_client(args) as client:
        try:
            result = client.runs.wait(args.thread, args.assistant, input=payload, on_disconnect=_on_disconnect(args))
        except RunError as exc:
            printer.result(exc.body)
            print(f"lgsync: the run ended in error: {exc}", file=sys.stderr)
            return EXIT_RUN_ERROR
        printer.result(result)
    return EXIT_OK


def demo(args: argparse.Namespace) -> int:
    """``lgsync demo``: :func:`lgsync.demo.run.run_demo`; exit 5 when its server cannot start."""
    from lgsync.demo.run import DemoError, run_demo

    try:
        run_demo(args.config, args.transport)
    except DemoError as exc:
        print(exc, file=sys.stderr)
        return EXIT_DEMO_SERVER
    return EXIT_OK
