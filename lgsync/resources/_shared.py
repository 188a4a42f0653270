"""What every resource client needs: safe path segments and compact payloads."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Callable
from urllib.parse import quote

from lgsync.schema import RunCreateMetadata
from lgsync.transport.base import Response

__all__ = ["compact", "on_run_created_hook", "quote_path_param"]

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
