"""The ``lgsync`` command: ``lgsync demo`` streams the guide's example from a local server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

__all__ = ["main"]


def _default_config() -> Path:
    here = Path.cwd() / "examples" / "langgraph.json"
    if here.is_file():
        return here
    return Path(__file__).resolve().parent.parent / "examples" / "langgraph.json"


def _demo(args: argparse.Namespace) -> int:
    import lgsync
    from lgsync.devserver import DevServer, DevServerError

    print(f"Starting a local LangGraph server with the graphs of {args.config} ...", file=sys.stderr)
    try:
        server = DevServer(args.config).start()
    except DevServerError as exc:
        print(f"lgsync demo: {exc}", file=sys.stderr)
        return 3
    try:
        print(f"Server up at {server.url}; streaming with the {args.transport} transport.", file=sys.stderr)
        with lgsync.get_sync_client(url=server.url, api_key=None, transport=args.transport) as client:
            # The Streaming API guide's extended example, in sync Python.
            assistant_id = "agent"
            thread = client.threads.create()
            thread_id = thread["thread_id"]
            for chunk in client.runs.stream(
                thread_id,
                assistant_id,
                input={"topic": "ice cream"},
                stream_mode="updates",
            ):
                print(chunk.data, flush=True)
    finally:
        server.stop()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lgsync", description="A blocking client for the LangGraph API server.")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser(
        "demo",
        help="start a local LangGraph dev server with the example graphs and stream a run from it",
    )
    demo.add_argument("--config", type=Path, default=None, help="langgraph.json (default: examples/langgraph.json)")
    demo.add_argument("--transport", choices=("urllib3", "requests"), default="urllib3")
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "config", "unset") is None:
        args.config = _default_config()
    return int(args.handler(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
