"""A timeline in the terminal: a matrix of lineages by year, the target series, and phrase counts.

Plain characters carry the meaning (● present, ○ absent, ~ reworded …) so the view reads without colour
and survives copying into an e-mail; columns are two cells wide, the year written as its last two digits
over the column, with the full range in the heading.
"""

from __future__ import annotations

from rich.cells import cell_len

from ..timeline_model import Lineage, Phrase, Timeline
from .labels import TRACK_WORDS
from .safe import visible

SYMBOLS = {"present": "●", "unchanged": "●", "reworded": "~", "moved": "→", "added": "+", "split": "<",
           "merged": ">", "condensed": ">", "returned": "↩", "absent": "○"}
GAP = "·"
LEGEND = {"zh": "● 存在  ~ 修改  → 移动  + 新增  < 拆分  > 合并  ↩ 恢复  ○ 不在  · 缺年份",
          "en": "● present  ~ reworded  → moved  + added  < split  > merged  ↩ returned  ○ absent  · no document"}
NAME_WIDTH = 28
"""Cells of the row name before the matrix: a typical run-in title (12–14 characters) fits."""
MAX_CELL_COUNT = 99
"""Counts are shown in two cells; a phrase used more than 99 times in a year shows 99."""
MAX_PHRASE_ROWS = 60
"""Phrases shown in the terminal (all are in JSON/CSV): asked-for terms first, then the most frequent."""
WORDS = {"zh": {"lineages": "措施沿革", "targets": "目标序列", "phrases": "提法出现次数", "years": "年份",
                "gaps": "缺", "documents": "份文件", "outcome": "（实际）"},
         "en": {"lineages": "Measures over time", "targets": "Targets over time", "phrases": "Phrases per year",
                "years": "years", "gaps": "missing", "documents": "documents", "outcome": " (outcome)"}}


def _fit(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            return out + "…" + " " * (width - cell_len(out) - 1)
        out += ch
    return out + " " * (width - cell_len(out))


def _header(tl: Timeline) -> str:
    cells = []
    for first, _last, gap in tl.columns():
        cells.append(GAP + " " if gap else f"{first % 100:02d}")
    return " " * NAME_WIDTH + " ".join(cells)


def _lineage_row(tl: Timeline, lin: Lineage) -> str:
    cells = []
    for first, _last, gap in tl.columns():
        cells.append(GAP + " " if gap else SYMBOLS.get(lin.state(first), "?") + " ")
    last = next((e for e in reversed(lin.events) if e.node_id is not None and e.into is None), lin.events[0])
    return _fit(f"{last.label}{last.title}", NAME_WIDTH) + " ".join(cells).rstrip()


def _phrase_row(tl: Timeline, p: Phrase) -> str:
    cells = []
    for first, _last, gap in tl.columns():
        n = 0 if gap else p.count(first)
        cells.append(GAP + " " if gap else (f"{n:>2}" if n <= MAX_CELL_COUNT else str(MAX_CELL_COUNT)))
    return _fit(p.text, NAME_WIDTH) + " ".join(c if c.strip() != "0" else " ○" for c in cells).rstrip()


def render_timeline(tl: Timeline, *, lang: str = "zh") -> str:
    """The whole view as text."""
    w = WORDS[lang]
    lines = []
    if tl.documents:
        gaps = f"; {w['gaps']} {', '.join(map(str, tl.gaps))}" if tl.gaps else ""
        span = str(tl.years[0]) if len(tl.years) == 1 else f"{tl.years[0]}–{tl.years[-1]}"
        lines.append(f"{span}: {len(tl.documents)} {w['documents']}{gaps}")
    lines += ["", f"{w['lineages']} ({len(tl.lineages)})", LEGEND[lang], _header(tl)]
    lines += [_lineage_row(tl, lin) for lin in tl.lineages]
    lines += ["", f"{w['targets']} ({len(tl.series)})"]
    for s in tl.series:
        pts = "  ".join(f"{p.year} {p.text}" for p in s.points)
        lines.append(f"{s.subject}{w['outcome'] if s.kind == 'outcome' else ''}: {pts}")
    if tl.tracked:
        tw = TRACK_WORDS[lang]
        lines += ["", f"{tw['targets']} ({len(tl.tracked)})"]
        for ts in tl.tracked:
            lines.append(f"{ts.subject}:")
            lines += [f"  {p.year} {tw['target']} {p.target.text} → {p.year + 1} {tw['outcome']} "
                      f"{p.outcome.text if p.outcome else '—'}  {tw[p.status]}" for p in ts.points]
    asked = [p for p in tl.phrases if p.kind == "term"]
    others = sorted((p for p in tl.phrases if p.kind != "term" and len(p.counts) > 1),
                    key=lambda p: (-len(p.counts), p.first or 0))
    shown = (asked + others)[:max(MAX_PHRASE_ROWS, len(asked))]
    lines += ["", f"{w['phrases']} ({len(shown)}/{len(tl.phrases)})", _header(tl)]
    lines += [_phrase_row(tl, p) for p in shown]
    return visible("\n".join(lines)) + "\n"  # document text with its control characters made visible
