"""A timeline as one self-contained HTML page: lineage matrix, target charts (inline SVG), phrase heat
map, and one section per year summarising its comparison with the document before.

Built as lxml elements (every text escaped), no script at all, no network request: the charts are SVG
drawn here, the heat map is a table whose cell colours are inline styles, and every heat-map cell links
to the section of its year (``#year-2021``), which holds that year's pairwise summary.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import attrs
from lxml import html as lxml_html
from lxml.builder import E  # type: ignore[import-not-found, unused-ignore]

from ..timeline_model import Lineage, Phrase, Series, Timeline
from .labels import TRACK_WORDS
from .safe import visible
from .timeline_terminal import SYMBOLS

_CSS = resources.files("policydiff.render").joinpath("timeline.css").read_text(encoding="utf-8")

HEATMAP_MAX_ROWS = 200
"""Phrases in the heat map (JSON and CSV hold all): asked-for terms, then those in the most years; 200
rows keep the page under a few megabytes for the 51-year corpus."""
HEATMAP_MIN_YEARS = 2
"""A quoted phrase used in a single year has no history to show; it stays in JSON and CSV."""
MAX_CHARTS = 12
"""Charts drawn (the table below them lists every series): the longest series first."""
MIN_CHART_POINTS = 3
"""Fewer points make a line that says nothing a table row does not."""
CHART_W, CHART_H = 360, 140
"""Chart size in CSS pixels: three fit across an A4 page or a laptop screen."""
_MARGIN = (44, 10, 14, 24)
"""Left, right, top, bottom margins of a chart: room for the value labels (left) and years (bottom)."""
HEAT_MIN_ALPHA = 0.15
"""Opacity of a cell with the smallest non-zero count: visibly different from an empty cell."""
HEAT_DARK = 0.55
"""Above this opacity the count is written in white, for contrast on the dark blue."""

WORDS: dict[str, dict[str, str]] = {
    "zh": {"title": "政策时间线", "documents": "文件", "year": "年份", "path": "文件路径", "doc_title": "标题",
           "lineages": "措施沿革", "targets": "目标序列", "phrases": "提法热力图", "years": "逐年变化",
           "measure": "措施", "subject": "指标", "phrase": "提法", "gap": "缺少文件", "first": "首份文件",
           "measures": "条措施", "added": "新增", "removed": "删除", "new_phrases": "首次出现的提法",
           "legend": "● 存在 ~ 修改 → 移动 + 新增 < 拆分 > 合并 ↩ 恢复 ○ 不在；斜纹列：缺少该年份文件",
           "heat_note": "单元格为该年出现次数，点击查看该年对比摘要。", "none": "无",
           "compared": "与上一份文件对比", "outcome": "（实际）"},
    "en": {"title": "Policy timeline", "documents": "Documents", "year": "Year", "path": "Path", "doc_title": "Title",
           "lineages": "Measures over time", "targets": "Targets over time", "phrases": "Phrase heat map",
           "years": "Year by year", "measure": "Measure", "subject": "Subject", "phrase": "Phrase",
           "gap": "no document", "first": "first document", "measures": "measures", "added": "added",
           "removed": "removed", "new_phrases": "Phrases first seen", "none": "none",
           "legend": "● present ~ reworded → moved + added < split > merged ↩ returned ○ absent; hatched: no document",
           "heat_note": "Each cell is the count that year; it links to that year's comparison summary.",
           "outcome": " (outcome)",
           "compared": "compared with the document before"},
}
_KIND_WORDS = {"zh": {"unchanged": "未变", "reworded": "修改", "split": "拆分", "merged": "合并", "condensed": "概括",
                      "added": "新增", "removed": "删除", "moved": "移动", "returned": "恢复"},
               "en": {k: k for k in ("unchanged", "reworded", "split", "merged", "condensed", "added", "removed",
                                     "moved", "returned")}}


def _visible(value: Any) -> Any:
    """Every string of a timeline value passed through ``safe.visible``: lxml refuses control characters
    in an element, and a bidi override in a title would reverse what the reader sees."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, tuple):
        return tuple(_visible(v) for v in value)
    if attrs.has(type(value)):
        return attrs.evolve(value, **{f.name: _visible(getattr(value, f.name)) for f in attrs.fields(type(value))
                                      if f.init})
    return value


def anchor(first: int) -> str:
    """The id of a year's section (or of a run of missing years, by its first year)."""
    return f"year-{first}"


def _year_head(first: int, last: int, gap: bool) -> Any:
    text = str(first) if first == last else f"{first}–{last}"
    return E.th(text if not gap else "·", {"class": "gap", "title": text} if gap else {"class": "year"},
                scope="col")


def _lineage_name(lin: Lineage) -> str:
    own = [e for e in lin.events if e.node_id is not None and e.into is None] or list(lin.events)
    return f"{own[-1].label}{own[-1].title}"


def _matrix(tl: Timeline, lang: str) -> Any:
    w = WORDS[lang]
    cols = tl.columns()
    head = E.tr(E.th(w["measure"], scope="col"), *(_year_head(*c) for c in cols))
    rows = []
    for lin in tl.lineages:
        cells = []
        for first, _last, gap in cols:
            if gap:
                cells.append(E.td("", {"class": "gap"}))
                continue
            state = lin.state(first)
            e = lin.event(first)
            tip = f"{first}: {_KIND_WORDS[lang].get(state, state)}" + (f" {e.label}{e.title}" if e and e.node_id
                                                                        else "")
            cells.append(E.td(SYMBOLS.get(state, "?"), {"class": f"s-{state}", "title": tip}))
        rows.append(E.tr(E.th(_lineage_name(lin), scope="row", title=" / ".join(lin.titles) or lin.id),
                         *cells, id=f"lineage-{lin.id.replace(':', '-')}"))
    return E.div(E.table(E.thead(head), E.tbody(*rows), {"class": "matrix"}), {"class": "scroll"})


def _chart(tl: Timeline, s: Series, lang: str = "zh") -> Any:
    """A small line chart of one series: gap years shaded, the line broken where a year has no figure."""
    left, right, top, bottom = _MARGIN
    y0, y1 = tl.years[0], tl.years[-1]
    values = [float(p.value) for p in s.points]
    lo, hi = min(values), max(values)
    if hi == lo:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.1
    lo, hi = lo - pad, hi + pad

    def x(year: float) -> float:
        return left + (year - y0) / max(1, y1 - y0) * (CHART_W - left - right)

    def y(v: float) -> float:
        return top + (hi - v) / (hi - lo) * (CHART_H - top - bottom)

    parts: list[Any] = [
        E.line(x1=str(left), y1=str(CHART_H - bottom), x2=str(CHART_W - right), y2=str(CHART_H - bottom),
               **{"class": "axis"}),
    ]
    for first, last, gap in tl.columns():
        if gap:
            parts.append(E.rect(x=f"{x(first - 0.5):.1f}", y=str(top), width=f"{x(last + 0.5) - x(first - 0.5):.1f}",
                                height=str(CHART_H - top - bottom), **{"class": "gapband"}))
    index = {year: i for i, year in enumerate(tl.years)}
    run: list[str] = []
    prev = None
    for p, v in zip(s.points, values, strict=True):
        if prev is not None and index[p.year] != index[prev] + 1 and len(run) > 1:
            parts.append(E.polyline(points=" ".join(run), **{"class": "line"}))
        if prev is not None and index[p.year] != index[prev] + 1:
            run = []
        run.append(f"{x(p.year):.1f},{y(v):.1f}")
        prev = p.year
    if len(run) > 1:
        parts.append(E.polyline(points=" ".join(run), **{"class": "line"}))
    for p, v in zip(s.points, values, strict=True):
        parts.append(E.circle(E.title(f"{p.year}: {p.text}"), cx=f"{x(p.year):.1f}", cy=f"{y(v):.1f}", r="3",
                              **{"class": "dot"}))
    top_point = s.points[values.index(max(values))]
    low_point = s.points[values.index(min(values))]
    parts += [
        E.text(top_point.text, x="2", y=f"{y(max(values)) + 3:.1f}"),
        E.text(low_point.text, x="2", y=f"{y(min(values)) + 3:.1f}"),
        E.text(str(y0), x=str(left), y=str(CHART_H - 6)),
        E.text(str(y1), x=str(CHART_W - right - 24), y=str(CHART_H - 6)),
    ]
    svg = E.svg(*parts, width=str(CHART_W), height=str(CHART_H), viewBox=f"0 0 {CHART_W} {CHART_H}",
                role="img", xmlns="http://www.w3.org/2000/svg")
    svg.set("aria-label", f"{s.subject}: " + ", ".join(f"{p.year} {p.text}" for p in s.points))
    return E.figure(svg, E.figcaption(_name(s, lang)))


def _name(s: Series, lang: str) -> str:
    """A series' subject, marked when it is the review's outcomes rather than the plan's targets."""
    return s.subject + (WORDS[lang]["outcome"] if s.kind == "outcome" else "")


def _targets(tl: Timeline, lang: str) -> Any:
    w = WORDS[lang]
    charted = [s for s in tl.series if len(s.points) >= MIN_CHART_POINTS][:MAX_CHARTS]
    cols = tl.columns()
    rows = []
    for s in tl.series:
        cells = []
        for first, _last, gap in cols:
            p = next((p for p in s.points if p.year == first), None) if not gap else None
            cells.append(E.td(p.text if p else "", {"class": "gap"} if gap else {}, title=p.quote if p else ""))
        rows.append(E.tr(E.th(_name(s, lang), scope="row"), *cells))
    table = E.table(E.thead(E.tr(E.th(w["subject"], scope="col"), *(_year_head(*c) for c in cols))),
                    E.tbody(*rows), {"class": "series"})
    return E.section(E.h2(w["targets"]), E.div(*(_chart(tl, s, lang) for s in charted), {"class": "charts"}),
                     E.div(table, {"class": "scroll"}), *_tracked(tl, lang), id="targets")


def _tracked(tl: Timeline, lang: str) -> list[Any]:
    """Targets beside the outcome the next year's review reports (``policydiff track``), one table."""
    if not tl.tracked:
        return []
    tw = TRACK_WORDS[lang]
    rows = [E.tr(E.th(ts.subject, scope="row"), E.td(str(p.year)), E.td(p.target.text, title=p.target.quote),
                 E.td(p.outcome.text if p.outcome else "—", title=p.outcome.quote if p.outcome else ""),
                 E.td(tw[p.status]))
            for ts in tl.tracked for p in ts.points]
    head = E.tr(*(E.th(tw[k], scope="col") for k in ("indicator", "year", "target", "outcome", "status")))
    return [E.h3(tw["targets"]), E.p(tw["not_failed"]),
            E.div(E.table(E.thead(head), E.tbody(*rows), {"class": "series tracked"}), {"class": "scroll"})]


def heatmap_phrases(tl: Timeline) -> list[Phrase]:
    """The phrases of the heat map, in order: asked-for terms, then by number of years, then first year."""
    asked = [p for p in tl.phrases if p.kind == "term"]
    others = sorted((p for p in tl.phrases if p.kind != "term" and len(p.counts) >= HEATMAP_MIN_YEARS),
                    key=lambda p: (-len(p.counts), p.first or 0, p.text))
    return (asked + others)[:max(HEATMAP_MAX_ROWS, len(asked))]


def _heatmap(tl: Timeline, lang: str) -> Any:
    w = WORDS[lang]
    cols = tl.columns()
    rows = []
    for p in heatmap_phrases(tl):
        top = max((n for _, n in p.counts), default=1)
        cells = []
        for first, last, gap in cols:
            if gap:
                cells.append(E.td(E.a("·", href=f"#{anchor(first)}", title=f"{first}–{last}: {w['gap']}"),
                                  {"class": "gap"}))
                continue
            n = p.count(first)
            alpha = HEAT_MIN_ALPHA + (1 - HEAT_MIN_ALPHA) * n / top if n else 0.0
            style = f"background: rgba(31, 111, 178, {alpha:.2f}); color: {'#fff' if alpha > HEAT_DARK else '#1d1d1f'}"
            cells.append(E.td(E.a(str(n) if n else "", href=f"#{anchor(first)}", title=f"{p.text} {first}: {n}"),
                              style=style if n else ""))
        rows.append(E.tr(E.th(p.text, scope="row", title=p.kind), *cells))
    table = E.table(E.thead(E.tr(E.th(w["phrase"], scope="col"), *(_year_head(*c) for c in cols))),
                    E.tbody(*rows), {"class": "heatmap"})
    return E.section(E.h2(w["phrases"]), E.p(w["heat_note"], {"class": "note"}), E.div(table, {"class": "scroll"}),
                     id="phrases")


def _years(tl: Timeline, lang: str) -> Any:
    w = WORDS[lang]
    kinds = _KIND_WORDS[lang]
    pairs = {p.new_year: p for p in tl.pairs}
    by_year = {d.year: d for d in tl.documents}
    sections = []
    for first, last, gap in tl.columns():
        if gap:
            span = str(first) if first == last else f"{first}–{last}"
            sections.append(E.section(E.h3(f"{span}: {w['gap']}"), {"class": "year gap"}, id=anchor(first)))
            continue
        d = by_year[first]
        body: list[Any] = [E.h3(f"{first} · {d.title or d.path}")]
        pair = pairs.get(first)
        if pair is None:
            n = sum(1 for lin in tl.lineages if lin.events[0].year == first)
            body.append(E.p(f"{w['first']}: {n} {w['measures']}"))
        else:
            counts = " · ".join(f"{kinds[k]} {n}" for k, n in pair.counts if n)
            body.append(E.p(f"{pair.old_year} → {pair.new_year} ({w['compared']}): {counts}"))
            for label, items in ((w["added"], pair.added), (w["removed"], pair.removed)):
                if items:
                    body.append(E.details(E.summary(f"{label} ({len(items)})"), E.ul(*(E.li(t) for t in items))))
        fresh = [p.text for p in tl.phrases if p.first == first and pair is not None]
        if fresh:
            body.append(E.details(E.summary(f"{w['new_phrases']} ({len(fresh)})"), E.p("、".join(fresh))))
        sections.append(E.section(*body, {"class": "year"}, id=anchor(first)))
    return E.section(E.h2(w["years"]), *sections, id="years")


def render_timeline(tl: Timeline, *, lang: str = "zh") -> str:
    """The whole page as an HTML string."""
    tl = _visible(tl)
    w = WORDS[lang]
    span = f"{tl.years[0]}–{tl.years[-1]}" if tl.documents else ""
    title = f"{w['title']} {span}"
    docs = E.table(E.thead(E.tr(E.th(w["year"]), E.th(w["doc_title"]), E.th(w["path"]))),
                   E.tbody(*(E.tr(E.td(E.a(str(d.year), href=f"#{anchor(d.year)}")), E.td(d.title), E.td(d.path))
                             for d in tl.documents)), {"class": "docs"})
    nav = E.nav(*(E.a(w[k], href=f"#{k}") for k in ("lineages", "targets", "phrases", "years")))
    body = E.body(
        E.header(E.h1(title), E.details(E.summary(f"{w['documents']} ({len(tl.documents)})"), docs), nav),
        E.section(E.h2(w["lineages"]), E.p(w["legend"], {"class": "legend"}), _matrix(tl, lang), id="lineages"),
        _targets(tl, lang),
        _heatmap(tl, lang),
        _years(tl, lang),
    )
    head = E.head(E.meta(charset="utf-8"), E.meta(name="viewport", content="width=device-width, initial-scale=1"),
                  E.title(title), E.style(_CSS))
    page = E.html(head, body, lang="zh" if lang == "zh" else "en")
    text: str = lxml_html.tostring(page, encoding="unicode")
    return "<!DOCTYPE html>\n" + text + "\n"
