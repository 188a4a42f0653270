"""`thread.interleave_projections(...)`: several projections multiplexed over one connection.

The channel names are those of the projections (`tool_calls`, `subgraphs`,
an extension name); each maps to the protocol channels it is built from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from lgsync.errors import RunFailedError
from lgsync.resources.thread_stream._messages import MessageAssembler
from lgsync.resources.thread_stream._protocol import event_data, event_namespace
from lgsync.resources.thread_stream._scoped import SubgraphDiscovery
from lgsync.resources.thread_stream._tool_calls import STREAM_CLOSED, ToolCallAssembler

if TYPE_CHECKING:
    from lgsync.resources.thread_stream._session import ThreadStream

__all__ = ["interleave"]


def interleave(session: ThreadStream, channels: list[str]) -> Iterator[tuple[str, Any]]:
    """`(channel, item)` pairs of the projections named in ``channels``, read from one connection in the server's order.

    Messages, tool calls and subgraphs are yielded as they start; when reading ends, those still open are
    ended as the run did (failed, or for tool calls also failed when the stream closed first).
    """
    wire: list[str] = []
    extensions: list[str] = []
    for channel in channels:
        if channel == "tool_calls":
            wire.append("tools")
        elif channel == "subgraphs":
            wire += ["tasks", "lifecycle"]
        elif channel in ("values", "messages", "updates", "checkpoints", "tasks"):
            wire.append(channel)
        else:
            extensions.append(channel)
            wire.append(f"custom:{channel}")
    messages = MessageAssembler([]) if "messages" in channels else None
    tool_calls = ToolCallAssembler([]) if "tool_calls" in channels else None
    subgraphs = SubgraphDiscovery(session, ()) if "subgraphs" in channels else None
    plain = [name for name in ("updates", "checkpoints", "tasks") if name in channels]
    events = session._follow(list(dict.fromkeys(wire)))
    try:
        for event in events:
            method = event.get("method")
            data = event_data(event)
            if subgraphs is not None:
                for handle in subgraphs.feed(event):
                    yield ("subgraphs", handle)
            if method == "values" and "values" in channels and data is not None:
                yield ("values", data)
            elif method in plain and not event_namespace(event) and data is not None:
                yield (str(method), data)
            elif messages is not None and method == "messages":
                for message in messages.feed(event):
                    yield ("messages", message)
            elif tool_calls is not None and method == "tools":
                for call in tool_calls.feed(event):
                    yield ("tool_calls", call)
            elif method == "custom" and isinstance(data, dict) and data.get("name") in extensions:
                yield (str(data["name"]), data)
    finally:
        events.close()
        failure = session._followed.failure()
        if messages is not None and failure is not None:
            messages.fail_open(failure)
        if tool_calls is not None:
            tool_calls.fail_open(failure or RunFailedError(STREAM_CLOSED))
        if subgraphs is not None:
            subgraphs.finish_open("failed" if failure is not None else "completed")
