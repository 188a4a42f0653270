"""``client.assistants``: the graphs a server serves, and their configured versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from lgsync.http import HttpClient
from lgsync.resources._shared import quote_path_param
from lgsync.schema import Json, QueryParamTypes
from lgsync.transport.base import Response

__all__ = ["AssistantsClient"]


class AssistantsClient:
    """Assistants: a graph plus its configuration.

    Example::

        agent = client.assistants.get("agent")
        print(agent["graph_id"])
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def get(
        self,
        assistant_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, Any]:
        """One assistant, by id (or by graph name for the server's default assistants)."""
        return self.http.get(  # type: ignore[no-any-return]
            f"/assistants/{quote_path_param(assistant_id)}", headers=headers, params=params
        )

    def search(
        self,
        *,
        metadata: Json = None,
        graph_id: str | None = None,
        name: str | None = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: Literal["asc", "desc"] | None = None,
        select: list[str] | None = None,
        response_format: Literal["array", "object"] = "array",
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> dict[str, Any] | list[dict[str, Any]]:
        """Assistants matching the filters; ``response_format="object"`` adds the ``next`` cursor."""
        if response_format not in ("array", "object"):
            raise ValueError("response_format must be 'array' or 'object'")
        payload: dict[str, Any] = {"limit": limit, "offset": offset}
        for key, value in (
            ("metadata", metadata),
            ("graph_id", graph_id),
            ("name", name),
            ("sort_by", sort_by),
            ("sort_order", sort_order),
            ("select", select),
        ):
            if value:
                payload[key] = value
        cursor: list[str | None] = [None]

        def capture(response: Response) -> None:
            cursor[0] = response.headers.get("x-pagination-next")

        found = self.http.post(
            "/assistants/search",
            json=payload,
            headers=headers,
            params=params,
            on_response=capture if response_format == "object" else None,
        )
        if response_format == "object":
            return {"assistants": found, "next": cursor[0]}
        return found  # type: ignore[no-any-return]
