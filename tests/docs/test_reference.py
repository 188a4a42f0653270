"""The API reference (docs/reference/) documents every public name of lgsync, lgsync.errors, lgsync.testing and lgsync.contrib.*."""

from __future__ import annotations

import importlib
import re
import types

import pytest

from tests.docs.snippets import ROOT

REFERENCE = ROOT / "docs" / "reference"
PUBLIC_MODULES = ["lgsync", "lgsync.errors", "lgsync.testing", "lgsync.contrib.flask", "lgsync.contrib.django"]
_DIRECTIVE = re.compile(r"^:::\s+([\w.]+)\s*$", re.MULTILINE)


def _resolve(path: str) -> object:
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(path)


def _documented() -> tuple[list[object], str]:
    text = "\n".join(page.read_text(encoding="utf-8") for page in sorted(REFERENCE.glob("*.md")))
    return [_resolve(path) for path in _DIRECTIVE.findall(text)], text


def test_every_directive_names_an_object() -> None:
    objects, _ = _documented()
    assert objects, "no ::: directive in docs/reference"


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_is_in_the_reference(module_name: str) -> None:
    module = importlib.import_module(module_name)
    objects, text = _documented()
    missing = []
    for name in module.__all__:
        value = getattr(module, name)
        if any(value is obj for obj in objects):
            continue
        if module in objects and not isinstance(value, types.ModuleType):
            continue  # the whole module is rendered, with its public members
        if isinstance(value, str) and f"{module_name}.{name}" in text:
            continue  # a constant, named in the reference's text
        missing.append(name)
    assert not missing, f"{module_name}: not in docs/reference: {missing}"


def _documented_callables() -> list[tuple[str, object]]:
    import lgsync
    import lgsync.contrib.django
    import lgsync.contrib.flask
    import lgsync.testing
    from lgsync.resources.assistants import AssistantsClient
    from lgsync.resources.crons import CronClient
    from lgsync.resources.runs import RunsClient
    from lgsync.resources.store import StoreClient
    from lgsync.resources.threads import ThreadsClient

    found: list[tuple[str, object]] = []
    for cls in (AssistantsClient, ThreadsClient, RunsClient, CronClient, StoreClient):
        found += [(f"{cls.__name__}.{n}", f) for n, f in vars(cls).items() if not n.startswith("_") and callable(f)]
    found += [
        ("get_sync_client", lgsync.get_sync_client),
        ("contrib.flask.sse_response", lgsync.contrib.flask.sse_response),
        ("contrib.django.sse_response", lgsync.contrib.django.sse_response),
        ("MockTransport.add", lgsync.testing.MockTransport.add),
        ("MockTransport.add_stream", lgsync.testing.MockTransport.add_stream),
        ("testing.json_response", lgsync.testing.json_response),
        ("testing.sse_response", lgsync.testing.sse_response),
    ]
    return found


@pytest.mark.parametrize("name, function", _documented_callables(), ids=[n for n, _ in _documented_callables()])
def test_public_functions_document_every_parameter(name: str, function: object) -> None:
    import inspect

    doc = inspect.getdoc(function) or ""
    for section in ("Args:", "Returns:", "Example:"):
        assert section in doc, f"{name}: no {section} section"
    arguments = doc.split("Args:", 1)[1].split("\n\n", 1)[0]
    documented = set(re.findall(r"^    \**(\w+):", arguments, re.MULTILINE))
    parameters = {p for p in inspect.signature(function).parameters if p != "self"}  # type: ignore[arg-type]
    assert parameters <= documented, f"{name}: parameters without a description: {sorted(parameters - documented)}"
