"""The SDK's ``version="v2"`` stream shape: dicts with ``type``, ``ns``, ``data``, ``interrupts``."""

from __future__ import annotations

from typing import Any

from lgsync.schema import StreamPart
from lgsync.stream import ReconnectingStream, Stream

__all__ = ["V2Stream", "to_v2", "v2_part"]


def v2_part(part: StreamPart) -> dict[str, Any] | None:
    """One v1 part as a v2 dict; ``None`` for the ``end`` event.

    ``"updates|node_2:<id>"`` becomes ``type="updates"``,
    ``ns=["node_2:<id>"]``; a ``values`` event's ``__interrupt__`` moves to
    ``interrupts``.

    Example::

        >>> v2_part(StreamPart("updates|sub:1", {"a": 1}))
        {'type': 'updates', 'ns': ['sub:1'], 'data': {'a': 1}, 'interrupts': []}
    """
    if part.event == "end":
        return None
    kind, *ns = part.event.split("|")
    data = part.data
    interrupts: Any = []
    if kind == "values" and isinstance(data, dict) and "__interrupt__" in data:
        data = dict(data)
        interrupts = data.pop("__interrupt__")
    return {"type": kind, "ns": ns, "data": data, "interrupts": interrupts}


#: What ``version="v2"`` streams are: the one stream type, yielding v2 dicts.
V2Stream = Stream[dict[str, Any]]


def to_v2(stream: ReconnectingStream) -> V2Stream:
    """The v2 view of a run stream (same connection, counters, ``close()`` and ``abort()``)."""
    return stream.converted(v2_part)
