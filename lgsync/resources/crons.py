"""``client.crons``: runs on a schedule."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from lgsync.http import HttpClient
from lgsync.resources._shared import compact
from lgsync.schema import Json, QueryParamTypes

__all__ = ["CronClient"]


class CronClient:
    """Cron jobs that create runs on a schedule.

    Example::

        for cron in client.crons.search(assistant_id="agent"):
            print(cron["schedule"])
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http

    def search(
        self,
        *,
        assistant_id: str | None = None,
        thread_id: str | None = None,
        enabled: bool | None = None,
        metadata: Json = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: str | None = None,
        sort_order: Literal["asc", "desc"] | None = None,
        select: list[str] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> list[dict[str, Any]]:
        """Cron jobs matching the filters."""
        payload = compact(
            {
                "assistant_id": assistant_id,
                "thread_id": thread_id,
                "enabled": enabled,
                "limit": limit,
                "offset": offset,
                "metadata": metadata or None,
                "sort_by": sort_by or None,
                "sort_order": sort_order or None,
                "select": select or None,
            }
        )
        return self.http.post("/runs/crons/search", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]
