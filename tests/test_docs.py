"""The documentation's examples run: every ``python`` block of docs/examples.md is a doctest (as the
README's example is, in test_render.py), so the worked examples cannot drift from the code."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from conftest import ROOT

EXAMPLES = ROOT / "docs" / "examples.md"


def _blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_examples_page_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    blocks = _blocks(EXAMPLES)
    assert len(blocks) >= 8
    # one doctest, one namespace: later examples use what earlier ones read (old, new, cmp)
    test = doctest.DocTestParser().get_doctest("\n".join(blocks), {}, "examples.md", str(EXAMPLES), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def test_readme_links_the_reference_and_examples() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/examples.md" in readme and "make docs" in readme


def test_docs_target_writes_outside_the_tracked_tree() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = makefile.split("\ndocs:", 1)[1].split("\n\n", 1)[0]
    assert "-o build/docs" in rule and "/build/" in (ROOT / ".gitignore").read_text(encoding="utf-8")
