"""Markdown: the highlights, counts, facts and changed measures, for pasting into an article or a wiki.

Document text is escaped before it is written: HTML (``<script>``, ``<img onerror>``) becomes text,
and the characters of Markdown syntax (links ``[x](javascript:…)``, emphasis, tables) are
backslash-escaped, so a hostile document cannot inject markup into a page that renders the report.
"""

from __future__ import annotations

from tabulate import tabulate

from ..model import (
    Added,
    Change,
    CommitmentChange,
    Comparison,
    Condensed,
    Merged,
    Node,
    Removed,
    Reworded,
    Split,
    Unchanged,
    assert_never,
    is_changed,
    summarize,
)
from .common import View, doc_name, heading, highlights
from .labels import COUNT_KINDS, KIND_LABELS, REASONS, part_name

_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]()#|~"}
                            | {"<": "&lt;", ">": "&gt;", "&": "&amp;", "\n": " ", "\r": " "})
"""Markdown syntax characters backslash-escaped (emphasis, code, link brackets and parentheses, headings,
table cells, strike-through); HTML's ``< > &`` as entities, which also rules out ``<javascript:…>``
autolinks; line breaks as spaces. Document text never starts a line, so list markers need no escape."""


def md(text: str) -> str:
    """Document text as inert Markdown: renders as the same characters, never as markup or a link."""
    return text.translate(_MD_SPECIAL)


def _inline(ops: tuple[tuple[str, str], ...], *, keep: str = "-+") -> str:
    out = []
    for op, text in ops:
        t = md(text)
        if op == "=":
            out.append(t)
        elif op in keep:
            out.append(f"~~{t}~~" if op == "-" else f"**{t}**")
    return "".join(out)


def render_comparison(cmp: Comparison, *, lang: str = "zh", changes_only: bool = True) -> str:
    """The report as Markdown; ``changes_only`` (default) leaves out unchanged measures."""
    v = View(cmp, lang)
    w, kinds = v.w, KIND_LABELS[lang]
    sep = "：" if lang == "zh" else ": "
    lines = [f"# {md(w['report'])}{sep}{md(doc_name(v.cmp.old))} → {md(doc_name(v.cmp.new))}", ""]
    for field, a, b in v.cmp.metadata_changes:
        lines.append(f"- {md(field)}: {md(a or '—')} → {md(b or '—')}")
    if v.cmp.metadata_changes:
        lines.append("")
    lines += _highlights(v)
    s = summarize(v.cmp)
    rows = [[w["whole"], *[s.total[k] for k in COUNT_KINDS]]]
    rows += [[md(part_name(p, lang)), *[c[k] for k in COUNT_KINDS]] for p, c in s.parts]
    lines += [f"## {w['summary']}", "", tabulate(rows, headers=[w["part"], *[kinds[k] for k in COUNT_KINDS]],
                                                 tablefmt="github", disable_numparse=True), ""]
    lines += _facts(v)
    lines += [f"## {w['changes']}", ""]
    for c in v.cmp.changes:
        if changes_only and not is_changed(c):
            continue
        lines += _change(v, c)
    return "\n".join(lines).rstrip("\n") + "\n"


def _highlights(v: View) -> list[str]:
    w = v.w
    h = highlights(v)
    out = [f"## {w['highlights']}", ""]
    for key, items, op in (("added", h.added, "+"), ("removed", h.removed, "-")):
        if items:
            out += [f"### {w['hl_' + key]} ({h.totals[key]})", ""]
            out += [f"- {md(x.where)} {_inline(((op, x.text),))}" for x in items]
            out.append("")
    if h.numbers:
        out += [f"### {w['hl_numbers']} ({h.totals['numbers']})", ""]
        out += [f"- {md(x.where)} {md(x.text)}: ~~{md(x.old)}~~ → **{md(x.new)}**" for x in h.numbers]
        out.append("")
    if h.terms:
        out += [f"### {w['hl_terms']} ({h.totals['terms']})", "", "、".join(md(t.text) for t in h.terms), ""]
    if not h.count():
        out += [w["none"], ""]
    return out


def _facts(v: View) -> list[str]:
    w = v.w
    out: list[str] = []
    numbers = [(c, n) for c in v.cmp.changes for n in c.numbers]
    if numbers:
        quotes = any(n.old_quote or n.new_quote for _, n in numbers)  # a column only when there is something in it
        out += [f"## {w['numbers']}", "", f"| {w['where']} | {w['subject']} | {w['old']} | {w['new']} |"
                + (f" {w['quote']} |" if quotes else ""), "| --- | --- | --- | --- |" + (" --- |" if quotes else "")]
        out += [f"| {md(v.where(c))} | {md(n.subject)} | {md(n.old or '—')} | {md(n.new or '—')} |"
                + (f" {md(n.new_quote or n.old_quote)} |" if quotes else "") for c, n in numbers]
        out.append("")
    if v.cmp.numbers_unchanged:
        out += [f"## {w['numbers_unchanged']}", ""]
        out += [f"- {md(n.subject)}: {md(n.new or n.old or '—')}" for n in v.cmp.numbers_unchanged]
        out.append("")
    if v.cmp.terms.added or v.cmp.terms.removed:
        out += [f"## {w['terms']}", ""]
        for key, items in (("terms_added", v.cmp.terms.added), ("terms_removed", v.cmp.terms.removed)):
            if items:
                out += [f"### {w[key]} ({len(items)})", ""]
                out += [f"- {md(t.text)} ({w['old_count'].format(n=t.count_old)}, "
                        f"{w['new_count'].format(n=t.count_new)})" for t in items]
                out.append("")
    if v.cmp.strength:
        out += [f"## {w['strength']}", ""]
        out += [f"- {md(v.node_loc(s.old_id, 'old'))} → {md(v.node_loc(s.new_id, 'new'))} {w[s.direction]}: "
                f"~~{md(s.old_words)}~~ → **{md(s.new_words)}** ({md(s.new_quote)})" for s in v.cmp.strength]
        out.append("")
    return out


def _change(v: View, c: Change) -> list[str]:
    kinds, w = KIND_LABELS[v.lang], v.w
    node = (c.new or c.old)[0]
    tag = kinds[c.kind] + (f"·{kinds['moved']}" if c.moved else "")
    out = [f"### {md(v.where(c))} {md(heading(node, w))} ({tag})", ""]
    if c.moved:
        out += [f"*{w['moved_from']}* {md(part_name(c.old_parent or '', v.lang))} "
                f"*{w['moved_to']}* {md(part_name(c.new_parent or '', v.lang))}", ""]
    match c:
        case Added():
            return out + _nearest(v, c, "old") + [f"> {_inline((('+', n.title + n.body),))}" for n in c.new] + [""]
        case Removed():
            return out + _nearest(v, c, "new") + [f"> {_inline((('-', n.title + n.body),))}" for n in c.old] + [""]
        case Split():
            out += _members(v, "split_into", c.new, "new")
        case Merged():
            out += _members(v, "merged_from", c.old, "old")
        case Condensed():
            out += _members(v, "condensed_from", c.old, "old")
        case Unchanged() | Reworded():
            pass
        case _:
            assert_never(c)
    same = 0
    if not c.commitments and c.inline:  # a node without sentences (a metadata block): its inline diff
        out.append(f"- {_inline(c.inline)}")
    for cc in c.commitments:
        if cc.kind == "unchanged":
            same += 1
        else:
            out.append(f"- {_commitment(v, cc)}")
    if same:
        out.append(f"- *{w['unchanged_n'].format(n=same)}*")
    for n in c.numbers:
        out.append(f"- {md(n.subject)}: {md(n.old or '—')} → {md(n.new or '—')}")
    out.append("")
    return out


def _members(v: View, key: str, nodes: tuple[Node, ...], side: str) -> list[str]:
    """The nodes a split went into, or a merge or condensation came from, one per list item."""
    w = v.w
    return [f"*{w[key]}*", ""] + [f"- {md(v.node_loc(n.id, side))} {md(heading(n, w))}" for n in nodes] + [""]


def _nearest(v: View, c: Added | Removed, side: str) -> list[str]:
    """The closest candidate of an unpaired node (on the other ``side``) and why it was not paired."""
    nb, w = c.nearest, v.w
    if nb is None:
        return []
    where = v.node_loc(nb.id, side) if nb.id else nb.label
    return [f"*{w['nearest']}*: {md(where)} {md(nb.title)} ({w['similarity']} {nb.similarity:.2f}; "
            f"{REASONS[v.lang].get(nb.reason, nb.reason)})", ""]


def _commitment(v: View, cc: CommitmentChange) -> str:
    w = v.w
    kind = cc.kind
    match kind:
        case "added":
            note = f" *({w['came_from']} {md(v.node_loc(cc.moved_from, 'old'))})*" if cc.moved_from else ""
            return _inline((("+", cc.new.text if cc.new else ""),)) + note
        case "removed":
            note = f" *({w['went_to']} {md(v.node_loc(cc.moved_to, 'new'))})*" if cc.moved_to else ""
            return _inline((("-", cc.old.text if cc.old else ""),)) + note
        case "merged":  # an old sentence folded into the new one above: only its own side
            return _inline(cc.inline, keep="-") + f" *{w['merged_piece']}*"
        case "split":  # a new sentence split off the old one above: only its own side
            return _inline(cc.inline, keep="+") + f" *{w['split_piece']}*"
        case "unchanged" | "reworded" | "condensed":
            return _inline(cc.inline)
        case _:
            assert_never(kind)
