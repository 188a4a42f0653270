"""One client shared by many threads, and a client that crosses a fork."""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import lgsync
from lgsync.devserver import DevServer
from tests.conftest import TRANSPORTS

THREADS = 16
STREAMS_PER_THREAD = 10


def _stream_topics(client: lgsync.SyncClient, worker: int) -> list[tuple[str, str]]:
    results = []
    for n in range(STREAMS_PER_THREAD):
        topic = f"topic-{worker}-{n}"
        jokes = [
            part.data["generate_joke"]["joke"]
            for part in client.runs.stream(None, "agent", input={"topic": topic}, stream_mode="updates")
            if part.event == "updates" and "generate_joke" in part.data
        ]
        results.append((topic, jokes[0] if len(jokes) == 1 else repr(jokes)))
    return results


@pytest.mark.parametrize("transport_name", TRANSPORTS)
def test_sixteen_threads_share_one_client_without_cross_talk(langgraph_server: DevServer, transport_name: str) -> None:
    with lgsync.get_sync_client(url=langgraph_server.url, api_key=None, transport=transport_name) as client:
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            batches = list(pool.map(lambda w: _stream_topics(client, w), range(THREADS)))
    results = [item for batch in batches for item in batch]
    assert len(results) == THREADS * STREAMS_PER_THREAD
    for topic, joke in results:
        assert joke == f"This is a joke about {topic} and cats"


def _child(url: str, transport_name: str, client: lgsync.SyncClient, queue: multiprocessing.Queue) -> None:
    try:
        parts = list(client.runs.stream(None, "agent", input={"topic": f"pid {os.getpid()}"}, stream_mode="updates"))
        queue.put([p.data for p in parts if p.event == "updates"])
    except BaseException as exc:  # report anything to the parent
        queue.put(repr(exc))


@pytest.mark.skipif(sys.platform == "win32", reason="fork is POSIX only")
@pytest.mark.parametrize("transport_name", TRANSPORTS)
def test_a_client_created_before_fork_streams_in_the_child(langgraph_server: DevServer, transport_name: str) -> None:
    client = lgsync.get_sync_client(url=langgraph_server.url, api_key=None, transport=transport_name)
    # Use the pool in the parent first, so that there are sockets a child must not share.
    assert client.assistants.search(graph_id="agent")[0]["graph_id"] == "agent"
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    children = [
        context.Process(target=_child, args=(langgraph_server.url, transport_name, client, queue)) for _ in range(2)
    ]
    for child in children:
        child.start()
    answers = [queue.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=30)
        assert child.exitcode == 0
    for answer in answers:
        assert isinstance(answer, list), answer
        assert answer[0] == {"refine_topic": {"topic": answer[0]["refine_topic"]["topic"]}}
        assert answer[1]["generate_joke"]["joke"].startswith("This is a joke about pid ")
    # And the parent's pool still works after the children used theirs.
    assert client.threads.create()["thread_id"]
