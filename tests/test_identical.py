"""Identical inputs are never reported as changed: ``diff X X`` exits 0 on every real corpus file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import policydiff
from conftest import ROOT
from policydiff.cli import main

_CORPORA = Path(os.environ.get("POLICYDIFF_CORPORA", ROOT.parent / "shared" / "corpora"))
FILES = sorted(str(p.relative_to(_CORPORA)) for p in _CORPORA.glob("*/*.txt")) if _CORPORA.is_dir() else []
EXPECTED_FILES = 52
"""51 State Council reports and the Haining education opinion."""

def test_the_whole_corpus_is_there(corpora: Path) -> None:
    assert len(list(corpora.glob("*/*.txt"))) == EXPECTED_FILES


@pytest.mark.parametrize("name", FILES)
def test_identical_inputs_are_unchanged(corpora: Path, name: str) -> None:
    doc = policydiff.read(corpora / name)
    cmp = policydiff.compare(doc, doc)
    odd = [(c.kind, c.moved, [n.id for n in c.old], [n.id for n in c.new]) for c in cmp.changes
           if c.kind != "unchanged" or c.moved]
    assert not cmp.changed, (odd, cmp.metadata_changes)


def test_identical_inputs_exit_0_through_the_cli(corpora: Path) -> None:
    path = str(corpora / "gov-work-report" / "2024.txt")
    assert main(["diff", path, path, "-f", "json", "-o", os.devnull]) == 0
