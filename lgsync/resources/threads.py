"""``client.threads``: conversations and their state."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from lgsync.http import HttpClient
from lgsync.resources._shared import quote_path_param
from lgsync.schema import Json, QueryParamTypes

__all__ = ["ThreadsClient"]


class ThreadsClient:
    """Threads hold a graph's state across runs.

    Example::

        thread = client.threads.create(metadata={"user": "ada"})
        state = client.threads.get_state(thread["thread_id"])
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def create(
        self,
        *,
        metadata: Json = None,
        thread_id: str | None = None,
        if_exists: Literal["raise", "do_nothing"] | None = None,
        supersteps: Sequence[Mapping[str, Sequence[Mapping[str, Any]]]] | None = None,
        graph_id: str | None = None,
        ttl: int | Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, Any]:
        """Create a thread (with ``thread_id``, ``if_exists`` says what happens if it exists)."""
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
                        {"values": u["values"], "command": u.get("command"), "as_node": u["as_node"]}
                        for u in step["updates"]
                    ]
                }
                for step in supersteps
            ]
        if ttl is not None:
            payload["ttl"] = {"ttl": ttl, "strategy": "delete"} if isinstance(ttl, (int, float)) else dict(ttl)
        return self.http.post("/threads", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def get(
        self,
        thread_id: str,
        *,
        include: Sequence[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, Any]:
        """One thread."""
        query: dict[str, Any] = {}
        if include:
            query["include"] = ",".join(include)
        if params:
            query.update(params)  # type: ignore[arg-type]
        return self.http.get(  # type: ignore[no-any-return]
            f"/threads/{quote_path_param(thread_id)}", headers=headers, params=query or None
        )

    def delete(
        self,
        thread_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete a thread and its runs."""
        self.http.delete(f"/threads/{quote_path_param(thread_id)}", headers=headers, params=params)

    def get_state(
        self,
        thread_id: str,
        checkpoint: Mapping[str, Any] | None = None,
        checkpoint_id: str | None = None,
        *,
        subgraphs: bool = False,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, Any]:
        """The thread's state now, or at ``checkpoint`` (``checkpoint_id`` is the older spelling)."""
        base = f"/threads/{quote_path_param(thread_id)}/state"
        if checkpoint:
            payload: dict[str, Any] = {"checkpoint": checkpoint, "subgraphs": subgraphs}
            if select:
                payload["select"] = select
            return self.http.post(  # type: ignore[no-any-return]
                base + "/checkpoint", json=payload, headers=headers, params=params
            )
        query: dict[str, Any] = {"subgraphs": subgraphs}
        if select:
            query["select"] = select
        if params:
            query.update(params)  # type: ignore[arg-type]
        path = f"{base}/{quote_path_param(checkpoint_id)}" if checkpoint_id else base
        return self.http.get(path, params=query, headers=headers)  # type: ignore[no-any-return]
