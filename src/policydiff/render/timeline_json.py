"""A timeline as JSON (``policydiff.timeline``, documented in ``docs/json-format.md``; schema shipped in
``policydiff/schema/timeline.schema.json``)."""

from __future__ import annotations

import json
from typing import Any

from ..timeline_model import Lineage, Timeline, TrackedPoint

FORMAT = "policydiff.timeline"
VERSION = 1


def _lineage(lin: Lineage) -> dict[str, Any]:
    return {"id": lin.id, "titles": list(lin.titles),
            "events": [{"year": e.year, "kind": e.kind, "node_id": e.node_id, "label": e.label, "title": e.title,
                        "moved": e.moved, "renumbered": e.renumbered, "from": e.source, "into": e.into}
                       for e in lin.events]}


def _tracked_point(p: TrackedPoint) -> dict[str, Any]:
    o = p.outcome
    return {"year": p.year, "target": p.target.text, "outcome": o.text if o else None,
            "outcome_year": o.year if o else None, "status": p.status, "target_quote": p.target.quote,
            "outcome_quote": o.quote if o else None}


def to_dict(tl: Timeline) -> dict[str, Any]:
    """The timeline as plain JSON values; exact figures as strings (a JSON number would become a float)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "documents": [{"year": d.year, "path": d.path, "title": d.title} for d in tl.documents],
        "gaps": list(tl.gaps),
        "lineages": [_lineage(lin) for lin in tl.lineages],
        "series": [{"subject": s.subject, "unit": s.unit, "kind": s.kind,
                    "points": [{"year": p.year, "text": p.text, "value": format(p.value.normalize(), "f"),
                                "unit": p.unit, "qualifier": p.qualifier, "quote": p.quote} for p in s.points]}
                   for s in tl.series],
        "tracked": [{"subject": t.subject, "unit": t.unit, "outcome_subject": t.outcome_subject,
                     "points": [_tracked_point(p) for p in t.points]} for t in tl.tracked],
        "phrases": [{"text": p.text, "kind": p.kind, "first": p.first, "last": p.last,
                     "counts": {str(y): n for y, n in p.counts}} for p in tl.phrases],
        "pairs": [{"old_year": p.old_year, "new_year": p.new_year, "counts": dict(p.counts),
                   "added": list(p.added), "removed": list(p.removed)} for p in tl.pairs],
    }


def render_timeline(tl: Timeline) -> str:
    """The JSON text, UTF-8 with Chinese as written, one trailing newline."""
    return json.dumps(to_dict(tl), ensure_ascii=False, indent=1) + "\n"
