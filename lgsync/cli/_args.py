"""Argument values of the ``lgsync`` command: the server, ids, headers, the run input, and the client they make.

Each function either returns the value or raises a usage error that names
the argument, before anything is sent.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import IO, Any

from lgsync.cli._exits import UsageError

__all__ = ["DEFAULT_URL", "STREAM_MODES", "identifier", "make_client", "parse_header", "parse_input", "server_url"]

#: The server when neither ``--url`` nor ``LANGGRAPH_URL`` names one: ``langgraph dev``'s address.
DEFAULT_URL = "http://127.0.0.1:2024"

STREAM_MODES = ("values", "messages", "updates", "events", "tasks", "checkpoints", "debug", "custom", "messages-tuple")


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


def make_client(args: argparse.Namespace) -> Any:
    """The client the server options ask for (``--url``, ``--api-key``, ``--header``, ``--transport``, ``--timeout``).

    Example::

        with make_client(args) as client:
            client.runs.wait(None, "agent", input={})
    """
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
