"""HTTP header names and values: one case-insensitive mapping, merging, and validation.

Every layer that builds or reads headers (client defaults, per-call headers,
transports, responses) uses these, so a name is sent once whatever its case.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, MutableMapping
from typing import Union, overload

__all__ = ["HeaderDict", "Headers", "check_header_value", "merge_headers"]

#: A header name is an RFC 9110 token.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

#: Control characters a field value may not hold (HTAB is allowed inside one).
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")

HeaderSource = Union[Mapping[str, str], Iterable["tuple[str, str]"], None]

#: Header (name, value) pairs already found able to travel: the same few go out
#: on every call. Bounded: emptied when full, so unique values cannot grow it.
_CHECKED: dict[tuple[str, str], None] = {}
CHECKED_LIMIT = 256


class _CaseInsensitive(Mapping[str, str]):
    """The shared core: names compared case-insensitively, each held once with the case it was given."""

    __slots__ = ("_items",)

    _items: dict[str, tuple[str, str]]

    def __getitem__(self, key: str) -> str:
        return self._items[key.lower()][1]

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._items

    @overload  # type: ignore[override]
    def get(self, key: str) -> str | None: ...

    @overload
    def get(self, key: str, default: str) -> str: ...

    def get(self, key: str, default: str | None = None) -> str | None:
        # Mapping.get goes through __getitem__ and a KeyError; this is on every call's path.
        item = self._items.get(key.lower())
        return default if item is None else item[1]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {k.lower(): v for k, v in self.items()} == {str(k).lower(): v for k, v in other.items()}

    __hash__ = None  # type: ignore[assignment]


def _pairs(source: HeaderSource) -> Iterable[tuple[str, str]]:
    if source is None:
        return ()
    if type(source) is HeaderDict or type(source) is Headers:
        return source._items.values()  # (name, value) pairs, without the Mapping views
    if type(source) is dict or isinstance(source, Mapping):
        return source.items()
    return source


class Headers(_CaseInsensitive):
    """A read-only, case-insensitive view of response headers; repeated ones are joined with ``", "``.

    Example::

        >>> Headers([("Set-Thing", "a"), ("set-thing", "b")])["SET-THING"]
        'a, b'
    """

    __slots__ = ()

    def __init__(self, items: HeaderSource = None) -> None:
        self._items = {}
        for key, value in _pairs(items):
            lowered = key.lower()
            held = self._items.get(lowered)
            if held is not None:
                value = f"{held[1]}, {value}"
            self._items[lowered] = (key, value)

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"


class HeaderDict(_CaseInsensitive, MutableMapping[str, str]):
    """Request headers: mutable and case-insensitive, each name once, in the case last set.

    The repr shows names only, since values may be secrets.

    Example::

        >>> h = HeaderDict({"user-agent": "a"})
        >>> h["User-Agent"] = "b"
        >>> dict(h)
        {'User-Agent': 'b'}
    """

    __slots__ = ()

    def __init__(self, items: HeaderSource = None) -> None:
        self._items = {}
        for key, value in _pairs(items):
            self._items[key.lower()] = (key, value)

    def __setitem__(self, key: str, value: str) -> None:
        self._items[key.lower()] = (key, value)

    def __delitem__(self, key: str) -> None:
        del self._items[key.lower()]

    def setdefault(self, key: str, default: str = "") -> str:
        held = self._items.get(key.lower())
        if held is not None:
            return held[1]
        self._items[key.lower()] = (key, default)
        return default

    def copy(self) -> HeaderDict:
        clone = HeaderDict()
        clone._items = dict(self._items)
        return clone

    def __repr__(self) -> str:
        return f"HeaderDict(names={list(self)!r})"


def merge_headers(*layers: HeaderSource) -> HeaderDict:
    """Merge header layers case-insensitively: later layers win, each name once.

    Example::

        >>> dict(merge_headers({"User-Agent": "lgsync", "Accept": "*/*"}, {"user-agent": "mine"}))
        {'user-agent': 'mine', 'Accept': '*/*'}
    """
    merged = HeaderDict()
    items = merged._items
    for layer in layers:
        if type(layer) is HeaderDict or type(layer) is Headers:
            items.update(layer._items)  # already keyed by the lower-case name
            continue
        for key, value in _pairs(layer):
            items[key.lower()] = (key, value)
    return merged


def check_header_value(name: str, value: str) -> None:
    """Refuse a header that cannot travel as it is, naming the header but never its value.

    ``ValueError`` for: a name that is not an HTTP token; a CR, LF, NUL or
    other control character in the value; leading or trailing whitespace; a
    character outside Latin-1. ``TypeError`` for a name or value that is not a str.

    Example::

        >>> check_header_value("Last-Event-ID", " 1")
        Traceback (most recent call last):
        ...
        ValueError: header 'Last-Event-ID' has leading or trailing whitespace in its value
    """
    exact = type(name) is str and type(value) is str  # a str subclass may compare equal to another string
    if exact and (name, value) in _CHECKED:
        return
    if not isinstance(name, str):
        raise TypeError(f"a header name must be a str, got {type(name).__name__}")
    if not isinstance(value, str):
        raise TypeError(f"header {name!r} must be a str, got {type(value).__name__}")
    if _TOKEN.fullmatch(name) is None:
        if any(ch in name for ch in "\r\n\0"):
            raise ValueError(f"header name {name!r} contains a CR, LF or NUL character")
        raise ValueError(f"header name {name!r} is not a valid HTTP token")
    if _CONTROL.search(value) is not None:
        if any(ch in value for ch in "\r\n\0"):
            raise ValueError(f"header {name!r} contains a CR, LF or NUL character")
        raise ValueError(f"header {name!r} contains a control character")
    if value and (value[0].isspace() or value[-1].isspace()):
        raise ValueError(f"header {name!r} has leading or trailing whitespace in its value")
    if not value.isascii():
        try:
            value.encode("latin-1")
        except UnicodeEncodeError:
            raise ValueError(f"header {name!r} has a character outside Latin-1 in its value") from None
    if exact:
        if len(_CHECKED) >= CHECKED_LIMIT:
            _CHECKED.clear()
        _CHECKED[(name, value)] = None
