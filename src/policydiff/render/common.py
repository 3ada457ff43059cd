"""What every renderer shares: locators in the reader's language, change names, and the highlights.

The highlights answer the four questions a reader brings (what is new, what was dropped, which
targets changed, which phrases are new) on one screen, ranked by how new each item is: an added
sentence with no near counterpart anywhere in the old text ranks above one that re-phrases a dropped
sentence. Novelty is ``1 −`` the best bigram Dice similarity against the other side's unpaired
sentences (``text.dice``), so a sentence that only moved or was re-worded sinks.
"""

from __future__ import annotations

import bisect
import itertools
import os
from collections import Counter, defaultdict

import attrs

from ..locate import locators
from ..model import PLAN_ROLES, Change, Comparison, Document, Node, NumberChange, Sentence, Span, headline_rank
from ..text import bigram_counts, looks_back
from .labels import WORDS
from .safe import visible_comparison

HIGHLIGHT_ADDED = 12
"""New commitments in the highlights: with the other lists this keeps the section at ≤ 40 items, one
printed A4 page, which is what a reader scans in the first two minutes."""

HIGHLIGHT_REMOVED = 8
"""Dropped commitments in the highlights; fewer than new ones, since readers ask first what is new."""

HIGHLIGHT_NUMBERS = 10
"""Changed numeric targets in the highlights: targets only (an outcome is last year's news), the headline
indicators first (``model.HEADLINE_INDICATORS``), then in document order."""

HIGHLIGHT_TERMS = 10
"""New phrases in the highlights, most salient first; they print on one line."""

HIGHLIGHT_CLIP = 40
"""Characters of a sentence quoted in the highlights before an ellipsis: with its locator, one printed line
on A4 at 10.5 pt, so the section keeps to one page; the link leads to the full sentence."""

SHORT_SENTENCE = 16
"""Sentences shorter than this many characters have their novelty scaled down in proportion: a
vocative (各位代表！) or a four-character slogan is trivially "new" but says little."""

MOVED_NOVELTY = 0.0
"""Novelty given to a sentence whose content is known to come from (or go to) another node: it is not
new, only moved, so it is left out of the highlights (see ``NOVELTY_FLOOR``)."""

NOVELTY_FLOOR = 0.15
"""Sentences less novel than this (Dice ≥ 0.85 with a sentence on the other side: the same sentence
moved to another measure, or a one-word edit) are not new commitments and stay out of the highlights;
their rows still show them."""


def doc_name(doc: Document) -> str:
    """A document's name as a reader knows it: its title, else the file name (never a whole path)."""
    return doc.title or os.path.basename(doc.path) or doc.path


@attrs.frozen
class Highlight:
    """One line of the highlights: what, where (locator) and the row it links to."""

    kind: str
    """``added``, ``removed`` (commitments), ``number`` or ``term``."""
    text: str
    where: str
    row: int | None
    """Index of the change in ``Comparison.changes`` (the HTML row ``#c-<row>``), when there is one."""
    novelty: float = 1.0
    old: str = ""
    new: str = ""


class View:
    """A comparison prepared for rendering: made safe, with locators and row lookups in one language."""

    def __init__(self, cmp: Comparison, lang: str = "zh") -> None:
        if lang not in WORDS:
            raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(WORDS)}")
        self.cmp = visible_comparison(cmp)
        self.lang = lang
        self.w = WORDS[lang]
        para, front = self.w["paragraph"], self.w["front"] + ("" if lang == "zh" else " ")
        self.old_loc = locators(self.cmp.old, paragraph=para, front=front)
        self.new_loc = locators(self.cmp.new, paragraph=para, front=front)
        self._spans: dict[str, list[tuple[int, int, str]]] = {}
        self.row_of_old: dict[str, int] = {}
        self.row_of_new: dict[str, int] = {}
        for i, c in enumerate(self.cmp.changes):
            for n in c.old:
                self.row_of_old[n.id] = i
            for n in c.new:
                self.row_of_new[n.id] = i

    def loc(self, nodes: tuple[Node, ...], side: str) -> str:
        """Locators of one side of a change, ``+``-joined; ``—`` for none."""
        table = self.old_loc if side == "old" else self.new_loc
        return "+".join(table.get(n.id, n.id) for n in nodes) or "—"

    def where(self, c: Change) -> str:
        """``old locator → new locator`` of a change."""
        return f"{self.loc(c.old, 'old')} → {self.loc(c.new, 'new')}"

    def span_loc(self, span: tuple[int, int] | None, side: str) -> str:
        """Locator of the node whose own text holds ``span`` (a quantity's place), ``—`` for none: a number
        paired across the document stands where it stands, not where the change it is listed under does."""
        if span is None:
            return "—"
        if side not in self._spans:
            doc = self.cmp.old if side == "old" else self.cmp.new
            self._spans[side] = sorted((n.span[0], n.span[1], n.id) for n in doc.nodes())
        starts = self._spans[side]
        k = bisect.bisect_right(starts, (span[0], float("inf"), "")) - 1
        while k >= 0 and not starts[k][0] <= span[0] < starts[k][1]:
            k -= 1
        return self.node_loc(starts[k][2], side) if k >= 0 else "—"

    def number_where(self, n: NumberChange) -> str:
        """``old locator → new locator`` of a number change, from the quantities' own places."""
        return f"{self.span_loc(n.old_span, 'old')} → {self.span_loc(n.new_span, 'new')}"

    def node_loc(self, node_id: str, side: str) -> str:
        table = self.old_loc if side == "old" else self.new_loc
        return table.get(node_id, node_id)

    def evidence(self, c: Change) -> list[tuple[str, str, str, str, float]]:
        """A change's sentence links as (old locator, old sentence, new locator, new sentence, score)."""
        out = []
        for link in c.evidence:
            old = self.cmp.old.text[link.old_span[0]:link.old_span[1]]
            new = self.cmp.new.text[link.new_span[0]:link.new_span[1]]
            out.append((self.node_loc(link.old_id, "old"), " ".join(old.split()), self.node_loc(link.new_id, "new"),
                        " ".join(new.split()), link.score))
        return out

    def part(self, c: Change) -> str:
        return self.w["front"] if c.part in ("", "前言") else c.part


def node_of_sentence(nodes: tuple[Node, ...], span: Span) -> Node | None:
    """Which of ``nodes`` holds the sentence at ``span`` (a merge's sources, a split's targets)."""
    for n in nodes:
        if n.span[0] <= span[0] < n.span[1]:
            return n
    return nodes[0] if len(nodes) == 1 else None


def heading(node: Node, w: dict[str, str], n: int = 40) -> str:
    """What a change is called in a list: the node's title, else the start of its body; a metadata block
    (索引号…发文字号… glued into one line) is called by name."""
    if node.front_role == "metadata":
        return w["metadata"]
    return node.title or clip(node.body, n)


def clip(text: str, n: int = HIGHLIGHT_CLIP) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _novelty(sentences: list[tuple[Sentence, int, bool]], others: list[Sentence]) -> list[tuple[float, Sentence, int]]:
    """Each sentence's novelty against ``others`` (1 − best Dice; ``MOVED_NOVELTY`` when known to be moved).

    Candidates are limited by shared bigrams through an inverted index, so the cost stays near linear:
    the 20 sharing the most distinct bigrams are scored. Their multiset intersection is the number of
    shared bigrams plus, for a bigram repeated on both sides, the repeats they share (rare in a
    sentence), so the shared bigrams are counted in C (``Counter`` over the postings) and no Counter
    intersection is built per pair (those were ~100 ms of an HTML report)."""
    other_bags = [dict(bigram_counts(s.text)) for s in others]
    other_totals = [sum(bag.values()) for bag in other_bags]
    index: dict[str, list[int]] = defaultdict(list)
    for k, other in enumerate(other_bags):
        for g in other:
            index[g].append(k)
    out = []
    for s, row, moved in sentences:
        if moved:
            out.append((MOVED_NOVELTY, s, row))
            continue
        bag = bigram_counts(s.text)
        total = sum(n for _, n in bag)
        repeated = [(g, n) for g, n in bag if n > 1]
        shared = Counter(itertools.chain.from_iterable([index.get(g, ()) for g, _ in bag]))
        top = sorted(shared, key=shared.__getitem__, reverse=True)[:NOVELTY_CANDIDATES]  # ties: first seen
        commons = [shared[k] for k in top]
        if repeated:
            commons = [c + _repeats(repeated, other_bags[k]) for c, k in zip(commons, top, strict=True)]
        best = max([_dice(c, total + other_totals[k]) for c, k in zip(commons, top, strict=True)], default=0.0)
        out.append(((1.0 - best) * min(1.0, len(s.text) / SHORT_SENTENCE), s, row))
    return out


NOVELTY_CANDIDATES = 20
"""Other sentences scored per sentence (those sharing the most bigrams): the best Dice is among them, and
scoring all that share any bigram (a common one such as 发展 is in hundreds) would be quadratic."""


def _repeats(repeated: list[tuple[str, int]], other: dict[str, int]) -> int:
    """What a shared bigram repeated on both sides adds to the intersection beyond its first occurrence."""
    extra = 0
    for g, n in repeated:
        m = other.get(g, 0)
        if m > 1:
            extra += min(n, m) - 1
    return extra


def _dice(common: int, total: int) -> float:
    """Multiset Dice from the intersection and the two sizes (``text.dice``'s formula, 1.0 for two empties)."""
    return 2 * common / total if total else 1.0


@attrs.frozen
class Highlights:
    """The highlights, each list ranked and capped; ``totals`` says how many there were before the cap."""

    added: tuple[Highlight, ...]
    removed: tuple[Highlight, ...]
    numbers: tuple[Highlight, ...]
    terms: tuple[Highlight, ...]
    totals: dict[str, int] = attrs.field(hash=False)

    def count(self) -> int:
        """Items shown (the acceptance bound is 40)."""
        return len(self.added) + len(self.removed) + len(self.numbers) + len(self.terms)


def highlights(view: View) -> Highlights:
    """New and dropped commitments, changed targets and new phrases, ranked by novelty and capped."""
    cmp = view.cmp
    added: list[tuple[Sentence, int, bool]] = []
    removed: list[tuple[Sentence, int, bool]] = []
    for i, c in enumerate(cmp.changes):
        if c.kind == "added":
            added += [(s, i, False) for n in c.new for s in n.sentences if _commitment(n, s)]
        elif c.kind == "removed":
            removed += [(s, i, False) for n in c.old for s in n.sentences if _commitment(n, s)]
        else:
            for cc in c.commitments:
                if cc.kind == "added" and cc.new is not None and _in_plan(c.new, cc.new):
                    added.append((cc.new, i, cc.moved_from is not None))
                elif cc.kind == "removed" and cc.old is not None and _in_plan(c.old, cc.old):
                    removed.append((cc.old, i, cc.moved_to is not None))
    out: dict[str, tuple[Highlight, ...]] = {}
    totals: dict[str, int] = {}
    for key, items, others, side, cap in (("added", added, [s for s, _, _ in removed], "new", HIGHLIGHT_ADDED),
                                          ("removed", removed, [s for s, _, _ in added], "old", HIGHLIGHT_REMOVED)):
        novel = [t for t in _novelty(items, others) if t[0] >= NOVELTY_FLOOR]
        totals[key] = len(novel)
        ranked = sorted(novel, key=lambda t: (-round(t[0], 2), -len(t[1].text), t[2]))
        out[key] = tuple(Highlight(key, clip(s.text), _sentence_where(view, cmp.changes[row], s, side), row,
                                   round(nov, 3)) for nov, s, row in ranked[:cap])
    numbers = [(headline_rank(n.subject), i, n) for i, c in enumerate(cmp.changes) for n in c.numbers
               if n.kind == "target"]
    numbers.sort(key=lambda t: (t[0], t[1]))
    return Highlights(
        added=out["added"], removed=out["removed"],
        numbers=tuple(Highlight("number", n.subject, view.number_where(n), i, old=n.old or "—",
                                new=n.new or "—") for _, i, n in numbers[:HIGHLIGHT_NUMBERS]),
        terms=tuple(Highlight("term", t.text, "", None) for t in cmp.terms.added[:HIGHLIGHT_TERMS]),
        totals={**totals, "numbers": len(numbers), "terms": len(cmp.terms.added)})


def is_plan(node: Node) -> bool:
    """Whether ``node``'s sentences are commitments: a plan role (``model.PLAN_ROLES``), or no role at all
    (a tree straight from ``structure.parse``, where nothing says otherwise). The review's sentences are
    last year's outcomes (a new one is news about the past, not a new promise): their rows still show
    them, the highlights do not list them as new or dropped commitments."""
    return node.role is None or node.role in PLAN_ROLES


def _commitment(node: Node, s: Sentence) -> bool:
    """Sentence ``s`` of ``node`` is a commitment of the plan: in a plan node (``is_plan``) and not itself an
    outcome (``text.looks_back``: ``过去一年，国防和军队建设取得新的成绩和进步`` opens a task paragraph)."""
    return is_plan(node) and not looks_back(s.text)


def _in_plan(nodes: tuple[Node, ...], s: Sentence) -> bool:
    """``_commitment`` for a sentence of a change's nodes (the node holding it, or any of them)."""
    node = node_of_sentence(nodes, s.span)
    return _commitment(node, s) if node is not None else any(_commitment(n, s) for n in nodes)


def _sentence_where(view: View, c: Change, s: Sentence, side: str) -> str:
    nodes = c.new if side == "new" else c.old
    node = node_of_sentence(nodes, s.span)
    return view.node_loc(node.id, side) if node is not None else view.loc(nodes, side)
