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
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .text import bigram_set, bigrams, content_key

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
"""Rows multiplied at a time when selecting top candidates."""
ALL_PAIRS = 4096
"""Up to this many pairs (two paragraphs of 64 sentences) ``set_overlap`` intersects every pair directly:
cheaper than building sparse vectors for the handful of sentences of one measure."""
FEW_PAIRS = 512
"""Up to this many pairs ``_pair_sums`` works on the CSR arrays itself (4 pairs: 0.04 ms against 0.18 ms
through sparse products; 300 pairs: 0.21 against 0.32); above, the sparse products win."""
CONTAINMENT_WEIGHT = 0.8
"""A shorter text contained in a longer one counts at this share of its containment in a link score
(``Vectors.link_at``): containment is weaker evidence than symmetric overlap (short sentences of common
words are contained everywhere)."""
TOP_TABLE = 1 << 16
"""Padding cells ``_top_per_row`` may add (beyond four times a block's entries) to partially sort the long rows
of a block as one table rather than one call per row."""
PAIR_CHUNK = 4096
"""Candidate pairs scored at a time: each copies two sparse rows, so memory stays at a few MB whatever the
number of candidates."""


class _Rows:
    """One half (old or new) of a CSR structure as plain arrays: few pair sums read them directly, and the
    ``csr_matrix`` over them is only built when a sparse product needs one (``csr``), once."""

    __slots__ = ("_csr", "_keys", "data", "indices", "indptr", "width")

    def __init__(self, indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, width: int) -> None:
        self.indptr, self.indices, self.data, self.width = indptr, indices, data, width
        self._csr: csr_matrix | None = None
        self._keys: np.ndarray | None = None

    def keys(self) -> np.ndarray:
        """Each entry's ``row * width + column``: sorted, since rows are in order and so are their columns."""
        if self._keys is None:
            n = len(self.indptr) - 1
            self._keys = (np.repeat(np.arange(n, dtype=np.int64), np.diff(self.indptr)) * np.int64(self.width)
                          + self.indices)
        return self._keys

    def csr(self) -> csr_matrix:
        if self._csr is None:
            self._csr = csr_matrix((self.data, self.indices, self.indptr), shape=(len(self.indptr) - 1, self.width),
                                   copy=False)
        return self._csr


def _split(indptr: np.ndarray, indices: np.ndarray, data: np.ndarray, k: int, width: int) -> tuple[_Rows, _Rows]:
    """Rows [0, k) and [k, n) of CSR arrays as views (CSR row slices are contiguous)."""
    at = int(indptr[k])
    return (_Rows(indptr[:k + 1], indices[:at], data[:at], width),
            _Rows(indptr[k:] - at, indices[at:], data[at:], width))


class Vectors:
    """Bigram vectors of two lists of texts (old, new) over one shared vocabulary.

    A build costs one concatenation of the texts' cached bigram codes (``_text_grams``), one sort of them
    into the shared vocabulary and the weights; the sparse matrices the candidate lookup multiplies and the
    groups of identical texts are only made by ``topk``, which most builds never call."""

    def __init__(self, old: Sequence[str], new: Sequence[str]) -> None:
        self._texts_old, self._texts_new = old, new
        r_ix, codes, counts_arr = _bigram_entries([*old, *new])
        vocab_codes, c_ix = np.unique(codes, return_inverse=True)
        c_ix = c_ix.astype(np.int32)
        n = len(old) + len(new)
        k = len(old)
        self.n_old, self.n_new = k, len(new)
        width = max(1, len(vocab_codes))
        # entries are in row order already: one CSR structure (indptr, indices) serves every matrix below,
        # and the old / new halves are views of it, so a 1 MB input does not hold a dozen copies
        indptr = np.concatenate([[0], np.cumsum(np.bincount(r_ix, minlength=n))]).astype(np.int64)
        df = np.bincount(c_ix, minlength=width)
        idf = np.log((n + 1) / (df + 1)) + 1.0
        tf = 1 + np.log(counts_arr.astype(float))
        weighted = tf * idf[c_ix]
        norms = np.sqrt(np.bincount(r_ix, weights=weighted * weighted, minlength=n))
        norms[norms == 0] = 1.0
        unit = weighted / norms[r_ix]
        setw = idf[c_ix]
        self._set_mass = np.bincount(r_ix, weights=setw, minlength=n)
        self._r_ix, self._c_ix, self._indptr, self._df, self._width = r_ix, c_ix, indptr, df, width
        self._unit = unit
        self._unit_old, self._unit_new = _split(indptr, c_ix, unit, k, width)
        self._setw_old, _ = _split(indptr, c_ix, setw, k, width)
        _, self._ones_new = _split(indptr, c_ix, np.ones(len(c_ix)), k, width)
        self._mass_old, self._mass_new = self._set_mass[:k], self._set_mass[k:]
        self._codes, self._idf = vocab_codes, idf
        self._lookup: tuple[csr_matrix, csr_matrix, csr_matrix, csr_matrix] | None = None
        self._groups: tuple[Copies, Copies] | None = None

    def _lookup_matrices(self) -> tuple[csr_matrix, csr_matrix, csr_matrix, csr_matrix]:
        """(prefix old, prefix new, rare old, rare new): the rows candidates are looked up with (made once)."""
        if self._lookup is None:
            r_ix, c_ix, df, width, k = self._r_ix, self._c_ix, self._df, self._width, self.n_old
            n = self.n_old + self.n_new
            common = df > max(2, COMMON_DF * n)
            keep = ~common[c_ix]
            kept_per_row = np.bincount(r_ix[keep], minlength=n)
            keep |= (kept_per_row == 0)[r_ix]  # a unit made only of common bigrams looks up with all of them
            rare = _csr(self._unit[keep], c_ix[keep],
                        np.concatenate([[0], np.cumsum(np.bincount(r_ix[keep], minlength=n))]), n, width)
            exact = self.n_old * self.n_new <= EXACT_PAIRS
            prefix = rare if exact else _prefix(rare, np.where(df >= 2, df, np.iinfo(np.int64).max), PREFIX)
            rare_old, rare_new = _halves(rare, k)
            prefix_old, prefix_new = (rare_old, rare_new) if exact else _halves(prefix, k)
            self._lookup = prefix_old, prefix_new, rare_old, rare_new
        return self._lookup

    def _copies(self) -> tuple[Copies, Copies]:
        if self._groups is None:
            self._groups = _copies(self._texts_old), _copies(self._texts_new)
        return self._groups

    def idf(self, gram: str) -> float:
        """Weight of one bigram; one unseen in both lists weighs as the rarest."""
        code = ord(gram[0]) * _PLANE + ord(gram[1]) if len(gram) == 2 else ord(gram)
        g = int(np.searchsorted(self._codes, code))
        if g < len(self._codes) and self._codes[g] == code:
            return float(self._idf[g])
        return float(np.log(self.n_old + self.n_new + 1) + 1.0)

    def topk(self, k: int, floor: float, both: bool = True) -> csr_matrix:
        """Cosine of old × new for candidate pairs: each row's and each column's ``k`` best above ``floor``.

        With ``both`` False only each row's ``k`` best are kept (a caller that needs the best partners of a few
        old units among many new ones pays for the few). Candidates are found through rare bigrams (in large
        inputs only each unit's ``PREFIX`` rarest: prefix filtering), their scores are then the full cosine;
        each block of rows is reduced to its top entries sparsely, so no dense n × m table is ever built.
        Identical texts are looked up once (a report pasted 64 times would otherwise multiply every rare
        bigram's pairs by 64²): each copy then takes, of each partner text, the copy nearest its own
        relative place (``_spread``).
        """
        copies_old, copies_new = self._copies()
        reps_o, reps_n = copies_old[0], copies_new[0]
        all_o, all_n = len(reps_o) == self.n_old, len(reps_n) == self.n_new
        prefix_old, prefix_new, rare_old, rare_new = self._lookup_matrices()
        keep_r: list[np.ndarray] = []
        keep_c: list[np.ndarray] = []

        def reps(m: csr_matrix, ix: np.ndarray, every: bool) -> csr_matrix:
            return m if every else m[ix]  # every text distinct: the rows as they are, not a copy of them

        passes = ((reps(prefix_old, reps_o, all_o), reps(rare_new, reps_n, all_n), False),
                  (reps(prefix_new, reps_n, all_n), reps(rare_old, reps_o, all_o), True))
        for src, dst, flip in passes if both else passes[:1]:
            dst_t = dst.T.tocsr()  # what each product would convert, once for all chunks
            for start in range(0, src.shape[0], CHUNK_ROWS):
                block = src if src.shape[0] <= CHUNK_ROWS else src[start:start + CHUNK_ROWS]
                rr, cc = _top_per_row(block @ dst_t, k)
                rr = rr + start
                if flip:
                    rr, cc = cc, rr
                keep_r.append(rr if all_o else reps_o[rr])
                keep_c.append(cc if all_n else reps_n[cc])
        if not keep_r:
            return csr_matrix((self.n_old, self.n_new))
        rows = np.concatenate(keep_r)
        cols = np.concatenate(keep_c)
        if not (all_o and all_n):
            rows, cols = _spread(rows, cols, copies_old, copies_new, self.n_old, self.n_new)
        width = max(1, self.n_new)
        pairs = np.unique(rows.astype(np.int64) * width + cols)  # one 1-D sort, not a sort of row pairs
        rows, cols = pairs // width, pairs % width
        values = self.cosine_at(rows, cols)
        ok = values >= floor
        return csr_matrix((values[ok], (rows[ok], cols[ok])), shape=(self.n_old, self.n_new))

    def link_at(self, rows: np.ndarray, cols: np.ndarray, containment_weight: float = CONTAINMENT_WEIGHT,
                ) -> np.ndarray:
        """Sentence link score of the given pairs: cosine, or the containment of the shorter text in the
        longer one weighted by ``containment_weight``, whichever is higher — a short clause that summarises
        a long sentence is contained in it although their cosine is low. The aligner's links and the
        tracker's plan → review links are this one score."""
        if not len(rows):
            return np.zeros(0)
        cos = self.cosine_at(rows, cols)
        old_in_new, new_in_old = self.containment_at(rows, cols)
        shorter = np.where(self.mass_old(rows) <= self.mass_new(cols), old_in_new, new_in_old)
        return np.asarray(np.maximum(cos, containment_weight * shorter))

    def cosine_at(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Cosine of the given (old row, new column) pairs (``_pair_sums`` of the unit vectors)."""
        return _pair_sums(self._unit_old, rows, self._unit_new, cols)

    def mass_old(self, rows: np.ndarray) -> np.ndarray:
        """IDF mass of the bigram sets of old units (how much content they carry)."""
        return np.asarray(self._mass_old[rows])

    def mass_new(self, cols: np.ndarray) -> np.ndarray:
        """IDF mass of the bigram sets of new units."""
        return np.asarray(self._mass_new[cols])

    def containment_at(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(share of old found in new, share of new found in old), IDF-weighted over bigram sets."""
        inter = _pair_sums(self._setw_old, rows, self._ones_new, cols)
        mass_a = self._mass_old[rows]
        mass_b = self._mass_new[cols]
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.where(mass_a > 0, inter / np.where(mass_a > 0, mass_a, 1), 0.0),
                    np.where(mass_b > 0, inter / np.where(mass_b > 0, mass_b, 1), 0.0))


_PLANE = 0x110000
"""Code points: a bigram is encoded as ``first * _PLANE + second`` (an int64), a one-character text as its
code point (always under ``_PLANE``), so no two grams share a code and no dictionary is needed."""


_CODE_BITS = 41
"""Bits of a bigram code (``_PLANE``² < 2⁴¹)."""
_ROWS_IN_KEY = 1 << (63 - _CODE_BITS)
"""Texts that fit beside a code in one int64 sort key (4 million)."""


GRAM_CACHE = 4096
"""Texts whose bigram codes ``_text_grams`` keeps in each of its two generations: the aligner builds nine
``Vectors`` a comparison, mostly of the same texts (nodes, sentences, sections), and the next pair of a series
shares one document. A pair asks for 3,500-5,000 distinct texts; an entry is two int64 per distinct bigram
(the two generations held ~15 MB over a 50-pair series at 8,192)."""

_grams_young: dict[str, np.ndarray] = {}
_grams_old: dict[str, np.ndarray] = {}


def _text_grams(texts: Sequence[str]) -> list[np.ndarray]:
    """Each text's (bigram code, count) as a 2 × k int64 array, codes sorted: computed for the texts not yet
    seen in one vectorised pass (``_grams_of``), then kept. Two generations bound the cache: when the
    young one holds ``GRAM_CACHE`` texts it becomes the old one, and a text found in the old one moves back,
    so what one comparison and the next still use stays and the rest goes."""
    global _grams_young, _grams_old
    young, older = _grams_young, _grams_old
    out: list[np.ndarray | None] = []
    missing: dict[str, None] = {}
    for t in texts:
        g = young.get(t)
        if g is None:
            g = older.pop(t, None)
            if g is None:
                missing[t] = None
            else:
                young[t] = g
        out.append(g)
    if missing:
        fresh = list(missing)
        rows, codes, counts = _grams_of(fresh)
        both = np.stack([codes, counts])
        bounds = np.searchsorted(rows, np.arange(len(fresh) + 1))
        for i, t in enumerate(fresh):
            young[t] = both[:, bounds[i]:bounds[i + 1]]
        out = [young[t] if g is None else g for t, g in zip(texts, out, strict=True)]
    if len(young) > GRAM_CACHE:
        _grams_old, _grams_young = young, {}
    return out  # type: ignore[return-value]  # every None was filled


def _bigram_entries(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(text index, bigram code, count) of every distinct bigram of each text's ``content_key``, sorted by
    text then code: ``bigram_counts`` for a whole list at once, from the texts' cached codes."""
    grams = _text_grams(texts)
    if not grams:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    lens = np.fromiter((g.shape[1] for g in grams), dtype=np.int64, count=len(grams))
    both = np.concatenate(grams, axis=1)
    return np.repeat(np.arange(len(grams), dtype=np.int64), lens), both[0], both[1]


def _grams_of(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``_bigram_entries`` computed: in numpy rather than a loop per bigram."""
    keys = [content_key(t) for t in texts]
    lens = np.fromiter((len(k) for k in keys), dtype=np.int64, count=len(keys))
    cp = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    starts = np.cumsum(lens) - lens
    pairs = np.maximum(lens - 1, 0)
    first = np.repeat(starts - (np.cumsum(pairs) - pairs), pairs) + np.arange(int(pairs.sum()))
    single = np.flatnonzero(lens == 1)
    rows = np.concatenate([np.repeat(np.arange(len(keys)), pairs), single])
    codes = np.concatenate([cp[first] * _PLANE + cp[first + 1], cp[starts[single]]])
    if len(keys) < _ROWS_IN_KEY:  # one sort of a combined key: several times faster than lexsort
        combined = np.sort(rows << _CODE_BITS | codes)
        rows, codes = combined >> _CODE_BITS, combined & ((1 << _CODE_BITS) - 1)
    else:
        order = np.lexsort((codes, rows))
        rows, codes = rows[order], codes[order]
    if not len(rows):
        return rows, codes, np.zeros(0, dtype=np.int64)
    new = np.concatenate([[True], (rows[1:] != rows[:-1]) | (codes[1:] != codes[:-1])])
    at = np.flatnonzero(new)
    counts = np.diff(np.append(at, len(rows)))
    return rows[at], codes[at], counts


def _pair_sums(a: _Rows, rows: np.ndarray, b: _Rows, cols: np.ndarray) -> np.ndarray:
    """For each pair k, the dot product of row ``rows[k]`` of ``a`` and row ``cols[k]`` of ``b`` (a cosine of
    unit vectors, or with ``b`` all ones, a's weight of the shared bigrams)."""
    if len(rows) <= FEW_PAIRS:
        pair, prod = _pair_products(a, np.asarray(rows, dtype=np.int64), b, np.asarray(cols, dtype=np.int64))
        return np.bincount(pair, weights=prod, minlength=len(rows))
    return _many_pair_sums(a.csr(), rows, b.csr(), cols)


def _many_pair_sums(a: csr_matrix, rows: np.ndarray, b: csr_matrix, cols: np.ndarray) -> np.ndarray:
    """``_pair_sums`` through sparse products, ``PAIR_CHUNK`` pairs at a time: they amortise their set-up."""
    out = np.zeros(len(rows))
    for s in range(0, len(rows), PAIR_CHUNK):
        out[s:s + PAIR_CHUNK] = np.asarray(a[rows[s:s + PAIR_CHUNK]].multiply(b[cols[s:s + PAIR_CHUNK]])
                                           .sum(axis=1)).ravel()
    return out


def _pair_products(a: _Rows, rows: np.ndarray, b: _Rows, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(pair, product) of every column the two rows of each pair share, in pair then column order: the
    entries of each pair's row on the side with fewer of them are listed in that order, and each is looked
    up, by one binary search, among all entries of the other side (``_Rows.keys``). Slicing and multiplying
    sparse matrices builds four matrices per call (~0.2 ms), which the evidence and leftover checks of a
    comparison paid a hundred times; for many pairs the sparse products are faster."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    if _span_total(a.indptr, rows) > _span_total(b.indptr, cols):
        pair, prod = _pair_products(b, cols, a, rows)
        return pair, prod  # x * y == y * x in floating point: the same products
    pos, pair = _spans(a.indptr, rows)
    keys = b.keys()
    if not len(pos) or not len(keys):
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    query = cols[pair] * np.int64(b.width) + a.indices[pos]
    at = np.minimum(np.searchsorted(keys, query), len(keys) - 1)
    hit = keys[at] == query
    return pair[hit], a.data[pos[hit]] * b.data[at[hit]]


def _span_total(indptr: np.ndarray, rows: np.ndarray) -> int:
    return int((indptr[rows + 1] - indptr[rows]).sum())


def _spans(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the entries of ``rows`` (in order) in a CSR matrix, and the index in ``rows`` of each."""
    starts = indptr[rows].astype(np.int64)
    lengths = indptr[rows + 1].astype(np.int64) - starts
    owner = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
    return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum())), owner


def _csr(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, n: int, width: int) -> csr_matrix:
    """A CSR matrix over the given arrays, without copying them."""
    return csr_matrix((data, indices, indptr.astype(np.int64)), shape=(n, width), copy=False)


def _halves(m: csr_matrix, k: int) -> tuple[csr_matrix, csr_matrix]:
    """Rows [0, k) and [k, n) of a CSR matrix as views of its arrays (CSR row slices are contiguous)."""
    top, bottom = _split(m.indptr, m.indices, m.data, k, m.shape[1])
    return top.csr(), bottom.csr()


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


Copies = tuple[np.ndarray, np.ndarray, dict[int, np.ndarray]]
"""(representative unit of each distinct text in order, each unit's representative, representative →
its copies in order)."""


def _copies(texts: Sequence[str]) -> Copies:
    first: dict[str, int] = {}
    rep = np.array([first.setdefault(t, i) for i, t in enumerate(texts)], dtype=np.int64)
    reps = np.array(sorted(first.values()), dtype=np.int64)
    groups: dict[int, np.ndarray] = {}
    if len(reps) < len(texts):
        order = np.argsort(rep, kind="stable")
        order = order[(np.bincount(rep, minlength=len(texts)) > 1)[rep[order]]]  # only texts with copies
        bounds = np.flatnonzero(np.diff(rep[order])) + 1
        for chunk in np.split(order, bounds):
            groups[int(rep[chunk[0]])] = chunk
    return reps, rep, groups


def _spread(rows: np.ndarray, cols: np.ndarray, copies_old: Copies, copies_new: Copies, n_old: int,
            n_new: int) -> tuple[np.ndarray, np.ndarray]:
    """Candidate pairs of representatives → pairs of copies: every copy of the row's text, each with the
    copy of the column's text nearest its relative place (and likewise from the column's copies), so that
    swapping the inputs gives the same pairs. Pairs of two texts without copies stay as they are (in any
    order: the caller sorts the pairs)."""
    groups_o, groups_n = copies_old[2], copies_new[2]
    copied_o = np.zeros(n_old, dtype=bool)
    copied_o[list(groups_o)] = True
    copied_n = np.zeros(n_new, dtype=bool)
    copied_n[list(groups_n)] = True
    plain = ~(copied_o[rows] | copied_n[cols])
    out_r: list[int] = []
    out_c: list[int] = []
    for u, v in zip(rows[~plain].tolist(), cols[~plain].tolist(), strict=True):
        us = groups_o.get(u)
        vs = groups_n.get(v)
        us = np.array([u]) if us is None else us
        vs = np.array([v]) if vs is None else vs
        for a in us.tolist():
            out_r.append(a)
            out_c.append(_nearest(vs, a * n_new / max(1, n_old)))
        for b in vs.tolist():
            out_c.append(b)
            out_r.append(_nearest(us, b * n_old / max(1, n_new)))
    return (np.concatenate([rows[plain], np.asarray(out_r, dtype=np.int64)]).astype(np.int64),
            np.concatenate([cols[plain], np.asarray(out_c, dtype=np.int64)]).astype(np.int64))


def _nearest(sorted_positions: np.ndarray, at: float) -> int:
    k = int(np.searchsorted(sorted_positions, at))
    if k == 0:
        return int(sorted_positions[0])
    if k == len(sorted_positions):
        return int(sorted_positions[-1])
    lo, hi = int(sorted_positions[k - 1]), int(sorted_positions[k])
    return lo if at - lo <= hi - at else hi


def _top_per_row(m: csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of each row's ``k`` largest positive entries of a sparse matrix, in no set order: rows
    with at most ``k`` entries keep them all at once; the others are laid out as a table (padded, when it is
    at most a few times their entries) and partially sorted row by row in one call. A row whose ``k``-th and
    ``k+1``-th values tie, or every long row when the table would be too sparse, gets a partial sort of its
    own entries, so the entries kept are exactly those ``np.argpartition`` of each row keeps."""
    m.eliminate_zeros()
    indptr, data, indices = m.indptr, m.data, m.indices
    counts = np.diff(indptr)
    rows = np.repeat(np.arange(m.shape[0]), counts)
    picks = [np.flatnonzero((counts <= k)[rows])]
    long_rows = np.flatnonzero(counts > k)
    alone = long_rows
    if len(long_rows) and len(long_rows) * int(counts[long_rows].max()) <= 4 * len(data) + TOP_TABLE:
        sizes = counts[long_rows]
        starts = indptr[long_rows].astype(np.int64)
        offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        table = np.full((len(long_rows), int(sizes.max())), np.inf)  # -value: the k smallest; padding never
        table[np.repeat(np.arange(len(long_rows)), sizes), offsets] = -data[np.repeat(starts, sizes) + offsets]
        part = np.argpartition(table, (k - 1, k), axis=1)
        at = np.arange(len(long_rows))
        tied = table[at, part[:, k - 1]] == table[at, part[:, k]]
        picks.append((part[~tied, :k] + starts[~tied, None]).ravel())
        alone = long_rows[tied]
    for r in alone:
        s = int(indptr[r])
        picks.append(np.argpartition(-data[s:int(indptr[r + 1])], k - 1)[:k] + s)
    keep = np.concatenate(picks)
    return rows[keep], indices[keep]


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
    cost grows with the number of candidate edges, not with n_rows × n_cols. The edges must be distinct
    (row, col) pairs, as every caller's are (cells of a sparse matrix, of a ``bincount``, of ``nonzero``):
    a repeated edge would be matched on its copies' sum and reported with the last copy's value.

    One solver for every size: scipy's dense Hungarian method (``scipy.optimize``) was 45 µs faster on the
    handful of sentences of a measure pair (0.1 s of a 50-pair series), but importing it costs 17 MB of
    the series' peak and 0.14 s of every ``diff``'s start-up; the graph is built in CSR form directly
    (50 µs instead of 80 through COO)."""
    if not len(vals) or not n_rows or not n_cols:
        return {}
    big = float(vals.max()) + 1.0
    r = np.concatenate([np.asarray(rows, dtype=np.int64), np.arange(n_rows)])
    c = np.concatenate([np.asarray(cols, dtype=np.int64), n_cols + np.arange(n_rows)])
    w = np.concatenate([big - np.asarray(vals, dtype=float), np.full(n_rows, big)])
    order = np.lexsort((c, r))
    indptr = np.zeros(n_rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(r, minlength=n_rows), out=indptr[1:])
    graph = csr_matrix((w[order], c[order], indptr), shape=(n_rows, n_cols + n_rows))
    mr, mc = min_weight_full_bipartite_matching(graph)
    lookup = {(int(a), int(b)): float(x) for a, b, x in zip(rows, cols, vals, strict=True)}
    return {int(a): (int(b), lookup[(int(a), int(b))]) for a, b in zip(mr, mc, strict=True) if b < n_cols}


def set_overlap(a: Sequence[str], b: Sequence[str], candidates: int = 12,
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shared bigram-set sizes of the candidate pairs of texts as triplets (row, column, size > 0), and
    each text's bigram-set size: enough for Dice and containment. Up to ``ALL_PAIRS`` pairs every pair is
    intersected directly; above, only each text's ``candidates`` most similar on the other side (see
    ``Vectors.topk``), so that a paragraph of ten thousand sentences never makes a hundred million pairs.
    Triplets rather than a sparse matrix: a comparison calls this once per change, mostly on a handful of
    sentences, where building a matrix costs more than the intersections."""
    sets_a = [bigram_set(x) for x in a]
    sets_b = [bigram_set(x) for x in b]
    size_a = np.array([len(s) for s in sets_a], dtype=float)
    size_b = np.array([len(s) for s in sets_b], dtype=float)
    if not a or not b:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), size_a, size_b
    if len(a) * len(b) <= ALL_PAIRS:
        rows = np.repeat(np.arange(len(a)), len(b))
        cols = np.tile(np.arange(len(b)), len(a))
    else:
        cand = Vectors(a, b).topk(candidates, 0.0).tocoo()
        rows, cols = cand.row.astype(np.int64), cand.col.astype(np.int64)
    inter = np.array([len(sets_a[r] & sets_b[c]) for r, c in zip(rows.tolist(), cols.tolist(), strict=True)],
                     dtype=float)
    ok = inter > 0
    return rows[ok], cols[ok], inter[ok], size_a, size_b
