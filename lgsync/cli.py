"""The ``lgsync`` command: stream, join or wait for runs from a shell, and ``lgsync demo``.

Output is one JSON object per line on stdout (or ``--format pretty``);
progress and errors go to stderr, and the exit code says what happened.

Exit codes:

    0    success
    1    the run ended in error (an ``error`` event, or ``runs.wait`` found one)
    2    usage error (bad arguments, invalid ``--input`` JSON, bad header)
    3    the server answered with an HTTP error status (4xx, 5xx, refused redirect)
    4    connection failure: could not connect, timed out, or the stream broke
         and could not be resumed
    5    ``lgsync demo`` could not start the local dev server
    130  interrupted (Ctrl-C): the stream was closed, and with
         ``--cancel-on-disconnect`` the run cancelled
    141  stdout was closed early (``| head``): the stream was closed

The server is ``--url``, else ``LANGGRAPH_URL``, else ``http://127.0.0.1:2024``
(where ``langgraph dev`` listens); the api key is ``--api-key``, else
``LANGGRAPH_API_KEY``, ``LANGSMITH_API_KEY`` or ``LANGCHAIN_API_KEY``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Callable, NoReturn

__all__ = [
    "EXIT_CONNECTION",
    "EXIT_DEMO_SERVER",
    "EXIT_HTTP_STATUS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RUN_ERROR",
    "EXIT_USAGE",
    "DEFAULT_URL",
    "build_parser",
    "identifier",
    "main",
    "server_url",
]

EXIT_OK = 0
EXIT_RUN_ERROR = 1
EXIT_USAGE = 2
EXIT_HTTP_STATUS = 3
EXIT_CONNECTION = 4
EXIT_DEMO_SERVER = 5
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141

#: The server when neither ``--url`` nor ``LANGGRAPH_URL`` names one: ``langgraph dev``'s address.
DEFAULT_URL = "http://127.0.0.1:2024"

STREAM_MODES = ("values", "messages", "updates", "events", "tasks", "checkpoints", "debug", "custom", "messages-tuple")


class UsageError(Exception):
    """An argument the command cannot use; reported with exit code 2."""


def _demo(args: argparse.Namespace) -> int:
    import tempfile

    import lgsync
    from lgsync.demo import ASSISTANT_ID, missing_requirement, write_project
    from lgsync.devserver import DevServer, DevServerError

    problem = missing_requirement()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_DEMO_SERVER
    with tempfile.TemporaryDirectory(prefix="lgsync-demo-") as workdir:
        # The dev server keeps its state beside the config: a scratch directory, not site-packages.
        config = args.config if args.config is not None else write_project(Path(workdir))
        graphs = "the demo graph" if args.config is None else f"the graphs of {args.config}"
        print(f"Starting a local LangGraph server with {graphs} ...", file=sys.stderr)
        try:
            server = DevServer(config).start()
        except DevServerError as exc:
            print(f"lgsync demo: {exc}", file=sys.stderr)
            return EXIT_DEMO_SERVER
        try:
            print(f"Server up at {server.url}; streaming with the {args.transport} transport.", file=sys.stderr)
            with lgsync.get_sync_client(url=server.url, api_key=None, transport=args.transport) as client:
                # The Streaming API guide's extended example, in sync Python.
                thread = client.threads.create()
                for chunk in client.runs.stream(
                    thread["thread_id"],
                    ASSISTANT_ID,
                    input={"topic": "ice cream"},
                    stream_mode="updates",
                ):
                    print(chunk.data, flush=True)
        finally:
            server.stop()
    return EXIT_OK


# Argument parsing helpers.


def server_url(url: str | None, environ: Any = None) -> str:
    """The server to talk to: ``--url``, else ``LANGGRAPH_URL``, else :data:`DEFAULT_URL`.

    Example::

        >>> server_url(None, {"LANGGRAPH_URL": "https://lg.internal"})
        'https://lg.internal'
    """
    if url:
        return url
    return (os.environ if environ is None else environ).get("LANGGRAPH_URL") or DEFAULT_URL


def identifier(text: str) -> str:
    """An id argument (``--thread``, ``--run``, ``--assistant``) as given, or a usage error.

    An empty id (``-r ""``, or an unset ``$RUN``), one with spaces at its
    ends, or one with control characters is refused before anything is sent.

    Example::

        >>> identifier("1f02c2b3-3cef-68de-b720-eec2a4a8e920")
        '1f02c2b3-3cef-68de-b720-eec2a4a8e920'
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty (is the shell variable set?)")
    if text != text.strip():
        raise argparse.ArgumentTypeError(f"{text!r} has spaces at its ends")
    if any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise argparse.ArgumentTypeError(f"{text!r} holds a control character")
    return text


def parse_header(text: str) -> tuple[str, str]:
    """``"K: V"`` as ``("K", "V")``; a header without a colon is a usage error.

    Example::

        >>> parse_header("x-tenant: a")
        ('x-tenant', 'a')
    """
    name, sep, value = text.partition(":")
    if not sep or not name.strip():
        raise UsageError(f"--header must look like 'Name: value', got {text!r}")
    return name.strip(), value.strip()


def parse_input(text: str | None, stdin: IO[str] | None = None) -> Any:
    """The run input from ``--input``: JSON, ``@file`` or ``@-`` (stdin).

    Example::

        >>> parse_input('{"topic": "ice cream"}')
        {'topic': 'ice cream'}
    """
    if text is None:
        return None
    source = "--input"
    if text.startswith("@"):
        name = text[1:]
        if name == "-":
            text, source = (stdin or sys.stdin).read(), "stdin"
        else:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"cannot read --input file {name!r}: {exc.strerror}") from exc
            source = name
    try:
        return json.loads(text)
    except ValueError as exc:
        raise UsageError(f"{source} is not valid JSON: {exc}") from exc


def _client(args: argparse.Namespace) -> Any:
    import lgsync
    from lgsync.client import NOT_PROVIDED

    headers = dict(parse_header(h) for h in args.header or ())
    api_key = NOT_PROVIDED if args.api_key is None else (args.api_key or None)
    try:
        return lgsync.get_sync_client(
            url=server_url(args.url),
            api_key=api_key,
            headers=headers,
            timeout=args.timeout,
            transport=args.transport,
        )
    except (ValueError, TypeError) as exc:
        raise UsageError(str(exc)) from exc


# Output.


class _Printer:
    """Writes stream parts and results to stdout as JSON lines or readable text."""

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


def _progress(args: argparse.Namespace, message: str) -> None:
    if not args.quiet:
        print(f"lgsync: {message}", file=sys.stderr, flush=True)


def _consume(args: argparse.Namespace, stream: Iterator[Any], printer: _Printer) -> int:
    """Print every part of ``stream``; the exit code is 1 if the run sent an ``error`` event."""
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
    _progress(args, "stream ended")
    return EXIT_OK


def _modes(args: argparse.Namespace, default: Any) -> Any:
    modes: list[str] = args.mode or []
    if not modes:
        return default
    return modes[0] if len(modes) == 1 else modes


def _stream(args: argparse.Namespace) -> int:
    payload = parse_input(args.input)
    printer = _Printer(args.format, sys.stdout)
    with _client(args) as client:

        def created(meta: Any) -> None:
            thread = meta.get("thread_id")
            where = f" on thread {thread}" if thread else " (stateless)"
            _progress(args, f"run {meta.get('run_id')}{where}")

        stream = client.runs.stream(
            args.thread,
            args.assistant,
            input=payload,
            stream_mode=_modes(args, "values"),
            stream_subgraphs=args.subgraphs,
            stream_resumable=args.resumable,
            on_disconnect="cancel" if args.cancel_on_disconnect else None,
            on_run_created=created,
        )
        return _consume(args, stream, printer)


def _join(args: argparse.Namespace) -> int:
    printer = _Printer(args.format, sys.stdout)
    with _client(args) as client:
        stream = client.runs.join_stream(
            args.thread,
            args.run,
            cancel_on_disconnect=args.cancel_on_disconnect,
            stream_mode=_modes(args, None),
            last_event_id=args.last_event_id,
        )
        _progress(args, f"joined run {args.run} on thread {args.thread}")
        return _consume(args, stream, printer)


def _wait(args: argparse.Namespace) -> int:
    from lgsync.resources.runs import RunError

    payload = parse_input(args.input)
    printer = _Printer(args.format, sys.stdout)
    with _client(args) as client:
        try:
            result = client.runs.wait(
                args.thread,
                args.assistant,
                input=payload,
                on_disconnect="cancel" if args.cancel_on_disconnect else None,
            )
        except RunError as exc:
            printer.result(exc.body)
            print(f"lgsync: the run ended in error: {exc}", file=sys.stderr)
            return EXIT_RUN_ERROR
        printer.result(result)
    return EXIT_OK


# The parser.


def _add_connection_options(parser: argparse.ArgumentParser) -> None:
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
    group.add_argument("--transport", choices=("urllib3", "requests"), default="urllib3")
    group.add_argument("--timeout", type=float, default=None, help="connect and read timeout, in seconds")
    out = parser.add_argument_group("output")
    out.add_argument("--format", choices=("json", "pretty"), default="json", help="JSON lines (default) or text")
    out.add_argument("--quiet", "-q", action="store_true", help="no progress messages on stderr")


def _add_mode_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--mode", "-m", action="append", choices=STREAM_MODES, help="a stream mode (repeatable; default: values)"
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line: what is wrong, and where to look.
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see: {self.prog} --help)\n")


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
    demo = commands.add_parser(
        "demo",
        help="start a local LangGraph dev server with the demo graph and stream a run from it (needs lgsync[demo])",
    )
    demo.add_argument(
        "--config",
        type=Path,
        default=None,
        help="a langgraph.json with an 'agent' graph (default: the demo graph packaged with lgsync)",
    )
    demo.add_argument("--transport", choices=("urllib3", "requests"), default="urllib3")
    demo.set_defaults(handler=_demo)

    stream = commands.add_parser(
        "stream",
        help="create a run and stream its output",
        epilog=_STREAM_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    stream.add_argument("--assistant", "-a", required=True, type=identifier, help="assistant id or graph name")
    stream.add_argument("--thread", "-t", default=None, type=identifier, help="thread id (default: a stateless run)")
    stream.add_argument("--input", "-i", default=None, help="the input as JSON, @file or @- for stdin")
    _add_mode_option(stream)
    stream.add_argument("--subgraphs", action="store_true", help="include subgraph output")
    stream.add_argument("--resumable", action="store_true", help="create a resumable stream (stream_resumable)")
    stream.add_argument(
        "--cancel-on-disconnect", action="store_true", help="cancel the run if this command stops early (Ctrl-C)"
    )
    _add_connection_options(stream)
    stream.set_defaults(handler=_stream)

    join = commands.add_parser(
        "join",
        help="stream a run that is already going (join_stream)",
        epilog=_JOIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    join.add_argument("--thread", "-t", required=True, type=identifier)
    join.add_argument("--run", "-r", required=True, type=identifier)
    _add_mode_option(join)
    join.add_argument("--last-event-id", default=None, help="resume after this event id")
    join.add_argument("--cancel-on-disconnect", action="store_true", help="cancel the run if this command stops early")
    _add_connection_options(join)
    join.set_defaults(handler=_join)

    wait = commands.add_parser(
        "wait",
        help="create a run, wait for it and print its final state",
        epilog=_WAIT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    wait.add_argument("--assistant", "-a", required=True, type=identifier)
    wait.add_argument("--thread", "-t", default=None, type=identifier, help="thread id (default: a stateless run)")
    wait.add_argument("--input", "-i", default=None, help="the input as JSON, @file or @- for stdin")
    wait.add_argument("--cancel-on-disconnect", action="store_true", help="cancel the run if this command stops early")
    _add_connection_options(wait)
    wait.set_defaults(handler=_wait)
    return parser


def _run(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    from lgsync.errors import APIConnectionError, APIError, APIStatusError, LangGraphError

    try:
        return int(handler(args))
    except (UsageError, ValueError, TypeError) as exc:
        # An argument lgsync refused (a header value, a timeout): one line, no traceback.
        print(
            f"lgsync {args.command}: error: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except KeyboardInterrupt:
        # The stream was closed on the way out (its finally), which is what
        # makes the server cancel a run with --cancel-on-disconnect.
        print(f"lgsync {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # stdout went away (| head): quiet exit, and no second error at shutdown.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except APIStatusError as exc:
        print(f"lgsync {args.command}: {exc.describe()}", file=sys.stderr)
        return EXIT_HTTP_STATUS
    except (APIConnectionError, APIError, LangGraphError) as exc:
        print(f"lgsync {args.command}: {exc}", file=sys.stderr)
        return EXIT_CONNECTION


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lgsync`` command and return its exit code.

    Example::

        raise SystemExit(main(["stream", "--url", "http://127.0.0.1:2024", "--assistant", "agent",
                               "--input", '{"topic": "ice cream"}', "--mode", "updates"]))
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    return _run(args.handler, args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
