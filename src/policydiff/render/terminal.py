"""Terminal rendering: a summary table, then the changes grouped under their headings.

Colour is ANSI (red struck deletions, green underlined insertions), but every change also carries a
symbol (``+ - ~ < > →``) so that the output reads in black and white and in a pipe, where no ANSI codes
are written unless ``--color always``.

The report is built from plain strings: a line is a list of (text, style) pieces, folded at the width
with cell widths from a table (``cells``); styles become escape codes only when colour is on. rich did
the same through its console at ~90 ms for a 2021 → 2022 report, most of it per-character width calls;
this writes the same text (the golden files did not change) in a few milliseconds, and the terminal
path imports neither rich nor tabulate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ..model import (
    Added,
    Change,
    ChangeKind,
    CommitmentChange,
    Comparison,
    Condensed,
    Document,
    Merged,
    Node,
    NodeIndex,
    Removed,
    Reworded,
    Split,
    Unchanged,
    assert_never,
    is_changed,
    summarize,
)
from .cells import cell_len, chop, expand_tabs, fold_points
from .common import View, doc_name, heading, highlights
from .labels import COUNT_KINDS, KIND_LABELS, REASONS, SYMBOLS, WORDS, part_name
from .safe import visible

if TYPE_CHECKING:
    from ..track_model import Track

STYLE_DEL = "red strike"
STYLE_INS = "green underline"
CHANGE_STYLES: dict[ChangeKind, str] = {"unchanged": "dim", "reworded": "yellow", "split": "yellow", "merged": "yellow",
                                        "condensed": "yellow", "added": "green", "removed": "red"}
"""Colour of a change's head line: green and red as in any diff, the pairings that changed in yellow, the
unchanged dimmed. One entry per kind, no default, so a new kind cannot fall through silently (the tests
check every table keyed by kind covers ``CHANGE_KINDS``)."""

_SGR = {"bold": "1", "dim": "2", "underline": "4", "strike": "9", "red": "31", "green": "32", "yellow": "33",
        "magenta": "35", "cyan": "36"}
"""Style words → ANSI SGR parameters: the eight standard colours every terminal has, attributes first
(as rich wrote them, so a coloured report looks as before)."""


class Line:
    """One line of the report: pieces of text, each with a style (space-separated words of ``_SGR``)."""

    __slots__ = ("pieces",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.pieces: list[tuple[str, str]] = [(text, style)] if text else []

    def append(self, text: str, style: str = "") -> None:
        if text:
            self.pieces.append((text, style))

    @property
    def plain(self) -> str:
        return "".join(t for t, _ in self.pieces)

    def divide(self, cuts: list[int]) -> list[Line]:
        """The line cut at the (ascending) character offsets ``cuts``, each piece keeping its style."""
        lines = [Line()]
        k = pos = 0
        for text, style in self.pieces:
            start = 0
            while k < len(cuts) and cuts[k] < pos + len(text):
                offset = cuts[k] - pos
                if offset > start:
                    lines[-1].pieces.append((text[start:offset], style))
                lines.append(Line())
                start = offset
                k += 1
            if start < len(text):
                lines[-1].pieces.append((text[start:], style))
            pos += len(text)
        lines.extend(Line() for _ in cuts[k:])
        return lines

    def expand_tabs(self) -> None:
        """Tabs as spaces up to the next multiple of eight cells, counted over the whole line."""
        position = 0
        for k, (text, style) in enumerate(self.pieces):
            if "\t" in text:
                text = expand_tabs(text, start=position)
                self.pieces[k] = (text, style)
            position += cell_len(text)

    def crop_spaces(self, size: int) -> None:
        """Drop trailing spaces past ``size`` characters (a folded line's last space stays out of its style)."""
        plain = self.plain
        excess = min(len(plain) - size, len(plain) - len(plain.rstrip()))
        while excess > 0 and self.pieces:
            text, style = self.pieces[-1]
            keep = max(0, len(text) - excess)
            excess -= len(text) - keep
            if keep:
                self.pieces[-1] = (text[:keep], style)
            else:
                self.pieces.pop()

    def ansi(self, color: bool) -> str:
        """The line as terminal text: escape codes around styled pieces only when ``color``."""
        if not color:
            return "".join(t for t, _ in self.pieces)
        return "".join(f"\x1b[{_codes(style)}m{text}\x1b[0m" if style else text for text, style in self.pieces)


def _codes(style: str) -> str:
    words = style.split()
    return ";".join(_SGR[w] for w in _SGR if w in words)


_WORD = re.compile(r"\s*\S+\s*")


def _word_folds(text: str, width: int) -> list[int]:
    """Where a line folds when it is wrapped at spaces (rich's ``divide_line``: headings and the table)."""
    breaks: list[int] = []
    offset = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group()
        word_cells = cell_len(word.rstrip())
        if width - offset >= word_cells:
            offset += cell_len(word)
        elif word_cells > width:  # longer than a line: folded between characters
            pieces = chop(word, width)
            for k, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if k == len(pieces) - 1:
                    offset = cell_len(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = cell_len(word)
    return breaks


class _Out:
    """The report being written: ``say`` folds between any two characters (document text), ``print``
    at spaces (headings, the summary table)."""

    def __init__(self, width: int, color: bool) -> None:
        self.width = width
        self.color = color
        self.lines: list[str] = []

    def _emit(self, line: Line) -> None:
        if any("\t" in t for t, _ in line.pieces):
            line.expand_tabs()
        self.lines.append(line.ansi(self.color))

    def say(self, line: Line) -> None:
        for piece in wrap(line, self.width):
            self._emit(piece)

    def print(self, line: Line | str = "") -> None:
        if isinstance(line, str):
            line = Line(line)
        for row in _split_rows(line):
            plain = row.plain
            if "\t" in plain:  # rich expanded tabs before wrapping these lines
                row.expand_tabs()
                plain = row.plain
            for piece in row.divide(_word_folds(plain, self.width)):
                piece.crop_spaces(self.width)
                self._emit(piece)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines).rstrip("\n") + "\n"


def _split_rows(line: Line) -> list[Line]:
    """A line holding line feeds (the summary table) as one line per row."""
    if not any("\n" in t for t, _ in line.pieces):
        return [line]
    rows = [Line()]
    for text, style in line.pieces:
        for k, part in enumerate(text.split("\n")):
            if k:
                rows.append(Line())
            rows[-1].append(part, style)
    return rows


def render_comparison(cmp: Comparison, *, lang: str = "zh", changes_only: bool = False, width: int = 100,
                      color: bool = False, summary: bool = False, track: Track | None = None) -> str:
    """The comparison as terminal text; ANSI colour codes only when ``color`` is true.

    ``summary`` prints only the highlights (new and dropped commitments, changed targets, new phrases):
    the one screen a reader looks at first. ``track`` (``policydiff diff --track``) adds the section of
    last year's targets and tasks against this year's review after the highlights or the facts."""
    out = _Out(width, color)
    v = View(cmp, lang)
    w = v.w
    say = out.say

    out.print(Line(f"{doc_name(v.cmp.old)}  →  {doc_name(v.cmp.new)}", "bold"))
    for field, a, b in v.cmp.metadata_changes:
        say(Line(f"{field}: {a or '—'} → {b or '—'}"))
    out.print()
    if summary:
        _highlights(v, say, out)
        _track(track, lang, out)
        return out.text()
    out.print(Line(w["summary"], "bold"))
    out.print(summary_table(v.cmp, lang))
    _facts(v, say, out)
    _track(track, lang, out)
    out.print()
    for change, depth in _ordered(v.cmp.changes):
        if changes_only and not is_changed(change) \
                and change.level not in ("part", "section"):
            continue  # headings stay, so that every change reads under its part and section
        for line in _change_lines(v, change, depth):
            say(line)
    return out.text()


def _track(track: Track | None, lang: str, out: _Out) -> None:
    """The ``--track`` section (``render/track.py``), lines as they are: a table must not be re-folded."""
    if track is None:
        return
    from .track import terminal_lines

    out.print()
    lines = terminal_lines(track, lang)
    out.print(Line(lines[0], "bold"))
    out.lines.extend(lines[1:])


def _highlights(v: View, say: Callable[[Line], None], console: _Out) -> None:
    w = v.w
    h = highlights(v)
    console.print(Line(w["highlights"], "bold"))
    for key, items, sym, style in (("added", h.added, "+", STYLE_INS), ("removed", h.removed, "-", STYLE_DEL)):
        if items:
            console.print(Line(f"{w['hl_' + key]} ({h.totals[key]})", "bold"))
            for x in items:
                line = Line(f"  {sym} {x.where}  ")
                line.append(x.text, style)
                say(line)
            if h.totals[key] > len(items):
                console.print(Line("    " + w["more"].format(n=h.totals[key] - len(items)), "dim"))
    if h.numbers:
        console.print(Line(f"{w['hl_numbers']} ({h.totals['numbers']})", "bold"))
        for x in h.numbers:
            line = Line(f"  # {x.where}  {x.text}: ")
            line.append(x.old, STYLE_DEL)
            line.append(" → ")
            line.append(x.new, STYLE_INS)
            say(line)
    if h.terms:
        console.print(Line(f"{w['hl_terms']} ({h.totals['terms']})", "bold"))
        say(Line("  " + "  ".join(t.text for t in h.terms), STYLE_INS))
    if not h.count():
        console.print(Line("  " + w["none"]))


def _facts(v: View, say: Callable[[Line], None], console: _Out) -> None:
    """数字变化, numbers unchanged, 新提法 (added and dropped) and 力度变化."""
    w = v.w
    numbers = [(c, n) for c in v.cmp.changes for n in c.numbers]
    if numbers:
        console.print()
        console.print(Line(f"{w['numbers']} ({len(numbers)})", "bold"))
        for c, n in numbers:
            line = Line(f"  {v.where(c)}  {n.subject}: ")
            line.append(n.old or "—", STYLE_DEL)
            line.append(" → ")
            line.append(n.new or "—", STYLE_INS)
            say(line)
    if v.cmp.numbers_unchanged:
        console.print()
        console.print(Line(f"{w['numbers_unchanged']} ({len(v.cmp.numbers_unchanged)})", "bold"))
        say(Line("  " + "  ".join(f"{n.subject}: {n.new or n.old or '—'}" for n in v.cmp.numbers_unchanged)))
    for key, items, sym, style in (("terms_added", v.cmp.terms.added, "+", STYLE_INS),
                                   ("terms_removed", v.cmp.terms.removed, "-", STYLE_DEL)):
        if items:
            console.print()
            console.print(Line(f"{w[key]} ({len(items)})", "bold"))
            say(Line("  " + "  ".join(f"{sym}{t.text}" for t in items), style))
    if v.cmp.strength:
        console.print()
        console.print(Line(f"{w['strength']} ({len(v.cmp.strength)})", "bold"))
        for s in v.cmp.strength:
            line = Line(f"  {v.node_loc(s.old_id, 'old')} → {v.node_loc(s.new_id, 'new')}  [{w[s.direction]}] ")
            line.append(s.old_words, STYLE_DEL)
            line.append(" → ")
            line.append(s.new_words, STYLE_INS)
            line.append(f"  {s.new_quote}", "dim")
            say(line)


def summary_table(cmp: Comparison, lang: str) -> str:
    """Counts per kind, for the whole document and per top-level part, as a plain text table."""
    s = summarize(cmp)
    kinds = KIND_LABELS[lang]
    w = WORDS[lang]
    header = [w["part"], *[kinds[k] for k in COUNT_KINDS]]
    rows = [header, [w["whole"], *[str(s.total[k]) for k in COUNT_KINDS]]]
    for part, counts in s.parts:
        rows.append([_clip_cells(part_name(part, lang), PART_CELLS), *[str(counts[k]) for k in COUNT_KINDS]])
    return _simple_table(rows)


def _simple_table(rows: list[list[str]]) -> str:
    """Rows as a plain table: a header, a rule of dashes, columns left-aligned and two spaces apart
    (what ``tabulate(tablefmt="simple")`` wrote, without its padding, which made the English table wrap)."""
    cells = [[x.strip() for x in row] for row in rows]
    widths = [max(cell_len(row[k]) for row in cells) for k in range(len(cells[0]))]

    def line(row: list[str]) -> str:
        return "  ".join(x + " " * (n - cell_len(x)) for x, n in zip(row, widths, strict=True))

    return "\n".join([line(cells[0]), "  ".join("-" * n for n in widths), *(line(row) for row in cells[1:])])


PART_CELLS = 30
"""Terminal cells of a part name in the summary table: with eight count columns the table then fits
100 columns, the default width, instead of wrapping its rule line."""


def _clip_cells(s: str, cells: int) -> str:
    """``s`` cut to at most ``cells`` terminal cells (CJK characters are two), with an ellipsis."""
    if cell_len(s) <= cells:
        return s
    cut = fold_points(s, cells - 1, 0)
    return s[:cut[0]] + "…"


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _ordered(changes: Iterable[Change]) -> Iterable[tuple[Change, int]]:
    for c in changes:
        node = (c.new or c.old)[0]
        yield c, node.id.count(".")


def _change_lines(v: View, c: Change, depth: int) -> list[Line]:
    kinds = KIND_LABELS[v.lang]
    w = v.w
    node = (c.new or c.old)[0]
    indent = "  " * depth
    head = Line(indent)
    sym = SYMBOLS[c.kind] + ("→" if c.moved else " ")
    style = CHANGE_STYLES[c.kind]
    head.append(sym + " ", style)
    tag = kinds[c.kind] + (f"·{kinds['moved']}" if c.moved else "")
    head.append(f"[{tag}] ", style)
    head.append(f"{v.where(c)}  ")
    head.append(heading(node, w), "bold" if node.kind in ("part", "section") else "")
    lines = [head]
    pad = indent + "    "
    if c.moved:
        lines.append(Line(f"{pad}{w['moved_from']} {part_name(c.old_parent or '', v.lang)} "
                          f"{w['moved_to']} {part_name(c.new_parent or '', v.lang)}", "cyan"))
    match c:
        case Unchanged():
            return lines
        case Added():
            return lines + _nearest_lines(v, c, "old", pad)
        case Removed():
            return lines + _nearest_lines(v, c, "new", pad)
        case Reworded():
            pass
        case Split():
            lines.append(_members_line(v, "split_into", c.new, "new", pad))
        case Merged():
            lines.append(_members_line(v, "merged_from", c.old, "old", pad))
        case Condensed():
            lines.append(_members_line(v, "condensed_from", c.old, "old", pad))
            # which old sentences the summary keeps: the reason for the pairing
            for lo, ot, ln, nt, score in v.evidence(c):
                lines.append(Line(f"{pad}≈ {lo} {_clip(ot, 30)} → {ln} {_clip(nt, 30)} ({score:.2f})", "dim"))
        case _:
            assert_never(c)
    same = 0
    if not c.commitments and c.inline:  # a node without sentences (a metadata block): its inline diff
        lines.append(_commitment_line(v, CommitmentChange("reworded", None, None, c.inline), pad))
    for cc in c.commitments:
        if cc.kind == "unchanged":
            same += 1
            continue
        lines.append(_commitment_line(v, cc, pad))
    if same:
        lines.append(Line(pad + "= " + w["unchanged_n"].format(n=same), "dim"))
    for n in c.numbers:
        lines.append(Line(f"{pad}# {n.subject}: {n.old or '—'} → {n.new or '—'}", "magenta"))
    return lines


def _members_line(v: View, key: str, nodes: tuple[Node, ...], side: str, pad: str) -> Line:
    """The nodes a split went into, or a merge or condensation came from."""
    names = "; ".join(f"{v.node_loc(n.id, side)} {n.title or _clip(n.body, 20)}" for n in nodes)
    return Line(f"{pad}{v.w[key]} {names}", "cyan")


def _nearest_lines(v: View, c: Added | Removed, side: str, pad: str) -> list[Line]:
    """The closest candidate of an unpaired node (on the other ``side``) and why it was not paired."""
    nb = c.nearest
    if nb is None:
        return []
    w = v.w
    where = v.node_loc(nb.id, side) if nb.id else nb.label
    return [Line(f"{pad}{w['nearest']}: {where} {nb.title} ({w['similarity']} {nb.similarity:.2f}; "
                 f"{REASONS[v.lang].get(nb.reason, nb.reason)})", "dim")]


def _commitment_line(v: View, cc: CommitmentChange, pad: str) -> Line:
    """One changed sentence: ``+`` added, ``-`` removed, ``~`` reworded with ``[-…-]{+…+}``; a merged or split
    piece shows only its own side, since the sentence it joined is on the line above."""
    w = v.w
    t = Line(f"{pad}{SYMBOLS[cc.kind]} ")
    kind = cc.kind
    hidden, note = "", ""  # the side of the inline diff not shown, and the note after the line
    match kind:
        case "added":
            t.append(cc.new.text if cc.new else "", STYLE_INS)
            if cc.moved_from:
                t.append(f"  ({w['came_from']} {v.node_loc(cc.moved_from, 'old')})", "cyan")
            return t
        case "removed":
            t.append(cc.old.text if cc.old else "", STYLE_DEL)
            if cc.moved_to:
                t.append(f"  ({w['went_to']} {v.node_loc(cc.moved_to, 'new')})", "cyan")
            return t
        case "merged":
            hidden, note = "+", w["merged_piece"]
        case "split":
            hidden, note = "-", w["split_piece"]
        case "unchanged" | "reworded" | "condensed":
            pass
        case _:
            assert_never(kind)
    for op, text in cc.inline:
        if op == "=":
            t.append(text)
        elif op == "-" and hidden != "-":
            t.append("[-" + text + "-]", STYLE_DEL)
        elif op == "+" and hidden != "+":
            t.append("{+" + text + "+}", STYLE_INS)
    if note:
        t.append("  " + note, "dim")
    return t


def wrap(line: Line, width: int) -> list[Line]:
    """Fold a line at ``width`` terminal cells, continuing under its first character after the indent.

    Chinese text has no spaces to wrap at, so this folds between any two characters, counting CJK
    characters as two cells.
    """
    plain = line.plain
    indent = len(plain) - len(plain.lstrip(" "))
    hang = min(indent + 4, width // 2)
    cuts = fold_points(plain, width, hang)
    if not cuts:
        return [line]
    pieces = line.divide(cuts)
    for piece in pieces[1:]:
        piece.pieces.insert(0, (" " * hang, ""))
    return pieces


def render_document(doc: Document, *, width: int = 100) -> str:
    """The section tree as an indented outline: kind, anatomy role, label, title, size.

    The role (``docs/anatomy.md``) is printed on top-level nodes and wherever a node's role differs from
    its parent's: a child inherits its part's role, so repeating it on every line would hide the places
    where the anatomy changes inside a part (a guidance lead-in of a task part, the closing call)."""
    rows: list[str] = [f"{doc.title or doc.path}  ({len(doc.text)} chars, {doc.source_format})"]
    for k, v in doc.metadata.items():
        rows.append(f"  {k}: {v}")
    parent = NodeIndex.of(doc).parent
    for n in doc.nodes():
        depth = n.id.count(".")
        kind = n.front_role if n.kind == "front" and n.front_role else n.kind
        up = parent[n.id]
        shown = n.role if n.role and (up is None or n.role != up.role) else ""
        text = n.title or n.body
        room = max(10, width - 2 * depth - 43)
        rows.append(f"{'  ' * depth}{n.id:<8} {kind:<9} {shown:<10} {n.label:<5} {_clip(text, room)}  "
                    f"[{n.span[1] - n.span[0]}]")
    for warning in doc.warnings:
        rows.append(f"warning: {warning}")
    return visible("\n".join(rows)) + "\n"  # document text shown with its control characters made visible
