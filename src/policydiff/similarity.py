"""Similarity of texts as sparse matrices: the evidence the aligner reads.

Everything here works on *sparse* character-bigram vectors and returns sparse candidate matrices, so
that two documents of n and m units cost about the number of pairs that share a rare bigram, not n × m:
a 5,000-heading file or a report concatenated 64 times never builds a dense all-pairs table.

* **Weights.** A bigram's weight is its inverse document frequency over the units of both years
  (``log((N+1)/(df+1)) + 1``), so formulaic phrases every measure shares (推进, 加强, 进一步) count little.
* **Cosine** of TF-IDF vectors (sublinear term frequency) is the symmetric similarity used to pair units
  that are the same text reworded.
* **Containment** (IDF-weighted share of one unit's bigram *set* found in the other) is the asymmetric
  evidence of condensation: a short new clause that summarises a long old sentence is mostly contained
  in it, though their cosine is low.
* **Candidates.** ``Pairs.topk`` keeps, for every row and every column, its ``k`` best partners above a
  floor; everything else is treated as 0. A bigram found in more than ``COMMON_DF`` of the units is left
  out of candidate generation only (it still counts in the scores' norms): it says nothing about which
  unit is which, and it is what would make the product dense.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .text import bigram_counts, bigrams

COMMON_DF = 0.5
"""Share of units a bigram may appear in and still generate candidates (it always weighs in the scores)."""
EXACT_PAIRS = 1_000_000
"""Up to this many old × new pairs (two reports of a thousand paragraphs each) candidates come from every
rare bigram; above it, from each unit's ``PREFIX`` rarest shared bigrams only, so that the lookup stays
near-linear (a report concatenated 64 times has 2 × 10⁹ pairs)."""
PREFIX = 32
"""Rarest bigrams (among those found in at least two units) of a unit used to look up its candidates in
large inputs: a rewording keeps many of a paragraph's rare bigrams (names, figures, topical words), so
its partner shares some of the 32 rarest."""
CHUNK_ROWS = 512
"""Rows multiplied at a time when selecting top candidates: bounds memory to CHUNK_ROWS × columns."""


class Vectors:
    """Bigram vectors of two lists of texts (old, new) over one shared vocabulary."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        counts: list[int] = []
        for r, text in enumerate((*old, *new)):
            for g, c in bigram_counts(text):
                rows.append(r)
                cols.append(vocab.setdefault(g, len(vocab)))
                counts.append(c)
        n = len(old) + len(new)
        shape = (n, max(1, len(vocab)))
        df = np.bincount(np.array(cols, dtype=np.int64), minlength=shape[1]) if cols else np.zeros(shape[1])
        idf_full = np.log((n + 1) / (df + 1)) + 1.0
        tf = 1 + np.log(np.array(counts, dtype=float)) if counts else np.zeros(0)
        ones = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        weighted = csr_matrix((tf * idf_full[cols] if cols else np.zeros(0), (rows, cols)), shape=shape)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self._unit = csr_matrix(weighted.multiply(1 / norms[:, None]))
        self._set_weighted = csr_matrix(ones.multiply(idf_full[None, :]))
        self._set_mass = np.asarray(self._set_weighted.sum(axis=1)).ravel()
        common = df > max(2, COMMON_DF * n)
        rare = csr_matrix(self._unit.multiply((~common)[None, :].astype(float)))
        exact = len(old) * len(new) <= EXACT_PAIRS
        prefix = rare if exact else _prefix(rare, np.where(df >= 2, df, np.iinfo(np.int64).max), PREFIX)
        k = len(old)
        self.n_old = k
        self.n_new = len(new)
        # the old and new halves, sliced once (slicing a CSR matrix copies it)
        self._rare_old, self._rare_new = csr_matrix(rare[:k]), csr_matrix(rare[k:])
        self._prefix_old, self._prefix_new = csr_matrix(prefix[:k]), csr_matrix(prefix[k:])
        self._unit_old, self._unit_new = csr_matrix(self._unit[:k]), csr_matrix(self._unit[k:])
        self._setw_old = csr_matrix(self._set_weighted[:k])
        self._ones_new = csr_matrix(ones[k:])
        self._mass_old, self._mass_new = self._set_mass[:k], self._set_mass[k:]

    def topk(self, k: int, floor: float) -> csr_matrix:
        """Cosine of old × new for candidate pairs: each row's and each column's ``k`` best above ``floor``.

        Candidates are found through rare bigrams (in large inputs only each unit's ``PREFIX`` rarest:
        prefix filtering), their scores are then the full cosine; each block of rows is reduced to its
        top entries sparsely, so no dense n × m table is ever built.
        """
        keep_r: list[np.ndarray] = []
        keep_c: list[np.ndarray] = []
        for src, dst, flip in ((self._prefix_old, self._rare_new, False), (self._prefix_new, self._rare_old, True)):
            for start in range(0, src.shape[0], CHUNK_ROWS):
                rr, cc = _top_per_row(csr_matrix(src[start:start + CHUNK_ROWS] @ dst.T), k)
                rr = rr + start
                if flip:
                    rr, cc = cc, rr
                keep_r.append(rr)
                keep_c.append(cc)
        if not keep_r:
            return csr_matrix((self.n_old, self.n_new))
        rows = np.concatenate(keep_r)
        cols = np.concatenate(keep_c)
        pairs = np.unique(np.stack([rows, cols], axis=1), axis=0) if len(rows) else np.zeros((0, 2), int)
        values = self.cosine_at(pairs[:, 0], pairs[:, 1])
        ok = values >= floor
        return csr_matrix((values[ok], (pairs[ok, 0], pairs[ok, 1])), shape=(self.n_old, self.n_new))

    def cosine_at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Cosine of the given (old row, new column) pairs, computed pair by pair on sparse rows."""
        a = self._unit_old[rows]
        b = self._unit_new[cols]
        return np.asarray(a.multiply(b).sum(axis=1)).ravel()

    def mass_old(self, rows: np.ndarray) -> np.ndarray:
        """IDF mass of the bigram sets of old units (how much content they carry)."""
        return np.asarray(self._mass_old[rows])

    def mass_new(self, cols: np.ndarray) -> np.ndarray:
        """IDF mass of the bigram sets of new units."""
        return np.asarray(self._mass_new[cols])

    def containment_at(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(share of old found in new, share of new found in old), IDF-weighted over bigram sets."""
        a = self._setw_old[rows]
        b = self._ones_new[cols]
        inter = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        mass_a = self._mass_old[rows]
        mass_b = self._mass_new[cols]
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.where(mass_a > 0, inter / np.where(mass_a > 0, mass_a, 1), 0.0),
                    np.where(mass_b > 0, inter / np.where(mass_b > 0, mass_b, 1), 0.0))


def _prefix(m: csr_matrix, df: np.ndarray, size: int) -> csr_matrix:
    """Each row restricted to its ``size`` entries of lowest document frequency (ties: lower column)."""
    m = csr_matrix(m)
    m.eliminate_zeros()
    counts = np.diff(m.indptr)
    if not len(m.data) or counts.max(initial=0) <= size:
        return m
    rows = np.repeat(np.arange(m.shape[0]), counts)
    order = np.lexsort((m.indices, df[m.indices], rows))
    rank = np.arange(len(order)) - m.indptr[rows[order]]
    keep = order[rank < size]
    return csr_matrix((m.data[keep], (rows[keep], m.indices[keep])), shape=m.shape)


def _top_per_row(m: csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of each row's ``k`` largest positive entries of a sparse matrix (a partial sort of
    each row's own entries: linear in the number of entries)."""
    m.eliminate_zeros()
    indptr, data, indices = m.indptr, m.data, m.indices
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for r in range(m.shape[0]):
        s, e = int(indptr[r]), int(indptr[r + 1])
        pick = np.argpartition(-data[s:e], k - 1)[:k] + s if e - s > k else np.arange(s, e)
        rows.append(np.full(len(pick), r))
        cols.append(indices[pick])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def stack_rows(matrices: Sequence[csr_matrix]) -> csr_matrix:
    """Stack sparse matrices vertically (kept here so callers need not import scipy)."""
    return csr_matrix(vstack(list(matrices)))


def set_dice(a: Sequence[str], b: Sequence[str], rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Bigram-set Dice of ``a[rows[k]]`` and ``b[cols[k]]`` for each k; -1 where either text is empty."""
    sa = [set(bigrams(t)) if t else set() for t in a]
    sb = [set(bigrams(t)) if t else set() for t in b]
    out = np.empty(len(rows))
    for k, (r, c) in enumerate(zip(rows, cols, strict=True)):
        x, y = sa[r], sb[c]
        out[k] = -1.0 if not x or not y else 2 * len(x & y) / (len(x) + len(y))
    return out


def assign(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int,
           n_cols: int) -> dict[int, tuple[int, float]]:
    """Optimal one-to-one pairs among the given candidate edges (row → (col, value)), maximising the
    summed value; every row may also stay unpaired, so a matching always exists. Sparse (LAPJVsp): the
    cost grows with the number of candidate edges, not with n_rows × n_cols."""
    if not len(vals) or not n_rows or not n_cols:
        return {}
    big = float(vals.max()) + 1.0
    weights = np.concatenate([big - vals, np.full(n_rows, big)])
    graph = csr_matrix((weights, (np.concatenate([rows, np.arange(n_rows)]),
                                  np.concatenate([cols, n_cols + np.arange(n_rows)]))),
                       shape=(n_rows, n_cols + n_rows))
    mr, mc = min_weight_full_bipartite_matching(graph)
    lookup = {(int(a), int(b)): float(x) for a, b, x in zip(rows, cols, vals, strict=True)}
    return {int(a): (int(b), lookup[(int(a), int(b))]) for a, b in zip(mr, mc, strict=True) if b < n_cols}


def set_overlap(a: Sequence[str], b: Sequence[str]) -> tuple[csr_matrix, np.ndarray, np.ndarray]:
    """Shared bigram-set sizes of every pair of texts with any in common (sparse a × b), and each text's
    bigram-set size: enough for Dice and containment without an all-pairs loop."""
    vocab: dict[str, int] = {}
    mats = []
    sizes = []
    for texts in (a, b):
        rows: list[int] = []
        cols: list[int] = []
        for r, text in enumerate(texts):
            for g, _ in bigram_counts(text):
                rows.append(r)
                cols.append(vocab.setdefault(g, len(vocab)))
        mats.append((rows, cols, len(texts)))
    shape_v = max(1, len(vocab))
    built = []
    for rows, cols, n in mats:
        m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, shape_v))
        built.append(m)
        sizes.append(np.asarray(m.sum(axis=1)).ravel())
    return csr_matrix(built[0] @ built[1].T), sizes[0], sizes[1]
