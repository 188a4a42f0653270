"""The typed projections of a thread stream: `values`, `messages`, `tool_calls`, `extensions[name]`.

Each projection reads its own connection to the thread's event stream,
filtered to what it shows, and ends with the run (or with its subgraph,
for a projection of a `ScopedStreamHandle`).
"""

from __future__ import annotations

from collections.abc import Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from lgsync.errors import RunFailedError
from lgsync.resources.thread_stream._messages import MessageAssembler, MessageStream
from lgsync.resources.thread_stream._protocol import event_data
from lgsync.resources.thread_stream._tool_calls import STREAM_CLOSED, ToolCallAssembler, ToolCallHandle

if TYPE_CHECKING:
    from lgsync.resources.thread_stream._session import ThreadStream

__all__ = [
    "ExtensionProjection",
    "ExtensionsProjection",
    "MessagesProjection",
    "ToolCallsProjection",
    "ValuesProjection",
]


class _Assembled(Protocol):
    @property
    def done(self) -> bool: ...


_Item = TypeVar("_Item", bound=_Assembled)


class _Assembler(Protocol[_Item]):
    def feed(self, event: Mapping[str, Any]) -> list[_Item]: ...


def _own_events(owner: ThreadStream, channel: str, namespace: list[str]) -> Generator[dict[str, Any], None, None]:
    """The events of ``channel`` of exactly ``namespace``, until the run (or that subgraph) ends."""
    owner._check_open()
    return owner._follow([channel], namespaces=[namespace], depth=0, scope=namespace or None)


def _each_once_done(
    events: Iterator[dict[str, Any]], assembler: _Assembler[_Item]
) -> Generator[_Item, None, list[_Item]]:
    """Yield what ``assembler`` builds from ``events``, each once done, in the order they started.

    Returns the items still open when ``events`` ends.
    """
    pending: list[_Item] = []
    for event in events:
        pending.extend(assembler.feed(event))
        while pending and pending[0].done:
            yield pending.pop(0)
    return pending


class ValuesProjection:
    """`thread.values`: the thread's state when iteration starts, then each new state of the run.

    Iterating waits for `run.start` if it has not happened yet, fetches the
    thread's state (`GET /threads/{id}/state`), yields its `values`, then
    yields the data of each `values` event of the run, from the run's start,
    until the run ends or stops for a person: read after the run ended, it
    gives the final state, then replays the run's states. It can be iterated
    again (a new connection each time).

    Raises:
        RuntimeError: Iterated outside the session's `with` block.
        TimeoutError: `run.start` did not come within `run_start_timeout`.
        lgsync.errors.RunFailedError: While iterating: the event stream could not
            be resumed.

    Example:
        ```python
        for state in thread.values:
            print(state)
        ```
    """

    def __init__(self, owner: ThreadStream) -> None:
        self._owner = owner

    def __iter__(self) -> Iterator[Any]:
        owner = self._owner
        owner._check_open()
        owner._wait_for_run_start()  # the state first: of the thread the run works on
        events = owner._follow(["values"])
        try:
            yield owner._fetch_state().get("values")
            for event in events:
                if event.get("method") == "values":
                    data = event_data(event)
                    if data is not None:
                        yield data
        finally:
            events.close()

    def get(self) -> Any:
        """The final state values, as `thread.output` (blocking).

        Returns:
            The thread's state `values` once the run has ended or stopped.

        Raises:
            lgsync.errors.RunFailedError: The run failed.

        Example:
            ```python
            final = thread.values.get()
            ```
        """
        return self._owner.output


class MessagesProjection:
    """`thread.messages`: one `MessageStream` per chat-model message of a namespace, complete when yielded.

    The root graph's messages for `thread.messages`; a subgraph's own for
    `handle.messages`. Messages come in the order they started, each once it
    finished (use `interleave_projections(["messages"])` to get them as they
    start). When the run fails, messages still open are yielded failed: their
    text raises the run's error.

    Raises:
        RuntimeError: Iterated outside the session's `with` block.
        TimeoutError: `run.start` did not come within `run_start_timeout`.
        lgsync.errors.RunFailedError: While iterating: the event stream could not
            be resumed.

    Example:
        ```python
        for message in thread.messages:
            print(str(message.text))
        ```
    """

    def __init__(self, owner: ThreadStream, namespace: list[str] | None = None) -> None:
        self._owner = owner
        self._namespace = list(namespace or [])

    def __iter__(self) -> Iterator[MessageStream]:
        owner = self._owner
        assembler = MessageAssembler(self._namespace)
        events = _own_events(owner, "messages", self._namespace)
        try:
            pending = yield from _each_once_done(events, assembler)
            # Only a failed run fails the messages still open; those of a run that went on are yielded as they are.
            error = owner._followed.failure()
            if error is not None:
                assembler.fail_open(error)
            yield from pending
        finally:
            events.close()


class ToolCallsProjection:
    """`thread.tool_calls`: one `ToolCallHandle` per tool call of a namespace, finished when yielded.

    The root graph's tool calls for `thread.tool_calls`; a subgraph's own for
    `handle.tool_calls`. A call still open when the stream ends is yielded
    failed: its `output` raises the run's error, or `RunFailedError` saying the
    stream closed first.

    Raises:
        RuntimeError: Iterated outside the session's `with` block.
        TimeoutError: `run.start` did not come within `run_start_timeout`.

    Example:
        ```python
        for call in thread.tool_calls:
            print(call.name, call.input, call.error or call.output)
        ```
    """

    def __init__(self, owner: ThreadStream, namespace: list[str] | None = None) -> None:
        self._owner = owner
        self._namespace = list(namespace or [])

    def __iter__(self) -> Iterator[ToolCallHandle]:
        owner = self._owner
        assembler = ToolCallAssembler(self._namespace)
        events = _own_events(owner, "tools", self._namespace)
        try:
            pending = yield from _each_once_done(events, assembler)
        finally:
            events.close()
            # Unlike a message, a tool call left open always fails, also when reading stops early:
            # a thread waiting on its `output` must not wait forever.
            assembler.fail_open(owner._followed.failure() or RunFailedError(STREAM_CLOSED))
        yield from pending


class ExtensionProjection:
    """`thread.extensions[name]`: the items a graph sends on its named custom channel `name`.

    Reads the protocol channel `custom:<name>` (of the handle's namespace and
    below, for `handle.extensions[name]`) until the run ends. On a closed
    session it yields nothing, as in the SDK.

    Attributes:
        name: The channel's name.

    Raises:
        RuntimeError: Iterated before the session is entered.
        TimeoutError: `run.start` did not come within `run_start_timeout`.

    Example:
        ```python
        for item in thread.extensions["progress"]:
            print(item["name"], item["payload"])
        ```
    """

    def __init__(self, owner: ThreadStream, *, name: str, namespace: list[str]) -> None:
        self._owner = owner
        self.name = name
        self._namespace = list(namespace)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        owner = self._owner
        if owner._closed:
            return  # as the SDK: an extension of a closed session yields nothing
        owner._check_open()
        namespace = self._namespace
        events = owner._follow(
            [f"custom:{self.name}"], namespaces=[namespace] if namespace else None, scope=namespace or None
        )
        try:
            for event in events:
                data = event_data(event)
                if event.get("method") == "custom" and isinstance(data, dict) and data.get("name") == self.name:
                    yield data
        finally:
            events.close()


class ExtensionsProjection:
    """`thread.extensions`: `thread.extensions[name]` is the `ExtensionProjection` of channel `name`.

    The same name gives the same projection object each time.

    Raises:
        ValueError: An empty name.

    Example:
        ```python
        progress = thread.extensions["progress"]
        for item in progress:
            print(item["payload"])
        ```
    """

    def __init__(self, owner: ThreadStream, namespace: list[str] | None = None) -> None:
        self._owner = owner
        self._namespace = list(namespace or [])
        self._cache: dict[str, ExtensionProjection] = {}

    def __getitem__(self, name: str) -> ExtensionProjection:
        if not isinstance(name, str) or not name:
            raise ValueError("extension name must be non-empty.")
        if name not in self._cache:
            self._cache[name] = ExtensionProjection(self._owner, name=name, namespace=self._namespace)
        return self._cache[name]
