"""The body of a cron call: its fields, ``end_time`` as ISO 8601 and ``timezone`` by name.

``crons.create_for_thread``, ``crons.create`` and ``crons.update`` pass their
``locals()``; nothing else in ``crons.py`` builds a body field by field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo
from typing import Any

from lgsync._sentinel import NOT_PROVIDED
from lgsync.resources._shared import pick

__all__ = ["SCHEDULE_FIELDS", "UPDATE_FIELDS", "schedule_payload", "timezone_name", "update_payload"]

#: What each scheduled run is made with, at the end of both bodies below.
_RUN_OPTIONS = ("enabled", "timezone", "stream_mode", "stream_subgraphs", "stream_resumable", "durability")
#: The body parameters of ``crons.create_for_thread`` (``crons.create`` adds
#: ``on_run_completed``) and of ``crons.update`` (which sends ``end_time`` apart).
SCHEDULE_FIELDS = (
    "schedule", "input", "config", "metadata", "context", "assistant_id", "interrupt_before", "interrupt_after",
    "checkpoint_during", "webhook", "multitask_strategy", "end_time", *_RUN_OPTIONS,
)  # fmt: skip
UPDATE_FIELDS = (
    "schedule", "input", "metadata", "config", "context", "webhook", "interrupt_before", "interrupt_after",
    "on_run_completed", *_RUN_OPTIONS,
)  # fmt: skip


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


def schedule_payload(arguments: Mapping[str, Any], fields: Sequence[str]) -> dict[str, Any]:
    """The body of a cron call, from its arguments (``locals()``): ``None`` left out, times as the server reads them.

    ``end_time`` goes as ISO 8601 and ``timezone`` by name.

    Example::

        >>> from datetime import timezone
        >>> schedule_payload({"schedule": "0 9 * * *", "timezone": timezone.utc, "input": None},
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


def update_payload(arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The body of ``crons.update``: what was given, and ``end_time`` even as ``None``.

    An ``end_time=None`` given explicitly must reach the server as ``null``
    (it removes the end); ``end_time`` left out (``NOT_PROVIDED``) keeps it.

    Example::

        >>> update_payload({**dict.fromkeys(UPDATE_FIELDS), "schedule": "0 10 * * *", "end_time": None})
        {'schedule': '0 10 * * *', 'end_time': None}
    """
    payload = schedule_payload(arguments, UPDATE_FIELDS)
    end_time = arguments["end_time"]
    if end_time is not NOT_PROVIDED:
        payload["end_time"] = end_time.isoformat() if end_time is not None else None
    return payload
