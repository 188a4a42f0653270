"""A compressed body is decoded by urllib3's own decoders, the same on both transports.

``iter_bytes()`` reads the socket itself (to yield each event as it comes),
so it decodes with ``lgsync.transport._body.content_decoder``: urllib3's
``GzipDecoder`` and ``DeflateDecoder``, not a copy of them.
"""

from __future__ import annotations

import gzip
import zlib

import pytest
from urllib3.response import DeflateDecoder, GzipDecoder

from lgsync.errors import StreamDecodeError
from lgsync.transport._body import content_decoder
from lgsync.transport.base import Headers

BODY = b'{"thread_id": "t-1", "values": [' + b"1, " * 500 + b"2]}"


def _decode(encoding: str, data: bytes, piece: int = 7) -> bytes:
    decode = content_decoder(Headers({"Content-Encoding": encoding}))
    assert decode is not None
    return b"".join(decode(data[i : i + piece]) for i in range(0, len(data), piece))


def test_the_decoders_are_urllib3s() -> None:
    gzip_decode = content_decoder(Headers({"Content-Encoding": "gzip"}))
    deflate_decode = content_decoder(Headers({"Content-Encoding": "Deflate"}))
    assert isinstance(getattr(gzip_decode, "__self__", None), GzipDecoder)
    assert isinstance(getattr(deflate_decode, "__self__", None), DeflateDecoder)


@pytest.mark.parametrize("encoding", ["", "identity", " Identity "])
def test_an_identity_body_needs_no_decoder(encoding: str) -> None:
    assert content_decoder(Headers({"Content-Encoding": encoding})) is None
    assert content_decoder(Headers()) is None


def test_gzip_in_small_pieces_and_in_two_members() -> None:
    assert _decode("gzip", gzip.compress(BODY)) == BODY
    assert _decode("x-gzip", gzip.compress(BODY[:100]) + gzip.compress(BODY[100:])) == BODY


def test_deflate_with_and_without_the_zlib_header() -> None:
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    raw_deflate = raw.compress(BODY) + raw.flush()
    assert _decode("deflate", zlib.compress(BODY)) == BODY
    assert _decode("deflate", raw_deflate) == BODY  # what some servers send as "deflate"


def test_an_encoding_lgsync_did_not_ask_for_is_a_decode_error() -> None:
    with pytest.raises(StreamDecodeError, match="unsupported Content-Encoding: 'br'"):
        content_decoder(Headers({"Content-Encoding": "br"}))
