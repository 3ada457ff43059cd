"""The two ways `similarity` computes the same thing agree: pair sums on CSR arrays (few pairs) and through
sparse products (many), the dense and the sparse assignment, bigram sets and bigram counts."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix

import policydiff
from policydiff import similarity
from policydiff.similarity import Vectors, assign
from policydiff.text import bigram_counts, bigram_set, content_key, is_punct_or_symbol, normalize, word_bigrams


@pytest.fixture(scope="module")
def vectors(corpora: Path) -> tuple[Vectors, int, int]:
    folder = corpora / "gov-work-report"
    old = [s.text for n in policydiff.read(folder / "2021.txt").nodes() for s in n.sentences]
    new = [s.text for n in policydiff.read(folder / "2022.txt").nodes() for s in n.sentences]
    return Vectors(old, new), len(old), len(new)


def test_pair_sums_agree_on_few_and_many_pairs(vectors: tuple[Vectors, int, int]) -> None:
    vec, n_old, n_new = vectors
    rng = np.random.default_rng(0)
    rows = rng.integers(0, n_old, 3 * similarity.FEW_PAIRS)
    cols = rng.integers(0, n_new, 3 * similarity.FEW_PAIRS)
    many_cos = vec.cosine_at(rows, cols)  # above FEW_PAIRS: sparse products
    many_in = vec.containment_at(rows, cols)
    few_cos = np.concatenate([vec.cosine_at(rows[i:i + 7], cols[i:i + 7]) for i in range(0, len(rows), 7)])
    few_in = [np.concatenate([vec.containment_at(rows[i:i + 7], cols[i:i + 7])[k] for i in range(0, len(rows), 7)])
              for k in (0, 1)]
    assert (many_cos > 0).sum() > 100  # the sample holds real overlaps, not only zeros
    assert np.allclose(many_cos, few_cos)
    assert np.allclose(many_in[0], few_in[0]) and np.allclose(many_in[1], few_in[1])


def _best_total(edges: dict[tuple[int, int], float], n_rows: int) -> float:
    """The largest summed value of a one-to-one choice of edges, by trying every choice (tiny tables)."""
    best = 0.0

    def walk(r: int, used: frozenset[int], total: float) -> None:
        nonlocal best
        if r == n_rows:
            best = max(best, total)
            return
        walk(r + 1, used, total)  # row r stays unpaired
        for (a, c), v in edges.items():
            if a == r and c not in used:
                walk(r + 1, used | {c}, total + v)

    walk(0, frozenset(), 0.0)
    return best


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.data())
def test_assignment_reaches_the_best_total(n_rows: int, n_cols: int, data: st.DataObject) -> None:
    cells = list(itertools.product(range(n_rows), range(n_cols)))
    chosen = data.draw(st.lists(st.sampled_from(cells), min_size=1, unique=True))
    values = data.draw(st.lists(st.floats(0.01, 1.0), min_size=len(chosen), max_size=len(chosen)))
    rows = np.array([r for r, _ in chosen])
    cols = np.array([c for _, c in chosen])
    found = assign(rows, cols, np.array(values), n_rows, n_cols)
    assert len({c for c, _ in found.values()}) == len(found)  # one-to-one
    assert all((r, c) in set(chosen) for r, (c, _) in found.items())  # candidates only
    edges = dict(zip(chosen, values, strict=True))
    assert sum(v for _, v in found.values()) == pytest.approx(_best_total(edges, n_rows))


@given(st.text(max_size=40))
def test_content_key_drops_exactly_punctuation_and_symbols(text: str) -> None:
    """The translation table, filled on first sight of a character, keeps what testing each character keeps
    (in and beyond the BMP)."""
    assert content_key(text) == "".join(c for c in normalize(text) if not is_punct_or_symbol(c))


@given(st.text(max_size=30))
def test_bigram_sets_are_the_keys_of_bigram_counts(text: str) -> None:
    assert bigram_set(text) == frozenset(g for g, _ in bigram_counts(text))


def test_word_bigrams_keep_words_and_drop_the_seams_between_them() -> None:
    # a summary clause paraphrases its measure's words in a new order: only bigrams inside a word count
    assert word_bigrams("降低物流成本") == {"降低", "物流", "成本"}
    assert word_bigrams("加强市场价格监管") == {"加强", "市场", "价格", "监管"}
    assert word_bigrams("走") == bigram_set("走")  # no word of two characters: every bigram


@given(st.text(alphabet="推进教育改革发展，。一二3a ", max_size=30))
@settings(max_examples=200, deadline=None)
def test_word_bigrams_are_bigrams_of_the_text(text: str) -> None:
    assert word_bigrams(text) <= bigram_set(text)


def test_copies_are_looked_up_once_and_spread_by_place() -> None:
    """Identical texts are looked up once; each copy gets the partner copy nearest its place, and swapping
    the sides gives the transposed candidates (a report pasted many times stays near-linear, issue 21)."""
    block = ["推进义务教育优质均衡发展。", "加强教师队伍建设。", "扩大学前教育资源。"]
    old = block * 4
    new = [*block * 3, "新增一项工作。"]
    fwd = Vectors(old, new).topk(2, 0.0)
    back = Vectors(new, old).topk(2, 0.0)
    assert (fwd != back.T).nnz == 0
    for r in range(len(old)):  # every copy has its own text's nearest copy as a candidate
        cols = fwd.getrow(r).indices
        same = [c for c in cols if new[c] == old[r]]
        assert same and min(abs(c / len(new) - r / len(old)) for c in same) < 0.35, (r, cols)


def _top_one_by_one(m: csr_matrix, k: int) -> set[tuple[int, int]]:
    """The reference ``_top_per_row``: one ``np.argpartition`` per row with more than k entries."""
    out: set[tuple[int, int]] = set()
    for r in range(m.shape[0]):
        s, e = int(m.indptr[r]), int(m.indptr[r + 1])
        keep = range(s, e) if e - s <= k else np.argpartition(-m.data[s:e], k - 1)[:k] + s
        out |= {(r, int(m.indices[i])) for i in keep}
    return out


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 30), st.integers(1, 5), st.integers(0, 2**32 - 1), st.booleans())
def test_top_per_row_keeps_what_one_partial_sort_per_row_keeps(n_rows: int, n_cols: int, k: int, seed: int,
                                                                 few_values: bool) -> None:
    # few distinct values: many ties at the k-th place, which must fall back to the row's own partial sort
    rng = np.random.default_rng(seed)
    dense = rng.integers(0, 4, (n_rows, n_cols)) / 4 if few_values else rng.random((n_rows, n_cols))
    dense[rng.random((n_rows, n_cols)) < 0.4] = 0
    m = csr_matrix(dense)
    for table in (similarity.TOP_TABLE, 0):  # the table, and (too sparse for it) the row-by-row path
        saved = similarity.TOP_TABLE
        try:
            similarity.TOP_TABLE = table
            rows, cols = similarity._top_per_row(csr_matrix(dense), k)
        finally:
            similarity.TOP_TABLE = saved
        assert len(rows) == len(set(zip(rows.tolist(), cols.tolist(), strict=True)))
        assert set(zip(rows.tolist(), cols.tolist(), strict=True)) == _top_one_by_one(m, k)


@given(st.lists(st.text(alphabet="推进教育改革发展，。一二3a \u200b😀", max_size=12), max_size=12))
@settings(max_examples=200, deadline=None)
def test_cached_bigram_codes_are_the_codes_of_the_text(texts: list[str]) -> None:
    """Cached (``_text_grams``, in any order of first sight, across the generations' turnover) or computed
    for the whole list at once, each text gets the same (code, count) entries."""
    saved = similarity.GRAM_CACHE
    try:
        similarity.GRAM_CACHE = 3
        rows, codes, counts = similarity._grams_of(texts)
        for _ in range(2):
            grams = similarity._text_grams(texts[::-1])[::-1]
            for i, g in enumerate(grams):
                assert np.array_equal(g[0], codes[rows == i]) and np.array_equal(g[1], counts[rows == i])
        entries = similarity._bigram_entries(texts)
        assert all(np.array_equal(x, y) for x, y in zip(entries, (rows, codes, counts), strict=True))
    finally:
        similarity.GRAM_CACHE = saved
    assert len(similarity._grams_young) <= 3 + len(texts)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_few_pair_sums_add_the_shared_columns_in_column_order(seed: int, n_pairs: int) -> None:
    """Whichever side's rows are listed and looked up in the other (the one with fewer entries), each pair's
    products are added one by one in column order: the same floats, to the bit, as the plain loop."""
    rng = np.random.default_rng(seed)
    a = csr_matrix(rng.random((6, 30)) * (rng.random((6, 30)) < rng.random()))
    b = csr_matrix(rng.random((7, 30)) * (rng.random((7, 30)) < rng.random()))
    rows, cols = rng.integers(0, 6, n_pairs), rng.integers(0, 7, n_pairs)
    got = similarity._pair_sums(similarity._Rows(a.indptr.astype(np.int64), a.indices, a.data, 30), rows,
                                similarity._Rows(b.indptr.astype(np.int64), b.indices, b.data, 30), cols)
    for k, (r, c) in enumerate(zip(rows, cols, strict=True)):
        total = 0.0
        for j in range(30):
            if a[r, j] and b[c, j]:
                total += float(a[r, j]) * float(b[c, j])
        assert got[k] == total
