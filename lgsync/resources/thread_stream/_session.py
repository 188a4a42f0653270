"""One thread's streaming session: commands, the run it follows, interrupts, and the reconnecting reader.

Commands go to `POST /threads/{id}/commands`; each projection reads its
own `POST /threads/{id}/stream/events`, resumed from the last `seq`
after a drop (see `ThreadStream._read`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Generator, Iterator, Mapping
from types import TracebackType
from typing import Any, TypedDict

from lgsync.errors import RunFailedError
from lgsync.http import HttpClient
from lgsync.reconnect import Reconnector
from lgsync.resources._shared import quote_path_param
from lgsync.resources.thread_stream._assembly import MessageAssembler, ToolCallAssembler
from lgsync.resources.thread_stream._projections import (
    ExtensionsProjection,
    MessagesProjection,
    ToolCallsProjection,
    ValuesProjection,
)
from lgsync.resources.thread_stream._protocol import (
    ALL_CHANNELS,
    TERMINAL_PHASES,
    check_interleave_channels,
    event_data,
    event_namespace,
    lifecycle_phase,
    protocol_error,
)
from lgsync.resources.thread_stream._reader import ThreadEvents
from lgsync.resources.thread_stream._scoped import SubgraphDiscovery, SubgraphsProjection
from lgsync.stream import ReconnectingStream

__all__ = ["AgentCommands", "InterruptPayload", "RunCommands", "ThreadStream"]

logger = logging.getLogger("lgsync.thread_stream")

_NOT_ENTERED = "ThreadStream not entered: use `with client.threads.stream(...) as thread:`"
# ThreadStream resumes a thread's event stream itself (``since`` in the request body).
#: How long a projection read before ``run.start`` waits for it unless told (``langgraph_sdk`` waits 30 s).
DEFAULT_RUN_START_TIMEOUT = 30.0


class InterruptPayload(TypedDict):
    """An interrupt waiting for a person's answer, as `thread.interrupts` lists it (the SDK's `InterruptPayload`).

    A graph node raises one by calling `interrupt(value)`; the run then stops
    (its lifecycle says `interrupted`) until `thread.run.respond(...)` answers it.

    Attributes:
        interrupt_id: The interrupt's id: what `thread.run.respond(..., interrupt_id=...)` names.
        value: What the graph passed to `interrupt(...)`, usually the question to
            show. Read from the `payload` field the server sends (the SDK reads a
            `value` field there and gets `None`).
        namespace: Where it was raised: `[]` for the root graph, else the
            subgraph's namespace (`["review:<task id>"]`).

    Example:
        ```python
        for item in thread.interrupts:
            print(item["interrupt_id"], item["namespace"], item["value"])
        ```
    """

    interrupt_id: str
    value: Any
    namespace: list[str]


class RunCommands:
    """`thread.run`: start the session's run and answer its interrupts (the SDK's `SyncRunModule`).

    Each method sends one command to the thread (`POST /threads/{id}/commands`)
    with the session's headers. After either, the session follows the run it
    started or resumed: `output`, `interrupts` and the projections read that run.

    Example:
        ```python
        with client.threads.stream(assistant_id="approval") as thread:
            thread.run.start(input={"request": "deploy v2"})
            thread.output  # waits until the run ends or stops for a person
            if thread.interrupted:
                thread.run.respond("approve")
            print(thread.output)
        ```
    """

    def __init__(self, owner: ThreadStream) -> None:
        self._owner = owner

    def start(
        self,
        *,
        input: Any = None,
        config: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        langsmith_tracing: Any | None = None,
    ) -> dict[str, Any]:
        """Start a run of the session's assistant on the thread (the `run.start` command).

        The server creates the thread if the session made up its id, and runs the
        graph in the background; this returns as soon as the run is accepted. A
        projection read before this call waits for it (up to the session's
        `run_start_timeout`). Starting again on the same session follows the new
        run, with its interrupts forgotten.

        Args:
            input: The graph's input, merged into the thread's state by the graph's
                reducers. `None` sends none.
            config: The run's `RunnableConfig` (`configurable`, `tags`,
                `recursion_limit`, ...), merged by the server over the assistant's.
            metadata: Stored on the run, for your own bookkeeping and searches
                (`client.runs.list`, LangSmith).
            langsmith_tracing: Where the run's LangSmith traces go (`project_name`,
                `example_id`); sent as the protocol's `langsmith_tracer`, as the SDK does.

        Returns:
            The command's result, `{"run_id": ...}` (an empty dict if the server
            sent none).

        Raises:
            lgsync.errors.ProtocolError: The server refused the command (a
                `RuntimeError`, as in the SDK).
            lgsync.errors.APIStatusError: The commands endpoint answered with an error
                status.
            RuntimeError: The session is not entered (`with`) or already closed.

        Example:
            ```python
            with client.threads.stream(assistant_id="agent") as thread:
                run = thread.run.start(input={"topic": "ice cream"}, metadata={"user": "ada"})
                print(run["run_id"], thread.output)
            ```
        """
        params: dict[str, Any] = {"assistant_id": self._owner.assistant_id}
        for key, value in (
            ("input", input),
            ("config", config),
            ("metadata", metadata),
            ("langsmith_tracer", langsmith_tracing),
        ):
            if value is not None:
                params[key] = value
        result = self._owner._command("run.start", params)
        run_id = result.get("run_id")
        self._owner._run_started(run_id if isinstance(run_id, str) else None)
        return result

    def respond(self, response: Any, *, interrupt_id: str | None = None) -> dict[str, Any]:
        """Answer an interrupt and resume the run (the `input.respond` command); the session then follows the resumed run.

        The answer becomes the value `interrupt(...)` returns inside the graph.
        Without `interrupt_id` there must be exactly one outstanding interrupt
        (`thread.interrupts`). Unlike the SDK, whose list keeps the answered
        interrupt until the resumed run ends, `thread.interrupts` is empty right
        after this call and fills again if the resumed run stops once more (with
        parallel interrupts: read `thread.output`, then answer the next one).

        Args:
            response: The answer, any JSON value (sent as the command's `response`).
            interrupt_id: Which interrupt to answer, from `thread.interrupts`;
                needed when several are outstanding.

        Returns:
            The command's result (`{"run_id": ...}` where the server sends it; the
            session finds the resumed run itself when the server answers `{}`).

        Raises:
            RuntimeError: No interrupt is outstanding, several are and no
                `interrupt_id` was given, or `interrupt_id` names none of them
                (worded as `langgraph_sdk` words it); also when the session is not
                entered or closed.
            lgsync.errors.ProtocolError: The server refused the answer.

        Example:
            ```python
            for state in thread.values:  # ends when the run stops for a person
                pass
            if thread.interrupted:
                thread.run.respond({"decision": "approve"})
                print(thread.output)
            ```
        """
        outstanding = self._owner.interrupts
        if interrupt_id is None:
            if not outstanding:
                raise RuntimeError(
                    "thread.run.respond: no outstanding interrupt. Provide an explicit "
                    "`interrupt_id` or wait for `thread.interrupted`."
                )
            if len(outstanding) > 1:
                ids = [item["interrupt_id"] for item in outstanding]
                raise RuntimeError(
                    f"thread.run.respond: ambiguous — {len(outstanding)} outstanding interrupts ({ids!r}). "
                    "Provide an explicit `interrupt_id`."
                )
            chosen = outstanding[0]
        else:
            found = [item for item in outstanding if item["interrupt_id"] == interrupt_id]
            if not found:
                raise RuntimeError(
                    f"thread.run.respond: interrupt_id {interrupt_id!r} does not match any outstanding "
                    "interrupt in `thread.interrupts`."
                )
            chosen = found[0]
        params = {"interrupt_id": chosen["interrupt_id"], "namespace": chosen["namespace"], "response": response}
        owner = self._owner
        previous = owner._interrupted_run_id()
        result = owner._command("input.respond", params)
        run_id = result.get("run_id")
        if not isinstance(run_id, str):
            # The server answers ``{}``: the resumed run is the thread's newest, or the first to start after ``previous``.
            newest = owner._latest_run_id()
            run_id = newest if newest is not None and newest != previous else None
        owner._run_started(run_id, previous=previous)
        return result


class AgentCommands:
    """`thread.agent`: the session's assistant as a graph (the SDK's `thread.agent` module).

    Example:
        ```python
        with client.threads.stream(assistant_id="agent") as thread:
            print([node["id"] for node in thread.agent.get_tree()["nodes"]])
        ```
    """

    def __init__(self, owner: ThreadStream) -> None:
        self._owner = owner

    def get_tree(
        self,
        *,
        xray: int | bool = False,
        headers: Mapping[str, str] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> dict[str, list[dict[str, Any]]]:
        """The assistant's graph: its nodes and edges (`GET /assistants/{id}/graph`), as `assistants.get_graph` returns it.

        Works before `run.start`; the session need not be entered.

        Args:
            xray: Include subgraphs: `True` for all of them, an int for that many
                levels down.
            headers: Headers for this request, over the session's.
            params: Extra query parameters for this request.

        Returns:
            `{"nodes": [...], "edges": [...]}` as the server draws the graph
            (an empty dict if it sent something else).

        Raises:
            RuntimeError: The session is closed.
            lgsync.errors.NotFoundError: The server does not know the assistant.

        Example:
            ```python
            tree = thread.agent.get_tree(xray=True)
            print([node["id"] for node in tree["nodes"]])
            ```
        """
        owner = self._owner
        if owner._closed:
            raise RuntimeError("ThreadStream is closed.")
        query: dict[str, Any] = {}
        if xray:
            query["xray"] = xray
        query.update(dict(params or {}))
        answer = owner._http.get(
            f"/assistants/{quote_path_param(owner.assistant_id)}/graph",
            params=query or None,
            headers={**owner._headers, **dict(headers or {})} or None,
        )
        return answer if isinstance(answer, dict) else {}


class ThreadStream:
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
        self._next_command_id = 1
        self._run_id: str | None = None
        self._previous_run_id: str | None = None
        self._run_seen = False
        self._run_start_gate = threading.Event()
        #: The highest ``meta.applied_through_seq`` a command answered: a new reader starts after it.
        self._applied_seq: int | None = None
        #: How each run followed so far ended: ``None`` for success (or a pause), else its error.
        self._outcomes: dict[str | None, RuntimeError | None] = {}
        self._interrupts: list[InterruptPayload] = []
        self._paused = False
        self._interrupts_settled = False
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

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
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
        run_id = self._run_id
        if not self._run_seen:
            if not self._explicit_thread_id:
                raise RuntimeError(
                    "thread.output: no run has been started and no thread_id was given; call thread.run.start() first."
                )
            run_id = self._active_run_id()
            if run_id is None:
                # Nothing is running on the thread (done, interrupted or errored): no wait.
                return self._fetch_state().get("values")
        if run_id not in self._outcomes:
            events = self._read({"channels": ["lifecycle", "input"]}, run_id=run_id)
            try:
                for _ in events:
                    pass
            finally:
                events.close()
            self._check_open()
            if run_id is None and self._run_seen:
                run_id = self._run_id  # the resumed run, found while reading
        failure = self._outcomes.get(run_id)
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
        with self._lock:
            settle = not self._interrupts_settled and (
                self._paused or (self._explicit_thread_id and not self._run_seen and not self._closed)
            )
            # With no projection reading the run, nothing would tell it stopped: ask the thread once.
            look = (
                not settle
                and not self._interrupts_settled
                and self._run_seen
                and self._run_id not in self._outcomes
                and not self._open_streams
                and not self._closed
            )
        if look and self._fetch_thread_status() == "interrupted":
            with self._lock:
                self._paused = True
            settle = True
        if settle:
            pending = self._fetch_state().get("interrupts")
            with self._lock:
                known = {item["interrupt_id"] for item in self._interrupts}
                for item in pending if isinstance(pending, list) else []:
                    if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] not in known:
                        self._interrupts.append(
                            {"interrupt_id": item["id"], "value": item.get("value"), "namespace": []}
                        )
                self._interrupts_settled = True
        with self._lock:
            return list(self._interrupts)

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
        return self._interleave(list(channels))

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
        self._run_start_gate.set()
        for stream in streams:
            stream.abort()

    # Internals.

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError("ThreadStream is closed.")
        if not self._entered:
            raise RuntimeError(_NOT_ENTERED)

    def _command(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        self._check_open()
        with self._lock:
            command_id = self._next_command_id
            self._next_command_id += 1
        answer = self._http.post(
            f"{self._path}/commands",
            json={"id": command_id, "method": method, "params": params},
            headers=self._headers or None,
        )
        if not isinstance(answer, dict):
            return {}
        if answer.get("type") == "error":
            raise protocol_error(answer)
        meta = answer.get("meta")
        applied = meta.get("applied_through_seq") if isinstance(meta, dict) else None
        if isinstance(applied, int) and not isinstance(applied, bool) and applied >= 0:
            with self._lock:
                if self._applied_seq is None or applied > self._applied_seq:
                    self._applied_seq = applied
        result = answer.get("result")
        return result if isinstance(result, dict) else {}

    def _run_started(self, run_id: str | None, *, previous: str | None = None) -> None:
        """Follow run ``run_id`` from now on (``None`` and ``previous``: the first run after ``previous``)."""
        with self._lock:
            self._run_id = run_id
            self._previous_run_id = previous
            self._run_seen = True
            self._outcomes.pop(run_id, None)
            self._interrupts = []
            self._paused = False
            self._interrupts_settled = False
        self._run_start_gate.set()

    def _interrupted_run_id(self) -> str | None:
        """The run an answer resumes: the one this session follows, else the thread's latest."""
        return self._run_id if self._run_seen else self._latest_run_id()

    def _latest_run_id(self) -> str | None:
        runs = self._http.get(f"{self._path}/runs", params={"limit": 1}, headers=self._headers or None)
        if isinstance(runs, list) and runs and isinstance(runs[0], dict) and isinstance(runs[0].get("run_id"), str):
            return str(runs[0]["run_id"])
        return None

    def _adopt_run(self, run_id: str, previous: str) -> None:
        """``run_id`` is the run that resumed ``previous``: follow it."""
        with self._lock:
            if self._run_id is None and self._previous_run_id == previous:
                self._run_id = run_id

    def _run_failure(self) -> RuntimeError | None:
        """The current run's error if it is known to have failed, else ``None``."""
        return self._outcomes.get(self._run_id)

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

    def _observe(self, event: Mapping[str, Any], run_id: str | None) -> None:
        """Keep the session's view of the run (interrupts, pause, outcome) up to date with ``event``."""
        method = event.get("method")
        if method == "input.requested":
            data = event_data(event)
            interrupt_id = data.get("interrupt_id") if isinstance(data, dict) else None
            if isinstance(data, dict) and isinstance(interrupt_id, str):
                # The server names what an interrupt asks ``payload``; the protocol's spelling is ``value``.
                value = data["value"] if "value" in data else data.get("payload")
                with self._lock:
                    if run_id == self._run_id and all(i["interrupt_id"] != interrupt_id for i in self._interrupts):
                        self._interrupts.append(
                            {"interrupt_id": interrupt_id, "value": value, "namespace": event_namespace(event)}
                        )
            return
        phase = lifecycle_phase(event)
        if phase not in TERMINAL_PHASES:
            return
        failure: RuntimeError | None = None
        if phase == "failed":
            data = event_data(event)
            error = data.get("error") if isinstance(data, dict) else None
            failure = RunFailedError(f"Run errored: {error}" if error else "Run errored")
        with self._lock:
            self._outcomes[run_id] = failure
            if run_id == self._run_id:
                self._paused = phase == "interrupted"
                if not self._paused:
                    self._interrupts = []

    def _wait_for_run_start(self) -> None:
        timeout = self._run_start_timeout if self._run_start_timeout is not None else DEFAULT_RUN_START_TIMEOUT
        if not self._run_start_gate.wait(timeout):
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
        # The root lifecycle and input events say where the run ends and what it
        # waits for: ask for them whatever the filter, and deliver only what was asked.
        extra = [name for name in ("lifecycle", "input") if name not in channels]
        body: dict[str, Any] = {"channels": [*channels, *extra]}
        if namespaces:
            body["namespaces"] = namespaces if [] in namespaces else [*namespaces, []]
        if depth is not None:
            body["depth"] = depth
        yield from self._read(body, run_id=self._run_id, wanted=(list(channels), namespaces, depth), scope=scope)

    def _interleave(self, channels: list[str]) -> Iterator[tuple[str, Any]]:
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
        subgraphs = SubgraphDiscovery(self, ()) if "subgraphs" in channels else None
        plain = [name for name in ("updates", "checkpoints", "tasks") if name in channels]
        events = self._follow(list(dict.fromkeys(wire)))
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
            failure = self._run_failure()
            if messages is not None and failure is not None:
                messages.fail_open(failure)
            if tool_calls is not None:
                tool_calls.fail_open(failure or RunFailedError("Tool call stream closed before terminal tool event."))
            if subgraphs is not None:
                subgraphs.finish_open("failed" if failure is not None else "completed")

    def _read(
        self,
        body: dict[str, Any],
        *,
        run_id: str | None,
        wanted: tuple[list[str], list[list[str]] | None, int | None] | None = None,
        scope: list[str] | None = None,
    ) -> Generator[dict[str, Any], None, None]:
        """Read the thread's events for run ``run_id`` until it ends, across as many connections as it takes.

        The connections go through the one reconnect engine
        (:class:`lgsync.reconnect.Reconnector`: budget, backoff, caps, and a
        stop when the session closes); ThreadEvents (:mod:`._reader`) says how a
        thread's event stream is read and reopened.
        """
        strategy = ThreadEvents(self, body, run_id=run_id, wanted=wanted, scope=scope)
        engine: Reconnector[ReconnectingStream, dict[str, Any]] = Reconnector(
            self._http.stream_retry,
            sleep=self._http.sleep,
            name=f"thread {self.thread_id} event stream",
            stop=self._stopped,
        )
        yield from engine.run(strategy)
