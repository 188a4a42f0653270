"""Find the Python blocks of the README and docs/, and run one as the docs promise.

A block runs as written, with ``http://127.0.0.1:2024`` pointed at the test
server. HTML comments right before a block say how it is run:

- ``<!-- display-only: reason -->``: shown, never run (the reason is required);
- ``<!-- continues -->``: runs after the previous block of the page, with its names;
- ``<!-- stdin: a, b -->``: what ``input()`` answers, in turn.

Right after a block, a ``text`` block is its printed output (``...`` matches
anything within a line, ids included), and an ``<!-- check ... -->`` comment
holds hidden code run in the block's namespace, to test what the block shows.
"""

from __future__ import annotations

import builtins
import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
DOCS_URL = "http://127.0.0.1:2024"

_FENCE = re.compile(r"^(`{3,})\s*([\w+-]*)\s*$")
_MARKER = re.compile(r"^<!--\s*(display-only|continues|stdin)\s*:?\s*(.*?)\s*-->\s*$")
_CHECK_OPEN = re.compile(r"^<!--\s*check\s*$")
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Block:
    """One fenced Python block of a page, with what the comments around it say."""

    path: Path
    line: int  # 1-based line of the opening fence
    source: str
    display_only: str | None = None
    continues: bool = False
    stdin: tuple[str, ...] = ()
    expected_output: str | None = None
    check: str | None = None
    previous: Block | None = field(default=None, repr=False)  # the block this one continues

    @property
    def key(self) -> str:
        try:
            name = self.path.relative_to(ROOT).as_posix()
        except ValueError:  # a page outside the checkout (the runner's own tests)
            name = self.path.name
        return f"{name}:{self.line}"

    def chain(self) -> list[Block]:
        """This block and those it continues, first one first."""
        blocks: list[Block] = []
        block: Block | None = self
        while block is not None:
            blocks.append(block)
            block = block.previous if block.continues else None
        return blocks[::-1]

    @property
    def kind(self) -> str:
        """``display-only``, ``mock`` (MockTransport), ``server`` (the real server) or ``offline``."""
        if self.display_only is not None:
            return "display-only"
        text = "\n".join(b.source + (b.check or "") for b in self.chain())
        if "MockTransport" in text:
            return "mock"
        if DOCS_URL in text or "LANGGRAPH_URL" in text:
            return "server"
        return "offline"


def parse(path: Path) -> list[Block]:
    """The Python blocks of a Markdown page, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    pending: dict[str, str] = {}
    last_python: Block | None = None
    previous_python: Block | None = None
    i = 0
    while i < len(lines):
        line = lines[i]
        marker = _MARKER.match(line.strip())
        if marker:
            pending[marker.group(1)] = marker.group(2)
            i += 1
            continue
        if _CHECK_OPEN.match(line.strip()):
            end = i + 1
            while end < len(lines) and lines[end].strip() != "-->":
                end += 1
            if last_python is None:
                raise ValueError(f"{path.name}:{i + 1}: a check comment must follow a python block")
            last_python.check = "\n".join(lines[i + 1 : end])
            i = end + 1
            continue
        fence = _FENCE.match(line)
        if not fence:
            if line.strip():
                last_python = None
                if pending:
                    raise ValueError(f"{path.name}:{i + 1}: {sorted(pending)} is not followed by a code block")
            i += 1
            continue
        ticks, language = fence.groups()
        end = i + 1
        while end < len(lines) and lines[end].strip() != ticks:
            end += 1
        body = "\n".join(lines[i + 1 : end])
        if language == "python":
            if "display-only" in pending and not pending["display-only"]:
                raise ValueError(f"{path.name}:{i + 1}: display-only needs a reason")
            block = Block(
                path=path,
                line=i + 1,
                source=body + "\n",
                display_only=pending.get("display-only"),
                continues="continues" in pending,
                stdin=tuple(s.strip() for s in pending.get("stdin", "").split(",") if s.strip()),
                previous=previous_python,
            )
            if block.continues and previous_python is None:
                raise ValueError(f"{path.name}:{i + 1}: continues, but no block comes before it")
            blocks.append(block)
            previous_python = last_python = block
        elif language == "text" and last_python is not None and last_python.expected_output is None:
            last_python.expected_output = body
            last_python = None
        else:
            last_python = None
            if pending:
                raise ValueError(f"{path.name}:{i + 1}: {sorted(pending)} precedes a {language or 'plain'} block")
        pending = {}
        i = end + 1
    return blocks


def pages() -> list[Path]:
    """The README and every page of docs/."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def all_blocks() -> Iterator[Block]:
    for page in pages():
        yield from parse(page)


def output_matches(expected: str, actual: str) -> bool:
    """Whether printed output matches what the page shows.

    ``...`` within a line matches anything on that line (ids are matched so
    too); a line that is only ``...`` matches any number of lines.
    """
    want = [line.rstrip() for line in _UUID.sub("...", expected.strip("\n")).splitlines()]
    got = "".join(line.rstrip() + "\n" for line in actual.strip("\n").splitlines())
    regex = ""
    for line in want:
        if line == "...":
            regex += r"(?:[^\n]*\n)*?"
        else:
            regex += "[^\n]*?".join(re.escape(piece) for piece in line.split("...")) + r"\n"
    return re.fullmatch(regex, got) is not None


def run(block: Block, url: str | None, namespace: dict[str, Any] | None = None) -> tuple[dict[str, Any], str]:
    """Execute ``block`` (and its check) in ``namespace``; return the namespace and what it printed."""
    source = block.source if url is None else block.source.replace(DOCS_URL, url)
    check = block.check if url is None or block.check is None else block.check.replace(DOCS_URL, url)
    names: dict[str, Any] = {"__name__": f"docs_snippet_{block.line}"} if namespace is None else dict(namespace)
    answers = list(block.stdin)

    def fake_input(prompt: object = "") -> str:
        if not answers:
            raise AssertionError(f"{block.key}: input() asked more than the stdin marker answers")
        return answers.pop(0)

    out = io.StringIO()
    real_input = builtins.input
    builtins.input = fake_input
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, block.key, "exec"), names)
            if check:
                exec(compile(check, f"{block.key} (check)", "exec"), names)
    finally:
        builtins.input = real_input
    return names, out.getvalue()
