"""Shared fixtures: the real corpora (from POLICYDIFF_CORPORA) and the bundled samples."""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir

from policydiff.model import Document
from policydiff.text import clean, is_blank

ROOT = Path(__file__).resolve().parents[1]

# In CI the property tests run the same examples every time (a red CI must mean a regression); locally
# they explore new ones on each run.
# Hypothesis keeps its example database and caches outside the checkout (tests never write into it).
set_hypothesis_home_dir(Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "policydiff" / "hypothesis")
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
SAMPLES = ROOT / "corpora"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture(scope="session")
def corpora() -> Path:
    """The shared real documents; a missing folder fails in CI and skips elsewhere."""
    path = Path(os.environ.get("POLICYDIFF_CORPORA", ROOT.parent / "shared" / "corpora"))
    if not path.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"POLICYDIFF_CORPORA={path} is missing; CI needs the shared corpora")
        pytest.skip(f"shared corpora not found at {path}")
    return path


@pytest.fixture(scope="session")
def shared(corpora: Path) -> Path:
    return corpora.parent


def assert_coverage(doc: Document) -> None:
    """Nothing lost: spans disjoint, each span's text is the node's own text, all visible text covered."""
    nodes = list(doc.nodes())
    spans = sorted(n.span for n in nodes)
    for (_, b), (c, _) in itertools.pairwise(spans):
        assert b <= c, f"overlapping spans {spans}"
    covered = bytearray(len(doc.text))
    for n in nodes:
        a, b = n.span
        assert 0 <= a < b <= len(doc.text)
        covered[a:b] = b"\x01" * (b - a)
        assert re.sub(r"\s", "", clean(doc.text[a:b])) == re.sub(r"\s", "", n.text), n.id
        for s in n.sentences:
            assert a <= s.span[0] < s.span[1] <= b
            assert re.sub(r"\s", "", clean(doc.text[s.span[0]:s.span[1]])) == re.sub(r"\s", "", s.text)
    lost = [i for i, ch in enumerate(doc.text) if not covered[i] and not is_blank(ch)]
    assert not lost, f"uncovered characters at {lost[:5]}: {doc.text[lost[0]:lost[0] + 10]!r}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright, shared by every browser test; missing in CI is a failure."""
    from gongwen import CHROMIUM, chromium_browser

    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium (apt-get install chromium)")
        pytest.skip("no chromium on this machine")
    with chromium_browser() as b:
        yield b
