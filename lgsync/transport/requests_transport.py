"""The requests transport: a ``requests.Session``, the user's or lgsync's own.

A session the user hands in keeps its proxies, certificates, auth and mounted
adapters. The environment (``HTTPS_PROXY``, ``NO_PROXY``,
``REQUESTS_CA_BUNDLE``) is merged as ``requests.get`` would, which a bare
``Session.send`` does not do.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from lgsync.errors import APIConnectionError, APITimeoutError
from lgsync.timeouts import Timeout
from lgsync.transport._body import Preloaded, Urllib3Body, connect_error, map_read_error, redact_url
from lgsync.transport.base import Headers, Request, Response, proxy_environment

__all__ = ["RequestsTransport"]


class RequestsTransport:
    """Send requests through ``requests``.

    Without a ``session``, each thread gets its own ``requests.Session``
    (requests does not promise that one session is safe across threads), made
    lazily in the process that uses it, so a client created before a fork
    works in every child. A ``session`` you pass is used as it is, from every
    thread.

    Example::

        session = requests.Session()
        session.proxies = {"https": "http://proxy.internal:3128"}
        session.verify = "/etc/ssl/corp-ca.pem"
        client = lgsync.get_sync_client(url=..., transport=lgsync.RequestsTransport(session))
    """

    def __init__(
        self,
        session: Any | None = None,
        *,
        pool_maxsize: int = 10,
        trust_env: bool = True,
    ) -> None:
        import requests  # noqa: F401  (fail here, not on the first call, if missing)

        self._user_session = session
        self._pool_maxsize = pool_maxsize
        self._trust_env = trust_env
        self._local = threading.local()
        self._owned: list[Any] = []
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._settings: dict[tuple[Any, ...], dict[str, Any]] = {}

    def __repr__(self) -> str:
        kind = "user session" if self._user_session is not None else "own sessions"
        return f"<RequestsTransport ({kind})>"

    def _session(self) -> Any:
        if self._user_session is not None:
            return self._user_session
        if os.getpid() != self._pid:
            # Forked: the parent's sockets are not ours to use.
            with self._lock:
                self._pid = os.getpid()
                self._owned = []
                self._local = threading.local()
        session = getattr(self._local, "session", None)
        if session is None:
            import requests
            from requests.adapters import HTTPAdapter

            session = requests.Session()
            session.trust_env = self._trust_env
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self._pool_maxsize, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._local.session = session
            with self._lock:
                self._owned.append(session)
        return session

    def send(self, request: Request, *, stream: bool = False, timeout: Timeout) -> Response:
        import requests

        session = self._session()
        prepared = session.prepare_request(
            requests.Request(request.method, request.url, headers=dict(request.headers), data=request.body)
        )
        # requests re-quotes the URL and turns the "%2E" of an id like ".." back
        # into a dot segment; the path lgsync built is already quoted, so keep it.
        ours, theirs = urlsplit(request.url), urlsplit(prepared.url)
        if theirs.path != ours.path:
            prepared.url = urlunsplit(theirs._replace(path=ours.path))
        # requests adds Accept-Encoding by default; a stream is read raw.
        if stream and "accept-encoding" not in {k.lower() for k in request.headers}:
            prepared.headers["Accept-Encoding"] = "identity"
        settings = self._environment_settings(session, prepared.url)
        read_timeout = timeout.stream_idle if stream else timeout.read
        try:
            resp = session.send(
                prepared,
                stream=True,
                timeout=(timeout.connect, read_timeout),
                allow_redirects=False,
                **settings,
            )
        except requests.exceptions.RequestException as exc:
            raise _map_send_error(exc, request.url) from exc

        headers = Headers(list(resp.headers.items()))
        raw = resp.raw
        body: Urllib3Body | _AdapterBody
        if hasattr(raw, "release_conn") and hasattr(raw, "_fp"):
            body = Urllib3Body(raw, request.url, status_code=resp.status_code, headers=headers, on_close=resp.close)
        else:
            body = _AdapterBody(resp, request.url, headers)
        return body if stream else Preloaded.of(body)

    def _environment_settings(self, session: Any, url: str) -> dict[str, Any]:
        """Proxies, CA bundle and client certificate for ``url``, as ``requests.get`` would merge them.

        ``Session.send`` ignores the environment; merging it scans every
        variable, so the result is kept per origin, session settings and
        value of the proxy variables.
        """
        parts = urlsplit(url)
        key = (
            parts.scheme,
            parts.netloc,
            id(session),
            repr(session.proxies),
            repr(session.verify),
            repr(session.cert),
            session.trust_env,
            proxy_environment(),
        )
        cached = self._settings.get(key)
        if cached is None:
            cached = session.merge_environment_settings(url, {}, True, None, None)
            cached.pop("stream", None)
            if len(self._settings) >= 256:
                self._settings.clear()
            self._settings[key] = cached
        return dict(cached)

    def close(self) -> None:
        with self._lock:
            owned, self._owned = self._owned, []
        for session in owned:
            session.close()
        self._local = threading.local()


def _map_send_error(exc: BaseException, url: str) -> APIConnectionError:
    import requests

    failed = connect_error(exc, url)
    if failed is not None:
        return failed
    if isinstance(exc, requests.exceptions.Timeout):
        return APITimeoutError(f"Timed out waiting for {redact_url(url)}")
    return APIConnectionError(f"The request to {redact_url(url)} failed ({type(exc).__name__})")


class _AdapterBody:
    """A response from an adapter whose ``raw`` is not urllib3 (a test adapter, say)."""

    def __init__(self, resp: Any, url: str, headers: Headers) -> None:
        self._resp = resp
        self.url = url
        self.status_code = resp.status_code
        self.headers = headers

    def read(self) -> bytes:
        try:
            return bytes(self._resp.content or b"")
        except Exception as exc:
            raise map_read_error(exc, self.url) from exc

    def iter_bytes(self) -> Iterator[bytes]:
        try:
            for chunk in self._resp.iter_content(chunk_size=None):
                if chunk:
                    yield chunk
        except Exception as exc:
            raise map_read_error(exc, self.url) from exc

    def close(self) -> None:
        self._resp.close()
