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

The modules: ``_parser`` (what the command accepts), ``_args`` (argument
values and the client they make), ``_commands`` (what each command does),
``_output`` (what it prints), ``_exits`` (exit codes, and which failure gives
which). The demo itself lives in :mod:`lgsync.demo`.
"""

from __future__ import annotations

from collections.abc import Sequence

from lgsync.cli._args import DEFAULT_URL, identifier, parse_header, parse_input, server_url
from lgsync.cli._exits import (
    EXIT_BROKEN_PIPE,
    EXIT_CONNECTION,
    EXIT_DEMO_SERVER,
    EXIT_HTTP_STATUS,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_RUN_ERROR,
    EXIT_USAGE,
    UsageError,
    run_handler,
)
from lgsync.cli._parser import build_parser

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_CONNECTION",
    "EXIT_DEMO_SERVER",
    "EXIT_HTTP_STATUS",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RUN_ERROR",
    "EXIT_USAGE",
    "DEFAULT_URL",
    "UsageError",
    "build_parser",
    "identifier",
    "main",
    "parse_header",
    "parse_input",
    "server_url",
]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``lgsync`` command and return its exit code.

    Example::

        raise SystemExit(main(["stream", "--url", "http://127.0.0.1:2024", "--assistant", "agent",
                               "--input", '{"topic": "ice cream"}', "--mode", "updates"]))
    """
    args = build_parser().parse_args(argv)
    return run_handler(args.handler, args)
