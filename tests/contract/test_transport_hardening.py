"""The transports keep their promises against hostile input and odd environments.

Header names merge case-insensitively and values are checked before they
travel; no library exception escapes; a redirect body is never read; proxy
credentials are sent; sessions do not pile up per thread.
"""

from __future__ import annotations

import pytest

from lgsync._headers import HeaderDict, Headers, check_header_value, merge_headers

SECRET = "sk-secret-0123456789"


# Header mapping, merging and validation.


def test_header_dict_keeps_each_name_once_in_the_case_last_set() -> None:
    headers = HeaderDict({"user-agent": "a", "Accept": "x"})
    headers["User-Agent"] = "b"

    assert list(headers.items()) == [("User-Agent", "b"), ("Accept", "x")]
    assert headers["USER-AGENT"] == "b"
    assert "accept" in headers
    del headers["ACCEPT"]
    assert dict(headers) == {"User-Agent": "b"}
    assert headers.setdefault("user-agent", "c") == "b"
    assert headers == {"user-agent": "b"}


def test_header_dict_repr_shows_names_not_values() -> None:
    assert SECRET not in repr(HeaderDict({"x-api-key": SECRET}))


def test_merge_headers_later_layers_win_case_insensitively() -> None:
    merged = merge_headers(
        {"User-Agent": "lgsync", "Content-Type": "application/json"},
        None,
        {"user-agent": "mine"},
        [("CONTENT-TYPE", "text/plain")],
    )

    assert dict(merged) == {"user-agent": "mine", "CONTENT-TYPE": "text/plain"}


def test_response_headers_are_read_only_and_join_repeats() -> None:
    headers = Headers([("X-A", "1"), ("x-a", "2")])

    assert headers["x-A"] == "1, 2"
    assert len(headers) == 1
    assert not hasattr(headers, "__setitem__")


@pytest.mark.parametrize(
    ("name", "value", "why"),
    [
        ("X-Key", SECRET + "\r\nX-Evil: 1", "CR, LF or NUL"),
        ("X-Key", SECRET + "\0", "CR, LF or NUL"),
        ("X-Key", SECRET + "\x01", "control character"),
        ("X-Key", " " + SECRET, "whitespace"),
        ("X-Key", "\u00a0" + SECRET, "whitespace"),
        ("X-Key", SECRET + "\t", "whitespace"),
        ("X-Key", SECRET + "\u20ac", "Latin-1"),
        ("X Key", SECRET, "token"),
        ("X-Key\r\n", SECRET, "CR, LF or NUL"),
        ("", SECRET, "token"),
        ("X:Key", SECRET, "token"),
    ],
)
def test_a_header_that_cannot_travel_is_a_value_error_naming_it_without_its_value(
    name: str, value: str, why: str
) -> None:
    with pytest.raises(ValueError, match=why) as caught:
        check_header_value(name, value)

    assert repr(name.strip()) in str(caught.value) or repr(name) in str(caught.value)
    assert SECRET not in str(caught.value)


def test_header_values_that_can_travel_pass() -> None:
    for name, value in [("X-Ok", "fine value"), ("Last-Event-ID", "1-2"), ("X-Latin", "caf\u00e9"), ("X-E", "")]:
        check_header_value(name, value)
    check_header_value("X-Tab", "a\tb")


def test_a_header_that_is_not_a_str_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="X-Num"):
        check_header_value("X-Num", 5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        check_header_value(b"X", "v")  # type: ignore[arg-type]
