"""The reconnect engine's rules, the resume cursor and the decoder's memory bound, without a network."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import lgsync
from lgsync._resume import ResumeCursor
from lgsync.errors import APIConnectionError, APIError, InternalServerError, StreamDecodeError
from lgsync.reconnect import Reconnector
from lgsync.sse import ServerSentEvent, SSEDecoder


class _Drops:
    """A strategy whose every connection breaks before delivering anything, ``fails`` reopens answering 503."""

    def __init__(self, fails: int = 0, delay: float | None = None) -> None:
        self.opened = 0
        self.fails = fails
        self.delay = delay

    def read(self, connection: int) -> Iterator[int]:
        raise APIConnectionError(f"connection {connection} dropped")
        yield connection  # pragma: no cover - makes this a generator

    def discard(self, connection: int) -> None:
        pass

    def finished(self) -> bool:
        return False

    def progressed(self) -> bool:
        return False

    def closed_early(self) -> str | None:
        return None

    def check_resumable(self, cause: APIError) -> None:
        pass

    def reopen(self) -> int:
        self.opened += 1
        if self.fails:
            self.fails -= 1
            raise InternalServerError("restarting", status_code=503)
        return self.opened

    def server_delay(self) -> float | None:
        return self.delay

    def exhausted(self, cause: APIError, attempts: int) -> BaseException:
        return APIConnectionError(f"gave up after {attempts}")


def test_the_budget_counts_failed_reopens_and_empty_connections_alike() -> None:
    slept: list[float] = []
    engine: Reconnector[int, int] = Reconnector(lgsync.Retry(total=4, jitter=0.0), sleep=slept.append)
    strategy = _Drops(fails=2)
    with pytest.raises(APIConnectionError, match="gave up after 4"):
        list(engine.run(strategy, 0))
    assert strategy.opened == 4
    assert len(slept) == 4


def test_a_server_delay_never_shortens_the_backoff() -> None:
    slept: list[float] = []
    policy = lgsync.Retry(total=2, backoff_factor=0.2, backoff_max=1.0, jitter=0.0)
    engine: Reconnector[int, int] = Reconnector(policy, sleep=slept.append)
    with pytest.raises(APIConnectionError):
        list(engine.run(_Drops(delay=0.0), 0))
    assert slept == [0.2, 0.4]


def test_a_server_delay_lengthens_the_backoff_up_to_backoff_max_only() -> None:
    slept: list[float] = []
    policy = lgsync.Retry(total=2, backoff_factor=0.1, backoff_max=2.0, jitter=0.0)
    engine: Reconnector[int, int] = Reconnector(policy, sleep=slept.append)
    with pytest.raises(APIConnectionError):
        list(engine.run(_Drops(delay=86400.0), 0))
    assert slept == [2.0, 2.0]


def test_stop_before_a_wait_sends_no_further_request() -> None:
    engine: Reconnector[int, int] = Reconnector(lgsync.Retry(total=3), sleep=lambda s: engine.stop())
    strategy = _Drops()
    assert list(engine.run(strategy, 0)) == []
    assert strategy.opened == 0


def _event(data: bytes, event_id: str | None, name: str = "messages") -> ServerSentEvent:
    return ServerSentEvent(name, data, event_id)


def test_the_cursor_resumes_from_the_id_before_the_last_group() -> None:
    cursor = ResumeCursor()
    for event in (_event(b"a", "1-0"), _event(b"b", "2-0"), _event(b"c", "2-0")):
        assert cursor.admit(event)
    assert cursor.resume_id() == "1-0"


def test_the_cursor_tells_replayed_members_from_new_identical_ones_by_position() -> None:
    cursor = ResumeCursor()
    newline = _event(b'"\\n"', "5-0")
    other = _event(b"y", "5-0")
    assert cursor.admit(newline)
    assert cursor.admit(_event(b"x", "5-0"))
    cursor.reconnected()
    assert not cursor.admit(newline)  # replayed
    assert not cursor.admit(_event(b"x", "5-0"))  # replayed
    assert not cursor.admit(newline)  # held: a restart, or new?
    assert cursor.admit(other)  # not the group's next member: the held one was new
    assert cursor.released == [newline]
    assert cursor.flush() == [newline]
    assert cursor.admit(newline)  # one restart is looked for per connection


def test_a_held_event_is_delivered_when_the_connection_closes_cleanly() -> None:
    cursor = ResumeCursor()
    first, second = _event(b"a", "5-0"), _event(b"b", "5-0")
    assert cursor.admit(first) and cursor.admit(second)
    cursor.reconnected()
    assert not cursor.admit(first) and not cursor.admit(second)
    assert not cursor.admit(first)
    assert cursor.holding
    assert cursor.flush() == [first]
    assert not cursor.holding


def test_the_last_member_again_right_after_the_replay_is_taken_for_the_restart() -> None:
    """The one case bytes cannot decide (documented): the replay's last event, once more."""
    cursor = ResumeCursor()
    first, last = _event(b"a", "5-0"), _event(b'"\\n"', "5-0")
    assert cursor.admit(first) and cursor.admit(last)
    cursor.reconnected()
    assert not cursor.admit(first) and not cursor.admit(last)
    assert not cursor.admit(last)
    assert cursor.skipped == 3
    assert cursor.admit(last)  # later in the connection, the same bytes are new


def test_a_group_past_the_bound_is_flagged_and_keeps_no_more_members(monkeypatch: pytest.MonkeyPatch) -> None:
    import lgsync._resume

    monkeypatch.setattr(lgsync._resume, "GROUP_LIMIT", 10)
    cursor = ResumeCursor()
    for n in range(50):
        assert cursor.admit(_event(str(n).encode(), "9-0"))
    assert cursor.group_overflow
    assert len(cursor._group) == 10


def test_an_event_of_many_tiny_data_lines_counts_by_the_memory_it_takes() -> None:
    limit = 1 << 20
    decoder = SSEDecoder(max_event_size=limit)
    lines = 0
    with pytest.raises(StreamDecodeError):
        while True:
            decoder.feed(b"data: x\n" * 1000)
            lines += 1000
            assert lines < limit, "the decoder held more lines than its limit in bytes"
    # Each held line costs well over its 2 bytes: the bound is reached long before `limit` lines.
    assert lines <= limit // 40
