"""The urllib3 transport: a ``urllib3.PoolManager``, the user's or lgsync's own.

Works with urllib3 1.26 and 2.x. Without a pool of the user's, it honours
``HTTP(S)_PROXY`` / ``NO_PROXY`` and ``REQUESTS_CA_BUNDLE`` / ``SSL_CERT_FILE``
as requests users expect.
"""

from __future__ import annotations

import os
import threading
from typing import Any
from urllib.parse import SplitResult, urlsplit

from lgsync.errors import APIConnectionError, APITimeoutError
from lgsync.timeouts import Timeout
from lgsync.transport._body import Preloaded, Urllib3Body, connect_error, redact_url
from lgsync.transport.base import Headers, Request, Response, proxy_environment

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
    """Send requests through ``urllib3``.

    Without a ``pool_manager``, the pools are made lazily in the process that
    uses them (a client created before a gunicorn ``--preload`` fork works in
    every worker). urllib3 pools are safe to share between threads.

    Example::

        pool = urllib3.PoolManager(ca_certs="/etc/ssl/corp-ca.pem", maxsize=20)
        client = lgsync.get_sync_client(url=..., transport=lgsync.Urllib3Transport(pool))
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
        self._pools: dict[str | None, Any] = {}
        self._lock = threading.Lock()
        self._pid = os.getpid()

    def __repr__(self) -> str:
        kind = "user pool" if self._user_pool is not None else "own pools"
        return f"<Urllib3Transport ({kind})>"

    def _pool_for(self, url: str) -> Any:
        if self._user_pool is not None:
            return self._user_pool
        proxy = self._proxy_for(url) if self._trust_env else None
        pid = os.getpid()
        with self._lock:
            if pid != self._pid:
                # Forked: leave the parent's sockets alone and start afresh.
                self._pools = {}
                self._pid = pid
            pool = self._pools.get(proxy)
            if pool is None:
                pool = self._new_pool(proxy)
                self._pools[proxy] = pool
            return pool

    def _new_pool(self, proxy: str | None) -> Any:
        import urllib3

        kwargs: dict[str, Any] = {"maxsize": self._maxsize, "retries": False, "block": False}
        if self._trust_env:
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("SSL_CERT_FILE")
            if bundle:
                kwargs["ca_certs"] = bundle
        kwargs.update(self._pool_kwargs)
        if proxy:
            return urllib3.ProxyManager(proxy, **kwargs)
        return urllib3.PoolManager(**kwargs)

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

    def send(self, request: Request, *, stream: bool = False, timeout: Timeout) -> Response:
        import urllib3
        from urllib3 import exceptions as u3

        headers = dict(request.headers)
        if stream and "accept-encoding" not in {k.lower() for k in headers}:
            headers["Accept-Encoding"] = "identity"
        elif "accept-encoding" not in {k.lower() for k in headers}:
            headers["Accept-Encoding"] = "gzip, deflate"
        read_timeout = timeout.stream_idle if stream else timeout.read
        try:
            raw = self._pool_for(request.url).urlopen(
                request.method,
                request.url,
                body=request.body,
                headers=headers,
                redirect=False,
                retries=False,
                timeout=urllib3.Timeout(connect=timeout.connect, read=read_timeout),
                preload_content=False,
                decode_content=False,
            )
        except (u3.HTTPError, OSError) as exc:
            failed = connect_error(exc, request.url)
            if failed is not None:
                raise failed from exc
            if isinstance(exc, (u3.ReadTimeoutError, u3.TimeoutError, TimeoutError)):
                raise APITimeoutError(f"Timed out waiting for {redact_url(request.url)}") from exc
            raise APIConnectionError(f"The request to {redact_url(request.url)} failed ({type(exc).__name__})") from exc

        body = Urllib3Body(raw, request.url, headers=Headers(list(raw.headers.items())))
        return body if stream else Preloaded.of(body)

    def close(self) -> None:
        with self._lock:
            pools, self._pools = self._pools, {}
        for pool in pools.values():
            pool.clear()
