"""The SSE decoder against the WHATWG event-stream rules and lgsync's recorded decisions.

Every corpus case is fed whole, byte by byte and in random splits (fixed seed): the events
must not depend on where the reads happened to end.
"""

from __future__ import annotations

import random
from collections.abc import Iterable

import pytest

from lgsync.errors import StreamDecodeError
from lgsync.sse import ServerSentEvent, SSEDecoder

E = ServerSentEvent
BOM = b"\xef\xbb\xbf"
EARTH = "héllo 🌍 wörld".encode()

CORPUS: dict[str, tuple[bytes, list[ServerSentEvent]]] = {
    "simple": (b"data: hello\n\n", [E("message", b"hello", None)]),
    "event-type": (b"event: values\ndata: {}\n\n", [E("values", b"{}", None)]),
    "type-resets-after-dispatch": (b"event: x\ndata: 1\n\ndata: 2\n\n", [E("x", b"1", None), E("message", b"2", None)]),
    "bom": (BOM + b"data: a\n\n", [E("message", b"a", None)]),
    "only-one-bom-stripped": (BOM + BOM + b"data: a\n\ndata: b\n\n", [E("message", b"b", None)]),
    "cr": (b"data: a\r\rdata: b\r\r", [E("message", b"a", None), E("message", b"b", None)]),
    "lf": (b"data: a\n\ndata: b\n\n", [E("message", b"a", None), E("message", b"b", None)]),
    "crlf": (b"data: a\r\n\r\ndata: b\r\n\r\n", [E("message", b"a", None), E("message", b"b", None)]),
    "mixed-endings": (
        b"event: x\r\ndata: 1\n\rdata: 2\r\rdata: 3\r\n\n",
        [E("x", b"1", None), E("message", b"2", None), E("message", b"3", None)],
    ),
    # CRLF everywhere but one line end: the whole read must go through the general rules.
    "crlf-with-one-lone-lf": (
        b"event: a\r\ndata: x\ny\r\n\r\nevent: b\r\ndata: 2\r\n\r\n",
        [E("a", b"x", None), E("b", b"2", None)],
    ),
    "crlf-with-one-lone-cr": (
        b"event: a\r\ndata: 1\r\r\n\r\nevent: b\r\ndata: 2\r\n\r\n",
        [E("a", b"1", None), E("b", b"2", None)],
    ),
    "crlf-id-with-nul-ignored": (
        b"event: a\r\ndata: 1\r\nid: 1-0\r\n\r\nevent: b\r\ndata: 2\r\nid: 2\x00-0\r\n\r\n",
        [E("a", b"1", "1-0"), E("b", b"2", "1-0")],
    ),
    "comments": (b": hello\ndata: a\n: more\n\n:only a comment\n\n", [E("message", b"a", None)]),
    "field-without-colon": (b"data\n\ndata\ndata\n\n", [E("message", b"", None), E("message", b"\n", None)]),
    "one-leading-space-stripped": (
        b"data:a\n\ndata: a\n\ndata:  a\n\n",
        [E("message", b"a", None), E("message", b"a", None), E("message", b" a", None)],
    ),
    "colon-in-value": (b"data: a: b\n\n", [E("message", b"a: b", None)]),
    "unknown-fields-ignored": (b"foo: bar\ndata : x\nDATA: y\ndata: z\n\n", [E("message", b"z", None)]),
    "multi-line-data": (b"data: a\ndata: b\ndata:\n\n", [E("message", b"a\nb\n", None)]),
    "empty-data": (b"data:\n\n", [E("message", b"", None)]),
    "id-kept-across-events": (b"id: 7\ndata: a\n\ndata: b\n\n", [E("message", b"a", "7"), E("message", b"b", "7")]),
    "id-with-nul-ignored": (
        b"id: 1\ndata: a\n\nid: 2\x003\ndata: b\n\n",
        [E("message", b"a", "1"), E("message", b"b", "1")],
    ),
    "empty-id-resets": (
        b"id: 7\ndata: a\n\nid:\ndata: b\n\nid: 8\ndata: c\n\nid\ndata: d\n\n",
        [E("message", b"a", "7"), E("message", b"b", None), E("message", b"c", "8"), E("message", b"d", None)],
    ),
    "event-only-block": (b"event: end\n\n", [E("end", None, None)]),
    "id-only-block-moves-cursor": (b"id: 5\n\ndata: a\n\n", [E("message", b"a", "5")]),
    "blank-lines-alone": (b"\n\n\r\n\r\r", []),
    "utf8": (b"data: " + EARTH + b"\n\n", [E("message", EARTH, None)]),
    "server-shaped": (
        b'event: metadata\r\ndata: {"run_id": "r1"}\r\nid: 1700000000000-0\r\n\r\n'
        b": heartbeat\r\n\r\n"
        b'event: values\r\ndata: {"n": 1}\r\nid: 1700000000000-0\r\n\r\n',
        [
            E("metadata", b'{"run_id": "r1"}', "1700000000000-0"),
            E("values", b'{"n": 1}', "1700000000000-0"),
        ],
    ),
}


def _feed(chunks: Iterable[bytes], decoder: SSEDecoder | None = None) -> tuple[list[ServerSentEvent], SSEDecoder]:
    decoder = decoder or SSEDecoder()
    events: list[ServerSentEvent] = []
    for chunk in chunks:
        events.extend(decoder.feed(chunk))
    return events, decoder


def _random_splits(data: bytes, rng: random.Random) -> list[bytes]:
    cuts = sorted(rng.sample(range(1, len(data)), k=min(len(data) - 1, rng.randint(1, 8)))) if len(data) > 1 else []
    bounds = [0, *cuts, len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:])]


@pytest.mark.parametrize("case", list(CORPUS))
def test_corpus_whole(case: str) -> None:
    data, expected = CORPUS[case]
    assert _feed([data])[0] == expected


@pytest.mark.parametrize("case", list(CORPUS))
def test_corpus_byte_by_byte(case: str) -> None:
    data, expected = CORPUS[case]
    assert _feed([data[i : i + 1] for i in range(len(data))])[0] == expected


@pytest.mark.parametrize("case", list(CORPUS))
def test_corpus_in_random_splits(case: str) -> None:
    data, expected = CORPUS[case]
    rng = random.Random(f"lgsync-{case}")
    for _ in range(50):
        chunks = _random_splits(data, rng)
        assert _feed(chunks)[0] == expected, chunks


def test_every_split_point_of_the_whole_corpus_gives_the_same_events() -> None:
    stream = b"".join(data for data, _ in CORPUS.values() if not data.startswith(BOM))
    whole, whole_decoder = _feed([stream])
    for cut in range(1, len(stream)):
        events, decoder = _feed([stream[:cut], stream[cut:]])
        assert events == whole, cut
        assert decoder.last_event_id == whole_decoder.last_event_id


def test_a_bom_split_across_reads_is_stripped() -> None:
    assert _feed([b"\xef", b"\xbb", b"\xbfdata: a\n\n"])[0] == [E("message", b"a", None)]
    assert _feed([b"\xef\xbb", b"\xbfdata: a\n\n"])[0] == [E("message", b"a", None)]


def test_bytes_that_only_start_like_a_bom_are_kept() -> None:
    # \xef\xbb followed by something else is not a BOM: it stays part of the field name.
    assert _feed([b"\xef\xbb", b"data: a\n\ndata: b\n\n"])[0] == [E("message", b"b", None)]


def test_a_crlf_split_across_two_reads_is_one_line_end() -> None:
    # Were the LF read as a second line end, "a" would be dispatched alone.
    events, _ = _feed([b"data: a\r", b"\ndata: b\r", b"\n\r", b"\n"])
    assert events == [E("message", b"a\nb", None)]


def test_cr_then_cr_across_reads_is_a_blank_line() -> None:
    assert _feed([b"data: a\r", b"\r"])[0] == [E("message", b"a", None)]


def test_an_event_is_returned_by_the_feed_that_completes_it() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b'event: values\r\ndata: {"a": 1}\r') == []
    assert decoder.feed(b"\n") == []
    assert decoder.feed(b"\r\n") == [E("values", b'{"a": 1}', None)]


@pytest.mark.parametrize("split", range(1, len(EARTH)))
def test_a_multi_byte_character_split_across_reads_stays_whole(split: int) -> None:
    line = b"data: " + EARTH + b"\n\n"
    at = len(b"data: ") + split
    (event,), _ = _feed([line[:at], line[at:]])
    assert event.data is not None and event.data.decode("utf-8") == "héllo 🌍 wörld"


def test_the_last_event_id_is_kept_on_the_decoder() -> None:
    _, decoder = _feed([b"id: 1-0\ndata: a\n\nid: 2-0\n\n"])
    assert decoder.last_event_id == "2-0"
    _, decoder = _feed([b"id: 1-0\ndata: a\n\nid:\n\n"])
    assert decoder.last_event_id is None


def test_an_id_only_block_moves_the_cursor_without_an_event() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b"id: 42\n\n") == []
    assert decoder.last_event_id == "42"
    assert decoder.feed(b"data: x\n\n") == [E("message", b"x", "42")]


def test_the_initial_last_event_id_applies_until_replaced() -> None:
    decoder = SSEDecoder(last_event_id="9-0")
    assert decoder.feed(b"data: a\n\nid: 10-0\ndata: b\n\n") == [E("message", b"a", "9-0"), E("message", b"b", "10-0")]


@pytest.mark.parametrize(
    ("line", "retry"),
    [
        (b"retry: 1500", 1500),
        (b"retry:0", 0),
        (b"retry: 15x", None),
        (b"retry: -1", None),
        (b"retry: 1.5", None),
        (b"retry:", None),
        (b"retry: \xd9\xa3", None),  # ARABIC-INDIC DIGIT THREE: a digit, but not ASCII
        (b"retry: \xef\xbc\x93", None),  # FULLWIDTH DIGIT THREE
    ],
)
def test_retry_counts_only_ascii_digits(line: bytes, retry: int | None) -> None:
    events, decoder = _feed([line + b"\n\n"])
    assert events == []
    assert decoder.retry == retry


def test_a_bad_retry_keeps_the_previous_value() -> None:
    _, decoder = _feed([b"retry: 300\n\nretry: 3s\n\n"])
    assert decoder.retry == 300


def test_an_unfinished_event_is_not_dispatched_and_is_reported() -> None:
    decoder = SSEDecoder()
    assert decoder.feed(b'data: {"n": 12') == []
    assert decoder.in_event
    assert decoder.feed(b"3}\n") == []
    assert decoder.in_event  # the blank line is still missing
    assert decoder.feed(b"\n") == [E("message", b'{"n": 123}', None)]
    assert not decoder.in_event


def test_a_cut_comment_is_not_an_unfinished_event() -> None:
    decoder = SSEDecoder()
    decoder.feed(b"data: a\n\n: heartbe")
    assert not decoder.in_event


def test_a_multi_megabyte_event_fed_in_small_chunks_is_intact() -> None:
    payload = bytes(range(32, 127)) * (3 * 1024 * 1024 // 95)  # 3 MB, no line ends
    data = b"event: values\ndata: " + payload + b"\n\n"
    size = 1024
    events, _ = _feed(data[i : i + size] for i in range(0, len(data), size))
    assert events == [E("values", payload, None)]


def test_a_large_multi_line_event_fed_in_small_chunks_is_intact() -> None:
    lines = [b"%06d" % i + b"x" * 94 for i in range(20_000)]  # 2 MB over 20 000 lines
    data = b"".join(b"data: " + line + b"\r\n" for line in lines) + b"\r\n"
    size = 997
    events, _ = _feed(data[i : i + size] for i in range(0, len(data), size))
    assert events == [E("message", b"\n".join(lines), None)]


@pytest.mark.parametrize("chunk_size", [None, 1, 64])
def test_an_event_over_max_event_size_raises(chunk_size: int | None) -> None:
    data = b"data: " + b"x" * 2000 + b"\n\n"
    chunks = [data] if chunk_size is None else [data[i : i + chunk_size] for i in range(0, len(data), chunk_size)]
    with pytest.raises(StreamDecodeError) as info:
        _feed(chunks, SSEDecoder(max_event_size=1000))
    assert "1000" in str(info.value)


def test_many_small_lines_over_max_event_size_raise() -> None:
    data = b"data: " + b"y" * 90 + b"\n"
    with pytest.raises(StreamDecodeError):
        _feed([data] * 20 + [b"\n"], SSEDecoder(max_event_size=1000))


def test_max_event_size_is_per_event() -> None:
    event = b"data: " + b"z" * 600 + b"\n\n"
    events, _ = _feed([event] * 5, SSEDecoder(max_event_size=1000))
    assert len(events) == 5


def test_an_event_pickles_and_prints_under_lgsync_sse() -> None:
    import pickle

    event = SSEDecoder().feed(b"event: values\r\ndata: {}\r\nid: 1-0\r\n\r\n")[0]
    assert pickle.loads(pickle.dumps(event)) == E("values", b"{}", "1-0")
    assert b"lgsync.sse" in pickle.dumps(event)
    assert repr(ServerSentEvent) == "<class 'lgsync.sse.ServerSentEvent'>"
