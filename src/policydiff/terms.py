"""Terms: quoted slogans “…”, named documents 《…》 and key phrases new or dropped between years.

What counts as *new* (or dropped): a term whose words, without their quotation marks, occur nowhere in
the other text. “组合拳” is not new when last year wrote 组合拳 unquoted; a slogan merely put in quotes
this year is not news. Occurrence is tested on ``normalize``\\d text (NFKC, no whitespace), so hard-wrapped
lines and full-width forms do not hide a phrase.

**Key phrases** are unquoted new vocabulary (新质生产力 in 2024), found by a principled method rather
than by recombining common words:

1. The text is segmented with ``rjieba`` (the Rust port of jieba; same segmentation as jieba on 50 of
   the 51 reports, 20× faster, see ``docs/decisions.md``), with parts of speech.
2. A token is *novel* when it is a word of two or more Chinese characters that occurs nowhere in the old
   text (nor in the earlier years, when given). Known words in a new order (加快推进数字化) have no novel
   token and are never reported: that is the "not a plain recombination of common words" rule.
3. Around each novel token the phrase grows over adjacent nominal tokens (nouns, names, idioms,
   distinguishing words; up to ``PHRASE_MAX_TOKENS`` tokens and ``PHRASE_MAX_CHARS`` characters):
   新质 + 生产力 → 新质生产力. The phrase itself must not occur in the old text.
4. Salience ranks them: characters of novel tokens (longer new words carry more), doubled for a word the
   segmenter's dictionary does not know (a coinage, found by its HMM), times ``1 + log(count)`` and a
   bonus for a phrase that grew (a compound is a term; a lone token is often a name or a fragment).

``document_terms(doc, against=())`` gives every quoted slogan and named document of a document with its
count and first span (what a timeline counts per year), plus the key phrases new against ``against``
when given; ``term_changes(old, new, history)`` fills ``Comparison.terms``.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from .model import Document, Span, Term, TermKind, Terms
from .text import normalize, segmenter

_TERM = re.compile(r"“([^“”\n]{2,40})”|《([^《》\n]{2,80})》|「([^「」\n]{2,40})」")

PHRASE_MAX_TOKENS = 3
"""Longest key phrase in tokens: 新质 + 生产力, 数字 + 经济 + 新业态; four tokens make a clause."""

PHRASE_MAX_CHARS = 8
"""Longest key phrase in characters: policy coinages are 3–7 characters (新质生产力, 耐心资本)."""

NOVEL_MIN_CHARS = 2
"""A novel token has at least two characters: a single new character is a segmentation fragment."""

NOMINAL_POS = frozenset(("n", "nz", "ng", "nr", "ns", "nt", "nrt", "nrfg", "j", "b", "an", "vn"))
"""Parts of speech of a key phrase's tokens: nouns, names, abbreviations, distinguishing words, verbal
nouns. Idioms (``l``, ``i``: 紧紧抓住, 来之不易) and verbs are left out: a key phrase names a thing."""

VERBAL = frozenset(("vn",))
"""Verbal nouns do not start a phrase: before a noun they act as its verb (发展新质生产力, 建设…)."""
_NOMINAL_NOT_VERBAL = NOMINAL_POS - VERBAL

HEAD_POS = frozenset(("n", "nz", "ng", "nt", "j", "vn"))
"""Parts of speech the last token of a key phrase must have: Chinese noun phrases end in their head."""

OOV_WEIGHT = 2.0
"""Weight of a novel token the segmenter's dictionary lacks: a coinage (新质) rather than a known word
used for the first time (a place name, a technical term)."""

COMPOUND_BONUS = 1.5
"""Factor for a phrase grown beyond its novel token: compounds are how policy language coins terms."""

KEY_PHRASES_MAX = 30
"""Key phrases kept per side, most salient first: a reader scans a short list of new coinages; the long
tail (hundreds between two reports) is one-off wording, not terms."""

SHORT_WORD = 2
"""A phrase that is a single dictionary word of at most this many characters (开局, 行动, 监督) is too
common to be a term even when the other text happens to lack it; coinages are unknown to the dictionary
(新质) or compounds (新质生产力)."""

_HAN = re.compile(r"^[\u3400-\u9fff]+$")


def terms(text: str) -> list[str]:
    """Quoted slogans and named documents, as written (with their marks), in order of first use."""
    seen: dict[str, str] = {}
    for m in _TERM.finditer(text):
        whole = m.group(0)
        key = normalize(whole)
        if key not in seen:
            seen[key] = whole
    return list(seen.values())


def _inner(term: str) -> str:
    return normalize(term[1:-1])


@functools.lru_cache(maxsize=128)
def _normalized(text: str) -> str:
    return normalize(text)


def document_terms(doc: Document, against: Sequence[Document] = ()) -> dict[str, tuple[TermKind, int, Span]]:
    """Every quoted slogan and named document: text as written → (kind, count, first span).

    The count is of the words without marks (quoted or not), the span is the first quoted occurrence.
    With ``against`` (e.g. the earlier years), the key phrases new against all of them are added with
    kind ``phrase``: a key phrase is only defined by novelty, so a document alone has none.
    """
    out: dict[str, tuple[TermKind, int, Span]] = {}
    norm = _normalized(doc.text)
    seen: set[str] = set()
    for m in _TERM.finditer(doc.text):
        whole = m.group(0)
        key = normalize(whole)
        if key in seen:
            continue
        seen.add(key)
        kind: TermKind = "document" if whole.startswith("《") else "quoted"
        out[whole] = (kind, norm.count(_inner(whole)), (m.start(), m.end()))
    if against:
        for t in key_phrases(doc, [_normalized(d.text) for d in against]):
            if t.span is not None and t.text not in out:
                out[t.text] = ("phrase", t.count_new, t.span)
    return out


# --- key phrases --------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _tagged(text: str) -> tuple[tuple[str, str, int], ...]:
    """Tokens with part of speech and start offset in ``text``."""
    tagged = segmenter().tag(text)
    words = [w for w, _ in tagged]
    return tuple(zip(words, [p for _, p in tagged], itertools.accumulate(map(len, words), initial=0), strict=False))


INDEXED_CHARS = 4
"""Words up to this length (nearly all candidate words: 2–4 characters) are looked up in an index of the
other text's substrings of that length; longer phrases (a few hundred a report) by a direct substring
search. Four characters of 16 bits each are one 64-bit code."""
INDEX_MAX_TEXT = 100_000
"""Texts up to this length (every real work report) are indexed; a longer one is searched directly."""


SUBSTRING_SETS = 6
"""Substring indexes kept: lengths 2–4 of the two texts of the current pair; the next pair of a series
shares one of its texts with this one."""


@functools.lru_cache(maxsize=SUBSTRING_SETS)
def _substrings(norm: str, n: int) -> np.ndarray | frozenset[str]:
    """Every substring of ``n`` characters of ``norm``, as sorted codes (16 bits a character, the
    first character highest): built in ~0.3 ms for a report where a set of the substrings as strings took
    ~4 ms (60,000 small strings), and looked up many words at a time. A text with characters beyond the
    BMP (two UTF-16 units each) gets the set of strings."""
    units = np.frombuffer(norm.encode("utf-16-le"), dtype="<u2")
    if len(units) != len(norm):
        return frozenset(norm[i:i + n] for i in range(len(norm) - n + 1))
    count = len(units) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    codes = units[:count].astype(np.uint64)
    for k in range(1, n):
        codes = (codes << np.uint64(16)) | units[k:k + count]
    codes.sort()  # repeats stay: a sorted array is all a binary search needs
    return codes


class _Known:
    """Membership of words in any of the ``others`` (normalised texts): short words through the substring
    indexes of their length, longer ones by a direct search."""

    def __init__(self, others: Sequence[str]) -> None:
        self.others = others
        self.joined = "\0".join(others)
        self.indexes = {n: [_substrings(o, n) for o in others if len(o) <= INDEX_MAX_TEXT]
                        for n in range(NOVEL_MIN_CHARS, INDEXED_CHARS + 1)}
        self.unindexed = [o for o in others if len(o) > INDEX_MAX_TEXT]

    def novel(self, words: Iterable[str]) -> set[str]:
        """The words found in none of the others."""
        out: set[str] = set()
        by_length: dict[int, list[str]] = {}
        for w in words:
            by_length.setdefault(len(w), []).append(w)
        for n, group in by_length.items():
            indexes = self.indexes.get(n)
            if indexes is None:
                where = [self.joined] if n > PHRASE_MAX_CHARS else self.others
                out.update(w for w in group if not any(w in o for o in where))
                continue
            found = np.zeros(len(group), dtype=bool)
            units = [w.encode("utf-16-be") for w in group]
            bmp = np.array([len(u) == 2 * n for u in units], dtype=bool)  # else a surrogate pair: no code
            codes = np.fromiter((int.from_bytes(u, "big") for u, ok in zip(units, bmp, strict=True) if ok),
                                dtype=np.uint64, count=int(bmp.sum()))  # ``_substrings`` codes
            for index in indexes:
                if isinstance(index, frozenset):
                    found |= np.array([w in index for w in group], dtype=bool)
                elif len(index) and len(codes):
                    at = np.minimum(np.searchsorted(index, codes), len(index) - 1)
                    found[bmp] |= index[at] == codes
            out.update(w for w, hit in zip(group, found, strict=True)
                       if not hit and not any(w in o for o in self.unindexed))
        return out


@functools.lru_cache(maxsize=4)
def _nominal_words(text: str) -> dict[str, tuple[int, ...]]:
    """The nominal words of ``text`` that could be novel (Han, ``NOVEL_MIN_CHARS`` or more), each with the
    indices of its tokens: the same for each of the two pairs a year of a series is in, so worked out
    once, and the phrase search visits only the tokens of novel words (a few dozen of 10,000)."""
    out: dict[str, list[int]] = {}
    for k, (w, p, _) in enumerate(_tagged(text)):
        if len(w) >= NOVEL_MIN_CHARS and p in NOMINAL_POS and _HAN.match(w):
            out.setdefault(w, []).append(k)
    return {w: tuple(ks) for w, ks in out.items()}


def _extent(tokens: Sequence[tuple[str, str, int]], k: int) -> tuple[int, int]:
    """The tokens of the phrase around token ``k``: nominal modifiers before it, nominal words after it,
    within ``PHRASE_MAX_TOKENS`` and ``PHRASE_MAX_CHARS``."""
    lo, hi = k, k + 1
    while (lo > 0 and hi - lo < PHRASE_MAX_TOKENS and tokens[lo - 1][1] in _NOMINAL_NOT_VERBAL
           and _HAN.match(tokens[lo - 1][0])
           and sum(len(t[0]) for t in tokens[lo - 1:hi]) <= PHRASE_MAX_CHARS):
        lo -= 1
    while (hi < len(tokens) and hi - lo < PHRASE_MAX_TOKENS and tokens[hi][1] in NOMINAL_POS
           and _HAN.match(tokens[hi][0]) and sum(len(t[0]) for t in tokens[lo:hi + 1]) <= PHRASE_MAX_CHARS):
        hi += 1
    return lo, hi


def key_phrases(doc: Document, others: Sequence[str]) -> list[Term]:
    """Phrases of ``doc`` built on words found in none of ``others`` (normalised texts), most salient first.

    ``count_new`` holds the count in ``doc``; the caller swaps sides for dropped phrases.
    """
    tokens = _tagged(doc.text)
    quoted = "\0".join(normalize(m.group(0)[1:-1]) for m in _TERM.finditer(doc.text))
    known = _Known(others)
    nominal = _nominal_words(doc.text)
    novel_words = known.novel(nominal)
    found: dict[str, tuple[float, Span]] = {}
    counts: Counter[str] = Counter()
    seen: set[tuple[int, int]] = set()
    spans = [_extent(tokens, k) for k in sorted(k for w in novel_words for k in nominal[w])]
    phrases = ["".join(t[0] for t in tokens[lo:hi]) for lo, hi in spans]
    unknown = known.novel(set(phrases))  # looked up together: one search of each index per length
    has_word = segmenter().has_word
    for (lo, hi), phrase in zip(spans, phrases, strict=True):
        if (lo, hi) in seen:
            continue  # the same occurrence reached from its second novel token
        seen.add((lo, hi))
        if phrase in found:
            counts[phrase] += 1
            continue
        if tokens[hi - 1][1] not in HEAD_POS or phrase not in unknown:
            continue
        if hi - lo == 1 and len(phrase) <= SHORT_WORD and has_word(phrase):
            continue
        if phrase in quoted:
            continue  # part of a “…” or 《…》 of this text: that term speaks for it
        start, end = tokens[lo][2], tokens[hi - 1][2] + len(tokens[hi - 1][0])
        counts[phrase] += 1
        novel = sum(len(t[0]) * (OOV_WEIGHT if not has_word(t[0]) else 1.0)
                    for t in tokens[lo:hi] if t[0] in novel_words)
        score = novel * (COMPOUND_BONUS if hi - lo > 1 else 1.0)
        found[phrase] = (score, (start, end))
    out = []
    for phrase, (score, span) in found.items():
        count = counts[phrase]
        out.append(Term(text=phrase, kind="phrase", count_old=0, count_new=count, span=span,
                        salience=round(score * (1 + math.log(count)), 4)))
    # a phrase inside a longer reported phrase adds nothing (新质 inside 新质生产力)
    every = "\0".join(t.text for t in out)
    out = [t for t in out if every.count(t.text) == 1]
    out.sort(key=lambda t: (-t.salience, t.span or (0, 0)))
    return out[:KEY_PHRASES_MAX]


# --- changes ------------------------------------------------------------------------------------------

def _quoted_changes(side: Document, other: Document, added: bool) -> list[Term]:
    other_norm = _normalized(other.text)
    out = []
    for whole, (kind, count, span) in document_terms(side).items():
        inner = _inner(whole)
        if not inner or inner in other_norm:
            continue
        out.append(Term(text=whole, kind=kind, count_old=0 if added else count, count_new=count if added else 0,
                        span=span, salience=float(count)))
    out.sort(key=lambda t: -t.salience)  # stable: equally frequent terms stay in document order
    return out


def term_changes(old: Document, new: Document, history: Sequence[Document] = ()) -> Terms:
    """Quoted terms, named documents and key phrases found on one side only, most salient first.

    ``history`` (earlier years, optional) makes key phrases new only when no earlier year used them.
    """
    old_norm, new_norm = _normalized(old.text), _normalized(new.text)
    past = [_normalized(d.text) for d in history]
    added = _quoted_changes(new, old, added=True) + key_phrases(new, [old_norm, *past])
    removed = [Term(text=t.text, kind=t.kind, count_old=t.count_new, count_new=0, span=t.span,
                    salience=t.salience) for t in key_phrases(old, [new_norm])]
    removed = _quoted_changes(old, new, added=False) + removed
    return Terms(added=tuple(added), removed=tuple(removed))
