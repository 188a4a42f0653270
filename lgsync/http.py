"""The HTTP core: base URL, headers, JSON in and out, typed errors, retries, redirects.

Resource clients call ``get``/``post``/``put``/``patch``/``delete`` with a
path; this module turns that into transport requests and the answers into
Python values or :class:`lgsync.errors` exceptions. It knows no LangGraph
path: run streams, the run-status check and the ``/join`` rejoin are wired
in :mod:`lgsync.langgraph`.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable
from urllib.parse import urlencode, urljoin, urlsplit

from lgsync._headers import HeaderDict, check_header_value, merge_headers
from lgsync._json import dumps, loads
from lgsync._urls import origin_of, redact_url
from lgsync.errors import (
    APIConnectionError,
    APIError,
    RedirectError,
    StreamDecodeError,
    StreamError,
    excerpt,
    status_error,
)
from lgsync.retry import Retry, parse_retry_after
from lgsync.schema import QueryParamTypes
from lgsync.sse import DEFAULT_MAX_EVENT_SIZE
from lgsync.timeouts import Timeout
from lgsync.transport._body import Preloaded
from lgsync.transport.base import Request, Response, Transport

if TYPE_CHECKING:
    from lgsync.stream import ReconnectingStream

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "HttpClient", "encode_params", "origin_of"]

logger = logging.getLogger("lgsync.http")

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
#: How much of an error body is read: only an excerpt of it is ever shown.
ERROR_BODY_LIMIT = 64 * 1024
#: The largest ordinary JSON answer read, unless the client sets ``max_response_size``.
DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024 * 1024

OnResponse = Callable[[Response], None]


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
    """Talks JSON (and opens SSE streams) to one server through a :class:`Transport`.

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
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        from lgsync.reconnect import DEFAULT_STREAM_RETRY

        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.hostname or origin_of(base_url) is None:
            raise ValueError(f"url must be an http:// or https:// URL, got {redact_url(base_url)!r}")
        self.base_url = base_url.rstrip("/")
        self.origin = origin_of(self.base_url)
        self.transport = transport
        for name, value in (headers or {}).items():
            check_header_value(name, value)
        self.headers = HeaderDict(headers)
        self.timeout = timeout or Timeout()
        # Bodies of ordinary answers are read as streams under the read limit.
        self._body_timeout = self.timeout.with_(stream_idle=self.timeout.read)
        self.retry = retry if retry is not None else Retry()
        self.stream_retry = stream_retry if stream_retry is not None else DEFAULT_STREAM_RETRY
        self.max_redirects = max_redirects
        self.max_event_size = max_event_size
        if max_response_size <= 0:
            raise ValueError("max_response_size must be a positive number of bytes")
        self.max_response_size = max_response_size
        #: ``None``: waits use an event that ``abort()`` can interrupt.
        self.sleep = sleep

    def __repr__(self) -> str:
        return f"<HttpClient {redact_url(self.base_url)} via {self.transport!r}>"

    def url(self, path: str, params: QueryParamTypes | None = None) -> str:
        """The absolute URL for ``path`` (already quoted) and ``params``."""
        url = path if path.startswith(("http://", "https://")) else self.base_url + path
        query = encode_params(params)
        if query:
            url += ("&" if "?" in url else "?") + query
        return url

    def same_origin(self, url: str) -> bool:
        """Whether ``url`` is on this client's origin (an invalid URL is not)."""
        return origin_of(url) == self.origin

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
        timeout: Timeout | None = None,
        retry: Retry | None = None,
    ) -> Any:
        """Send one JSON request and return the decoded answer (``None`` if empty).

        The answer is read up to ``max_response_size`` bytes; a larger one
        raises :class:`~lgsync.errors.APIError` rather than fill memory.
        """
        body = dumps(json) if json is not None else None
        request_headers = self.headers_for(headers, json_body=body is not None)
        response = self.send(
            method, self.url(path, params), request_headers, body, timeout=timeout, retry=retry, buffer=True
        )
        if on_response is not None:
            on_response(response)
        return self.json_answer(response, method, path)

    def json_answer(self, response: Response, method: str, path: str) -> Any:
        """The decoded JSON of ``response``, or the typed error its status stands for."""
        if response.status_code >= 300:
            content = read_limited(response)
            raise status_error(response.status_code, content, response.headers, method=method, path=path)
        content = read_limited(response, self.max_response_size, strict=True)
        if len(content) > self.max_response_size:
            raise APIError(
                f"{method} {path} answered with more than {self.max_response_size} bytes "
                "(raise max_response_size if such answers are expected)"
            )
        return json_result(content, method, path, response.status_code)

    def open_stream(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        *,
        path: str,
        on_response: OnResponse | None = None,
        retry: Retry | None = None,
    ) -> Response:
        """Send a request whose answer must be an event stream, and return it unread."""
        response = self.send(method, url, headers, body, retry=retry, stream=True)
        try:
            if on_response is not None:
                on_response(response)
            if response.status_code >= 300:
                content = read_limited(response)
                raise status_error(response.status_code, content, response.headers, method=method, path=path)
            content_type = response.headers.get("content-type", "")
            essence = content_type.split(";", 1)[0].strip().lower()
            if essence != "text/event-stream":
                content = read_limited(response, 512)
                raise StreamError(
                    f"{method} {path} answered with Content-Type {content_type or 'none'!r}, "
                    f"not an event stream: {excerpt(content, 160)}"
                )
        except BaseException:
            response.close()
            raise
        return response

    # The LangGraph wiring, kept here as the entry points the resource clients call.

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
        cancel_on_close: bool = False,
        hidden_events: frozenset[str] = frozenset(),
    ) -> ReconnectingStream:
        """Open a run's SSE stream; see :func:`lgsync.langgraph.open_run_stream`."""
        from lgsync.langgraph import open_run_stream

        return open_run_stream(
            self,
            path,
            method,
            json=json,
            params=params,
            headers=headers,
            on_response=on_response,
            reconnect_params=reconnect_params,
            last_event_id=last_event_id,
            replay_from_start=replay_from_start,
            not_resumable_reason=not_resumable_reason,
            cancel_on_close=cancel_on_close,
            hidden_events=hidden_events,
        )

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
        """A long call that rejoins when cut; see :func:`lgsync.langgraph.request_with_rejoin`."""
        from lgsync.langgraph import request_with_rejoin

        return request_with_rejoin(
            self, path, method, json=json, params=params, headers=headers, on_response=on_response
        )

    def close(self) -> None:
        self.transport.close()

    # Building blocks.

    def headers_for(self, extra: Mapping[str, str] | None, *, json_body: bool = False, sse: bool = False) -> HeaderDict:
        """The client's headers, then the call's; names merge case-insensitively, the call's win."""
        # The client, not the transport, says how an answer may be encoded: an event
        # stream raw (each event as it comes), a JSON answer compressed.
        defaults: dict[str, str] = (
            {"Accept": "text/event-stream", "Cache-Control": "no-store", "Accept-Encoding": "identity"}
            if sse
            else {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}
        )
        if json_body:
            defaults["Content-Type"] = "application/json"
        if extra:
            for name, value in extra.items():
                check_header_value(name, value)
                if name.lower() == "x-api-key":
                    raise ValueError("Cannot set reserved header 'x-api-key'; pass api_key= to get_sync_client")
        if sse:
            return merge_headers(self.headers, extra, defaults)
        return merge_headers(defaults, self.headers, extra)

    def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        *,
        stream: bool = False,
        timeout: Timeout | None = None,
        retry: Retry | None = None,
        buffer: bool = False,
    ) -> Response:
        """One call with retries and same-origin redirects.

        ``stream`` says the answer is an event stream (read under the stream
        idle limit); otherwise its body is read under the read limit. With
        ``buffer`` the body is read here, bounded (``max_response_size``, or
        an excerpt of an error body), and a body cut short is retried like a
        failed send; otherwise the answer comes back unread.
        """
        retry = self.retry if retry is None else retry
        if timeout is None:
            timeout = self.timeout if stream else self._body_timeout
        attempt = 0
        hops = 0
        while True:
            try:
                response = self.transport.send(Request(method, url, headers, body), stream=True, timeout=timeout)
            except APIConnectionError as exc:
                if attempt < retry.total and (not exc.request_sent or retry.allows_method(method)):
                    attempt += 1
                    self._pause(retry.backoff(attempt), method, url, f"failed ({exc.message})", attempt)
                    continue
                raise
            status = response.status_code
            if status in _REDIRECTS:
                response.close()
                url, method, body, headers = self._redirect(response, method, url, body, headers)
                hops += 1
                if hops > self.max_redirects:
                    raise RedirectError(
                        f"{method} {redact_url(url)}: more than {self.max_redirects} redirects",
                        status_code=status,
                        headers=response.headers,
                    )
                continue
            if attempt < retry.total and retry.allows_status(status) and (status == 429 or retry.allows_method(method)):
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if not retry.allows_delay(retry_after):
                    # Not slept on: the caller learns the server's wish at once.
                    return response
                response.close()
                attempt += 1
                self._pause(retry.backoff(attempt, retry_after), method, url, f"answered {status}", attempt)
                continue
            if not buffer:
                return response
            try:
                if status >= 300:
                    content = read_limited(response)
                else:
                    content = read_limited(response, self.max_response_size, strict=True)
            except APIConnectionError as exc:
                response.close()
                if attempt < retry.total and retry.allows_method(method):
                    attempt += 1
                    self._pause(retry.backoff(attempt), method, url, f"was cut ({exc.message})", attempt)
                    continue
                raise
            response.close()
            return Preloaded(response.status_code, response.headers, response.url, content)

    def _redirect(
        self, response: Response, method: str, url: str, body: bytes | None, headers: Mapping[str, str]
    ) -> tuple[str, str, bytes | None, Mapping[str, str]]:
        status = response.status_code
        location = response.headers.get("location")
        if not location:
            raise RedirectError(
                f"{method} {redact_url(url)} answered {status} without a Location",
                status_code=status,
                headers=response.headers,
            )
        try:
            target = urljoin(url, location)
        except ValueError:
            target = location
        if not self.same_origin(target):
            where = "an invalid URL" if origin_of(target) is None else f"another origin ({redact_url(target)})"
            raise RedirectError(
                f"{method} {redact_url(url)} redirected to {where}; lgsync follows redirects only within "
                f"{redact_url(self.base_url)}",
                status_code=status,
                headers=response.headers,
            )
        if status == 303 or (status in (301, 302) and method == "POST"):
            method, body = "GET", None
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
        return target, method, body, headers

    def _pause(self, seconds: float, method: str, url: str, what: str, attempt: int) -> None:
        """Wait before retry ``attempt`` of an ordinary call, saying why at DEBUG."""
        logger.debug("lgsync: %s %s %s; retry %d in %.2fs", method, redact_url(url), what, attempt, seconds)
        self._wait(seconds)

    def _wait(self, seconds: float) -> None:
        if self.sleep is not None:
            self.sleep(seconds)
        else:
            import time

            time.sleep(seconds)


def json_result(content: bytes, method: str, path: str, status_code: int) -> Any:
    """Decode a JSON answer (``None`` if empty); a body that is not JSON raises ``APIError``."""
    if not content or content.isspace():
        return None
    try:
        return loads(content)
    except ValueError as exc:
        raise APIError(
            f"{method} {path} answered {status_code} with a body that is not JSON: {excerpt(content)}",
            body=content,
        ) from exc
    except RecursionError as exc:
        raise APIError(f"{method} {path} answered {status_code} with JSON nested too deeply") from exc


def read_limited(response: Response, limit: int = ERROR_BODY_LIMIT, *, strict: bool = False) -> bytes:
    """Up to ``limit`` bytes of the body (``limit + 1`` at most when ``strict``, to tell it was larger).

    Without ``strict`` a broken connection ends the excerpt quietly: it is
    only ever shown in an error message.
    """
    pieces: list[bytes] = []
    size = 0
    cap = limit + 1 if strict else limit
    try:
        for chunk in response.iter_bytes():
            pieces.append(chunk)
            size += len(chunk)
            if size >= cap:
                break
    except (APIConnectionError, StreamDecodeError):
        if strict:
            raise
    content = pieces[0] if len(pieces) == 1 else b"".join(pieces)
    return content[:cap]
