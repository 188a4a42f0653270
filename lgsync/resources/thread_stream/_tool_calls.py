"""Assembling tool calls from the `tools` channel: `ToolCallHandle`, which another thread can wait on.

A `ToolCallAssembler` is fed one protocol event at a time by whichever
projection reads the stream, and returns the tool calls an event starts.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from typing import Any

from lgsync.errors import RunFailedError
from lgsync.resources.thread_stream._protocol import data_at

__all__ = ["STREAM_CLOSED", "ToolCallAssembler", "ToolCallHandle"]

#: The error of a tool call still open when the stream that feeds it ends.
STREAM_CLOSED = "Tool call stream closed before terminal tool event."


class ToolCallHandle:
    """One tool call of a run: its name and input, the output it streams, and how it ended (the SDK's `SyncToolCallHandle`).

    Made from the `tools` channel's `tool-started` ... `tool-finished` (or
    `tool-error`) events; not built directly. `thread.tool_calls` yields it
    finished; `interleave_projections` yields it as it starts.

    Attributes:
        tool_call_id: The call's id, as the model gave it.
        name: The tool's name.
        input: The arguments the model called it with.
        namespace: Where it ran: `[]` for the root graph, else the subgraph's namespace.
        done: Whether it has finished (or failed).
        error: Its error (`RunFailedError`) if the tool or the run failed, else `None`.

    Example:
        ```python
        for call in thread.tool_calls:
            print(call.name, call.input, "->", call.output)
        ```
    """

    def __init__(self, *, tool_call_id: str, name: str, input: Any = None, namespace: list[str] | None = None) -> None:
        self.tool_call_id = tool_call_id
        self.name = name
        self.input = input
        self.namespace = list(namespace or [])
        self.done = False
        self.error: BaseException | None = None
        self._output: Any = None
        self._deltas: list[str] = []
        self._deltas_taken = False
        self._changed = threading.Condition()
        # The thread whose reading feeds this handle: waiting on it there would never end.
        self._feeder = threading.get_ident()

    def __repr__(self) -> str:
        return f"<ToolCallHandle {self.name!r} {self.tool_call_id!r} done={self.done}>"

    @property
    def output(self) -> Any:
        """The tool's output once it has finished (blocking): the `output` of its `tool-finished` event.

        For a LangChain tool, that is its `ToolMessage` as a dict. Waits while the
        call runs, when another thread reads the projection that yielded it.

        Returns:
            The tool's output.

        Raises:
            lgsync.errors.RunFailedError: The tool failed, or the stream ended before
                it finished.
            RuntimeError: Read, before the call finished, from the thread that reads
                the projection that yielded it: waiting there would never end (the
                SDK hangs).

        Example:
            ```python
            print(call.output["content"])
            ```
        """
        with self._changed:
            while not self.done:
                self._check_not_feeder("output")
                self._changed.wait()
            if self.error is not None:
                raise self.error
            return self._output

    @property
    def deltas(self) -> Iterator[str]:
        """The tool's partial output, piece by piece, as it streams (one reader only, as in `langgraph_sdk`).

        Iterating waits for each piece and ends when the call finishes.

        Returns:
            An iterator of text pieces.

        Raises:
            RuntimeError: A second reader (`deltas` was taken already); while
                iterating, a wait in the thread that reads the projection that
                yielded the handle.

        Example:
            ```python
            for piece in call.deltas:
                print(piece, end="")
            ```
        """
        with self._changed:
            if self._deltas_taken:
                raise RuntimeError("ToolCallHandle.deltas can only be iterated by a single consumer.")
            self._deltas_taken = True
        return self._iter_deltas()

    def _iter_deltas(self) -> Iterator[str]:
        index = 0
        while True:
            with self._changed:
                while index >= len(self._deltas) and not self.done:
                    self._check_not_feeder("deltas")
                    self._changed.wait()
                pending = self._deltas[index:]
                finished = self.done
            yield from pending
            index += len(pending)
            if finished and index >= len(self._deltas):
                return

    def _check_not_feeder(self, what: str) -> None:
        if threading.get_ident() == self._feeder:
            raise RuntimeError(
                f"ToolCallHandle.{what}: the tool call {self.tool_call_id!r} has not finished, and it finishes only "
                "as the projection that yielded it is read further (in this thread)."
            )

    def _push_delta(self, delta: str) -> None:
        with self._changed:
            if not self.done:
                self._deltas.append(delta)
                self._changed.notify_all()

    def _finish(self, output: Any) -> None:
        with self._changed:
            if not self.done:
                self.done, self._output = True, output
                self._changed.notify_all()

    def _fail(self, error: BaseException) -> None:
        with self._changed:
            if not self.done:
                self.done, self.error = True, error
                self._changed.notify_all()


class ToolCallAssembler:
    """Builds the tool calls of one namespace from ``tools`` events (``tool-started`` ... ``tool-finished``)."""

    def __init__(self, namespace: list[str]) -> None:
        self.namespace = list(namespace)
        self.open: dict[str, ToolCallHandle] = {}

    def feed(self, event: Mapping[str, Any]) -> list[ToolCallHandle]:
        data = data_at(event, "tools", self.namespace)
        if data is None:
            return []
        call_id = data.get("tool_call_id")
        if not isinstance(call_id, str):
            return []
        kind = data.get("event")
        if kind == "tool-started":
            name = data.get("tool_name")
            handle = ToolCallHandle(
                tool_call_id=call_id,
                name=name if isinstance(name, str) else "",
                input=data.get("input"),
                namespace=self.namespace,
            )
            self.open[call_id] = handle
            return [handle]
        if kind == "tool-output-delta":
            handle_or_none = self.open.get(call_id)
            delta = data.get("delta")
            if handle_or_none is not None and isinstance(delta, str):
                handle_or_none._push_delta(delta)
        elif kind == "tool-finished":
            finished = self.open.pop(call_id, None)
            if finished is not None:
                finished._finish(data.get("output"))
        elif kind == "tool-error":
            failed = self.open.pop(call_id, None)
            if failed is not None:
                message = data.get("message")
                failed._fail(RunFailedError(str(message) if message else "Tool call errored"))
        return []

    def fail_open(self, error: BaseException) -> None:
        """Fail every tool call still open (the stream ended before they did)."""
        for handle in self.open.values():
            handle._fail(error)
        self.open.clear()
