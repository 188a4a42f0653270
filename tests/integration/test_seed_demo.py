"""``lgsync demo``: the console command streams the guide's extended example from its own server.

It starts a second ``langgraph dev``, so it runs once (default transport).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]


def test_lgsync_demo_prints_the_metadata_then_the_two_updates() -> None:
    env = dict(os.environ)
    env.pop("LANGGRAPH_API_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "lgsync.cli", "demo"],
        check=False,
        cwd=str(ROOT),
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert result.returncode == 0, result.stderr[-4000:]
    lines = result.stdout.splitlines()
    assert len(lines) == 3, result.stdout
    metadata = ast.literal_eval(lines[0])
    assert set(metadata) == {"run_id", "attempt"} and metadata["attempt"] == 1, lines[0]
    uuid.UUID(metadata["run_id"])
    assert lines[1:] == [
        "{'refine_topic': {'topic': 'ice cream and cats'}}",
        "{'generate_joke': {'joke': 'This is a joke about ice cream and cats'}}",
    ]
    assert "Server up at http://127.0.0.1:" in result.stderr
