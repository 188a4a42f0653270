"""Start and stop a local ``langgraph dev`` server on a free loopback port.

For the demo and the tests: it needs the ``demo`` extra
(``langgraph-cli[inmem]``) and a ``langgraph.json`` naming the graphs.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = ["DevServer", "DevServerError", "free_port"]


class DevServerError(RuntimeError):
    """The dev server could not be started (the message says why, with its log)."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _langgraph_command() -> list[str]:
    exe = shutil.which("langgraph", path=os.path.dirname(sys.executable)) or shutil.which("langgraph")
    if exe is None:
        raise DevServerError("The langgraph CLI is not installed; install the demo extra: pip install 'lgsync[demo]'")
    return [exe]


class DevServer:
    """``langgraph dev`` serving the graphs of ``config``, on 127.0.0.1.

    Example::

        with DevServer("examples/langgraph.json") as server:
            client = lgsync.get_sync_client(url=server.url)
    """

    def __init__(
        self,
        config: str | os.PathLike[str],
        *,
        port: int | None = None,
        startup_timeout: float = 90.0,
        jobs_per_worker: int | None = None,
    ) -> None:
        self.config = Path(config).resolve()
        if not self.config.is_file():
            raise DevServerError(f"No LangGraph config at {self.config.name!r} (looked in {self.config.parent.name}/)")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.startup_timeout = startup_timeout
        self.jobs_per_worker = jobs_per_worker
        self.process: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()

    def start(self) -> DevServer:
        command = _langgraph_command() + [
            "dev",
            "--no-browser",
            "--no-reload",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--config",
            str(self.config),
        ]
        if self.jobs_per_worker:
            command += ["--n-jobs-per-worker", str(self.jobs_per_worker)]
        env = dict(os.environ)
        env.setdefault("LANGSMITH_TRACING", "false")
        env.setdefault("LANGGRAPH_CLI_NO_ANALYTICS", "1")
        env.pop("LANGGRAPH_API_KEY", None)
        self.process = subprocess.Popen(
            command,
            cwd=str(self.config.parent),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DevServerError(f"langgraph dev exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.url + "/ok", timeout=2) as answer:
                    if answer.status == 200:
                        return self
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.25)
        self.stop()
        raise DevServerError(f"langgraph dev did not answer within {self.startup_timeout:.0f}s:\n{self.log_tail()}")

    def log_tail(self, size: int = 4000) -> str:
        self._log.seek(0, os.SEEK_END)
        end = self._log.tell()
        self._log.seek(max(0, end - size))
        return self._log.read().decode("utf-8", errors="replace")

    def stop(self) -> None:
        """Stop the server (its whole process group), by the id we started it with."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def __enter__(self) -> DevServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
        self._log.close()
