"""``benchmarks.dechunk`` runs: both sides read every event of both scenarios (no timing is asserted)."""

from __future__ import annotations

from benchmarks.dechunk import MODES, run


def test_every_row_compares_both_sides_on_every_event() -> None:
    rows = run(burst=60, paced=4, interval=0.001, repeats=1)
    assert [(row["scenario"], row["layer"], row["events"]) for row in rows] == [
        ("burst", "bytes", 60),
        ("burst", "events", 60),
        ("trickle", "bytes", 4),
        ("trickle", "events", 4),
    ]
    for row in rows:
        for mode in MODES:
            assert row[f"seconds[{mode}]"] > 0
        assert row["seconds[ratio]"] > 0
    assert rows[-1]["latency_ms[dechunker]"] is not None
