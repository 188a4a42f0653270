"""Reading the thread-stream protocol: which channel and namespace an event has, and whether a filter wants it.

Pure functions over the event dicts the server sends
(``{"type": "event", "seq": ..., "method": ..., "params": {"namespace": [...], "data": ...}}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lgsync.errors import ProtocolError

#: Every channel the server streams; what ``ThreadStream.events`` asks for.
ALL_CHANNELS = ("values", "updates", "messages", "tools", "lifecycle", "input", "checkpoints", "tasks", "custom")
"""Every channel the server streams, the names `ThreadStream.subscribe` takes; `ThreadStream.events` asks for all of them."""

#: Root lifecycle phases after which the run is no longer moving.
TERMINAL_PHASES = ("completed", "failed", "interrupted")

#: The channel names ``interleave_projections`` accepts besides extension names.
INTERLEAVE_CHANNELS = ("values", "messages", "tool_calls", "subgraphs", "updates", "checkpoints", "tasks")
#: Protocol channels that have no projection of their own (``tools`` is spelt ``tool_calls``).
RESERVED_CHANNELS = frozenset({"lifecycle", "tools", "input"})


def event_data(event: Mapping[str, Any]) -> Any:
    params = event.get("params")
    return params.get("data") if isinstance(params, dict) else None


def event_namespace(event: Mapping[str, Any]) -> list[str]:
    params = event.get("params")
    namespace = params.get("namespace") if isinstance(params, dict) else None
    return [str(segment) for segment in namespace] if isinstance(namespace, list) else []


def data_at(event: Mapping[str, Any], method: str, namespace: list[str]) -> dict[str, Any] | None:
    """The data of a ``method`` event of exactly ``namespace``, when it is a dict (else ``None``)."""
    if event.get("method") != method or event_namespace(event) != namespace:
        return None
    data = event_data(event)
    return data if isinstance(data, dict) else None


def channel_of(event: Mapping[str, Any]) -> str | None:
    """The subscription channel an event belongs to (``custom:<name>`` for named custom events)."""
    method = event.get("method")
    if method == "input.requested":
        return "input"
    if method == "custom":
        data = event_data(event)
        name = data.get("name") if isinstance(data, dict) else None
        return f"custom:{name}" if isinstance(name, str) and name else "custom"
    return method if isinstance(method, str) else None


def _segment_matches(wanted: str, segment: str) -> bool:
    # ``node`` matches ``node:<task id>``; a wanted segment with its own task id must match exactly.
    return segment == wanted or (":" not in wanted and segment.partition(":")[0] == wanted)


def namespace_matches(namespace: list[str], prefixes: list[list[str]] | None, depth: int | None) -> bool:
    """Whether ``namespace`` lies under one of ``prefixes``, at most ``depth`` levels below it."""
    if not prefixes:
        return True
    for prefix in prefixes:
        if len(prefix) > len(namespace):
            continue
        if not all(_segment_matches(want, seg) for want, seg in zip(prefix, namespace)):
            continue
        if depth is None or len(namespace) - len(prefix) <= depth:
            return True
    return False


def matches(
    event: Mapping[str, Any], channels: list[str], namespaces: list[list[str]] | None, depth: int | None
) -> bool:
    """Whether a subscription with these filters asked for ``event``."""
    channel = channel_of(event)
    if channel is None:
        return False
    if channel not in channels and not (channel.startswith("custom:") and "custom" in channels):
        return False
    return namespace_matches(event_namespace(event), namespaces, depth)


def lifecycle_phase(event: Mapping[str, Any], namespace: list[str] | None = None) -> str | None:
    """``running``/``completed``/``failed``... for a lifecycle event at ``namespace`` (the root by default)."""
    if event.get("method") != "lifecycle" or event_namespace(event) != (namespace or []):
        return None
    data = event_data(event)
    phase = data.get("event") if isinstance(data, dict) else None
    return phase if isinstance(phase, str) else None


def lifecycle_run_id(event: Mapping[str, Any]) -> str | None:
    """The run a lifecycle event belongs to, read from its ``synth:<run_id>:...`` event id."""
    event_id = event.get("event_id")
    if not isinstance(event_id, str) or not event_id.startswith("synth:"):
        return None
    run_id = event_id[len("synth:") :].partition(":")[0]
    return run_id or None


def protocol_error(answer: Mapping[str, Any]) -> ProtocolError:
    """The error for an ``{"type": "error"}`` answer or frame, worded as ``langgraph_sdk`` words it."""
    return ProtocolError(f"Protocol error [{answer.get('error', 'unknown')}]: {answer.get('message', '')}")


def is_error_frame(event: Mapping[str, Any]) -> bool:
    """An unsolicited error (``"id": null``) the server sends before closing an event stream it cannot feed."""
    return event.get("type") == "error" and event.get("id") is None


def seq_of(event: Mapping[str, Any]) -> int | None:
    seq = event.get("seq")
    return seq if isinstance(seq, int) and not isinstance(seq, bool) else None


def check_interleave_channels(channels: list[str]) -> None:
    """Refuse protocol channel names that have no projection (an empty stream would hide the typo)."""
    for channel in channels:
        if channel in RESERVED_CHANNELS:
            hint = ' (use "tool_calls")' if channel == "tools" else ""
            raise ValueError(
                f"{channel!r} is not a valid interleave_projections channel{hint}. "
                f"Supported channels: {', '.join(INTERLEAVE_CHANNELS)}, or an extension name."
            )
        if not channel:
            raise ValueError("interleave_projections: a channel name must be non-empty.")
