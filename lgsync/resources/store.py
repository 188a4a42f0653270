"""``client.store``: the server's key-value store, by namespace.

This module mirrors ``langgraph_sdk``'s sync ``StoreClient`` method by method
(signatures and docstrings kept in step with the SDK's). Namespaces are
sequences of labels; a label may not contain a period.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from lgsync.http import HttpClient
from lgsync.resources._shared import compact, merge_params
from lgsync.schema import Item, ListNamespaceResponse, QueryParamTypes, SearchItemsResponse

__all__ = ["StoreClient"]


def _check_namespace(namespace: Sequence[str]) -> None:
    for label in namespace:
        if "." in label:
            raise ValueError(f"Invalid namespace label {label!r}: labels cannot contain periods ('.')")


class StoreClient:
    """Items stored under a namespace (a tuple of labels) and a key.

    Example::

        client.store.put_item(["users", "ada"], key="prefs", value={"theme": "dark"})
        client.store.get_item(["users", "ada"], key="prefs")["value"]
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def put_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        value: Mapping[str, Any],
        index: Literal[False] | list[str] | None = None,
        ttl: int | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Store `value` under `namespace` and `key`, replacing what was there.

        Args:
            namespace: The item's namespace, a path of labels (`["users", "ada"]`).
            key: The item's key within the namespace.
            value: A JSON object.
            index: The fields to embed for semantic search (`False`: none; `None`:
                the server's configured default).
            ttl: Delete the item this many minutes after its last use.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `None`.

        Raises:
            lgsync.errors.UnprocessableEntityError: A namespace or value the server refuses.

        Example:
            ```python
            client.store.put_item(["users", "ada"], key="prefs", value={"theme": "dark"}, ttl=60)
            ```
        """
        _check_namespace(namespace)
        payload = compact({"namespace": list(namespace), "key": key, "value": value, "index": index, "ttl": ttl})
        self.http.put("/store/items", json=payload, headers=headers, params=params)

    def get_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        *,
        refresh_ttl: bool | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Item:
        """The item under `namespace` and `key`.

        Args:
            namespace: The item's namespace.
            key: The item's key.
            refresh_ttl: Restart the item's time to live (default: the server's setting).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The item (`namespace`, `key`, `value`, `created_at`, `updated_at`), or `None` when there is none, as in the SDK.

        Example:
            ```python
            print(client.store.get_item(["users", "ada"], key="prefs")["value"])
            ```
        """
        _check_namespace(namespace)
        query: dict[str, Any] = {"key": key, "namespace": ".".join(namespace)}
        if refresh_ttl is not None:
            query["refresh_ttl"] = refresh_ttl
        query = merge_params(query, params)
        return self.http.get("/store/items", params=query, headers=headers)  # type: ignore[no-any-return]

    def delete_item(
        self,
        namespace: Sequence[str],
        /,
        key: str,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete the item under `namespace` and `key`.

        Args:
            namespace: The item's namespace.
            key: The item's key.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `None`.

        Example:
            ```python
            client.store.delete_item(["users", "ada"], key="prefs")
            ```
        """
        self.http.delete(
            "/store/items", json={"key": key, "namespace": list(namespace)}, headers=headers, params=params
        )

    def search_items(
        self,
        namespace_prefix: Sequence[str],
        /,
        filter: Mapping[str, Any] | None = None,
        limit: int = 10,
        offset: int = 0,
        query: str | None = None,
        refresh_ttl: bool | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> SearchItemsResponse:
        """Items under a namespace prefix, matching `filter` (exact values) or `query` (semantic search).

        Args:
            namespace_prefix: The namespace, or a prefix of it.
            filter: Match these value fields exactly.
            limit: At most this many items.
            offset: Skip this many (for paging).
            query: A text to search for by meaning (needs an index on the server).
            refresh_ttl: Restart the found items' time to live.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `{"items": [...]}`, each item with a `score` for a `query`.

        Example:
            ```python
            found = client.store.search_items(["users"], filter={"theme": "dark"}, limit=20)
            print([item["key"] for item in found["items"]])
            ```
        """
        payload = compact(
            {
                "namespace_prefix": list(namespace_prefix),
                "filter": filter,
                "limit": limit,
                "offset": offset,
                "query": query,
                "refresh_ttl": refresh_ttl,
            }
        )
        return self.http.post("/store/items/search", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def list_namespaces(
        self,
        prefix: list[str] | None = None,
        suffix: list[str] | None = None,
        max_depth: int | None = None,
        limit: int = 100,
        offset: int = 0,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> ListNamespaceResponse:
        """The namespaces in use.

        Args:
            prefix: Only namespaces starting with these labels.
            suffix: Only namespaces ending with these labels.
            max_depth: Cut namespaces after this many labels.
            limit: At most this many.
            offset: Skip this many (for paging).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `{"namespaces": [[label, ...], ...]}`.

        Example:
            ```python
            print(client.store.list_namespaces(prefix=["users"], max_depth=2)["namespaces"])
            ```
        """
        payload = compact(
            {"prefix": prefix, "suffix": suffix, "max_depth": max_depth, "limit": limit, "offset": offset}
        )
        return self.http.post("/store/namespaces", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]
