"""``client.crons``: runs an assistant on a schedule, stateless or on one thread.

This module mirrors ``langgraph_sdk``'s sync ``CronClient`` method by method:
the signatures and docstrings are kept in step with the SDK's
(``tests/unit/test_parity.py`` holds them to it), and that is why it is long.
Bodies come from ``_cron_payload``; ``HttpClient`` does the rest.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from lgsync._sentinel import NOT_PROVIDED
from lgsync.http import HttpClient
from lgsync.resources._cron_payload import (
    SCHEDULE_FIELDS,
    schedule_payload,
    timezone_name,
    update_payload,
)
from lgsync.resources._shared import compact, non_empty, quote_path_param, warn_checkpoint_during
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
        """Schedule runs of an assistant on one thread.

        Args:
            thread_id: The thread every run uses (its state carries over).
            assistant_id: The assistant, or a graph name.
            schedule: A cron expression (`"*/30 * * * *"`: every 30 minutes).
            input: The input of each run.
            metadata: Stored on the cron job.
            config: The `RunnableConfig` of each run.
            context: The static runtime context of each run.
            checkpoint_during: Deprecated (a `DeprecationWarning`): use `durability`.
            interrupt_before: Node names (or `"*"`) each run stops before.
            interrupt_after: Node names (or `"*"`) each run stops after.
            webhook: A URL the server POSTs each run to when it ends.
            multitask_strategy: What happens when a run is due while the previous one still runs.
            end_time: Stop scheduling after this moment.
            enabled: `False` creates the job paused.
            timezone: The schedule's time zone: a name (`"Europe/Paris"`) or a
                `tzinfo` (a `ZoneInfo` gives its key).
            stream_mode: The modes each run records (for joining it).
            stream_subgraphs: Record subgraph output too.
            stream_resumable: Keep each run's events, so that it can be joined with `last_event_id`.
            durability: When each run writes checkpoints (`"sync"`, `"async"`, `"exit"`).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The cron job (`cron_id`, `schedule`, `next_run_date`, ...), annotated `Run` as in the SDK.

        Raises:
            lgsync.errors.NotFoundError: No such thread or assistant.

        Example:
            ```python
            client.crons.create_for_thread(thread_id, "agent", schedule="*/30 * * * *", input={"topic": "news"})
            ```
        """
        warn_checkpoint_during(checkpoint_during)
        payload = schedule_payload(locals(), SCHEDULE_FIELDS)
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
        """Schedule stateless runs of an assistant, each on a new thread.

        Args:
            assistant_id: The assistant, or a graph name.
            schedule: A cron expression (`"0 9 * * *"`: every day at 9:00).
            input: The input of each run.
            metadata: Stored on the cron job.
            config: The `RunnableConfig` of each run.
            context: The static runtime context of each run.
            checkpoint_during: Deprecated (a `DeprecationWarning`): use `durability`.
            interrupt_before: Node names (or `"*"`) each run stops before.
            interrupt_after: Node names (or `"*"`) each run stops after.
            webhook: A URL the server POSTs each run to when it ends.
            on_run_completed: `"delete"` (the server's default) deletes each run's thread when it ends; `"keep"` keeps it.
            multitask_strategy: What happens when a run is due while the previous one still runs.
            end_time: Stop scheduling after this moment.
            enabled: `False` creates the job paused.
            timezone: The schedule's time zone: a name (`"Europe/Paris"`) or a
                `tzinfo` (a `ZoneInfo` gives its key).
            stream_mode: The modes each run records (for joining it).
            stream_subgraphs: Record subgraph output too.
            stream_resumable: Keep each run's events, so that it can be joined with `last_event_id`.
            durability: When each run writes checkpoints (`"sync"`, `"async"`, `"exit"`).
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The cron job, annotated `Run` as in the SDK.

        Raises:
            lgsync.errors.NotFoundError: No such assistant.

        Example:
            ```python
            from zoneinfo import ZoneInfo

            cron = client.crons.create("agent", schedule="0 9 * * *", input={"topic": "coffee"}, timezone=ZoneInfo("Europe/Paris"))
            ```
        """
        warn_checkpoint_during(checkpoint_during)
        payload = schedule_payload(locals(), (*SCHEDULE_FIELDS, "on_run_completed"))
        return self.http.post("/runs/crons", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]

    def delete(
        self,
        cron_id: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: QueryParamTypes | None = None,
    ) -> None:
        """Delete a cron job.

        Args:
            cron_id: The cron job.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            `None`.

        Raises:
            lgsync.errors.NotFoundError: No such cron job.

        Example:
            ```python
            client.crons.delete(cron["cron_id"])
            ```
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
        """Change a cron job; what is left at `None` stays as it is.

        Args:
            cron_id: The cron job.
            schedule: A new cron expression.
            end_time: A new end; `end_time=None` given explicitly removes the end
                time, while leaving `end_time` out keeps it.
            input: The input of each run.
            metadata: New metadata.
            config: The `RunnableConfig` of each run.
            context: The static runtime context of each run.
            interrupt_before: Node names (or `"*"`) each run stops before.
            interrupt_after: Node names (or `"*"`) each run stops after.
            webhook: A URL the server POSTs each run to when it ends.
            on_run_completed: `"delete"` or `"keep"` each run's thread.
            enabled: Pause (`False`) or resume (`True`) the schedule.
            timezone: The schedule's time zone, a name or a `tzinfo`.
            stream_mode: The modes each run records.
            stream_subgraphs: Record subgraph output too.
            stream_resumable: Keep each run's events.
            durability: When each run writes checkpoints.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The cron job.

        Raises:
            lgsync.errors.NotFoundError: No such cron job.

        Example:
            ```python
            client.crons.update(cron_id, schedule="0 10 * * *", enabled=False, end_time=None)
            ```
        """
        payload = update_payload(locals())
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
        """Cron jobs that match the filters.

        Args:
            assistant_id: Only jobs of this assistant.
            thread_id: Only jobs on this thread.
            enabled: Only enabled (`True`) or paused (`False`) jobs.
            metadata: Match these metadata keys and values.
            limit: At most this many.
            offset: Skip this many (for paging).
            sort_by: The field to sort on.
            sort_order: `"asc"` or `"desc"`.
            select: Only these fields of each job.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The cron jobs.

        Example:
            ```python
            for cron in client.crons.search(assistant_id="agent", enabled=True):
                print(cron["cron_id"], cron["schedule"])
            ```
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

        Args:
            assistant_id: Only jobs of this assistant.
            thread_id: Only jobs on this thread.
            metadata: Match these metadata keys and values.
            headers: Headers for this request only, over the client's.
            params: Extra query parameters for this request.

        Returns:
            The number of cron jobs.

        Example:
            ```python
            print(client.crons.count(assistant_id="agent"))
            ```
        """
        payload = non_empty(assistant_id=assistant_id, thread_id=thread_id, metadata=metadata)
        return self.http.post("/runs/crons/count", json=payload, headers=headers, params=params)  # type: ignore[no-any-return]
