"""Port of langgraph-sdk 0.4.14 ``tests/test_errors.py``: an error answer as the caller sees it.

The SDK tests call its private ``_raise_for_status_typed`` on a bare
response; here the same answers come back to a public call
(``threads.get``), which is how a user meets them.
"""

from __future__ import annotations

import pytest

import lgsync
from lgsync import errors
from lgsync.testing import CannedResponse, MockTransport

BY_STATUS = [
    (400, errors.BadRequestError),
    (401, errors.AuthenticationError),
    (403, errors.PermissionDeniedError),
    (404, errors.NotFoundError),
    (409, errors.ConflictError),
    (422, errors.UnprocessableEntityError),
    (429, errors.RateLimitError),
    (500, errors.InternalServerError),
    (503, errors.InternalServerError),
    (418, errors.APIStatusError),
]


def _failing_get(client: lgsync.SyncClient, mock: MockTransport, code: int, **answer: object) -> errors.APIStatusError:
    mock.add("GET", "/threads/th-broken", status=code, **answer)  # type: ignore[arg-type]
    with pytest.raises(errors.APIStatusError) as caught:
        client.threads.get("th-broken")
    return caught.value


@pytest.mark.parametrize(("code", "expected"), BY_STATUS, ids=[str(c) for c, _ in BY_STATUS])
def test_each_status_maps_to_its_class_with_the_status_code(
    client: lgsync.SyncClient, mock: MockTransport, code: int, expected: type[errors.APIStatusError]
) -> None:
    """SDK: tests/test_errors.py::test_raise_for_status_typed_maps_exceptions_and_sets_status_code."""
    err = _failing_get(
        client, mock, code, json={"message": "kaput", "code": "c-9", "param": "limit", "type": "bad_input"}
    )

    assert type(err) is expected
    assert err.status_code == code


@pytest.mark.sdk_difference
def test_status_errors_carry_status_and_headers_not_an_httpx_response(
    client: lgsync.SyncClient, mock: MockTransport
) -> None:
    """SDK: tests/test_errors.py::test_raise_for_status_typed_maps_exceptions_and_sets_status_code.

    The SDK's errors hold the ``httpx.Response`` as ``.response``; lgsync's
    carry ``.status_code``, ``.headers`` and ``.body`` instead (README,
    "Exceptions").
    """
    err = _failing_get(client, mock, 404, json={"detail": "gone"}, headers={"X-Trace": "tr-1"})

    assert not hasattr(err, "response")
    assert err.status_code == 404
    assert err.headers["X-Trace"] == "tr-1"
    assert err.body == {"detail": "gone"}


def test_request_id_comes_from_the_header(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_errors.py::test_request_id_is_extracted_when_present."""
    err = _failing_get(client, mock, 404, json={"detail": "nope"}, headers={"x-request-id": "rq-5150"})

    assert isinstance(err, errors.NotFoundError)
    assert err.request_id == "rq-5150"


def test_a_body_that_is_not_json_still_maps(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_errors.py::test_non_json_body_does_not_break_mapping."""
    mock.add("GET", "/threads/th-busy", response=CannedResponse(429, (), (b"Slow down please",)))

    with pytest.raises(errors.RateLimitError) as caught:
        client.threads.get("th-busy")

    assert caught.value.status_code == 429


def test_code_param_and_type_come_from_the_body(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_errors.py::test_field_extraction_from_json_body."""
    err = _failing_get(
        client,
        mock,
        400,
        json={"message": "limit too big", "code": "limit_range", "param": "limit", "type": "invalid_request"},
    )

    assert isinstance(err, errors.BadRequestError)
    assert (err.code, err.param, err.type) == ("limit_range", "limit", "invalid_request")  # type: ignore[attr-defined]


def test_message_str_and_args_are_the_servers_message(client: lgsync.SyncClient, mock: MockTransport) -> None:
    """SDK: tests/test_errors.py::test_error_message_in_str_and_args."""
    err = _failing_get(client, mock, 422, json={"message": "Field 'x' is required"})

    assert isinstance(err, errors.UnprocessableEntityError)
    assert err.message == "Field 'x' is required"
    assert str(err) == "Field 'x' is required"
    assert err.args == ("Field 'x' is required",)


@pytest.mark.parametrize(("code", "expected"), BY_STATUS[:8], ids=[str(c) for c, _ in BY_STATUS[:8]])
def test_every_class_shows_the_servers_message(
    client: lgsync.SyncClient, mock: MockTransport, code: int, expected: type[errors.APIStatusError]
) -> None:
    """SDK: tests/test_errors.py::test_all_error_types_display_message."""
    err = _failing_get(client, mock, code, json={"message": "a readable reason"})

    assert type(err) is expected
    assert str(err) == "a readable reason"
    assert "a readable reason" in err.args
