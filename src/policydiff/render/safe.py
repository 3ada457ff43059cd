"""Document text made safe to show: control characters replaced one for one, before any renderer runs.

A document may hold C0/C1 control characters (ESC sequences that clear a screen or set a window
title), bidi controls (U+202E reverses what a reader sees) and noncharacters (U+FFFE), which lxml
refuses in an element. Each renderer calls ``visible_comparison`` first: every string of the model
(documents, nodes, sentences, inline diffs, numbers, terms) gets the same one-for-one replacement, so
spans still point at the same places and nothing is lost, only shown as a visible symbol. C0
controls become their Control Pictures (ESC → ␛, so a reader sees what was there), everything else
U+FFFD. Tab and line feed stay.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs

from ..model import Comparison

_C0 = {c: 0x2400 + c for c in range(0x20) if c not in (0x09, 0x0A)}
_OTHER = [0x7F, *range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
          0xFFFE, 0xFFFF, *range(0xFDD0, 0xFDF0), *range(0xD800, 0xE000)]
UNSAFE: dict[int, int] = {**_C0, 0x7F: 0x2421, **{c: 0xFFFD for c in _OTHER if c != 0x7F}}
"""Code point → its visible stand-in: C0 controls (not tab, line feed) and DEL as Control Pictures;
C1 controls, bidi embeddings/overrides/isolates and marks, noncharacters and lone surrogates as U+FFFD."""


def _char_class(code_points: Iterable[int]) -> str:
    """A regular-expression character class of ``code_points``, consecutive ones as ranges (``\\x00-\\x08``).

    Ranges, not one member per code point: the set holds all 2,048 surrogates, and ``re`` took ~3 ms to
    compile a class listing them one by one, at the import of every renderer."""
    runs: list[list[int]] = []
    for c in sorted(code_points):
        if runs and c == runs[-1][1] + 1:
            runs[-1][1] = c
        else:
            runs.append([c, c])
    return "[" + "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in runs) + "]"


_UNSAFE_RE = re.compile(_char_class(UNSAFE))

FORMULA_START = frozenset("=+-@\t\r")
"""First characters that make a spreadsheet (Excel, LibreOffice, Google Sheets) read a CSV cell as a
formula: ``=HYPERLINK(...)``, ``+1``, ``-1+2``, ``@SUM(...)``, and tab or carriage return before one."""


def spreadsheet_cell(value: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs: OWASP's advice for CSV injection.

    A cell that starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return, also after leading
    whitespace (which spreadsheets strip before they look), gets a single quote in front: spreadsheets
    show it as text and hide the quote. Every CSV policydiff writes passes each cell through here, since
    any cell may hold a document's words."""
    if value[:1] in FORMULA_START or value.lstrip()[:1] in FORMULA_START:
        return "'" + value
    return value


def spreadsheet_row(cells: Iterable[object]) -> list[str]:
    """``spreadsheet_cell`` of each cell, numbers and None included (as ``str``; None as empty)."""
    return [spreadsheet_cell("" if c is None else str(c)) for c in cells]


def visible(text: str) -> str:
    """``text`` with every unsafe character replaced one for one (same length, spans stay valid)."""
    return text.translate(UNSAFE) if _UNSAFE_RE.search(text) else text


def _needs_cleaning(cmp: Comparison) -> bool:
    docs = (cmp.old, cmp.new)
    return any(_UNSAFE_RE.search(s) for d in docs
               for s in (d.text, d.path, d.title, *d.metadata.keys(), *d.metadata.values()))


def _clean(value: Any, memo: dict[int, Any]) -> Any:
    key = id(value)
    if key in memo:
        return memo[key]
    out: Any
    if isinstance(value, str):
        out = visible(value)
    elif isinstance(value, tuple):
        out = tuple(_clean(v, memo) for v in value)
    elif isinstance(value, dict):
        out = {_clean(k, memo): _clean(v, memo) for k, v in value.items()}
    elif attrs.has(type(value)):
        out = attrs.evolve(value, **{f.name: _clean(getattr(value, f.name), memo) for f in attrs.fields(type(value))
                                     if f.init})
    elif value is None or isinstance(value, (int, float, Decimal, bool)):
        out = value
    else:
        out = value
    memo[key] = out
    return out


def visible_comparison(cmp: Comparison) -> Comparison:
    """The comparison with every string passed through ``visible``; the same object when nothing is unsafe.

    Derived strings (sentences, inline diffs, quotes) come from the documents, so checking the two
    documents' texts, paths and metadata decides whether any cleaning is needed."""
    if not _needs_cleaning(cmp):
        return cmp
    result: Comparison = _clean(cmp, {})
    return result
