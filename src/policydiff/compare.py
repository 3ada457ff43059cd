"""Two documents → the Comparison model.

This stage runs the aligner and turns its edits (kinds, moves and evidence already decided there) into
``Change`` values: it looks the nodes up, runs the commitment, inline and number diffs on each pair,
marks dropped and added commitments whose content lives in another node (``moved_to`` /
``moved_from``), collects document-level term and metadata changes, and orders everything as the new
document reads (removed nodes after the counterpart of their old predecessor).
"""

from __future__ import annotations

import attrs

from .align import Alignment, AlignOptions, Edit, align
from .model import (
    Change,
    CommitmentChange,
    Comparison,
    Document,
    Node,
    NodeIndex,
    NumberChange,
    Sentence,
    StrengthShift,
    Terms,
    make_change,
)
from .numbers import pair_numbers
from .strength import strength_shifts
from .terms import term_changes
from .text import normalize_metadata
from .textdiff import Overlap, align_sentences, inline_diff, join_inline, sentence_overlaps


@attrs.frozen
class CompareOptions:
    """Options of ``compare``; the alignment's thresholds and pins live in ``align``."""

    align: AlignOptions = attrs.field(factory=AlignOptions)
    inline: bool = True
    """Compute inline diffs and commitments (turn off for a quick structural comparison)."""
    strength_scale: str | None = None
    """A TOML file of extra strength words merged over the shipped scale (``docs/facts.md``)."""
    history: tuple[Document, ...] = ()
    """Earlier years than the old document, when available: a term none of them used is new, one they used
    is returning (``Terms.returning``); without them novelty is judged against the old document alone."""


def compare(old: Document, new: Document, options: CompareOptions | None = None) -> Comparison:
    """Compare two parsed documents."""
    opts = options or CompareOptions()
    alignment = align(old, new, opts.align)
    ot, nt = NodeIndex.of(old), NodeIndex.of(new)
    news_of_old = {i: e.new for e in alignment.edits for i in e.old}
    overlaps = _overlaps(alignment.edits, ot, nt) if opts.inline else {}
    changes = [_change(e, ot, nt, news_of_old, alignment, opts, overlaps.get(k))
               for k, e in enumerate(alignment.edits)]
    ordered = _in_new_order(changes, alignment.edits, ot, nt, news_of_old)
    changes_with_numbers, unchanged = _with_numbers(ordered, old, new)
    return Comparison(old=old, new=new, changes=changes_with_numbers, terms=_terms(old, new, opts.history),
                      metadata_changes=_metadata_changes(old, new), numbers_unchanged=unchanged,
                      strength=_strength(changes_with_numbers, opts))


# --- facts: numbers, terms, strength (issue 8; see docs/facts.md) ----------------------------------------

def _with_numbers(changes: tuple[Change, ...], old: Document, new: Document,
                  ) -> tuple[tuple[Change, ...], tuple[NumberChange, ...]]:
    """Fill ``Change.numbers`` (changed, new and dropped quantities) and list the unchanged ones.

    Quantities are paired by subject across the aligned commitments, then the aligned nodes, then the
    whole document (moved sentences), so this runs once over all changes rather than per pair.
    """
    facts = pair_numbers(changes, old, new)
    out = tuple(attrs.evolve(c, numbers=nums) if nums else c
                for c, nums in zip(changes, facts.per_change, strict=True))
    return out, facts.unchanged


def _terms(old: Document, new: Document, history: tuple[Document, ...] = ()) -> Terms:
    """Quoted slogans, named documents and key phrases found on one side only (new against every year
    available, ``history``)."""
    return term_changes(old, new, history)


def _strength(changes: tuple[Change, ...], opts: CompareOptions) -> tuple[StrengthShift, ...]:
    """Aligned commitments whose verb of commitment moved on the strength scale."""
    return strength_shifts(changes, scale_path=opts.strength_scale)


def _metadata_changes(old: Document, new: Document) -> tuple[tuple[str, str | None, str | None], ...]:
    """Metadata fields that differ after normalisation (full-width digits, an NBSP or 〔〕 for [] are no change)."""
    def same(a: str | None, b: str | None) -> bool:
        return a is not None and b is not None and normalize_metadata(a) == normalize_metadata(b)

    return tuple((k, old.metadata.get(k), new.metadata.get(k))
                 for k in sorted(set(old.metadata) | set(new.metadata))
                 if not same(old.metadata.get(k), new.metadata.get(k)) and k != "页面标题")


def _in_new_order(changes: list[Change], edits: tuple[Edit, ...], ot: NodeIndex, nt: NodeIndex,
                  news_of_old: dict[str, tuple[str, ...]]) -> tuple[Change, ...]:
    """Changes as the new document reads; a removed node after the counterpart of its old predecessor."""
    cursor = -1.0
    after: dict[str, float] = {}
    for oid in ot.order:
        news = news_of_old.get(oid, ())
        if news:
            cursor = float(min(nt.order[j] for j in news))
        after[oid] = cursor
    keyed = []
    for e, c in zip(edits, changes, strict=True):
        if e.new:
            key = (float(min(nt.order[j] for j in e.new)), 0, min((ot.order[i] for i in e.old), default=-1))
        else:
            key = (after[e.old[0]], 1, ot.order[e.old[0]])
        keyed.append((key, c))
    keyed.sort(key=lambda kv: kv[0])
    return tuple(c for _, c in keyed)


def _sentences(e: Edit, ot: NodeIndex, nt: NodeIndex) -> tuple[list[Sentence], list[Sentence]]:
    """The sentences of an edit's old nodes and of its new nodes, in order."""
    return ([x for i in e.old for x in ot.node[i].sentences], [x for j in e.new for x in nt.node[j].sentences])


def _aligns_sentences(e: Edit, osents: list[Sentence], nsents: list[Sentence]) -> bool:
    """Whether ``_commitments`` pairs the edit's sentences (``align_sentences``): both sides present and not
    an unchanged pair of as many sentences, which pair in order."""
    return bool(e.old and e.new) and not (e.kind == "unchanged" and len(osents) == len(nsents))


def _overlaps(edits: tuple[Edit, ...], ot: NodeIndex, nt: NodeIndex) -> dict[int, Overlap]:
    """The sentence overlaps of every edit whose sentences ``align_sentences`` will pair, by edit index,
    computed in one pass over all of them (``textdiff.sentence_overlaps``)."""
    todo: list[int] = []
    blocks: list[tuple[list[str], list[str]]] = []
    for k, e in enumerate(edits):
        osents, nsents = _sentences(e, ot, nt)
        if _aligns_sentences(e, osents, nsents):
            todo.append(k)
            blocks.append(([x.text for x in osents], [x.text for x in nsents]))
    return dict(zip(todo, sentence_overlaps(blocks), strict=True))


def _change(e: Edit, ot: NodeIndex, nt: NodeIndex, news_of_old: dict[str, tuple[str, ...]], alignment: Alignment,
            opts: CompareOptions, overlap: Overlap | None = None) -> Change:
    olds = tuple(ot.node[i] for i in e.old)
    news = tuple(nt.node[j] for j in e.new)
    level = (news[0] if news else olds[0]).kind
    commitments: tuple[CommitmentChange, ...] = ()
    inline: tuple[tuple[str, str], ...] = ()
    if olds and news and opts.inline:
        commitments = _commitments(e, olds, news, alignment, overlap)
        inline = join_inline(cc.inline for cc in commitments) if commitments else inline_diff(
            "".join(n.title + n.body for n in olds), "".join(n.title + n.body for n in news))
    op = ot.parent[olds[0].id] if olds else None
    np_ = nt.parent[news[0].id] if news else None
    part = nt.part[news[0].id] if news else ot.part[olds[0].id]
    if not news:  # a removed node counts under the new part its old part became, when there is one
        top = olds[0].id.split(".")[0]
        targets = sorted(news_of_old.get(top, ()), key=lambda j: nt.order[j])
        part = nt.part[targets[0]] if targets else part
    return make_change(e.kind, level=level, old=olds, new=news, moved=e.moved, similarity=e.similarity,
                       commitments=commitments, inline=inline,
                       old_parent=op.heading if op is not None else None,
                       new_parent=np_.heading if np_ is not None else None, part=part,
                       evidence=e.evidence, nearest=e.nearest)


def _commitments(e: Edit, olds: tuple[Node, ...], news: tuple[Node, ...],
                 alignment: Alignment, overlap: Overlap | None = None) -> tuple[CommitmentChange, ...]:
    """Sentence-level changes of a pair; dropped / added sentences whose content lives in another node
    say where (``moved_to`` / ``moved_from``), so that "removed" means gone. ``overlap``: the sentences'
    overlaps when already computed (``_overlaps``)."""
    osents = [x for n in olds for x in n.sentences]
    nsents = [x for n in news for x in n.sentences]
    if not _aligns_sentences(e, osents, nsents):
        return tuple(CommitmentChange("unchanged", a, b, (("=", b.text),)) for a, b in zip(osents, nsents, strict=True))
    mine_new = set(e.new)
    mine_old = set(e.old)
    out = []
    for cc in align_sentences(osents, nsents, overlap):
        if cc.kind == "removed" and cc.old is not None:
            flow = alignment.old_flows.get(cc.old.span)
            if flow is not None and flow.node_id not in mine_new:
                cc = attrs.evolve(cc, moved_to=flow.node_id)
        elif cc.kind == "added" and cc.new is not None:
            flow = alignment.new_flows.get(cc.new.span)
            if flow is not None and flow.node_id not in mine_old:
                cc = attrs.evolve(cc, moved_from=flow.node_id)
        out.append(cc)
    return tuple(out)
