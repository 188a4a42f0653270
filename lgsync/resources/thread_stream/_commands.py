"""What a thread-stream session sends on the user's behalf: `thread.run` (start, respond) and `thread.agent`.

Commands go to `POST /threads/{id}/commands` as `{"id", "method", "params"}`
with the session's headers; the run they start or resume becomes the run the
session follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from lgsync.resources._shared import quote_path_param
from lgsync.resources.thread_stream._protocol import protocol_error

if TYPE_CHECKING:
    from lgsync.resources.thread_stream._session import ThreadStream

__all__ = ["AgentCommands", "RunCommands"]


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
        self._next_command_id = 1

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
        result = self._send("run.start", params)
        run_id = result.get("run_id")
        self._owner._followed.started(run_id if isinstance(run_id, str) else None)
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
        previous = self._interrupted_run_id()
        result = self._send("input.respond", params)
        run_id = result.get("run_id")
        if not isinstance(run_id, str):
            # The server answers ``{}``: the resumed run is the thread's newest, or the first to start after ``previous``.
            newest = self._latest_run_id()
            run_id = newest if newest is not None and newest != previous else None
        self._owner._followed.started(run_id, previous=previous)
        return result

    def _send(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Send one command; its ``result`` (an empty dict if the server sent none)."""
        owner = self._owner
        owner._check_open()
        with owner._lock:
            command_id = self._next_command_id
            self._next_command_id += 1
        answer = owner._http.post(
            f"{owner._path}/commands",
            json={"id": command_id, "method": method, "params": params},
            headers=owner._headers or None,
        )
        if not isinstance(answer, dict):
            return {}
        if answer.get("type") == "error":
            raise protocol_error(answer)
        meta = answer.get("meta")
        applied = meta.get("applied_through_seq") if isinstance(meta, dict) else None
        if isinstance(applied, int) and not isinstance(applied, bool) and applied >= 0:
            owner._followed.applied(applied)
        result = answer.get("result")
        return result if isinstance(result, dict) else {}

    def _interrupted_run_id(self) -> str | None:
        """The run an answer resumes: the one the session follows, else the thread's latest."""
        followed = self._owner._followed
        return followed.run_id if followed.seen else self._latest_run_id()

    def _latest_run_id(self) -> str | None:
        owner = self._owner
        runs = owner._http.get(f"{owner._path}/runs", params={"limit": 1}, headers=owner._headers or None)
        if isinstance(runs, list) and runs and isinstance(runs[0], dict) and isinstance(runs[0].get("run_id"), str):
            return str(runs[0]["run_id"])
        return None


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
