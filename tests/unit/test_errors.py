"""Error answers to typed exceptions: the class per status, the server's message, the request id."""

from __future__ import annotations

import pickle
import sys
import time
import traceback
from email.utils import formatdate

import pytest

import lgsync
from lgsync import _json, errors
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
    ProtocolError,
    RateLimitError,
    RedirectError,
    RunError,
    RunFailedError,
    StreamDecodeError,
    StreamError,
    UnprocessableEntityError,
    bounded_str,
    excerpt,
    status_error,
)
from lgsync.testing import CannedResponse, MockTransport


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
    assert (exc.method, exc.path) == ("GET", "/threads/t1")
    assert exc.describe() == "404 Not Found (GET /threads/t1): Thread not found"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 429, 500, 503, 418])
def test_str_message_and_args_are_the_server_message_as_in_the_sdk(status: int) -> None:
    exc = status_error(status, b'{"message": "Validation failed"}', {}, method="GET", path="/threads/t")
    assert str(exc) == "Validation failed"
    assert exc.message == "Validation failed"
    assert exc.args == ("Validation failed",)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"detail": "from detail", "message": "from message"}', "from message"),
        (b'{"message": "", "detail": "from detail"}', "from detail"),
        (b'{"message": 7, "error": "from error"}', "from error"),
        (b'{"error": {"message": "nested message"}}', "nested message"),
        (b'{"error": {"detail": "nested detail"}}', "nested detail"),
    ],
)
def test_the_message_is_found_where_the_sdk_looks(body: bytes, message: str) -> None:
    assert status_error(400, body, {}).message == message


def test_code_param_and_type_come_from_the_body() -> None:
    body = (
        b'{"message": "Invalid parameter", "code": "invalid_param", "param": "limit", "type": "invalid_request_error"}'
    )
    exc = status_error(400, body, {})
    assert (exc.code, exc.param, exc.type) == ("invalid_param", "limit", "invalid_request_error")


@pytest.mark.parametrize(
    "body", [b'{"message": "x", "code": 7, "param": ["limit"], "type": null}', b"[1, 2]", b"plain text", b""]
)
def test_code_param_and_type_are_none_unless_the_body_has_them_as_strings(body: bytes) -> None:
    exc = status_error(400, body, {})
    assert (exc.code, exc.param, exc.type) == (None, None, None)


def test_connection_errors_have_the_sdk_fields_too() -> None:
    exc = APIConnectionError("Connection error.")
    assert (str(exc), exc.message, exc.args) == ("Connection error.", "Connection error.", ("Connection error.",))
    assert (exc.body, exc.code, exc.param, exc.type) == (None, None, None, None)


def test_without_a_server_message_the_summary_names_status_and_call() -> None:
    exc = status_error(502, b"upstream connect error", {}, method="POST", path="/runs/wait")
    assert str(exc) == "502 Bad Gateway (POST /runs/wait): upstream connect error"
    assert exc.message == str(exc) and exc.args == (str(exc),)
    assert exc.describe() == str(exc)


def test_a_non_json_rate_limit_is_still_a_rate_limit_error() -> None:
    exc = status_error(429, b"Too many requests", {})
    assert isinstance(exc, RateLimitError)
    assert exc.status_code == 429
    assert exc.body == "Too many requests"


def test_repr_shows_status_call_and_request_id() -> None:
    exc = status_error(
        422, b'{"message": "Validation failed"}', {"x-request-id": "req-1"}, method="GET", path="/threads/t"
    )
    assert repr(exc) == (
        "UnprocessableEntityError('Validation failed', status_code=422, method='GET', path='/threads/t', "
        "request_id='req-1')"
    )


@pytest.mark.skipif(sys.version_info < (3, 11), reason="exception notes arrived in Python 3.11")
def test_a_traceback_still_shows_the_status_and_call() -> None:
    exc = status_error(
        422, b'{"message": "Validation failed"}', {"x-request-id": "req-1"}, method="GET", path="/threads/t"
    )
    shown = "".join(traceback.format_exception_only(type(exc), exc))
    assert "Validation failed" in shown
    assert "422 Unprocessable Entity (GET /threads/t), request id req-1" in shown


def test_a_summary_message_gets_no_note_repeating_it() -> None:
    exc = status_error(503, b"", {}, method="GET", path="/ok")
    assert str(exc) == "503 Service Unavailable (GET /ok)"
    assert getattr(exc, "__notes__", []) == []


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
    [
        ("2", 2.0),
        ("0.5", 0.5),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
        ("-3", None),
        ("soon", None),
        ("Fri, 31 Dec 99999 23:59:59 GMT", None),
        ("nan", None),
        (None, None),
    ],
)
def test_rate_limit_error_exposes_retry_after(header: str | None, expected: float | None) -> None:
    headers = {} if header is None else {"Retry-After": header}
    exc = status_error(429, b'{"detail": "slow down"}', headers)
    assert isinstance(exc, RateLimitError)
    assert exc.retry_after == expected
    assert str(exc) == "slow down"


@pytest.mark.parametrize("status", [503, 500, 409])
def test_every_status_error_carries_retry_after(status: int) -> None:
    assert status_error(status, b"", {"retry-after": "120"}).retry_after == 120.0
    assert status_error(status, b"", {}).retry_after is None


def test_an_http_date_retry_after_is_read_as_seconds_from_now() -> None:
    in_two_minutes = formatdate(time.time() + 120, usegmt=True)
    seconds = status_error(503, b"", {"Retry-After": in_two_minutes}).retry_after
    assert seconds is not None and 110.0 <= seconds <= 120.0


def test_the_headers_are_kept_on_the_error() -> None:
    exc = status_error(409, b"{}", {"X-Thing": "1"})
    assert exc.headers == {"X-Thing": "1"}


def test_connection_errors_form_their_own_branch() -> None:
    assert issubclass(APITimeoutError, APIConnectionError)
    assert issubclass(StreamError, APIConnectionError)
    assert not issubclass(APIConnectionError, APIStatusError)
    assert APIConnectionError("x").request_sent is True
    assert APITimeoutError("x", request_sent=False).request_sent is False


def test_a_decode_error_is_not_a_connection_error_so_retrying_code_leaves_it_alone() -> None:
    assert issubclass(StreamDecodeError, APIError)
    assert not issubclass(StreamDecodeError, APIConnectionError)
    assert not issubclass(StreamDecodeError, StreamError)
    exc = StreamDecodeError("The 'values' event carried data that is not JSON")
    assert (str(exc), exc.message, exc.body) == ("The 'values' event carried data that is not JSON",) * 2 + (None,)


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


def test_run_errors_live_in_lgsync_errors_and_the_old_path_still_works() -> None:
    from lgsync.resources.runs import RunError as OldPathRunError

    assert OldPathRunError is RunError
    exc = RunError("KeyError", "'topic'", {"__error__": {"error": "KeyError", "message": "'topic'"}})
    assert isinstance(exc, LangGraphError) and not isinstance(exc, APIError)
    assert str(exc) == "KeyError: 'topic'"
    assert (exc.error, exc.message) == ("KeyError", "'topic'")
    assert exc.body == {"__error__": {"error": "KeyError", "message": "'topic'"}}


@pytest.mark.parametrize("cls", [RunFailedError, ProtocolError])
def test_thread_stream_errors_are_runtime_errors_as_in_the_sdk(cls: type[LangGraphError]) -> None:
    assert issubclass(cls, LangGraphError) and issubclass(cls, RuntimeError)
    assert not issubclass(cls, APIError)
    with pytest.raises(RuntimeError, match="Run errored: boom"):
        raise cls("Run errored: boom")


def _nested_list(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _nested_dict(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


def _deep_value(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


DEEP = 1000  # orjson accepts 1,024 levels; str() of this many fails with RecursionError


@pytest.mark.parametrize(
    "body",
    [
        b'{"detail": ' + _nested_list(DEEP) + b"}",
        b'{"message": ' + _nested_list(DEEP) + b"}",
        b'{"error": ' + _nested_dict(DEEP) + b"}",
        b'{"error": {"message": ' + _nested_list(DEEP) + b"}}",
        _nested_list(DEEP),
    ],
    ids=["detail", "message", "error", "error.message", "top-level"],
)
def test_a_deeply_nested_error_body_still_gives_the_typed_error(body: bytes) -> None:
    exc = status_error(500, body, {}, method="GET", path="/threads/t1")
    assert isinstance(exc, InternalServerError)
    assert str(exc).startswith("500 Internal Server Error (GET /threads/t1): ")
    assert len(str(exc)) < 500 and len(repr(exc)) < 600 and len(exc.describe()) < 500


def test_a_deeply_nested_body_through_a_client_call_is_the_typed_error() -> None:
    body = b'{"detail": ' + _nested_list(DEEP) + b"}"
    transport = MockTransport()
    transport.add(
        "GET",
        "/threads/{thread_id}",
        response=CannedResponse(500, (("Content-Type", "application/json"),), (body,)),
    )
    client = lgsync.get_sync_client(
        url="http://langgraph.test", api_key=None, transport=transport, retry=lgsync.Retry.disabled()
    )
    with client, pytest.raises(InternalServerError) as caught:
        client.threads.get("t1")
    assert caught.value.status_code == 500
    assert "[[[[" in str(caught.value) and len(str(caught.value)) < 500
    assert "InternalServerError(" in repr(caught.value)


def test_a_body_too_deep_for_the_stdlib_decoder_is_kept_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    monkeypatch.setattr(_json, "loads", json.loads)  # the decoder lgsync uses without orjson
    body = b'{"detail": ' + _nested_list(100_000) + b"}"
    exc = status_error(500, body, {})
    assert isinstance(exc, InternalServerError)
    assert exc.body == body.decode()
    assert len(str(exc)) < 500


def test_a_huge_server_message_is_cut() -> None:
    exc = status_error(400, b'{"message": "' + b"m" * 100_000 + b'"}', {})
    assert str(exc) == "m" * errors.MESSAGE_LIMIT + "…"
    assert exc.body == {"message": "m" * 100_000}


def test_a_failed_run_with_a_deeply_nested_error_gives_a_run_error() -> None:
    deep = _deep_value(DEEP)
    exc = RunError(deep, {"detail": deep}, {"__error__": {"error": deep}})
    assert str(exc).startswith("[[[[") and len(str(exc)) < 2 * errors.MESSAGE_LIMIT
    assert exc.error.endswith("]]]]")
    assert RunError(None, "x" * 100_000, {}).message == "x" * errors.MESSAGE_LIMIT + "…"
    assert str(RunError(None, None, {})) == "None: None"


@pytest.mark.parametrize(
    "value",
    [
        "plain text",
        {"loc": ["body", "input"], "msg": "field required", "ctx": None},
        [1, 2.5, True, None, "x'y\"z"],
        (1,),
        (),
        {1: {"nested": [{}]}},
        None,
        -7,
    ],
)
def test_bounded_str_is_str_for_ordinary_values(value: object) -> None:
    assert bounded_str(value) == str(value)


def test_bounded_str_cuts_long_and_deep_values() -> None:
    assert bounded_str(list(range(100_000)), limit=20) == "[0, 1, 2, 3, 4, 5, 6…"
    assert bounded_str({"k": "v" * 1000}, limit=10) == "{'k': 'vvv…"
    assert bounded_str(_deep_value(DEEP), limit=1000) == "[" * 21 + "…" + "]" * 21
    assert len(bounded_str(10**5000)) <= 301  # Python 3.11+ refuses str() of an int this long


def test_excerpt_reads_only_a_window_of_a_huge_body() -> None:
    assert excerpt("a " * 1_000_000, limit=10) == "a a a a a …"
    assert excerpt(b" " * 1_000_000 + b"tail", limit=10) == "…"


@pytest.mark.parametrize(
    "exc",
    [
        status_error(
            404, b'{"detail": "gone", "code": "c"}', {"x-request-id": "r", "Retry-After": "5"}, method="GET", path="/p"
        ),
        RunError("KeyError", "'topic'", {"__error__": {}}),
        APIConnectionError("refused", request_sent=False),
        StreamDecodeError("bad"),
        RunFailedError("Run errored"),
    ],
    ids=lambda exc: type(exc).__name__,
)
def test_errors_survive_pickling(exc: LangGraphError) -> None:
    copy = pickle.loads(pickle.dumps(exc))
    assert type(copy) is type(exc)
    assert copy.args == exc.args and str(copy) == str(exc)
    assert vars(copy) == vars(exc)
