"""The snippet runner itself: what it reads from a page, and how it compares output."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.snippets import ROOT, output_matches, parse, run

PAGE = """# A page

```python
x = 1
print(x)
```

```text
1
```

<!-- continues -->
```python
print(x + 1)
```
<!-- check
assert x == 1
-->

<!-- display-only: an excerpt -->
```python
undefined_name
```

<!-- stdin: y, n -->
```python
print(input(), input())
```

```bash
echo not python
```
"""


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.md"
    path.write_text(PAGE, encoding="utf-8")
    return path


def test_parse_reads_markers_output_and_checks(page: Path) -> None:
    first, second, third, fourth = parse(page)
    assert (first.line, first.expected_output, first.continues) == (3, "1", False)
    assert second.continues and second.previous is first and second.check == "assert x == 1"
    assert [b.source for b in second.chain()] == [first.source, second.source]
    assert third.display_only == "an excerpt" and third.kind == "display-only"
    assert fourth.stdin == ("y", "n") and fourth.expected_output is None


def test_run_continues_answers_input_and_runs_the_check(page: Path) -> None:
    first, second, _, fourth = parse(page)
    names, printed = run(first, None)
    assert printed == "1\n"
    _, printed = run(second, None, names)
    assert printed == "2\n"
    _, printed = run(fourth, None)
    assert printed == "y n\n"


def test_a_failing_check_fails_the_block(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("```python\nx = 2\n```\n<!-- check\nassert x == 1\n-->\n", encoding="utf-8")
    (block,) = parse(path)
    with pytest.raises(AssertionError):
        run(block, None)


def test_a_marker_must_precede_a_python_block(tmp_path: Path) -> None:
    path = tmp_path / "page.md"
    path.write_text("<!-- continues -->\nSome prose.\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not followed by a code block"):
        parse(path)
    path.write_text("<!-- display-only: -->\n```python\nx\n```\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a reason"):
        parse(path)


def test_output_matching() -> None:
    assert output_matches("{'run_id': '...', 'attempt': 1}", "{'run_id': 'abc', 'attempt': 1}\n")
    assert output_matches("run 1f02c2b3-3cef-68de-b720-eec2a4a8e920", "run 01a231a8-251f-7455-94bc-5bd117ef6be9")
    assert output_matches("...\nlast", "a\nb\nlast\n")
    assert output_matches("...\nlast", "last\n")
    assert not output_matches("a\nb", "a\n")
    assert not output_matches("a", "a\nb\n")
    assert not output_matches("{'attempt': 1}", "{'attempt': 2}")


def test_the_docs_url_is_pointed_at_the_server() -> None:
    path = ROOT / "docs" / "quickstart.md"
    blocks = parse(path)
    assert blocks[0].kind == "server"
