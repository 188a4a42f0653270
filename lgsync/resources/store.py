"""``client.store``: the server's key-value store, by namespace."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

from lgsync.http import HttpClient
from lgsync.resources._shared import compact
from lgsync.schema import QueryParamTypes

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
        """Store ``value`` under ``namespace`` and ``key`` (replacing what was there)."""
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
    ) -> dict[str, Any]:
        """The item under ``namespace`` and ``key``."""
        _check_namespace(namespace)
        query: dict[str, Any] = {"key": key, "namespace": ".".join(namespace)}
        if refresh_ttl is not None:
            query["refresh_ttl"] = refresh_ttl
        if params:
            query.update(params)  # type: ignore[arg-type]
        return self.http.get("/store/items", params=query, headers=headers)  # type: ignore[no-any-return]
