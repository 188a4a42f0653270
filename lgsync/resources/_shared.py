"""What every resource client needs: safe path segments, payloads and query parameters built one way."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from typing import Any, Callable
from urllib.parse import quote

from lgsync.schema import QueryParamTypes, RunCreateMetadata
from lgsync.transport.base import Response

__all__ = [
    "compact",
    "merge_params",
    "non_empty",
    "on_run_created_hook",
    "pick",
    "quote_path_param",
    "warn_checkpoint_during",
]

_RUN_LOCATION = re.compile(r"(?:/threads/(?P<thread_id>[^/]+))?/runs/(?P<run_id>[^/]+)/?$")


def quote_path_param(value: Any) -> str:
    """One path segment, quoted so that no id can change the path.

    ``/`` and every reserved character are escaped, and an all-dot value
    (``.`` or ``..``) is escaped too, since a URL library may otherwise
    resolve it as a relative segment.

    Example::

        >>> quote_path_param("a/b"), quote_path_param("..")
        ('a%2Fb', '%2E%2E')
    """
    if value is None:
        raise TypeError("A path parameter (an id) must not be None")
    if isinstance(value, (bytes, bytearray)):
        raise TypeError("A path parameter must be a str or a UUID, not bytes")
    text = str(value)
    if not text:
        raise ValueError("A path parameter (an id) must not be empty")
    quoted = quote(text, safe="")
    if set(quoted) == {"."}:
        quoted = "%2E" * len(quoted)
    return quoted


def compact(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload without the keys whose value is ``None`` (the SDK's convention)."""
    return {key: value for key, value in payload.items() if value is not None}


def non_empty(**fields: Any) -> dict[str, Any]:
    """The fields whose value is truthy (the SDK leaves out empty filters, ``0`` and ``False`` too).

    Example::

        >>> non_empty(metadata={}, graph_id="agent", limit=0)
        {'graph_id': 'agent'}
    """
    return {key: value for key, value in fields.items() if value}


def pick(arguments: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The named ``arguments`` that are not ``None``: a body from a call's own parameters.

    A method whose signature mirrors the SDK's passes ``locals()`` and the
    tuple of parameter names that go in its body, so no body lists its
    fields twice.

    Example::

        >>> pick({"input": {"a": 1}, "config": None, "headers": {}}, ("input", "config"))
        {'input': {'a': 1}}
    """
    return compact({name: arguments[name] for name in names})


def merge_params(base: dict[str, Any], params: QueryParamTypes | None) -> dict[str, Any]:
    """``base`` plus the caller's extra query parameters (theirs win).

    Example::

        >>> merge_params({"limit": 10}, {"limit": 5, "x": "y"})
        {'limit': 5, 'x': 'y'}
    """
    if params:
        base.update(dict(params))  # type: ignore[arg-type]
    return base


def warn_checkpoint_during(value: bool | None, *, stacklevel: int = 3) -> None:
    """Warn that ``checkpoint_during`` is deprecated, when the caller passed it (at the user's line).

    ``stacklevel`` counts from here: 3 is the line that called the method
    that called this function.
    """
    if value is not None:
        warnings.warn(
            "checkpoint_during is deprecated; use durability instead",
            DeprecationWarning,
            stacklevel=stacklevel,
        )


def on_run_created_hook(
    callback: Callable[[RunCreateMetadata], None] | None,
) -> Callable[[Response], None] | None:
    """An ``on_response`` hook that reports the new run's ids from ``Content-Location``."""
    if callback is None:
        return None

    def hook(response: Response) -> None:
        location = response.headers.get("content-location")
        if not location:
            return
        match = _RUN_LOCATION.search(location.split("?", 1)[0])
        if match:
            callback(RunCreateMetadata(run_id=match["run_id"], thread_id=match["thread_id"]))

    return hook
