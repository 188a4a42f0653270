"""``lgsync demo``'s graph, shipped inside the package so the command works from an installed wheel.

:func:`write_project` lays the graph and its ``langgraph.json`` out in a directory
of the caller's choosing: ``langgraph dev`` writes its state beside the config,
so it never runs from ``site-packages``. :mod:`lgsync.demo.run` serves it and
prints one run; ``graph.py`` is the graph itself.
"""

from __future__ import annotations

import importlib.util
import json
from importlib import resources
from pathlib import Path

__all__ = ["ASSISTANT_ID", "missing_requirement", "write_project"]

#: The graph's name in the written ``langgraph.json``.
ASSISTANT_ID = "agent"


def missing_requirement() -> str | None:
    """What the demo lacks to run here, in words; ``None`` when ``langgraph`` and its dev server are installed.

    Example::

        problem = missing_requirement()
        if problem:
            sys.exit(problem)
    """
    missing = [
        name for name in ("langgraph", "langgraph_cli", "langgraph_api") if importlib.util.find_spec(name) is None
    ]
    if not missing:
        return None
    return (
        "lgsync demo needs the demo extra (langgraph-cli[inmem], which brings langgraph and its in-memory "
        f"dev server); this Python lacks {', '.join(missing)}. Install it with: pip install 'lgsync[demo]'"
    )


def write_project(directory: Path) -> Path:
    """Write the demo graph and a ``langgraph.json`` naming it into ``directory``; return the config's path.

    Example::

        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            config = write_project(Path(tmp))  # tmp/langgraph.json, tmp/graph.py
    """
    source = resources.files(__name__).joinpath("graph.py").read_text(encoding="utf-8")
    (directory / "graph.py").write_text(source, encoding="utf-8")
    config = directory / "langgraph.json"
    config.write_text(
        json.dumps({"dependencies": ["."], "graphs": {ASSISTANT_ID: "./graph.py:graph"}}, indent=2) + "\n",
        encoding="utf-8",
    )
    return config
