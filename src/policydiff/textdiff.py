"""Text inside an aligned pair: normalisation, commitments, inline diffs, numbers and terms.

* **Normalisation** decides what counts as "the same": NFKC folds full-width digits, letters and
  punctuation (，→, ；→; （→( ) so that punctuation width never shows up as a change; whitespace and
  zero-width characters are dropped.
* **Inline diffs** use diff-match-patch in its documented word mode: the text is cut into tokens (one
  CJK character, one run of Latin letters or digits such as ``2035`` or ``5.5``, one punctuation
  mark), each distinct token is mapped to one private character, the strings of those characters are
  diffed, semantic cleanup is applied, and the result is mapped back. Numbers therefore change whole
  (``3`` → ``5``, never ``2``\\ ``0``\\ ``3``\\ ``5`` → ``2``\\ ``0``\\ ``2``\\ ``1``) and width-only
  differences are equalities.
* **Commitments** are the sentences of a pair, matched one-to-one by character-bigram Dice with an
  optimal assignment; a leftover sentence mostly contained in a matched one is a split/merge piece.
* **Numbers** are quantities with their unit and qualifier (``3所``, ``1个百分点``, ``5%左右``,
  ``不少于1小时``), Chinese numerals included, paired across the two sides by unit and context.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np
from diff_match_patch import diff_match_patch

from .model import ChangeKind, CommitmentChange, Sentence
from .similarity import ALL_PAIRS, assign, set_overlap
from .text import content_key, normalize

SENTENCE_MIN_DICE = 0.34
"""Below this bigram Dice two sentences are different commitments, not a rewording."""
SENTENCE_CONTAINMENT = 0.7
"""A leftover sentence this much contained in a matched one is a split or merge piece of it."""

Inline = tuple[tuple[str, str], ...]


@lru_cache(maxsize=8192)
def _token_key(token: str) -> str:
    return normalize(token) or token


# --- inline diff ---------------------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9０-９]+(?:[.．][0-9０-９]+)?[%％]?|[A-Za-zＡ-Ｚａ-ｚ]+|\s+|.", re.S)
_dmp = diff_match_patch()
_dmp.Diff_Timeout = 0


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def inline_diff(old: str, new: str) -> Inline:
    """Word-level inline diff of two texts as ``(op, text)`` with op ``=`` ``-`` ``+``.

    Equal runs are shown as the new side writes them.

    >>> inline_diff("创建一级园3所，二级园9所。", "创建一级园5所,二级园9所。")
    (('=', '创建一级园'), ('-', '3'), ('+', '5'), ('=', '所,二级园9所。'))
    """
    if old == new:
        return (("=", new),) if new else ()
    ot, nt = _tokens(old), _tokens(new)
    coded = _encode_shared(ot, nt)
    oe, ne = coded if coded is not None else _encode_pair(ot, nt)
    if oe == ne:  # the same tokens up to width: one equality, what the diff and its cleanup would give
        return (("=", new),)
    diffs = _opcodes_as_diffs(oe, ne)
    _dmp.diff_cleanupSemantic(diffs)
    ops: list[tuple[str, str]] = []
    oi = ni = 0
    for op, chunk in diffs:
        n = len(chunk)
        if op == 0:
            ops.append(("=", "".join(nt[ni:ni + n])))
            oi += n
            ni += n
        elif op == -1:
            ops.append(("-", "".join(ot[oi:oi + n])))
            oi += n
        else:
            ops.append(("+", "".join(nt[ni:ni + n])))
            ni += n
    return _absorb_short_equalities(ops)


_ALPHABET = 0xFFFD
"""Private characters a diff's tokens are written in (plane 15, U+F0000 onwards)."""
_CHAR_OF_KEY: dict[str, str] = {}
_CHAR_OF_TOKEN: dict[str, str] = {}
_SHARED_TOKENS = 4 * _ALPHABET
"""Distinct tokens the shared alphabet remembers (a few thousand in a 50-report series: characters,
numbers, Latin words), so that it stays a few megabytes at most in a long-running process."""


def _encode_shared(ot: list[str], nt: list[str]) -> tuple[str, str] | None:
    """Both token lists in one private character per distinct token key (``_token_key``), from an alphabet
    shared by every diff, so that each token's key is looked up once per process rather than once per
    diff. Which character a key gets does not matter: the diff and diff-match-patch's semantic cleanup
    see only which tokens are equal (every private character is of one class for its boundary scores), so
    any one-to-one alphabet gives the diff ``_encode_pair`` gives. None when the alphabet is full."""
    table = _CHAR_OF_TOKEN
    try:
        return "".join(map(table.__getitem__, ot)), "".join(map(table.__getitem__, nt))
    except KeyError:
        pass
    for t in (*ot, *nt):
        if t in table:
            continue
        key = _token_key(t)
        ch = _CHAR_OF_KEY.get(key)
        if ch is None:
            if len(_CHAR_OF_KEY) >= _ALPHABET or len(table) >= _SHARED_TOKENS:
                return None
            ch = _CHAR_OF_KEY[key] = chr(0xF0000 + len(_CHAR_OF_KEY))
        table[t] = ch
    return "".join(map(table.__getitem__, ot)), "".join(map(table.__getitem__, nt))


def _encode_pair(ot: list[str], nt: list[str]) -> tuple[str, str]:
    """Both token lists in an alphabet of this pair alone (when the shared one is full)."""
    alphabet: dict[str, str] = {}

    def encode(tokens: list[str]) -> str:
        out = []
        for t in tokens:
            key = _token_key(t)
            if key not in alphabet:
                alphabet[key] = chr(0xF0000 + len(alphabet)) if len(alphabet) < 0xFFFD else chr(0x10FFFD)
            out.append(alphabet[key])
        return "".join(out)
    return encode(ot), encode(nt)


def _opcodes_as_diffs(old: str, new: str) -> list[tuple[int, str]]:
    """The edit script of two token strings in diff-match-patch's form ((0|-1|1, text) runs).

    The matching blocks come from ``difflib.SequenceMatcher`` (longest common runs first, in C where it
    counts): on a report's 3,500 sentence pairs it takes 0.15 s where diff-match-patch's pure-Python
    bisection takes 1.1 s, and longest-run-first reads as well or better for a reader (a rewritten clause
    is one deletion and one insertion, not interleaved single characters). diff-match-patch's semantic
    cleanup is applied to the result as before."""
    out: list[tuple[int, str]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append((0, new[j1:j2]))
            continue
        if i2 > i1:
            out.append((-1, old[i1:i2]))
        if j2 > j1:
            out.append((1, new[j1:j2]))
    return out


def join_inline(pieces: Iterable[Inline]) -> Inline:
    """Concatenate inline diffs (e.g. of a node's commitments), merging neighbouring same-op runs."""
    out: list[tuple[str, str]] = []
    for piece in pieces:
        for op, text in piece:
            if out and out[-1][0] == op:
                out[-1] = (op, out[-1][1] + text)
            elif text:
                out.append((op, text))
    return tuple(out)


def _is_punct(text: str) -> bool:
    return bool(text) and all(unicodedata.category(c).startswith(("P", "Z")) or c.isspace() for c in text)


def _punctuation_only_as_equal(ops: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A deletion and insertion of punctuation marks alone (；→。) is noise to a reader: show it as equal."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(ops):
        if i + 1 < len(ops) and {ops[i][0], ops[i + 1][0]} == {"-", "+"} and _is_punct(ops[i][1]) \
                and _is_punct(ops[i + 1][1]):
            out.append(("=", ops[i + 1][1] if ops[i + 1][0] == "+" else ops[i][1]))
            i += 2
            continue
        out.append(ops[i])
        i += 1
    return out


def _absorb_short_equalities(ops: list[tuple[str, str]]) -> Inline:
    """Fold a one-character equality squeezed between edits into them: reads as words, not confetti."""
    changed = True
    while changed:
        changed = False
        for i in range(1, len(ops) - 1):
            if ops[i][0] == "=" and len(ops[i][1].strip()) <= 1 and ops[i - 1][0] != "=" \
                    and ops[i + 1][0] != "=":
                eq = ops[i][1]
                j = i - 1
                while j >= 0 and ops[j][0] != "=":
                    j -= 1
                k = i + 1
                while k < len(ops) and ops[k][0] != "=":
                    k += 1
                left, right = ops[j + 1:i], ops[i + 1:k]
                dels = "".join(t for o, t in left if o == "-") + eq + "".join(t for o, t in right if o == "-")
                ins = "".join(t for o, t in left if o == "+") + eq + "".join(t for o, t in right if o == "+")
                ops = [*ops[: j + 1], ("-", dels), ("+", ins), *ops[k:]]
                changed = True
                break
    ops = _punctuation_only_as_equal(ops)
    merged: list[tuple[str, str]] = []
    for op, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return tuple(merged)


# --- commitments ---------------------------------------------------------------------------------


def _pieces(rows: np.ndarray, cols: np.ndarray, inter: np.ndarray, sizes: np.ndarray, matched: dict[int, int],
            other_matched: dict[int, int]) -> dict[int, int]:
    """Unmatched sentences (``rows``) mostly contained in a matched sentence of the other side (``cols``),
    from the overlap triplets: index → that index. A sentence of fewer than 4 bigrams is never a piece."""
    best: dict[int, tuple[float, int]] = {}
    for k, c, v in zip(rows.tolist(), cols.tolist(), inter.tolist(), strict=True):
        if k in matched or sizes[k] < 4 or c not in other_matched:
            continue
        share = v / sizes[k]
        cur = best.get(k)
        if cur is None or share > cur[0] or (share == cur[0] and c < cur[1]):
            best[k] = (share, c)
    return {k: c for k, (share, c) in best.items() if share >= SENTENCE_CONTAINMENT}


Overlap = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""What ``similarity.set_overlap`` returns: rows, columns and shared bigram-set sizes of the pairs that
share any, then each side's bigram-set sizes."""

_SINGLE = 1 << 42
"""Marks the code of a one-character text: above every bigram's code (two code points of 21 bits)."""
_BLOCK = 43
"""Bits of a code below the block number, when the blocks' codes are joined in one array."""


def _gram_codes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct bigrams of ``content_key`` of each text (``text.bigram_set``) as integers, in one
    pass over all texts: (text index, code) sorted by text then code, and each text's number of bigrams.
    A bigram is its two code points (21 bits each); a one-character text has that character's code with
    ``_SINGLE`` set, as ``bigram_set`` has the character alone."""
    keys = [content_key(t) for t in texts]
    lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    points = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    owner = np.repeat(np.arange(len(keys), dtype=np.int64), lens)
    inside = owner[:-1] == owner[1:]
    codes = ((points[:-1] << 21) | points[1:])[inside]
    owners = owner[:-1][inside]
    single = np.flatnonzero(lens == 1)
    if len(single):
        starts = np.cumsum(lens) - lens
        codes = np.concatenate([codes, points[starts[single]] | _SINGLE])
        owners = np.concatenate([owners, single])
    both = np.sort((owners << _BLOCK) | codes)
    both = both[np.concatenate(([True], both[1:] != both[:-1]))] if len(both) else both
    owners, codes = both >> _BLOCK, both & ((1 << _BLOCK) - 1)
    return owners, codes, np.bincount(owners, minlength=len(keys)).astype(float)


def sentence_overlaps(blocks: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[Overlap]:
    """``similarity.set_overlap(a, b)`` of every block (``a``, ``b``), the same triplets in the same order,
    computed for all blocks at once: a comparison's changed node pairs are ~100 small blocks, and one pass
    of numpy over all their sentences costs less than a set intersection per sentence pair (nor does it
    keep every sentence's bigram set in the shared cache, ``text.bigram_set``, which a series' sentences
    used to fill: 8,192 entries of a few kB). A block of more than ``ALL_PAIRS`` pairs goes to
    ``set_overlap``, which compares only candidate pairs there."""
    out: list[Overlap | None] = [None] * len(blocks)
    small = []
    for k, (a, b) in enumerate(blocks):
        if len(a) * len(b) > ALL_PAIRS:
            out[k] = set_overlap(a, b)
        else:
            small.append(k)
    if small:
        a_texts = [t for k in small for t in blocks[k][0]]
        b_texts = [t for k in small for t in blocks[k][1]]
        n_a = np.array([len(blocks[k][0]) for k in small], dtype=np.int64)
        n_b = np.array([len(blocks[k][1]) for k in small], dtype=np.int64)
        start_a, start_b = np.cumsum(n_a) - n_a, np.cumsum(n_b) - n_b
        cells = n_a * n_b
        start_cell = np.cumsum(cells) - cells
        block_a = np.repeat(np.arange(len(small), dtype=np.int64), n_a)
        block_b = np.repeat(np.arange(len(small), dtype=np.int64), n_b)
        own_a, codes_a, size_a = _gram_codes(a_texts)
        own_b, codes_b, size_b = _gram_codes(b_texts)
        key_a = (block_a[own_a] << _BLOCK) | codes_a
        key_b = (block_b[own_b] << _BLOCK) | codes_b
        order = np.argsort(key_b, kind="stable")
        key_b, own_b = key_b[order], own_b[order]
        first = np.flatnonzero(np.concatenate(([True], key_b[1:] != key_b[:-1]))) if len(key_b) else key_b
        runs = np.diff(np.append(first, len(key_b)))
        at = np.minimum(np.searchsorted(key_b[first], key_a), max(len(first) - 1, 0))
        hit = key_b[first[at]] == key_a if len(first) else np.zeros(len(key_a), dtype=bool)
        lo, count = first[at[hit]], runs[at[hit]]
        i = np.repeat(own_a[hit], count)
        j = own_b[np.repeat(lo + count - np.cumsum(count), count) + np.arange(int(count.sum()))]
        blk = block_a[i]
        flat = np.bincount(start_cell[blk] + (i - start_a[blk]) * n_b[blk] + (j - start_b[blk]),
                           minlength=int(cells.sum()))
        nonzero = np.flatnonzero(flat)
        bounds = np.searchsorted(nonzero, np.append(start_cell, cells.sum()))
        for q, k in enumerate(small):
            cell = nonzero[bounds[q]:bounds[q + 1]] - start_cell[q]
            m = int(n_b[q])
            sa = size_a[start_a[q]:start_a[q] + n_a[q]]
            sb = size_b[start_b[q]:start_b[q] + m]
            if not m or not n_a[q]:
                empty = np.zeros(0, dtype=np.int64)
                out[k] = (empty, empty, np.zeros(0), sa, sb)
                continue
            out[k] = (cell // m, cell % m, flat[nonzero[bounds[q]:bounds[q + 1]]].astype(float), sa, sb)
    return [x for x in out if x is not None]


def _one_to_one(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int, n_cols: int) -> dict[int, int]:
    """``similarity.assign``'s pairs (row → column). When no two candidate edges share a row or a column
    (most node pairs: each sentence has at most one rewording above the threshold) the optimum takes every
    edge, all positive, and the solver is not needed."""
    r, c = rows.tolist(), cols.tolist()
    if len(set(r)) == len(r) and len(set(c)) == len(c):
        return dict(zip(r, c, strict=True))
    return {i: j for i, (j, _) in assign(rows, cols, vals, n_rows, n_cols).items()}


def align_sentences(old: Sequence[Sentence], new: Sequence[Sentence], overlap: Overlap | None = None,
                    ) -> tuple[CommitmentChange, ...]:
    """What became of each sentence of a pair: unchanged / reworded / split / merged / added / removed.

    Sentences are paired one-to-one by bigram-set Dice (≥ ``SENTENCE_MIN_DICE``) with an optimal sparse
    assignment, so that a paragraph of a thousand sentences costs what its overlapping pairs cost.

    Ordered as the new side reads, removed sentences placed after their old predecessor's match.
    """
    if overlap is None:
        overlap = sentence_overlaps([([s.text for s in old], [s.text for s in new])])[0]
    rows, cols, inter, so, sn = overlap
    total = so[rows] + sn[cols]
    dice = np.where(total > 0, 2 * inter / np.where(total > 0, total, 1), 0.0)
    ok = dice >= SENTENCE_MIN_DICE
    pairs = _one_to_one(rows[ok], cols[ok], dice[ok], len(old), len(new))
    matched_new = {c: r for r, c in pairs.items()}
    extra = _pieces(cols, rows, inter, sn, matched_new, pairs)  # new index -> old index (split pieces)
    extra_old = _pieces(rows, cols, inter, so, pairs, matched_new)  # old index -> new index (merged pieces)

    items: list[tuple[tuple[float, int, int], CommitmentChange]] = []
    for j, s in enumerate(new):
        if j in matched_new:
            o = old[matched_new[j]]
            ops = inline_diff(o.text, s.text)
            same = normalize(o.text) == normalize(s.text) or all(op == "=" for op, _ in ops)
            kind: ChangeKind = "unchanged" if same else "reworded"
            items.append(((j, 0, 0), CommitmentChange(kind, o, s, ops)))
        elif j in extra:
            o = old[extra[j]]
            items.append(((j, 0, 0), CommitmentChange("split", o, s, inline_diff(o.text, s.text))))
        else:
            items.append(((j, 0, 0), CommitmentChange("added", None, s, (("+", s.text),))))
    last_new = -1.0
    for i, s in enumerate(old):
        if i in pairs:
            last_new = pairs[i]
            continue
        if i in extra_old:
            n = new[extra_old[i]]
            items.append(((extra_old[i], 1, i), CommitmentChange("merged", s, n, inline_diff(s.text, n.text))))
        else:
            items.append(((last_new, 2, i), CommitmentChange("removed", s, None, (("-", s.text),))))
    items.sort(key=lambda kv: kv[0])
    return tuple(c for _, c in items)
