"""One JSON form of the model, and the way back: the only serialisation policydiff writes or reads.

``dumps(cmp)`` is what ``policydiff diff -f json`` writes and ``dump_document(doc)`` what ``policydiff show
-f json`` writes (``docs/json-format.md``); ``loads`` and ``load_document`` rebuild the very same model
objects (``loads(dumps(cmp)) == cmp``). The batch cache keeps parsed documents in this form too.

Why JSON and one codec: data read back from a file must never be able to run code (pickle, marshal and
shelve can; JSON is only data), and a single encoder means the JSON a user saves is the JSON the tools
load. Why validated: a file can come from anyone. The decoder checks every type, every closed set of
kinds (taken from the model's own ``Literal`` types), every span (inside its document's text), every
node a change names (a node of that document, with the same kind, label, title and span), the depth of
the tree and the sizes (``MAX_JSON_CHARS``, the document limits of ``limits.py``, ``MAX_DECIMAL_CHARS``).
Anything wrong is an ``InputError`` naming the file and the JSON path of the value.
"""

from __future__ import annotations

import json
import re
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from .limits import MAX_CHARS, check_document
from .model import (
    CHANGE_KINDS,
    Change,
    ChangeBase,
    CommitmentChange,
    Comparison,
    Document,
    InputError,
    Link,
    Nearest,
    Node,
    NodeIndex,
    NumberChange,
    Sentence,
    Span,
    StrengthShift,
    Term,
    Terms,
    make_change,
    summarize,
)

FORMAT = "policydiff.comparison"
DOCUMENT_FORMAT = "policydiff.document"
VERSION = 3
"""3: ``old`` and ``new`` are whole documents (text and tree, as ``show -f json``), so the JSON loads back
into the Comparison. 2: ``condensed`` kind, ``evidence``, ``nearest``, ``moved_to`` / ``moved_from``."""
DOCUMENT_VERSION = 3
"""3: the decoded ``text`` that every span points into, so that the document loads back. 2: ``role`` is the
anatomy role of every node (``docs/anatomy.md``); the front-matter role, which version 1 called ``role``, is
``front_role``."""

MAX_JSON_CHARS = 400_000_000
"""Characters of JSON ``loads`` and ``load_document`` accept. On the State Council reports a comparison's
JSON is at most about 30 characters per character of the two texts (each text, its nodes' bodies and
sentences, the changes' node texts and inline diffs), so two documents at the input limit
(``limits.MAX_CHARS``, 4 M characters each) stay below this; a file past it is not ours, and is refused
before ``json.loads`` spends memory on it."""

MAX_NODE_DEPTH = 64
"""Levels of the section tree the decoder follows: the parser's numbering styles nest at most about eight
(part, section, measure, item, paragraph and front matter). The cap keeps a hostile file from nesting
children deeply enough to exhaust the decoder's recursion."""

MAX_DECIMAL_CHARS = 1000
"""Characters of an exact value (``"4060000000000"``): figures in reports have at most about twenty digits;
a value from a file is bounded so that arithmetic on it stays cheap."""

_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
"""Exact values as the encoder writes them: plain decimal notation, no exponent, no NaN."""

T = TypeVar("T")


# --- encoding ---------------------------------------------------------------------------------------------

def _decimal(v: Decimal | None) -> str | None:
    """Exact values as strings (``"4060000000000"``): JSON numbers would be read back as floats."""
    return None if v is None else format(v.normalize(), "f")


def _span(s: Span | None) -> list[int] | None:
    return None if s is None else list(s)


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
            "old_span": _span(n.old_span), "new_span": _span(n.new_span)}


def _term(t: Term) -> dict[str, Any]:
    return {"text": t.text, "kind": t.kind, "count_old": t.count_old, "count_new": t.count_new,
            "span": _span(t.span), "salience": t.salience}


def _shift(s: StrengthShift) -> dict[str, Any]:
    return {"old_id": s.old_id, "new_id": s.new_id, "old_words": s.old_words, "new_words": s.new_words,
            "direction": s.direction, "old_quote": s.old_quote, "new_quote": s.new_quote}


def summary(cmp: Comparison) -> dict[str, Any]:
    """Counts per kind (plus ``moved``), overall and per top-level part, in the new document's order.

    A thin wrapper over ``model.summarize``, where the counts are computed once for every renderer; written
    for readers of the JSON and recomputed (not read) by ``loads``."""
    s = summarize(cmp)

    def keep(counts: dict[str, int]) -> dict[str, int]:
        return {k: counts[k] for k in (*CHANGE_KINDS, "moved")}
    return {"total": keep(s.total), "parts": [{"part": p, "counts": keep(c)} for p, c in s.parts]}


def comparison_dict(cmp: Comparison) -> dict[str, Any]:
    """The comparison as plain JSON-ready data (``docs/json-format.md``)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "old": document_dict(cmp.old),
        "new": document_dict(cmp.new),
        "summary": summary(cmp),
        "changes": [_change(c) for c in cmp.changes],
        "terms": {"added": [_term(t) for t in cmp.terms.added], "removed": [_term(t) for t in cmp.terms.removed],
                  "returning": [_term(t) for t in cmp.terms.returning]},
        "numbers_unchanged": [_number(n) for n in cmp.numbers_unchanged],
        "strength": [_shift(s) for s in cmp.strength],
        "metadata_changes": [{"field": k, "old": o, "new": n} for k, o, n in cmp.metadata_changes],
    }


def _tree(n: Node) -> dict[str, Any]:
    d: dict[str, Any] = {"id": n.id, "kind": n.kind, "label": n.label, "ordinal": n.ordinal, "title": n.title,
                         "body": n.body, "span": list(n.span),
                         "sentences": [_sentence(s) for s in n.sentences]}
    d["role"] = n.role
    if n.term:
        d["term"] = True
    if n.front_role:
        d["front_role"] = n.front_role
    d["children"] = [_tree(c) for c in n.children]
    return d


def document_dict(doc: Document) -> dict[str, Any]:
    """The document as plain JSON-ready data: header, ``text`` and the tree below the root."""
    return {"format": DOCUMENT_FORMAT, "version": DOCUMENT_VERSION, "path": doc.path,
            "source_format": doc.source_format, "title": doc.title, "metadata": dict(doc.metadata),
            "warnings": list(doc.warnings), "length": len(doc.text), "text": doc.text,
            "nodes": [_tree(c) for c in doc.root.children]}


_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
                      "\ufffe\uffff\ud800-\udfff]")
"""Characters written as ``\\uXXXX`` escapes although the JSON is otherwise UTF-8: DEL and C1 controls,
bidi controls (U+202E would reverse what a reader of the file sees), line and paragraph separators,
noncharacters and lone surrogates (which UTF-8 cannot hold). ``json`` escapes C0 controls itself. Since
documents keep their text as read (``Document.text``), such characters reach the JSON only inside strings,
and the escape decodes to the same string."""


def _dump(data: dict[str, Any], compact: bool) -> str:
    if compact:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    else:
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    return _ESCAPED.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def dumps(cmp: Comparison, *, compact: bool = False) -> str:
    """The comparison as JSON text (what ``policydiff diff -f json`` writes); ``loads`` reads it back.

    ``compact`` leaves out the indentation (for caches); the content is the same."""
    return _dump(comparison_dict(cmp), compact)


def dump_document(doc: Document, *, compact: bool = False) -> str:
    """The document as JSON text (what ``policydiff show -f json`` writes); ``load_document`` reads it back."""
    return _dump(document_dict(doc), compact)


# --- decoding ---------------------------------------------------------------------------------------------

class _Bad(Exception):
    """A value that is not what the format says: where (a JSON path) and what."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")


def _literals(tp: Any) -> tuple[Any, ...]:
    """The values of a ``Literal`` type (through ``X | None`` and nested literals)."""
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return tuple(v for a in typing.get_args(tp) for v in (_literals(a) if typing.get_origin(a) else (a,)))
    if origin in (typing.Union, types.UnionType):
        return tuple(v for a in typing.get_args(tp) for v in _literals(a))
    return ()


def _allowed(cls: type, field: str) -> tuple[Any, ...]:
    """The closed set of values of one model field, read from its annotation: the codec follows the model."""
    return _literals(typing.get_type_hints(cls)[field])


NODE_KINDS = _allowed(Node, "kind")
ROLES = _allowed(Node, "role")
FRONT_ROLES = _allowed(Node, "front_role")
CHANGE_LEVELS = _allowed(ChangeBase, "level")
QUANTITY_KINDS = _allowed(NumberChange, "kind")
TERM_KINDS = _allowed(Term, "kind")
DIRECTIONS = _allowed(StrengthShift, "direction")
REASONS = _allowed(Nearest, "reason")
INLINE_OPS = ("=", "-", "+")


def _obj(v: Any, where: str, *required: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise _Bad(where, f"expected an object, found {type(v).__name__}")
    missing = [k for k in required if k not in v]
    if missing:
        raise _Bad(where, f"missing {', '.join(missing)}")
    return v


def _list(v: Any, where: str) -> list[Any]:
    if not isinstance(v, list):
        raise _Bad(where, f"expected a list, found {type(v).__name__}")
    return v


def _str(v: Any, where: str) -> str:
    if not isinstance(v, str):
        raise _Bad(where, f"expected a string, found {type(v).__name__}")
    return v


def _opt(read: Callable[[Any, str], T], v: Any, where: str) -> T | None:
    return None if v is None else read(v, where)


def _int(v: Any, where: str) -> int:
    if not isinstance(v, int) or isinstance(v, bool):
        raise _Bad(where, f"expected an integer, found {type(v).__name__}")
    return v


def _count(v: Any, where: str) -> int:
    n = _int(v, where)
    if n < 0:
        raise _Bad(where, f"expected a count, found {n}")
    return n


def _float(v: Any, where: str) -> float:
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise _Bad(where, f"expected a number, found {type(v).__name__}")
    return float(v)


def _bool(v: Any, where: str) -> bool:
    if not isinstance(v, bool):
        raise _Bad(where, f"expected true or false, found {type(v).__name__}")
    return v


def _one_of(v: Any, where: str, allowed: tuple[Any, ...]) -> Any:
    if v not in allowed or not isinstance(v, str):
        raise _Bad(where, f"{v!r} is not one of {', '.join(map(str, allowed))}")
    return v


def _decimal_of(v: Any, where: str) -> Decimal:
    s = _str(v, where)
    if len(s) > MAX_DECIMAL_CHARS or not _DECIMAL.fullmatch(s):
        raise _Bad(where, "expected an exact value in plain decimal notation (\"5.5\")")
    return Decimal(s)


def _span_in(v: Any, where: str, length: int) -> Span:
    pair = _list(v, where)
    if len(pair) != 2:
        raise _Bad(where, "a span is [start, end]")
    start, end = _int(pair[0], where), _int(pair[1], where)
    if not 0 <= start <= end <= length:
        raise _Bad(where, f"span [{start}, {end}] is outside the text (0–{length})")
    return (start, end)


def _inline(v: Any, where: str) -> tuple[tuple[str, str], ...]:
    ops = []
    for i, item in enumerate(_list(v, where)):
        pair = _list(item, f"{where}[{i}]")
        if len(pair) != 2:
            raise _Bad(f"{where}[{i}]", "an inline piece is [op, text]")
        ops.append((_one_of(pair[0], f"{where}[{i}]", INLINE_OPS), _str(pair[1], f"{where}[{i}]")))
    return tuple(ops)


def _metadata(v: Any, where: str) -> dict[str, str]:
    return {k: _str(x, f"{where}.{k}") for k, x in _obj(v, where).items()}


class _Side:
    """One decoded document with what the comparison's references are checked against."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.length = len(doc.text)
        self.nodes = NodeIndex.of(doc).node

    def span(self, v: Any, where: str) -> Span:
        return _span_in(v, where, self.length)

    def node(self, v: Any, where: str) -> Node:
        ref = _obj(v, where, "id", "kind", "label", "title", "span")
        node = self.nodes.get(_str(ref["id"], f"{where}.id"))
        if node is None:
            raise _Bad(where, f"names node {ref['id']!r}, which the document does not have")
        if (ref["kind"], ref["label"], ref["title"]) != (node.kind, node.label, node.title) \
                or self.span(ref["span"], f"{where}.span") != node.span:
            raise _Bad(where, f"does not match node {node.id!r} of the document")
        return node

    def node_id(self, v: Any, where: str) -> str:
        node_id = _str(v, where)
        if node_id not in self.nodes:
            raise _Bad(where, f"names node {node_id!r}, which the document does not have")
        return node_id

    def sentence(self, v: Any, where: str) -> Sentence | None:
        if v is None:
            return None
        s = _obj(v, where, "text", "span")
        return Sentence(text=_str(s["text"], f"{where}.text"), span=self.span(s["span"], f"{where}.span"))


def _node(v: Any, where: str, length: int, depth: int) -> Node:
    if depth > MAX_NODE_DEPTH:
        raise _Bad(where, f"the tree is nested more than {MAX_NODE_DEPTH} levels deep")
    n = _obj(v, where, "id", "kind", "label", "ordinal", "title", "body", "span", "sentences", "children")
    sentences = []
    for i, s in enumerate(_list(n["sentences"], f"{where}.sentences")):
        at = f"{where}.sentences[{i}]"
        s = _obj(s, at, "text", "span")
        sentences.append(Sentence(text=_str(s["text"], f"{at}.text"), span=_span_in(s["span"], f"{at}.span", length)))
    children = tuple(_node(c, f"{where}.children[{i}]", length, depth + 1)
                     for i, c in enumerate(_list(n["children"], f"{where}.children")))
    role = n.get("role")
    front_role = n.get("front_role")
    return Node(id=_str(n["id"], f"{where}.id"), kind=_one_of(n["kind"], f"{where}.kind", NODE_KINDS),
                label=_str(n["label"], f"{where}.label"), ordinal=_opt(_int, n["ordinal"], f"{where}.ordinal"),
                title=_str(n["title"], f"{where}.title"), body=_str(n["body"], f"{where}.body"),
                span=_span_in(n["span"], f"{where}.span", length), sentences=tuple(sentences), children=children,
                role=None if role is None else _one_of(role, f"{where}.role", ROLES),
                front_role=None if front_role is None else _one_of(front_role, f"{where}.front_role", FRONT_ROLES),
                term=_bool(n.get("term", False), f"{where}.term"))


def _document(v: Any, where: str) -> Document:
    d = _obj(v, where, "format", "version")
    if d["format"] != DOCUMENT_FORMAT:
        raise _Bad(f"{where}.format", f"expected {DOCUMENT_FORMAT!r}, found {d['format']!r}")
    if d["version"] != DOCUMENT_VERSION:
        raise _Bad(f"{where}.version", f"version {d['version']!r} cannot be loaded (this policydiff reads "
                   f"{DOCUMENT_VERSION}, the first with the document's text); write it again with this version")
    _obj(d, where, "path", "source_format", "title", "metadata", "warnings", "text", "nodes")
    text = _str(d["text"], f"{where}.text")
    if len(text) > MAX_CHARS:
        raise _Bad(f"{where}.text", f"has {len(text):,} characters (the limit is {MAX_CHARS:,})")
    title = _str(d["title"], f"{where}.title")
    nodes = tuple(_node(c, f"{where}.nodes[{i}]", len(text), 1) for i, c in enumerate(_list(d["nodes"],
                                                                                           f"{where}.nodes")))
    # The parser gives the root the document's title and no text of its own (``structure.parse``).
    root = Node(id="", kind="document", label="", ordinal=None, title=title, body="", span=(0, 0), children=nodes)
    doc = Document(path=_str(d["path"], f"{where}.path"), text=text, metadata=_metadata(d["metadata"],
                   f"{where}.metadata"), title=title, root=root,
                   warnings=tuple(_str(w, f"{where}.warnings[{i}]") for i, w in enumerate(_list(d["warnings"],
                                                                                              f"{where}.warnings"))),
                   source_format=_str(d["source_format"], f"{where}.source_format"))
    check_document(doc)
    ids = [n.id for n in doc.nodes()]
    if len(set(ids)) != len(ids):
        raise _Bad(f"{where}.nodes", "two nodes have the same id")
    return doc


def _number_of(v: Any, where: str, old: _Side, new: _Side) -> NumberChange:
    n = _obj(v, where, "subject", "old", "new", "old_value", "new_value", "unit", "qualifier_old", "qualifier_new",
             "kind", "old_quote", "new_quote", "old_span", "new_span")
    return NumberChange(
        subject=_str(n["subject"], f"{where}.subject"), old=_opt(_str, n["old"], f"{where}.old"),
        new=_opt(_str, n["new"], f"{where}.new"), old_value=_opt(_decimal_of, n["old_value"], f"{where}.old_value"),
        new_value=_opt(_decimal_of, n["new_value"], f"{where}.new_value"), unit=_str(n["unit"], f"{where}.unit"),
        qualifier_old=_str(n["qualifier_old"], f"{where}.qualifier_old"),
        qualifier_new=_str(n["qualifier_new"], f"{where}.qualifier_new"),
        kind=_one_of(n["kind"], f"{where}.kind", QUANTITY_KINDS), old_quote=_str(n["old_quote"], f"{where}.old_quote"),
        new_quote=_str(n["new_quote"], f"{where}.new_quote"),
        old_span=_opt(old.span, n["old_span"], f"{where}.old_span"),
        new_span=_opt(new.span, n["new_span"], f"{where}.new_span"),
        old_high=_opt(_decimal_of, n.get("old_high"), f"{where}.old_high"),
        new_high=_opt(_decimal_of, n.get("new_high"), f"{where}.new_high"),
        old_subject=_str(n.get("old_subject", ""), f"{where}.old_subject"))


def _change_of(v: Any, where: str, old: _Side, new: _Side) -> Change:
    c = _obj(v, where, "kind", "moved", "level", "part", "old_parent", "new_parent", "similarity", "old", "new",
             "commitments", "inline", "evidence", "nearest", "numbers")
    commitments = []
    for i, x in enumerate(_list(c["commitments"], f"{where}.commitments")):
        at = f"{where}.commitments[{i}]"
        x = _obj(x, at, "kind", "old", "new", "inline", "moved_to", "moved_from")
        commitments.append(CommitmentChange(
            kind=_one_of(x["kind"], f"{at}.kind", CHANGE_KINDS), old=old.sentence(x["old"], f"{at}.old"),
            new=new.sentence(x["new"], f"{at}.new"), inline=_inline(x["inline"], f"{at}.inline"),
            moved_to=_opt(new.node_id, x["moved_to"], f"{at}.moved_to"),
            moved_from=_opt(old.node_id, x["moved_from"], f"{at}.moved_from")))
    evidence = []
    for i, x in enumerate(_list(c["evidence"], f"{where}.evidence")):
        at = f"{where}.evidence[{i}]"
        x = _obj(x, at, "old_id", "new_id", "old_span", "new_span", "score")
        evidence.append(Link(old_id=old.node_id(x["old_id"], f"{at}.old_id"),
                             new_id=new.node_id(x["new_id"], f"{at}.new_id"),
                             old_span=old.span(x["old_span"], f"{at}.old_span"),
                             new_span=new.span(x["new_span"], f"{at}.new_span"),
                             score=_float(x["score"], f"{at}.score")))
    nearest = None
    if c["nearest"] is not None:
        at = f"{where}.nearest"
        x = _obj(c["nearest"], at, "id", "label", "title", "similarity", "reason")
        nearest = Nearest(id=_opt(_str, x["id"], f"{at}.id"), label=_str(x["label"], f"{at}.label"),
                          title=_str(x["title"], f"{at}.title"), similarity=_float(x["similarity"], f"{at}.similarity"),
                          reason=_one_of(x["reason"], f"{at}.reason", REASONS))
    return make_change(
        _one_of(c["kind"], f"{where}.kind", CHANGE_KINDS),
        level=_one_of(c["level"], f"{where}.level", CHANGE_LEVELS),
        old=tuple(old.node(n, f"{where}.old[{i}]") for i, n in enumerate(_list(c["old"], f"{where}.old"))),
        new=tuple(new.node(n, f"{where}.new[{i}]") for i, n in enumerate(_list(c["new"], f"{where}.new"))),
        moved=_bool(c["moved"], f"{where}.moved"), similarity=_float(c["similarity"], f"{where}.similarity"),
        commitments=tuple(commitments), inline=_inline(c["inline"], f"{where}.inline"),
        numbers=tuple(_number_of(n, f"{where}.numbers[{i}]", old, new)
                      for i, n in enumerate(_list(c["numbers"], f"{where}.numbers"))),
        old_parent=_opt(_str, c["old_parent"], f"{where}.old_parent"),
        new_parent=_opt(_str, c["new_parent"], f"{where}.new_parent"), part=_str(c["part"], f"{where}.part"),
        evidence=tuple(evidence), nearest=nearest)


def _term_of(v: Any, where: str, side: _Side) -> Term:
    t = _obj(v, where, "text", "kind", "count_old", "count_new", "span", "salience")
    return Term(text=_str(t["text"], f"{where}.text"), kind=_one_of(t["kind"], f"{where}.kind", TERM_KINDS),
                count_old=_count(t["count_old"], f"{where}.count_old"),
                count_new=_count(t["count_new"], f"{where}.count_new"),
                span=_opt(side.span, t["span"], f"{where}.span"), salience=_float(t["salience"], f"{where}.salience"))


def _shift_of(v: Any, where: str, old: _Side, new: _Side) -> StrengthShift:
    s = _obj(v, where, "old_id", "new_id", "old_words", "new_words", "direction", "old_quote", "new_quote")
    return StrengthShift(old_id=old.node_id(s["old_id"], f"{where}.old_id"),
                         new_id=new.node_id(s["new_id"], f"{where}.new_id"),
                         old_words=_str(s["old_words"], f"{where}.old_words"),
                         new_words=_str(s["new_words"], f"{where}.new_words"),
                         direction=_one_of(s["direction"], f"{where}.direction", DIRECTIONS),
                         old_quote=_str(s["old_quote"], f"{where}.old_quote"),
                         new_quote=_str(s["new_quote"], f"{where}.new_quote"))


def _comparison(v: Any) -> Comparison:
    d = _obj(v, "$", "format", "version")
    if d["format"] != FORMAT:
        raise _Bad("$.format", f"expected {FORMAT!r}, found {d['format']!r}")
    if d["version"] != VERSION:
        raise _Bad("$.version", f"version {d['version']!r} cannot be loaded (this policydiff reads {VERSION}, the "
                   "first that holds both documents); write it again with this version")
    _obj(d, "$", "old", "new", "changes", "terms", "metadata_changes")
    old, new = _Side(_document(d["old"], "$.old")), _Side(_document(d["new"], "$.new"))
    terms = _obj(d["terms"], "$.terms", "added", "removed")
    metadata_changes = []
    for i, m in enumerate(_list(d["metadata_changes"], "$.metadata_changes")):
        at = f"$.metadata_changes[{i}]"
        m = _obj(m, at, "field", "old", "new")
        metadata_changes.append((_str(m["field"], f"{at}.field"), _opt(_str, m["old"], f"{at}.old"),
                                 _opt(_str, m["new"], f"{at}.new")))
    return Comparison(
        old=old.doc, new=new.doc,
        changes=tuple(_change_of(c, f"$.changes[{i}]", old, new) for i, c in enumerate(_list(d["changes"],
                                                                                             "$.changes"))),
        terms=Terms(added=tuple(_term_of(t, f"$.terms.added[{i}]", new)
                                for i, t in enumerate(_list(terms["added"], "$.terms.added"))),
                    removed=tuple(_term_of(t, f"$.terms.removed[{i}]", old)
                                  for i, t in enumerate(_list(terms["removed"], "$.terms.removed"))),
                    returning=tuple(_term_of(t, f"$.terms.returning[{i}]", new)
                                    for i, t in enumerate(_list(terms.get("returning", []), "$.terms.returning")))),
        metadata_changes=tuple(metadata_changes),
        numbers_unchanged=tuple(_number_of(n, f"$.numbers_unchanged[{i}]", old, new)
                                for i, n in enumerate(_list(d.get("numbers_unchanged", []), "$.numbers_unchanged"))),
        strength=tuple(_shift_of(s, f"$.strength[{i}]", old, new)
                       for i, s in enumerate(_list(d.get("strength", []), "$.strength"))))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(text: str | bytes, source: str) -> Any:
    """JSON text → Python values, within ``MAX_JSON_CHARS``; anything that is not strict JSON is refused."""
    if len(text) > MAX_JSON_CHARS:
        raise InputError(source, f"holds {len(text):,} characters of JSON (the limit is {MAX_JSON_CHARS:,})",
                         "this is not a policydiff JSON file")
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise InputError(source, "is not policydiff JSON (nested too deeply)", "give a file written by "
                         "policydiff diff -f json") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(source, f"is not valid JSON ({exc})", "give a file written by policydiff diff -f json"
                         ) from None


def _decode(read: Callable[[Any], T], data: Any, source: str, hint: str) -> T:
    try:
        return read(data)
    except _Bad as exc:
        raise InputError(source, f"is not valid policydiff JSON: {exc}", hint) from None
    except InputError as exc:  # a document over the limits of ``limits.py``
        raise InputError(source, f"is not valid policydiff JSON: {exc.reason}", hint) from None
    except RecursionError:
        raise InputError(source, "is not policydiff JSON (nested too deeply)", hint) from None


def loads(text: str | bytes, *, source: str = "<json>") -> Comparison:
    """The Comparison that ``dumps`` (``policydiff diff -f json``) wrote, rebuilt and validated.

    Args:
        text: the JSON text (or UTF-8 bytes).
        source: named in error messages (a file name).

    Raises:
        InputError: not JSON, another format or version, a wrong type or kind, a span outside its text, a
            change naming a node the document does not have, or over a size limit; the message says where.
    """
    return _decode(_comparison, parse_json(text, source), source, "give a file written by policydiff diff -f json")


def load_document(text: str | bytes, *, source: str = "<json>") -> Document:
    """The Document that ``dump_document`` (``policydiff show -f json``) wrote, rebuilt and validated.

    Raises:
        InputError: as ``loads``.
    """
    return document_from_data(parse_json(text, source), source)


def document_from_data(data: Any, source: str = "<json>") -> Document:
    """``load_document`` of JSON already parsed (``parse_json``): for a document inside another file."""
    return _decode(lambda d: _document(d, "$"), data, source, "give a file written by policydiff show -f json")


__all__ = ["DOCUMENT_FORMAT", "DOCUMENT_VERSION", "FORMAT", "VERSION", "comparison_dict", "document_dict",
           "document_from_data", "dump_document", "dumps", "load_document", "loads", "parse_json", "summary"]
