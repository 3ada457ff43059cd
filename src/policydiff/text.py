"""Leaf text utilities every stage shares: what counts as blank, the same, and similar.

This module imports nothing of ours, so the parser, the aligner, the text differ and the renderers
can all use one definition of normalisation, zero-width handling, Chinese numerals and bigram
similarity without importing each other.

* **Blank**: Unicode whitespace plus zero-width characters (U+200B–U+200D, U+2060, U+FEFF, U+00AD):
  copied web text is full of them and they carry nothing.
* **Normalisation** (``normalize``) decides "unchanged": NFKC folds full-width digits, letters and
  punctuation (，→, ；→; （→( ), curly quotes become straight ones, whitespace and zero-width
  characters are dropped.
* **Content key** (``content_key``) is what similarity reads: the normalised text without punctuation
  and symbols.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache

ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
"""Invisible characters treated as whitespace: they carry no text and break matching."""

METADATA_FIELDS = ("索引号", "发文字号", "成文日期", "发文机关", "发布日期", "主题分类", "体裁分类",
                   "公开方式", "组配分类", "文号", "发布机构", "生效日期", "废止日期", "有效性")
"""Field names of the publication block government sites put above a document."""

_STRIP = ZERO_WIDTH + " \t\r\f\v\u3000\xa0"


def is_blank(ch: str) -> bool:
    """Whitespace in the parser's sense: Unicode whitespace and zero-width characters."""
    return ch.isspace() or ch in ZERO_WIDTH


def clean(text: str) -> str:
    """A source slice as a node's own text: lines stripped and joined, zero-width characters removed."""
    lines = (ln.strip(_STRIP) for ln in text.split("\n"))
    return "".join(c for c in "".join(lines) if c not in ZERO_WIDTH)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
_BLANKS = re.compile(rf"[\s{ZERO_WIDTH}]+")
_PUNCT_SYMBOL = {cp: None for cp in range(0x10000) if unicodedata.category(chr(cp))[0] in "PS"}
"""Punctuation and symbol code points of the BMP as a ``str.translate`` deletion table: built once at
import (~30 ms), it is ~20× faster than testing characters one by one. Characters beyond the BMP
(emoji, rare ideographs) are tested one by one."""
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Text as compared for "unchanged": NFKC (punctuation and digit width folded), no whitespace."""
    return _BLANKS.sub("", unicodedata.normalize("NFKC", text).translate(_QUOTES))


def is_punct_or_symbol(ch: str) -> bool:
    """Punctuation or symbol (Unicode categories P* and S*)."""
    return unicodedata.category(ch)[0] in "PS"


@lru_cache(maxsize=65536)
def content_key(text: str) -> str:
    """Text as compared for similarity: normalised, punctuation and symbols removed."""
    key = normalize(text).translate(_PUNCT_SYMBOL)
    if _ASTRAL.search(key):
        key = "".join(c for c in key if not is_punct_or_symbol(c))
    return key


def bigrams(text: str) -> Counter[str]:
    """Character bigrams of ``content_key(text)`` (a single character counts as one gram)."""
    return Counter(dict(bigram_counts(text)))


@lru_cache(maxsize=65536)
def bigram_counts(text: str) -> tuple[tuple[str, int], ...]:
    """``bigrams(text)`` as an immutable, cached tuple of (bigram, count): the vectors of every stage are
    built from the same texts (sentences, their nodes, both directions), so each is counted once."""
    k = content_key(text)
    if len(k) < 2:
        return ((k, 1),) if k else ()
    return tuple(Counter(k[i:i + 2] for i in range(len(k) - 1)).items())


def dice(a: Counter[str], b: Counter[str]) -> float:
    """Multiset Dice coefficient of two bigram bags (1.0 when both are empty)."""
    total = a.total() + b.total()
    if not total:
        return 1.0
    return 2 * (a & b).total() / total


def containment(a: Counter[str], b: Counter[str]) -> float:
    """How much of ``a`` is found in ``b`` (1.0 when ``a`` is empty)."""
    n = a.total()
    return (a & b).total() / n if n else 1.0


_CN_VALUES = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}


def cn_number(s: str) -> int | None:
    """Chinese numerals of labels to int: ``十二`` → 12, ``二十`` → 20, ``一百零五`` → 105, ``二〇二一`` → 2021.

    >>> cn_number("十二"), cn_number("二〇二一"), cn_number("甲")
    (12, 2021, None)
    """
    if not s:
        return None
    if all(c in _CN_VALUES for c in s) and len(s) > 1:
        return int("".join(str(_CN_VALUES[c]) for c in s))
    total, current = 0, 0
    for c in s:
        if c in _CN_VALUES:
            current = _CN_VALUES[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current
