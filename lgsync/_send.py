"""Sending one call through a transport: retries, same-origin redirects, bounded buffering.

Above the transport and below the JSON and stream calls: the one retry loop
(connection failures, retryable statuses with ``Retry-After``, a body cut
while buffered), redirects followed only within the client's origin, and
the bounded read of an answer that is wanted whole.
"""

from __future__ import annotations

import logging
import time
import warnings
from collections.abc import Mapping
from typing import Any, Callable
from urllib.parse import urljoin

from lgsync._answers import read_limited
from lgsync._urls import origin_of, redact_url
from lgsync.errors import APIConnectionError, RedirectError
from lgsync.retry import Retry, parse_retry_after
from lgsync.timeouts import Timeout
from lgsync.transport._body import Preloaded
from lgsync.transport.base import REDIRECTS, Request, Response, Transport, takes_stream_flag

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "REDIRECTS", "Sender"]

logger = logging.getLogger("lgsync.http")

#: The largest ordinary JSON answer read, unless the client sets ``max_response_size``.
DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024 * 1024


class Sender:
    """The send loop of the HTTP core, for a class that sets the attributes below.

    ``HttpCore`` sets them from its constructor; they are read on every call,
    so a change (``http.retry = ...``) takes effect on the next one.
    """

    base_url: str
    #: ``(scheme, host, port)`` of ``base_url``: redirects are followed only within it.
    origin: tuple[str, str, int] | None
    transport: Transport
    timeout: Timeout
    retry: Retry
    max_redirects: int
    max_response_size: int
    #: ``None``: this loop waits with ``time.sleep`` (a stream, on an event that ``abort()`` can set).
    sleep: Callable[[float], None] | None

    #: The transport last sent through, and the extra arguments its ``send`` needs.
    _send_shape: tuple[Transport | None, dict[str, Any]] = (None, {})

    def _extra_arguments(self) -> dict[str, Any]:
        """``{"stream": True}`` for a transport written for lgsync 0.1.0, else nothing.

        Worked out once per transport (``http.transport`` may be replaced);
        the pair is swapped whole, so threads never see half of it.
        """
        transport = self.transport
        known, extra = self._send_shape
        if known is not transport:
            extra = {}
            if takes_stream_flag(transport):
                warnings.warn(
                    f"{type(transport).__name__}.send takes `stream`, which lgsync no longer passes on its own: "
                    "a transport now returns every answer unread (see 'Writing a transport' in the docs); "
                    "lgsync passes stream=True to this one",
                    DeprecationWarning,
                    stacklevel=2,
                )
                extra = {"stream": True}
            self._send_shape = (transport, extra)
        return extra

    def same_origin(self, url: str) -> bool:
        """Whether ``url`` is on this client's origin (an invalid URL is not)."""
        return origin_of(url) == self.origin

    def send(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        *,
        timeout: Timeout | None = None,
        retry: Retry | None = None,
        buffer: bool = False,
    ) -> Response:
        """One call with retries and same-origin redirects.

        ``timeout`` is handed to the transport as it is (``connect`` and
        ``read``; the client's own by default). With ``buffer`` the body is
        read here, bounded (``max_response_size``, or an excerpt of an error
        body), and a body cut short is retried like a failed send; otherwise
        the answer comes back unread, for the caller to read and close.
        """
        retry = self.retry if retry is None else retry
        timeout = self.timeout if timeout is None else timeout
        extra = self._extra_arguments()
        attempt = 0
        hops = 0
        while True:
            try:
                response = self.transport.send(Request(method, url, headers, body), timeout=timeout, **extra)
            except APIConnectionError as exc:
                if attempt < retry.total and (not exc.request_sent or retry.allows_method(method)):
                    attempt += 1
                    self._pause(retry.backoff(attempt), method, url, f"failed ({exc.message})", attempt)
                    continue
                raise
            status = response.status_code
            if status in REDIRECTS:
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
                # A wait beyond the policy's cap is not slept on: the caller learns the
                # server's wish at once, from the answer handed back below.
                if retry.allows_delay(retry_after):
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
        if self.sleep is not None:
            self.sleep(seconds)
        else:
            time.sleep(seconds)
