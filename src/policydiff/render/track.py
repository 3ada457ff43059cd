"""``policydiff track`` in every format: terminal, HTML, JSON (``policydiff.track``), CSV; and the section a
diff report gets with ``--track``.

Reads only the model layer (``track_model``, ``model``): the pairing and the statuses are ``track.py``'s.
Every output opens with the targets (indicator, target, outcome, status), then the tasks, and says in words
that "not reported" is not "failed": a review is selective, and silence is no evidence of failure.
"""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from importlib import resources
from typing import Any

from lxml import html as lxml_html
from lxml.builder import E  # type: ignore[import-not-found, unused-ignore]

from ..model import Document
from ..track_model import TARGET_STATUSES, Figure, Track, TrackedTarget
from .cells import cell_len
from .labels import TRACK_WORDS
from .safe import spreadsheet_row, visible

FORMAT = "policydiff.track"
VERSION = 1
FORMATS = ("terminal", "html", "json", "csv")
"""The formats of ``policydiff track`` (``render_track``)."""

TERMINAL_TASK_QUOTE = 60
"""Characters of an evidence sentence shown in the terminal before an ellipsis: one line beside its locator;
the HTML and JSON carry the whole sentence."""

INDICATOR_CELLS = 24
"""Terminal cells of the indicator column; longer names are clipped (the JSON has them whole)."""


def _name(doc: Document) -> str:
    """The title and the file name: two years of one report often share the title (政府工作报告)."""
    base = os.path.basename(doc.path) or doc.path
    return f"{doc.title} ({base})" if doc.title and doc.title != base else base


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _pad(text: str, cells: int) -> str:
    while cell_len(text) > cells:
        text = text[:-2] + "…"
    return text + " " * (cells - cell_len(text))


def _counts(tr: Track, w: dict[str, str]) -> str:
    c = tr.counts()
    return w["counts"].format(targets=len(tr.targets), met=c["met"], exceeded=c["exceeded"], missed=c["missed"],
                              reported=c["reported"], not_reported=c["not reported"], tasks=len(tr.tasks),
                              tasks_reported=c["tasks reported"], tasks_not_reported=c["tasks not reported"])


# --- terminal -----------------------------------------------------------------------------------------------

def terminal_lines(tr: Track, lang: str = "zh", *, heading: bool = True) -> list[str]:
    """The track as plain lines: a heading, the counts, the targets table, the tasks with their evidence."""
    w = TRACK_WORDS[lang]
    out: list[str] = []
    if heading:
        out += [w["track"], w["plan_of"].format(old=_name(tr.old), new=_name(tr.new)), ""]
    if tr.reason:
        return [*out, visible(w["empty"].format(reason=tr.reason))]
    out += [_counts(tr, w), w["not_failed"], "", w["targets"]]
    rows = [(w["indicator"], w["target"], w["outcome"], w["status"], w["where"])]
    for t in tr.targets:
        o = t.outcome
        rows.append((t.indicator, t.target.text, o.text if o else "—", w[t.status],
                     t.target.locator + (f" → {o.locator}" if o else "")))
    widths = [min(INDICATOR_CELLS, max(cell_len(r[0]) for r in rows)),
              *(max(cell_len(r[k]) for r in rows) for k in (1, 2, 3))]
    for r in rows:
        out.append("  " + "  ".join(_pad(visible(r[k]), widths[k]) for k in range(4)) + "  " + visible(r[4]))
    out += ["", w["tasks"]]
    for task in tr.tasks:
        out.append(f"  {w['task ' + task.status]}  {task.locator}  {visible(task.title)}")
        for e in task.evidence:
            out.append(f"      ← {e.locator}  {visible(_clip(e.quote, TERMINAL_TASK_QUOTE))}")
    return out


# --- HTML -----------------------------------------------------------------------------------------------------

def _status_cell(t: TrackedTarget, w: dict[str, str]) -> Any:
    return E.td(w[t.status], {"class": "st st-" + t.status.replace(" ", "-")})


def _figure_cell(f: Figure | None) -> Any:
    if f is None:
        return E.td("—")
    return E.td(visible(f.text), E.span(visible(f.locator), {"class": "loc"}), title=visible(f.quote))


def html_section(tr: Track, lang: str = "zh") -> Any:
    """The track as one ``<section id="track">`` element, in the diff report's style (``report.css``)."""
    w = TRACK_WORDS[lang]
    sec = E.section(E.h2(w["track"]), E.p(visible(w["plan_of"].format(old=_name(tr.old), new=_name(tr.new)))),
                    id="track")
    if tr.reason:
        sec.append(E.p(visible(w["empty"].format(reason=tr.reason)), {"class": "note"}))
        return sec
    sec.append(E.p(_counts(tr, w)))
    sec.append(E.p(w["not_failed"], {"class": "note"}))
    sec.append(E.h3(w["targets"]))
    if tr.targets:
        head = E.tr(E.th(w["indicator"]), E.th(w["target"]), E.th(w["outcome"]), E.th(w["status"]),
                    E.th(w["quote"], {"class": "quote"}))
        rows = [E.tr(E.td(visible(t.indicator)), _figure_cell(t.target), _figure_cell(t.outcome), _status_cell(t, w),
                     E.td(visible(t.target.quote), *([E.br(), visible(t.outcome.quote)] if t.outcome else []),
                          {"class": "quote"}))
                for t in tr.targets]
        sec.append(E.table(head, *rows, {"class": "numbers track"}))
    else:
        sec.append(E.p(w["none"]))
    sec.append(E.h3(w["tasks"]))
    items = []
    for task in tr.tasks:
        li = E.li(E.span(visible(task.locator), {"class": "loc"}), visible(task.title), " ",
                  E.span(w["task " + task.status], {"class": "st st-" + task.status.replace(" ", "-")}))
        if task.evidence:
            li.append(E.ul(*[E.li(E.span(visible(e.locator), {"class": "loc"}), visible(e.quote))
                             for e in task.evidence], {"class": "evidence"}))
        items.append(li)
    sec.append(E.ol(*items, {"class": "tasks"}) if items else E.p(w["none"]))
    return sec


def render_html(tr: Track, lang: str = "zh") -> str:
    """A page of its own with the diff report's stylesheet: readable on a phone, printable on A4."""
    w = TRACK_WORDS[lang]
    css = resources.files("policydiff.render").joinpath("report.css").read_text(encoding="utf-8")
    title = visible(f"{w['track']}: {_name(tr.old)} → {_name(tr.new)}")
    head = E.head(E.meta(charset="utf-8"), E.meta(name="viewport", content="width=device-width, initial-scale=1"),
                  E.title(title), E.style(css))
    page = E.html(head, E.body(E.header(E.h1(title)), html_section(tr, lang)), lang="zh-CN" if lang == "zh" else "en")
    text: str = lxml_html.tostring(page, doctype="<!DOCTYPE html>", encoding="unicode", method="html")
    return text + "\n"


# --- JSON ------------------------------------------------------------------------------------------------------

def _exact(v: Decimal | None) -> str | None:
    return None if v is None else format(v.normalize(), "f")


def _target(t: TrackedTarget) -> dict[str, Any]:
    o = t.outcome
    return {
        "indicator": t.indicator, "target": t.target.text, "outcome": o.text if o else None, "status": t.status,
        "target_quote": t.target.quote, "outcome_quote": o.quote if o else None,
        "target_locator": t.target.locator, "outcome_locator": o.locator if o else None,
        "outcome_indicator": o.indicator if o else None, "direction": t.direction, "unit": t.target.unit,
        "outcome_unit": o.unit if o else None,
        "target_value": _exact(t.target.value), "target_high": _exact(t.target.high),
        "target_qualifier": t.target.qualifier,
        "outcome_value": _exact(o.value) if o else None, "outcome_high": _exact(o.high) if o else None,
        "outcome_qualifier": o.qualifier if o else None,
        "target_span": list(t.target.span), "outcome_span": list(o.span) if o else None,
        "target_node": t.target.node_id, "outcome_node": o.node_id if o else None, "score": t.score,
    }


def to_dict(tr: Track) -> dict[str, Any]:
    """The track as plain JSON values; exact figures as strings (a JSON number would become a float)."""
    return {
        "format": FORMAT, "version": VERSION,
        "old": {"path": tr.old.path, "title": tr.old.title},
        "new": {"path": tr.new.path, "title": tr.new.title},
        "reason": tr.reason,
        "note": TRACK_WORDS["en"]["not_failed"],
        "counts": tr.counts(),
        "targets": [_target(t) for t in tr.targets],
        "tasks": [{"locator": task.locator, "title": task.title, "status": task.status, "node": task.node_id,
                   "span": list(task.span),
                   "evidence": [{"locator": e.locator, "quote": e.quote, "node": e.node_id, "span": list(e.span),
                                 "score": e.score, "task_quote": e.task_quote} for e in task.evidence]}
                  for task in tr.tasks],
    }


def render_json(tr: Track) -> str:
    """The JSON text, UTF-8 with Chinese as written, one trailing newline."""
    return json.dumps(to_dict(tr), ensure_ascii=False, indent=1) + "\n"


# --- CSV -------------------------------------------------------------------------------------------------------

CSV_COLUMNS = ("record", "status", "indicator", "target", "outcome", "target_value", "outcome_value", "unit",
               "old_locator", "new_locator", "old_quote", "new_quote")
"""``record`` is ``target``, ``task`` or ``evidence`` (one row per review sentence of a task, after it); a
task row leaves the outcome columns empty, its ``indicator`` is the task's title."""


def render_csv(tr: Track) -> str:
    """The CSV text (UTF-8 with BOM for spreadsheets; every cell through ``safe.spreadsheet_cell``)."""
    out = io.StringIO()
    out.write("\ufeff")
    w = csv.writer(out)
    w.writerow(CSV_COLUMNS)
    for t in tr.targets:
        o = t.outcome
        w.writerow(spreadsheet_row(("target", t.status, t.indicator, t.target.text, o.text if o else "",
                                    _exact(t.target.value), _exact(o.value) if o else "", t.target.unit,
                                    t.target.locator, o.locator if o else "", t.target.quote, o.quote if o else "")))
    for task in tr.tasks:
        w.writerow(spreadsheet_row(("task", task.status, task.title, "", "", "", "", "", task.locator, "", "", "")))
        for e in task.evidence:
            w.writerow(spreadsheet_row(("evidence", task.status, task.title, "", "", "", "", "", task.locator,
                                        e.locator, e.task_quote, e.quote)))
    return out.getvalue()


def render_track(tr: Track, format: str = "terminal", *, lang: str = "zh") -> str:
    """The track in ``format`` (one of ``FORMATS``)."""
    if format == "json":
        return render_json(tr)
    if format == "csv":
        return render_csv(tr)
    if format == "html":
        return render_html(tr, lang)
    return "\n".join(terminal_lines(tr, lang)).rstrip("\n") + "\n"


__all__ = ["FORMATS", "TARGET_STATUSES", "html_section", "render_track", "terminal_lines", "to_dict"]
