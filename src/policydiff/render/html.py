"""A self-contained HTML 新旧对照 report, built as lxml elements so every piece of text is escaped.

One file with inline CSS and JS, no network requests, readable with JavaScript off (the filters are
an enhancement, unchanged sentences fold in ``<details>``), printable on A4 (following the active
filter, with page numbers and the two titles in the footer), and readable on a phone (under 600 px
the old text stacks above the new).

Order of the page: the highlights (what a reader wants in two minutes), counts and chart, a table of
contents of parts and sections, the facts (numbers, phrases, strength), then the side-by-side table:
one row per change in the new document's order, grouped by part, and inside a paired measure one
line per sentence so the reader sees which sentence became which.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml.builder import E  # type: ignore[import-not-found, unused-ignore]

from ..model import Change, CommitmentChange, Comparison, Node, is_changed, summarize
from .common import Highlight, View, clip, doc_name, highlights, node_of_sentence
from .labels import COUNT_KINDS, FILTERS, KIND_LABELS, REASONS, filter_label, part_name

_CSS = resources.files("policydiff.render").joinpath("report.css").read_text(encoding="utf-8")
_JS = resources.files("policydiff.render").joinpath("report.js").read_text(encoding="utf-8")
_COLORS = {"reworded": "#c98a00", "moved": "#1f6fb2", "split": "#7b4fb3", "merged": "#8a5a2b",
           "condensed": "#5a6b2b", "added": "#1b6e20", "removed": "#b3261e"}
_CHART_KINDS = ("reworded", "split", "merged", "condensed", "added", "removed", "moved")
"""Segments of a chart bar; ``moved`` counts only changes that moved without other change, so a bar's
length is the part's number of changed rows, the same number the table of contents shows."""

_META_FIELDS = ("发文字号", "成文日期", "发文机关", "发布日期")
"""Metadata fields shown in the header table (the document's own field names)."""


def render_comparison(cmp: Comparison, *, lang: str = "zh", changes_only: bool = False) -> str:
    """The whole report as an HTML string; ``changes_only`` opens it with the 仅看变化 filter on (every row
    is still in the file, and shown when JavaScript is off)."""
    v = View(cmp, lang)
    w = v.w
    title = f"{w['report']}：{doc_name(v.cmp.old)} → {doc_name(v.cmp.new)}" if lang == "zh" else \
        f"{w['report']}: {doc_name(v.cmp.old)} → {doc_name(v.cmp.new)}"
    head = E.head(E.meta(charset="utf-8"), E.meta(name="viewport", content="width=device-width, initial-scale=1"),
                  E.title(title), E.style(_CSS), E.style(_page_css(v)))
    body = E.body(
        E.header(E.h1(title), _docs_table(v)),
        _highlights(v),
        E.section(E.h2(w["summary"]), _dashboard(v), _chart(v), id="summary"),
        _toc(v),
        _numbers(v),
        _terms(v),
        _strength(v),
        E.section(E.h2(w["changes"]), _filters(v), _diff_table(v), id="changes"),
        E.script(_JS),
    )
    body.set("data-filter", "changed" if changes_only else "all")
    page = E.html(head, body, lang="zh-CN" if lang == "zh" else "en")
    out: str = lxml_html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", method="html")
    return out + "\n"


def _css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes, line breaks and ``<`` escaped (no ``</style>`` break-out)."""
    out = []
    for ch in text:
        if ch in '"\\<>\n\r' or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _page_css(v: View) -> str:
    """Print footer: the two titles left, the page number right (CSS page-margin boxes)."""
    names = _css_string(f"{doc_name(v.cmp.old)} → {doc_name(v.cmp.new)}")
    page = _css_string(v.w["page"].split("{n}")[0])
    after = _css_string(v.w["page"].split("{n}")[1])
    return ("@media print { @page { @bottom-left { content: " + names + "; font-size: 8pt; color: #555; } "
            "@bottom-right { content: " + page + " counter(page) " + after + "; font-size: 8pt; } } }")


def _docs_table(v: View) -> Any:
    w, cmp = v.w, v.cmp
    rows = [E.tr(E.th(""), E.th(w["old"]), E.th(w["new"])),
            E.tr(E.th(w["title"]), E.td(doc_name(cmp.old)), E.td(doc_name(cmp.new)))]
    for f in _META_FIELDS:
        a, b = cmp.old.metadata.get(f), cmp.new.metadata.get(f)
        if a or b:
            rows.append(E.tr(E.th(f), E.td(a or "—"), E.td(b or "—")))
    return E.table(*rows, **{"class": "docs"})


def _hl_item(item: Highlight) -> Any:
    link = E.a(item.where, href=f"#c-{item.row}", **{"class": "loc"}) if item.row is not None else \
        E.span(item.where, **{"class": "loc"})
    if item.kind == "number":
        return E.li(link, " ", item.text, "：", _del(item.old), " → ", _ins(item.new))
    return E.li(link, " ", _ins(item.text) if item.kind == "added" else _del(item.text))


def _highlights(v: View) -> Any:
    w = v.w
    h = highlights(v)
    sec = E.section(E.h2(w["highlights"]), id="highlights")
    for key, items in (("added", h.added), ("removed", h.removed), ("numbers", h.numbers)):
        if not items:
            continue
        more = h.totals[key] - len(items)
        heading = E.h3(w[f"hl_{key}"], f" ({h.totals[key]})")
        sec.append(heading)
        sec.append(E.ol(*[_hl_item(x) for x in items], **{"class": f"hl hl-{key}"}))
        if more > 0:
            sec.append(E.p(w["more"].format(n=more), **{"class": "more"}))
    if h.terms:
        sec.append(E.h3(w["hl_terms"], f" ({h.totals['terms']})"))
        sec.append(E.p(*_interleave([_ins(t.text) for t in h.terms], "、"), **{"class": "hl-terms"}))
    if len(sec) == 1:
        sec.append(E.p(w["none"]))
    return sec


def _interleave(items: list[Any], sep: str) -> list[Any]:
    out: list[Any] = []
    for k, x in enumerate(items):
        if k:
            out.append(sep)
        out.append(x)
    return out


def _dashboard(v: View) -> Any:
    kinds = KIND_LABELS[v.lang]
    total = summarize(v.cmp).total
    return E.dl(*[E.div(E.dt(kinds[k]), E.dd(str(total[k]), id=f"count-{k}", **{"data-kind": k}))
                  for k in COUNT_KINDS], **{"class": "dash"})


def _chart_counts(counts: dict[str, int]) -> dict[str, int]:
    out = {k: counts[k] for k in _CHART_KINDS if k != "moved"}
    out["moved"] = counts["changed"] - sum(out.values())  # moved without other change
    return out


def _chart(v: View) -> Any:
    """A stacked horizontal bar per part: its changed rows by kind (a moved-and-reworded row counts once)."""
    kinds = KIND_LABELS[v.lang]
    parts = [(part_name(p, v.lang), _chart_counts(c), c["changed"]) for p, c in summarize(v.cmp).parts]
    most = max([n for _, _, n in parts] + [1])
    bar_w, label_w, row_h = 520, 260, 22
    height = row_h * len(parts) + 30
    svg = etree.Element("svg", width=str(label_w + bar_w + 40), height=str(height), role="img",
                        viewBox=f"0 0 {label_w + bar_w + 40} {height}")
    svg.set("class", "chart")
    svg.set("aria-label", v.w["chart"])
    for r, (name, counts, total) in enumerate(parts):
        y = r * row_h + 4
        t = etree.SubElement(svg, "text", {"x": "0", "y": str(y + 14), "font-size": "12"})
        t.text = name if len(name) <= 20 else name[:19] + "…"
        x = float(label_w)
        for k in _CHART_KINDS:
            n = counts[k]
            if not n:
                continue
            width = bar_w * n / most
            rect = etree.SubElement(svg, "rect", x=f"{x:.1f}", y=str(y), width=f"{width:.1f}", height="16",
                                    fill=_COLORS[k])
            rect.set("data-kind", k)
            etree.SubElement(rect, "title").text = f"{kinds[k]} {n}"
            x += width
        label = etree.SubElement(svg, "text", {"x": f"{x + 4:.1f}", "y": str(y + 13), "font-size": "11",
                                               "class": "bar-total"})
        label.text = str(total)
    lx = float(label_w)
    for k in _CHART_KINDS:
        etree.SubElement(svg, "rect", x=f"{lx:.0f}", y=str(height - 18), width="10", height="10", fill=_COLORS[k])
        label = etree.SubElement(svg, "text", {"x": f"{lx + 13:.0f}", "y": str(height - 9), "font-size": "11"})
        label.text = kinds[k]
        lx += 75
    return svg


def _part_groups(cmp: Comparison) -> list[tuple[str, list[tuple[int, Change]]]]:
    groups: list[tuple[str, list[tuple[int, Change]]]] = []
    for i, c in enumerate(cmp.changes):
        if not groups or groups[-1][0] != c.part:
            groups.append((c.part, []))
        groups[-1][1].append((i, c))
    return groups


def _toc(v: View) -> Any:
    """Parts and their sections with counts of changed rows; part counts are the chart's bar totals."""
    counts = dict(summarize(v.cmp).parts)
    first_group: dict[str, int] = {}
    sections: dict[str, list[tuple[int, Change, int]]] = {}
    for n, (part, changes) in enumerate(_part_groups(v.cmp), 1):
        first_group.setdefault(part, n)
        current: list[Any] | None = None
        for i, c in changes:
            if c.level == "section":
                current = [i, c, 0]
                sections.setdefault(part, []).append(current)  # type: ignore[arg-type]
            if current is not None and is_changed(c):
                current[2] += 1
    items = []
    for part, n in first_group.items():
        sub = [E.li(E.a(v.loc(c.new or c.old, "new" if c.new else "old") + " " + (c.new or c.old)[0].title,
                        href=f"#c-{i}"), f" ({k})") for i, c, k in sections.get(part, [])]
        li = E.li(E.a(part_name(part, v.lang), href=f"#part-{n}"), f" ({counts[part]['changed']})")
        if sub:
            li.append(E.ol(*sub))
        items.append(li)
    return E.nav(E.h2(v.w["contents"]), E.ol(*items), **{"class": "toc"})


def _numbers(v: View) -> Any:
    w = v.w
    sec = E.section(E.h2(w["numbers"]), id="numbers")
    rows = []
    for i, c in enumerate(v.cmp.changes):
        for n in c.numbers:
            quote = " → ".join(q for q in (n.old_quote, n.new_quote) if q)
            attrs_ = {"title": quote} if quote else {}
            rows.append(E.tr(E.td(E.a(v.where(c), href=f"#c-{i}")), E.td(n.subject, **attrs_),
                             E.td(_del(n.old or "—")), E.td(_ins(n.new or "—")),
                             E.td(quote, **{"class": "quote"})))
    if rows:
        sec.append(E.table(E.tr(E.th(w["where"]), E.th(w["subject"]), E.th(w["old"]), E.th(w["new"]),
                                E.th(w["quote"], **{"class": "quote"})), *rows, **{"class": "numbers"}))
    else:
        sec.append(E.p(w["none"]))
    same = v.cmp.numbers_unchanged
    if same:
        sec.append(E.details(E.summary(f"{w['numbers_unchanged']} ({len(same)})"),
                             E.ul(*[E.li(n.subject, "：", n.new or n.old or "—", title=n.new_quote or n.old_quote)
                                    for n in same])))
    return sec


def _terms(v: View) -> Any:
    w = v.w
    sec = E.section(E.h2(w["terms"]), id="terms")
    for key, items, mark in (("terms_added", v.cmp.terms.added, _ins), ("terms_removed", v.cmp.terms.removed, _del)):
        sec.append(E.h3(w[key], f" ({len(items)})"))
        if not items:
            sec.append(E.p(w["none"]))
            continue
        sec.append(E.ul(*[E.li(mark(t.text), E.span(f" {w['old_count'].format(n=t.count_old)} · "
                                                  f"{w['new_count'].format(n=t.count_new)}", **{"class": "cnt"}))
                          for t in items], **{"class": "terms"}))
    return sec


def _strength(v: View) -> Any:
    w = v.w
    sec = E.section(E.h2(w["strength"]), id="strength")
    if not v.cmp.strength:
        sec.append(E.p(w["none"]))
        return sec
    items = []
    for s in v.cmp.strength:
        row = v.row_of_new.get(s.new_id, v.row_of_old.get(s.old_id))
        where = f"{v.node_loc(s.old_id, 'old')} → {v.node_loc(s.new_id, 'new')}"
        items.append(E.li(E.a(where, href=f"#c-{row}") if row is not None else where, " ",
                          E.span(w[s.direction], **{"class": f"dir dir-{s.direction}"}), " ",
                          _del(s.old_words), " → ", _ins(s.new_words),
                          E.span(s.new_quote, **{"class": "quote"}), title=f"{s.old_quote} → {s.new_quote}"))
    sec.append(E.ul(*items, **{"class": "strength"}))
    return sec


def _filters(v: View) -> Any:
    buttons = [E.button(filter_label(f, v.lang), type="button", **{"data-filter": f, "aria-pressed": "false"})
               for f in FILTERS if f in ("all", "changed", "added", "removed", "reworded", "moved")
               or any(c.kind == f for c in v.cmp.changes)]
    buttons.append(E.button(v.w["print_changes"], type="button", **{"data-print": "changed", "class": "print"}))
    return E.div(*buttons, **{"class": "filters", "role": "toolbar"})


def _del(text: str) -> Any:
    el = etree.Element("del")
    el.text = text
    return el


def _ins(text: str) -> Any:
    el = etree.Element("ins")
    el.text = text
    return el


def _diff_table(v: View) -> Any:
    w = v.w
    table = E.table(E.thead(E.tr(E.th(f"{w['old']}：{doc_name(v.cmp.old)}" if v.lang == "zh"
                                      else f"{w['old']}: {doc_name(v.cmp.old)}"),
                                 E.th(f"{w['new']}：{doc_name(v.cmp.new)}" if v.lang == "zh"
                                      else f"{w['new']}: {doc_name(v.cmp.new)}"))),
                    **{"class": "diff"})
    for n, (part, changes) in enumerate(_part_groups(v.cmp), 1):
        tbody = E.tbody(E.tr(E.th(part_name(part, v.lang), colspan="2"), **{"class": "heading"}),
                        id=f"part-{n}", **{"class": "group"})
        for i, c in changes:
            tbody.append(_row(v, i, c))
        table.append(tbody)
    return table


def _node_ref(v: View, node: Node, side: str, *, title: bool) -> Any:
    """A node named as a reader cites it: its locator (the anchor other rows link to), with its title when
    the side has several nodes (a merge's sources); otherwise the title is the first sentence line below."""
    ref = E.span(v.node_loc(node.id, side), id=f"{side}-{node.id}", **{"class": "lab"})
    if title:
        ref.append(E.span(node.title or node.body[:30] + ("…" if len(node.body) > 30 else ""), **{"class": "ttl"}))
    return ref


def _link(v: View, node_id: str, side: str) -> Any:
    return E.a(v.node_loc(node_id, side), href=f"#{side}-{node_id}")


def _row(v: View, i: int, c: Change) -> Any:
    w, kinds = v.w, KIND_LABELS[v.lang]
    classes = ["change", f"k-{c.kind}"] + (["moved"] if c.moved else [])
    level = (c.new or c.old)[0].kind
    if level in ("part", "section"):
        classes.append("heading-change")
    tag = kinds[c.kind] + (f"·{kinds['moved']}" if c.moved else "")
    head = E.div(E.span(tag, **{"class": "tag"}), **{"class": "head"})
    same_title = _same_title(c)
    sides = E.div(E.div(*[_node_ref(v, n, "old", title=len(c.old) > 1 or same_title) for n in c.old],
                        **{"class": "o", "data-side": w["old"]}),
                  E.div(*[_node_ref(v, n, "new", title=len(c.new) > 1 or same_title) for n in c.new],
                        **{"class": "n", "data-side": w["new"]}),
                  **{"class": "s refs"})
    cell = E.td(head, sides, colspan="2")
    if c.moved:
        cell.append(E.p(f"{w['moved_from']} {part_name(c.old_parent or '', v.lang)} "
                        f"{w['moved_to']} {part_name(c.new_parent or '', v.lang)}", **{"class": "note"}))
    if c.kind in ("split", "merged", "condensed"):
        key = {"split": "split_into", "merged": "merged_from", "condensed": "condensed_from"}[c.kind]
        others, side = (c.new, "new") if c.kind == "split" else (c.old, "old")
        cell.append(E.p(f"{w[key]} ", *_interleave([_link(v, n.id, side) for n in others], "、"),
                        **{"class": "note"}))
    if c.evidence and c.kind in ("split", "merged", "condensed"):
        links = [E.li(E.span(lo, **{"class": "chip"}), clip(ot), " → ", E.span(ln, **{"class": "chip"}), clip(nt),
                      f" ({score:.2f})") for lo, ot, ln, nt, score in v.evidence(c)]
        cell.append(E.details(E.summary(w["evidence"].format(n=len(c.evidence))), E.ul(*links),
                              **{"class": "evidence"}))
    if c.nearest is not None and c.kind in ("added", "removed"):
        nb = c.nearest
        reason = REASONS[v.lang].get(nb.reason, nb.reason)
        side = "old" if c.kind == "added" else "new"
        where = _link(v, nb.id, side) if nb.id else nb.label
        cell.append(E.p(f"{w['nearest']}：" if v.lang == "zh" else f"{w['nearest']}: ", where,
                        f" {nb.title} ({w['similarity']} {nb.similarity:.2f}; {reason})", **{"class": "note"}))
    if c.kind == "added":
        cell.append(E.div(E.div(**{"class": "o empty", "data-side": w["old"]}),
                          E.div(*[_ins(n.title + n.body) for n in c.new], **{"class": "n", "data-side": w["new"]}),
                          **{"class": "s k-added"}))
    elif c.kind == "removed":
        cell.append(E.div(E.div(*[_del(n.title + n.body) for n in c.old], **{"class": "o", "data-side": w["old"]}),
                          E.div(**{"class": "n empty", "data-side": w["new"]}), **{"class": "s k-removed"}))
    else:
        _sentences(v, c, cell, skip=c.new[0].title if same_title else "")
    if c.numbers:
        cell.append(E.p(*_interleave([E.span(f"{n.subject}：{n.old or '—'} → {n.new or '—'}",
                                             title=" → ".join(q for q in (n.old_quote, n.new_quote) if q))
                                      for n in c.numbers], "；"), **{"class": "note nums"}))
    return E.tr(cell, id=f"c-{i}", **{"class": " ".join(classes), "data-kind": c.kind,
                                      "data-moved": "1" if c.moved else "0", "data-level": level})


def _same_title(c: Change) -> bool:
    """A one-to-one pair whose run-in title did not change: the title then names the row (in its head) and
    is not repeated as a sentence line."""
    return (len(c.old) == 1 and len(c.new) == 1 and bool(c.new[0].title)
            and c.old[0].title.strip() == c.new[0].title.strip())


def _sentences(v: View, c: Change, cell: Any, *, skip: str = "") -> None:
    """One line per sentence; runs of unchanged sentences fold behind a "n 句未变" toggle; an unchanged
    sentence equal to ``skip`` (the title shown in the row's head) is left out."""
    w = v.w
    commitments = c.commitments
    if not commitments:
        ops = c.inline or (("=", (c.new or c.old)[0].title + (c.new or c.old)[0].body),)
        commitments = (CommitmentChange("unchanged" if c.kind == "unchanged" else "reworded", None, None, ops),)
    run: list[Any] = []
    last_node: dict[str, str | None] = {"old": None, "new": None}

    def flush() -> None:
        if run:
            cell.append(E.details(E.summary(w["unchanged_n"].format(n=len(run))), *run, **{"class": "same"}))
            run.clear()

    for cc in commitments:
        if skip and cc.kind == "unchanged" and cc.new is not None and cc.new.text.strip() == skip.strip():
            continue
        line = _sentence_line(v, c, cc, last_node)
        if cc.kind == "unchanged":
            run.append(line)
        else:
            flush()
            cell.append(line)
    flush()


def _chip(v: View, c: Change, cc: CommitmentChange, side: str, last: dict[str, str | None]) -> list[Any]:
    """In a merge or split, which node a sentence belongs to, named when it changes from the line above."""
    nodes = c.old if side == "old" else c.new
    sent = cc.old if side == "old" else cc.new
    if len(nodes) < 2 or sent is None:
        return []
    node = node_of_sentence(nodes, sent.span)
    if node is None or last[side] == node.id:
        return []
    last[side] = node.id
    return [E.span(v.node_loc(node.id, side), **{"class": "chip"})]


def _sentence_line(v: View, c: Change, cc: CommitmentChange, last: dict[str, str | None]) -> Any:
    w = v.w
    o = E.div(*_chip(v, c, cc, "old", last), **{"class": "o", "data-side": w["old"]})
    n = E.div(*_chip(v, c, cc, "new", last), **{"class": "n", "data-side": w["new"]})
    if cc.kind == "added":
        o.set("class", "o empty")
        n.append(_ins(cc.new.text if cc.new else ""))
        if cc.moved_from:
            n.append(E.span(f" {w['came_from']} ", _link(v, cc.moved_from, "old"), **{"class": "note"}))
    elif cc.kind == "removed":
        n.set("class", "n empty")
        o.append(_del(cc.old.text if cc.old else ""))
        if cc.moved_to:
            o.append(E.span(f" {w['went_to']} ", _link(v, cc.moved_to, "new"), **{"class": "note"}))
    elif cc.kind == "merged":  # an old sentence folded into the new sentence shown above: not repeated
        _ops(o, cc.inline, "-")
        n.append(E.span(w["merged_piece"], **{"class": "note"}))
        n.set("class", "n piece")
    elif cc.kind == "split":  # a new sentence split off the old sentence shown above: not repeated
        _ops(n, cc.inline, "+")
        o.append(E.span(w["split_piece"], **{"class": "note"}))
        o.set("class", "o piece")
    else:
        _ops(o, cc.inline, "-")
        _ops(n, cc.inline, "+")
    return E.div(o, n, **{"class": f"s k-{cc.kind}"})


def _ops(el: Any, ops: tuple[tuple[str, str], ...], keep: str) -> None:
    """One side of an inline diff: equal text plus this side's deletions (``-``) or insertions (``+``)."""
    for op, text in ops:
        if op == "=":
            _append_text(el, text)
        elif op == keep:
            el.append(_del(text) if keep == "-" else _ins(text))


def _append_text(el: Any, text: str) -> None:
    if len(el):
        last = el[-1]
        last.tail = (last.tail or "") + text
    else:
        el.text = (el.text or "") + text
