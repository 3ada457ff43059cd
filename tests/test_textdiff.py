"""The fast paths of `textdiff` give what the plain ones give: the overlaps of many blocks at once against
`similarity.set_overlap` block by block, the shared token alphabet against a pair's own, the one-to-one
shortcut against the assignment."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff
from policydiff import textdiff
from policydiff.similarity import ALL_PAIRS, assign, set_overlap

TEXTS = st.text(alphabet=st.sampled_from("教育改革发展推进，。；a1 ５%\U00020000"), max_size=12)


def _same(a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]) -> None:
    assert len(a) == len(b) == 5
    for x, y in zip(a, b, strict=True):
        assert x.dtype.kind == y.dtype.kind
        assert np.array_equal(x, y)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(TEXTS, max_size=5), st.lists(TEXTS, max_size=5)), max_size=6))
def test_sentence_overlaps_are_set_overlap(blocks: list[tuple[list[str], list[str]]]) -> None:
    for got, (a, b) in zip(textdiff.sentence_overlaps(blocks), blocks, strict=True):
        _same(got, set_overlap(a, b))


def test_sentence_overlaps_on_a_report_pair(corpora: Path) -> None:
    """Every measure pair of two reports as one block each, and one block over ``ALL_PAIRS`` (left to
    ``set_overlap``'s candidates) among them."""
    folder = corpora / "gov-work-report"
    old, new = policydiff.read(folder / "2021.txt"), policydiff.read(folder / "2022.txt")
    olds = [[s.text for s in n.sentences] for n in old.nodes() if n.sentences]
    news = [[s.text for s in n.sentences] for n in new.nodes() if n.sentences]
    blocks = list(zip(olds, news, strict=False))
    whole = ([s for x in olds for s in x], [s for x in news for s in x])
    assert len(whole[0]) * len(whole[1]) > ALL_PAIRS
    blocks.insert(3, whole)
    found = textdiff.sentence_overlaps(blocks)
    assert sum(len(x[0]) for x in found) > 1000
    for got, (a, b) in zip(found, blocks, strict=True):
        _same(got, set_overlap(a, b))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("创建一级园所二级３3５5.%，, 。ab"), max_size=30),
       st.text(alphabet=st.sampled_from("创建一级园所二级３3５5.%，, 。ab"), max_size=30))
def test_shared_alphabet_is_the_pair_alphabet(old: str, new: str) -> None:
    ot, nt = textdiff._tokens(old), textdiff._tokens(new)
    shared = textdiff._encode_shared(ot, nt)
    assert shared is not None
    pair = textdiff._encode_pair(ot, nt)
    for x, y in itertools.product(range(2), repeat=2):  # the same tokens are equal, and only they
        assert [[c == d for d in shared[y]] for c in shared[x]] == [[c == d for d in pair[y]] for c in pair[x]]


def test_full_shared_alphabet_falls_back_to_the_pair(monkeypatch: pytest.MonkeyPatch) -> None:
    expected = textdiff.inline_diff("甲乙，3所", "乙丙丁，５所")
    monkeypatch.setattr(textdiff, "_CHAR_OF_KEY", {})
    monkeypatch.setattr(textdiff, "_CHAR_OF_TOKEN", {})
    monkeypatch.setattr(textdiff, "_ALPHABET", 3)
    assert textdiff._encode_shared(list("甲乙"), list("乙丙丁")) is None
    assert textdiff.inline_diff("甲乙，3所", "乙丙丁，５所") == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.floats(0.34, 1.0)), max_size=12))
def test_one_to_one_is_the_assignment(edges: list[tuple[int, int, float]]) -> None:
    seen: set[tuple[int, int]] = set()
    edges = [e for e in edges if (e[0], e[1]) not in seen and not seen.add((e[0], e[1]))]  # type: ignore[func-returns-value]
    rows = np.array([e[0] for e in edges], dtype=np.int64)
    cols = np.array([e[1] for e in edges], dtype=np.int64)
    vals = np.array([e[2] for e in edges], dtype=float)
    expected = {r: c for r, (c, _) in assign(rows, cols, vals, 6, 6).items()}
    assert textdiff._one_to_one(rows, cols, vals, 6, 6) == expected
