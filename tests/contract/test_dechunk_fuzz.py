"""Differential fuzz of lgsync's chunked framing (``transport/_body.py``) against ``http.client``'s own de-chunking.

Random chunked bodies (chunk sizes from 1 byte to a few hundred, data holding
CR and LF, chunk extensions, hex in either case with leading zeros, trailers)
are cut at every byte position and delivered in random socket reads. For each,
both readers must hand over the same bytes and end the same way: cleanly (the
connection closed as http.client closes it) or with an error. Mutated bodies
check the other direction: lgsync never accepts framing that http.client
rejects, and never hands over a byte http.client would not. Fixed seeds.
"""

from __future__ import annotations

import http.client
import io
import random
from typing import Callable, Tuple

import pytest

from lgsync.transport._dechunk import Dechunker, can_dechunk
from lgsync.transport._errors import IncompleteBody

SEED = 20261201
BODIES = 90
MUTANTS = 1500

#: What a reader handed over; how it ended ("end": the connection closed as
#: http.client closes it, or "error"); and what it left unread after the body.
Outcome = Tuple[bytes, str, bytes]

_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"


class _Trickle(io.RawIOBase):
    """A socket's byte stream: ``data`` in reads of random size, then EOF."""

    def __init__(self, data: bytes, rng: random.Random) -> None:
        self._data = data
        self._pos = 0
        self._rng = rng

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        left = len(self._data) - self._pos
        if left <= 0:
            return 0
        n = min(len(buffer), left, self._rng.choice((1, 2, 3, 7, 16, 64, 4096)))
        buffer[:n] = self._data[self._pos : self._pos + n]
        self._pos += n
        return n


class _Reader(io.BufferedReader):
    """The response's file; on close it keeps what the reader left unread (the next response, on a kept-alive connection)."""

    unread: bytes | None = None

    def close(self) -> None:
        if not self.closed:
            self.unread = self.read()
        super().close()


class _Socket:
    def __init__(self, data: bytes, seed: int) -> None:
        self._data = data
        self._seed = seed
        self.file: _Reader | None = None

    def makefile(self, mode: str, *args: object, **kwargs: object) -> io.BufferedReader:
        rng = random.Random(self._seed)
        self.file = _Reader(_Trickle(self._data, rng), buffer_size=rng.choice((8, 64, 8192)))
        return self.file


def _response(body: bytes, seed: int) -> tuple[http.client.HTTPResponse, _Socket]:
    sock = _Socket(_HEAD + body, seed)
    response = http.client.HTTPResponse(sock)  # type: ignore[arg-type]
    response.begin()
    return response, sock


def _outcome(data: bytes, ended: bool, response: http.client.HTTPResponse, sock: _Socket) -> Outcome:
    if not ended:
        return data, "error", b""
    if not response.isclosed() or sock.file is None:
        return data, "end, left open", b""
    return data, "end", sock.file.unread or b""


def _drain(read1: Callable[[int], bytes], size: int, errors: tuple[type[BaseException], ...]) -> tuple[bytes, bool]:
    out = bytearray()
    try:
        while True:
            data = read1(size)
            if not data:
                return bytes(out), True
            out += data
    except errors:
        return bytes(out), False


def reference(body: bytes, seed: int, size: int) -> Outcome:
    """``http.client``'s de-chunking (``HTTPResponse.read1``)."""
    response, sock = _response(body, seed)
    data, ended = _drain(response.read1, size, (http.client.HTTPException, ValueError))
    return _outcome(data, ended, response, sock)


def lgsync_dechunker(body: bytes, seed: int, size: int) -> Outcome:
    """lgsync's framing, on the same response as the transports hand it over."""
    response, sock = _response(body, seed)
    assert can_dechunk(response)
    data, ended = _drain(Dechunker(response).read1, size, (IncompleteBody,))
    return _outcome(data, ended, response, sock)


def _size_line(rng: random.Random, size: int) -> bytes:
    digits = "%x" % size
    digits = digits.upper() if rng.random() < 0.3 else digits
    digits = "0" * rng.choice((0, 0, 0, 1, 3)) + digits
    extension = rng.choice(("", "", ";a=b", ";name=value;other", ';q="x;y"', " ;ext", ";\tx=1"))
    return (digits + extension).encode() + (b"\n" if rng.random() < 0.1 else b"\r\n")


def chunked_body(rng: random.Random) -> tuple[bytes, bytes]:
    """A random, valid chunked body and the payload it carries."""
    payload = bytearray()
    framed = bytearray()
    for _ in range(rng.randint(0, 6)):
        size = rng.choice((1, 2, 3, rng.randint(1, 40), rng.randint(40, 300)))
        data = bytes(rng.choice(b"ab\r\n:{}\x00\xff") for _ in range(size))
        payload += data
        framed += _size_line(rng, size) + data + b"\r\n"
    framed += _size_line(rng, 0)
    for i in range(rng.choice((0, 0, 1, 2))):
        framed += b"X-Trailer-%d: v%d\r\n" % (i, rng.randint(0, 99))
    framed += b"\r\n"
    return bytes(framed), bytes(payload)


def _cases() -> list[tuple[int, bytes, bytes]]:
    rng = random.Random(SEED)
    return [(i, *chunked_body(rng)) for i in range(BODIES)]


def test_a_whole_body_is_read_in_full_and_closes_like_http_client() -> None:
    after = b"HTTP/1.1 204 No Content\r\n\r\n"
    for index, body, payload in _cases():
        for size in (1, 5, 256 * 1024):
            assert lgsync_dechunker(body, index, size) == (payload, "end", b""), (index, size, body)
            assert reference(body, index, size) == (payload, "end", b""), (index, size, body)
            # Bytes after the body: both read through the trailer's blank line and stop there, though
            # lgsync's larger reads may take more of what follows into a buffer that closing drops
            # (http.client's own read-ahead is dropped the same way; a server sends nothing there).
            assert reference(body + after, index, size) == (payload, "end", after)
            data, ending, unread = lgsync_dechunker(body + after, index, size)
            assert (data, ending) == (payload, "end") and after.endswith(unread), (index, size, body, unread)


def test_every_cut_ends_as_http_client_ends_with_the_same_bytes() -> None:
    compared = 0
    for index, body, _ in _cases():
        rng = random.Random(SEED + index)
        for cut in range(len(body) + 1):
            seed = rng.randrange(1 << 30)
            size = rng.choice((1, 3, 64, 256 * 1024))
            ours = lgsync_dechunker(body[:cut], seed, size)
            theirs = reference(body[:cut], seed, size)
            assert ours == theirs, (index, cut, size, body[:cut])
            compared += 1
    assert compared > 10_000


def _mutate(rng: random.Random, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 3)):
        where = rng.randrange(len(data) + 1)
        action = rng.random()
        if action < 0.4 and where < len(data):
            data[where] = rng.choice(b"0123456789abcdefgxyzAF;\r\n -")
        elif action < 0.7:
            data[where:where] = bytes([rng.choice(b"0f;\r\n ")])
        elif where < len(data):
            del data[where]
    return bytes(data)


def test_lgsync_never_accepts_framing_http_client_rejects() -> None:
    rng = random.Random(SEED ^ 0x5EED)
    cases = _cases()
    verdicts = {"same": 0, "lgsync stricter": 0}
    for _ in range(MUTANTS):
        index, body, _ = rng.choice(cases)
        mutant = _mutate(rng, body)
        seed = rng.randrange(1 << 30)
        # What is left unread after the end is compared in the tests above, on valid bodies.
        ours = lgsync_dechunker(mutant, seed, 256 * 1024)[:2]
        theirs = reference(mutant, seed, 256 * 1024)[:2]
        if ours == theirs:
            verdicts["same"] += 1
            continue
        # Where they differ, lgsync stopped with an error after a prefix of what http.client handed over.
        assert ours[1] == "error", (mutant, ours, theirs)
        assert theirs[0].startswith(ours[0]), (mutant, ours, theirs)
        verdicts["lgsync stricter"] += 1
    assert verdicts["same"] > MUTANTS // 2, verdicts


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            b"3\r\nabcXY4\r\ndefg\r\n0\r\n\r\n",
            (b"abc", "error", b""),
        ),  # no CRLF after a chunk: http.client skips 2 bytes
        (b"-1\r\nx\r\n0\r\n\r\n", (b"", "error", b"")),
        (b"zz\r\n", (b"", "error", b"")),
        (b"1" * 70_000, (b"", "error", b"")),  # a size line without end
    ],
)
def test_broken_framing_is_an_error_not_data(body: bytes, expected: Outcome) -> None:
    assert lgsync_dechunker(body, 1, 256 * 1024) == expected


def test_the_dechunker_stands_aside_where_http_client_lacks_what_it_uses() -> None:
    class Renamed(http.client.HTTPResponse):
        _close_conn = None  # as if a Python version renamed it

    response, _ = _response(b"1\r\na\r\n0\r\n\r\n", 1)
    assert can_dechunk(response)
    response.__class__ = Renamed
    assert not can_dechunk(response)
    response.chunk_left = 1
    response.__class__ = http.client.HTTPResponse
    assert not can_dechunk(response)  # already being read by http.client
