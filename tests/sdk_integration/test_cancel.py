"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_cancel.py`` (sync half), on both transports.

Flaky on the SDK: its cancel can land while the run is still queued (the
in-memory queue picks runs up every 0.5 s) or after the run has already
stopped at its question. Here the run is held in its first node
(``hold_seconds``), the test waits (bounded) until the server says it is
``running``, and its input is checkpointed (``next`` is the first node), and only then
cancels: see README.md. "running" alone comes a moment before the input's
snapshot, so a cancel right after it can leave ``thread.values`` empty.
"""

from __future__ import annotations

from typing import Any

import pytest

import lgsync
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, run_status, wait_until, within

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("attempt", range(2))
def test_cancel(client: lgsync.SyncClient, attempt: int) -> None:
    """SDK: test_cancel.py::test_cancel_sync. A run cancelled mid-way ends ``thread.values`` without an error."""

    def scenario() -> tuple[str, list[Any], str, dict[str, Any], bool]:
        with client.threads.stream(assistant_id="agent") as thread:
            run_id = thread.run.start(input=AGENT_INPUT, config={"configurable": {"hold_seconds": 30}})["run_id"]
            running = wait_until(lambda: run_status(client, thread.thread_id, run_id, unless=("pending",)))
            # "running" comes before the input's checkpoint (and its values snapshot); cancel once it is there.
            wait_until(lambda: client.threads.get_state(thread.thread_id)["next"] == ["stream_message"])
            client.runs.cancel(thread.thread_id, run_id, wait=False)
            snapshots = list(thread.values)  # ends with the run: no error
            final_run = wait_until(lambda: run_status(client, thread.thread_id, run_id, unless=("pending", "running")))
            state = client.threads.get_state(thread.thread_id)["values"]
            return running, snapshots, final_run, state, thread.interrupted

    running, snapshots, final_status, state, interrupted = within(DEADLINE, scenario)
    assert running == "running"
    assert final_status == "interrupted"  # runs.cancel's default action
    assert snapshots[1:] == [AGENT_INPUT]  # after the state at the start, the run's one snapshot
    assert state == AGENT_INPUT  # stopped inside stream_message: nothing after it ran
    assert not interrupted  # a cancelled run asks nothing
