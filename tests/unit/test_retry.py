"""``Retry-After`` read in one place, and the rule for a server delay longer than the policy allows."""

from __future__ import annotations

import calendar
import math
import random
import time
from email.utils import formatdate

import pytest

from lgsync.retry import Retry, parse_retry_after

EPOCH = 0.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("0", 0.0), ("120", 120.0), ("0.5", 0.5), ("  7\t", 7.0), ("007", 7.0)],
)
def test_delta_seconds_are_read_as_seconds(value: str, seconds: float) -> None:
    assert parse_retry_after(value) == seconds


@pytest.mark.parametrize(
    "value",
    [
        "Thu, 01 Jan 1970 00:02:00 GMT",  # IMF-fixdate
        "Thursday, 01-Jan-70 00:02:00 GMT",  # RFC 850
        "Thu Jan  1 00:02:00 1970",  # asctime
    ],
)
def test_each_http_date_form_counts_from_now(value: str) -> None:
    assert parse_retry_after(value, now=EPOCH) == 120.0
    assert parse_retry_after(value, now=EPOCH + 30.5) == 89.5


def test_a_stated_zone_is_honoured() -> None:
    assert parse_retry_after("Thu, 01 Jan 1970 01:02:00 +0100", now=EPOCH) == 120.0


def test_an_http_date_is_counted_from_the_current_time_by_default() -> None:
    in_a_minute = formatdate(time.time() + 60, usegmt=True)
    seconds = parse_retry_after(in_a_minute)
    assert seconds is not None and 50.0 <= seconds <= 60.0


def test_a_date_in_the_past_means_now() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


@pytest.mark.parametrize(
    "value",
    [
        "Fri, 31 Dec 99999 23:59:59 GMT",  # the year that raised OverflowError
        "Mon, 01 Jan 10000 00:00:00 GMT",
        "Sat, 01 Jan 999999999999999999999 00:00:00 GMT",
        "-3",
        "+3",
        "-0",
        "nan",
        "NaN",
        "inf",
        "-inf",
        "1e5",
        "1_000",
        "0x10",
        "٣",  # a digit, but not an ASCII one
        "soon",
        "",
        "   ",
        "Wed, 21 Oct 2015 07:28:00 GMT" * 10,
        "\x00",
        None,
    ],
)
def test_unusable_values_give_none(value: str | None) -> None:
    assert parse_retry_after(value) is None


def test_an_absurdly_long_delay_is_capped_not_an_error() -> None:
    assert parse_retry_after("9" * 5000) == 2.0**31
    assert parse_retry_after("99999999999999999999") == 2.0**31
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", now=EPOCH) == 2.0**31


def test_dates_agree_with_the_calendar_over_the_years() -> None:
    for year in (1970, 1999, 2000, 2024, 2036):
        for month in range(1, 13):
            when = calendar.timegm((year, month, 28, 13, 14, 15))
            assert parse_retry_after(formatdate(when, usegmt=True), now=EPOCH) == float(when)


def _mutations(seed: int, count: int) -> list[str]:
    """Valid dates and numbers with characters dropped, repeated or replaced: the shapes a fuzzer finds."""
    rng = random.Random(seed)
    seeds = [
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "Tue, 01 Jan 2030 00:00:00 +0100",
        "120",
        "0.25",
    ]
    alphabet = "0123456789 ,:+-.eEinfaGMTUTCJanDecMonFri\t\x00\u00a0€"
    values = []
    for _ in range(count):
        text = list(rng.choice(seeds))
        for _ in range(rng.randint(1, 4)):
            where = rng.randrange(len(text) + 1)
            action = rng.randrange(3)
            if action == 0 and text:
                del text[min(where, len(text) - 1)]
            elif action == 1:
                text.insert(where, rng.choice(alphabet) * rng.choice((1, 1, 2, 9)))
            elif text:
                text[min(where, len(text) - 1)] = rng.choice(alphabet)
        values.append("".join(text))
    return values


def test_no_value_makes_it_raise_and_every_answer_is_a_usable_delay() -> None:
    parsed = 0
    for value in _mutations(seed=20261201, count=20_000):
        seconds = parse_retry_after(value, now=EPOCH)
        if seconds is not None:
            parsed += 1
            assert math.isfinite(seconds) and 0.0 <= seconds <= 2.0**31, value
    assert parsed > 1000, "the mutations should still contain many readable values"


@pytest.mark.parametrize(
    ("retry_after", "allowed"),
    [(None, True), (0.0, True), (29.5, True), (30.0, True), (30.01, False), (3600.0, False), (2.0**31, False)],
)
def test_a_server_delay_is_waited_out_only_up_to_retry_after_max(retry_after: float | None, allowed: bool) -> None:
    assert Retry(retry_after_max=30.0).allows_delay(retry_after) is allowed


def test_the_cap_rule_reads_a_parsed_header_directly() -> None:
    policy = Retry(retry_after_max=30.0)
    assert not policy.allows_delay(parse_retry_after("3600"))
    assert policy.allows_delay(parse_retry_after("garbage"))
    assert policy.allows_delay(parse_retry_after("Thu, 01 Jan 1970 00:00:20 GMT", now=EPOCH))
