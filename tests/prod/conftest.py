"""The production shape of a LangGraph server, started once for the tier.

One PostgreSQL and one Redis, two ``langhost serve`` replicas sharing them
(the stock ``langgraph-api`` on Postgres + Redis) serving ``examples/``,
and a TCP balancer that hands each new connection to the first live
replica. Replica ``a`` answers HTTP only; replica ``b`` answers HTTP and
executes the runs. So the balancer's traffic goes to ``a`` while it lives,
and killing ``a`` mid-stream kills the replica serving the stream, never
the one executing the run.

What it needs is installed by ``.ci/prod-setup``. Without it the tier is
skipped, except in CI (``CI=true``), where it fails: CI must not pass by
skipping.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

import lgsync
from tests.conftest import ROOT
from tests.integration.conftest import proxied_client, recording_proxy
from tests.support.prod_balancer import Balancer
from tests.support.prod_servers import Aegra, Postgres, Redis, Replica, aegra_missing, missing_parts

__all__ = ["ProdStack", "proxied_client", "recording_proxy"]

CONFIG = ROOT / "examples" / "langgraph.json"
# The worker's heartbeat, short so that a run whose worker died is taken up
# again within seconds (the default is two minutes).
HEARTBEAT_SECONDS = "2"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "prod: needs the production-shaped server (Postgres + Redis + langhost replicas, .ci/prod-setup)"
    )


@dataclass
class ProdStack:
    """What the tier's fixture started; ``url`` is the balancer's."""

    postgres: Postgres
    redis: Redis
    replicas: list[Replica]
    balancer: Balancer
    extra: list[Replica] = field(default_factory=list)
    setup_seconds: float = 0.0

    @property
    def url(self) -> str:
        return self.balancer.url

    def new_replica(self, name: str, *, jobs: int) -> Replica:
        return _replica(self.postgres, self.redis, name, jobs=jobs)

    def start_extra(self, name: str, *, jobs: int) -> Replica:
        """Another replica on the same Postgres and Redis, not behind the balancer; stopped with the tier."""
        replica = self.new_replica(name, jobs=jobs)
        self.extra.append(replica)
        return replica.start()

    def revive(self) -> None:
        """Start again every replica behind the balancer that a test killed (same port, one after the other)."""
        for index, replica in enumerate(self.replicas):
            if not replica.alive:
                fresh = self.new_replica(replica.name, jobs=replica.jobs)
                fresh.port, fresh.url = replica.port, replica.url
                self.replicas[index] = fresh.start()

    def stop(self) -> None:
        self.balancer.close()
        for replica in [*self.extra, *self.replicas]:
            replica.stop()
        self.redis.stop()
        self.postgres.stop()


def _replica(postgres: Postgres, redis: Redis, name: str, *, jobs: int) -> Replica:
    return Replica(
        name,
        CONFIG,
        database_uri=postgres.uri,
        redis_uri=redis.uri,
        jobs=jobs,
        extra_env={"LG_BG_JOB_HEARTBEAT": HEARTBEAT_SECONDS},
    )


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"production-shaped tier cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"production-shaped tier skipped: {reason}")


@pytest.fixture(scope="session")
def prod_stack() -> Iterator[ProdStack]:
    missing = missing_parts()
    if missing:
        _unavailable("missing " + ", ".join(missing) + "; install them with: bash .ci/prod-setup")
    started = time.monotonic()
    postgres, redis = Postgres(), Redis()
    replicas: list[Replica] = []
    try:
        postgres.start()
        redis.start()
        # One after the other: two replicas migrating a fresh database at
        # once collide creating the checkpointer's tables.
        for name, jobs in (("a", 0), ("b", 8)):
            replica = _replica(postgres, redis, name, jobs=jobs)
            replicas.append(replica)
            replica.start()
    except BaseException:
        for replica in replicas:
            replica.stop()
        redis.stop()
        postgres.stop()
        raise
    stack = ProdStack(postgres, redis, replicas, Balancer([replica.port for replica in replicas]))
    stack.setup_seconds = time.monotonic() - started
    try:
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def langgraph_server(prod_stack: ProdStack) -> ProdStack:
    """The tier's server, for the shared fixtures (``client``, ``recording_proxy``): the balancer."""
    return prod_stack


@pytest.fixture
def revive_replicas(prod_stack: ProdStack) -> Iterator[ProdStack]:
    """For tests that kill a replica: every replica is up before and after."""
    prod_stack.revive()
    try:
        yield prod_stack
    finally:
        prod_stack.revive()


@pytest.fixture(scope="session")
def aegra_server(prod_stack: ProdStack) -> Iterator[Aegra]:
    """aegra on the tier's Postgres (a database of its own), serving the same graphs."""
    missing = aegra_missing()
    if missing:
        _unavailable("missing " + missing + "; install it with: bash .ci/prod-setup")
    server = Aegra(CONFIG, database_uri=prod_stack.postgres.create_database("aegra"))
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def aegra_client(aegra_server: Aegra, transport_name: str) -> Iterator[lgsync.SyncClient]:
    """An lgsync client of aegra, once per transport."""
    with lgsync.get_sync_client(url=aegra_server.url, api_key=None, transport=transport_name) as c:
        yield c
