"""Cancel on disconnect holds on the Postgres + Redis runtime.

A stream asked to cancel its run on disconnect (``join_stream(...,
cancel_on_disconnect=True)``, ``runs.stream(..., on_disconnect="cancel")``)
and closed by the caller must leave the run no longer ``pending`` or
``running`` within 3 s. This runtime ignores the disconnect itself (its join
catches the cancel in ``except Exception``, and a disconnect arrives as
``CancelledError``), so it holds only if the client also cancels the run
explicitly. A run that ended on its own is never cancelled.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Callable

import pytest

import lgsync

pytestmark = pytest.mark.prod

ACTIVE = ("pending", "running")
SLOW = {"steps": 100, "delay": 0.05}


def _status_after(client: lgsync.SyncClient, thread_id: str, run_id: str, within: float) -> str:
    """The run's status once it has left pending/running, or the last one seen when ``within`` s are up."""
    deadline = time.monotonic() + within
    while True:
        status = str(client.runs.get(thread_id, run_id)["status"])
        if status not in ACTIVE or time.monotonic() >= deadline:
            return status
        time.sleep(0.1)


def _background_slow_run(client: lgsync.SyncClient) -> tuple[str, str]:
    thread_id = str(client.threads.create()["thread_id"])
    run = client.runs.create(thread_id, "slow", input=SLOW, stream_mode=["custom"])
    return thread_id, str(run["run_id"])


def _assert_cancelled(client: lgsync.SyncClient, thread_id: str, run_id: str, first: lgsync.StreamPart) -> None:
    assert first.event == "custom" and first.data["step"] < 90, "closed while the run still had steps to go"
    status = _status_after(client, thread_id, run_id, within=3.0)
    assert status not in ACTIVE, f"run still {status!r} 3 s after the stream was closed"
    assert status == "interrupted"
    values = client.threads.get_state(thread_id)["values"]
    assert isinstance(values, dict) and "done" not in values, values


def _break(stream: lgsync.ReconnectingStream) -> lgsync.StreamPart:
    for part in stream:
        if part.event == "custom":
            return part
    raise AssertionError("the stream ended before its first custom event")


def _close(stream: lgsync.ReconnectingStream) -> lgsync.StreamPart:
    part = next(part for part in stream if part.event == "custom")
    stream.close()
    return part


def _raise(stream: lgsync.ReconnectingStream) -> lgsync.StreamPart:
    seen: list[lgsync.StreamPart] = []

    class Stop(Exception):
        pass

    with pytest.raises(Stop):
        with stream:
            for part in stream:
                if part.event == "custom":
                    seen.append(part)
                    raise Stop
    return seen[0]


def _abort(stream: lgsync.ReconnectingStream) -> lgsync.StreamPart:
    # The reading thread is blocked in the stream; another thread aborts it
    # (what a web server's disconnect handler does).
    seen: list[lgsync.StreamPart] = []
    first = threading.Event()

    def read() -> None:
        for part in stream:
            if part.event == "custom":
                seen.append(part)
                first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert first.wait(10), "no custom event within 10 s"
    stream.abort()
    reader.join(10)
    assert not reader.is_alive(), "abort() did not end the blocked read"
    return seen[0]


CLOSERS: dict[str, Callable[[lgsync.ReconnectingStream], lgsync.StreamPart]] = {
    "break": _break,
    "close": _close,
    "exception": _raise,
    "abort": _abort,
}


@pytest.fixture(params=sorted(CLOSERS))
def closer(request: pytest.FixtureRequest) -> Iterator[Callable[[lgsync.ReconnectingStream], lgsync.StreamPart]]:
    yield CLOSERS[str(request.param)]


def test_join_stream_cancel_on_disconnect_cancels_the_run_when_closed(
    client: lgsync.SyncClient, closer: Callable[[lgsync.ReconnectingStream], lgsync.StreamPart]
) -> None:
    thread_id, run_id = _background_slow_run(client)

    first = closer(client.runs.join_stream(thread_id, run_id, cancel_on_disconnect=True, stream_mode="custom"))

    _assert_cancelled(client, thread_id, run_id, first)


def test_runs_stream_on_disconnect_cancel_cancels_the_run_when_closed(
    client: lgsync.SyncClient, closer: Callable[[lgsync.ReconnectingStream], lgsync.StreamPart]
) -> None:
    thread_id = str(client.threads.create()["thread_id"])
    created: list[str] = []

    # The stream is not kept in a variable: as in ``for part in client.runs.stream(...): break``.
    first = closer(
        client.runs.stream(
            thread_id,
            "slow",
            input=SLOW,
            stream_mode="custom",
            on_disconnect="cancel",
            on_run_created=lambda meta: created.append(str(meta["run_id"])),
        )
    )

    assert created, "the run's id comes with the answer's headers"
    _assert_cancelled(client, thread_id, created[0], first)


def test_join_stream_on_the_runtime_lets_the_run_finish_without_cancel_on_disconnect(client: lgsync.SyncClient) -> None:
    # The baseline the cancel tests are measured against: closing a plain join leaves the run going.
    thread_id = str(client.threads.create()["thread_id"])
    run = client.runs.create(thread_id, "slow", input={"steps": 20, "delay": 0.05}, stream_mode=["custom"])

    first = _break(client.runs.join_stream(thread_id, run["run_id"], stream_mode="custom"))

    assert first.data["step"] < 19
    assert _status_after(client, thread_id, run["run_id"], within=20.0) == "success"


@pytest.mark.parametrize("how", ["join_stream", "runs.stream"])
def test_a_run_that_finished_is_never_cancelled(client: lgsync.SyncClient, how: str) -> None:
    thread_id = str(client.threads.create()["thread_id"])
    if how == "join_stream":
        run = client.runs.create(thread_id, "slow", input={"steps": 5, "delay": 0.05}, stream_mode=["custom"])
        run_id = str(run["run_id"])
        with client.runs.join_stream(thread_id, run_id, cancel_on_disconnect=True, stream_mode="custom") as stream:
            parts = list(stream)
    else:
        with client.runs.stream(
            thread_id, "slow", input={"steps": 5, "delay": 0.05}, stream_mode="custom", on_disconnect="cancel"
        ) as stream:
            parts = list(stream)
        run_id = str(parts[0].data["run_id"])
        parts = parts[1:]

    assert [part.data["step"] for part in parts if part.event == "custom"][-1] == 4
    # Read to the end and closed: the run ended on its own, and stays so.
    time.sleep(0.5)
    assert client.runs.get(thread_id, run_id)["status"] == "success"
    values = client.threads.get_state(thread_id)["values"]
    assert isinstance(values, dict) and values.get("done") == 5
