"""Two documents → the Comparison model.

This stage turns the alignment's groups into ``Change`` values: it names the kind (unchanged,
reworded, split, merged, added, removed), flags moves, runs the commitment, inline and number diffs on
each pair, collects document-level term and metadata changes, and orders everything as the new
document reads (removed nodes after the counterpart of their old predecessor).
"""

from __future__ import annotations

import attrs

from .align import AlignOptions, Group, align
from .model import (
    Change,
    ChangeKind,
    CommitmentChange,
    Comparison,
    Document,
    Node,
    NodeKind,
    NumberChange,
    StrengthShift,
    Terms,
)
from .numbers import pair_numbers
from .strength import strength_shifts
from .terms import term_changes
from .text import normalize
from .textdiff import align_sentences, inline_diff, join_inline


@attrs.frozen
class CompareOptions:
    """Options of ``compare``; the alignment's thresholds and pins live in ``align``."""

    align: AlignOptions = attrs.field(factory=AlignOptions)
    inline: bool = True
    """Compute inline diffs and commitments (turn off for a quick structural comparison)."""
    strength_scale: str | None = None
    """A TOML file of extra strength words merged over the shipped scale (``docs/facts.md``)."""


def compare(old: Document, new: Document, options: CompareOptions | None = None) -> Comparison:
    """Compare two parsed documents."""
    opts = options or CompareOptions()
    on, nn = list(old.nodes()), list(new.nodes())
    groups = align(old, new, opts.align)
    oparent = _parent_map(old)
    nparent = _parent_map(new)
    opart = _part_map(old)
    npart = _part_map(new)
    pair_of_old: dict[int, set[int]] = {}
    for g in groups:
        for i in g.old:
            pair_of_old[i] = set(g.new)
    oindex = {n.id: i for i, n in enumerate(on)}
    nindex = {n.id: i for i, n in enumerate(nn)}

    keyed: list[tuple[tuple[float, int, int], Change]] = []
    last_new_for_old: dict[int, float] = {}
    cursor = -1.0
    for i in range(len(on)):
        news = pair_of_old.get(i, set())
        if news:
            cursor = float(min(news))
        last_new_for_old[i] = cursor

    for g in groups:
        old_nodes = tuple(on[i] for i in g.old)
        new_nodes = tuple(nn[j] for j in g.new)
        change = _change(g, old_nodes, new_nodes, opts, old, new, oparent, nparent, oindex, nindex, pair_of_old,
                         opart, npart, nn)
        if g.new:
            key = (float(min(g.new)), 0, min(g.old) if g.old else -1)
        else:
            key = (last_new_for_old[g.old[0]], 1, g.old[0])
        keyed.append((key, change))
    keyed.sort(key=lambda kv: kv[0])

    meta = tuple((k, old.metadata.get(k), new.metadata.get(k))
                 for k in sorted(set(old.metadata) | set(new.metadata))
                 if old.metadata.get(k) != new.metadata.get(k) and k != "页面标题")
    changes, unchanged = _with_numbers(tuple(c for _, c in keyed), old, new)
    return Comparison(old=old, new=new, changes=changes, terms=_terms(old, new), metadata_changes=meta,
                      numbers_unchanged=unchanged, strength=_strength(changes, opts))


# --- facts: numbers, terms, strength (issue 8; see docs/facts.md) ----------------------------------------

def _with_numbers(changes: tuple[Change, ...], old: Document, new: Document,
                  ) -> tuple[tuple[Change, ...], tuple[NumberChange, ...]]:
    """Fill ``Change.numbers`` (changed, new and dropped quantities) and the unchanged ones.

    Quantities are paired by subject across the aligned commitments, then the aligned nodes, then the
    whole document (moved sentences), so this runs once over all changes rather than per pair.
    """
    facts = pair_numbers(changes, old, new)
    out = tuple(attrs.evolve(c, numbers=nums) if nums or c.numbers else c
                for c, nums in zip(changes, facts.per_change, strict=True))
    return out, facts.unchanged


def _terms(old: Document, new: Document) -> Terms:
    """Quoted slogans, named documents and key phrases found on one side only."""
    return term_changes(old, new)


def _strength(changes: tuple[Change, ...], opts: CompareOptions) -> tuple[StrengthShift, ...]:
    """Aligned commitments whose verb of commitment moved on the strength scale."""
    return strength_shifts(changes, scale_path=opts.strength_scale)


def _parent_map(doc: Document) -> dict[str, Node | None]:
    out: dict[str, Node | None] = {}
    def walk(node: Node, parent: Node | None) -> None:
        for c in node.children:
            out[c.id] = parent
            walk(c, c)
    walk(doc.root, None)
    return out


def _part_map(doc: Document) -> dict[str, str]:
    """Each node id → the heading of its top-level part (or "前言" for front matter)."""
    out: dict[str, str] = {}
    for top in doc.root.children:
        name = "前言" if top.kind == "front" else top.heading
        for n in top.walk():
            out[n.id] = name
    return out


def _change(g: Group, olds: tuple[Node, ...], news: tuple[Node, ...], opts: CompareOptions,
            old_doc: Document, new_doc: Document, oparent: dict[str, Node | None],
            nparent: dict[str, Node | None], oindex: dict[str, int], nindex: dict[str, int],
            pair_of_old: dict[int, set[int]], opart: dict[str, str], npart: dict[str, str],
            new_nodes: list[Node]) -> Change:
    kind: ChangeKind
    if not news:
        kind = "removed"
    elif not olds:
        kind = "added"
    elif len(olds) == 1 and len(news) > 1:
        kind = "split"
    elif len(olds) > 1:
        kind = "merged"
    else:
        kind = "unchanged" if normalize(olds[0].title + olds[0].body) == normalize(
            news[0].title + news[0].body) else "reworded"
    level: NodeKind = (news[0] if news else olds[0]).kind
    moved = False
    op = oparent.get(olds[0].id) if olds else None
    np_ = nparent.get(news[0].id) if news else None
    if olds and news:
        if op is None or np_ is None:
            moved = (op is None) != (np_ is None) and level != "front"
        else:
            moved = nindex[np_.id] not in pair_of_old.get(oindex[op.id], set())
    commitments: tuple[CommitmentChange, ...] = ()
    inline: tuple[tuple[str, str], ...] = ()
    if olds and news and opts.inline:
        osents = [x for n in olds for x in n.sentences]
        nsents = [x for n in news for x in n.sentences]
        if kind == "unchanged" and len(osents) == len(nsents):
            commitments = tuple(CommitmentChange("unchanged", a, b, (("=", b.text),))
                                for a, b in zip(osents, nsents, strict=True))
        else:
            commitments = align_sentences(osents, nsents)
        inline = join_inline(cc.inline for cc in commitments) if osents or nsents else inline_diff(
            "".join(n.title + n.body for n in olds), "".join(n.title + n.body for n in news))
    part = npart.get(news[0].id, "") if news else opart.get(olds[0].id, "")
    if not news:  # a removed node counts under the new part its old part became, when there is one
        top = oindex.get(olds[0].id.split(".")[0])
        targets = sorted(pair_of_old.get(top, set())) if top is not None else []
        part = npart.get(new_nodes[targets[0]].id, part) if targets else part
    return Change(kind=kind, level=level, old=olds, new=news, moved=moved, similarity=round(g.similarity, 4),
                  commitments=commitments, inline=inline,
                  old_parent=op.heading if op is not None else None,
                  new_parent=np_.heading if np_ is not None else None, part=part)
