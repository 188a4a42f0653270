"""The HTTP layer: base URL, headers, JSON, typed errors, retries, redirects, streams.

Resource clients call ``get``/``post``/``put``/``patch``/``delete`` and
``stream`` with a path; this module turns that into transport requests and
the answers into Python values or :class:`lgsync.errors` exceptions.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Mapping
from typing import Any, Callable
from urllib.parse import urlencode, urljoin, urlsplit

from lgsync._json import dumps, loads
from lgsync.errors import (
    APIConnectionError,
    APIError,
    InternalServerError,
    RateLimitError,
    RedirectError,
    StreamError,
    excerpt,
    status_error,
)
from lgsync.retry import Retry
from lgsync.schema import QueryParamTypes
from lgsync.sse import DEFAULT_MAX_EVENT_SIZE
from lgsync.stream import ReconnectingStream
from lgsync.timeouts import Timeout
from lgsync.transport._body import redact_url
from lgsync.transport.base import Request, Response, Transport, check_header_value

__all__ = ["HttpClient", "encode_params", "origin_of"]

logger = logging.getLogger("lgsync.http")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_RUN_STREAM = re.compile(r"(.*/threads/[^/]+/runs/[^/]+)/stream")
_ERROR_BODY_LIMIT = 64 * 1024
_NO_RETRY = Retry.disabled()

OnResponse = Callable[[Response], None]


def origin_of(url: str) -> tuple[str, str, int]:
    """``(scheme, host, port)`` with the default port filled in."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    return scheme, (parts.hostname or "").lower(), port


def encode_params(params: QueryParamTypes | None) -> str:
    """A query string from the SDK's parameter shapes.

    Booleans become ``true``/``false`` and ``None`` values are left out;
    sequences repeat the key.

    Example::

        >>> encode_params({"limit": 10, "wait": True, "status": None})
        'limit=10&wait=true'
    """
    if not params:
        return ""
    if isinstance(params, bytes):
        return params.decode("ascii")
    if isinstance(params, str):
        return params.lstrip("?")
    items = params.items() if isinstance(params, Mapping) else params
    pairs: list[tuple[str, str]] = []
    for key, value in items:
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item is None:
                continue
            pairs.append((key, _param_str(item)))
    return urlencode(pairs)


def _param_str(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class HttpClient:
    """Talks JSON and SSE to one LangGraph server through a :class:`Transport`.

    Example::

        http = HttpClient("http://127.0.0.1:2024", transport=lgsync.Urllib3Transport())
        http.get("/ok")
    """

    def __init__(
        self,
        base_url: str,
        *,
        transport: Transport,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
        retry: Retry | None = None,
        stream_retry: Retry | None = None,
        max_redirects: int = 5,
        max_event_size: int = DEFAULT_MAX_EVENT_SIZE,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"url must be an http:// or https:// URL, got {redact_url(base_url)!r}")
        self.base_url = base_url.rstrip("/")
        self.origin = origin_of(self.base_url)
        self.transport = transport
        self.headers: dict[str, str] = {}
        for name, value in (headers or {}).items():
            check_header_value(name, value)
            self.headers[name] = value
        self.timeout = timeout or Timeout()
        self.retry = retry if retry is not None else Retry()
        self.stream_retry = (
            stream_retry if stream_retry is not None else Retry(total=5, backoff_factor=0.25, backoff_max=5.0)
        )
        self.max_redirects = max_redirects
        self.max_event_size = max_event_size
        self._sleep = sleep

    def __repr__(self) -> str:
        return f"<HttpClient {redact_url(self.base_url)} via {self.transport!r}>"

    def url(self, path: str, params: QueryParamTypes | None = None) -> str:
        """The absolute URL for ``path`` (already quoted) and ``params``."""
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        query = encode_params(params)
        if query:
            url += ("&" if "?" in url else "?") + query
        return url

    # JSON calls, with the signatures of langgraph_sdk's sync HTTP client.

    def get(
        self,
        path: str,
        *,
        params: QueryParamTypes | None = None,
        headers: Mapping[str, str] | None = None,
        on_response: OnResponse | None = None,
    ) -> Any:
        return self.request("GET", path, params=params, headers=headers, on_response=on_response)

    def post(
        self,
        path: str,
        *,
        json: Any,
        params: QueryParamTypes | None = None,
        headers: Mapping[str, str] | None = None,
        on_response: OnResponse | None = None,
    ) -> Any:
        return self.request("POST", path, json=json, params=params, headers=headers, on_response=on_response)

    def put(
        self,
        path: str,
        *,
        json: Any,
        params: QueryParamTypes | None = None,
        headers: Mapping[str, str] | None = None,
        on_response: OnResponse | None = None,
    ) -> Any:
        return self.request("PUT", path, json=json, params=params, headers=headers, on_response=on_response)

    def patch(
        self,
        path: str,
        *,
        json: Any,
        params: QueryParamTypes | None = None,
        headers: Mapping[str, str] | None = None,
        on_response: OnResponse | None = None,
    ) -> Any:
        return self.request("PATCH", path, json=json, params=params, headers=headers, on_response=on_response)

    def delete(
        self,
        path: str,
        *,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: Mapping[str, str] | None = None,
        on_response: OnResponse | None = None,
    ) -> None:
        self.request("DELETE", path, json=json, params=params, headers=headers, on_response=on_response)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: Mapping[str, str] | None = None,
        on_response: OnResponse | None = None,
    ) -> Any:
        """Send one JSON request and return the decoded answer (``None`` if empty)."""
        body = dumps(json) if json is not None else None
        request_headers = self._headers(headers, json_body=body is not None)
        response = self._send(method, self.url(path, params), request_headers, body, stream=False)
        if on_response is not None:
            on_response(response)
        content = response.read()
        if response.status_code >= 300:
            raise status_error(response.status_code, content, response.headers, method=method, path=path)
        return _json_result(content, method, path, response.status_code)

    def request_reconnect(
        self,
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
        the request again, so no second run is ever created.
        """
        body = dumps(json) if json is not None else None
        request_headers = self._headers(headers, json_body=body is not None)
        url = self.url(path, params)
        response = self._send(method, url, request_headers, body, stream=True)
        try:
            if on_response is not None:
                on_response(response)
            if response.status_code >= 300:
                raise status_error(
                    response.status_code, _read_limited(response), response.headers, method=method, path=path
                )
            location = response.headers.get("location")
            try:
                content = response.read()
            except APIConnectionError as exc:
                if not location or origin_of(urljoin(url, location)) != self.origin:
                    raise
                cause: APIError = exc
            else:
                return _json_result(content, method, path, response.status_code)
        finally:
            response.close()
        target = urljoin(url, location)
        policy = self.stream_retry
        for attempt in range(1, policy.total + 1):
            delay = policy.backoff(attempt)
            logger.info("lgsync: %s %s was cut (%s); rejoining in %.2fs", method, path, cause.message, delay)
            self._sleep(delay)
            try:
                return self.request("GET", target, headers=headers)
            except (APIConnectionError, RateLimitError, InternalServerError) as exc:
                cause = exc
        raise APIConnectionError(
            f"{method} {path} was cut and rejoining it failed {policy.total} times: {cause.message}"
        ) from cause

    def stream(
        self,
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
    ) -> ReconnectingStream:
        """Open an SSE stream and return an iterator of ``StreamPart`` that resumes after drops.

        ``reconnect_params`` are the query parameters sent with every
        reconnect to the stream's ``Location`` (stream modes, cancellation),
        which the server would otherwise forget.
        """
        body = dumps(json) if json is not None else None
        stream_headers = self._headers(headers, json_body=body is not None, sse=True)
        if last_event_id:
            check_header_value("Last-Event-ID", last_event_id)
            stream_headers["Last-Event-ID"] = last_event_id
        url = self.url(path, params)
        response = self._open_stream(method, url, stream_headers, body, path=path, on_response=on_response)

        reopen = None
        run_is_active = None
        location = response.headers.get("location")
        if location and not_resumable_reason is None:
            target = urljoin(url, location)
            if origin_of(target) != self.origin:
                not_resumable_reason = (
                    f"the server named a stream on another origin ({redact_url(target)}), which lgsync does not contact"
                )
            else:
                reopen = self._reopener(target, headers, reconnect_params)
                run_is_active = self._run_checker(target, headers)
        elif not location and not_resumable_reason is None:
            not_resumable_reason = "the server named no stream to resume from (no Location header)"
        return ReconnectingStream(
            response,
            reopen=reopen,
            run_is_active=run_is_active,
            policy=self.stream_retry,
            last_event_id=last_event_id,
            replay_from_start=replay_from_start,
            max_event_size=self.max_event_size,
            not_resumable_reason=not_resumable_reason,
            sleep=self._sleep,
        )

    def close(self) -> None:
        self.transport.close()

    # Internals.

    def _headers(
        self, extra: Mapping[str, str] | None, *, json_body: bool = False, sse: bool = False
    ) -> dict[str, str]:
        headers = dict(self.headers)
        if json_body:
            headers["Content-Type"] = "application/json"
        if sse:
            headers["Accept"] = "text/event-stream"
            headers["Cache-Control"] = "no-store"
        else:
            headers.setdefault("Accept", "application/json")
        if extra:
            for name, value in extra.items():
                check_header_value(name, value)
                if name.lower() == "x-api-key":
                    raise ValueError("Cannot set reserved header 'x-api-key'; pass api_key= to get_sync_client")
                headers[name] = value
        return headers

    def _open_stream(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        *,
        path: str,
        on_response: OnResponse | None = None,
        retry: Retry | None = None,
    ) -> Response:
        response = self._send(method, url, headers, body, stream=True, retry=retry)
        try:
            if on_response is not None:
                on_response(response)
            if response.status_code >= 300:
                content = _read_limited(response)
                raise status_error(response.status_code, content, response.headers, method=method, path=path)
            content_type = response.headers.get("content-type", "")
            essence = content_type.split(";", 1)[0].strip().lower()
            if essence != "text/event-stream":
                content = _read_limited(response, 512)
                raise StreamError(
                    f"{method} {path} answered with Content-Type {content_type or 'none'!r}, "
                    f"not an event stream: {excerpt(content, 160)}"
                )
        except BaseException:
            response.close()
            raise
        return response

    def _reopener(
        self, target: str, headers: Mapping[str, str] | None, params: QueryParamTypes | None
    ) -> Callable[[str | None], Response]:
        url = self.url(target, params)
        path = urlsplit(target).path

        def reopen(last_event_id: str | None) -> Response:
            reconnect_headers = self._headers(headers, sse=True)
            if last_event_id:
                reconnect_headers["Last-Event-ID"] = last_event_id
            # The stream's own policy paces reconnects; no second layer of retries inside one.
            return self._open_stream("GET", url, reconnect_headers, None, path=path, retry=_NO_RETRY)

        return reopen

    def _run_checker(self, target: str, headers: Mapping[str, str] | None) -> Callable[[], bool | None] | None:
        parts = urlsplit(target)
        match = _RUN_STREAM.fullmatch(parts.path)
        if match is None:
            return None
        run_path = match[1]

        def run_is_active() -> bool | None:
            try:
                run = self.request("GET", run_path, headers=headers)
            except APIConnectionError:
                return True  # a restart cut the stream; let the reconnect find out
            except APIError as exc:
                status = getattr(exc, "status_code", 0)
                return True if status == 429 or status >= 500 else None
            return isinstance(run, dict) and run.get("status") in ("pending", "running")

        return run_is_active

    def _send(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        *,
        stream: bool,
        retry: Retry | None = None,
    ) -> Response:
        """One call with retries and same-origin redirects."""
        retry = self.retry if retry is None else retry
        attempt = 0
        hops = 0
        while True:
            try:
                response = self.transport.send(Request(method, url, headers, body), stream=stream, timeout=self.timeout)
            except APIConnectionError as exc:
                if attempt < retry.total and (not exc.request_sent or retry.allows_method(method)):
                    attempt += 1
                    delay = retry.backoff(attempt)
                    logger.debug(
                        "lgsync: %s %s failed (%s); retry %d in %.2fs",
                        method,
                        redact_url(url),
                        exc.message,
                        attempt,
                        delay,
                    )
                    self._sleep(delay)
                    continue
                raise
            status = response.status_code
            if status in _REDIRECTS:
                location = response.headers.get("location")
                response.close()
                if not location:
                    raise RedirectError(
                        f"{method} {redact_url(url)} answered {status} without a Location",
                        status_code=status,
                        headers=response.headers,
                    )
                target = urljoin(url, location)
                if origin_of(target) != self.origin:
                    raise RedirectError(
                        f"{method} {redact_url(url)} redirected to another origin "
                        f"({redact_url(target)}); lgsync follows redirects only within "
                        f"{redact_url(self.base_url)}",
                        status_code=status,
                        headers=response.headers,
                    )
                hops += 1
                if hops > self.max_redirects:
                    raise RedirectError(
                        f"{method} {redact_url(url)}: more than {self.max_redirects} redirects",
                        status_code=status,
                        headers=response.headers,
                    )
                if status == 303 or (status in (301, 302) and method == "POST"):
                    method, body = "GET", None
                    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
                url = target
                continue
            if attempt < retry.total and retry.allows_status(status) and (status == 429 or retry.allows_method(method)):
                retry_after = _retry_after(response.headers.get("retry-after"))
                response.close()
                attempt += 1
                delay = retry.backoff(attempt, retry_after)
                logger.debug(
                    "lgsync: %s %s answered %d; retry %d in %.2fs", method, redact_url(url), status, attempt, delay
                )
                self._sleep(delay)
                continue
            return response


def _json_result(content: bytes, method: str, path: str, status_code: int) -> Any:
    if not content or content.isspace():
        return None
    try:
        return loads(content)
    except ValueError as exc:
        raise APIError(
            f"{method} {path} answered {status_code} with a body that is not JSON: {excerpt(content)}",
            body=content,
        ) from exc


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _read_limited(response: Response, limit: int = _ERROR_BODY_LIMIT) -> bytes:
    pieces: list[bytes] = []
    size = 0
    try:
        for chunk in response.iter_bytes():
            pieces.append(chunk)
            size += len(chunk)
            if size >= limit:
                break
    except APIConnectionError:
        pass
    return b"".join(pieces)[:limit]
