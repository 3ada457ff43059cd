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


@pytest.mark.parametrize("copies", [2, 25])
def test_a_real_measure_repeated_is_unchanged_against_itself(corpora: Path, copies: int) -> None:
    """Issue 21, finding 11: a real measure copied 25 times into a report self-diffs as unchanged (exit 0),
    and with one copy fewer on one side nothing but that copy is reported (the anchors pair the rest)."""
    text = (corpora / "haining-education" / "2021.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("3."))
    doubled = "\n".join(lines[:at + 1] + [lines[at]] * copies + lines[at + 1:])
    doc = policydiff.parse(doubled)
    cmp = policydiff.compare(doc, doc)
    assert not cmp.changed, [(c.kind, [n.id for n in c.old], [n.id for n in c.new]) for c in cmp.changes
                             if c.kind != "unchanged" or c.moved]
    fewer = policydiff.parse("\n".join(lines[:at + 1] + [lines[at]] * (copies - 1) + lines[at + 1:]))
    odd = [c for c in policydiff.compare(doc, fewer).changes if c.kind != "unchanged" or c.moved]
    assert [c.kind for c in odd] in (["removed"], ["merged"]), [(c.kind, [n.id for n in c.old]) for c in odd]
