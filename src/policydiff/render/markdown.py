"""Markdown: the summary and the changed measures, for pasting into an article or a wiki."""

from __future__ import annotations

from tabulate import tabulate

from ..model import Change, Comparison
from .json import summary
from .labels import COUNT_KINDS, KIND_LABELS, WORDS


def _inline(ops: tuple[tuple[str, str], ...]) -> str:
    out = []
    for op, text in ops:
        t = text.replace("|", "\\|").replace("*", "\\*").replace("~", "\\~")
        out.append(t if op == "=" else f"~~{t}~~" if op == "-" else f"**{t}**")
    return "".join(out)


def render_comparison(cmp: Comparison, *, lang: str = "zh", changes_only: bool = True) -> str:
    w, kinds = WORDS[lang], KIND_LABELS[lang]
    lines = [f"# {w['report']}: {cmp.old.title or cmp.old.path} → {cmp.new.title or cmp.new.path}", ""]
    for field, a, b in cmp.metadata_changes:
        lines.append(f"- {field}: {a or '—'} → {b or '—'}")
    if cmp.metadata_changes:
        lines.append("")
    s = summary(cmp)
    rows = [[w["whole"], *[s["total"][k] for k in COUNT_KINDS]]]
    rows += [[p["part"], *[p["counts"][k] for k in COUNT_KINDS]] for p in s["parts"]]
    lines += [f"## {w['summary']}", "", tabulate(rows, headers=[w["part"], *[kinds[k] for k in COUNT_KINDS]],
                                                 tablefmt="github", disable_numparse=True), ""]
    numbers = [(c, n) for c in cmp.changes for n in c.numbers]
    if numbers:
        lines += [f"## {w['numbers']}", "", f"| {w['subject']} | {w['old']} | {w['new']} |", "| --- | --- | --- |"]
        lines += [f"| {n.subject} | {n.old or '—'} | {n.new or '—'} |" for _, n in numbers]
        lines.append("")
    for key, items in (("terms_added", cmp.terms.added), ("terms_removed", cmp.terms.removed)):
        if items:
            lines += [f"## {w[key]}", "", "、".join(t.text for t in items), ""]
    lines += [f"## {w['changes']}", ""]
    for c in cmp.changes:
        if changes_only and c.kind == "unchanged" and not c.moved:
            continue
        lines += _change(c, lang)
    return "\n".join(lines).rstrip("\n") + "\n"


def _change(c: Change, lang: str) -> list[str]:
    kinds, w = KIND_LABELS[lang], WORDS[lang]
    node = (c.new or c.old)[0]
    where = f"{'+'.join(n.label or '¶' for n in c.old) or '∅'} → {'+'.join(n.label or '¶' for n in c.new) or '∅'}"
    tag = kinds[c.kind] + (f"·{kinds['moved']}" if c.moved else "")
    title = node.title or node.body[:40]
    out = [f"### {where} {title} ({tag})", ""]
    if c.moved:
        out += [f"*{w['moved_from']}* {c.old_parent or w['front']} *{w['moved_to']}* {c.new_parent or w['front']}", ""]
    if c.kind == "added":
        out += [f"> {_inline(((('+', n.text)),)) }" for n in c.new]
    elif c.kind == "removed":
        out += [f"> {_inline(((('-', n.text)),)) }" for n in c.old]
    else:
        for cc in c.commitments:
            if cc.kind != "unchanged":
                out.append(f"- {_inline(cc.inline)}")
        for n in c.numbers:
            out.append(f"- {n.subject}: {n.old or '—'} → {n.new or '—'}")
    out.append("")
    return out
