"""The ``lgsync`` command's exit codes, and which failure gives which.

:func:`run_handler` runs one command and turns what it raised into an exit
code and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable

__all__ = ["UsageError", "run_handler"]  # and the EXIT_* codes below, which lgsync.cli re-exports

EXIT_OK = 0
EXIT_RUN_ERROR = 1
EXIT_USAGE = 2
EXIT_HTTP_STATUS = 3
EXIT_CONNECTION = 4
EXIT_DEMO_SERVER = 5
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141


class UsageError(Exception):
    """An argument the command cannot use; reported with exit code 2."""


def run_handler(handler: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run ``handler(args)``; the exit code is what it returns, or the one for what it raised.

    Example::

        code = run_handler(args.handler, args)
    """
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
