"""``lgsync demo``: start ``langgraph dev`` with the demo graph, stream the guide's example from it, print it.

The Streaming API guide's extended example in sync Python: a thread, then a
run streamed in ``updates`` mode, each part's data printed on stdout as it
arrives; progress goes to stderr. The server runs from a scratch directory and
is stopped on the way out.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from lgsync.demo import ASSISTANT_ID, missing_requirement, write_project

__all__ = ["DemoError", "run_demo"]


class DemoError(Exception):
    """The demo could not start its server; the message says why, ready to print."""


def run_demo(config: Path | None = None, transport: str = "urllib3") -> None:
    """Serve ``config`` (default: the packaged demo graph) and print one run of its ``agent`` graph.

    Raises :class:`DemoError` when the demo extra is missing or the server does not start.

    Example::

        run_demo()  # {'run_id': ..., 'attempt': 1}, then the two nodes' updates
    """
    import lgsync
    from lgsync.devserver import DevServer, DevServerError

    problem = missing_requirement()
    if problem:
        raise DemoError(problem)
    with tempfile.TemporaryDirectory(prefix="lgsync-demo-") as workdir:
        # The dev server keeps its state beside the config: a scratch directory, not site-packages.
        served = config if config is not None else write_project(Path(workdir))
        graphs = "the demo graph" if config is None else f"the graphs of {config}"
        print(f"Starting a local LangGraph server with {graphs} ...", file=sys.stderr)
        try:
            server = DevServer(served).start()
        except DevServerError as exc:
            raise DemoError(f"lgsync demo: {exc}") from exc
        try:
            print(f"Server up at {server.url}; streaming with the {transport} transport.", file=sys.stderr)
            with lgsync.get_sync_client(url=server.url, api_key=None, transport=transport) as client:
                thread = client.threads.create()
                for chunk in client.runs.stream(
                    thread["thread_id"], ASSISTANT_ID, input={"topic": "ice cream"}, stream_mode="updates"
                ):
                    print(chunk.data, flush=True)
        finally:
            server.stop()
