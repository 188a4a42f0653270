"""The SDK's ``version="v2"`` stream shape: dicts with ``type``, ``ns``, ``data``, ``interrupts``."""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import Any

from lgsync.schema import StreamPart
from lgsync.stream import ReconnectingStream

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


class V2Stream(Iterator[dict[str, Any]]):
    """A :class:`ReconnectingStream` seen through :func:`v2_part`; closes like it."""

    def __init__(self, stream: ReconnectingStream) -> None:
        self.stream = stream

    def __iter__(self) -> V2Stream:
        return self

    def __next__(self) -> dict[str, Any]:
        while True:
            converted = v2_part(next(self.stream))
            if converted is not None:
                return converted

    def __enter__(self) -> V2Stream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.stream.close()


def to_v2(stream: ReconnectingStream) -> V2Stream:
    return V2Stream(stream)
