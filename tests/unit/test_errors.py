"""Error answers to typed exceptions: the class per status, the server's message, the request id."""

from __future__ import annotations

import pytest

from lgsync import errors
from lgsync.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    LangGraphError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RedirectError,
    StreamDecodeError,
    StreamError,
    UnprocessableEntityError,
    status_error,
)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, InternalServerError),
        (502, InternalServerError),
        (503, InternalServerError),
        (504, InternalServerError),
        (599, InternalServerError),
        (302, RedirectError),
        (307, RedirectError),
        (402, APIStatusError),
        (418, APIStatusError),
    ],
)
def test_each_status_maps_to_its_class(status: int, cls: type[APIStatusError]) -> None:
    exc = status_error(status, b'{"detail": "x"}', {})
    assert type(exc) is cls
    assert exc.status_code == status
    assert isinstance(exc, APIStatusError) and isinstance(exc, APIError) and isinstance(exc, LangGraphError)


def test_not_found_carries_status_body_and_message() -> None:
    exc = status_error(404, b'{"detail":"Thread not found"}', {}, method="GET", path="/threads/t1")
    assert isinstance(exc, NotFoundError)
    assert exc.status_code == 404
    assert exc.body == {"detail": "Thread not found"}
    assert "Thread not found" in str(exc)
    assert "404" in str(exc)
    assert "GET /threads/t1" in str(exc)


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        (b'{"detail": "Thread not found"}', "Thread not found"),
        (b'{"message": "Assistant busy"}', "Assistant busy"),
        (b'{"error": "bad graph"}', "bad graph"),
        (b'{"detail": [{"loc": ["body", "input"], "msg": "field required"}]}', "field required"),
        (b"upstream connect error", "upstream connect error"),
        (b"<html><body>Bad Gateway</body></html>", "Bad Gateway"),
    ],
)
def test_the_server_message_is_in_str(body: bytes, shown: str) -> None:
    assert shown in str(status_error(502, body, {}))


def test_an_empty_body_still_gives_a_readable_message() -> None:
    exc = status_error(503, b"", {})
    assert str(exc) == "503 Service Unavailable"
    assert exc.body is None


def test_a_huge_body_is_shortened_in_the_message() -> None:
    exc = status_error(500, b"x" * 100_000, {})
    assert len(str(exc)) < 1000
    assert isinstance(exc.body, str) and len(exc.body) == 100_000


def test_a_non_utf8_body_does_not_break_the_message() -> None:
    exc = status_error(500, b"\xff\xfe broken \x80", {})
    assert "broken" in str(exc)


@pytest.mark.parametrize("name", ["x-request-id", "X-Request-ID", "X-REQUEST-ID"])
def test_request_id_comes_from_x_request_id(name: str) -> None:
    exc = status_error(500, b"{}", {name: "req-123", "content-type": "application/json"})
    assert exc.request_id == "req-123"


def test_request_id_is_none_without_the_header() -> None:
    assert status_error(500, b"{}", {}).request_id is None


@pytest.mark.parametrize(
    ("header", "expected"),
    [("2", 2.0), ("0.5", 0.5), ("-3", 0.0), ("soon", None), (None, None)],
)
def test_rate_limit_error_exposes_retry_after(header: str | None, expected: float | None) -> None:
    headers = {} if header is None else {"Retry-After": header}
    exc = status_error(429, b'{"detail": "slow down"}', headers)
    assert isinstance(exc, RateLimitError)
    assert exc.retry_after == expected
    assert "slow down" in str(exc)


def test_the_headers_are_kept_on_the_error() -> None:
    exc = status_error(409, b"{}", {"X-Thing": "1"})
    assert exc.headers == {"X-Thing": "1"}


def test_connection_errors_form_their_own_branch() -> None:
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(StreamError, APIConnectionError)
    assert issubclass(StreamDecodeError, StreamError)
    assert not issubclass(APIConnectionError, APIStatusError)
    assert APIConnectionError("x").request_sent is True
    assert APITimeoutError("x", request_sent=False).request_sent is False


def test_every_public_error_has_the_sdk_name_and_root() -> None:
    sdk_names = {
        "LangGraphError",
        "APIError",
        "APIStatusError",
        "APIConnectionError",
        "APITimeoutError",
        "BadRequestError",
        "AuthenticationError",
        "PermissionDeniedError",
        "NotFoundError",
        "ConflictError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
    }
    for name in sdk_names:
        cls = getattr(errors, name)
        assert issubclass(cls, LangGraphError), name
