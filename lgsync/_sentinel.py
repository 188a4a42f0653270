"""``NOT_PROVIDED``: the default that tells an argument left out from an explicit ``None``.

One object for the whole package, as in ``langgraph_sdk``: ``get_sync_client(api_key=...)``
and ``crons.update(end_time=...)`` both use it.
"""

from __future__ import annotations

from typing import cast

__all__ = ["NOT_PROVIDED"]

#: Typed as ``None`` so that signatures read ``x: str | None = NOT_PROVIDED``.
NOT_PROVIDED = cast(None, object())
