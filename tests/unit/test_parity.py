"""Drop-in parity with ``langgraph_sdk``'s sync client, checked by introspection.

Every public method of the SDK's five sync sub-clients must exist in lgsync with
the same parameter names, kinds, positional order and defaults; no server needed.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Callable

import pytest

import lgsync

langgraph_sdk = pytest.importorskip("langgraph_sdk")

SUB_CLIENTS = ("assistants", "threads", "runs", "crons", "store")

_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)


@dataclass
class ParityReport:
    """What the comparison found, and how much it looked at."""

    methods_checked: int = 0
    parameters_checked: int = 0
    problems: list[str] = field(default_factory=list)


def _sub_client_types() -> Iterator[tuple[str, type, type]]:
    sdk_client = langgraph_sdk.get_sync_client(url="http://127.0.0.1:9", api_key=None)
    ours = lgsync.get_sync_client(url="http://127.0.0.1:9", api_key=None)
    try:
        for name in SUB_CLIENTS:
            yield name, type(getattr(sdk_client, name)), type(getattr(ours, name))
    finally:
        ours.close()


def _public_methods(cls: type) -> dict[str, Callable[..., Any]]:
    return {
        name: member
        for name, member in inspect.getmembers(cls, predicate=inspect.isfunction)
        if not name.startswith("_")
    }


def _same_default(sdk_default: Any, our_default: Any) -> bool:
    # A bare ``object()`` is a "not provided" sentinel: lgsync must use one too.
    if type(sdk_default) is object:
        return type(our_default) is object
    return type(sdk_default) is type(our_default) and bool(sdk_default == our_default)


def _compare(where: str, sdk_method: Callable[..., Any], our_method: Callable[..., Any], report: ParityReport) -> None:
    sdk_params = inspect.signature(sdk_method).parameters
    our_params = inspect.signature(our_method).parameters
    for missing in sdk_params.keys() - our_params.keys():
        report.problems.append(f"{where}: missing parameter {missing!r}")
    for extra in our_params.keys() - sdk_params.keys():
        report.problems.append(f"{where}: extra parameter {extra!r}")
    sdk_positional = [name for name, p in sdk_params.items() if p.kind in _POSITIONAL]
    our_positional = [name for name, p in our_params.items() if p.kind in _POSITIONAL]
    if sdk_positional != our_positional:
        report.problems.append(f"{where}: positional order {our_positional} != SDK's {sdk_positional}")
    for name, sdk_param in sdk_params.items():
        report.parameters_checked += 1
        ours = our_params.get(name)
        if ours is None:
            continue
        if ours.kind != sdk_param.kind:
            report.problems.append(
                f"{where}({name}): kind {ours.kind.description} != SDK's {sdk_param.kind.description}"
            )
        if (ours.default is inspect.Parameter.empty) != (sdk_param.default is inspect.Parameter.empty):
            report.problems.append(f"{where}({name}): required in one client, optional in the other")
        elif sdk_param.default is not inspect.Parameter.empty and not _same_default(sdk_param.default, ours.default):
            report.problems.append(f"{where}({name}): default {ours.default!r} != SDK's {sdk_param.default!r}")


def compare_clients() -> ParityReport:
    """Compare every public method of the five sub-clients, SDK against lgsync."""
    report = ParityReport()
    for sub_client, sdk_type, our_type in _sub_client_types():
        ours = _public_methods(our_type)
        for method_name, sdk_method in sorted(_public_methods(sdk_type).items()):
            where = f"{sub_client}.{method_name}"
            report.methods_checked += 1
            if method_name not in ours:
                report.problems.append(f"{where}: missing method")
                continue
            _compare(where, sdk_method, ours[method_name], report)
    return report


def test_every_sdk_method_exists_with_the_same_parameters(record_property: Callable[[str, Any], None]) -> None:
    report = compare_clients()
    record_property("parity_methods_checked", report.methods_checked)
    record_property("parity_parameters_checked", report.parameters_checked)
    print(
        f"\nparity: {report.methods_checked} methods and {report.parameters_checked} parameters checked, "
        f"{len(report.problems)} problems"
    )
    assert report.problems == []
    # The comparison must have looked at the whole surface, not an empty one.
    assert report.methods_checked >= 46
    assert report.parameters_checked >= 400


def test_lgsync_sub_clients_are_reachable_from_get_sync_client() -> None:
    with lgsync.get_sync_client(url="http://127.0.0.1:9", api_key=None) as client:
        for name in SUB_CLIENTS:
            assert type(getattr(client, name)).__module__.startswith("lgsync.resources.")


def test_the_comparison_catches_a_differing_signature() -> None:
    def sdk_method(self: Any, thread_id: str, *, limit: int = 10, flag: bool = False) -> None:
        """Stands in for an SDK method."""

    def our_method(self: Any, thread_id: str, limit: int = 20, *, extra: bool = False) -> None:
        """Stands in for an lgsync method that drifted."""

    report = ParityReport()
    _compare("demo.method", sdk_method, our_method, report)
    assert sorted(report.problems) == sorted(
        [
            "demo.method: missing parameter 'flag'",
            "demo.method: extra parameter 'extra'",
            "demo.method: positional order ['self', 'thread_id', 'limit'] != SDK's ['self', 'thread_id']",
            "demo.method(limit): kind positional or keyword != SDK's keyword-only",
            "demo.method(limit): default 20 != SDK's 10",
        ]
    )


def test_thread_stream_classes_have_the_sdks_public_names_and_signatures() -> None:
    from lgsync.resources import thread_stream as ours

    sdk = pytest.importorskip("langgraph_sdk._sync.stream")
    pairs = [
        (sdk.SyncThreadStream, ours.ThreadStream),
        (sdk.SyncRunModule, ours.RunCommands),
        (sdk._SyncAgentModule, ours.AgentCommands),
        (sdk.SyncToolCallHandle, ours.ToolCallHandle),
        (sdk._SyncExtensionsProjection, ours.ExtensionsProjection),
    ]
    report = ParityReport()
    for sdk_type, our_type in pairs:
        our_methods = _public_methods(our_type)
        for name, sdk_method in _public_methods(sdk_type).items():
            report.methods_checked += 1
            if name not in our_methods:
                report.problems.append(f"{our_type.__name__}.{name}: missing method")
            else:
                _compare(f"{our_type.__name__}.{name}", sdk_method, our_methods[name], report)
        for name, _member in inspect.getmembers(sdk_type, lambda m: isinstance(m, property)):
            if not name.startswith("_") and not isinstance(getattr(our_type, name, None), property):
                report.problems.append(f"{our_type.__name__}.{name}: not a property")
    # Attributes set per instance: every public one of the SDK's objects exists on lgsync's.
    sdk_client = langgraph_sdk.get_sync_client(url="http://127.0.0.1:9", api_key=None)
    sdk_session = sdk_client.threads.stream(assistant_id="agent")
    sdk_objects = [
        sdk_session,
        sdk.SyncToolCallHandle(tool_call_id="c", name="tool"),
        sdk.SyncScopedStreamHandle(thread=sdk_session, path=("a:1",), graph_name="a", trigger_call_id="1"),
    ]
    with lgsync.get_sync_client(url="http://127.0.0.1:9", api_key=None) as client:
        session = client.threads.stream(assistant_id="agent")
        our_objects = [
            session,
            ours.ToolCallHandle(tool_call_id="c", name="tool"),
            ours.ScopedStreamHandle(session, path=("a:1",), graph_name="a", trigger_call_id="1"),
        ]
        for sdk_object, our_object in zip(sdk_objects, our_objects):
            for name in vars(sdk_object):
                if not name.startswith("_") and not hasattr(our_object, name):
                    report.problems.append(f"{type(our_object).__name__}.{name}: missing attribute")
                report.parameters_checked += 1
    assert report.problems == []
    assert report.methods_checked >= 6 and report.parameters_checked >= 25
