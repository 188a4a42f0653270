"""What the ``lgsync`` command accepts: the argument parser, its commands, options, help and examples.

Each command's parser carries its handler (``args.handler``), from
:mod:`lgsync.cli._commands`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Callable, NoReturn

from lgsync.cli import _commands
from lgsync.cli._args import DEFAULT_URL, STREAM_MODES, identifier
from lgsync.cli._exits import EXIT_USAGE

__all__ = ["build_parser"]

_STREAM_EXAMPLES = """examples:
  lgsync stream -a agent -i '{"topic": "ice cream"}' -m updates
  lgsync stream -t "$THREAD" -a slow -i '{"steps": 20}' -m custom --resumable --cancel-on-disconnect
  lgsync stream --url https://lg.example.com -a chat -i @input.json -m messages-tuple -q | jq .data
"""
_JOIN_EXAMPLES = """examples:
  lgsync join -t "$THREAD" -r "$RUN" -m custom
  lgsync join -t "$THREAD" -r "$RUN" --last-event-id "$LAST_ID"   # resume after the last event seen
"""
_WAIT_EXAMPLES = """examples:
  lgsync wait -a agent -i '{"topic": "ice cream"}'
  lgsync wait -t "$THREAD" -a agent -i @input.json > state.json || exit $?
"""
_MAIN_EXAMPLES = (
    """examples:
  lgsync demo
  lgsync stream -a agent -i '{"topic": "ice cream"}' -m updates
  lgsync join -t "$THREAD" -r "$RUN" --last-event-id "$LAST_ID"
  lgsync wait -a agent -i @input.json

server: --url, else $LANGGRAPH_URL, else """
    + DEFAULT_URL
    + """; api key: --api-key, else $LANGGRAPH_API_KEY,
$LANGSMITH_API_KEY or $LANGCHAIN_API_KEY.

exit codes: 0 ok, 1 run error, 2 usage, 3 HTTP status error, 4 connection failure,
5 demo server failed, 130 interrupted.
"""
)

_TRANSPORTS = ("urllib3", "requests")
_THREAD_HELP = "thread id (default: a stateless run)"
_INPUT_HELP = "the input as JSON, @file or @- for stdin"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line: what is wrong, and where to look.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


def _add_server_and_output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("server")
    group.add_argument(
        "--url", default=None, help=f"the LangGraph server (default: $LANGGRAPH_URL, else {DEFAULT_URL})"
    )
    group.add_argument(
        "--api-key",
        default=None,
        help="sent as x-api-key (default: LANGGRAPH_API_KEY, LANGSMITH_API_KEY or LANGCHAIN_API_KEY; '' sends none)",
    )
    group.add_argument(
        "--header", "-H", action="append", metavar="'K: V'", help="a header sent with every request (repeatable)"
    )
    group.add_argument("--transport", choices=_TRANSPORTS, default="urllib3")
    group.add_argument("--timeout", type=float, default=None, help="connect and read timeout, in seconds")
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("json", "pretty"), default="json", help="JSON lines (default) or text")
    out.add_argument("--quiet", "-q", action="store_true", help="no progress messages on stderr")


def _add_mode_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mode", "-m", action="append", choices=STREAM_MODES, help="a stream mode (repeatable; default: values)"
    )


def _add_cancel_option(parser: argparse.ArgumentParser, when: str = "") -> None:
    parser.add_argument(
        "--cancel-on-disconnect", action="store_true", help=f"cancel the run if this command stops early{when}"
    )


def _add_command(
    commands: Any,
    name: str,
    handler: Callable[[argparse.Namespace], int],
    summary: str,
    examples: str | None = None,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name, help=summary, epilog=examples, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.set_defaults(handler=handler)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """The ``lgsync`` argument parser with its ``demo``, ``stream``, ``join`` and ``wait`` commands.

    Example::

        args = build_parser().parse_args(["stream", "--assistant", "agent", "--input", "{}"])
    """
    parser = _Parser(
        prog="lgsync",
        description="A blocking client for the LangGraph API server.",
        epilog=_MAIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = _add_command(
        commands,
        "demo",
        _commands.demo,
        "start a local LangGraph dev server with the demo graph and stream a run from it (needs lgsync[demo])",
    )
    demo.add_argument(
        "--config",
        type=Path,
        default=None,
        help="a langgraph.json with an 'agent' graph (default: the demo graph packaged with lgsync)",
    )
    demo.add_argument("--transport", choices=_TRANSPORTS, default="urllib3")

    stream = _add_command(commands, "stream", _commands.stream, "create a run and stream its output", _STREAM_EXAMPLES)
    stream.add_argument("--assistant", "-a", required=True, type=identifier, help="assistant id or graph name")
    stream.add_argument("--thread", "-t", default=None, type=identifier, help=_THREAD_HELP)
    stream.add_argument("--input", "-i", default=None, help=_INPUT_HELP)
    _add_mode_option(stream)
    stream.add_argument("--subgraphs", action="store_true", help="include subgraph output")
    stream.add_argument("--resumable", action="store_true", help="create a resumable stream (stream_resumable)")
    _add_cancel_option(stream, " (Ctrl-C)")

    join = _add_command(
        commands, "join", _commands.join, "stream a run that is already going (join_stream)", _JOIN_EXAMPLES
    )
    join.add_argument("--thread", "-t", required=True, type=identifier)
    join.add_argument("--run", "-r", required=True, type=identifier)
    _add_mode_option(join)
    join.add_argument("--last-event-id", default=None, help="resume after this event id")
    _add_cancel_option(join)

    wait = _add_command(
        commands, "wait", _commands.wait, "create a run, wait for it and print its final state", _WAIT_EXAMPLES
    )
    wait.add_argument("--assistant", "-a", required=True, type=identifier)
    wait.add_argument("--thread", "-t", default=None, type=identifier, help=_THREAD_HELP)
    wait.add_argument("--input", "-i", default=None, help=_INPUT_HELP)
    _add_cancel_option(wait)

    for command in (stream, join, wait):
        _add_server_and_output_options(command)
    return parser
