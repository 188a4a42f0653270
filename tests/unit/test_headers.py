"""Header checks and merging: the memo of checked values stays bounded and never skips a refusal."""

from __future__ import annotations

import pytest

from lgsync import _headers
from lgsync._headers import CHECKED_LIMIT, HeaderDict, Headers, check_header_value, merge_headers


def test_unique_values_cannot_grow_the_memo_past_its_limit() -> None:
    for i in range(CHECKED_LIMIT * 20):
        check_header_value("X-Request-Id", f"value-{i}")
        assert len(_headers._CHECKED) <= CHECKED_LIMIT
    assert ("X-Request-Id", f"value-{CHECKED_LIMIT * 20 - 1}") in _headers._CHECKED


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("X-A", "a\r\nX-Injected: 1", ValueError),
        ("X-A", " padded", ValueError),
        ("X-A", "\u20ac", ValueError),
        ("Bad Name", "v", ValueError),
        ("X-A", b"bytes", TypeError),
    ],
)
def test_a_refused_header_is_refused_every_time_and_never_remembered(name: str, value: str, error: type) -> None:
    check_header_value("X-A", "fine")
    for _ in range(3):
        with pytest.raises(error):
            check_header_value(name, value)
    assert not any(key[1] == value for key in _headers._CHECKED)


def test_a_str_subclass_is_checked_each_time_not_looked_up() -> None:
    class Sneaky(str):
        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return hash("fine")

    check_header_value("X-A", "fine")
    with pytest.raises(ValueError):
        check_header_value("X-A", Sneaky("fine\r\nX-Injected: 1"))


def test_merging_header_dicts_headers_and_dicts_keeps_the_last_spelling_and_the_first_position() -> None:
    merged = merge_headers(
        {"Accept": "a", "X-One": "1"},
        HeaderDict({"accept": "b", "X-Two": "2"}),
        Headers([("x-one", "3"), ("X-ONE", "4")]),
        [("X-Three", "5")],
        None,
    )
    assert list(merged.items()) == [("accept", "b"), ("X-ONE", "3, 4"), ("X-Two", "2"), ("X-Three", "5")]
    assert type(merged) is HeaderDict
