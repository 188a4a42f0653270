"""`lgsync.errors` is one public module over private ones: its names, the module it reports, pickles, the reference page."""

from __future__ import annotations

import ast
import doctest
import importlib
import inspect
import pickle
import re
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest

from lgsync import errors

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lgsync" / "errors"

#: The public contract: what `from lgsync.errors import *` gives.
PUBLIC = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "InternalServerError",
    "LangGraphError",
    "NotFoundError",
    "PermissionDeniedError",
    "ProtocolError",
    "RateLimitError",
    "RedirectError",
    "RunError",
    "RunFailedError",
    "RunRestartedError",
    "StreamDecodeError",
    "StreamError",
    "UnprocessableEntityError",
    "status_error",
]
#: Public by name and documented, though not in `__all__`.
ALSO_DOCUMENTED = ["MESSAGE_LIMIT", "bounded_str", "excerpt"]


def test_all_is_the_public_contract() -> None:
    assert sorted(errors.__all__) == PUBLIC
    namespace: dict[str, object] = {}
    exec("from lgsync.errors import *", namespace)
    assert sorted(name for name in namespace if name != "__builtins__") == PUBLIC


@pytest.mark.parametrize("name", [*PUBLIC, "bounded_str", "excerpt", "_restore"])
def test_every_public_object_says_it_comes_from_lgsync_errors(name: str) -> None:
    obj = getattr(errors, name)
    assert obj.__module__ == "lgsync.errors"
    assert getattr(importlib.import_module(obj.__module__), obj.__qualname__) is obj


def test_a_traceback_names_the_class_under_lgsync_errors() -> None:
    error = errors.status_error(404, b'{"detail":"Thread not found"}', {}, method="GET", path="/threads/t1")
    assert traceback.format_exception_only(type(error), error)[0] == "lgsync.errors.NotFoundError: Thread not found\n"
    assert repr(error) == "NotFoundError('Thread not found', status_code=404, method='GET', path='/threads/t1')"


# Made by lgsync.errors when it was one module (protocol 2: the same bytes on every Python).
_GATEWAY = (
    b"\x80\x02clgsync.errors\n_restore\nq\x00clgsync.errors\nInternalServerError\nq\x01X3\x00\x00\x00502 Bad Gateway "
    b"(GET /ok): <html>Bad Gateway</html>q\x02\x85q\x03\x86q\x04Rq\x05}q\x06(X\x07\x00\x00\x00messageq\x07h\x02X\x04"
    b"\x00\x00\x00bodyq\x08X\x18\x00\x00\x00<html>Bad Gateway</html>q\tX\x04\x00\x00\x00codeq\nNX\x05\x00\x00\x00param"
    b"q\x0bNX\x04\x00\x00\x00typeq\x0cNX\x0b\x00\x00\x00status_codeq\rM\xf6\x01X\x06\x00\x00\x00methodq\x0eX\x03\x00"
    b"\x00\x00GETq\x0fX\x04\x00\x00\x00pathq\x10X\x03\x00\x00\x00/okq\x11X\x07\x00\x00\x00headersq\x12}q\x13X\x0c\x00"
    b"\x00\x00x-request-idq\x14X\x05\x00\x00\x00req-1q\x15sX\n\x00\x00\x00request_idq\x16h\x15X\x0b\x00\x00\x00"
    b"retry_afterq\x17Nub."
)
_TIMEOUT = (
    b"\x80\x02clgsync.errors\n_restore\nq\x00clgsync.errors\nAPITimeoutError\nq\x01X\x0f\x00\x00\x00Read timed out.q"
    b"\x02\x85q\x03\x86q\x04Rq\x05}q\x06(X\x07\x00\x00\x00messageq\x07h\x02X\x04\x00\x00\x00bodyq\x08NX\x04\x00\x00"
    b"\x00codeq\tNX\x05\x00\x00\x00paramq\nNX\x04\x00\x00\x00typeq\x0bNX\x0c\x00\x00\x00request_sentq\x0c\x89ub."
)
_RESTARTED = (
    b"\x80\x02clgsync.errors\n_restore\nq\x00clgsync.errors\nRunRestartedError\nq\x01X\x8b\x00\x00\x00The server "
    b"started run run-1 again (attempt 2 after 1): its events begin again from the start; join the run again to "
    b"follow the new attemptq\x02\x85q\x03\x86q\x04Rq\x05}q\x06(X\x06\x00\x00\x00run_idq\x07X\x05\x00\x00\x00run-1"
    b"q\x08X\x07\x00\x00\x00attemptq\tK\x02X\x10\x00\x00\x00previous_attemptq\nK\x01ub."
)
_PICKLED_BEFORE = [
    (
        errors.status_error(502, b"<html>Bad Gateway</html>", {"x-request-id": "req-1"}, method="GET", path="/ok"),
        _GATEWAY,
    ),
    (errors.APITimeoutError("Read timed out.", request_sent=False), _TIMEOUT),
    (errors.RunRestartedError("run-1", 2, 1), _RESTARTED),
]


@pytest.mark.parametrize(("error", "made_before"), _PICKLED_BEFORE, ids=[type(e).__name__ for e, _ in _PICKLED_BEFORE])
def test_pickles_are_those_the_single_module_made_and_load_both_ways(
    error: errors.LangGraphError, made_before: bytes
) -> None:
    assert pickle.dumps(error, protocol=2) == made_before
    loaded = pickle.loads(made_before)
    assert type(loaded) is type(error)
    assert loaded.args == error.args and vars(loaded) == vars(error)
    assert b"lgsync.errors._" not in pickle.dumps(error, protocol=pickle.HIGHEST_PROTOCOL)


def _reference_members() -> list[str]:
    page = (ROOT / "docs" / "reference" / "errors.md").read_text(encoding="utf-8")
    return re.findall(r"^\s+- (\w+)\s*$", page.split("members:", 1)[1], re.MULTILINE)


def test_the_reference_page_lists_every_public_name() -> None:
    # mkdocstrings renders a name imported from a private module only when the page lists it.
    members = _reference_members()
    assert sorted(members) == sorted([*PUBLIC, *ALSO_DOCUMENTED])
    assert len(members) == len(set(members))


def _drawn_hierarchy() -> Iterator[tuple[str, str]]:
    """(class, parent) pairs of the tree drawn in the module docstring."""
    drawing = (errors.__doc__ or "").split("```text\n", 1)[1].split("```", 1)[0]
    path: list[tuple[int, str]] = []
    for line in drawing.splitlines():
        found = re.search(r"(?:── )?\b([A-Z]\w+Error)\b", line)
        assert found, line
        column = found.start(1)
        while path and path[-1][0] >= column:
            path.pop()
        if path:
            yield found.group(1), path[-1][1]
        path.append((column, found.group(1)))


def test_the_tree_in_the_docstring_is_the_real_hierarchy() -> None:
    drawn = dict(_drawn_hierarchy())
    classes = sorted(name for name in PUBLIC if isinstance(getattr(errors, name), type))
    assert sorted([*drawn, "LangGraphError"]) == classes
    for name, parent in drawn.items():
        assert getattr(errors, parent) in getattr(errors, name).__bases__, (name, parent)


def _pycon_examples() -> Iterator[tuple[str, str]]:
    for obj in (errors.status_error, errors.excerpt, errors.bounded_str, errors.APIStatusError.describe):
        for block in re.findall(r"```pycon\n(.*?)```", inspect.getdoc(obj) or "", re.DOTALL):
            yield obj.__qualname__, block


@pytest.mark.parametrize(("name", "example"), list(_pycon_examples()), ids=lambda v: v if "\n" not in v else "")
def test_docstring_examples_give_what_they_show(name: str, example: str) -> None:
    test = doctest.DocTestParser().get_doctest(example, dict(vars(errors)), name, None, 0)
    runner = doctest.DocTestRunner()
    report: list[str] = []
    runner.run(test, out=report.append)
    assert test.examples and runner.failures == 0, "".join(report)


@pytest.mark.parametrize("module", sorted(PACKAGE.glob("_*.py")), ids=lambda p: p.name)
def test_each_private_module_says_what_it_is_for_and_imports_only_its_siblings(module: Path) -> None:
    tree = ast.parse(module.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("lgsync.errors"):
            # The package's own namespace is still being built while a private module is imported.
            assert node.module != "lgsync.errors", f"{module.name}: import from a sibling, not the package"
