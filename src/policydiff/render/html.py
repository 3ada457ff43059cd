"""A self-contained HTML 新旧对照 report, built as lxml elements so every piece of text is escaped.

One file with inline CSS and JS, no network requests, readable with JavaScript off (the filters are
an enhancement) and printable on A4. The body is a side-by-side table, old year left and new year
right, one row per change in the new document's order, grouped by top-level part.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

from lxml import etree
from lxml import html as lxml_html
from lxml.builder import E  # type: ignore[import-not-found, unused-ignore]

from ..model import Change, Comparison, Node
from .json import summary
from .labels import COUNT_KINDS, KIND_LABELS, WORDS

_CSS = resources.files("policydiff.render").joinpath("report.css").read_text(encoding="utf-8")
_JS = resources.files("policydiff.render").joinpath("report.js").read_text(encoding="utf-8")
_FILTERS = ("all", "changed", "added", "removed", "reworded", "moved")
_COLORS = {"reworded": "#c98a00", "moved": "#1f6fb2", "split": "#7b4fb3", "merged": "#8a5a2b",
           "condensed": "#5a6b2b", "added": "#1b6e20", "removed": "#b3261e"}


def render_comparison(cmp: Comparison, *, lang: str = "zh") -> str:
    """The whole report as an HTML string."""
    w = WORDS[lang]
    s = summary(cmp)
    title = f"{w['report']}：{cmp.old.title or cmp.old.path} → {cmp.new.title or cmp.new.path}"
    head = E.head(E.meta(charset="utf-8"), E.meta(name="viewport", content="width=device-width, initial-scale=1"),
                  E.title(title), E.style(_CSS))
    body = E.body(
        E.header(E.h1(title), _docs_table(cmp, lang)),
        E.section(E.h2(w["summary"]), _dashboard(s, lang), _chart(s, lang), id="summary"),
        _toc(cmp, lang),
        _numbers(cmp, lang),
        _terms(cmp, lang),
        E.section(E.h2(w["changes"]), _filters(lang), _diff_table(cmp, lang), id="changes"),
        E.script(_JS),
    )
    page = E.html(head, body, lang="zh-CN" if lang == "zh" else "en")
    out: str = lxml_html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", method="html")
    return out + "\n"


def _docs_table(cmp: Comparison, lang: str) -> Any:
    w = WORDS[lang]
    fields = ["发文字号", "成文日期", "发文机关", "发布日期"]
    rows = [E.tr(E.th(""), E.th(w["old"]), E.th(w["new"])),
            E.tr(E.th("标题" if lang == "zh" else "Title"), E.td(cmp.old.title or cmp.old.path),
                 E.td(cmp.new.title or cmp.new.path))]
    for f in fields:
        a, b = cmp.old.metadata.get(f), cmp.new.metadata.get(f)
        if a or b:
            rows.append(E.tr(E.th(f), E.td(a or "—"), E.td(b or "—")))
    return E.table(*rows, **{"class": "docs"})


def _dashboard(s: dict[str, Any], lang: str) -> Any:
    kinds = KIND_LABELS[lang]
    return E.dl(*[E.div(E.dt(kinds[k]), E.dd(str(s["total"][k]), id=f"count-{k}", **{"data-kind": k}))
                  for k in COUNT_KINDS], **{"class": "dash"})


def _chart(s: dict[str, Any], lang: str) -> Any:
    """A stacked horizontal bar per part: how many changes of each kind (unchanged left out)."""
    kinds = KIND_LABELS[lang]
    shown = [k for k in COUNT_KINDS if k != "unchanged"]
    parts = s["parts"]
    most = max([sum(p["counts"][k] for k in shown) for p in parts] + [1])
    bar_w, label_w, row_h = 520, 260, 22
    height = row_h * len(parts) + 30
    svg = etree.Element("svg", width=str(label_w + bar_w + 40), height=str(height), role="img",
                        viewBox=f"0 0 {label_w + bar_w + 40} {height}")
    svg.set("class", "chart")
    svg.set("aria-label", "changes per part")
    for r, p in enumerate(parts):
        y = r * row_h + 4
        t = etree.SubElement(svg, "text", {"x": "0", "y": str(y + 14), "font-size": "12"})
        name = p["part"]
        t.text = name if len(name) <= 20 else name[:19] + "…"
        x = float(label_w)
        for k in shown:
            n = p["counts"][k]
            if not n:
                continue
            width = bar_w * n / most
            rect = etree.SubElement(svg, "rect", x=f"{x:.1f}", y=str(y), width=f"{width:.1f}", height="16",
                                    fill=_COLORS[k])
            etree.SubElement(rect, "title").text = f"{kinds[k]} {n}"
            x += width
        total = etree.SubElement(svg, "text", {"x": f"{x + 4:.1f}", "y": str(y + 13), "font-size": "11"})
        total.text = str(sum(p["counts"][k] for k in shown))
    lx = float(label_w)
    for k in shown:
        etree.SubElement(svg, "rect", x=f"{lx:.0f}", y=str(height - 18), width="10", height="10", fill=_COLORS[k])
        label = etree.SubElement(svg, "text", {"x": f"{lx + 13:.0f}", "y": str(height - 9), "font-size": "11"})
        label.text = kinds[k]
        lx += 75
    return svg


def _part_groups(cmp: Comparison) -> list[tuple[str, list[Change]]]:
    groups: list[tuple[str, list[Change]]] = []
    for c in cmp.changes:
        if not groups or groups[-1][0] != c.part:
            groups.append((c.part, []))
        groups[-1][1].append(c)
    return groups


def _toc(cmp: Comparison, lang: str) -> Any:
    items = []
    for n, (part, changes) in enumerate(_part_groups(cmp), 1):
        changed = sum(1 for c in changes if c.kind != "unchanged" or c.moved)
        items.append(E.li(E.a(part or WORDS[lang]["front"], href=f"#part-{n}"), f" ({changed})"))
    return E.nav(E.h2("目录" if lang == "zh" else "Contents"), E.ol(*items), **{"class": "toc"})


def _numbers(cmp: Comparison, lang: str) -> Any:
    w = WORDS[lang]
    rows = [E.tr(E.td(_where(c)), E.td(n.subject), E.td(_del(n.old or "—")),
                 E.td(_ins(n.new or "—"))) for c in cmp.changes for n in c.numbers]
    if not rows:
        return E.section(E.h2(w["numbers"]), E.p(w["none"]), id="numbers")
    return E.section(E.h2(w["numbers"]), E.table(E.tr(E.th(""), E.th(w["subject"]), E.th(w["old"]),
                                                      E.th(w["new"])), *rows, **{"class": "numbers"}),
                     id="numbers")


def _terms(cmp: Comparison, lang: str) -> Any:
    w = WORDS[lang]
    return E.section(
        E.h2(w["terms_added"]), E.ul(*[E.li(_ins(t.text)) for t in cmp.terms.added], **{"class": "terms"}),
        E.h2(w["terms_removed"]), E.ul(*[E.li(_del(t.text)) for t in cmp.terms.removed], **{"class": "terms"}),
        id="terms")


def _filters(lang: str) -> Any:
    names = {"zh": {"all": "全部", "changed": "仅看变化", "added": "新增", "removed": "删除", "reworded": "修改",
                    "moved": "移动"},
             "en": {"all": "all", "changed": "changed only", "added": "added", "removed": "removed",
                    "reworded": "reworded", "moved": "moved"}}[lang]
    return E.div(*[E.button(names[f], type="button", **{"data-filter": f, "aria-pressed": "false"})
                   for f in _FILTERS], **{"class": "filters", "role": "toolbar"})


def _del(text: str) -> Any:
    el = etree.Element("del")
    el.text = text
    return el


def _ins(text: str) -> Any:
    el = etree.Element("ins")
    el.text = text
    return el


def _where(c: Change) -> str:
    a = "+".join(n.label or "¶" for n in c.old) or "∅"
    b = "+".join(n.label or "¶" for n in c.new) or "∅"
    return f"{a} → {b}"


def _diff_table(cmp: Comparison, lang: str) -> Any:
    w = WORDS[lang]
    old_year = cmp.old.title or cmp.old.path
    new_year = cmp.new.title or cmp.new.path
    table = E.table(E.colgroup(E.col(style="width:50%"), E.col(style="width:50%")),
                    E.thead(E.tr(E.th(f"{w['old']}：{old_year}"), E.th(f"{w['new']}：{new_year}"))),
                    **{"class": "diff"})
    for n, (part, changes) in enumerate(_part_groups(cmp), 1):
        tbody = E.tbody(E.tr(E.th(part or w["front"], colspan="2"), **{"class": "heading"}),
                        id=f"part-{n}", **{"class": "group"})
        for c in changes:
            tbody.append(_row(c, lang))
        table.append(tbody)
    return table


def _anchor_id(side: str, node: Node) -> str:
    return f"{side}-{node.id}"


def _row(c: Change, lang: str) -> Any:
    w, kinds = WORDS[lang], KIND_LABELS[lang]
    classes = ["change", f"k-{c.kind}"] + (["moved"] if c.moved else [])
    old_cell = E.td(**{"class": "old" + ("" if c.old else " empty")})
    new_cell = E.td(**{"class": "new" + ("" if c.new else " empty")})
    tag = kinds[c.kind] + (f"·{kinds['moved']}" if c.moved else "")
    for cell, nodes, side in ((old_cell, c.old, "old"), (new_cell, c.new, "new")):
        for node in nodes:
            cell.append(E.span(node.label, **{"class": "lab", "id": _anchor_id(side, node)}))
    if c.new or c.old:
        (new_cell if c.new else old_cell).insert(0, E.span(tag, **{"class": "tag"}))
    ops = c.inline or ((("=", (c.new or c.old)[0].title + (c.new or c.old)[0].body),) if c.kind == "unchanged"
                       else ())
    if c.kind == "added":
        for node in c.new:
            new_cell.append(_ins(node.title + node.body))
    elif c.kind == "removed":
        for node in c.old:
            old_cell.append(_del(node.title + node.body))
    else:
        for op, text in ops:
            if op == "=":
                _append_text(old_cell, text)
                _append_text(new_cell, text)
            elif op == "-":
                old_cell.append(_del(text))
            else:
                new_cell.append(_ins(text))
    if c.moved:
        note = E.span(f"{w['moved_from']} {c.old_parent or w['front']}", **{"class": "note"})
        new_cell.append(note)
    if c.kind == "split":
        old_cell.append(E.span(f"{w['split_into']} ", *_links(c.new, "new"), **{"class": "note"}))
    if c.kind == "merged":
        new_cell.append(E.span(f"{w['merged_from']} ", *_links(c.old, "old"), **{"class": "note"}))
    if c.numbers:
        new_cell.append(E.span("；".join(f"{n.subject}: {n.old or '—'} → {n.new or '—'}" for n in c.numbers),
                               **{"class": "note"}))
    level = (c.new or c.old)[0].kind
    if level in ("part", "section"):
        classes.append("heading-change")
    return E.tr(old_cell, new_cell, **{"class": " ".join(classes), "data-kind": c.kind,
                                       "data-moved": "1" if c.moved else "0", "data-level": level})


def _links(nodes: tuple[Node, ...], side: str) -> list[Any]:
    """Links to the other side's nodes, separated by 、."""
    out: list[Any] = []
    for k, n in enumerate(nodes):
        if k:
            out.append("、")
        out.append(E.a(n.label or n.id, href=f"#{side}-{n.id}"))
    return out


def _append_text(el: Any, text: str) -> None:
    if len(el):
        last = el[-1]
        last.tail = (last.tail or "") + text
    else:
        el.text = (el.text or "") + text

