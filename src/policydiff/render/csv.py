"""CSV: one row per change, for a spreadsheet (UTF-8 with a byte-order mark, so Excel reads the Chinese).

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


def render_comparison(cmp: Comparison, *, lang: str = "zh") -> str:
    """The changes as CSV text, BOM first, ``\\r\\n`` line ends (RFC 4180)."""
    v = View(cmp, lang)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for c in v.cmp.changes:
        writer.writerow(spreadsheet_row(_row(v, c)))  # no cell a spreadsheet would run as a formula
    return BOM + out.getvalue()
