"""The Comparison and Document models as JSON (format documented in ``docs/json-format.md``)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from ..model import (
    CHANGE_KINDS,
    Change,
    CommitmentChange,
    Comparison,
    Document,
    Link,
    Nearest,
    Node,
    NumberChange,
    Sentence,
    StrengthShift,
    Term,
    summarize,
)

FORMAT = "policydiff.comparison"
DOCUMENT_FORMAT = "policydiff.document"
VERSION = 2
"""2: ``condensed`` kind, ``evidence`` and ``nearest`` per change, ``moved_to`` / ``moved_from`` per commitment;
nodes carry their anatomy ``role`` (an added field: readers of version 2 that ignore unknown fields keep working,
so the version stays)."""
DOCUMENT_VERSION = 2
"""2: ``role`` is the anatomy role of every node (``docs/anatomy.md``); the front-matter role, which version 1
called ``role``, is ``front_role``. A version 1 reader would misread ``role``, hence the new version."""


def _decimal(v: Decimal | None) -> str | None:
    """Exact values as strings (``"4060000000000"``): JSON numbers would be read back as floats."""
    return None if v is None else format(v.normalize(), "f")


def _sentence(s: Sentence | None) -> dict[str, Any] | None:
    return None if s is None else {"text": s.text, "span": list(s.span)}


def _node_ref(n: Node) -> dict[str, Any]:
    return {"id": n.id, "kind": n.kind, "label": n.label, "title": n.title, "text": n.text,
            "span": list(n.span), "role": n.role}


def _commitment(c: CommitmentChange) -> dict[str, Any]:
    return {"kind": c.kind, "old": _sentence(c.old), "new": _sentence(c.new),
            "inline": [list(op) for op in c.inline], "moved_to": c.moved_to, "moved_from": c.moved_from}


def _link(x: Link) -> dict[str, Any]:
    return {"old_id": x.old_id, "new_id": x.new_id, "old_span": list(x.old_span), "new_span": list(x.new_span),
            "score": x.score}


def _nearest(x: Nearest | None) -> dict[str, Any] | None:
    return None if x is None else {"id": x.id, "label": x.label, "title": x.title, "similarity": x.similarity,
                                   "reason": x.reason}


def _change(c: Change) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "moved": c.moved,
        "level": c.level,
        "part": c.part,
        "old_parent": c.old_parent,
        "new_parent": c.new_parent,
        "similarity": c.similarity,
        "old": [_node_ref(n) for n in c.old],
        "new": [_node_ref(n) for n in c.new],
        "commitments": [_commitment(x) for x in c.commitments],
        "inline": [list(op) for op in c.inline],
        "evidence": [_link(x) for x in c.evidence],
        "nearest": _nearest(c.nearest),
        "numbers": [_number(n) for n in c.numbers],
    }


def _number(n: NumberChange) -> dict[str, Any]:
    """A paired quantity (facts, issue 8): values as exact decimal strings, spans into each side's text."""
    return {"subject": n.subject, "old_subject": n.old_subject, "old": n.old, "new": n.new,
            "old_value": _decimal(n.old_value), "new_value": _decimal(n.new_value),
            "old_high": _decimal(n.old_high), "new_high": _decimal(n.new_high), "unit": n.unit,
            "qualifier_old": n.qualifier_old, "qualifier_new": n.qualifier_new, "kind": n.kind,
            "old_quote": n.old_quote, "new_quote": n.new_quote,
            "old_span": list(n.old_span) if n.old_span else None,
            "new_span": list(n.new_span) if n.new_span else None}


def _term(t: Term) -> dict[str, Any]:
    return {"text": t.text, "kind": t.kind, "count_old": t.count_old, "count_new": t.count_new,
            "span": list(t.span) if t.span else None, "salience": t.salience}


def _shift(s: StrengthShift) -> dict[str, Any]:
    return {"old_id": s.old_id, "new_id": s.new_id, "old_words": s.old_words, "new_words": s.new_words,
            "direction": s.direction, "old_quote": s.old_quote, "new_quote": s.new_quote}


def summary(cmp: Comparison) -> dict[str, Any]:
    """Counts per kind (plus ``moved``), overall and per top-level part, in the new document's order.

    A thin wrapper over ``model.summarize``, where the counts are computed once for every renderer."""
    s = summarize(cmp)

    def keep(counts: dict[str, int]) -> dict[str, int]:
        return {k: counts[k] for k in (*CHANGE_KINDS, "moved")}
    return {"total": keep(s.total), "parts": [{"part": p, "counts": keep(c)} for p, c in s.parts]}


def _doc_header(d: Document) -> dict[str, Any]:
    return {"path": d.path, "title": d.title, "metadata": dict(d.metadata)}


def comparison_dict(cmp: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON-ready data."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": _doc_header(cmp.old),
        "new": _doc_header(cmp.new),
        "summary": summary(cmp),
        "changes": [_change(c) for c in cmp.changes],
        "terms": {"added": [_term(t) for t in cmp.terms.added], "removed": [_term(t) for t in cmp.terms.removed]},
        "numbers_unchanged": [_number(n) for n in cmp.numbers_unchanged],
        "strength": [_shift(s) for s in cmp.strength],
        "metadata_changes": [{"field": k, "old": o, "new": n} for k, o, n in cmp.metadata_changes],
    }


def render_comparison(cmp: Comparison) -> str:
    return json.dumps(comparison_dict(cmp), ensure_ascii=False, indent=1) + "\n"


def _tree(n: Node) -> dict[str, Any]:
    d: dict[str, Any] = {"id": n.id, "kind": n.kind, "label": n.label, "ordinal": n.ordinal, "title": n.title,
                         "body": n.body, "span": list(n.span),
                         "sentences": [_sentence(s) for s in n.sentences]}
    d["role"] = n.role
    if n.front_role:
        d["front_role"] = n.front_role
    d["children"] = [_tree(c) for c in n.children]
    return d


def document_dict(doc: Document) -> dict[str, Any]:
    return {"format": DOCUMENT_FORMAT, "version": DOCUMENT_VERSION, "path": doc.path,
            "source_format": doc.source_format, "title": doc.title, "metadata": dict(doc.metadata),
            "warnings": list(doc.warnings), "length": len(doc.text), "nodes": [_tree(c) for c in doc.root.children]}


def render_document(doc: Document) -> str:
    return json.dumps(document_dict(doc), ensure_ascii=False, indent=1) + "\n"
