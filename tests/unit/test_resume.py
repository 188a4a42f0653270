"""The resume cursor's fast path (a connection that never resumed) against its general rules.

Two cursors see the same random events, id-only blocks, reconnects and
flushes: one through ``admit``, the other through the general ``_admit``
alone. Every answer and every piece of state must be the same.
"""

from __future__ import annotations

import random

import pytest

from lgsync._resume import ResumeCursor
from lgsync.sse import ServerSentEvent

IDS = ["1-0", "1-0", "1-0", "2-0", "2-1", "3-0", None, "x", "0-5"]
DATA = [b"a", b"b", b"a", None, b"{}"]


class _GeneralOnly(ResumeCursor):
    def admit(self, event: ServerSentEvent) -> bool:
        return self._admit(event)


def _state(cursor: ResumeCursor) -> dict[str, object]:
    return dict(vars(cursor))


@pytest.mark.parametrize("seed", range(200))
def test_admit_matches_the_general_rules(seed: int) -> None:
    rng = random.Random(seed)
    start = rng.choice([None, "1-0", "x"])
    fast, general = ResumeCursor(start), _GeneralOnly(start)
    resumes = 0
    for step in range(rng.randint(1, 60)):
        roll = rng.random()
        if roll < 0.05:
            fast.reconnected()
            general.reconnected()
            resumes += 1
        elif roll < 0.1:
            event_id = rng.choice(IDS)
            fast.move_to(event_id)
            general.move_to(event_id)
        elif roll < 0.13:
            assert fast.flush() == general.flush()
        else:
            event = ServerSentEvent(rng.choice(["values", "messages"]), rng.choice(DATA), rng.choice(IDS))
            assert fast.admit(event) == general.admit(event), (seed, step)
            assert fast.released == general.released
        assert _state(fast) == _state(general), (seed, step)
        assert fast.resume_id() == general.resume_id()


def test_a_never_resumed_cursor_keeps_each_group_for_the_next_resume() -> None:
    cursor = ResumeCursor()
    for event_id, data in [("5-0", b"a"), ("5-0", b"b"), ("6-0", b"c")]:
        assert cursor.admit(ServerSentEvent("values", data, event_id))
    # The last group ("6-0", one member) is asked again from the id before it.
    assert cursor.resume_id() == "5-0"
    cursor.reconnected()
    # Its replay is skipped; what follows it is new.
    assert not cursor.admit(ServerSentEvent("values", b"c", "6-0"))
    assert cursor.admit(ServerSentEvent("values", b"d", "7-0"))
