"""The bodies and queries of ``client.threads`` that take more than picking arguments.

A thread's creation body (its metadata, supersteps, TTL), a TTL as the server
reads it, and the query of a thread's ``/stream`` join.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lgsync.resources._shared import merge_params
from lgsync.schema import QueryParamTypes

__all__ = ["THREAD_STREAM_NOT_RESUMABLE", "create_payload", "join_params", "ttl_payload"]

#: Why a thread's stream is not resumed by itself.
THREAD_STREAM_NOT_RESUMABLE = (
    "a thread's stream names no place to resume from; call threads.join_stream again "
    "with last_event_id set to the last id you received"
)


def ttl_payload(ttl: int | Mapping[str, Any]) -> dict[str, Any]:
    """A TTL in minutes becomes the server's ``{"ttl": n, "strategy": "delete"}``.

    Example::

        >>> ttl_payload(30), ttl_payload({"ttl": 5, "strategy": "delete"})
        ({'ttl': 30, 'strategy': 'delete'}, {'ttl': 5, 'strategy': 'delete'})
    """
    if isinstance(ttl, (int, float)):
        return {"ttl": ttl, "strategy": "delete"}
    return dict(ttl)


def create_payload(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The body of ``threads.create``, from its ``locals()``.

    ``graph_id`` goes into the metadata; each superstep update keeps
    ``values``, ``command`` and ``as_node``, and nothing else.

    Example::

        >>> create_payload({**dict.fromkeys(("metadata", "thread_id", "if_exists", "supersteps", "ttl")), "graph_id": "a"})
        {'metadata': {'graph_id': 'a'}}
    """
    thread_id, metadata, graph_id = arguments["thread_id"], arguments["metadata"], arguments["graph_id"]
    if_exists, supersteps, ttl = arguments["if_exists"], arguments["supersteps"], arguments["ttl"]
    payload: dict[str, Any] = {}
    if thread_id:
        payload["thread_id"] = thread_id
    if metadata or graph_id:
        payload["metadata"] = {**(metadata or {}), **({"graph_id": graph_id} if graph_id else {})}
    if if_exists:
        payload["if_exists"] = if_exists
    if supersteps:
        payload["supersteps"] = [
            {
                "updates": [
                    {"values": update["values"], "command": update.get("command"), "as_node": update["as_node"]}
                    for update in step["updates"]
                ]
            }
            for step in supersteps
        ]
    if ttl is not None:
        payload["ttl"] = ttl_payload(ttl)
    return payload


def join_params(stream_mode: str | Sequence[str], params: QueryParamTypes | None) -> dict[str, Any]:
    """The query of ``threads.join_stream``: the modes as the SDK sends them and as the server reads them.

    Example::

        >>> join_params(["run_modes", "lifecycle"], None)
        {'stream_mode': ['run_modes', 'lifecycle'], 'stream_modes': 'run_modes,lifecycle'}
    """
    modes = [stream_mode] if isinstance(stream_mode, str) else list(stream_mode)
    query: dict[str, Any] = {"stream_mode": modes, "stream_modes": ",".join(modes) or None}
    return merge_params(query, params)
