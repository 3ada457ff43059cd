"""Terminal rendering: a summary table, then the changes grouped under their headings.

Colour comes from rich (red struck deletions, green underlined insertions), but every change also
carries a symbol (``+ - ~ < > →``) so that the output reads in black and white and in a pipe, where no
ANSI codes are written unless ``--color always``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

import tabulate as tabulate_module
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from tabulate import tabulate

from ..model import Change, CommitmentChange, Comparison, Document, Node, summarize
from .common import View, doc_name, heading, highlights
from .labels import COUNT_KINDS, KIND_LABELS, REASONS, SYMBOLS, WORDS, part_name
from .safe import visible

STYLE_DEL = "red strike"
STYLE_INS = "green underline"


def render_comparison(cmp: Comparison, *, lang: str = "zh", changes_only: bool = False, width: int = 100,
                      color: bool = False, summary: bool = False) -> str:
    """The comparison as terminal text; ANSI colour codes only when ``color`` is true.

    ``summary`` prints only the highlights (new and dropped commitments, changed targets, new phrases):
    the one screen a reader looks at first."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, emoji=False,
                      soft_wrap=False, legacy_windows=False)
    v = View(cmp, lang)
    w = v.w

    def say(line: Text) -> None:
        for piece in wrap(line, width):
            console.print(piece, soft_wrap=True)

    console.print(Text(f"{doc_name(v.cmp.old)}  →  {doc_name(v.cmp.new)}", style="bold"))
    for field, a, b in v.cmp.metadata_changes:
        say(Text(f"{field}: {a or '—'} → {b or '—'}"))
    console.print()
    if summary:
        _highlights(v, say, console)
        return _rstrip_lines(out.getvalue())
    console.print(Text(w["summary"], style="bold"))
    console.print(summary_table(v.cmp, lang), markup=False, highlight=False)
    _facts(v, say, console)
    console.print()
    for change, depth in _ordered(v.cmp.changes):
        if changes_only and change.kind == "unchanged" and not change.moved \
                and change.level not in ("part", "section"):
            continue  # headings stay, so that every change reads under its part and section
        for line in _change_lines(v, change, depth):
            say(line)
    return _rstrip_lines(out.getvalue())


def _highlights(v: View, say: Callable[[Text], None], console: Console) -> None:
    w = v.w
    h = highlights(v)
    console.print(Text(w["highlights"], style="bold"))
    for key, items, sym, style in (("added", h.added, "+", STYLE_INS), ("removed", h.removed, "-", STYLE_DEL)):
        if items:
            console.print(Text(f"{w['hl_' + key]} ({h.totals[key]})", style="bold"))
            for x in items:
                line = Text(f"  {sym} {x.where}  ")
                line.append(x.text, style=style)
                say(line)
            if h.totals[key] > len(items):
                console.print(Text("    " + w["more"].format(n=h.totals[key] - len(items)), style="dim"))
    if h.numbers:
        console.print(Text(f"{w['hl_numbers']} ({h.totals['numbers']})", style="bold"))
        for x in h.numbers:
            line = Text(f"  # {x.where}  {x.text}: ")
            line.append(x.old, style=STYLE_DEL)
            line.append(" → ")
            line.append(x.new, style=STYLE_INS)
            say(line)
    if h.terms:
        console.print(Text(f"{w['hl_terms']} ({h.totals['terms']})", style="bold"))
        say(Text("  " + "  ".join(t.text for t in h.terms), style=STYLE_INS))
    if not h.count():
        console.print(Text("  " + w["none"]))


def _facts(v: View, say: Callable[[Text], None], console: Console) -> None:
    """数字变化, numbers unchanged, 新提法 (added and dropped) and 力度变化."""
    w = v.w
    numbers = [(c, n) for c in v.cmp.changes for n in c.numbers]
    if numbers:
        console.print()
        console.print(Text(f"{w['numbers']} ({len(numbers)})", style="bold"))
        for c, n in numbers:
            line = Text(f"  {v.where(c)}  {n.subject}: ")
            line.append(n.old or "—", style=STYLE_DEL)
            line.append(" → ")
            line.append(n.new or "—", style=STYLE_INS)
            say(line)
    if v.cmp.numbers_unchanged:
        console.print()
        console.print(Text(f"{w['numbers_unchanged']} ({len(v.cmp.numbers_unchanged)})", style="bold"))
        say(Text("  " + "  ".join(f"{n.subject}: {n.new or n.old or '—'}" for n in v.cmp.numbers_unchanged)))
    for key, items, sym, style in (("terms_added", v.cmp.terms.added, "+", STYLE_INS),
                                   ("terms_removed", v.cmp.terms.removed, "-", STYLE_DEL)):
        if items:
            console.print()
            console.print(Text(f"{w[key]} ({len(items)})", style="bold"))
            say(Text("  " + "  ".join(f"{sym}{t.text}" for t in items), style=style))
    if v.cmp.strength:
        console.print()
        console.print(Text(f"{w['strength']} ({len(v.cmp.strength)})", style="bold"))
        for s in v.cmp.strength:
            line = Text(f"  {v.node_loc(s.old_id, 'old')} → {v.node_loc(s.new_id, 'new')}  [{w[s.direction]}] ")
            line.append(s.old_words, style=STYLE_DEL)
            line.append(" → ")
            line.append(s.new_words, style=STYLE_INS)
            line.append(f"  {s.new_quote}", style="dim")
            say(line)


def summary_table(cmp: Comparison, lang: str) -> str:
    """Counts per kind, for the whole document and per top-level part, as a plain text table."""
    s = summarize(cmp)
    kinds = KIND_LABELS[lang]
    w = WORDS[lang]
    header = [w["part"], *[kinds[k] for k in COUNT_KINDS]]
    rows = [[w["whole"], *[s.total[k] for k in COUNT_KINDS]]]
    for part, counts in s.parts:
        rows.append([_clip_cells(part_name(part, lang), PART_CELLS), *[counts[k] for k in COUNT_KINDS]])
    # tabulate pads every header by two cells (MIN_PADDING), which makes the English table (long header
    # words) wrap at 100 columns; the padding is only for its own layout, so turn it off for this table
    saved, tabulate_module.MIN_PADDING = tabulate_module.MIN_PADDING, 0
    try:
        return tabulate(rows, headers=header, tablefmt="simple", disable_numparse=True)
    finally:
        tabulate_module.MIN_PADDING = saved


PART_CELLS = 30
"""Terminal cells of a part name in the summary table: with eight count columns the table then fits
100 columns, the default width, instead of wrapping its rule line."""


def _clip_cells(s: str, cells: int) -> str:
    """``s`` cut to at most ``cells`` terminal cells (CJK characters are two), with an ellipsis."""
    if cell_len(s) <= cells:
        return s
    out = ""
    for ch in s:
        if cell_len(out + ch) > cells - 1:
            break
        out += ch
    return out + "…"


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _ordered(changes: Iterable[Change]) -> Iterable[tuple[Change, int]]:
    for c in changes:
        node = (c.new or c.old)[0]
        yield c, node.id.count(".")


def _change_lines(v: View, c: Change, depth: int) -> list[Text]:
    kinds = KIND_LABELS[v.lang]
    w = v.w
    node = (c.new or c.old)[0]
    indent = "  " * depth
    head = Text(indent)
    sym = SYMBOLS[c.kind] + ("→" if c.moved else " ")
    style = {"added": "green", "removed": "red", "unchanged": "dim"}.get(c.kind, "yellow")
    head.append(sym + " ", style=style)
    tag = kinds[c.kind] + (f"·{kinds['moved']}" if c.moved else "")
    head.append(f"[{tag}] ", style=style)
    head.append(f"{v.where(c)}  ")
    head.append(heading(node, w), style="bold" if node.kind in ("part", "section") else "")
    lines = [head]
    pad = indent + "    "
    if c.moved:
        lines.append(Text(f"{pad}{w['moved_from']} {part_name(c.old_parent or '', v.lang)} "
                          f"{w['moved_to']} {part_name(c.new_parent or '', v.lang)}", style="cyan"))
    if c.kind in ("split", "merged", "condensed"):
        key = {"split": "split_into", "merged": "merged_from", "condensed": "condensed_from"}[c.kind]
        nodes, side = (c.new, "new") if c.kind == "split" else (c.old, "old")
        names = "; ".join(f"{v.node_loc(n.id, side)} {n.title or _clip(n.body, 20)}" for n in nodes)
        lines.append(Text(f"{pad}{w[key]} {names}", style="cyan"))
    if c.kind == "condensed":  # which old sentences the summary keeps: the reason for the pairing
        for lo, ot, ln, nt, score in v.evidence(c):
            lines.append(Text(f"{pad}≈ {lo} {_clip(ot, 30)} → {ln} {_clip(nt, 30)} ({score:.2f})", style="dim"))
    if c.nearest is not None and c.kind in ("added", "removed"):
        nb = c.nearest
        where = v.node_loc(nb.id, "old" if c.kind == "added" else "new") if nb.id else nb.label
        lines.append(Text(f"{pad}{w['nearest']}: {where} {nb.title} ({w['similarity']} {nb.similarity:.2f}; "
                          f"{REASONS[v.lang].get(nb.reason, nb.reason)})", style="dim"))
    if c.kind not in ("added", "removed", "unchanged"):
        same = 0
        if not c.commitments and c.inline:  # a node without sentences (a metadata block): its inline diff
            lines.append(_commitment_line(v, CommitmentChange("reworded", None, None, c.inline), pad))
        for cc in c.commitments:
            if cc.kind == "unchanged":
                same += 1
                continue
            lines.append(_commitment_line(v, cc, pad))
        if same:
            lines.append(Text(pad + "= " + w["unchanged_n"].format(n=same), style="dim"))
        for n in c.numbers:
            lines.append(Text(f"{pad}# {n.subject}: {n.old or '—'} → {n.new or '—'}", style="magenta"))
    return lines


def _commitment_line(v: View, cc: CommitmentChange, pad: str) -> Text:
    """One changed sentence: ``+`` added, ``-`` removed, ``~`` reworded with ``[-…-]{+…+}``; a merged or split
    piece shows only its own side, since the sentence it joined is on the line above."""
    w = v.w
    t = Text(f"{pad}{SYMBOLS[cc.kind]} ")
    if cc.kind == "added":
        t.append(cc.new.text if cc.new else "", style=STYLE_INS)
        if cc.moved_from:
            t.append(f"  ({w['came_from']} {v.node_loc(cc.moved_from, 'old')})", style="cyan")
        return t
    if cc.kind == "removed":
        t.append(cc.old.text if cc.old else "", style=STYLE_DEL)
        if cc.moved_to:
            t.append(f"  ({w['went_to']} {v.node_loc(cc.moved_to, 'new')})", style="cyan")
        return t
    for op, text in cc.inline:
        if op == "=":
            t.append(text)
        elif op == "-" and cc.kind != "split":
            t.append("[-" + text + "-]", style=STYLE_DEL)
        elif op == "+" and cc.kind != "merged":
            t.append("{+" + text + "+}", style=STYLE_INS)
    if cc.kind in ("merged", "split"):
        t.append("  " + w["merged_piece" if cc.kind == "merged" else "split_piece"], style="dim")
    return t


def wrap(line: Text, width: int) -> list[Text]:
    """Fold a line at ``width`` terminal cells, continuing under its first character after the indent.

    rich wraps at spaces, which Chinese text does not have; this folds between any two characters,
    counting CJK characters as two cells.
    """
    plain = line.plain
    indent = len(plain) - len(plain.lstrip(" "))
    hang = min(indent + 4, width // 2)
    cuts: list[int] = []
    used = 0
    limit = width
    for i, ch in enumerate(plain):
        w = cell_len(ch)
        if used + w > limit and i > 0:
            cuts.append(i)
            used = hang
            limit = width
        used += w
    if not cuts:
        return [line]
    pieces = line.divide(cuts)
    return [pieces[0], *[Text(" " * hang) + p for p in pieces[1:]]]


def _rstrip_lines(s: str) -> str:
    return "\n".join(line.rstrip() for line in s.split("\n")).rstrip("\n") + "\n"


def render_document(doc: Document, *, width: int = 100) -> str:
    """The section tree as an indented outline: kind, anatomy role, label, title, size.

    The role (``docs/anatomy.md``) is printed on top-level nodes and wherever a node's role differs from
    its parent's: a child inherits its part's role, so repeating it on every line would hide the places
    where the anatomy changes inside a part (a guidance lead-in of a task part, the closing call)."""
    rows: list[str] = [f"{doc.title or doc.path}  ({len(doc.text)} chars, {doc.source_format})"]
    for k, v in doc.metadata.items():
        rows.append(f"  {k}: {v}")
    parent_role: dict[str, str | None] = {}

    def walk(node: Node, inherited: str | None) -> None:
        for child in node.children:
            parent_role[child.id] = inherited
            walk(child, child.role)

    walk(doc.root, None)
    for n in doc.nodes():
        depth = n.id.count(".")
        kind = n.front_role if n.kind == "front" and n.front_role else n.kind
        shown = n.role if n.role and (depth == 0 or n.role != parent_role.get(n.id)) else ""
        text = n.title or n.body
        room = max(10, width - 2 * depth - 43)
        rows.append(f"{'  ' * depth}{n.id:<8} {kind:<9} {shown:<10} {n.label:<5} {_clip(text, room)}  "
                    f"[{n.span[1] - n.span[0]}]")
    for warning in doc.warnings:
        rows.append(f"warning: {warning}")
    return visible("\n".join(rows)) + "\n"  # document text shown with its control characters made visible
