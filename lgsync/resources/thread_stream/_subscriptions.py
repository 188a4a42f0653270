"""Following the run's events: `events`, `subscribe(...)`, `interleave_projections(...)`, and the projections' reads.

`RunSubscriptions` is the part of `ThreadStream` that opens event
subscriptions: each waits for `run.start` (bounded), asks the server for
what it needs, and reads until the run ends.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Any, cast

from lgsync.resources.thread_stream._interleave import interleave
from lgsync.resources.thread_stream._protocol import ALL_CHANNELS, check_interleave_channels
from lgsync.resources.thread_stream._reader import read_events, subscription
from lgsync.resources.thread_stream._run_state import FollowedRun

if TYPE_CHECKING:
    from lgsync.resources.thread_stream._session import ThreadStream

__all__ = ["DEFAULT_RUN_START_TIMEOUT", "RunSubscriptions"]

#: How long a projection read before ``run.start`` waits for it unless told (``langgraph_sdk`` waits 30 s).
DEFAULT_RUN_START_TIMEOUT = 30.0


class RunSubscriptions:
    """The event subscriptions of a `ThreadStream`, as its base class (the reference shows them on `ThreadStream`)."""

    if TYPE_CHECKING:  # set by ThreadStream
        _followed: FollowedRun
        _run_start_timeout: float | None

        def _check_open(self) -> None: ...

    @property
    def events(self) -> Iterator[dict[str, Any]]:
        """Every protocol event of the run as the server sends it, on every channel of `ALL_CHANNELS`.

        Each event is a dict: `{"type": "event", "seq": ..., "method": <channel>,
        "params": {"namespace": [...], "data": ...}}`. The
        iterator reads its own connection and ends with the run (after its root
        `lifecycle` `completed`, `failed` or `interrupted` event).

        Returns:
            An iterator of event dicts.

        Raises:
            RuntimeError: The session is not entered or closed.
            lgsync.errors.RunFailedError: While iterating: the event stream could not
                be resumed.

        Example:
            ```python
            for event in thread.events:
                print(event["seq"], event["method"], event["params"]["data"])
            ```
        """
        self._check_open()
        return self._follow(list(ALL_CHANNELS))

    def subscribe(
        self,
        channels: list[str],
        *,
        namespaces: list[list[str]] | None = None,
        depth: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """The run's protocol events of some channels, optionally only below some namespaces.

        The server filters the events and lgsync keeps only what was asked (the
        SDK shares one connection among its subscriptions; here each
        subscription has its own).

        Args:
            channels: Channel names from `ALL_CHANNELS` (`"values"`, `"updates"`,
                `"messages"`, `"tools"`, `"lifecycle"`, `"input"`, `"checkpoints"`,
                `"tasks"`, `"custom"`), or `"custom:<name>"` for one named custom
                channel.
            namespaces: Namespace prefixes to keep: `["node_2"]` also matches
                `["node_2:<task id>", ...]`. `None` keeps every namespace.
            depth: How far below the prefixes to go (`0`: only the prefix itself).
                `None`: no limit.

        Returns:
            An iterator of event dicts (as `events`), ending with the run.

        Raises:
            RuntimeError: The session is not entered or closed.
            lgsync.errors.RunFailedError: While iterating: the event stream could not
                be resumed.

        Example:
            ```python
            for event in thread.subscribe(["values", "updates"], namespaces=[["node_2"]]):
                print(event["params"]["namespace"], event["params"]["data"])
            ```
        """
        self._check_open()
        return self._follow(list(channels), namespaces=namespaces, depth=depth)

    def interleave_projections(self, channels: list[str]) -> Iterator[tuple[str, Any]]:
        """`(channel, item)` pairs of several projections from one connection, in the server's order.

        The items are those of the projections: a state dict for `"values"`, a
        `MessageStream` for `"messages"`, a `ToolCallHandle` for `"tool_calls"`, a
        `ScopedStreamHandle` for `"subgraphs"`, the root graph's event data for
        `"updates"`, `"checkpoints"` and `"tasks"`, and `{"name", "payload"}` for
        an extension name. Messages, tool calls and subgraphs are yielded as they
        start and fill in as the iteration goes on (the dedicated projections
        yield them finished): in the loop that reads them, check `done` rather than
        reading a tool call's `output`, which would raise `RuntimeError` there.

        Args:
            channels: Any of `"values"`, `"messages"`, `"tool_calls"`,
                `"subgraphs"`, `"updates"`, `"checkpoints"`, `"tasks"`, or extension
                names.

        Returns:
            An iterator of `(channel, item)` tuples, ending with the run.

        Raises:
            ValueError: A protocol channel that has no projection (`"tools"`,
                `"lifecycle"`, `"input"`) or an empty name.
            RuntimeError: The session is not entered or closed.

        Example:
            ```python
            for channel, item in thread.interleave_projections(["values", "tool_calls"]):
                print(channel, item)
            ```
        """
        check_interleave_channels(channels)
        self._check_open()
        return interleave(cast("ThreadStream", self), list(channels))

    def _wait_for_run_start(self) -> None:
        timeout = self._run_start_timeout if self._run_start_timeout is not None else DEFAULT_RUN_START_TIMEOUT
        if not self._followed.start_gate.wait(timeout):
            raise TimeoutError(
                f"thread.run.start() was not called within {timeout} s. A projection read before run.start "
                "waits for it: start the run first, or read from another thread."
            )

    def _follow(
        self,
        channels: list[str],
        *,
        namespaces: list[list[str]] | None = None,
        depth: int | None = None,
        scope: list[str] | None = None,
    ) -> Generator[dict[str, Any], None, None]:
        """The events of ``channels`` for the current run, ending with its root lifecycle end (or ``scope``'s)."""
        # As in the SDK, a projection follows a run this session starts: read
        # before run.start, it waits for it, for a bounded time. Lazily, so that
        # taking a projection and then starting the run in the same thread works.
        self._wait_for_run_start()
        self._check_open()
        wanted = (list(channels), namespaces, depth)
        yield from read_events(
            cast("ThreadStream", self),
            subscription(channels, namespaces, depth),
            run_id=self._followed.run_id,
            wanted=wanted,
            scope=scope,
        )
