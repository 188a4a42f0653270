"""What a reader of a resumable stream has seen, so that a resume loses nothing and repeats nothing.

:class:`ResumeCursor` keeps the last event id, the members of its id group
(a digest each, up to :data:`GROUP_LIMIT`) and the position of a replay, and
says for each event whether it is new.
"""

from __future__ import annotations

from lgsync.sse import ServerSentEvent

__all__ = ["GROUP_LIMIT", "ResumeCursor"]

#: Members of one id group remembered for a resume (a digest each). Past it
#: the stream is no longer resumed from that group: it could repeat events.
GROUP_LIMIT = 100_000


def _order_key(event_id: str | None) -> tuple[int, int] | None:
    """``(ms, seq)`` for an id of the form ``<ms>-<seq>``; ``None`` for any other id."""
    if event_id is None:
        return None
    ms, dash, seq = event_id.partition("-")
    if dash and ms.isascii() and ms.isdigit() and seq.isascii() and seq.isdigit():
        return int(ms), int(seq)
    return None


class ResumeCursor:
    """What the caller has seen, so a resume loses nothing and repeats nothing.

    The LangGraph dev server gives ids of the form ``<ms>-0``, shared by the
    events of one millisecond; given ``Last-Event-ID`` it replays the ids
    strictly greater. So a resume asks from the id *before* the last group
    seen, and skips, by position, the members of that group already
    delivered; a member past those positions is new, even if it is
    byte-identical to an earlier one.

    A resume that reaches the server while the run is still emitting also
    gets some events twice: after the replay, the live part of the answer
    starts again at an event the replay already brought, and repeats the
    replay's tail. When that restart begins in an older group it shows as an
    older id, and from there the current group comes again from its first
    member. When it begins inside the current group, the ids cannot show
    it: an event equal to an earlier member is held back until the events
    after it either repeat the group through its end (a restart: dropped)
    or differ (new: delivered, in order). One such restart is looked for per
    connection, until it is seen. The one case bytes cannot decide, an event
    equal to the *last* one delivered, with the same id, before the restart
    was seen, is taken for the restart. Ids of another form are resumed from
    the last id, as the SSE specification intends.
    """

    def __init__(self, last_event_id: str | None = None, *, start_id: str | None = None) -> None:
        self._start_id = start_id
        self.last_id: str | None = last_event_id or None
        self._last_key: tuple[int, int] | None = None
        self._before_group: str | None = self.last_id
        # One digest per member delivered with the id ``last_id``, in order.
        self._group: list[int] = []
        self.group_overflow = False
        self._pos = 0
        self._replaying = False
        self._resumed = False
        # A live restart inside the group, looked for once per connection after a resume.
        self._may_restart = False
        self._index: dict[int, list[int]] = {}
        self._held: list[ServerSentEvent] = []
        self._candidates: list[int] = []
        #: Events held back and found new: the stream delivers them before the current one.
        self.released: list[ServerSentEvent] = []
        self.unidentified = 0
        self.skipped = 0

    @property
    def holding(self) -> bool:
        """Whether events are held back while a possible restart is told from new events."""
        return bool(self._held)

    def resume_id(self) -> str | None:
        """The ``Last-Event-ID`` to send on the next reconnect."""
        if self.last_id is None:
            return self._start_id
        if not self._group or _order_key(self.last_id) is None:
            return self.last_id
        return self._before_group or "0"

    def reconnected(self) -> None:
        """A new connection begins: its answer replays the current group (ordered ids)."""
        self._resumed = True
        self._pos = 0
        self._held = []
        self._candidates = []
        self.released = []
        self._last_key = _order_key(self.last_id)
        self._replaying = self._last_key is not None and bool(self._group)
        # The restart can come after the replay brought new groups too: look for it
        # in whichever group is current, until it is seen.
        self._may_restart = self._last_key is not None
        self._index = {}
        if self._may_restart:
            for position, digest in enumerate(self._group):
                self._index.setdefault(digest, []).append(position)

    def admit(self, event: ServerSentEvent) -> bool:
        """Record ``event``; True to deliver it now (after :attr:`released`, if any)."""
        event_id = event.id
        if not self._resumed and event_id is not None and event_id != self.last_id:
            # A connection that never resumed holds nothing back and compares no
            # ids: a new id just starts its group (as _start_group, with no key).
            if self.last_id is not None:
                self._before_group = self.last_id
            self.last_id = event_id
            self._group = [hash((event.event, event.data))]
            self.group_overflow = False
            self._pos = 1
            return True
        return self._admit(event)

    def _admit(self, event: ServerSentEvent) -> bool:
        """:meth:`admit` without its fast path: every case."""
        event_id = event.id
        if event_id is None:
            if self._held:
                self._release()
            self.unidentified += 1
            return True
        if event_id == self.last_id:
            return self._member(event)
        key = None
        if self._resumed:
            # Ordering only matters once a resume may have brought events again;
            # until then the ids simply go up.
            key = _order_key(event_id)
            if key is not None and self._last_key is not None:
                if key < self._last_key:
                    # The live part restarts at an event already seen: the current
                    # group will come again from its first member.
                    if self._held:
                        self._release()
                    self._replaying = bool(self._group)
                    self._pos = 0
                    self._may_restart = False
                    self.skipped += 1
                    return False
                if key == self._last_key:
                    return self._member(event)
        if self._held:
            self._release()
        self._start_group(event_id, key)
        digest = hash((event.event, event.data))
        self._group.append(digest)
        if self._may_restart:
            self._index[digest] = [0]
        self._pos = 1
        return True

    def flush(self) -> list[ServerSentEvent]:
        """The connection closed cleanly: what was held back is new."""
        if self._held:
            self._release()
        released, self.released = self.released, []
        return released

    def move_to(self, event_id: str | None) -> None:
        """An id-only block moved the cursor: the next resume asks from ``event_id``."""
        if event_id == self.last_id:
            return
        if event_id is None:
            # An empty id: resets it; what follows cannot be resumed exactly.
            self.unidentified += 1
            return
        key = _order_key(event_id) if self._resumed else None
        if key is not None and self._last_key is not None and key <= self._last_key:
            return
        if self._held:
            return  # decided with the events that follow
        self._start_group(event_id, key)

    def _start_group(self, event_id: str, key: tuple[int, int] | None) -> None:
        if self.last_id is not None:
            self._before_group = self.last_id
        self.last_id = event_id
        self._last_key = key
        self._group = []
        self.group_overflow = False
        self._pos = 0
        self._replaying = False
        self._index = {}

    def _member(self, event: ServerSentEvent) -> bool:
        digest = hash((event.event, event.data))
        group = self._group
        if self._replaying:
            if self._pos < len(group) and group[self._pos] == digest:
                self._pos += 1
                self.skipped += 1
                return False
            # Past the members already delivered: what follows is new, or a live restart.
            self._replaying = False
        if self._candidates:
            following = [c + 1 for c in self._candidates if c < len(group) and group[c] == digest]
            if following:
                self._held.append(event)
                if len(group) in following:
                    # The held events repeat the group through its end: a live restart.
                    self.skipped += len(self._held)
                    self._held = []
                    self._candidates = []
                    self._may_restart = False
                else:
                    self._candidates = following
                return False
            self._release()
        elif self._may_restart:
            starts = self._index.get(digest)
            if starts:
                if starts[-1] == len(group) - 1:
                    self._may_restart = False
                    self.skipped += 1
                    return False
                self._held = [event]
                self._candidates = [j + 1 for j in starts]
                return False
        self._append(digest)
        return True

    def _append(self, digest: int) -> None:
        group = self._group
        if len(group) < GROUP_LIMIT:
            if self._may_restart:
                self._index.setdefault(digest, []).append(len(group))
            group.append(digest)
        else:
            self.group_overflow = True
        self._pos = len(group)

    def _release(self) -> None:
        """The held events were new after all: record them, to be delivered in order."""
        held, self._held = self._held, []
        self._candidates = []
        self._may_restart = False
        for event in held:
            self._append(hash((event.event, event.data)))
        self.released.extend(held)
