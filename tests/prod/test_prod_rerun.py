"""A run started again after its worker died is never passed off as new events.

Replica ``b`` executes the run while replica ``a`` serves the stream. ``b``
is killed (SIGKILL) mid-run and a third worker starts; with the short job
heartbeat of the tier (``LG_BG_JOB_HEARTBEAT=2``) it finds the run stale
and runs it again from the start, as attempt 2. The server then streams a
``metadata`` event with ``attempt: 2`` and the run's events again, with new
and greater ids, so no id can tell them apart: the client must notice the
attempt and say so instead of handing them over.
"""

from __future__ import annotations

import signal
import threading

import pytest

import lgsync
import lgsync.errors
from tests.prod.conftest import ProdStack

pytestmark = pytest.mark.prod

STEPS = 30
KILL_AT_STEP = 5


def _kill_the_worker_then_start_another(stack: ProdStack) -> threading.Thread:
    executing = stack.replicas[1]
    executing.send_signal(signal.SIGKILL)

    def replace() -> None:
        executing.wait_gone()
        stack.start_extra("c", jobs=8)

    thread = threading.Thread(target=replace, name="third-worker", daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("how", ["join_stream", "runs.stream"])
def test_a_run_started_again_raises_instead_of_repeating_its_events(
    revive_replicas: ProdStack, client: lgsync.SyncClient, how: str
) -> None:
    stack = revive_replicas
    thread_id = str(client.threads.create()["thread_id"])
    created: list[str] = []
    if how == "join_stream":
        run = client.runs.create(
            thread_id, "slow", input={"steps": STEPS, "delay": 0.05}, stream_mode=["custom"], stream_resumable=True
        )
        created.append(str(run["run_id"]))
        # Only "custom" asked for: the client must still see the attempt.
        stream = client.runs.join_stream(thread_id, created[0], stream_mode="custom", last_event_id="0-0")
    else:
        stream = client.runs.stream(
            thread_id,
            "slow",
            input={"steps": STEPS, "delay": 0.05},
            stream_mode=["custom"],
            stream_resumable=True,
            on_run_created=lambda meta: created.append(str(meta["run_id"])),
        )
    steps: list[int] = []
    replacing: threading.Thread | None = None
    try:
        with pytest.raises(lgsync.errors.RunRestartedError) as raised:
            with stream:
                for part in stream:
                    if part.event == "custom":
                        steps.append(part.data["step"])
                        if part.data["step"] == KILL_AT_STEP:
                            replacing = _kill_the_worker_then_start_another(stack)

        assert steps == list(range(len(steps))) and KILL_AT_STEP <= steps[-1] < STEPS - 1, steps
        error = raised.value
        assert (error.run_id, error.attempt, error.previous_attempt) == (created[0], 2, 1)
        # The run goes on as attempt 2, to the end, on the third worker.
        assert client.runs.join(thread_id, created[0]) == {"steps": STEPS, "delay": 0.05, "done": STEPS}
    finally:
        if replacing is not None:
            replacing.join(60)
        for extra in stack.extra:
            extra.stop()
        stack.extra.clear()
