"""``get_sync_client`` and ``SyncClient``: the blocking LangGraph client."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, Union

from lgsync._headers import check_header_value, merge_headers
from lgsync._sentinel import NOT_PROVIDED  # api_key's default: read the key from the environment
from lgsync._urls import redact_url
from lgsync._version import __version__
from lgsync.http import DEFAULT_MAX_RESPONSE_SIZE, HttpClient
from lgsync.resources.assistants import AssistantsClient
from lgsync.resources.crons import CronClient
from lgsync.resources.runs import RunsClient
from lgsync.resources.store import StoreClient
from lgsync.resources.threads import ThreadsClient
from lgsync.retry import Retry
from lgsync.sse import DEFAULT_MAX_EVENT_SIZE
from lgsync.timeouts import Timeout, TimeoutTypes
from lgsync.transport.base import Transport

__all__ = ["NOT_PROVIDED", "SyncClient", "get_sync_client"]

_KEY_VARIABLES = ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY")

TransportChoice = Union[str, Transport]


def _api_key(api_key: str | None) -> str | None:
    if isinstance(api_key, str):
        return api_key
    if api_key is NOT_PROVIDED:
        for name in _KEY_VARIABLES:
            value = os.environ.get(name)
            if value:
                return value.strip().strip("\"'")
    return None


def _transport(choice: TransportChoice) -> Transport:
    if isinstance(choice, str):
        if choice == "urllib3":
            from lgsync.transport.urllib3_transport import Urllib3Transport

            return Urllib3Transport()
        if choice == "requests":
            from lgsync.transport.requests_transport import RequestsTransport

            return RequestsTransport()
        raise ValueError(f"transport must be 'requests', 'urllib3' or a Transport instance, got {choice!r}")
    if not isinstance(choice, Transport):
        raise TypeError(f"transport must be 'requests', 'urllib3' or a Transport instance, got {choice!r}")
    return choice


def get_sync_client(
    *,
    url: str | None = None,
    api_key: str | None = NOT_PROVIDED,
    headers: Mapping[str, str] | None = None,
    timeout: TimeoutTypes | None = None,
    transport: TransportChoice = "urllib3",
    retry: Retry | None = None,
    stream_retry: Retry | None = None,
    max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
    max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
) -> SyncClient:
    """A blocking client for a LangGraph API server; a drop-in for `langgraph_sdk.get_sync_client`.

    Nothing is sent until the first call: connections are opened lazily and
    pooled per process, so a client made at import time works in every worker
    of a forking server.

    Args:
        url: The server's base URL. Default `http://localhost:8123`, as in the
            SDK (`langgraph dev` listens on `http://127.0.0.1:2024`).
        api_key: Sent as `x-api-key`. Left out, it is read from
            `LANGGRAPH_API_KEY`, `LANGSMITH_API_KEY` or `LANGCHAIN_API_KEY`
            (the first one set); `None` sends no key. It is never sent to
            another origin and appears in no repr, error or log.
        headers: Sent with every request (a call's own `headers` win).
            `x-api-key` is refused here: use `api_key`.
        timeout: Seconds for connect and read, a `(connect, read)` tuple, or a
            `lgsync.Timeout` (the only way to change the stream idle limit).
        transport: `"urllib3"` (the default), `"requests"`, or a transport
            instance, for example one wrapping your own `requests.Session` or
            `urllib3.PoolManager`, or a `lgsync.testing.MockTransport`.
        retry: The `lgsync.Retry` policy of ordinary calls (default: 3 tries
            after the first, only where it is safe).
        stream_retry: The `lgsync.Retry` policy of stream reconnects (default: 5
            attempts in a row, 0.25 s doubling to 5 s).
        max_event_size: The largest event a stream accepts, in bytes (64 MiB;
            counted as the memory the event holds while it is decoded).
        max_response_size: The largest ordinary answer read, in bytes (256 MiB).

    Returns:
        A `SyncClient`, to share between threads; close it (or use it as a
        context manager) to release its connections.

    Raises:
        ValueError: A header value with control characters, edge whitespace or
            characters outside Latin-1, `x-api-key` in `headers`, or an unknown
            transport name.
        TypeError: `transport` is neither a name nor a transport.

    Example:
        ```python
        import lgsync

        client = lgsync.get_sync_client(url="http://127.0.0.1:2024", transport="requests")
        thread = client.threads.create()
        for part in client.runs.stream(thread["thread_id"], "agent", input={"topic": "ice cream"}, stream_mode="updates"):
            print(part.data)
        ```
    """
    key = _api_key(api_key)
    for name, value in (headers or {}).items():
        check_header_value(name, value)
        if name.lower() == "x-api-key":
            raise ValueError("Cannot set reserved header 'x-api-key'; pass api_key= instead")
    all_headers = merge_headers({"User-Agent": f"lgsync/{__version__}"}, headers)
    if key:
        check_header_value("x-api-key", key)
        all_headers["x-api-key"] = key
    http = HttpClient(
        url or "http://localhost:8123",
        transport=_transport(transport),
        headers=all_headers,
        timeout=Timeout.coerce(timeout),
        retry=retry,
        stream_retry=stream_retry,
        max_event_size=max_event_size,
        max_response_size=max_response_size,
    )
    return SyncClient(http)


class SyncClient:
    """The sub-clients over one connection pool; made by `get_sync_client`.

    Attributes:
        assistants: `AssistantsClient`: assistants (a graph with a configuration).
        threads: `ThreadsClient`: threads, their state, and thread streams.
        runs: `RunsClient`: create, stream, wait for, join and cancel runs.
        crons: `CronClient`: scheduled runs.
        store: `StoreClient`: the server's key-value store.
        http: The `HttpClient` below them (`get`, `post`, `put`, `patch`,
            `delete`, `stream`), for endpoints the sub-clients do not cover.

    Safe to share between threads (and greenlets); it cannot be pickled, so
    make one per process. Use it as a context manager, or call `close()`.

    Example:
        ```python
        with lgsync.get_sync_client(url="http://127.0.0.1:2024") as client:
            print([a["graph_id"] for a in client.assistants.search(limit=5)])
        ```
    """

    def __init__(self, http: HttpClient) -> None:
        self.http = http
        self.assistants = AssistantsClient(http)
        self.threads = ThreadsClient(http)
        self.runs = RunsClient(http)
        self.crons = CronClient(http)
        self.store = StoreClient(http)

    def __repr__(self) -> str:
        return f"<lgsync.SyncClient {redact_url(self.http.base_url)} via {self.http.transport!r}>"

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection."""
        self.http.close()

    def __getstate__(self) -> Any:
        raise TypeError("A SyncClient holds connections and cannot be pickled; create one per process")
