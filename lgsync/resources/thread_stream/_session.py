"""The thread-stream session itself: `ThreadStream`, its lifecycle, and what it shows of the run it follows.

Entering and closing (every connection the session opened is aborted at
once), `output` and `interrupts`, and the wiring of the projections and
commands; the event subscriptions are its base class, `RunSubscriptions`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from lgsync.http import HttpClient
from lgsync.resources._shared import quote_path_param
from lgsync.resources.thread_stream._commands import AgentCommands, RunCommands
from lgsync.resources.thread_stream._projections import (
    ExtensionsProjection,
    MessagesProjection,
    ToolCallsProjection,
    ValuesProjection,
)
from lgsync.resources.thread_stream._reader import read_events
from lgsync.resources.thread_stream._run_state import FollowedRun, InterruptPayload
from lgsync.resources.thread_stream._scoped import SubgraphsProjection
from lgsync.resources.thread_stream._subscriptions import RunSubscriptions
from lgsync.stream import ReconnectingStream

__all__ = ["AgentCommands", "InterruptPayload", "RunCommands", "ThreadStream"]

_NOT_ENTERED = "ThreadStream not entered: use `with client.threads.stream(...) as thread:`"


class ThreadStream(RunSubscriptions):
    """One thread's streaming session: start a run and follow it through projections (the SDK's `SyncThreadStream`).

    Made by `client.threads.stream(thread_id=None, *, assistant_id=...)`;
    use it as a context manager: leaving the `with` block closes every
    connection it opened at once. `thread.run.start(...)` starts a run;
    `thread.output` waits for its end and returns the final state;
    `thread.values`, `thread.messages`, `thread.tool_calls`,
    `thread.subgraphs`, `thread.extensions[name]`, `thread.events`,
    `subscribe(...)` and `interleave_projections(...)` follow it live. A run
    that stops for a person ends the projections; `thread.interrupts` then
    says what it asks and `thread.run.respond(...)` resumes it.

    Where lgsync differs from the SDK (each deliberate; see "Migrating from
    langgraph_sdk"): it speaks the protocol over SSE only; each projection
    reads its own connection, with no background reader thread, so they can be
    read one after the other (each starts from the run's beginning) or from
    different threads; a dropped connection is resumed from the last `seq`
    through the client's `stream_retry` policy (the SDK ends the projection
    quietly); projections always end at the run's `interrupted` lifecycle
    event; `output` on an interrupted run returns the state it stopped in
    rather than blocking until someone answers.

    Attributes:
        thread_id: The thread; a new id when the session was opened without one
            (the server creates the thread at `run.start`).
        assistant_id: The assistant (or graph name) the session's runs use.
        run: `RunCommands`: `run.start(...)`, `run.respond(...)`.
        agent: `AgentCommands`: `agent.get_tree(...)`.
        values: `ValuesProjection`: the thread's state, then each new state.
        messages: `MessagesProjection`: the root graph's chat-model messages.
        tool_calls: `ToolCallsProjection`: the root graph's tool calls.
        subgraphs: `SubgraphsProjection`: a handle per child graph the run starts.
        subagents: The same object as `subgraphs` (the SDK's alias).
        extensions: `ExtensionsProjection`: `extensions[name]` follows one
            named custom channel.

    Raises:
        RuntimeError: A command or projection used outside the `with` block
            or after `close()`; entering a closed session again.
        lgsync.errors.RunFailedError: From `output` and the projections, when the
            run failed or its event stream could not be resumed.
        lgsync.errors.ProtocolError: From a command the server refused, or an
            error frame on the event stream.
        TimeoutError: A projection read before `run.start` waited longer than
            `run_start_timeout` (30 s unless given).

    Example:
        ```python
        with client.threads.stream(assistant_id="chat") as thread:
            thread.run.start(input={"topic": "ice cream"})
            for message in thread.messages:
                print(str(message.text))
            print(thread.output)
        ```
    """

    def __init__(
        self,
        http: HttpClient,
        *,
        thread_id: str,
        assistant_id: str,
        headers: Mapping[str, str] | None = None,
        run_start_timeout: float | None = None,
        explicit_thread_id: bool = False,
    ) -> None:
        self._http = http
        self._headers = dict(headers or {})
        self.thread_id = thread_id
        self.assistant_id = assistant_id
        self._run_start_timeout = run_start_timeout
        self._explicit_thread_id = explicit_thread_id
        self._path = f"/threads/{quote_path_param(thread_id)}"
        self._lock = threading.Lock()
        self._entered = False
        self._closed = False
        self._stopped = threading.Event()
        self._open_streams: set[ReconnectingStream] = set()
        self._followed = FollowedRun(self._lock)
        self.run = RunCommands(self)
        self.agent = AgentCommands(self)
        self.values = ValuesProjection(self)
        self.messages = MessagesProjection(self)
        self.tool_calls = ToolCallsProjection(self)
        self.subgraphs = SubgraphsProjection(self)
        self.subagents = self.subgraphs
        self.extensions = ExtensionsProjection(self)

    def __repr__(self) -> str:
        return f"<ThreadStream thread_id={self.thread_id!r} assistant_id={self.assistant_id!r}>"

    def __enter__(self) -> ThreadStream:
        if self._closed:
            raise RuntimeError("ThreadStream is closed and cannot be re-entered.")
        self._entered = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def output(self) -> Any:
        """The thread's final state values, once the run has ended or stopped for a person (blocking).

        Reads the run's lifecycle until it completes, fails or is interrupted (no
        wait when that is already known), then fetches the thread's state. On a
        session opened with a `thread_id` and no `run.start`, it waits for the
        thread's pending or running run, if there is one, else returns the state
        as it is. On an interrupted run it returns the state the run stopped in
        (the SDK's blocks until the interrupt is answered).

        Returns:
            The state's `values` (for most graphs, a dict of the state's channels).

        Raises:
            lgsync.errors.RunFailedError: The run failed (a `RuntimeError`), or its
                event stream could not be resumed.
            lgsync.errors.ProtocolError: The server failed the event stream.
            RuntimeError: No run was started and no `thread_id` was given, or the
                session is not entered or closed.

        Example:
            ```python
            thread.run.start(input={"topic": "cats"})
            print(thread.output["joke"])
            ```
        """
        self._check_open()
        followed = self._followed
        run_id = followed.run_id
        if not followed.seen:
            if not self._explicit_thread_id:
                raise RuntimeError(
                    "thread.output: no run has been started and no thread_id was given; call thread.run.start() first."
                )
            run_id = self._active_run_id()
            if run_id is None:
                # Nothing is running on the thread (done, interrupted or errored): no wait.
                return self._fetch_state().get("values")
        if run_id not in followed.outcomes:
            events = read_events(self, {"channels": ["lifecycle", "input"]}, run_id=run_id)
            try:
                for _ in events:
                    pass
            finally:
                events.close()
            self._check_open()
            if run_id is None and followed.seen:
                run_id = followed.run_id  # the resumed run, found while reading
        failure = followed.outcomes.get(run_id)
        if failure is not None:
            raise failure
        return self._fetch_state().get("values")

    @property
    def interrupted(self) -> bool:
        """Whether the run has stopped for a person's answer (`thread.interrupts` is not empty).

        Returns:
            `True` while an interrupt waits for `thread.run.respond(...)`.

        Example:
            ```python
            if thread.interrupted:
                thread.run.respond("approve")
            ```
        """
        return bool(self.interrupts)

    @property
    def interrupts(self) -> list[InterruptPayload]:
        """The interrupts waiting for an answer: `interrupt_id`, `namespace` and `value` (what it asks).

        Filled as projections or `output` read the run (lgsync has no background
        watcher as the SDK has); once the run has stopped (and on a `thread_id`
        given before any `run.start`), the thread's state completes the list,
        since the server may announce a parallel branch's interrupt after the
        run's stop. Read with no projection running, it asks the thread's status
        once. `run.respond` and `run.start` empty it.

        Returns:
            A new list of `InterruptPayload` dicts, in the order they were raised.

        Example:
            ```python
            thread.output  # the run stops on its questions
            for item in thread.interrupts:
                print(item["interrupt_id"], item["value"])
            ```
        """
        followed = self._followed
        with self._lock:
            settle = not followed.interrupts_settled and (
                followed.paused or (self._explicit_thread_id and not followed.seen and not self._closed)
            )
            # With no projection reading the run, nothing would tell it stopped: ask the thread once.
            look = (
                not settle
                and not followed.interrupts_settled
                and followed.seen
                and followed.run_id not in followed.outcomes
                and not self._open_streams
                and not self._closed
            )
        if look and self._fetch_thread_status() == "interrupted":
            with self._lock:
                followed.paused = True
            settle = True
        if settle:
            followed.settle(self._fetch_state().get("interrupts"))
        with self._lock:
            return list(followed.interrupts)

    def close(self) -> None:
        """Close every connection of the session (idempotent; safe from another thread).

        Iterators being read stop at once, and the session cannot be entered
        again. The run itself goes on on the server. Leaving the `with` block
        calls it.

        Example:
            ```python
            thread = client.threads.stream(thread_id, assistant_id="approval").__enter__()
            try:
                thread.run.respond("approve")
            finally:
                thread.close()
            ```
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            streams = list(self._open_streams)
            self._open_streams.clear()
        self._stopped.set()
        self._followed.start_gate.set()
        for stream in streams:
            stream.abort()

    # Internals.

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("ThreadStream is closed.")
        if not self._entered:
            raise RuntimeError(_NOT_ENTERED)

    def _active_run_id(self) -> str | None:
        """The thread's pending or running run (started outside this session), if any."""
        for status in ("running", "pending"):
            runs = self._http.get(
                f"{self._path}/runs", params={"status": status, "limit": 1}, headers=self._headers or None
            )
            if isinstance(runs, list) and runs and isinstance(runs[0], dict):
                run_id = runs[0].get("run_id")
                if isinstance(run_id, str):
                    return run_id
        return None

    def _fetch_thread_status(self) -> str | None:
        thread = self._http.get(self._path, headers=self._headers or None)
        status = thread.get("status") if isinstance(thread, dict) else None
        return status if isinstance(status, str) else None

    def _fetch_state(self) -> dict[str, Any]:
        state = self._http.get(f"{self._path}/state", headers=self._headers or None)
        return state if isinstance(state, dict) else {}
