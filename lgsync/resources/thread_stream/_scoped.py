"""Subgraphs and subagents: a scoped handle per child graph a run starts, with its own projections.

`SubgraphDiscovery` watches `lifecycle` and `tasks` events for direct
children of a namespace; each child becomes a `ScopedStreamHandle` whose
`messages`, `tool_calls`, `subgraphs` and `extensions` read only that
child's namespace.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from lgsync.resources.thread_stream._projections import ExtensionsProjection, MessagesProjection, ToolCallsProjection
from lgsync.resources.thread_stream._protocol import event_data, event_namespace

if TYPE_CHECKING:
    from lgsync.resources.thread_stream._session import ThreadStream

__all__ = ["ScopedStreamHandle", "SubgraphDiscovery", "SubgraphStatus", "SubgraphsProjection"]

SubgraphStatus = Literal["started", "completed", "failed", "interrupted"]
"""Where a subgraph is: `"started"`, then `"completed"`, `"failed"` or `"interrupted"` (`ScopedStreamHandle.status`)."""

_ENDS: dict[str, SubgraphStatus] = {"completed": "completed", "failed": "failed", "interrupted": "interrupted"}


class ScopedStreamHandle:
    """One subgraph (or subagent) of a run, with projections of its own namespace (the SDK's `SyncScopedStreamHandle`).

    `thread.subgraphs` yields one per direct child graph as it starts; not
    built directly. Its projections read only the child's namespace, each on its
    own connection, and end when the child ends.

    Attributes:
        path: Where it runs, as a tuple: `("researcher:<task id>",)`; one more
            segment per level of nesting.
        namespace: The same, as a list (the protocol's spelling).
        graph_name: The child's name, from its namespace segment (the part before
            `:`), as the SDK names it.
        trigger_call_id: The task or tool call that started it.
        status: A `SubgraphStatus`; it moves on only while the projection that
            yielded the handle is read.
        error: The child's error message when it failed, else `None`.
        messages: `MessagesProjection` of the child's own messages.
        tool_calls: `ToolCallsProjection` of the child's own tool calls.
        subgraphs: `SubgraphsProjection` of the child's own children.
        subagents: The same object as `subgraphs`.
        extensions: `ExtensionsProjection` of the child's namespace.

    Example:
        ```python
        for agent in thread.subagents:
            for message in agent.messages:
                print(agent.graph_name, str(message.text))
        ```
    """

    def __init__(
        self, owner: ThreadStream, *, path: tuple[str, ...], graph_name: str | None, trigger_call_id: str | None
    ) -> None:
        self.path = tuple(path)
        self.namespace = list(path)
        self.graph_name = graph_name
        self.trigger_call_id = trigger_call_id
        self.status: SubgraphStatus = "started"
        self.error: str | None = None
        self.messages = MessagesProjection(owner, namespace=self.namespace)
        self.tool_calls = ToolCallsProjection(owner, namespace=self.namespace)
        self.subgraphs = SubgraphsProjection(owner, scope=self.path)
        self.subagents = self.subgraphs
        self.extensions = ExtensionsProjection(owner, namespace=self.namespace)

    def __repr__(self) -> str:
        return f"<ScopedStreamHandle {self.graph_name!r} {list(self.path)!r} status={self.status!r}>"

    def _finish(self, status: SubgraphStatus, error: str | None = None) -> None:
        if self.status == "started":
            self.status, self.error = status, error


def _split_segment(segment: str) -> tuple[str, str | None]:
    name, colon, task_id = segment.partition(":")
    return name, task_id if colon else None


class SubgraphDiscovery:
    """Finds the direct children of ``scope`` in a run's events and follows their status."""

    def __init__(self, owner: ThreadStream, scope: tuple[str, ...]) -> None:
        self._owner = owner
        self.scope = tuple(scope)
        self.open: dict[tuple[str, ...], ScopedStreamHandle] = {}
        self._seen: set[tuple[str, ...]] = set()

    def feed(self, event: Mapping[str, Any]) -> list[ScopedStreamHandle]:
        """The children ``event`` reveals (each once), updating the status of those already found."""
        data = event_data(event)
        if not isinstance(data, dict):
            return []
        method = event.get("method")
        namespace = tuple(event_namespace(event))
        if method == "tasks" and "result" in data:
            self._task_result(namespace, data)
            return []
        if len(namespace) != len(self.scope) + 1 or namespace[: len(self.scope)] != self.scope:
            return []
        if method == "lifecycle":
            phase = data.get("event")
            if phase == "started":
                return self._discover(namespace, data)
            child = self.open.pop(namespace, None) if isinstance(phase, str) and phase in _ENDS else None
            if child is not None and isinstance(phase, str):
                error = data.get("error")
                child._finish(_ENDS[phase], str(error) if error else None)
            return []
        if method == "tasks":
            return self._discover(namespace, data)
        return []

    def _discover(self, path: tuple[str, ...], data: Mapping[str, Any]) -> list[ScopedStreamHandle]:
        if path in self._seen:
            return []
        self._seen.add(path)
        name, task_id = _split_segment(path[-1])
        graph_name = data.get("graph_name") if isinstance(data.get("graph_name"), str) else None
        trigger = data.get("trigger_call_id") if isinstance(data.get("trigger_call_id"), str) else None
        # Named after the namespace segment, as the SDK names it; the event's own graph_name is the fallback.
        handle = ScopedStreamHandle(
            self._owner, path=path, graph_name=name or graph_name or None, trigger_call_id=trigger or task_id
        )
        self.open[path] = handle
        return [handle]

    def _task_result(self, parent: tuple[str, ...], data: Mapping[str, Any]) -> None:
        task_id = data.get("id")
        if not task_id:
            return
        for path, child in list(self.open.items()):
            if path[:-1] == parent and child.trigger_call_id == task_id:
                if data.get("interrupts"):
                    child._finish("interrupted")
                elif data.get("error"):
                    child._finish("failed", str(data["error"]))
                else:
                    child._finish("completed")
                del self.open[path]

    def finish_open(self, status: SubgraphStatus) -> None:
        """End every child still running (the stream ended first) with ``status``."""
        for child in self.open.values():
            child._finish(status)
        self.open.clear()


class SubgraphsProjection:
    """`thread.subgraphs` (also `thread.subagents`): a `ScopedStreamHandle` per direct child graph.

    Handles are yielded as their child starts (found from the `tasks` and
    `lifecycle` channels); a grandchild is found through its parent's
    `handle.subgraphs`. `status` follows each child while the projection is
    read, and children still running when it ends take the run's outcome
    (`"failed"` if the run failed, else `"completed"`).

    Raises:
        RuntimeError: Iterated outside the session's `with` block.
        TimeoutError: `run.start` did not come within `run_start_timeout`.

    Example:
        ```python
        for sub in thread.subgraphs:
            print(sub.graph_name, sub.namespace)
        ```
    """

    def __init__(self, owner: ThreadStream, scope: tuple[str, ...] = ()) -> None:
        self._owner = owner
        self._scope = tuple(scope)

    def __iter__(self) -> Iterator[ScopedStreamHandle]:
        owner = self._owner
        owner._check_open()
        scope = list(self._scope)
        discovery = SubgraphDiscovery(owner, self._scope)
        events = owner._follow(["tasks", "lifecycle"], namespaces=[scope] if scope else None, scope=scope or None)
        try:
            for event in events:
                yield from discovery.feed(event)
        finally:
            events.close()
            discovery.finish_open("failed" if owner._followed.failure() is not None else "completed")
