"""Every Python block of the README and docs/ runs, one test per block (``file:line``).

Blocks that name ``http://127.0.0.1:2024`` run against the real LangGraph dev
server of the session (serving ``examples/``); blocks built on
``lgsync.testing.MockTransport`` run without one; display-only blocks are
skipped with the reason the page gives. A block's printed output is compared
with the ``text`` block that follows it.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from types import FrameType
from typing import Any

import pytest

from tests.docs.snippets import Block, all_blocks, output_matches, run

BLOCKS = list(all_blocks())
# A block's namespace once it ran, so that the next block of the page continues from it.
_NAMESPACES: dict[str, dict[str, Any]] = {}
_DEADLINE = 180  # seconds one block (with the blocks it continues) may take


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail a block that hangs instead of hanging the suite."""

    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"a docs block ran longer than {_DEADLINE} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(_DEADLINE)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _namespace_before(block: Block, url: str | None) -> dict[str, Any] | None:
    """The names the block starts with: those left by the block it continues (run again if needed)."""
    if not block.continues or block.previous is None:
        return None
    previous = block.previous
    if previous.key not in _NAMESPACES:
        names, _ = run(previous, url, _namespace_before(previous, url))
        _NAMESPACES[previous.key] = names
    return _NAMESPACES[previous.key]


@pytest.mark.parametrize("block", BLOCKS, ids=[b.key for b in BLOCKS])
def test_block(block: Block, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, deadline: None) -> None:
    if block.display_only is not None:
        pytest.skip(f"display-only: {block.display_only}")
    url = None
    if block.kind == "server":
        url = request.getfixturevalue("langgraph_server").url
        monkeypatch.setenv("LANGGRAPH_URL", url)
    for name in ("LANGGRAPH_API_KEY", "LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(os.path.dirname(block.path))
    names, printed = run(block, url, _namespace_before(block, url))
    _NAMESPACES[block.key] = names
    if block.expected_output is not None:
        assert output_matches(block.expected_output, printed), (
            f"{block.key} printed:\n{printed}\nthe page shows:\n{block.expected_output}"
        )
