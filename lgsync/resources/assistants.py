"""``client.assistants``: the graphs a server serves, and their configured versions.

Each method builds a path, a payload and query parameters; ``HttpClient`` does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

from lgsync.http import HttpClient
from lgsync.resources._shared import merge_params, non_empty, quote_path_param
from lgsync.schema import (
    Assistant,
    AssistantSelectField,
    AssistantSortBy,
    AssistantsSearchResponse,
    AssistantVersion,
    Config,
    Context,
    GraphSchema,
    Json,
    OnConflictBehavior,
    QueryParamTypes,
    SortOrder,
    Subgraphs,
)
from lgsync.transport.base import Response

__all__ = ["AssistantsClient"]


class AssistantsClient:
    """Assistants: a graph plus its configuration, versioned.

    Example::

        agent = client.assistants.get("agent")
        print(agent["graph_id"])
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def _path(self, assistant_id: str, *rest: str) -> str:
        return "/".join(["/assistants", quote_path_param(assistant_id), *rest])

    def get(
        self,
        assistant_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Assistant:
        """One assistant, by id (or by graph name for the server's default assistants).

        Example::

            client.assistants.get("agent")["assistant_id"]
        """
        return self.http.get(self._path(assistant_id), headers=headers, params=params)  # type: ignore[no-any-return]

    def get_graph(
        self,
        assistant_id: str,
        *,
        xray: int | bool = False,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, list[dict[str, Any]]]:
        """The assistant's graph as ``{"nodes": [...], "edges": [...]}``.

        ``xray`` draws subgraphs too (``True``, or how many levels deep).

        Example::

            nodes = client.assistants.get_graph("agent")["nodes"]
        """
        query = merge_params({"xray": xray}, params)
        return self.http.get(self._path(assistant_id, "graph"), params=query, headers=headers)  # type: ignore[no-any-return]

    def get_schemas(
        self,
        assistant_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> GraphSchema:
        """The JSON schemas of the assistant's input, output, state, config and context.

        Example::

            client.assistants.get_schemas("agent")["input_schema"]
        """
        return self.http.get(  # type: ignore[no-any-return]
            self._path(assistant_id, "schemas"), headers=headers, params=params
        )

    def get_subgraphs(
        self,
        assistant_id: str,
        namespace: str | None = None,
        recurse: bool = False,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Subgraphs:
        """The schemas of the assistant's subgraphs, by namespace (one, with ``namespace``).

        Example::

            client.assistants.get_subgraphs("subgraphs", recurse=True)
        """
        query = merge_params({"recurse": recurse}, params)
        path = (
            self._path(assistant_id, "subgraphs", quote_path_param(namespace))
            if namespace is not None
            else self._path(assistant_id, "subgraphs")
        )
        return self.http.get(path, params=query, headers=headers)  # type: ignore[no-any-return]

    def create(
        self,
        graph_id: str | None,
        config: Config | None = None,
        *,
        context: Context | None = None,
        metadata: Json = None,
        assistant_id: str | None = None,
        if_exists: OnConflictBehavior | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        description: str | None = None,
        params: QueryParamTypes | None = None,
    ) -> Assistant:
        """Create an assistant of the graph ``graph_id``.

        ``if_exists="do_nothing"`` returns the existing assistant when
        ``assistant_id`` is taken, instead of a :class:`~lgsync.errors.ConflictError`.

        Example::

            assistant = client.assistants.create("agent", config={"configurable": {"style": "dry"}},
                                                 name="dry jokes", metadata={"team": "fun"})
        """
        payload: dict[str, Any] = {"graph_id": graph_id}
        payload.update(
            non_empty(
                config=config,
                context=context,
                metadata=metadata,
                assistant_id=assistant_id,
                if_exists=if_exists,
                name=name,
                description=description,
            )
        )
        return self.http.post("/assistants", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def update(
        self,
        assistant_id: str,
        *,
        graph_id: str | None = None,
        config: Config | None = None,
        context: Context | None = None,
        metadata: Json = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        description: str | None = None,
        params: QueryParamTypes | None = None,
    ) -> Assistant:
        """Change an assistant; this saves a new version and makes it the latest.

        ``config`` and ``context`` are sent whenever they are not ``None``
        (an empty dict clears them); the other fields only when non-empty.

        Example::

            updated = client.assistants.update(assistant_id, metadata={"team": "ops"})
            assert updated["version"] == 2
        """
        payload: dict[str, Any] = {}
        if config is not None:
            payload["config"] = config
        if context is not None:
            payload["context"] = context
        payload.update(non_empty(graph_id=graph_id, metadata=metadata, name=name, description=description))
        return self.http.patch(  # type: ignore[no-any-return]
            self._path(assistant_id), json=payload, headers=headers, params=params
        )

    def delete(
        self,
        assistant_id: str,
        *,
        delete_threads: bool = False,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete an assistant (with ``delete_threads=True``, its threads too).

        Example::

            client.assistants.delete(assistant_id)
        """
        query = merge_params({"delete_threads": True} if delete_threads else {}, params)
        self.http.delete(self._path(assistant_id), headers=headers, params=query or None)

    @overload
    def search(
        self,
        *,
        metadata: Json = None,
        graph_id: str | None = None,
        name: str | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: AssistantSortBy | None = None,
        sort_order: SortOrder | None = None,
        select: list[AssistantSelectField] | None = None,
        response_format: Literal["object"],
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> AssistantsSearchResponse: ...

    @overload
    def search(
        self,
        *,
        metadata: Json = None,
        graph_id: str | None = None,
        name: str | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: AssistantSortBy | None = None,
        sort_order: SortOrder | None = None,
        select: list[AssistantSelectField] | None = None,
        response_format: Literal["array"] = "array",
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> list[Assistant]: ...

    def search(
        self,
        *,
        metadata: Json = None,
        graph_id: str | None = None,
        name: str | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: AssistantSortBy | None = None,
        sort_order: SortOrder | None = None,
        select: list[AssistantSelectField] | None = None,
        response_format: Literal["array", "object"] = "array",
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> AssistantsSearchResponse | list[Assistant]:
        """Assistants matching the filters.

        ``response_format="object"`` returns ``{"assistants": [...], "next": cursor}``,
        the cursor (from the ``X-Pagination-Next`` header) being the offset
        of the next page, or ``None`` on the last page.

        Example::

            page = client.assistants.search(graph_id="agent", limit=5, response_format="object")
            while page["next"] is not None:
                page = client.assistants.search(graph_id="agent", limit=5, offset=int(page["next"]),
                                                response_format="object")
        """
        if response_format not in ("array", "object"):
            raise ValueError("response_format must be 'array' or 'object'")
        payload: dict[str, Any] = {"limit": limit, "offset": offset}
        payload.update(
            non_empty(
                metadata=metadata, graph_id=graph_id, name=name, sort_by=sort_by, sort_order=sort_order, select=select
            )
        )
        next_cursor: list[str | None] = [None]

        def capture_next_cursor(response: Response) -> None:
            next_cursor[0] = response.headers.get("x-pagination-next")

        found = self.http.post(
            "/assistants/search",
            json=payload,
            headers=headers,
            params=params,
            on_response=capture_next_cursor if response_format == "object" else None,
        )
        if response_format == "object":
            return {"assistants": found, "next": next_cursor[0]}
        return found  # type: ignore[no-any-return]

    def count(
        self,
        *,
        metadata: Json = None,
        graph_id: str | None = None,
        name: str | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> int:
        """How many assistants match the filters.

        Example::

            client.assistants.count(graph_id="agent")
        """
        payload = non_empty(metadata=metadata, graph_id=graph_id, name=name)
        return self.http.post("/assistants/count", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def get_versions(
        self,
        assistant_id: str,
        metadata: Json = None,
        limit: int = 10,
        offset: int = 0,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> list[AssistantVersion]:
        """The saved versions of an assistant, newest first.

        Example::

            versions = client.assistants.get_versions(assistant_id)
            print([v["version"] for v in versions])
        """
        payload: dict[str, Any] = {"limit": limit, "offset": offset}
        if metadata:
            payload["metadata"] = metadata
        return self.http.post(  # type: ignore[no-any-return]
            self._path(assistant_id, "versions"), json=payload, headers=headers, params=params
        )

    def set_latest(
        self,
        assistant_id: str,
        version: int,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Assistant:
        """Make an earlier (or later) saved ``version`` the one runs use.

        Example::

            client.assistants.set_latest(assistant_id, 1)["version"]  # 1
        """
        return self.http.post(  # type: ignore[no-any-return]
            self._path(assistant_id, "latest"), json={"version": version}, headers=headers, params=params
        )
