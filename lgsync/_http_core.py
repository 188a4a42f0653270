"""The HTTP core: default headers, timeouts, JSON calls and opening an event stream.

It builds on :class:`lgsync._send.Sender` (retries, redirects) and knows no
LangGraph path: :mod:`lgsync.langgraph` wires run streams, the run-status
check and the ``/join`` rejoin on top of it. The client decides here what a
transport only carries out: which read limit applies (an event stream's idle
limit or the read limit) and which encodings an answer may come in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable
from urllib.parse import urlsplit

from lgsync._answers import check_event_stream, json_answer
from lgsync._headers import HeaderDict, check_header_value, merge_headers
from lgsync._json import dumps
from lgsync._query import call_url
from lgsync._send import DEFAULT_MAX_RESPONSE_SIZE, Sender
from lgsync._urls import origin_of, redact_url
from lgsync.retry import Retry
from lgsync.schema import QueryParamTypes
from lgsync.sse import DEFAULT_MAX_EVENT_SIZE
from lgsync.timeouts import Timeout
from lgsync.transport.base import Response, Transport

__all__ = ["HttpCore", "OnResponse"]

OnResponse = Callable[[Response], None]

#: An event stream travels raw, each event as it comes; a JSON answer may be compressed.
_SSE_DEFAULTS = {"Accept": "text/event-stream", "Cache-Control": "no-store", "Accept-Encoding": "identity"}
_JSON_DEFAULTS = {"Accept": "application/json", "Accept-Encoding": "gzip, deflate"}


class HttpCore(Sender):
    """Talks JSON (and opens SSE streams) to one server through a :class:`Transport`.

    Example::

        http = HttpCore("http://127.0.0.1:2024", transport=lgsync.Urllib3Transport())
        http.request("GET", "/ok")
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
        if max_response_size <= 0:
            raise ValueError("max_response_size must be a positive number of bytes")
        self.base_url = base_url.rstrip("/")
        self.origin = origin_of(self.base_url)
        self.transport = transport
        self.timeout = timeout or Timeout()
        self.retry = retry if retry is not None else Retry()
        self.max_redirects = max_redirects
        self.max_response_size = max_response_size
        #: ``None``: waits use an event that ``abort()`` can interrupt.
        self.sleep = sleep
        for name, value in (headers or {}).items():
            check_header_value(name, value)
        self.headers = HeaderDict(headers)
        # A transport written for lgsync 0.1.0 is told here, where the client is made.
        self._extra_arguments()
        self.stream_retry = stream_retry if stream_retry is not None else DEFAULT_STREAM_RETRY
        self.max_event_size = max_event_size

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {redact_url(self.base_url)} via {self.transport!r}>"

    def url(self, path: str, params: QueryParamTypes | None = None) -> str:
        """The absolute URL for ``path`` (already quoted) and ``params``."""
        return call_url(self.base_url, path, params)

    def headers_for(self, extra: Mapping[str, str] | None, *, json_body: bool = False, sse: bool = False) -> HeaderDict:
        """The client's headers, then the call's; names merge case-insensitively, the call's win."""
        defaults = _SSE_DEFAULTS if sse else _JSON_DEFAULTS
        if json_body:
            defaults = {**defaults, "Content-Type": "application/json"}
        if extra:
            # A HeaderDict's own pairs, not the Mapping views (a method call per name).
            pairs = extra._items.values() if type(extra) is HeaderDict else extra.items()
            for name, value in pairs:
                check_header_value(name, value)
                if name.lower() == "x-api-key":
                    raise ValueError("Cannot set reserved header 'x-api-key'; pass api_key= to get_sync_client")
        if sse:
            return merge_headers(self.headers, extra, defaults)
        return merge_headers(defaults, self.headers, extra)

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
        return json_answer(response, method, path, self.max_response_size)

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
        """Send a request whose answer must be an event stream, and return it unread.

        Silence on the stream is bounded by the client's ``stream_idle``
        limit, handed to the transport as its read limit.
        """
        response = self.send(method, url, headers, body, timeout=self._stream_timeout(), retry=retry)
        try:
            if on_response is not None:
                on_response(response)
            check_event_stream(response, method, path)
        except BaseException:
            response.close()
            raise
        return response

    #: The client's timeout last seen, and the one an event stream gets from it.
    _stream_timeouts: tuple[Timeout | None, Timeout] = (None, Timeout())

    def _stream_timeout(self) -> Timeout:
        """The client's timeout with ``stream_idle`` as the read limit (a transport reads only ``read``).

        Made once per value of ``self.timeout``, which may be replaced at any
        time; the pair is swapped whole, so threads never see half of it.
        """
        timeout = self.timeout
        seen, derived = self._stream_timeouts
        if seen is not timeout:
            derived = timeout.with_(read=timeout.stream_idle)
            self._stream_timeouts = (timeout, derived)
        return derived

    def close(self) -> None:
        self.transport.close()
