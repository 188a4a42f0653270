"""Start and stop the production shape of a LangGraph server, for tests/prod.

PostgreSQL and Redis (Debian's packages) run on free loopback ports from a
temporary directory, and ``langhost serve`` replicas (the stock
``langgraph-api`` on Postgres + Redis, installed in ``.venv-prod`` by
``.ci/prod-setup``) share them. Every process is started here and stopped
here, by the id it was started with.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

from lgsync.devserver import free_port

__all__ = [
    "PG_BIN",
    "Aegra",
    "Postgres",
    "ProdSetupError",
    "Redis",
    "Replica",
    "aegra_missing",
    "missing_parts",
]

ROOT = Path(__file__).resolve().parent.parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
LANGHOST = ROOT / ".venv-prod" / "bin" / "langhost"
AEGRA = ROOT / ".venv-prod-aegra" / "bin" / "aegra"


class ProdSetupError(RuntimeError):
    """A server of the production shape did not start (the message says why, with its log)."""


def missing_parts() -> list[str]:
    """What ``.ci/prod-setup`` installs that is not there (empty when all is)."""
    missing = []
    if not LANGHOST.is_file():
        missing.append(f"{LANGHOST.relative_to(ROOT)} (langhost)")
    for name in ("initdb", "postgres"):
        if not (PG_BIN / name).is_file():
            missing.append(f"PostgreSQL 15 ({name})")
            break
    if shutil.which("redis-server") is None:
        missing.append("redis-server")
    return missing


def aegra_missing() -> str | None:
    """What is missing to run aegra (``None`` when nothing is)."""
    return None if AEGRA.is_file() else f"{AEGRA.relative_to(ROOT)} (aegra)"


def _wait_for(check: Any, what: str, timeout: float, process: subprocess.Popen[bytes], log: Any) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ProdSetupError(f"{what} exited with {process.returncode}:\n{log()}")
        if check():
            return
        time.sleep(0.2)
    raise ProdSetupError(f"{what} was not ready within {timeout:.0f}s:\n{log()}")


def _stop(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, *, group: bool = False) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        if group:
            os.killpg(process.pid, sig)
        else:
            process.send_signal(sig)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
        process.wait(timeout=10)


class _Logged:
    def __init__(self) -> None:
        self._log: IO[bytes] = tempfile.TemporaryFile()

    def log_tail(self, size: int = 4000) -> str:
        self._log.flush()
        self._log.seek(0, os.SEEK_END)
        end = self._log.tell()
        self._log.seek(max(0, end - size))
        return self._log.read().decode("utf-8", errors="replace")


class Postgres(_Logged):
    """A throwaway PostgreSQL 15 cluster in a temporary directory of its own, on a free port.

    Run as the ``postgres`` user when we are root (PostgreSQL refuses root),
    as ourselves otherwise. ``stop()`` also removes the directory.
    """

    def __init__(self) -> None:
        super().__init__()
        self.workdir = Path(tempfile.mkdtemp(prefix="lgsync-pg-"))
        self.data = self.workdir / "pgdata"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._user: str | None = "postgres" if os.geteuid() == 0 else None

    @property
    def uri(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _chown(self, path: Path) -> None:
        if self._user is not None:
            record = pwd.getpwnam(self._user)
            os.chown(path, record.pw_uid, record.pw_gid)

    def start(self) -> Postgres:
        self._chown(self.workdir)
        initdb = subprocess.run(
            [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=self._user,
            cwd=str(self.workdir),
            check=False,
        )
        if initdb.returncode != 0:
            raise ProdSetupError(f"initdb exited with {initdb.returncode}:\n{self.log_tail()}")
        # Started directly (not through pg_ctl) so that its id is ours to stop.
        self.process = subprocess.Popen(
            [
                str(PG_BIN / "postgres"),
                "-D",
                str(self.data),
                "-p",
                str(self.port),
                "-k",
                str(self.workdir),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
                "-c",
                "max_connections=200",
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            user=self._user,
            cwd=str(self.workdir),
            start_new_session=True,
        )
        _wait_for(self._ready, "postgres", 60, self.process, self.log_tail)
        return self

    def create_database(self, name: str) -> str:
        """A new empty database on this cluster; its URI."""
        made = subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if made.returncode != 0:
            raise ProdSetupError(f"createdb {name} exited with {made.returncode}:\n{self.log_tail()}")
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _ready(self) -> bool:
        probe = subprocess.run(
            [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-t", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        return probe.returncode == 0

    def stop(self) -> None:
        # SIGINT: PostgreSQL's "fast" shutdown (ends sessions, no waiting on clients).
        _stop(self.process, signal.SIGINT)
        self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)


class Redis(_Logged):
    """A Redis without persistence, on a free loopback port (``stop()`` removes its directory)."""

    def __init__(self) -> None:
        super().__init__()
        self.workdir = Path(tempfile.mkdtemp(prefix="lgsync-redis-"))
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self) -> Redis:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_for(self._ready, "redis-server", 30, self.process, self.log_tail)
        return self

    def _ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        _stop(self.process, signal.SIGTERM)
        self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)


class Replica(_Logged):
    """One ``langhost serve`` process on a free port, sharing ``database_uri`` and ``redis_uri``.

    ``jobs`` is how many runs its own worker executes at once (0: it only
    answers HTTP, and other replicas' workers execute the runs).
    """

    def __init__(
        self,
        name: str,
        config: Path,
        *,
        database_uri: str,
        redis_uri: str,
        jobs: int,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.name = name
        self.config = config
        self.database_uri = database_uri
        self.redis_uri = redis_uri
        self.jobs = jobs
        self.extra_env = dict(extra_env or {})
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> Replica:
        env = dict(os.environ)
        for name in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "VIRTUAL_ENV"):
            env.pop(name, None)
        env.update(
            {
                "DATABASE_URI": self.database_uri.replace("postgres://", "postgresql+asyncpg://", 1),
                "REDIS_URI": self.redis_uri,
                "LANGSMITH_TRACING": "false",
                "LANGGRAPH_CLI_NO_ANALYTICS": "1",
                "N_JOBS_PER_WORKER": str(self.jobs),
            }
        )
        env.update(self.extra_env)
        self.process = subprocess.Popen(
            [
                str(LANGHOST),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "-c",
                str(self.config),
                "--no-browser",
                "--n-jobs-per-worker",
                str(self.jobs),
                "--server-log-level",
                "warning",
            ],
            cwd=str(self.config.parent),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        _wait_for(self._ready, f"langhost replica {self.name}", timeout, self.process, self.log_tail)
        return self

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/ok", timeout=2) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def send_signal(self, sig: int) -> None:
        """Send ``sig`` to the replica's process group, without waiting."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def wait_gone(self, timeout: float = 30.0) -> int:
        """Wait until the replica's process has exited (SIGKILL when ``timeout`` is up); its exit code."""
        assert self.process is not None
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            return self.process.wait(timeout=10)

    def stop(self) -> None:
        _stop(self.process, signal.SIGTERM, group=True)
        self.process = None


class Aegra(_Logged):
    """``aegra serve`` (Postgres only, no auth) serving the graphs of ``config``, on a free loopback port."""

    def __init__(self, config: Path, *, database_uri: str) -> None:
        super().__init__()
        self.config = config
        self.database_uri = database_uri
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120.0) -> Aegra:
        env = dict(os.environ)
        env.pop("VIRTUAL_ENV", None)
        env.update({"DATABASE_URL": self.database_uri, "AUTH_TYPE": "noop", "LANGSMITH_TRACING": "false"})
        self.process = subprocess.Popen(
            [str(AEGRA), "serve", "--host", "127.0.0.1", "--port", str(self.port), "-c", str(self.config)],
            cwd=str(self.config.parent),
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        _wait_for(self._ready, "aegra", timeout, self.process, self.log_tail)
        return self

    def _ready(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/health", timeout=2) as answer:
                return bool(answer.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        _stop(self.process, signal.SIGTERM, group=True)
        self.process = None
