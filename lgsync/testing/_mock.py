"""``MockTransport``: routes by method and path to canned answers, and records every request."""

from __future__ import annotations

import json as _json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

from lgsync.errors import APIConnectionError
from lgsync.testing._canned import CannedResponse, EventLike, MockResponse, json_response, sse_response
from lgsync.timeouts import Timeout
from lgsync.transport.base import Headers, Request, Response

__all__ = ["Handler", "MockTransport", "RecordedRequest", "Route", "UnmatchedRequestError"]

#: A route's dynamic answer: ``(request, path_params) -> CannedResponse``.
Handler = Callable[["RecordedRequest", "dict[str, str]"], CannedResponse]


class UnmatchedRequestError(AssertionError):
    """A request reached the ``MockTransport`` that no route matches."""


@dataclass(frozen=True)
class RecordedRequest:
    """A request the ``MockTransport`` received, with helpers to inspect it."""

    request: Request
    timeout: Timeout

    @property
    def stream(self) -> bool:
        """Whether the request asked for an event stream (``Accept: text/event-stream``)."""
        accept = self.headers.get("accept", "")
        return accept.split(";", 1)[0].strip().lower() == "text/event-stream"

    @property
    def method(self) -> str:
        return self.request.method

    @property
    def url(self) -> str:
        return self.request.url

    @property
    def path(self) -> str:
        return urlsplit(self.request.url).path

    @property
    def headers(self) -> Headers:
        return Headers(dict(self.request.headers))

    @property
    def params(self) -> dict[str, list[str]]:
        """The query string, each key with its list of values."""
        return parse_qs(urlsplit(self.request.url).query, keep_blank_values=True)

    @property
    def body(self) -> bytes | None:
        return self.request.body

    def json(self) -> Any:
        """The body decoded as JSON (``None`` if there is none)."""
        return _json.loads(self.request.body) if self.request.body else None


def _compile(pattern: str | re.Pattern[str]) -> re.Pattern[str]:
    if isinstance(pattern, re.Pattern):
        return pattern
    parts = re.split(r"(\{[A-Za-z_][A-Za-z0-9_]*\})", pattern)
    regex = "".join(f"(?P<{p[1:-1]}>[^/]+)" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(regex)


@dataclass
class Route:
    """One method and path pattern, its answers, and the requests it got.

    Answers are used in turn, the last one for every call after; a
    ``handler`` computes each answer instead.
    """

    method: str
    pattern: re.Pattern[str]
    responses: list[CannedResponse] = field(default_factory=list)
    handler: Handler | None = None
    calls: list[RecordedRequest] = field(default_factory=list)

    def match(self, method: str, path: str) -> dict[str, str] | None:
        if method.upper() != self.method and self.method != "*":
            return None
        found = self.pattern.fullmatch(path)
        return found.groupdict() if found else None

    def answer(self, recorded: RecordedRequest, params: dict[str, str]) -> CannedResponse:
        if self.handler is not None:
            return self.handler(recorded, params)
        index = min(len(self.calls) - 1, len(self.responses) - 1)
        return self.responses[index]


class MockTransport:
    """A :class:`~lgsync.Transport` that serves canned answers from memory.

    Routes match the method (``"*"`` for any) and the URL path: a pattern
    string with ``{name}`` placeholders for one path segment, or a compiled
    regex. The first route added that matches wins. A request no route
    matches raises :class:`UnmatchedRequestError` (``strict=False``: a 404
    answer instead). ``requests`` holds every request received, in order.

    Example::

        transport = MockTransport()
        transport.add("GET", "/threads/{thread_id}/runs/{run_id}", json={"status": "success"})
        client = lgsync.get_sync_client(url="http://langgraph.test", api_key=None, transport=transport)
        assert client.runs.get("t", "r")["status"] == "success"
    """

    def __init__(self, *, strict: bool = True) -> None:
        self.strict = strict
        self.routes: list[Route] = []
        self.requests: list[RecordedRequest] = []
        self.responses: list[MockResponse] = []
        self.closed = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<MockTransport {len(self.routes)} routes, {len(self.requests)} requests>"

    def add(
        self,
        method: str,
        path: str | re.Pattern[str],
        *,
        json: Any = None,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        response: CannedResponse | Sequence[CannedResponse] | None = None,
        handler: Handler | None = None,
    ) -> Route:
        """Route `method path` to a JSON answer, canned responses, or a handler.

        Args:
            method: An HTTP method, or `"*"` for any.
            path: A pattern with `{name}` placeholders for one path segment
                (`"/threads/{thread_id}"`), or a compiled regex matched against the
                whole path. The first route added that matches wins.
            json: The answer's JSON body.
            status: The answer's status (an error status makes the client raise
                the matching `lgsync.errors` exception).
            headers: The answer's headers.
            response: A `CannedResponse` (from `json_response` or `sse_response`),
                or a list of them used in turn, the last one for every call after.
            handler: `handler(request, path_params) -> CannedResponse`, called for
                each request instead.

        Returns:
            The `Route`; its `calls` are the requests it answered.

        Example:
            ```python
            transport = MockTransport()
            transport.add("POST", "/threads", json={"thread_id": "t-1"})
            transport.add("GET", "/threads/{thread_id}", status=404, json={"detail": "Thread not found"})
            client = lgsync.get_sync_client(url="http://langgraph.test", api_key=None, transport=transport)
            assert client.threads.create() == {"thread_id": "t-1"}
            ```
        """
        if response is None and handler is None:
            responses = [json_response(json, status=status, headers=headers)]
        elif isinstance(response, CannedResponse):
            responses = [response]
        else:
            responses = list(response or [])
        route = Route(method.upper(), _compile(path), responses, handler)
        with self._lock:
            self.routes.append(route)
        return route

    def add_stream(
        self,
        method: str,
        path: str | re.Pattern[str],
        events: Iterable[EventLike],
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        location: str | None = None,
        drop: bool = False,
        pause: float = 0.0,
    ) -> Route:
        """Route `method path` to an event stream of `events`.

        Args:
            method: An HTTP method, or `"*"` for any.
            path: A pattern, as for `add`.
            events: `StreamPart`s, `(event, data)` or `(event, data, id)` tuples
                (data sent as JSON), or raw bytes sent as they are (comments,
                `retry:` lines).
            status: The answer's status.
            headers: The answer's headers (`Content-Type: text/event-stream` is set).
            location: Sent as `Location`: the run's stream, which lgsync reconnects
                to after a drop (a route for it answers the resume).
            drop: End the body with a broken connection after the events, as a
                network cut would (off by default: the stream ends cleanly).
            pause: Seconds to wait before each event.

        Returns:
            The `Route`; its `calls` are the requests it answered.

        Example:
            ```python
            transport = MockTransport()
            transport.add_stream("POST", "/runs/stream", [("metadata", {"run_id": "r-1"}), ("values", {"n": 1})])
            client = lgsync.get_sync_client(url="http://langgraph.test", api_key=None, transport=transport)
            assert [p.event for p in client.runs.stream(None, "agent")] == ["metadata", "values"]
            ```
        """
        canned = sse_response(events, status=status, headers=headers, location=location, drop=drop, pause=pause)
        return self.add(method, path, response=canned)

    def send(self, request: Request, *, timeout: Timeout) -> Response:
        """Answer ``request`` from the first matching route, its body unread (as every transport does)."""
        if self.closed:
            raise APIConnectionError("The MockTransport was closed", request_sent=False)
        recorded = RecordedRequest(request, timeout)
        path = urlsplit(request.url).path
        with self._lock:
            self.requests.append(recorded)
            for route in self.routes:
                params = route.match(request.method, path)
                if params is not None:
                    route.calls.append(recorded)
                    break
            else:
                route, params = None, None
        if route is None or params is None:
            if self.strict:
                known = ", ".join(f"{r.method} {r.pattern.pattern}" for r in self.routes) or "none"
                raise UnmatchedRequestError(f"No route for {request.method} {path} (routes: {known})")
            canned = json_response({"detail": "Not Found"}, status=404)
        else:
            canned = route.answer(recorded, params)
        response = canned.build(request.url)
        with self._lock:
            self.responses.append(response)
        return response

    def close(self) -> None:
        """Refuse further requests (as a closed pool would)."""
        self.closed = True
