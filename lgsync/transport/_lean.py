"""Connections that read an answer's status line and headers through a small buffer.

``http.client`` reads each answer's head through ``sock.makefile("rb")``, a
reader with an 8 KB buffer that lives as long as the connection's answer:
for a stream, as long as the stream. lgsync reads bodies with ``read1`` of up
to 64 KB, which bypasses that buffer, so it serves only the head, which a
LangGraph server keeps well under 1 KB. The connection pools lgsync makes
for itself use a 1 KB one instead: about 5 kB less per open stream, measured
at 1,000 streams under gevent (``docs/performance.md``). Pools and sessions
that a user hands in are left as they are.
"""

from __future__ import annotations

import functools
from typing import Any

__all__ = ["HEAD_BUFFER_SIZE", "lean_pool_classes"]

#: The buffer the head of an answer is read through (a longer head still reads, in more reads).
HEAD_BUFFER_SIZE = 1024


@functools.lru_cache(maxsize=None)
def lean_pool_classes() -> dict[str, Any]:
    """urllib3's pool classes by scheme, whose connections read an answer's head through a small buffer.

    For ``PoolManager.pool_classes_by_scheme`` (urllib3 1.26 and 2.x). Made
    once, when a transport first makes a pool, so that ``import lgsync``
    loads neither ``http.client`` nor urllib3.
    """
    import http.client

    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    class LeanHeadResponse(http.client.HTTPResponse):
        """``http.client.HTTPResponse`` reading through ``HEAD_BUFFER_SIZE`` bytes of buffer, not 8 KB."""

        def __init__(self, sock: Any, debuglevel: int = 0, method: str | None = None, url: str | None = None) -> None:
            super().__init__(sock, debuglevel, method, url)
            # Nothing has been read yet: trade the reader http.client made for a smaller one.
            self.fp.close()
            self.fp = sock.makefile("rb", HEAD_BUFFER_SIZE)

    class LeanHTTPConnection(HTTPConnection):
        response_class = LeanHeadResponse

    class LeanHTTPSConnection(HTTPSConnection):
        response_class = LeanHeadResponse

    class LeanHTTPConnectionPool(HTTPConnectionPool):
        ConnectionCls = LeanHTTPConnection

    class LeanHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = LeanHTTPSConnection

    return {"http": LeanHTTPConnectionPool, "https": LeanHTTPSConnectionPool}
