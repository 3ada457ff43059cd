"""Terminal rendering: a summary table, then the changes grouped under their headings.

Colour comes from rich (red struck deletions, green underlined insertions), but every change also
carries a symbol (``+ - ~ < > →``) so that the output reads in black and white and in a pipe, where no
ANSI codes are written unless ``--color always``.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text
from tabulate import tabulate

from ..model import Change, Comparison, Document, Node
from .json import summary
from .labels import COUNT_KINDS, KIND_LABELS, SYMBOLS, WORDS

STYLE_DEL = "red strike"
STYLE_INS = "green underline"


def render_comparison(cmp: Comparison, *, lang: str = "zh", changes_only: bool = False, width: int = 100,
                      color: bool = False) -> str:
    """The comparison as terminal text; ANSI colour codes only when ``color`` is true."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system="standard" if color else None,
                      force_terminal=color, no_color=not color, highlight=False, emoji=False,
                      soft_wrap=False, legacy_windows=False)
    w = WORDS[lang]
    console.print(Text(f"{cmp.old.title or cmp.old.path}  →  {cmp.new.title or cmp.new.path}", style="bold"))
    for field, a, b in cmp.metadata_changes:
        console.print(Text(f"{field}: {a or '—'} → {b or '—'}"))
    console.print()
    console.print(Text(w["summary"], style="bold"))
    console.print(summary_table(cmp, lang), markup=False, highlight=False)
    numbers = [(c, n) for c in cmp.changes for n in c.numbers]
    if numbers:
        console.print()
        console.print(Text(w["numbers"], style="bold"))
        for c, n in numbers:
            line = Text(f"  {_where(c)}  {n.subject}: ")
            line.append(n.old or "—", style=STYLE_DEL)
            line.append(" → ")
            line.append(n.new or "—", style=STYLE_INS)
            console.print(line)
    for key, items, sym, style in (("terms_added", cmp.terms.added, "+", STYLE_INS),
                                   ("terms_removed", cmp.terms.removed, "-", STYLE_DEL)):
        if items:
            console.print()
            console.print(Text(f"{w[key]} ({len(items)})", style="bold"))
            console.print(Text("  " + "  ".join(f"{sym}{t.text}" for t in items), style=style))
    console.print()
    for change, depth in _ordered(cmp.changes):
        if changes_only and change.kind == "unchanged" and not change.moved \
                and change.level not in ("part", "section"):
            continue  # headings stay, so that every change reads under its part and section
        for line in _change_lines(change, depth, lang):
            for piece in wrap(line, width):
                console.print(piece, soft_wrap=True)
    return _rstrip_lines(out.getvalue())


def summary_table(cmp: Comparison, lang: str) -> str:
    """Counts per kind, for the whole document and per top-level part, as a plain text table."""
    s = summary(cmp)
    kinds = KIND_LABELS[lang]
    w = WORDS[lang]
    header = [w["part"], *[kinds[k] for k in COUNT_KINDS]]
    rows = [[w["whole"], *[s["total"][k] for k in COUNT_KINDS]]]
    for p in s["parts"]:
        name = p["part"] if p["part"] != "前言" else w["front"]
        rows.append([_clip(name, 24), *[p["counts"][k] for k in COUNT_KINDS]])
    return tabulate(rows, headers=header, tablefmt="simple", disable_numparse=True)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def _ordered(changes: Iterable[Change]) -> Iterable[tuple[Change, int]]:
    for c in changes:
        node = (c.new or c.old)[0]
        yield c, node.id.count(".")


def _label(nodes: tuple[Node, ...]) -> str:
    return "+".join(n.label or "¶" for n in nodes) if nodes else "∅"


def _where(c: Change) -> str:
    return f"{_label(c.old)} → {_label(c.new)}"


def _change_lines(c: Change, depth: int, lang: str) -> list[Text]:
    kinds = KIND_LABELS[lang]
    w = WORDS[lang]
    node = (c.new or c.old)[0]
    indent = "  " * depth
    head = Text(indent)
    sym = SYMBOLS[c.kind] + ("→" if c.moved else " ")
    style = {"added": "green", "removed": "red", "unchanged": "dim"}.get(c.kind, "yellow")
    head.append(sym + " ", style=style)
    tag = kinds[c.kind] + (f"·{kinds['moved']}" if c.moved else "")
    head.append(f"[{tag}] ", style=style)
    head.append(f"{_where(c)}  ")
    heading = node.title or node.body[:40] + ("…" if len(node.body) > 40 else "")
    head.append(heading, style="bold" if node.kind in ("part", "section") else "")
    lines = [head]
    if c.moved:
        lines.append(Text(f"{indent}    {w['moved_from']} {c.old_parent or w['front']} "
                          f"{w['moved_to']} {c.new_parent or w['front']}", style="cyan"))
    if c.kind == "split":
        lines.append(Text(f"{indent}    {w['split_into']} {', '.join(n.label or n.title[:12] or n.id for n in c.new)}",
                          style="cyan"))
    if c.kind == "merged":
        lines.append(Text(f"{indent}    {w['merged_from']} {', '.join(n.label or n.title[:12] or n.id for n in c.old)}",
                          style="cyan"))
    if c.kind in ("reworded", "split", "merged"):
        for cc in c.commitments:
            if cc.kind == "unchanged":
                continue
            t = Text(f"{indent}    {SYMBOLS[cc.kind]} ")
            if cc.kind == "added":
                t.append(cc.new.text if cc.new else "", style=STYLE_INS)
            elif cc.kind == "removed":
                t.append(cc.old.text if cc.old else "", style=STYLE_DEL)
            else:
                for op, text in cc.inline:
                    if op == "=":
                        t.append(text)
                    elif op == "-":
                        t.append("[-" + text + "-]", style=STYLE_DEL)
                    else:
                        t.append("{+" + text + "+}", style=STYLE_INS)
            lines.append(t)
        for n in c.numbers:
            lines.append(Text(f"{indent}    # {n.subject}: {n.old or '—'} → {n.new or '—'}", style="magenta"))
    return lines


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
    """The section tree as an indented outline: kind, label, title, size."""
    rows: list[str] = [f"{doc.title or doc.path}  ({len(doc.text)} chars, {doc.source_format})"]
    for k, v in doc.metadata.items():
        rows.append(f"  {k}: {v}")
    for n in doc.nodes():
        depth = n.id.count(".")
        kind = n.role if n.kind == "front" and n.role else n.kind
        text = n.title or n.body
        room = max(10, width - 2 * depth - 32)
        rows.append(f"{'  ' * depth}{n.id:<8} {kind:<9} {n.label:<5} {_clip(text, room)}  "
                    f"[{n.span[1] - n.span[0]}]")
    for warning in doc.warnings:
        rows.append(f"warning: {warning}")
    return "\n".join(rows) + "\n"
