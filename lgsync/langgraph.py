"""The LangGraph wiring above the HTTP core: run streams, the run-status check, the rejoin.

Which paths are run streams, how a stream is resumed at its ``Location``,
how lgsync asks whether a run is still going, how ``runs.wait`` and
``runs.join`` rejoin a cut answer at ``/join``, and how a stream closed
early cancels its run explicitly. Everything that reconnects goes through
the one engine, :class:`lgsync.reconnect.Reconnector`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any, Callable
from urllib.parse import urljoin, urlsplit

from lgsync._headers import check_header_value
from lgsync._http_core import HttpCore as HttpClient
from lgsync._http_core import OnResponse
from lgsync._json import dumps
from lgsync._urls import redact_url
from lgsync.errors import APIConnectionError, APIError, APIStatusError
from lgsync.reconnect import Reconnector
from lgsync.retry import Retry
from lgsync.schema import QueryParamTypes
from lgsync.stream import ReconnectingStream
from lgsync.timeouts import Timeout
from lgsync.transport.base import Response

__all__ = ["CANCEL_TIMEOUT", "open_run_stream", "request_with_rejoin"]

logger = logging.getLogger("lgsync.http")

#: ``/threads/{thread_id}/runs/{run_id}`` in front of a run's ``/stream`` or ``/join``.
_RUN_PATH = re.compile(r"(.*/threads/[^/]+/runs/[^/]+)/(?:stream|join)")
#: Headers of the stream request that the run-status check and the cancel must not carry.
_STREAM_ONLY = frozenset({"last-event-id", "content-type", "accept", "cache-control"})
_NO_RETRY = Retry.disabled()
#: The bound on the explicit cancel a stream sends when it is closed early:
#: at most ``connect + read`` seconds (3 s), never retried.
CANCEL_TIMEOUT = Timeout(connect=1.0, read=2.0, stream_idle=2.0)


def open_run_stream(
    http: HttpClient,
    path: str,
    method: str,
    *,
    json: Any | None = None,
    params: QueryParamTypes | None = None,
    headers: Mapping[str, str] | None = None,
    on_response: OnResponse | None = None,
    reconnect_params: QueryParamTypes | None = None,
    last_event_id: str | None = None,
    replay_from_start: bool = False,
    not_resumable_reason: str | None = None,
    cancel_on_close: bool = False,
    hidden_events: frozenset[str] = frozenset(),
) -> ReconnectingStream:
    """Open an SSE stream and return an iterator of ``StreamPart`` that resumes after drops.

    ``reconnect_params`` are the query parameters sent with every reconnect
    to the stream's ``Location`` (stream modes, cancellation), which the
    server would otherwise forget. With ``cancel_on_close``, a stream closed
    before the run ended asks the server to cancel the run. ``hidden_events``
    are read (a ``metadata`` event says the run's attempt) but not yielded.
    """
    body = dumps(json) if json is not None else None
    stream_headers = http.headers_for(headers, json_body=body is not None, sse=True)
    if last_event_id:
        check_header_value("Last-Event-ID", last_event_id)
        stream_headers["Last-Event-ID"] = last_event_id
    elif "last-event-id" in stream_headers:
        last_event_id = stream_headers["last-event-id"]
    url = http.url(path, params)
    response = http.open_stream(method, url, stream_headers, body, path=path, on_response=on_response)

    plain = _plain_headers(headers)
    reopen = None
    run_is_active = None
    target = url
    location = response.headers.get("location")
    if location and not_resumable_reason is None:
        target = _join(url, location)
        if not http.same_origin(target):
            not_resumable_reason = (
                f"the server named a stream on another origin or an invalid one ({redact_url(target)}), "
                "which lgsync does not contact"
            )
        else:
            reopen = _reopener(http, target, plain, reconnect_params)
            run_is_active = _run_checker(http, target, plain)
    elif not location and not_resumable_reason is None:
        not_resumable_reason = "the server named no stream to resume from (no Location header)"
    on_abandon = _canceller(http, target, plain) if cancel_on_close else None
    return ReconnectingStream(
        response,
        reopen=reopen,
        run_is_active=run_is_active,
        policy=http.stream_retry,
        last_event_id=last_event_id,
        replay_from_start=replay_from_start,
        max_event_size=http.max_event_size,
        not_resumable_reason=not_resumable_reason,
        sleep=http.sleep,
        on_abandon=on_abandon,
        hidden_events=hidden_events,
    )


def request_with_rejoin(
    http: HttpClient,
    path: str,
    method: str,
    *,
    json: Any | None = None,
    params: QueryParamTypes | None = None,
    headers: Mapping[str, str] | None = None,
    on_response: OnResponse | None = None,
) -> Any:
    """A long call (``runs.wait``, ``runs.join``) that survives a dropped connection.

    The answer names the run's ``/join`` in ``Location``; if the body is
    cut, lgsync waits and asks that (same origin only) instead of sending
    the request again, so no second run is ever created. Once the rejoins
    are spent, the last status error is raised as it came (as the SDK
    does), or an ``APIConnectionError`` saying how many attempts were made.
    """
    body = dumps(json) if json is not None else None
    request_headers = http.headers_for(headers, json_body=body is not None)
    url = http.url(path, params)
    response = http.send(method, url, request_headers, body)
    try:
        if on_response is not None:
            on_response(response)
    except BaseException:
        response.close()
        raise
    location = response.headers.get("location")
    target = _join(url, location) if location else None
    if target is not None and not http.same_origin(target):
        target = None
    strategy = _Rejoin(http, method, path, target, _plain_headers(headers))
    engine: Reconnector[Response, Any] = Reconnector(http.stream_retry, sleep=http.sleep, name=f"{method} {path}")
    for result in engine.run(strategy, response):
        return result
    raise APIConnectionError(f"{method} {path} ended without an answer")


class _Rejoin:
    """The strategy of a long JSON call: read the whole body; when cut, ``GET`` the run's ``/join``."""

    def __init__(
        self, http: HttpClient, method: str, path: str, target: str | None, headers: Mapping[str, str]
    ) -> None:
        self._http = http
        self._method = method
        self._path = path
        self._target = target
        self._headers = headers
        self._done = False

    def read(self, response: Response) -> Iterator[Any]:
        result = self._http.json_answer(response, self._method, self._path)
        self._done = True
        yield result

    def discard(self, response: Response) -> None:
        response.close()

    def finished(self) -> bool:
        return self._done

    def progressed(self) -> bool:
        return False

    def closed_early(self) -> str | None:
        return None

    def check_resumable(self, cause: APIError) -> None:
        if self._target is None:
            raise cause

    def reopen(self) -> Response:
        assert self._target is not None
        http = self._http
        headers = http.headers_for(self._headers)
        response = http.send("GET", self._target, headers, None, retry=_NO_RETRY)
        if response.status_code >= 300:
            try:
                http.json_answer(response, "GET", urlsplit(self._target).path)  # raises the status error
            finally:
                response.close()
        return response

    def server_delay(self) -> float | None:
        return None

    def exhausted(self, cause: APIError, attempts: int) -> BaseException:
        if isinstance(cause, APIStatusError):
            return cause
        error = APIConnectionError(
            f"{self._method} {self._path} was cut and rejoining it failed {attempts} times: {cause.message}"
        )
        error.__cause__ = cause
        return error


def _join(url: str, location: str) -> str:
    try:
        return urljoin(url, location)
    except ValueError:
        return location


def _plain_headers(headers: Mapping[str, str] | None) -> dict[str, str]:
    """The caller's headers without those that belong to one stream request."""
    return {k: v for k, v in (headers or {}).items() if k.lower() not in _STREAM_ONLY}


def _reopener(
    http: HttpClient, target: str, headers: Mapping[str, str], params: QueryParamTypes | None
) -> Callable[[str | None], Response]:
    url = http.url(target, params)
    path = urlsplit(target).path

    def reopen(last_event_id: str | None) -> Response:
        reconnect_headers = http.headers_for(headers, sse=True)
        if last_event_id:
            reconnect_headers["Last-Event-ID"] = last_event_id
        # The engine paces reconnects; no second layer of retries inside one.
        return http.open_stream("GET", url, reconnect_headers, None, path=path, retry=_NO_RETRY)

    return reopen


def _run_path(target: str) -> str | None:
    match = _RUN_PATH.fullmatch(urlsplit(target).path)
    return match[1] if match else None


def _run_checker(http: HttpClient, target: str, headers: Mapping[str, str]) -> Callable[[], bool | None] | None:
    run_path = _run_path(target)
    if run_path is None:
        return None

    def run_is_active() -> bool | None:
        # One look, no retries: a failed look leads to the reconnect, which the engine
        # paces. The exception is a request that went out on a pooled connection the
        # server closed while the stream ran: that says nothing of the run, so it is
        # asked once more, at once.
        for attempt in (1, 2):
            try:
                run = http.request("GET", run_path, headers=headers or None, retry=_NO_RETRY)
            except APIConnectionError as exc:
                if attempt == 1 and exc.request_sent:
                    continue
                return True  # a restart cut the stream; let the reconnect find out
            except APIStatusError as exc:
                return True if exc.status_code == 429 or exc.status_code >= 500 else None
            except APIError:
                return None  # an answer that says nothing about the run: the stream ends as it did
            return isinstance(run, dict) and run.get("status") in ("pending", "running")
        return True

    return run_is_active


def _canceller(http: HttpClient, target: str, headers: Mapping[str, str]) -> Callable[[], None] | None:
    run_path = _run_path(target)
    if run_path is None:
        return None

    def cancel() -> None:
        try:
            http.request(
                "POST",
                run_path + "/cancel",
                params={"wait": 0, "action": "interrupt"},
                headers=headers or None,
                timeout=CANCEL_TIMEOUT,
                retry=_NO_RETRY,
            )
        except APIStatusError as exc:
            # 404/409: the run is gone or already ended; nothing to cancel.
            logger.debug("lgsync: cancel of %s answered %d", run_path, exc.status_code)
        except APIError as exc:
            logger.info("lgsync: could not cancel %s on close: %s", run_path, exc.message)

    return cancel
