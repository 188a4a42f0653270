"""The run a thread-stream session follows: which run it is, how each run ended, and what it waits for.

The commands set it (`run.start`, `run.respond`), the readers update it from
the events they see, and the session reads it for `output` and `interrupts`;
every change happens under the session's lock.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, TypedDict

from lgsync.errors import RunFailedError
from lgsync.resources.thread_stream._protocol import TERMINAL_PHASES, event_data, event_namespace, lifecycle_phase

__all__ = ["FollowedRun", "InterruptPayload"]


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


class FollowedRun:
    """What a session knows of the run it follows; shared by the session's commands, readers and properties.

    Attributes:
        run_id: The run followed; ``None`` before ``run.start``, or after an answer
            whose run is not known yet (then: the first run after ``previous_run_id``).
        seen: Whether this session started or resumed a run.
        start_gate: Set once a run is started (or the session closes): projections wait on it.
        applied_seq: The highest ``meta.applied_through_seq`` a command answered: a new reader starts after it.
        outcomes: How each run followed so far ended: ``None`` for success (or a pause), else its error.
        interrupts: The followed run's outstanding interrupts, in the order they were raised.
        paused: Whether the followed run stopped for a person.
        interrupts_settled: Whether the thread's state has completed ``interrupts`` since the pause.
    """

    def __init__(self, lock: threading.Lock) -> None:
        self._lock = lock
        self.run_id: str | None = None
        self.previous_run_id: str | None = None
        self.seen = False
        self.start_gate = threading.Event()
        self.applied_seq: int | None = None
        self.outcomes: dict[str | None, RuntimeError | None] = {}
        self.interrupts: list[InterruptPayload] = []
        self.paused = False
        self.interrupts_settled = False

    def started(self, run_id: str | None, *, previous: str | None = None) -> None:
        """Follow run ``run_id`` from now on (``None`` and ``previous``: the first run after ``previous``)."""
        with self._lock:
            self.run_id = run_id
            self.previous_run_id = previous
            self.seen = True
            self.outcomes.pop(run_id, None)
            self.interrupts = []
            self.paused = False
            self.interrupts_settled = False
        self.start_gate.set()

    def adopt(self, run_id: str, previous: str) -> None:
        """``run_id`` is the run that resumed ``previous``: follow it."""
        with self._lock:
            if self.run_id is None and self.previous_run_id == previous:
                self.run_id = run_id

    def applied(self, seq: int) -> None:
        """A command answered that the thread's events up to ``seq`` include it."""
        with self._lock:
            if self.applied_seq is None or seq > self.applied_seq:
                self.applied_seq = seq

    def failure(self) -> RuntimeError | None:
        """The followed run's error if it is known to have failed, else ``None``."""
        return self.outcomes.get(self.run_id)

    def fail(self, run_id: str | None, error: RuntimeError) -> None:
        """Run ``run_id`` failed with ``error`` (an error frame ended its event stream)."""
        with self._lock:
            self.outcomes[run_id] = error

    def observe(self, event: Mapping[str, Any], run_id: str | None) -> None:
        """Keep the view of run ``run_id`` (interrupts, pause, outcome) up to date with ``event``."""
        method = event.get("method")
        if method == "input.requested":
            data = event_data(event)
            interrupt_id = data.get("interrupt_id") if isinstance(data, dict) else None
            if isinstance(data, dict) and isinstance(interrupt_id, str):
                # The server names what an interrupt asks ``payload``; the protocol's spelling is ``value``.
                value = data["value"] if "value" in data else data.get("payload")
                with self._lock:
                    if run_id == self.run_id and all(i["interrupt_id"] != interrupt_id for i in self.interrupts):
                        self.interrupts.append(
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
            self.outcomes[run_id] = failure
            if run_id == self.run_id:
                self.paused = phase == "interrupted"
                if not self.paused:
                    self.interrupts = []

    def settle(self, pending: Any) -> None:
        """Complete ``interrupts`` with those of the thread's state (``pending``: its ``interrupts`` field)."""
        with self._lock:
            known = {item["interrupt_id"] for item in self.interrupts}
            for item in pending if isinstance(pending, list) else []:
                if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] not in known:
                    self.interrupts.append({"interrupt_id": item["id"], "value": item.get("value"), "namespace": []})
            self.interrupts_settled = True
