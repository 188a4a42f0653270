"""Ported from langgraph-sdk 0.4.14 ``tests/integration/test_reconnect.py`` (sync half), on both transports.

The SDK test closes its session's shared SSE connection from inside
(``thread._controller._shared_stream.close()``) and counts duplicates in a
private de-duplicator. lgsync has neither: the same behaviour is checked
from outside, with a transport that hangs up the first event stream of
the session after its first snapshot, as a network or proxy would.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest

import lgsync
from lgsync.devserver import DevServer
from lgsync.timeouts import Timeout
from tests.sdk_integration.conftest import AGENT_INPUT, DEADLINE, EXPECTED_TERMINAL_ITEMS, wait_until, within

pytestmark = pytest.mark.integration


# The end of an SSE event: a blank line, in any of the three line endings.
_EVENT_END = re.compile(rb"\r\n\r\n|\n\n|\r\r")


class _CutAfter:
    """A response whose body ends cleanly, as a hang-up would, after ``events`` complete SSE events."""

    def __init__(self, response: lgsync.Response, events: int, on_cut: Callable[[], None]) -> None:
        self._response = response
        self._events = events
        self._on_cut = on_cut
        self.status_code = response.status_code
        self.headers = response.headers
        self.url = response.url

    def read(self) -> bytes:
        return self._response.read()

    def iter_bytes(self) -> Iterator[bytes]:
        seen = b""
        for chunk in self._response.iter_bytes():
            start = len(seen)
            seen += chunk
            ends = [match.end() for match in _EVENT_END.finditer(seen)]
            if len(ends) >= self._events:
                self._on_cut()
                yield seen[start : ends[self._events - 1]]
                return
            yield chunk

    def close(self) -> None:
        self._response.close()


class HangUpOnce:
    """A transport that hangs up the first thread event stream it carries, after ``events`` events."""

    def __init__(self, inner: lgsync.Transport, *, events: int) -> None:
        self._inner = inner
        self._events = events
        self._lock = threading.Lock()
        self._armed = True
        self.cut = 0
        self.event_streams = 0

    def _count_cut(self) -> None:
        with self._lock:
            self.cut += 1

    def send(self, request: lgsync.Request, *, timeout: Timeout) -> lgsync.Response:
        response = self._inner.send(request, timeout=timeout)
        if request.method != "POST" or not urlsplit(request.url).path.endswith("/stream/events"):
            return response
        with self._lock:
            self.event_streams += 1
            armed, self._armed = self._armed, False
        return _CutAfter(response, self._events, self._count_cut) if armed else response

    def close(self) -> None:
        self._inner.close()


def _transport(name: str) -> lgsync.Transport:
    return lgsync.RequestsTransport() if name == "requests" else lgsync.Urllib3Transport()


def test_close_mid_iteration(langgraph_server: DevServer, transport_name: str) -> None:
    """SDK: test_reconnect.py::test_close_mid_iteration_sync.

    The event stream under ``thread.values`` goes away after the first
    snapshot: the iterator does not raise, resumes from the last ``seq``
    and yields every snapshot once, and the run still ends as it should.
    """
    transport = HangUpOnce(_transport(transport_name), events=2)  # the run's ``running``, then its first snapshot

    def scenario() -> tuple[list[Any], bool, Any]:
        with lgsync.get_sync_client(url=langgraph_server.url, api_key=None, transport=transport) as client:
            with client.threads.stream(assistant_id="agent") as thread:
                thread.run.start(input=AGENT_INPUT)
                snapshots = list(thread.values)
                interrupted = thread.interrupted
                thread.run.respond("yes")
                return snapshots, interrupted, thread.output

    snapshots, interrupted, final = within(DEADLINE, scenario)
    assert transport.cut == 1  # the values projection lost its connection after the first snapshot
    # The thread's state when the iteration began, then each state of the run, once.
    assert [snapshot["items"] for snapshot in snapshots[1:]] == [[], ["streamed"], ["streamed", "tool"]]
    assert interrupted
    assert final["items"] == EXPECTED_TERMINAL_ITEMS


def test_events_after_a_hang_up_are_each_delivered_once(langgraph_server: DevServer, transport_name: str) -> None:
    """SDK: test_reconnect.py::test_close_mid_iteration_sync (its de-duplication count, checked on ``thread.events``).

    After the hang-up, the protocol events of the run arrive each once, in
    ``seq`` order, with none missing.
    """
    transport = HangUpOnce(_transport(transport_name), events=5)

    def scenario() -> list[dict[str, Any]]:
        with lgsync.get_sync_client(url=langgraph_server.url, api_key=None, transport=transport) as client:
            with client.threads.stream(assistant_id="agent") as thread:
                thread.run.start(input=AGENT_INPUT)
                return list(thread.events)

    events = within(DEADLINE, scenario)
    assert transport.cut == 1 and transport.event_streams == 2
    seqs = [event["seq"] for event in events]
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
    assert len({event["event_id"] for event in events}) == len(events)
    assert events[-1]["method"] == "lifecycle"
    assert events[-1]["params"]["data"]["event"] == "interrupted"


def test_interrupted_flips_with_no_reader(client: lgsync.SyncClient) -> None:
    """SDK: test_reconnect.py::test_close_mid_iteration_sync (once its iterator has ended, it polls ``thread.interrupted``)."""

    def scenario() -> bool:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            for _ in thread.values:
                break  # stop reading at the first snapshot
            wait_until(lambda: client.threads.get(thread.thread_id)["status"] == "interrupted")
            return bool(wait_until(lambda: thread.interrupted, seconds=5.0))

    assert within(DEADLINE, scenario)


def test_output_waits_for_the_pause_after_an_early_stop(client: lgsync.SyncClient) -> None:
    """lgsync's way to the same end as test_reconnect.py::test_close_mid_iteration_sync after an early stop.

    ``thread.output`` reads the run up to its pause and returns the state
    there; ``thread.interrupted`` is then set, and the answer resumes it.
    (The SDK's ``output`` would wait for the answer instead.)
    """

    def scenario() -> tuple[Any, bool, Any]:
        with client.threads.stream(assistant_id="agent") as thread:
            thread.run.start(input=AGENT_INPUT)
            for _ in thread.values:
                break
            paused = thread.output
            interrupted = thread.interrupted
            thread.run.respond("yes")
            return paused, interrupted, thread.output

    paused, interrupted, final = within(DEADLINE, scenario)
    assert paused["items"] == ["streamed", "tool"]
    assert interrupted
    assert final["items"] == EXPECTED_TERMINAL_ITEMS
