"""``client.crons``: runs an assistant on a schedule, stateless or on one thread.

Each method builds a path, a payload and query parameters; ``HttpClient`` does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from lgsync._sentinel import NOT_PROVIDED
from lgsync.http import HttpClient
from lgsync.resources._shared import compact, non_empty, pick, quote_path_param, warn_checkpoint_during
from lgsync.schema import (
    All,
    Config,
    Context,
    Cron,
    CronSelectField,
    CronSortBy,
    Durability,
    Input,
    Json,
    OnCompletionBehavior,
    QueryParamTypes,
    Run,
    SortOrder,
    StreamMode,
)

__all__ = ["NOT_PROVIDED", "CronClient", "timezone_name"]

#: The body parameters of ``crons.create_for_thread`` (``crons.create`` adds
#: ``on_run_completed``) and of ``crons.update`` (which sends ``end_time`` apart).
_SCHEDULE_FIELDS = (
    "schedule",
    "input",
    "config",
    "metadata",
    "context",
    "assistant_id",
    "interrupt_before",
    "interrupt_after",
    "checkpoint_during",
    "webhook",
    "multitask_strategy",
    "end_time",
    "enabled",
    "timezone",
    "stream_mode",
    "stream_subgraphs",
    "stream_resumable",
    "durability",
)
_UPDATE_FIELDS = (
    "schedule",
    "input",
    "metadata",
    "config",
    "context",
    "webhook",
    "interrupt_before",
    "interrupt_after",
    "on_run_completed",
    "enabled",
    "timezone",
    "stream_mode",
    "stream_subgraphs",
    "stream_resumable",
    "durability",
)


def timezone_name(timezone: str | tzinfo | None) -> str | None:
    """The IANA name (or fixed-offset name) the server expects for a schedule's timezone.

    A ``zoneinfo.ZoneInfo`` gives its key; another ``tzinfo`` its
    ``tzname(None)`` (``datetime.timezone.utc`` gives ``"UTC"``).

    Example::

        >>> from zoneinfo import ZoneInfo
        >>> timezone_name(ZoneInfo("Europe/Paris")), timezone_name("UTC")
        ('Europe/Paris', 'UTC')
    """
    if timezone is None or isinstance(timezone, str):
        return timezone
    if isinstance(timezone, tzinfo):
        key = getattr(timezone, "key", None)
        if isinstance(key, str):
            return key
        name = timezone.tzname(None)
        if name is not None:
            return name
        raise ValueError(
            f"Cannot tell the name of the timezone {timezone!r}; "
            "pass a zoneinfo.ZoneInfo or a name such as 'America/New_York'"
        )
    raise TypeError(f"timezone must be a str, a datetime.tzinfo or None, not {type(timezone).__name__}")


def _schedule_payload(arguments: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The body of a cron call, from its arguments (``locals()``): ``None`` left out, times as the server reads them.

    ``end_time`` goes as ISO 8601 and ``timezone`` by name.

    Example::

        >>> from datetime import timezone
        >>> _schedule_payload({"schedule": "0 9 * * *", "timezone": timezone.utc, "input": None},
        ...                   ("schedule", "timezone", "input"))
        {'schedule': '0 9 * * *', 'timezone': 'UTC'}
    """
    payload = pick(arguments, fields)
    if "timezone" in payload:
        payload["timezone"] = timezone_name(payload["timezone"])
    end_time = payload.pop("end_time", None)
    if end_time:
        payload["end_time"] = end_time.isoformat()
    return payload


class CronClient:
    """Cron jobs that create runs on a schedule.

    Example::

        cron = client.crons.create("agent", schedule="0 9 * * 1-5", input={"topic": "mondays"},
                                   timezone="Europe/Paris")
        for cron in client.crons.search(assistant_id="agent"):
            print(cron["schedule"], cron["next_run_date"])
    """

    def __init__(self, http_client: HttpClient) -> None:
        self.http = http_client

    def create_for_thread(
        self,
        thread_id: str,
        assistant_id: str,
        *,
        schedule: str,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | list[str] | None = None,
        interrupt_after: All | list[str] | None = None,
        webhook: str | None = None,
        multitask_strategy: str | None = None,
        end_time: datetime | None = None,
        enabled: bool | None = None,
        timezone: str | tzinfo | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Run:
        """Schedule runs of ``assistant_id`` on one thread (``schedule`` is a cron expression).

        ``timezone`` is a name or a ``tzinfo``; ``end_time`` stops the
        schedule. ``checkpoint_during`` is deprecated (use ``durability``).

        Example::

            client.crons.create_for_thread(thread_id, "agent", schedule="*/30 * * * *",
                                           input={"topic": "news"})
        """
        warn_checkpoint_during(checkpoint_during)
        payload = _schedule_payload(locals(), _SCHEDULE_FIELDS)
        return self.http.post(  # type: ignore[no-any-return]
            f"/threads/{quote_path_param(thread_id)}/runs/crons", json=payload, headers=headers, params=params
        )

    def create(
        self,
        assistant_id: str,
        *,
        schedule: str,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        checkpoint_during: bool | None = None,
        interrupt_before: All | list[str] | None = None,
        interrupt_after: All | list[str] | None = None,
        webhook: str | None = None,
        on_run_completed: OnCompletionBehavior | None = None,
        multitask_strategy: str | None = None,
        end_time: datetime | None = None,
        enabled: bool | None = None,
        timezone: str | tzinfo | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Run:
        """Schedule stateless runs of ``assistant_id``, each on a new thread.

        ``on_run_completed`` says whether those threads are deleted
        (``"delete"``, the server's default) or kept.

        Example::

            from zoneinfo import ZoneInfo

            cron = client.crons.create("agent", schedule="0 9 * * *", input={"topic": "coffee"},
                                       timezone=ZoneInfo("Europe/Paris"), on_run_completed="keep")
        """
        warn_checkpoint_during(checkpoint_during)
        payload = _schedule_payload(locals(), (*_SCHEDULE_FIELDS, "on_run_completed"))
        return self.http.post("/runs/crons", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def delete(
        self,
        cron_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete a cron job.

        Example::

            client.crons.delete(cron["cron_id"])
        """
        self.http.delete(f"/runs/crons/{quote_path_param(cron_id)}", headers=headers, params=params)

    def update(
        self,
        cron_id: str,
        *,
        schedule: str | None = None,
        end_time: datetime | None = NOT_PROVIDED,
        input: Input | None = None,
        metadata: Mapping[str, Any] | None = None,
        config: Config | None = None,
        context: Context | None = None,
        webhook: str | None = None,
        interrupt_before: All | list[str] | None = None,
        interrupt_after: All | list[str] | None = None,
        on_run_completed: OnCompletionBehavior | None = None,
        enabled: bool | None = None,
        timezone: str | tzinfo | None = None,
        stream_mode: StreamMode | Sequence[StreamMode] | None = None,
        stream_subgraphs: bool | None = None,
        stream_resumable: bool | None = None,
        durability: Durability | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> Cron:
        """Change a cron job; fields left at ``None`` stay as they are.

        ``end_time=None`` (given explicitly) removes the end time; leaving
        ``end_time`` out keeps it.

        Example::

            client.crons.update(cron_id, schedule="0 10 * * *", enabled=False, end_time=None)
        """
        payload = _schedule_payload(locals(), _UPDATE_FIELDS)
        # An explicit None must reach the server as null, so it is added after the None-less payload.
        if end_time is not NOT_PROVIDED:
            payload["end_time"] = end_time.isoformat() if end_time is not None else None
        return self.http.patch(  # type: ignore[no-any-return]
            f"/runs/crons/{quote_path_param(cron_id)}", json=payload, headers=headers, params=params
        )

    def search(
        self,
        *,
        assistant_id: str | None = None,
        thread_id: str | None = None,
        enabled: bool | None = None,
        metadata: Json = None,
        limit: int = 10,
        offset: int = 0,
        sort_by: CronSortBy | None = None,
        sort_order: SortOrder | None = None,
        select: list[CronSelectField] | None = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> list[Cron]:
        """Cron jobs matching the filters.

        Example::

            for cron in client.crons.search(assistant_id="agent", enabled=True):
                print(cron["cron_id"], cron["schedule"])
        """
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

    def count(
        self,
        *,
        assistant_id: str | None = None,
        thread_id: str | None = None,
        metadata: Json = None,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> int:
        """How many cron jobs match the filters.

        Example::

            client.crons.count(assistant_id="agent")
        """
        payload = non_empty(assistant_id=assistant_id, thread_id=thread_id, metadata=metadata)
        return self.http.post("/runs/crons/count", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]
