"""URL, query and header building, path quoting, and the ``Timeout``/``Retry`` values.

The client is driven through its public API over a transport that records requests and
answers ``{}``: what is under test is what lgsync asks the transport to send.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator, Mapping

import pytest

import lgsync
from lgsync.http import HttpClient, encode_params
from lgsync.resources._shared import quote_path_param
from lgsync.testing import MockTransport
from lgsync.transport.base import Headers, check_header_value


class _Answer:
    """A complete ``{}`` JSON answer."""

    def __init__(self, url: str) -> None:
        self.status_code = 200
        self.headers = Headers({"Content-Type": "application/json"})
        self.url = url

    def read(self) -> bytes:
        return b"{}"

    def iter_bytes(self) -> Iterator[bytes]:
        yield b"{}"

    def close(self) -> None:
        pass


class RecordingTransport:
    """Records each request and answers ``{}``."""

    def __init__(self) -> None:
        self.requests: list[lgsync.Request] = []

    def send(self, request: lgsync.Request, *, timeout: lgsync.Timeout) -> _Answer:
        self.requests.append(request)
        return _Answer(request.url)

    def close(self) -> None:
        pass


def _client(**kwargs: object) -> tuple[lgsync.SyncClient, RecordingTransport]:
    transport = RecordingTransport()
    options: dict[str, object] = {"url": "http://lg.test:2024", "api_key": None, "transport": transport}
    options.update(kwargs)
    return lgsync.get_sync_client(**options), transport  # type: ignore[arg-type]


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


# Query strings.


@pytest.mark.parametrize(
    ("params", "query"),
    [
        ({"limit": 10, "wait": True, "status": None}, "limit=10&wait=true"),
        ({"wait": False}, "wait=false"),
        ({"status": None}, ""),
        ({"select": ["a", "b"]}, "select=a&select=b"),
        ({"select": ("a", None, "b")}, "select=a&select=b"),
        ({"q": "a b&c=d/é"}, "q=a+b%26c%3Dd%2F%C3%A9"),
        ([("a", 1), ("a", 2), ("b", None)], "a=1&a=2"),
        ("?x=1&y=2", "x=1&y=2"),
        (b"x=1", "x=1"),
        (None, ""),
        ({}, ""),
        ({"n": 0, "f": 1.5}, "n=0&f=1.5"),
    ],
)
def test_encode_params(params: object, query: str) -> None:
    assert encode_params(params) == query  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base", "path", "params", "url"),
    [
        ("http://h:1", "/threads", None, "http://h:1/threads"),
        ("http://h:1/", "/threads", {"limit": 2}, "http://h:1/threads?limit=2"),
        ("http://h:1/api/", "/threads", None, "http://h:1/api/threads"),
        ("http://h:1", "/threads?a=1", {"b": True}, "http://h:1/threads?a=1&b=true"),
        ("http://h:1", "http://h:1/other", {"b": 1}, "http://h:1/other?b=1"),
    ],
)
def test_url_building(base: str, path: str, params: object, url: str) -> None:
    http = HttpClient(base, transport=RecordingTransport())
    assert http.url(path, params) == url  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["ftp://h/", "h:2024", "http://", "/relative"])
def test_a_base_url_that_is_not_http_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        lgsync.get_sync_client(url=url, api_key=None)


def test_query_params_reach_the_transport() -> None:
    client, transport = _client()
    client.runs.list("t1", limit=5, status="running", select=["run_id", "status"])
    assert transport.requests[0].url == (
        "http://lg.test:2024/threads/t1/runs?limit=5&offset=0&status=running&select=run_id&select=status"
    )


# Headers.


def test_default_headers() -> None:
    client, transport = _client(api_key="sk-1")
    client.threads.get("t1")
    headers = _lower(transport.requests[0].headers)
    assert headers["x-api-key"] == "sk-1"
    assert headers["user-agent"] == f"lgsync/{lgsync.__version__}"
    assert headers["accept"] == "application/json"
    assert "content-type" not in headers


def test_a_json_body_is_sent_with_its_content_type() -> None:
    client, transport = _client()
    client.threads.create(metadata={"a": 1})
    request = transport.requests[0]
    assert request.method == "POST"
    assert _lower(request.headers)["content-type"] == "application/json"
    assert request.body is not None and b'"metadata"' in request.body


def test_client_and_call_headers_are_sent_and_the_call_wins() -> None:
    client, transport = _client(headers={"X-Tenant": "a", "X-Env": "prod"})
    client.threads.get("t1", headers={"X-Tenant": "b"})
    client.threads.get("t2")
    first, second = (_lower(r.headers) for r in transport.requests)
    assert (first["x-tenant"], first["x-env"]) == ("b", "prod")
    assert (second["x-tenant"], second["x-env"]) == ("a", "prod")


def test_the_api_key_is_read_from_the_environment_unless_none(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LANGSMITH_API_KEY", raising=False)
    monkeypatch.delenv("LANGCHAIN_API_KEY", raising=False)
    monkeypatch.setenv("LANGGRAPH_API_KEY", "sk-env")
    transport = RecordingTransport()
    lgsync.get_sync_client(url="http://lg.test", transport=transport).threads.get("t1")
    lgsync.get_sync_client(url="http://lg.test", transport=transport, api_key=None).threads.get("t1")
    with_env, without = (_lower(r.headers) for r in transport.requests)
    assert with_env["x-api-key"] == "sk-env"
    assert "x-api-key" not in without


@pytest.mark.parametrize("value", ["a\r\nX-Injected: 1", "a\nb", "a\rb", "a\0b"])
def test_client_header_values_with_cr_lf_or_nul_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        _client(headers={"X-Tenant": value})


@pytest.mark.parametrize(("name", "value"), [("X-Tenant", "a\r\nX-Injected: 1"), ("X-Bad\r\nName", "v")])
def test_call_headers_with_cr_or_lf_are_refused_before_sending(name: str, value: str) -> None:
    client, transport = _client()
    with pytest.raises(ValueError):
        client.threads.get("t1", headers={name: value})
    with pytest.raises(ValueError):
        client.runs.join_stream("t1", "r1", headers={name: value})
    assert transport.requests == []


def test_check_header_value() -> None:
    check_header_value("X-Ok", "fine value")
    with pytest.raises(ValueError):
        check_header_value("X", "a\nb")
    with pytest.raises(TypeError):
        check_header_value("X", 5)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", ["x-api-key", "X-API-Key", "X-Api-Key"])
def test_x_api_key_is_reserved(name: str) -> None:
    with pytest.raises(ValueError):
        _client(headers={name: "sk-sneaky"})
    client, transport = _client(api_key="sk-real")
    with pytest.raises(ValueError):
        client.threads.get("t1", headers={name: "sk-sneaky"})
    assert transport.requests == []


def test_the_api_key_is_in_no_repr() -> None:
    client, transport = _client(api_key="sk-very-secret")
    client.threads.get("t1")
    assert "sk-very-secret" not in repr(client)
    assert "sk-very-secret" not in repr(client.http)
    assert "sk-very-secret" not in repr(transport.requests[0])


# Path parameters.


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("...", "%2E%2E%2E"),
        ("a/b", "a%2Fb"),
        ("../admin", "..%2Fadmin"),
        ("a b?c#d%", "a%20b%3Fc%23d%25"),
        ("a.b", "a.b"),
        ("thread-1_x~", "thread-1_x~"),
        (uuid.UUID(int=1), "00000000-0000-0000-0000-000000000001"),
        (42, "42"),
    ],
)
def test_quote_path_param(value: object, quoted: str) -> None:
    assert quote_path_param(value) == quoted


@pytest.mark.parametrize(("value", "error"), [(None, TypeError), ("", ValueError), (b"t1", TypeError)])
def test_quote_path_param_refuses_non_ids(value: object, error: type[Exception]) -> None:
    with pytest.raises(error):
        quote_path_param(value)


@pytest.mark.parametrize(("thread_id", "path"), [("..", "/threads/%2E%2E"), ("a/b", "/threads/a%2Fb")])
def test_ids_are_quoted_in_request_urls(thread_id: str, path: str) -> None:
    client, transport = _client()
    client.threads.get(thread_id)
    client.runs.get(thread_id, "..")
    assert transport.requests[0].url == "http://lg.test:2024" + path
    assert transport.requests[1].url == "http://lg.test:2024" + path + "/runs/%2E%2E"


# Timeout.


def test_timeout_coerce() -> None:
    default = lgsync.Timeout()
    assert lgsync.Timeout.coerce(None) == default
    assert lgsync.Timeout.coerce(default) is default
    # A number never lowers the stream idle limit: a quiet healthy run must survive timeout=5.
    assert lgsync.Timeout.coerce(5) == lgsync.Timeout(connect=5.0, read=5.0, stream_idle=20.0)
    assert lgsync.Timeout.coerce(60.0) == lgsync.Timeout(connect=60.0, read=60.0, stream_idle=default.stream_idle)
    assert lgsync.Timeout.coerce((2, 30)) == lgsync.Timeout(connect=2.0, read=30.0, stream_idle=default.stream_idle)


@pytest.mark.parametrize("value", [True, "5", (1, 2, 3), [1, 2]])
def test_timeout_coerce_refuses_other_shapes(value: object) -> None:
    with pytest.raises(TypeError):
        lgsync.Timeout.coerce(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [0, -1.0, (0, 5), (5, -1)])
def test_timeout_must_be_positive(value: object) -> None:
    with pytest.raises(ValueError):
        lgsync.Timeout.coerce(value)  # type: ignore[arg-type]


def test_timeout_is_an_immutable_value() -> None:
    timeout = lgsync.Timeout(connect=1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        timeout.connect = 2.0  # type: ignore[misc]
    assert timeout.with_(read=3.0) == lgsync.Timeout(connect=1.0, read=3.0)
    assert timeout.read == lgsync.Timeout().read


def test_the_client_passes_its_timeout_to_the_transport() -> None:
    seen: list[lgsync.Timeout] = []

    class Spy(RecordingTransport):
        def send(self, request: lgsync.Request, *, timeout: lgsync.Timeout) -> _Answer:
            seen.append(timeout)
            return super().send(request, timeout=timeout)

    lgsync.get_sync_client(url="http://lg.test", api_key=None, transport=Spy(), timeout=(2, 30)).threads.get("t1")
    # A transport applies connect and read only: an ordinary answer gets the client's limits as they are.
    assert seen == [lgsync.Timeout(connect=2.0, read=30.0)]


def test_an_event_stream_is_read_under_the_idle_limit() -> None:
    transport = MockTransport()
    transport.add_stream("POST", "/runs/stream", [("metadata", {"run_id": "r-1"})])
    timeout = lgsync.Timeout(connect=2.0, read=300.0, stream_idle=7.0)
    with lgsync.get_sync_client(url="http://lg.test", api_key=None, transport=transport, timeout=timeout) as client:
        list(client.runs.stream(None, "agent"))

    (sent,) = transport.requests
    assert sent.stream
    # The client decides: the stream's idle limit travels as the transport's read limit.
    assert (sent.timeout.connect, sent.timeout.read) == (2.0, 7.0)


def test_a_timeout_replaced_on_a_live_client_reaches_its_streams_and_its_calls() -> None:
    transport = MockTransport()
    transport.add("GET", "/threads/t1", json={"thread_id": "t1"})
    transport.add_stream("GET", "/threads/t1/runs/r1/stream", [("metadata", {"run_id": "r1"})])
    first = lgsync.Timeout(connect=2.0, read=5.0, stream_idle=20.0)
    with lgsync.get_sync_client(url="http://lg.test", api_key=None, transport=transport, timeout=first) as client:
        list(client.runs.join_stream("t1", "r1"))
        client.http.timeout = lgsync.Timeout(connect=1.0, read=1.0, stream_idle=2.0)
        list(client.runs.join_stream("t1", "r1"))
        client.threads.get("t1")

    assert [(r.stream, r.timeout.connect, r.timeout.read) for r in transport.requests] == [
        (True, 2.0, 20.0),
        (True, 1.0, 2.0),  # the new stream idle limit, not the one the client was made with
        (False, 1.0, 1.0),
    ]


def test_an_answer_whose_retry_after_is_too_long_to_wait_is_closed_once_its_error_is_read() -> None:
    transport = MockTransport()
    transport.add("GET", "/threads/t1", json={"detail": "slow down"}, status=429, headers={"Retry-After": "3600"})
    with lgsync.get_sync_client(url="http://lg.test", api_key=None, transport=transport) as client:
        with pytest.raises(lgsync.errors.RateLimitError) as caught:
            client.threads.get("t1")

    assert caught.value.retry_after == 3600
    assert str(caught.value) == "slow down"
    (answer,) = transport.responses
    assert answer.closed  # not left for the garbage collector to close


# Retry.


def test_backoff_doubles_from_the_factor_up_to_the_cap() -> None:
    retry = lgsync.Retry(backoff_factor=0.5, backoff_max=3.0, jitter=0.0)
    assert [retry.backoff(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_backoff_jitter_stays_within_its_fraction() -> None:
    retry = lgsync.Retry(backoff_factor=1.0, backoff_max=10.0, jitter=0.25)
    delays = [retry.backoff(2) for _ in range(200)]
    assert all(2.0 <= d <= 2.5 for d in delays)
    assert len(set(delays)) > 1


def test_backoff_honours_retry_after_up_to_its_limit() -> None:
    retry = lgsync.Retry(retry_after_max=30.0)
    assert retry.backoff(1, retry_after=4.0) == 4.0
    assert retry.backoff(1, retry_after=300.0) == 30.0
    assert retry.backoff(1, retry_after=-5.0) == 0.0


def test_retry_methods_statuses_and_validation() -> None:
    retry = lgsync.Retry()
    assert retry.allows_method("get") and retry.allows_method("PUT") and not retry.allows_method("POST")
    assert retry.allows_status(503) and retry.allows_status(429) and not retry.allows_status(404)
    assert lgsync.Retry.disabled().total == 0
    assert retry.with_(total=7).total == 7 and retry.total == 3
    with pytest.raises(ValueError):
        lgsync.Retry(total=-1)
    with pytest.raises(ValueError):
        lgsync.Retry(backoff_factor=-1.0)


def test_the_urllib3_transport_makes_one_timeout_per_pair_of_limits_and_keeps_few() -> None:
    transport = lgsync.Urllib3Transport()
    first = transport._timeout_for(2.0, 30.0)
    assert transport._timeout_for(2.0, 30.0) is first
    assert (first.connect_timeout, first.read_timeout) == (2.0, 30.0)
    other = transport._timeout_for(2.0, 5.0)
    assert other is not first and (other.connect_timeout, other.read_timeout) == (2.0, 5.0)
    for read in range(1, 100):
        assert transport._timeout_for(1.0, float(read)).read_timeout == float(read)
        assert len(transport._timeouts) <= 16
