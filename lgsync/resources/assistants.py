"""``client.assistants``: the graphs a server serves, and their configured versions.

This module mirrors ``langgraph_sdk``'s sync ``AssistantsClient`` method by
method: the signatures (names, order, defaults, overloads) and the docstrings
are kept in step with the SDK's (``tests/unit/test_parity.py`` holds them to
it), and that is why it is long. Each method builds a path, a payload and
query parameters; ``HttpClient`` does the rest.
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
        """One assistant: by id, or by graph name for the server's default assistant of that graph.

        Args:
            assistant_id: The assistant's id, or a graph name.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The assistant: `assistant_id`, `graph_id`, `name`, `config`, `context`, `metadata`, `version`.

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            print(client.assistants.get("agent")["graph_id"])
            ```
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
        """The assistant's graph, its nodes and edges, for drawing it.

        Args:
            assistant_id: The assistant's id, or a graph name.
            xray: Draw subgraphs too (`True`, or how many levels deep).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `{"nodes": [...], "edges": [...]}`.

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            nodes = client.assistants.get_graph("agent")["nodes"]
            ```
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

        Args:
            assistant_id: The assistant's id, or a graph name.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `graph_id`, `input_schema`, `output_schema`, `state_schema`, `config_schema`, `context_schema`.

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            print(client.assistants.get_schemas("agent")["input_schema"])
            ```
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
        """The schemas of the assistant's subgraphs, by namespace.

        Args:
            assistant_id: The assistant's id, or a graph name.
            namespace: Only the subgraph of this namespace.
            recurse: Also the subgraphs of subgraphs.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `{namespace: schemas}`.

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            print(list(client.assistants.get_subgraphs("subgraphs", recurse=True)))
            ```
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
        """Create an assistant: the graph `graph_id` with a configuration of its own.

        Args:
            graph_id: The graph, as named in the server's `langgraph.json`.
            config: The `RunnableConfig` its runs get (`{"configurable": {...}}`).
            context: The static runtime context its runs get (LangGraph 0.6 and later).
            metadata: Stored on the assistant, for searches.
            assistant_id: Its id (a UUID) instead of one the server picks.
            if_exists: When `assistant_id` is taken: `"raise"` (`ConflictError`) or
                `"do_nothing"` (return the existing one).
            name: A name for people.
            description: A description for people.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The assistant, `version` 1.

        Raises:
            lgsync.errors.ConflictError: `assistant_id` is taken and `if_exists` is not `"do_nothing"`.

        Example:
            ```python
            assistant = client.assistants.create("agent", config={"configurable": {"style": "dry"}}, name="dry jokes")
            client.runs.wait(None, assistant["assistant_id"], input={"topic": "ice cream"})
            ```
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
        """Change an assistant: this saves a new version and makes it the latest.

        Args:
            assistant_id: The assistant.
            graph_id: Another graph for it.
            config: A new config (sent whenever not `None`; `{}` clears it).
            context: A new context (likewise).
            metadata: Metadata to merge into its own.
            name: A new name.
            description: A new description.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The assistant, with its new `version`.

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            updated = client.assistants.update(assistant_id, metadata={"team": "ops"})
            ```
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
        """Delete an assistant.

        Args:
            assistant_id: The assistant.
            delete_threads: Also delete the threads it ran on.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `None`.

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            client.assistants.delete(assistant_id)
            ```
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
        """Assistants that match the filters.

        Args:
            metadata: Match these metadata keys and values.
            graph_id: Only assistants of this graph.
            name: Only assistants of this name.
            limit: At most this many.
            offset: Skip this many (for paging).
            sort_by: The field to sort on.
            sort_order: `"asc"` or `"desc"`.
            select: Only these fields of each assistant.
            response_format: `"array"` (a list, as in the SDK) or `"object"`:
                `{"assistants": [...], "next": cursor}`, the cursor (from the
                `X-Pagination-Next` header) being the offset of the next page, or
                `None` on the last page.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            A list of assistants, or with `response_format="object"` a page.

        Example:
            ```python
            page = client.assistants.search(graph_id="agent", limit=5, response_format="object")
            while page["next"] is not None:
                page = client.assistants.search(graph_id="agent", limit=5, offset=int(page["next"]), response_format="object")
            ```
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

        Args:
            metadata: Match these metadata keys and values.
            graph_id: Only assistants of this graph.
            name: Only assistants of this name.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The number of assistants.

        Example:
            ```python
            print(client.assistants.count(graph_id="agent"))
            ```
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

        Args:
            assistant_id: The assistant.
            metadata: Only versions whose metadata match.
            limit: At most this many.
            offset: Skip this many (for paging).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The versions (`version`, `config`, `context`, `metadata`, `created_at`).

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            print([v["version"] for v in client.assistants.get_versions(assistant_id)])
            ```
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
        """Make a saved `version` the one new runs use.

        Args:
            assistant_id: The assistant.
            version: The version number.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The assistant at that version.

        Raises:
            lgsync.errors.NotFoundError: No such assistant or version.

        Example:
            ```python
            client.assistants.set_latest(assistant_id, 1)
            ```
        """
        return self.http.post(  # type: ignore[no-any-return]
            self._path(assistant_id, "latest"), json={"version": version}, headers=headers, params=params
        )
