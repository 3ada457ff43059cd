"""A timeline as CSV for spreadsheets: one row per lineage and document year, then one per phrase and
document year, in one table so that a pivot table can be built on either (filter on ``record``). Cells a
spreadsheet would run as a formula start with ``'`` (``safe.spreadsheet_cell``)."""

from __future__ import annotations

import csv
import io

from ..timeline_model import Timeline
from .safe import spreadsheet_row

COLUMNS = ("record", "id", "text", "kind", "year", "state", "node_id", "label", "title", "count")
"""``record`` is ``lineage`` or ``phrase``; lineage rows fill id/state/node_id/label/title, phrase rows
text/kind/count; ``year`` is always set."""


def render_timeline(tl: Timeline) -> str:
    """The CSV text (RFC 4180 quoting, ``\\r\\n`` line ends as the csv module writes them)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(COLUMNS)
    for lin in tl.lineages:
        name = lin.titles[-1] if lin.titles else ""
        for year in tl.years:
            e = lin.event(year)
            w.writerow(spreadsheet_row(("lineage", lin.id, name, "", year, lin.state(year),
                                        (e.node_id or "") if e else "", e.label if e else "",
                                        e.title if e else "", "")))
    for p in tl.phrases:
        for year in tl.years:
            w.writerow(spreadsheet_row(("phrase", "", p.text, p.kind, year, "", "", "", "", p.count(year))))
    return out.getvalue()
