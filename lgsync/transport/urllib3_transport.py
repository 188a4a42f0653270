"""The urllib3 transport: a ``urllib3.PoolManager``, the user's or lgsync's own.

Works with urllib3 1.26 and 2.x. Without a pool of the user's, it honours
``HTTP(S)_PROXY`` / ``NO_PROXY`` (credentials in the proxy URL included) and
``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` as requests users expect, and
``SSL_CERT_FILE`` as OpenSSL does.
"""

from __future__ import annotations

import base64
import os
import threading
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from lgsync.errors import LangGraphError
from lgsync.timeouts import Timeout
from lgsync.transport._body import Urllib3Body
from lgsync.transport._errors import check_proxy, check_url, close_quietly, map_send_error
from lgsync.transport._lean import lean_pool_classes
from lgsync.transport.base import Headers, Request, Response, outgoing_headers, proxy_environment

__all__ = ["Urllib3Transport"]


_proxy_decisions: dict[tuple[str, str, tuple[str | None, ...]], str | None] = {}


def _decide_proxy(parts: SplitResult) -> str | None:
    import urllib.request

    host = parts.hostname or ""
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    if urllib.request.proxy_bypass(host if parts.port is None else f"{host}:{parts.port}"):
        return None
    return proxy


class Urllib3Transport:
    """Send requests through `urllib3` (1.26 or 2.x), optionally through your own pool manager.

    Args:
        pool_manager: A `urllib3.PoolManager` (or `ProxyManager`) of yours, used
            as it is. Without one, pools are made lazily in the process that
            uses them (a client created before a gunicorn `--preload` fork works
            in every worker), one per origin, proxy and CA bundle.
        maxsize: Connections kept per pool of lgsync's own.
        trust_env: Honour `HTTP(S)_PROXY` (with its credentials), `NO_PROXY`,
            `REQUESTS_CA_BUNDLE`, `CURL_CA_BUNDLE` and `SSL_CERT_FILE`.
        **pool_kwargs: Passed to the `urllib3.PoolManager`s lgsync makes
            (`cert_reqs`, `ca_certs`, ...).

    Example:
        ```python
        pool = urllib3.PoolManager(ca_certs="/etc/ssl/corp-ca.pem", maxsize=20)
        client = lgsync.get_sync_client(url="https://langgraph.internal", transport=lgsync.Urllib3Transport(pool))
        ```
    """

    def __init__(
        self,
        pool_manager: Any | None = None,
        *,
        maxsize: int = 10,
        trust_env: bool = True,
        **pool_kwargs: Any,
    ) -> None:
        import urllib3  # noqa: F401  (fail here, not on the first call, if missing)

        self._user_pool = pool_manager
        self._maxsize = maxsize
        self._trust_env = trust_env
        self._pool_kwargs = pool_kwargs
        #: One pool per (proxy, CA bundle): either can change at run time.
        self._pools: dict[tuple[str | None, str | None], Any] = {}
        # Re-entrant: a stream dropped by the garbage collector inside a critical section
        # closes (and may cancel its run) through this same transport, on this thread.
        self._lock = threading.RLock()
        self._pid = os.getpid()
        #: ``urllib3.Timeout`` per (connect, read): urllib3 clones the one it is given.
        self._timeouts: dict[tuple[float | None, float | None], Any] = {}

    def __repr__(self) -> str:
        kind = "user pool" if self._user_pool is not None else "own pools"
        return f"<Urllib3Transport ({kind})>"

    def _pool_for(self, proxy: str | None) -> Any:
        if self._user_pool is not None:
            return self._user_pool
        pid = os.getpid()
        with self._lock:
            if pid != self._pid:
                # Forked: leave the parent's sockets alone and start afresh.
                self._pools = {}
                self._pid = pid
            bundle = None
            if self._trust_env:
                get = os.environ.get
                bundle = get("REQUESTS_CA_BUNDLE") or get("CURL_CA_BUNDLE") or get("SSL_CERT_FILE") or None
            pool = self._pools.get((proxy, bundle))
            if pool is None:
                pool = self._new_pool(proxy, bundle)
                self._pools[(proxy, bundle)] = pool
            return pool

    def _new_pool(self, proxy: str | None, bundle: str | None) -> Any:
        import urllib3

        kwargs: dict[str, Any] = {"maxsize": self._maxsize, "retries": False, "block": False}
        if bundle:
            kwargs["ca_certs"] = bundle
        kwargs.update(self._pool_kwargs)
        if not proxy:
            manager = urllib3.PoolManager(**kwargs)
        else:
            proxy_url, credentials = _split_proxy_credentials(proxy)
            if credentials is not None:
                # urllib3 ignores userinfo in a proxy URL; requests turns it into this header,
                # sent to the proxy on plain requests and on the CONNECT of a tunnel.
                kwargs["proxy_headers"] = {"Proxy-Authorization": credentials, **kwargs.get("proxy_headers", {})}
            manager = urllib3.ProxyManager(proxy_url, **kwargs)
        # Heads read through a small buffer (``transport/_lean.py``).
        manager.pool_classes_by_scheme = lean_pool_classes()
        return manager

    @staticmethod
    def _proxy_for(url: str) -> str | None:
        parts = urlsplit(url)
        # getproxies() scans the whole environment (a third of a small call's
        # time): decide once per origin and proxy settings.
        key = (parts.scheme, parts.netloc, proxy_environment())
        try:
            return _proxy_decisions[key]
        except KeyError:
            pass
        proxy = _decide_proxy(parts)
        if len(_proxy_decisions) >= 256:
            _proxy_decisions.clear()
        _proxy_decisions[key] = proxy
        return proxy

    def _timeout_for(self, connect: float | None, read: float | None) -> Any:
        key = (connect, read)
        made = self._timeouts.get(key)
        if made is None:
            import urllib3

            made = urllib3.Timeout(connect=connect, read=read)
            if len(self._timeouts) >= 16:
                self._timeouts.clear()
            self._timeouts[key] = made
        return made

    def send(self, request: Request, *, timeout: Timeout) -> Response:
        """Send ``request`` and return the answer unread; see :class:`~lgsync.transport.base.Transport`."""
        # urllib3 adds some headers itself (a ProxyManager merges "Accept" and "Host"
        # case-sensitively): give those names one spelling so each goes out once.
        headers = outgoing_headers(request, _CANONICAL)
        check_url(request.url)
        plain = dict(headers._items.values())
        secrets = list(plain.values())
        proxy: str | None = None
        try:
            if self._user_pool is None and self._trust_env:
                proxy = self._proxy_for(request.url)
                if proxy:
                    check_proxy(proxy, request.url)
            raw = self._pool_for(proxy).urlopen(
                request.method,
                request.url,
                body=request.body,
                headers=plain,
                redirect=False,
                retries=False,
                timeout=self._timeout_for(timeout.connect, timeout.read),
                preload_content=False,
                decode_content=False,
            )
            try:
                response_headers = Headers(list(raw.headers.items()))
                status = int(raw.status)
            except BaseException:
                close_quietly(raw.close)
                raise
            return Urllib3Body(raw, request.url, status_code=status, headers=response_headers)
        except LangGraphError:
            raise
        except Exception as exc:
            raise map_send_error(exc, request.url, secrets, proxy=proxy) from exc

    def close(self) -> None:
        """Close every pooled connection; the transport stays usable and opens new ones."""
        with self._lock:
            pools, self._pools = self._pools, {}
        for pool in pools.values():
            close_quietly(pool.clear)


#: The spelling urllib3 itself uses for the headers it may add.
_CANONICAL = {
    name.lower(): name
    for name in (
        "Accept",
        "Accept-Encoding",
        "Content-Length",
        "Content-Type",
        "Host",
        "Proxy-Authorization",
        "User-Agent",
    )
}


def _split_proxy_credentials(proxy: str) -> tuple[str, str | None]:
    """The proxy URL without userinfo, and the ``Proxy-Authorization`` value its userinfo makes.

    Example::

        >>> _split_proxy_credentials("http://me:p%40ss@proxy:3128")
        ('http://proxy:3128', 'Basic bWU6cEBzcw==')
    """
    parts = urlsplit(proxy)  # parsed before, by check_proxy
    if "@" not in parts.netloc:
        return proxy, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    pair = f"{unquote(user)}:{unquote(password)}"
    try:
        raw = pair.encode("latin-1")  # as requests encodes them
    except UnicodeEncodeError:
        raw = pair.encode("utf-8")
    token = base64.b64encode(raw).decode("ascii")
    return urlunsplit(parts._replace(netloc=hostport)), f"Basic {token}"
