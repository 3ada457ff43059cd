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

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy.sparse import csr_matrix, vstack

from .text import bigrams

COMMON_DF = 0.5
"""Share of units a bigram may appear in and still generate candidates (it always weighs in the scores)."""
CHUNK_ROWS = 512
"""Rows multiplied at a time when selecting top candidates: bounds memory to CHUNK_ROWS × columns."""


class Vectors:
    """Bigram vectors of two lists of texts (old, new) over one shared vocabulary."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        bags = [bigrams(t) for t in (*old, *new)]
        df: Counter[str] = Counter()
        for b in bags:
            df.update(b.keys())
        vocab = {g: i for i, g in enumerate(df)}
        n = len(bags)
        idf = np.array([math.log((n + 1) / (df[g] + 1)) + 1.0 for g in vocab]) if vocab else np.zeros(0)
        rows: list[int] = []
        cols: list[int] = []
        tf: list[float] = []
        for r, b in enumerate(bags):
            for g, c in b.items():
                rows.append(r)
                cols.append(vocab[g])
                tf.append(1 + math.log(c))
        shape = (n, max(1, len(vocab)))
        idf_full = np.zeros(shape[1])
        idf_full[: len(idf)] = idf
        ones = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=shape)
        weighted = csr_matrix((np.array(tf) * idf_full[cols] if cols else np.zeros(0), (rows, cols)),
                              shape=shape)
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self._unit = csr_matrix(weighted.multiply(1 / norms[:, None]))
        self._set_weighted = csr_matrix(ones.multiply(idf_full[None, :]))
        self._set_mass = np.asarray(self._set_weighted.sum(axis=1)).ravel()
        common = np.zeros(shape[1], dtype=bool)
        if vocab:
            dfa = np.array([df[g] for g in vocab])
            common[: len(dfa)] = dfa > max(2, COMMON_DF * n)
        rare = csr_matrix(self._unit.multiply((~common)[None, :].astype(float)))
        self._rare = rare
        self._ones = ones
        self.n_old = len(old)
        self.n_new = len(new)

    def topk(self, k: int, floor: float) -> csr_matrix:
        """Cosine of old × new for candidate pairs: each row's and each column's ``k`` best above ``floor``.

        Candidates are found through rare bigrams; their scores are then the full cosine.
        """
        a_rare, b_rare = self._rare[: self.n_old], self._rare[self.n_old:]
        keep_r: list[np.ndarray] = []
        keep_c: list[np.ndarray] = []
        for src, dst, flip in ((a_rare, b_rare, False), (b_rare, a_rare, True)):
            for start in range(0, src.shape[0], CHUNK_ROWS):
                block = (src[start:start + CHUNK_ROWS] @ dst.T).toarray()
                if block.size == 0:
                    continue
                kk = min(k, block.shape[1])
                idx = np.argpartition(-block, kk - 1, axis=1)[:, :kk]
                r = np.repeat(np.arange(block.shape[0]), kk)
                c = idx.ravel()
                ok = block[r, c] > 0
                rr, cc = r[ok] + start, c[ok]
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
        a = self._unit[: self.n_old][rows]
        b = self._unit[self.n_old:][cols]
        return np.asarray(a.multiply(b).sum(axis=1)).ravel()

    def mass_old(self, rows: np.ndarray) -> np.ndarray:
        """IDF mass of the bigram sets of old units (how much content they carry)."""
        return np.asarray(self._set_mass[: self.n_old][rows])

    def mass_new(self, cols: np.ndarray) -> np.ndarray:
        """IDF mass of the bigram sets of new units."""
        return np.asarray(self._set_mass[self.n_old:][cols])

    def containment_at(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(share of old found in new, share of new found in old), IDF-weighted over bigram sets."""
        a = self._set_weighted[: self.n_old][rows]
        b = self._ones[self.n_old:][cols]
        inter = np.asarray(a.multiply(b).sum(axis=1)).ravel()
        mass_a = self._set_mass[: self.n_old][rows]
        mass_b = self._set_mass[self.n_old:][cols]
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.where(mass_a > 0, inter / np.where(mass_a > 0, mass_a, 1), 0.0),
                    np.where(mass_b > 0, inter / np.where(mass_b > 0, mass_b, 1), 0.0))


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
