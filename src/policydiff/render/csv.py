"""CSV: one row per change, for a spreadsheet (UTF-8 with a byte-order mark, so Excel reads the Chinese);
``table`` picks another table of facts instead: ``numbers``, ``terms`` or ``strength`` (``TABLES``).

Columns (``COLUMNS``, documented in ``docs/usage.md``): kind, moved, where the change is on each side
(locators), titles, part, similarity, how many sentences were added / removed / reworded, and the
number changes as ``subject: old → new`` joined with ``; ``. The column names are stable identifiers
in English, whatever ``lang`` is; ``lang`` sets the locator words (``第2段`` or ``¶2``). A cell that a
spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first) starts with ``'``
(``safe.spreadsheet_cell``).
"""

from __future__ import annotations

import csv
import io

from ..model import Added, Change, Comparison, Condensed, Merged, Removed, Reworded, Split, Unchanged, assert_never
from .common import View, heading
from .safe import spreadsheet_row

COLUMNS: tuple[str, ...] = ("kind", "moved", "old_locator", "new_locator", "old_title", "new_title", "part",
                            "similarity", "sentences_added", "sentences_removed", "sentences_reworded",
                            "numbers")
"""The header row, in order."""

BOM = "\ufeff"
"""Written first: without it Excel opens UTF-8 as the local code page and the Chinese turns to mojibake."""


def _row(v: View, c: Change) -> list[str]:
    count = {k: sum(1 for cc in c.commitments if cc.kind == k) for k in ("added", "removed")}
    reworded = sum(1 for cc in c.commitments if cc.kind not in ("unchanged", "added", "removed"))
    match c:  # an unpaired node has no commitments: all its sentences are added or removed
        case Added():
            count["added"] = sum(len(n.sentences) for n in c.new)
        case Removed():
            count["removed"] = sum(len(n.sentences) for n in c.old)
        case Unchanged() | Reworded() | Split() | Merged() | Condensed():
            pass
        case _:
            assert_never(c)
    return [c.kind, "1" if c.moved else "0",
            v.loc(c.old, "old") if c.old else "", v.loc(c.new, "new") if c.new else "",
            " / ".join(heading(n, v.w) for n in c.old), " / ".join(heading(n, v.w) for n in c.new),
            v.part(c), f"{c.similarity:.4f}", str(count["added"]), str(count["removed"]), str(reworded),
            "; ".join(f"{n.subject}: {n.old or '—'} → {n.new or '—'}" for n in c.numbers)]


TABLES: dict[str, tuple[str, ...]] = {
    "changes": COLUMNS,
    "numbers": ("status", "kind", "subject", "old_subject", "old", "new", "old_value", "new_value", "unit",
                "old_locator", "new_locator", "old_quote", "new_quote"),
    "terms": ("status", "kind", "text", "count_old", "count_new", "salience", "locator"),
    "strength": ("direction", "old_words", "new_words", "old_locator", "new_locator", "old_quote", "new_quote"),
}
"""``--table`` → its header row. ``numbers``: every paired or new/dropped quantity (status ``changed``,
``new``, ``dropped``, ``unchanged``; kind ``target``/``outcome``/``other``); ``terms``: new, returning and
dropped slogans, documents and phrases, in rank order; ``strength``: the commitments whose verb moved."""


def _numbers(v: View) -> list[list[object]]:
    rows: list[list[object]] = []
    for c in v.cmp.changes:
        for n in c.numbers:
            status = "new" if n.old is None else "dropped" if n.new is None else "changed"
            rows.append([status, n.kind, n.subject, n.old_subject, n.old, n.new, n.old_value, n.new_value, n.unit,
                         v.loc(c.old, "old") if c.old else "", v.loc(c.new, "new") if c.new else "",
                         n.old_quote, n.new_quote])
    for n in v.cmp.numbers_unchanged:
        rows.append(["unchanged", n.kind, n.subject, n.old_subject, n.old, n.new, n.old_value, n.new_value, n.unit,
                     "", "", n.old_quote, n.new_quote])
    return rows


def _terms(v: View) -> list[list[object]]:
    t = v.cmp.terms
    return [[status, x.kind, x.text, x.count_old, x.count_new, x.salience, _term_where(v, x.span, side)]
            for status, items, side in (("new", t.added, "new"), ("returning", t.returning, "new"),
                                        ("dropped", t.removed, "old"))
            for x in items]


def _term_where(v: View, span: tuple[int, int] | None, side: str) -> str:
    """The locator of the node whose own text holds ``span`` (the term's first occurrence)."""
    if span is None:
        return ""
    doc = v.cmp.new if side == "new" else v.cmp.old
    node = next((n for n in doc.nodes() if n.span[0] <= span[0] < n.span[1]), None)
    return v.node_loc(node.id, side) if node is not None else ""


def _strength(v: View) -> list[list[object]]:
    return [[s.direction, s.old_words, s.new_words, v.node_loc(s.old_id, "old"), v.node_loc(s.new_id, "new"),
             s.old_quote, s.new_quote] for s in v.cmp.strength]


def render_comparison(cmp: Comparison, *, lang: str = "zh", table: str = "changes") -> str:
    """One of ``TABLES`` as CSV text, BOM first, ``\\r\\n`` line ends (RFC 4180): the changes (default), or the
    facts a journalist lifts (``numbers``, ``terms``, ``strength``)."""
    if table not in TABLES:
        from ..model import OptionsError

        raise OptionsError(f"unknown CSV table {table!r}; expected one of {', '.join(TABLES)}")
    v = View(cmp, lang)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TABLES[table])
    if table == "changes":
        rows: list[list[object]] = [list(_row(v, c)) for c in v.cmp.changes]
    else:
        rows = {"numbers": _numbers, "terms": _terms, "strength": _strength}[table](v)
    for row in rows:
        writer.writerow(spreadsheet_row(row))  # no cell a spreadsheet would run as a formula
    return BOM + out.getvalue()
