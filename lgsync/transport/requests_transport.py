"""The requests transport: a ``requests.Session``, the user's or lgsync's own.

A session the user hands in keeps its proxies, certificates, auth and mounted
adapters. The environment (``HTTPS_PROXY``, ``NO_PROXY``,
``REQUESTS_CA_BUNDLE``) is merged as ``requests.get`` would, which a bare
``Session.send`` does not do. requests' redirect machinery never runs: lgsync
follows redirects itself, and a redirect's body is never read.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from typing import Any, Callable
from urllib.parse import urlsplit, urlunsplit

from lgsync._headers import HeaderDict
from lgsync.errors import LangGraphError
from lgsync.timeouts import Timeout
from lgsync.transport._body import Urllib3Body
from lgsync.transport._errors import check_proxy, check_url, close_quietly, map_read_error, map_send_error
from lgsync.transport._lean import lean_pool_classes
from lgsync.transport.base import Headers, Request, Response, outgoing_headers, proxy_environment

__all__ = ["RequestsTransport"]


class RequestsTransport:
    """Send requests through `requests`, optionally through your own `requests.Session`.

    Args:
        session: A session of yours, used as it is from every thread: its
            proxies, `verify`, `cert`, auth and mounted adapters apply. Without
            one, each call borrows one of lgsync's own sessions for its
            duration (requests does not promise that a session is thread-safe),
            made lazily in the process that uses it, so a client created before
            a fork works in every child.
        pool_maxsize: How many idle sessions of lgsync's own are kept for the
            next calls (the rest are closed, however many threads come and go),
            and the connection pool size of each.
        trust_env: Honour `HTTP(S)_PROXY`, `NO_PROXY`, `REQUESTS_CA_BUNDLE`,
            `CURL_CA_BUNDLE` and `SSL_CERT_FILE`, as `requests.get` does.

    Raises:
        ImportError: requests is not installed.

    Example:
        ```python
        session = requests.Session()
        session.proxies = {"https": "http://proxy.internal:3128"}
        session.verify = "/etc/ssl/corp-ca.pem"
        client = lgsync.get_sync_client(url="https://langgraph.internal", transport=lgsync.RequestsTransport(session))
        ```
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
        # Re-entrant: a stream dropped by the garbage collector inside a critical section
        # closes (and may cancel its run) through this same transport, on this thread.
        self._lock = threading.RLock()
        #: Sessions waiting for a call, the most recently used last.
        self._idle: list[Any] = []
        #: Sessions lent to a call in progress; weak, so a response dropped unclosed frees its session.
        self._lent: weakref.WeakSet[Any] = weakref.WeakSet()
        #: Bumped by close() and fork: a session lent before is closed on return instead of kept.
        self._generation = 0
        self._pid = os.getpid()
        self._settings: dict[tuple[Any, ...], dict[str, Any]] = {}

    def __repr__(self) -> str:
        kind = "user session" if self._user_session is not None else "own sessions"
        return f"<RequestsTransport ({kind})>"

    @property
    def open_sessions(self) -> int:
        """How many of lgsync's own sessions are alive now (idle or lent to a call)."""
        with self._lock:
            return len(self._idle) + len(self._lent)

    def _borrow(self) -> tuple[Any, Callable[[], None]]:
        """A session for one call, and the function that gives it back."""
        if self._user_session is not None:
            return self._user_session, _nothing
        with self._lock:
            if os.getpid() != self._pid:
                # Forked: the parent's sockets are not ours to use (nor to close).
                self._pid = os.getpid()
                self._idle = []
                self._lent = weakref.WeakSet()
                self._generation += 1
            session = self._idle.pop() if self._idle else None
            generation = self._generation
        if session is None:
            session = self._new_session()
        with self._lock:
            self._lent.add(session)
        returned = False

        def give_back() -> None:
            nonlocal returned
            if returned:
                return
            returned = True
            with self._lock:
                self._lent.discard(session)
                keep = generation == self._generation and len(self._idle) < self._pool_maxsize
                if keep:
                    self._idle.append(session)
            if not keep:
                close_quietly(session.close)

        return session, give_back

    def _new_session(self) -> Any:
        import requests
        from requests.adapters import HTTPAdapter

        session = requests.Session()
        session.trust_env = self._trust_env
        # The caller says which encodings it accepts; requests' default would add one
        # to a request that names none (a session of the user's keeps its own).
        session.headers.pop("Accept-Encoding", None)
        adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self._pool_maxsize, max_retries=0)
        # Heads read through a small buffer (``transport/_lean.py``); a proxy's pools keep urllib3's.
        adapter.poolmanager.pool_classes_by_scheme = lean_pool_classes()
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session

    def send(self, request: Request, *, timeout: Timeout) -> Response:
        """Send ``request`` and return the answer unread; see :class:`~lgsync.transport.base.Transport`."""
        headers = outgoing_headers(request)
        check_url(request.url)
        secrets = [value for _, value in headers._items.values()]
        try:
            session, give_back = self._borrow()
        except Exception as exc:
            raise map_send_error(exc, request.url, secrets) from exc
        route: list[str] = []  # the proxy, once known, for the error message
        try:
            return self._send(session, request, headers, timeout, give_back, route)
        except BaseException as exc:
            give_back()
            if isinstance(exc, Exception) and not isinstance(exc, LangGraphError):
                raise map_send_error(exc, request.url, secrets, proxy=route[0] if route else None) from exc
            raise

    def _send(
        self,
        session: Any,
        request: Request,
        headers: HeaderDict,
        timeout: Timeout,
        give_back: Callable[[], None],
        route: list[str],
    ) -> Urllib3Body | _AdapterBody:
        import requests
        from requests.utils import select_proxy

        prepared = session.prepare_request(
            requests.Request(request.method, request.url, headers=headers, data=request.body)
        )
        # requests re-quotes the URL and turns the "%2E" of an id like ".." back
        # into a dot segment; the path lgsync built is already quoted, so keep it.
        ours, theirs = urlsplit(request.url), urlsplit(prepared.url)
        if theirs.path != ours.path:
            prepared.url = urlunsplit(theirs._replace(path=ours.path))
        hidden = _RedirectHider()
        # Registered last, after any hook of the session or its auth: it runs
        # just before Session.send would start reading the redirect.
        prepared.register_hook("response", hidden)
        settings = self._environment_settings(session, prepared.url)
        proxy = select_proxy(prepared.url, settings.get("proxies"))
        if proxy:
            route.append(proxy)
            check_proxy(proxy, request.url)
        resp = session.send(
            prepared,
            stream=True,
            timeout=(timeout.connect, timeout.read),
            allow_redirects=False,
            **settings,
        )

        def close() -> None:
            close_quietly(resp.close)
            give_back()

        try:
            status = int(resp.status_code)
            headers_in = hidden.headers if hidden.headers is not None else resp.headers
            response_headers = Headers(list(headers_in.items()))
        except BaseException:
            close_quietly(resp.close)
            raise
        raw = resp.raw
        if hasattr(raw, "release_conn") and hasattr(raw, "_fp"):
            return Urllib3Body(raw, request.url, status_code=status, headers=response_headers, on_close=close)
        return _AdapterBody(resp, request.url, status, response_headers, on_close=close)

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
            # lgsync's own sessions are all configured alike: one entry serves them all.
            id(session) if session is self._user_session else None,
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
        """Close every session of lgsync's own, idle or in use; the transport stays usable."""
        with self._lock:
            idle, self._idle = self._idle, []
            lent = list(self._lent)
            self._generation += 1
        for session in idle + lent:
            close_quietly(session.close)


def _nothing() -> None:
    return None


class _RedirectHider:
    """A response hook that hides a redirect's ``Location`` from ``Session.send``.

    With ``allow_redirects=False``, ``Session.send`` still walks the redirect
    to fill ``Response.next``: it decodes the ``Location`` (failing on
    non-UTF-8 bytes) and reads the whole body (failing on a broken one, and
    downloading whatever size it is). Without a ``Location`` it does neither;
    the real headers are kept here for the ``Response`` lgsync hands back.
    """

    __slots__ = ("headers",)

    def __init__(self) -> None:
        self.headers: Any | None = None

    def __call__(self, resp: Any, **kwargs: Any) -> None:
        if resp.is_redirect:
            from requests.structures import CaseInsensitiveDict

            self.headers = resp.headers
            resp.headers = CaseInsensitiveDict(
                (name, value) for name, value in resp.headers.items() if name.lower() != "location"
            )


class _AdapterBody:
    """A response from an adapter whose ``raw`` is not urllib3 (a test adapter, say)."""

    def __init__(self, resp: Any, url: str, status_code: int, headers: Headers, on_close: Callable[[], None]) -> None:
        self._resp = resp
        self.url = url
        self.status_code = status_code
        self.headers = headers
        self._on_close = on_close

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
        except GeneratorExit:
            raise
        except Exception as exc:
            raise map_read_error(exc, self.url) from exc

    def close(self) -> None:
        self._on_close()
