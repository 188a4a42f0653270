"""``lgsync demo`` from a built wheel in a fresh venv, outside the checkout: no ``examples/`` to lean on.

The wheel is built from a copy of the sources (so the checkout gets no
``build/``), installed first without the ``demo`` extra (the command must say
what it lacks), then with it (the command must stream the guide's example).
Packages come from the configured registry; if pip cannot reach one, the
test is skipped and says so.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
_UNREACHABLE = (
    "No matching distribution found",
    "Could not find a version that satisfies",
    "Failed to establish a new connection",
    "Temporary failure in name resolution",
    "Network is unreachable",
)


def _run(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "LANGGRAPH_API_KEY")}
    return subprocess.run(
        command, cwd=str(cwd), env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
    )


def _pip_install(python: Path, requirement: str, cwd: Path) -> None:
    result = _run([str(python), "-m", "pip", "install", "--quiet", requirement], cwd, timeout=150)
    if result.returncode != 0:
        if any(marker in result.stderr for marker in _UNREACHABLE):
            pytest.skip(f"pip cannot reach a package registry: {result.stderr.strip().splitlines()[-1]}")
        pytest.fail(f"pip install {requirement} failed:\n{result.stderr[-3000:]}")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("setup.cfg", "setup.py", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    shutil.copytree(ROOT / "lgsync", source / "lgsync", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = tmp_path_factory.mktemp("wheels")
    result = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(source)], out, 120)
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = out.glob("lgsync-*.whl")
    return built


def test_the_wheel_carries_the_demo_graph_and_no_checkout_paths(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"lgsync/demo/__init__.py", "lgsync/demo/graph.py", "lgsync/demo/run.py", "lgsync/cli/__init__.py"} <= names
    assert not any(name.startswith(("examples/", "tests/")) for name in names)


def test_lgsync_demo_runs_from_an_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True, timeout=60)
    python = tmp_path / "venv" / "bin" / "python"
    lgsync_command = str(tmp_path / "venv" / "bin" / "lgsync")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    _pip_install(python, str(wheel), elsewhere)
    lacking = _run([lgsync_command, "demo"], elsewhere, timeout=60)
    assert lacking.returncode == 5, lacking.stderr
    assert "pip install 'lgsync[demo]'" in lacking.stderr
    assert lacking.stdout == ""

    _pip_install(python, f"{wheel}[demo]", elsewhere)
    result = _run([lgsync_command, "demo"], elsewhere, timeout=150)
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
    assert "with the demo graph" in result.stderr
    # The dev server ran in a scratch directory: nothing was written where the command ran, nor into the venv.
    assert list(elsewhere.iterdir()) == []
    assert not list((tmp_path / "venv").rglob(".langgraph_api"))
