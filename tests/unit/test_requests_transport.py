"""The requests transport against the ``responses`` library: statuses, JSON, headers, failures.

``responses`` replaces the network below ``requests``; everything above it (the transport,
the HTTP layer, the resource clients) is the real code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
import responses
from responses import matchers

import lgsync
from lgsync.errors import (
    APIConnectionError,
    APITimeoutError,
    InternalServerError,
    LangGraphError,
    NotFoundError,
    RateLimitError,
)

BASE = "http://lg.test:2024"


@pytest.fixture
def rsps() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=True) as mock:
        yield mock


def _client(**kwargs: object) -> lgsync.SyncClient:
    options: dict[str, object] = {
        "url": BASE,
        "api_key": None,
        "transport": lgsync.RequestsTransport(),
        "retry": lgsync.Retry.disabled(),
    }
    options.update(kwargs)
    return lgsync.get_sync_client(**options)  # type: ignore[arg-type]


def test_a_404_becomes_not_found_error(rsps: responses.RequestsMock) -> None:
    rsps.get(BASE + "/threads/t1", json={"detail": "Thread not found"}, status=404, headers={"x-request-id": "rq-9"})

    with pytest.raises(NotFoundError) as info:
        _client().threads.get("t1")

    assert info.value.status_code == 404
    assert info.value.request_id == "rq-9"
    assert "Thread not found" in str(info.value)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_5xx_becomes_internal_server_error(rsps: responses.RequestsMock, status: int) -> None:
    rsps.get(BASE + "/threads/t1", body="upstream failed", status=status)

    with pytest.raises(InternalServerError) as info:
        _client().threads.get("t1")

    assert info.value.status_code == status
    assert "upstream failed" in str(info.value)


def test_a_429_becomes_rate_limit_error_with_retry_after(rsps: responses.RequestsMock) -> None:
    rsps.get(BASE + "/threads/t1", json={"detail": "Too many requests"}, status=429, headers={"Retry-After": "7"})

    with pytest.raises(RateLimitError) as info:
        _client().threads.get("t1")

    assert info.value.retry_after == 7.0


def test_an_idempotent_call_is_retried_after_a_503(rsps: responses.RequestsMock) -> None:
    rsps.get(BASE + "/threads/t1", status=503)
    rsps.get(BASE + "/threads/t1", json={"thread_id": "t1"})
    client = _client(retry=lgsync.Retry(total=2, backoff_factor=0.0, jitter=0.0))

    assert client.threads.get("t1") == {"thread_id": "t1"}
    assert len(rsps.calls) == 2


def test_a_post_is_not_retried_after_a_503(rsps: responses.RequestsMock) -> None:
    rsps.post(BASE + "/threads", status=503)
    client = _client(retry=lgsync.Retry(total=2, backoff_factor=0.0, jitter=0.0))

    with pytest.raises(InternalServerError):
        client.threads.create()
    assert len(rsps.calls) == 1


def test_json_round_trip(rsps: responses.RequestsMock) -> None:
    payload = {"metadata": {"name": "é✓", "n": 1, "nested": [1, None, True]}}
    rsps.post(
        BASE + "/threads",
        json={"thread_id": "t1", "metadata": payload["metadata"]},
        status=200,
        match=[matchers.json_params_matcher(payload, strict_match=False)],
    )

    answer = _client().threads.create(metadata=payload["metadata"])

    assert answer == {"thread_id": "t1", "metadata": payload["metadata"]}
    sent = rsps.calls[0].request
    assert sent.headers["Content-Type"] == "application/json"
    assert json.loads(sent.body)["metadata"] == payload["metadata"]


def test_an_empty_answer_is_none(rsps: responses.RequestsMock) -> None:
    rsps.delete(BASE + "/threads/t1", status=204)

    assert _client().threads.delete("t1") is None


def test_headers_are_sent(rsps: responses.RequestsMock) -> None:
    rsps.get(
        BASE + "/threads/t1",
        json={},
        match=[
            matchers.header_matcher(
                {"x-api-key": "sk-1", "X-Tenant": "acme", "X-Call": "yes", "Accept": "application/json"}
            )
        ],
    )

    _client(api_key="sk-1", headers={"X-Tenant": "acme"}).threads.get("t1", headers={"X-Call": "yes"})

    assert rsps.calls[0].request.headers["User-Agent"] == f"lgsync/{lgsync.__version__}"


def test_a_users_session_keeps_its_headers_and_auth(rsps: responses.RequestsMock) -> None:
    session = requests.Session()
    session.headers["X-Session"] = "s1"
    session.auth = ("user", "pass")
    rsps.get(BASE + "/threads/t1", json={})

    _client(transport=lgsync.RequestsTransport(session)).threads.get("t1")

    sent = rsps.calls[0].request.headers
    assert sent["X-Session"] == "s1"
    assert sent["Authorization"].startswith("Basic ")


def test_a_stream_is_decoded_into_stream_parts(rsps: responses.RequestsMock) -> None:
    body = (
        b'event: metadata\r\ndata: {"run_id": "r1"}\r\nid: 1-0\r\n\r\n'
        b'event: values\r\ndata: {"n": 1}\r\nid: 2-0\r\n\r\n'
        b"event: end\r\n\r\n"
    )
    rsps.get(
        BASE + "/threads/t1/runs/r1/stream",
        body=body,
        content_type="text/event-stream",
        match=[matchers.header_matcher({"Accept": "text/event-stream", "Accept-Encoding": "identity"})],
    )

    parts = list(_client().runs.join_stream("t1", "r1"))

    assert parts == [
        lgsync.StreamPart("metadata", {"run_id": "r1"}, "1-0"),
        lgsync.StreamPart("values", {"n": 1}, "2-0"),
        lgsync.StreamPart("end", None, "2-0"),
    ]


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (requests.exceptions.ConnectionError("connection refused"), APIConnectionError),
        (requests.exceptions.ReadTimeout("read timed out"), APITimeoutError),
        (requests.exceptions.ConnectTimeout("connect timed out"), APITimeoutError),
        (requests.exceptions.ChunkedEncodingError("bad chunk"), APIConnectionError),
        (requests.exceptions.SSLError("certificate verify failed"), APIConnectionError),
    ],
)
def test_requests_exceptions_become_lgsync_errors(
    rsps: responses.RequestsMock, raised: Exception, expected: type[Exception]
) -> None:
    rsps.get(BASE + "/threads/t1", body=raised)

    with pytest.raises(expected) as info:
        _client().threads.get("t1")

    assert type(info.value).__module__.startswith("lgsync")
    assert isinstance(info.value, LangGraphError)
    assert not isinstance(info.value, requests.exceptions.RequestException)


def test_a_connect_timeout_is_known_not_to_have_reached_the_server(rsps: responses.RequestsMock) -> None:
    rsps.get(BASE + "/threads/t1", body=requests.exceptions.ConnectTimeout("connect timed out"))

    with pytest.raises(APITimeoutError) as info:
        _client().threads.get("t1")

    assert info.value.request_sent is False


def test_a_connection_error_is_retried_for_an_idempotent_call(rsps: responses.RequestsMock) -> None:
    rsps.get(BASE + "/threads/t1", body=requests.exceptions.ConnectionError("reset"))
    rsps.get(BASE + "/threads/t1", json={"thread_id": "t1"})

    client = _client(retry=lgsync.Retry(total=1, backoff_factor=0.0, jitter=0.0))

    assert client.threads.get("t1") == {"thread_id": "t1"}


def test_a_users_response_hooks_still_run_and_see_the_redirect(rsps: responses.RequestsMock) -> None:
    rsps.get(BASE + "/a", status=302, headers={"Location": "/b"}, body=b"moved")
    seen: list[tuple[int, str | None]] = []
    session = requests.Session()
    session.hooks["response"].append(lambda r, **kwargs: seen.append((r.status_code, r.headers.get("location"))))
    transport = lgsync.RequestsTransport(session)

    response = transport.send(lgsync.Request("GET", BASE + "/a"), timeout=lgsync.Timeout())

    assert seen == [(302, "/b")]
    assert response.status_code == 302
    assert response.headers["location"] == "/b"
    assert response.read() == b"moved"  # unread until asked for
    response.close()
