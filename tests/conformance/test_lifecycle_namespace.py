"""Port of langgraph-sdk 0.4.14 ``tests/streaming/test_lifecycle_namespace.py`` (sync half).

The SDK test feeds events to the session's private lifecycle handler; here
they come over the thread's event stream, and the public session shows
whether a subgraph's terminal event ended the run.
"""

from __future__ import annotations

import pytest

import lgsync
from lgsync.testing import MockTransport
from tests.conformance._support import ThreadServer, lifecycle, proto, protocol_events

CHILD = ["firing:1"]


@pytest.mark.parametrize("phase", ["completed", "failed"])
def test_a_subgraphs_terminal_event_does_not_finish_the_root_run(
    client: lgsync.SyncClient, mock: MockTransport, phase: str
) -> None:
    """SDK: tests/streaming/test_lifecycle_namespace.py::test_sync_child_terminal_does_not_finish_root.

    After the subgraph's ``completed`` or ``failed``, the run goes on (a
    later ``values`` event still reaches a subscription) and ends as the
    root says, without an error; the subgraph's interrupt is listed while
    the run goes on and cleared once the root has completed.
    """
    events = [
        lifecycle(0, "running"),
        proto(1, "input.requested", {"interrupt_id": "int-1"}, CHILD),
        lifecycle(2, phase, CHILD, **({"error": "child broke"} if phase == "failed" else {})),
        proto(3, "values", {"after_child": True}),
        lifecycle(4, "completed"),
    ]
    ThreadServer(mock, [protocol_events(events)], state={"done": True})

    with client.threads.stream("th-1", assistant_id="kiln") as thread:
        thread.run.start(input={})
        seen = []
        for event in thread.subscribe(["values"]):
            seen.append(event["params"]["data"])
            pending = thread.interrupts
        output = thread.output
        interrupted_after = thread.interrupted
        interrupts_after = thread.interrupts

    assert seen == [{"after_child": True}]
    assert [(item["interrupt_id"], item["namespace"]) for item in pending] == [("int-1", CHILD)]
    assert output == {"done": True}
    assert interrupted_after is False
    assert interrupts_after == []
