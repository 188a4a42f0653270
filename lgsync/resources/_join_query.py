"""The query string of a run's ``/stream`` join: which modes, whether to cancel, subgraphs.

``runs.join_stream`` sends it, and so does every resume of ``runs.stream``
(which joins the run it created); the events a join asks for only for
lgsync's own sake are named here too, so that the stream hides them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lgsync._json import dumps
from lgsync.resources._shared import merge_params
from lgsync.schema import QueryParamTypes

__all__ = ["STATELESS_NOT_RESUMABLE", "hidden_events", "join_params", "modes_param", "resume_params"]

#: Why the stream of a stateless run cannot be rejoined.
STATELESS_NOT_RESUMABLE = "a stateless run (thread_id=None) has no stream to rejoin; pass a thread to make it resumable"


def _modes(stream_mode: str | Sequence[str] | None) -> list[str]:
    if stream_mode is None:
        return []
    return [stream_mode] if isinstance(stream_mode, str) else list(stream_mode)


def modes_param(stream_mode: str | Sequence[str] | None) -> str | None:
    """``stream_mode`` as the server's query string reads it, for joining a run.

    The server keeps only the last of repeated query keys but accepts a JSON
    array, so several modes go as one. It also passes only the events whose
    name is in the filter, and ``error`` is not a mode: without it in the
    list, a run that fails would end the stream as quietly as one that
    succeeded. So a filter always includes ``error``; and ``metadata``,
    whose ``attempt`` tells a run the server started again (the stream
    raises ``RunRestartedError`` rather than pass its events off as new).

    Example::

        >>> modes_param("custom")
        '["custom","error","metadata"]'
    """
    modes = _modes(stream_mode)
    if not modes:
        return None
    for always in ("error", "metadata"):
        if always not in modes:
            modes.append(always)
    return dumps(modes).decode()


def hidden_events(stream_mode: str | Sequence[str] | None) -> frozenset[str]:
    """The events a join asks for only for lgsync's own sake: not handed to the caller.

    Example::

        >>> hidden_events("custom"), hidden_events(["custom", "metadata"])
        (frozenset({'metadata'}), frozenset())
    """
    modes = _modes(stream_mode)
    return frozenset() if not modes or "metadata" in modes else frozenset({"metadata"})


def join_params(
    stream_mode: str | Sequence[str] | None, cancel_on_disconnect: bool, params: QueryParamTypes | None
) -> dict[str, Any]:
    """The query of ``runs.join_stream``: its modes and cancellation, then the caller's own parameters.

    Example::

        >>> join_params(None, False, {"x": "1"})
        {'stream_mode': None, 'cancel_on_disconnect': False, 'x': '1'}
    """
    query: dict[str, Any] = {"stream_mode": modes_param(stream_mode), "cancel_on_disconnect": cancel_on_disconnect}
    return merge_params(query, params)


def resume_params(
    params: QueryParamTypes | None,
    stream_mode: str | Sequence[str] | None,
    on_disconnect: str | None,
    stream_subgraphs: bool,
) -> dict[str, Any]:
    """The query with which ``runs.stream`` rejoins its run after a drop.

    It must ask for the same modes and cancellation as the run was created
    with, and carry the caller's own query parameters again (only a mapping
    of them is kept; ours win).

    Example::

        >>> resume_params({"x": "1"}, "updates", "cancel", False)
        {'x': '1', 'stream_mode': '["updates","error","metadata"]', 'cancel_on_disconnect': True, 'stream_subgraphs': None}
    """
    query: dict[str, Any] = dict(params) if isinstance(params, Mapping) else {}
    query.update(
        {
            "stream_mode": modes_param(stream_mode),
            "cancel_on_disconnect": True if on_disconnect == "cancel" else None,
            "stream_subgraphs": True if stream_subgraphs else None,
        }
    )
    return query
