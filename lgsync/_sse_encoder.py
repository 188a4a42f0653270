"""Writing server-sent events: the one encoder behind ``lgsync.testing``, the web relays and the tests.

The inverse of ``lgsync.sse``: whatever it writes, the decoder reads back as the same event.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["encode_event", "json_data"]

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _one_line(value: str) -> str:
    # A line break in an event name or id would end the field early.
    return value.replace("\r", " ").replace("\n", " ")


def json_data(value: Any) -> str:
    """``value`` as one line of compact JSON, non-ASCII kept; an object JSON cannot hold becomes its ``str``.

    Example::

        >>> json_data({"topic": "crème", "n": [1, 2]})
        '{"topic":"crème","n":[1,2]}'
    """
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def encode_event(event: str | None = None, data: str | None = None, id: str | None = None) -> bytes:
    """One event in the SSE wire format: ``event``, ``id``, one ``data:`` line per line of ``data``, a blank line.

    A field that is ``None`` is left out (``data=None`` makes an event-only
    block); an empty ``id`` is written, since it resets the reader's cursor.
    Line breaks in ``event`` and ``id`` become spaces.

    Example::

        >>> encode_event("updates", json_data({"a": 1}), id="5-0")
        b'event: updates\\nid: 5-0\\ndata: {"a":1}\\n\\n'
    """
    lines: list[str] = []
    if event is not None:
        lines.append("event: " + _one_line(event))
    if id is not None:
        lines.append("id: " + _one_line(id))
    if data is not None:
        lines.extend("data: " + line for line in _LINE_BREAK.split(data))
    return ("\n".join(lines) + "\n\n").encode("utf-8")
