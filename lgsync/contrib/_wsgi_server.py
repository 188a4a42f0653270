"""What a relay learns from the WSGI server it runs under, without writing to the browser.

Whether the browser closed its socket (werkzeug and gunicorn expose it in
the environ), and whether the server is gunicorn's ``sync`` worker, which
cuts a long response at ``--timeout``.
"""

from __future__ import annotations

import logging
import select
import socket
import threading
from collections.abc import Mapping
from typing import Any

__all__ = ["client_socket", "peer_left", "warn_if_sync_worker"]

logger = logging.getLogger("lgsync.contrib")

_sync_worker_warned = False
_warn_lock = threading.Lock()


def warn_if_sync_worker(environ: Mapping[str, Any]) -> bool:
    """Log a warning (once per process) when ``environ`` comes from gunicorn's ``sync`` worker.

    That worker serves one request at a time and kills it at ``--timeout``
    (30 s by default): a stream longer than that is cut without its ``end``
    event, and an ``EventSource`` then reconnects and starts another run.
    Returns whether ``environ`` looks like that worker.

    Example::

        warn_if_sync_worker(flask.request.environ)
    """
    global _sync_worker_warned
    software = str(environ.get("SERVER_SOFTWARE", ""))
    if not software.lower().startswith("gunicorn") or environ.get("wsgi.multithread", True):
        return False
    with _warn_lock:
        if _sync_worker_warned:
            return True
        _sync_worker_warned = True
    logger.warning(
        "lgsync: relaying a run's stream under gunicorn's sync worker, which serves one request at a time "
        "and kills a response at --timeout; use --worker-class gthread (with --threads) or gevent"
    )
    return True


def client_socket(environ: Mapping[str, Any] | None) -> socket.socket | None:
    if environ is None:
        return None
    for key in ("werkzeug.socket", "gunicorn.socket"):
        sock = environ.get(key)
        if isinstance(sock, socket.socket) and not hasattr(sock, "do_handshake"):  # not TLS: MSG_PEEK is refused
            return sock
    return None


def peer_left(sock: socket.socket) -> bool:
    """Whether the browser closed its end of ``sock``, seen without reading from it."""
    try:
        if hasattr(select, "poll"):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            if not poller.poll(0):
                return False
        elif not select.select([sock], [], [], 0)[0]:
            return False
        # Readable: either the browser sent bytes (nothing to conclude) or it closed (EOF).
        return sock.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return False
