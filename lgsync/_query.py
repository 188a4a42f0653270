"""Query strings from the SDK's parameter shapes, and the absolute URL of a call.

Booleans travel as ``true``/``false``, ``None`` values stay out, sequences
repeat the key: what the LangGraph server and langgraph_sdk expect.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from lgsync.schema import QueryParamTypes

__all__ = ["call_url", "encode_params"]


def encode_params(params: QueryParamTypes | None) -> str:
    """A query string from the SDK's parameter shapes.

    Booleans become ``true``/``false`` and ``None`` values are left out;
    sequences repeat the key.

    Example::

        >>> encode_params({"limit": 10, "wait": True, "status": None})
        'limit=10&wait=true'
    """
    if not params:
        return ""
    if isinstance(params, bytes):
        return params.decode("ascii")
    if isinstance(params, str):
        return params.lstrip("?")
    items = params.items() if isinstance(params, Mapping) else params
    pairs: list[tuple[str, str]] = []
    for key, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            pairs.append((key, _param_str(item)))
    return urlencode(pairs)


def _param_str(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def call_url(base_url: str, path: str, params: QueryParamTypes | None = None) -> str:
    """The absolute URL for ``path`` (already quoted, or already absolute) and ``params``.

    Example::

        >>> call_url("http://h:2024", "/threads/search?x=1", {"limit": 2})
        'http://h:2024/threads/search?x=1&limit=2'
    """
    url = path if path.startswith(("http://", "https://")) else base_url + path
    query = encode_params(params)
    if query:
        url += ("&" if "?" in url else "?") + query
    return url
