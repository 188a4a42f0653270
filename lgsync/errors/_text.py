"""Bounded text of server values for error messages: excerpts of bodies and `str()` that cannot run away.

A server chooses what it sends: a 16 MB HTML page, JSON nested 1,024 levels
deep. Everything an error message repeats goes through here, bounded in length
and depth, and never raises.
"""

from __future__ import annotations

from typing import Any

_EXCERPT = 300
MESSAGE_LIMIT = 4000
"""The longest server message an error repeats, in characters; past it, the text is cut and ends with "…"."""
# How deep a server value is rendered; deeper containers show as […] or {…}.
_RENDER_DEPTH = 20


def excerpt(raw: bytes | str, limit: int = _EXCERPT) -> str:
    """A short, printable excerpt of a body for an error message: whitespace runs as one space, cut at `limit`.

    Only the first few times `limit` characters are looked at, whatever the body's size.

    Args:
        raw: The body, as bytes (decoded as UTF-8, bad bytes replaced) or text.
        limit: The most characters kept before the `…`.

    Returns:
        The excerpt, ending with `…` when the body was longer.

    Example:
        ```pycon
        >>> excerpt(b"<html>\\n  <body>Bad Gateway</body>\\n</html>")
        '<html> <body>Bad Gateway</body> </html>'
        ```
    """
    window = 4 * limit + 4
    head = raw[:window]
    text = head.decode("utf-8", errors="replace") if isinstance(head, bytes) else head
    text = " ".join(text.split())
    if len(text) > limit or len(raw) > window:
        text = text[:limit] + "…"
    return text


def bounded_str(value: object, limit: int = _EXCERPT) -> str:
    """`str(value)` for a value that came from a server, bounded in depth and length.

    The same text as `str()` for ordinary JSON values (a string is itself);
    containers nested more than 20 levels show as `[…]` or `{…}`, and a
    text longer than `limit` is cut and ends with `…`. It never raises
    `RecursionError`, however deep the value (JSON parsers accept 1,024 levels).
    lgsync's errors use it for every value the server chose, and your own log
    lines can too.

    Args:
        value: Any value, usually decoded JSON.
        limit: The most characters kept before the `…` (300 by default).

    Returns:
        The text, at most `limit` characters plus the `…`.

    Example:
        ```pycon
        >>> bounded_str({"loc": ["body", "input"], "msg": "field required"})
        "{'loc': ['body', 'input'], 'msg': 'field required'}"
        >>> bounded_str("x" * 500, limit=5)
        'xxxxx…'
        ```
    """
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    writer = _BoundedWriter(limit)
    writer.value(value, 0, nested=False)
    return writer.text()


class _BoundedWriter:
    """Writes ``str()`` of a value piece by piece, and stops once ``limit`` characters are written."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.pieces: list[str] = []
        self.size = 0

    def room(self) -> int:
        return self.limit + 1 - self.size  # one more than the limit, to know that it was passed

    def put(self, text: str) -> None:
        room = self.room()
        if room > 0:
            piece = text[:room]
            self.pieces.append(piece)
            self.size += len(piece)

    def value(self, value: object, depth: int, *, nested: bool = True) -> None:
        if self.room() <= 0:
            return
        if isinstance(value, str):
            self.put(repr(value[: self.room()]))
        elif isinstance(value, dict):
            self.items(value, depth)
        elif isinstance(value, (list, tuple)):
            self.sequence(value, depth)
        else:
            self.put(_scalar_text(value, nested=nested))

    def items(self, mapping: dict[Any, Any], depth: int) -> None:
        if depth >= _RENDER_DEPTH:
            self.put("{…}")
            return
        self.put("{")
        for index, (key, item) in enumerate(mapping.items()):
            if self.room() <= 0:
                return
            if index:
                self.put(", ")
            self.value(key, depth + 1)
            self.put(": ")
            self.value(item, depth + 1)
        self.put("}")

    def sequence(self, items: list[Any] | tuple[Any, ...], depth: int) -> None:
        opening, closing = ("[", "]") if isinstance(items, list) else ("(", ",)" if len(items) == 1 else ")")
        if depth >= _RENDER_DEPTH:
            self.put(f"{opening}…{closing}")
            return
        self.put(opening)
        for index, item in enumerate(items):
            if self.room() <= 0:
                return
            if index:
                self.put(", ")
            self.value(item, depth + 1)
        self.put(closing)

    def text(self) -> str:
        text = "".join(self.pieces)
        return text if len(text) <= self.limit else text[: self.limit] + "…"


def _scalar_text(value: object, *, nested: bool) -> str:
    """``repr`` (inside a container) or ``str`` of a leaf value, never raising."""
    try:
        return repr(value) if nested else str(value)
    except ValueError:  # an int too long to print (Python 3.11+ limits int-to-str digits)
        return f"<int of {value.bit_length()} bits>" if isinstance(value, int) else f"<{type(value).__name__}>"
    except Exception:
        return f"<{type(value).__name__}>"
