"""The package's shape, as CONTRIBUTING.md draws it: layers that import downward only, small modules.

These tests read the source (no import runs): every ``import`` that executes
at run time, at module level or inside a function, is checked against the
layer table below. Imports under ``if TYPE_CHECKING:`` are annotations only
and may point anywhere.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "lgsync"

#: From the top (0) down; a module may import its own layer or any below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    # The faces users hold: the client, the command, the integrations, the test double.
    ("lgsync", "lgsync.client", "lgsync.cli", "lgsync.demo", "lgsync.devserver", "lgsync.contrib", "lgsync.testing"),
    # One module per sub-client (and the thread-stream session).
    ("lgsync.resources",),
    # LangGraph wiring and the client the resources hold.
    ("lgsync.http", "lgsync.langgraph"),
    # The HTTP core and the streaming machinery.
    (
        "lgsync._http_core",
        "lgsync._send",
        "lgsync._answers",
        "lgsync._query",
        "lgsync.stream",
        "lgsync._run_stream",
        "lgsync._resume",
        "lgsync.reconnect",
        "lgsync.sse",
        "lgsync._sse_fields",
    ),
    # Moving bytes.
    ("lgsync.transport",),
    # Leaves: values and small shared things.
    (
        "lgsync.errors",
        "lgsync.retry",
        "lgsync.timeouts",
        "lgsync.schema",
        "lgsync._headers",
        "lgsync._json",
        "lgsync._urls",
        "lgsync._sentinel",
        "lgsync._sse_encoder",
        "lgsync._version",
    ),
)

#: Modules that mirror langgraph_sdk's long signatures and docstrings on purpose.
MIRRORS = {
    "lgsync.resources.runs",
    "lgsync.resources.threads",
    "lgsync.resources.assistants",
    "lgsync.resources.crons",
    "lgsync.schema",
}
LINE_LIMIT = 330  # "about 300 lines"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer_of(module: str) -> int:
    """The layer of ``module``: the longest prefix in the table that names it (a package names its modules)."""
    best: tuple[int, int] | None = None
    for rank, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), rank)
    assert best is not None, f"{module} is in no layer: add it to LAYERS (and to CONTRIBUTING.md's drawing)"
    return best[1]


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Collects the lgsync modules a tree imports when it runs."""

    def __init__(self, *, top_level_only: bool) -> None:
        self.top_level_only = top_level_only
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node):
            for child in node.orelse:
                self.visit(child)
        else:
            self.generic_visit(node)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        if not self.top_level_only:
            self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

    def visit_Import(self, node: ast.Import) -> None:
        self.found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "lgsync")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level == 0 and node.module and node.module.split(".")[0] == "lgsync":
            names = {f"{node.module}.{alias.name}" for alias in node.names}
            submodules = names & MODULES.keys()
            self.found.update(submodules)
            if names - submodules:  # a name defined in the module itself, not one of its submodules
                self.found.add(node.module)


def runtime_imports(module: str, *, top_level_only: bool = False) -> set[str]:
    """The lgsync modules ``module`` imports when it runs (``TYPE_CHECKING`` blocks left out)."""
    collector = _Imports(top_level_only=top_level_only)
    collector.visit(ast.parse(MODULES[module].read_text(encoding="utf-8")))
    return {name for name in collector.found if name in MODULES and name != module}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_module_imports_only_its_own_layer_or_those_below(module: str) -> None:
    rank = layer_of(module)
    upward = sorted(name for name in runtime_imports(module) if layer_of(name) < rank)
    assert not upward, f"{module} (layer {rank}) imports from a layer above: {upward}"


def test_the_module_level_imports_have_no_cycle() -> None:
    graph = {module: runtime_imports(module, top_level_only=True) for module in MODULES}
    # A package's __init__ re-exporting its own modules is not a cycle of ideas.
    for module, imported in graph.items():
        graph[module] = {name for name in imported if not module.startswith(name + ".")}
    state: dict[str, int] = {}
    path: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt)
        path.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            walk(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_says_what_it_is_for_and_stays_small(module: str) -> None:
    source = MODULES[module].read_text(encoding="utf-8")
    if module != "lgsync._version":
        assert ast.get_docstring(ast.parse(source)), f"{module} has no docstring saying what it is for"
    lines = source.count("\n")
    if module in MIRRORS:
        docstring = ast.get_docstring(ast.parse(source)) or ""
        assert "mirror" in docstring.lower(), f"{module} is long as an SDK mirror: its docstring should say so"
    else:
        assert lines <= LINE_LIMIT, f"{module} has {lines} lines; split it by idea (about 300 at most)"


def test_the_layer_table_orders_the_layers() -> None:
    """The table puts the client above the leaves, the session with the resources, the transports low."""
    assert layer_of("lgsync.client") < layer_of("lgsync.errors._base")
    assert layer_of("lgsync.resources.thread_stream._session") == layer_of("lgsync.resources.runs")
    assert layer_of("lgsync.transport._dechunk") > layer_of("lgsync.stream")
    with pytest.raises(AssertionError, match="in no layer"):
        layer_of("lgsync_other.module")


def test_import_lgsync_loads_only_what_a_client_needs() -> None:
    """``import lgsync`` stays light: the HTTP libraries and the extras load on use."""
    code = "import sys, lgsync; print('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    loaded = set(result.stdout.split())
    assert "lgsync.client" in loaded  # the probe sees what it should
    on_use = (
        "requests",
        "urllib3",
        "lgsync.cli",
        "lgsync.demo",
        "lgsync.devserver",
        "lgsync.contrib",
        "lgsync.testing",
    )
    early = sorted(name for name in loaded if any(name == m or name.startswith(m + ".") for m in on_use))
    assert early == [], f"import lgsync loads {early}"
