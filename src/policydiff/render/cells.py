"""Terminal cells of text: how wide a string shows in a monospaced terminal (Chinese characters are two).

The renderers used rich's ``cell_len`` character by character, which was most of the terminal
renderer's time (~90 ms of a 2021 → 2022 report). Here a character's width is looked up once in a
table filled from ``unicodedata`` (East Asian Width W/F → 2; combining marks, format characters and
controls → 0; everything else 1) and kept, so measuring a string is one C-level ``map`` over a dict;
``fold_points`` finds where to fold a line from the running sum, by bisection, instead of a Python
loop per character. The widths agree with rich's table on every assigned character of Unicode 14
except ~280 that Unicode 15/16 widened (I Ching hexagrams, some symbols), which Chinese government
documents do not use; the golden files are unchanged.
"""

from __future__ import annotations

import bisect
import itertools
import unicodedata

_ZERO_CATEGORIES = frozenset({"Mn", "Me", "Mc", "Cf"})
"""Combining marks and format characters (zero-width space, joiners) occupy no cell of their own."""

_HANGUL_JAMO_MEDIAL = range(0x1160, 0x1200)
"""Hangul medial vowels and final consonants join the preceding initial: no cell of their own."""


def _char_cells(ch: str) -> int:
    o = ord(ch)
    if o < 0x20 or 0x7F <= o < 0xA0:
        return 0  # controls (a tab too: expanded separately, as rich did)
    category = unicodedata.category(ch)
    if category in _ZERO_CATEGORIES and ch != "\u00ad":  # the soft hyphen shows as a hyphen
        return 0
    if o in _HANGUL_JAMO_MEDIAL:
        return 0
    if category == "Cn":
        return 1  # unassigned: as narrow (unicodedata answers oddly for some)
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


class _Table(dict[str, int]):
    """Character → cells, filled on first sight of each character (a report uses a few thousand)."""

    def __missing__(self, ch: str) -> int:
        cells = self[ch] = _char_cells(ch)
        return cells


_CELLS = _Table()


def cell_len(text: str) -> int:
    """Terminal cells of ``text``.

    >>> cell_len("abc"), cell_len("教育a"), cell_len("e\\u0301")
    (3, 5, 1)
    """
    if text.isascii() and text.isprintable():
        return len(text)
    return sum(map(_CELLS.__getitem__, text))


def fold_points(text: str, width: int, hang: int) -> list[int]:
    """Where to fold ``text`` so each piece fits ``width`` cells, later pieces after ``hang`` cells of indent.

    A fold may fall between any two characters (Chinese has no spaces to break at); the first character
    of a line always stays, so a line never comes out empty.

    >>> fold_points("一二三四五", 6, 2), fold_points("一二三四五", 6, 4)
    ([3], [3, 4])
    """
    if cell_len(text) <= width:
        return []
    sums = list(itertools.accumulate(map(_CELLS.__getitem__, text)))
    cuts: list[int] = []
    cut = max(1, bisect.bisect_right(sums, width))
    while cut < len(text):
        cuts.append(cut)
        before = sums[cut - 1]  # cells up to the fold; the next line holds width − hang more
        cut = max(cut + 1, bisect.bisect_right(sums, before + width - hang, lo=cut))
    return cuts


def chop(text: str, width: int) -> list[str]:
    """``text`` cut into pieces of at most ``width`` cells (a character wider than what is left starts the
    next piece), as rich folds a word longer than a line."""
    pieces: list[str] = []
    start = used = 0
    for i, ch in enumerate(text):
        w = _CELLS[ch]
        if used + w > width:
            pieces.append(text[start:i])
            start, used = i, 0
        used += w
    if used or start < len(text):
        pieces.append(text[start:])
    return pieces


def expand_tabs(line: str, size: int = 8, start: int = 0) -> str:
    """Tabs as spaces to the next multiple of ``size`` cells, the line's first character at cell ``start``
    (a tab counts 0 cells when folding, as in rich).

    >>> expand_tabs("ab\\tc"), expand_tabs("\\tc", start=3)
    ('ab      c', '     c')
    """
    if "\t" not in line:
        return line
    out: list[str] = []
    position = start
    for k, part in enumerate(line.split("\t")):
        if k:
            position += 1  # the tab itself became a space
            out.append(" ")
            remainder = position % size
            if remainder:
                out.append(" " * (size - remainder))
                position += size - remainder
        out.append(part)
        position += cell_len(part)
    return "".join(out)
