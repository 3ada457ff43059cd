"""Two section trees → frozen edits over node ids (see ``docs/alignment.md`` for the why and figures).

The method, as named steps of ``align``:

1. **Sides.** Each document's nodes in order, with parent, top-level part and *class*: ``heading``
   (parts, sections), ``content`` (measures, items, paragraphs, preamble, notice) or one class per other
   front-matter role. Only nodes of one class are paired, except punctuation-only nodes, which pair with
   their equals.
2. **Content scores** (``similarity.Vectors``): cosine of character-bigram TF-IDF vectors, computed only
   for candidate pairs that share a rare bigram (sub-quadratic), blended with run-in title similarity
   and a small position tie-breaker.
3. **First assignment.** A global one-to-one assignment on the sparse candidate graph
   (``min_weight_full_bipartite_matching`` with one "unpaired" option per row), floors applied first;
   equal scores go to the pair nearer in relative place (a key the same from either side).
4. **Headings** are paired on their own text blended with how many of their descendants were paired
   into each other (a renamed section that keeps its measures is the same section).
5. **Second assignment** with context: bonuses when the nodes' top-level parts, their parents or their
   neighbours are paired, so that among near-equal candidates the one in the corresponding place wins
   (the new year's review of past work echoes last year's plan; the plan still pairs with the plan).
   Untitled intro / lead-in paragraphs in the slots of paired headings pair too, and (after step 6) the
   intro of a section paired with nothing pairs with the lead-in before where its measures went.
6. **Flows.** Every sentence of one year finds where its content went in the other, anywhere in the
   document (cosine or containment, see ``link_scores``). A node left unpaired whose content flows mainly
   into a paired node of the other year joins that node's group: split (1 → n), merged (n → 1, most
   content kept) or **condensed** (n → 1 where the new node is a summary, much shorter than what it
   replaces). Last, what is still alone is explained by the other year where it can be (6f), a section
   the other year condensed to less than half keeps what is left of it (6g), sections regrouped
   under headings of another level join the heading that took their measures (6h), a run-in
   section paired with a bare heading takes that heading's intro (6i), and a measure's title written on
   a line of its own goes where its body went (6j).
7. **Edits**: kind, ``moved`` (decided symmetrically from the parents' counterparts), evidence links
   for every pair, and for every node left alone its nearest candidate and the reason it was not paired.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

import attrs
import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from .model import PLAN_ROLES, ChangeKind, Document, Link, Nearest, NearestReason, Node, OptionsError, Sentence, Span
from .similarity import Vectors, assign, set_dice
from .text import (
    MIN_CLAUSE,
    RUN_IN_TITLE_MAX,
    TERMINAL,
    bigram_set,
    bigrams,
    clauses,
    content_key,
    normalize,
    normalize_metadata,
    word_bigrams,
)

MIN_SIMILARITY = 0.28
"""Default floor of the blended similarity for two nodes to be the same measure reworded."""
MUTUAL_FLOOR_RATIO = 0.42
"""Under ``min_similarity``, down to this share of it, a pair is kept only when each node is the
other's best candidate (heavily reworded measures score 0.15–0.25 but are still each other's best) and
their run-in titles, if both have one, are not named apart (see ``NAMED_APART``). The development golds
are flat from 0.35 to 0.50 and fall on either side (0.30: 2012 → 2013 −0.016; 0.60: 2021 → 2022 −0.034):
0.42 is that plateau's centre, so ±20 % stays on it (docs/alignment.md §5e)."""
MARGIN_FLOOR = 1e-3
"""Least worth in the assignment of an entry admitted under the floor (each other's best, above): its
margin over the floor is negative, and a worth of 0 or less would never beat staying unpaired."""
NAMED_APART = 0.16
"""Title cosine (TF-IDF over all titles, so 推进 and 教育 weigh little) under which two titled measures are
named apart: a rewording of a title keeps about half of its weight; two titles on different topics that
share only formulaic words score under a fifth. The development golds are flat from 0.12 to 0.20 and fall
at 0.22 (2012 → 2013 −0.038): 0.16 is that plateau's centre (it was 0.20, on its edge)."""
CANDIDATES = 12
"""Candidates kept per node and direction: enough for every realistic rewording, few enough to stay sparse."""
CANDIDATE_FLOOR = 0.03
"""Cosine under which a pair is no candidate at all (two unrelated paragraphs of one genre score ~0.05)."""
TITLE_WEIGHT = 0.3
"""Weight of run-in title similarity when both nodes have one: the title is the measure's name."""
POSITION_WEIGHT = 0.05
"""Bonus scale for a similar relative position in the document (a tie-breaker, not evidence)."""
PARENT_BONUS = 0.08
"""Bonus when the two nodes' parents are paired with each other."""
PART_BONUS = 0.07
"""Bonus when the nodes' top-level parts are paired (and their parents are not the same pair): keeps last
year's plan with this year's plan rather than with this year's review of what was done. The development
golds are flat from 0.05 to 0.09 and fall at 0.096 (2012 → 2013 −0.022): 0.07 is that plateau's centre
(it was 0.08, within 20 % of the edge)."""
NEIGHBOUR_BONUS = 0.04
"""Bonus (each side) when the previous / next nodes were paired with each other in the first pass."""
HEADING_CHILD_WEIGHT = 0.5
"""Weight of descendant overlap in the heading score."""
HEADING_FLOOR_RATIO = 0.8
"""Headings pair from this share of ``min_similarity``: their own text is short and noisier."""
OTHER_KIND = 0.7
"""Factor on the score of a part paired with a section: possible (promotion / demotion), less likely."""
SPLIT_MIN_CHARS = 20
"""Shorter nodes (``各位代表！``, ``主要预期目标是：``) are pieces only of a node they are a small, similar
part of (``SHORT_PIECE_FACTOR``, ``min_similarity``): a lead-in merged with its list is; a repeated
``各位代表！`` beside another is not."""
SHORT_PIECE_FACTOR = 3
"""A short node joins only a node at least this many times longer."""
ATTACH_MIN = 0.15
"""Least context-aware score for an unpaired node to join the group of a paired node of the other year:
members of a condensed group share only a clause or two with the summary (0.15–0.3)."""
SIBLING_MIN = 0.05
"""Least score for a leftover to join the node its adjacent sibling went to: any shared content at all
(unrelated paragraphs of one genre score under ``CANDIDATE_FLOOR``)."""
CROSS_MIN_CHARS = 6
"""A heading pairs across levels only with at least this many characters of its own (``（一）总体要求`` is too
generic to be found in a paragraph by chance … 6 characters of a named topic are not)."""
CROSS_CONTAINMENT = 0.8
"""Share (IDF-weighted) of a heading's bigrams that must be in the content node it pairs with across
levels: the heading's words survive as the measure's title or first clause."""
CROSS_MAX_SHIFT = 0.2
"""A section that became a measure stays roughly where it was: within a fifth of the document (by node
position) of the section's extent, heading to last descendant; the same words a long way off are last
year's plan echoed in this year's review."""
CROSS_TITLE_BODY = 0.25
"""When the heading pairs through the node's run-in title, this share of the heading's words must also
be in the node: the name alone can be a coincidence of genre words."""
CONDENSING_RATIO = 1.5
"""A part whose content nodes outnumber those of its counterpart by this factor is being condensed (the
2012 → 2013 reports: 60 task paragraphs become 30): pieces there need no sentence of their own in the
node they join. A stable year stays within ±20 %."""
DISSOLVED_MIN_CHILDREN = 2
"""A heading follows its content into one node of the other year only when at least two of its paired
descendants went there (one is a coincidence, not a condensed section)."""
PIECE_SHARE = 0.4
"""A new leftover is a split piece only when at least this share of its text is sentences linked into the
old node: splitting distributes the old sentences; a new measure on a neighbouring topic shares phrases,
not sentences. (Merges need no such share: a condensed summary rewrites what it absorbs.)"""
ABSORB_MAX_OWN = 0.8
"""A node that keeps its partner's text almost unchanged (score ≥ this) has absorbed nothing else: the
sibling cue never glues a removed measure onto its neighbour's unchanged successor, and a leftover that
only shares topic words with it (德育 beside 体育美育: 0.37) joins it only with a sentence of its own there."""
ATTACH_RATIO = 0.35
"""… and at least this share of what the paired node scores with its own partner, so that a side remark
sharing a few phrases is not glued to a strong one-to-one pair."""
LINK_MIN = 0.3
"""Least sentence score for a sentence link (evidence, ``moved_to``): two sentences of one genre on
different topics score under 0.25."""
FLOW_MIN = 0.45
"""Least sentence score for a dropped sentence to be reported as moved elsewhere (``moved_to``): higher
than ``LINK_MIN`` because the claim "this content lives on there" must be safe to quote."""
GROUP_PAIRS = 250_000
"""Sentence pairs scored exhaustively inside one group (500 × 500 sentences); a larger group (a report
pasted as one paragraph) is scored on its sentences' global candidates only."""
CLAUSE_SOURCE_MIN = 0.5
"""Share (IDF-weighted) of a summary clause's word bigrams (``text.word_bigrams``: the bigrams inside its
words) that must be found in a leftover for the clause to restate it: 要切实保障重要商品供给 keeps 0.79 of
增加生产、保障供给 …, 推广先进技术 0.71 of 加快农业科技进步 …, 降低物流成本 0.68 of 深化流通体制改革 … (物流 and
成本, not 降低). Half: a paraphrase keeps most of the words of what it restates; a clause sharing one word
in three with a measure (拓展经济发展的新空间: 0.3) is about something else."""
CLAUSE_MIN_CHARS = 4
"""Shorter clauses (推进改革, 稳中求进) name no one measure: they are evidence for none."""
_CLAUSE_END_ALL = re.compile(r"[，；。：！？,;:!?]")
CONDENSED_LENGTH_RATIO = 0.5
"""A merge whose new node is shorter than this share of its old members together is ``condensed``: a
summary keeps a clause of each, not their content."""


FLOW_SHARE = 0.3
"""Least share of a leftover node's content (clause flows, ``_flow_leftovers``) that must go to one node of
the other year for the leftover to join it. Calibrated on chance: between measures that the development
golds do not pair, nine in ten shares stay under 0.15; between the pairs they do, half are over 0.23. The
sweep is in ``docs/alignment.md``."""


TIE_DIGITS = 6
"""Decimals to which scores are equal for the assignment's tie-break (``_match``)."""
TIE_STEP = 1e-8
"""Scale of the tie-break taken off assignment scores: the squared difference of the two nodes' relative
places times this, and their summed places times a hundredth of it. A hundredth of the least score
difference that counts (``TIE_DIGITS``), and well above the rounding error of the solver's sums."""


def _unit(x: object) -> float:
    v = float(x)  # type: ignore[arg-type]
    if not 0.0 <= v <= 1.0:
        raise OptionsError(f"min_similarity must be between 0 and 1, got {v}")
    return v


def _pairs(value: object) -> tuple[tuple[str, str], ...]:
    try:
        return tuple((str(a), str(b)) for a, b in value)  # type: ignore[attr-defined]
    except (TypeError, ValueError) as exc:
        raise OptionsError(f"pins must be (old id, new id) pairs, got {value!r}") from exc


@attrs.frozen
class AlignOptions:
    """Tunables of the alignment, validated."""

    min_similarity: float = attrs.field(default=MIN_SIMILARITY, converter=_unit)
    pins: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    """(old node id, new node id) pairs that must be matched, whatever their similarity."""
    flow_share: float = attrs.field(default=FLOW_SHARE, converter=_unit)
    """Share of a node's content that must flow into one node of the other year for a node the passes
    left alone to join it (``_flow_leftovers``); 1 turns the step off."""


@attrs.frozen
class Edit:
    """What became of some nodes: ids of the old and new nodes, in document order."""

    old: tuple[str, ...]
    new: tuple[str, ...]
    kind: ChangeKind
    moved: bool
    similarity: float
    evidence: tuple[Link, ...] = ()
    nearest: Nearest | None = None


@attrs.frozen
class Flow:
    """Where one sentence's content is found in the other document."""

    node_id: str
    score: float


@attrs.frozen
class Alignment:
    """The alignment of two documents: edits covering every node once, and sentence flows."""

    edits: tuple[Edit, ...]
    old_flows: dict[Span, Flow] = attrs.field(factory=dict, hash=False)
    """Old sentence span → the new node its content went to (score ≥ ``FLOW_MIN``)."""
    new_flows: dict[Span, Flow] = attrs.field(factory=dict, hash=False)
    """New sentence span → the old node its content came from."""


def compartment(n: Node) -> str:
    """The part of the document's anatomy a node may pair within: review with review, the plan (guidance,
    tasks, safeguards) with the plan, closing with closing, front and back matter with their like. Last
    year's plan echoed in this year's review is a report on it, not its continuation (``docs/alignment.md``);
    a document without roles (``Node.role`` None) is one compartment."""
    role = n.role
    if n.kind == "front" and role in (None, "front"):
        return "front"
    if role in PLAN_ROLES:  # a target stated among the tasks one year and in the guidance the next
        return "plan"
    return str(role) if role else "body"


def node_class(n: Node) -> str:
    """Which nodes may be paired with ``n``."""
    if n.kind in ("part", "section"):
        return "heading"
    if n.kind == "front" and n.front_role not in ("preamble", "notice"):
        return f"front:{n.front_role}"
    return "content"


class _Side:
    """One document's nodes in order with the relations the aligner reads."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.nodes: list[Node] = []
        self.parent: list[int] = []
        self.top: list[int] = []
        self.end: list[int] = []  # index after the last descendant
        self.depth: list[int] = []  # 1 for a top-level node

        def walk(node: Node, parent: int, top: int) -> None:
            for child in node.children:
                me = len(self.nodes)
                self.nodes.append(child)
                self.parent.append(parent)
                self.top.append(me if top < 0 else top)
                self.end.append(me + 1)
                self.depth.append(1 if parent < 0 else self.depth[parent] + 1)
                walk(child, me, me if top < 0 else top)
                self.end[me] = len(self.nodes)

        walk(doc.root, -1, -1)
        self.index = {n.id: i for i, n in enumerate(self.nodes)}
        self.cls = [node_class(n) for n in self.nodes]
        self.comp = [compartment(n) for n in self.nodes]
        self.term = [n.term for n in self.nodes]
        self.key = [content_key(n.title + n.body) for n in self.nodes]
        self.grams: dict[int, frozenset[str]] = {}  # filled by ``_node_grams``


def _members(side: _Side, cls: str) -> list[int]:
    return [i for i, c in enumerate(side.cls) if c == cls and side.key[i]]


def _row(m: csr_matrix, a: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of row ``a`` of a CSR matrix with sorted indices, as views: indexing the
    matrix builds a new sparse matrix each time (~50 µs), which the leftover sweeps would do 10⁴ times."""
    s, e = m.indptr[a], m.indptr[a + 1]
    return m.indices[s:e], m.data[s:e]


def _at(m: csr_matrix, a: int, b: int) -> float:
    """Entry (a, b) of a CSR matrix with sorted indices (0 when absent)."""
    idx, data = _row(m, a)
    k = int(np.searchsorted(idx, b))
    return float(data[k]) if k < len(idx) and idx[k] == b else 0.0


def _at_many(m: csr_matrix, a: int, cols: np.ndarray) -> np.ndarray:
    """Entries (a, c) for each c of ``cols`` (0 where absent)."""
    idx, data = _row(m, a)
    if not len(idx):
        return np.zeros(len(cols))
    k = np.minimum(np.searchsorted(idx, cols), len(idx) - 1)
    return np.where(idx[k] == cols, data[k], 0.0)


# --- assignment on a sparse candidate graph -------------------------------------------------------


def _match(rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int, n_cols: int,
           floor: float, strict: np.ndarray | None = None,
           places: tuple[np.ndarray, np.ndarray] | None = None) -> dict[int, tuple[int, float]]:
    """Optimal one-to-one pairs among candidate entries (row → (col, score)).

    An entry is allowed when it reaches ``floor``, or ``MUTUAL_FLOOR_RATIO`` of it when the two are each
    other's best (unless ``strict`` marks it: two measures named apart get no benefit of the doubt).
    Every row also has an "unpaired" option worth 0, so the matching always exists. A pair is worth its
    margin over the floor (the score that chance reaches between unrelated measures of the genre), not its
    score: maximising summed scores let two weak pairs (0.25 + 0.25) outweigh one strong pair and a node
    left alone (0.45 + 0), so lowering the floor rearranged strong pairs (2012 → 2013 at 0.8 × the floor:
    −0.054 pair F1 with scores, −0.026 with margins; no gold moves at the shipped floor but 2007 → 2008,
    +0.007).

    ``places`` (each entry's old and new relative place in its document) break ties between equal
    scores (two copies of one heading): scores equal to ``TIE_DIGITS`` decimals count as equal, then the
    nearer relative places win, then the earlier ones. Both keys read the same from either side, so
    swapping the inputs makes the same choice (the solver's own tie-break follows row order, which does
    not)."""
    if not len(vals) or not n_rows or not n_cols:
        return {}
    row_best = np.full(n_rows, -np.inf)
    col_best = np.full(n_cols, -np.inf)
    np.maximum.at(row_best, rows, vals)
    np.maximum.at(col_best, cols, vals)
    mutual = (vals >= row_best[rows]) & (vals >= col_best[cols])
    if strict is not None:
        mutual &= ~strict
    ok = (vals >= floor) | ((vals >= floor * MUTUAL_FLOOR_RATIO) & mutual)
    rows, cols, vals = rows[ok], cols[ok], vals[ok]
    worth = np.maximum(vals - floor, MARGIN_FLOOR)
    if places is not None:
        po, pn = places[0][ok], places[1][ok]
        worth = np.round(worth, TIE_DIGITS) - TIE_STEP * ((po - pn) ** 2 + 0.01 * (po + pn))
    found = assign(rows, cols, worth, n_rows, n_cols)
    score = {(int(a), int(b)): float(v) for a, b, v in zip(rows, cols, vals, strict=True)}
    return {a: (b, score[(a, b)]) for a, (b, _) in found.items()}


# --- the steps -----------------------------------------------------------------------------------


@attrs.define
class _State:
    old: _Side
    new: _Side
    floor: float
    pinned: dict[int, int]
    pairs: dict[int, int] = attrs.field(factory=dict)
    sims: dict[tuple[int, int], float] = attrs.field(factory=dict)
    co: list[int] = attrs.field(factory=list)
    cn: list[int] = attrs.field(factory=list)
    pos_o: dict[int, int] = attrs.field(factory=dict)  # node index → row in the content matrices
    pos_n: dict[int, int] = attrs.field(factory=dict)
    scores: csr_matrix | None = None  # content: rows co, cols cn (context-aware after step 5)
    base: csr_matrix | None = None
    base_t: csr_matrix | None = None
    apart: csr_matrix | None = None  # content candidates whose run-in titles share (almost) nothing
    doubtful: csr_matrix | None = None  # … or whose parents are not paired headings: no benefit of the doubt
    heading_into_old: dict[int, int] = attrs.field(factory=dict)  # old heading → paired new node it became
    heading_into_new: dict[int, int] = attrs.field(factory=dict)
    region_counts: tuple[dict[int, int], dict[int, int]] | None = None
    context: csr_matrix | None = None  # 1 + parent paired + 2 × part paired, per candidate entry
    paired_new: set[int] = attrs.field(factory=set)
    paired_old: set[int] = attrs.field(factory=set)
    intro_of: dict[tuple[int, bool], int] = attrs.field(factory=dict)  # (dissolved heading, is old) → group


def align(old: Document, new: Document, options: AlignOptions | None = None) -> Alignment:
    """Pair the nodes of two documents. Every node id appears in exactly one returned edit."""
    opts = options or AlignOptions()
    st = _State(_Side(old), _Side(new), opts.min_similarity, {})
    st.pinned = _pins(st, opts.pins)
    st.pinned.update(_anchors(st))
    st.pairs.update(st.pinned)
    st.sims.update({(a, b): 1.0 for a, b in st.pinned.items()})
    first = _content_first_pass(st)
    headings = _align_headings(st, first)
    content = _content_second_pass(st, first, headings)
    content.update(_slots(st, content, headings))
    content.update(_residual(st, content))
    for (i, j), s in content.items():
        st.pairs[i] = j
        st.sims[(i, j)] = min(1.0, s)
    for i, j in headings.items():
        st.pairs[i] = j
        st.sims[(i, j)] = st.sims.get((i, j), 0.0) or 0.5
    _front_roles(st)
    _punctuation_only(st)
    _cross_level(st)
    sentences = _Sentences(st)
    groups = _attach(st, sentences)
    _demoted_intros(st, groups)
    _dissolved_headings(st, groups)
    _flow_leftovers(st, groups, opts.flow_share)
    _short_copies(st, groups)
    _restated_leftovers(st, groups, sentences)
    _condensed_sections(st, groups)
    _regrouped_headings(st, groups)
    _run_in_intros(st, groups)
    _title_lines(st, groups)
    edits = _edits(st, groups, sentences)
    return Alignment(edits=edits, old_flows=sentences.old_flows, new_flows=sentences.new_flows)


def _pins(st: _State, pins: Sequence[tuple[str, str]]) -> dict[int, int]:
    pinned: dict[int, int] = {}
    for old_id, new_id in pins:
        pin = f"--pin {old_id}={new_id}"
        if old_id not in st.old.index:
            raise OptionsError(f"{pin}: the old document has no node {old_id!r} (see `policydiff show`)")
        if new_id not in st.new.index:
            raise OptionsError(f"{pin}: the new document has no node {new_id!r} (see `policydiff show`)")
        a, b = st.old.index[old_id], st.new.index[new_id]
        if a in pinned or b in pinned.values():
            raise OptionsError(f"{pin}: a node is pinned twice")
        pinned[a] = b
    return pinned


def _together(st: _State, olds: Sequence[int], news: Sequence[int]) -> np.ndarray:
    """For each (old node, new node) pair: may they pair at all (same ``compartment``)?"""
    oc, nc = st.old.comp, st.new.comp
    return np.array([oc[i] == nc[j] for i, j in zip(olds, news, strict=True)], dtype=bool)


def _anchors(st: _State) -> dict[int, int]:
    """Step 0: nodes of identical text (same class and part of the anatomy) pair before anything else, so
    that a document compared with itself is all unchanged whatever it repeats.

    Text found once on each side pairs outright (patience diff's unique anchors). Repeated text pairs copy
    by copy in order among the copies that stand between the same two unique anchors on both sides, when
    they are as many on both sides or stand in one run on each (25 copies of a measure in a row against
    24: 24 pairs, one left); then copies next to anchored neighbours; then copies of six characters or
    more, nearest relative place first. Short copies no neighbour places (``各位代表！`` three times here,
    twice there) are left to the assignment, where place decides. Every rule reads the two sides alike,
    so swapping the inputs pairs the same copies."""
    taken_o, taken_n = set(st.pinned), set(st.pinned.values())
    slots: dict[tuple[str, str, str], tuple[list[int], list[int]]] = {}
    for side, taken, k in ((st.old, taken_o, 0), (st.new, taken_n, 1)):
        for i, key in enumerate(side.key):
            if key and i not in taken:
                slots.setdefault((side.cls[i], side.comp[i], key), ([], []))[k].append(i)
    unique = {olds[0]: news[0] for olds, news in slots.values() if len(olds) == len(news) == 1}
    before_o = np.array(sorted(unique))
    before_n = np.array(sorted(unique.values()))
    out = dict(unique)
    repeated = [(olds, news) for olds, news in slots.values() if len(olds) > 1 or len(news) > 1]
    for olds, news in repeated:
        gaps: dict[int, tuple[list[int], list[int]]] = {}
        for a in olds:
            gaps.setdefault(int(np.searchsorted(before_o, a)), ([], []))[0].append(a)
        for b in news:
            gaps.setdefault(int(np.searchsorted(before_n, b)), ([], []))[1].append(b)
        for gap_olds, gap_news in gaps.values():
            if len(gap_olds) == len(gap_news) or (_run(gap_olds) and _run(gap_news)):
                out.update(zip(gap_olds, gap_news, strict=False))
    # twice by neighbours (copies placed in the first round are neighbours that place others), then by
    # place; each round reads the anchors as they stood before it, so the order of the slots does not matter
    for step in ("neighbours", "neighbours", "place"):
        before = dict(out)
        taken = set(before.values())
        for olds, news in repeated:
            left_o = [a for a in olds if a not in before]
            left_n = [b for b in news if b not in taken]
            if not left_o or not left_n:
                continue
            if step == "neighbours":
                out.update(_same_neighbours(left_o, left_n, before, len(st.old.nodes), len(st.new.nodes)))
            elif len(st.old.key[left_o[0]]) >= MIN_CLAUSE:  # 各位代表！ between unpaired neighbours is left
                out.update(_nearest_copies(left_o, left_n, len(st.old.nodes), len(st.new.nodes)))  # to place
    return out


def _same_neighbours(olds: list[int], news: list[int], anchored: dict[int, int], n_old: int, n_new: int,
                     ) -> dict[int, int]:
    """Copies whose node before or after is anchored to the other copy's (the ``各位代表！`` that opens
    the same paragraph in both years); among several such, nearest relative place first. Read alike
    from either side."""
    ok = [(a, b) for a in olds for b in news
          if (a > 0 and b > 0 and anchored.get(a - 1) == b - 1)
          or (a + 1 < n_old and b + 1 < n_new and anchored.get(a + 1) == b + 1)]
    return _nearest_copies([a for a, _ in ok], [b for _, b in ok], n_old, n_new, allowed=set(ok))


def _nearest_copies(olds: list[int], news: list[int], n_old: int, n_new: int,
                    allowed: set[tuple[int, int]] | None = None) -> dict[int, int]:
    """The remaining copies of one text, paired nearest relative place first: the cost of a pair is the
    same read from either side, so swapping the inputs pairs the same copies (the assignment's tie-break
    between equal candidates would not)."""
    cost = sorted((abs(a / max(1, n_old) - b / max(1, n_new)), a / max(1, n_old) + b / max(1, n_new), a, b)
                  for a in set(olds) for b in set(news) if allowed is None or (a, b) in allowed)
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, _, a, b in cost:
        if a not in out and b not in used:
            out[a] = b
            used.add(b)
    return out


def _run(nodes: list[int]) -> bool:
    """True when the nodes stand one after another (a line repeated in a row)."""
    return all(b == a + 1 for a, b in itertools.pairwise(nodes))


def _content_first_pass(st: _State) -> dict[tuple[int, int], float]:
    """Step 2–3: content scores on candidate pairs and a first one-to-one assignment."""
    st.co, st.cn = _members(st.old, "content"), _members(st.new, "content")
    st.pos_o = {i: a for a, i in enumerate(st.co)}
    st.pos_n = {j: b for b, j in enumerate(st.cn)}
    on, nn = st.old.nodes, st.new.nodes
    vec = Vectors([on[i].title + on[i].body for i in st.co], [nn[j].title + nn[j].body for j in st.cn])
    cand = vec.topk(CANDIDATES, CANDIDATE_FLOOR).tocoo()
    r, c, sim = cand.row, cand.col, cand.data.copy()
    ok = _together(st, [st.co[a] for a in r], [st.cn[b] for b in c])
    r, c, sim = r[ok], c[ok], sim[ok]
    if len(sim):
        tdice = set_dice([on[i].title for i in st.co], [nn[j].title for j in st.cn], r, c)
        blend = (1 - TITLE_WEIGHT) * sim + TITLE_WEIGHT * np.maximum(tdice, sim)
        sim = np.where((tdice >= 0) & (sim > 0.05), blend, sim)
        titles = Vectors([on[i].title for i in st.co], [nn[j].title for j in st.cn])
        apart = (tdice >= 0) & (titles.cosine_at(r, c) < NAMED_APART)
        st.apart = csr_matrix((apart, (r, c)), shape=(len(st.co), len(st.cn)), dtype=bool)
        ro = r / max(1, len(st.co) - 1)
        rn = c / max(1, len(st.cn) - 1)
        sim = sim + POSITION_WEIGHT * (1 - np.abs(ro - rn)) * (sim > 0.1)
    st.base = csr_matrix((sim, (r, c)), shape=(len(st.co), len(st.cn)))
    return _assign(st, st.base, st.co, st.cn)


def _assign(st: _State, scores: csr_matrix, rows_ix: list[int], cols_ix: list[int],
            floor: float | None = None, apart: csr_matrix | None = None) -> dict[tuple[int, int], float]:
    m = scores.tocoo()
    r, c, v = m.row, m.col, m.data
    taken_r = {a for a, i in enumerate(rows_ix) if i in st.pinned}
    pinned_new = set(st.pinned.values())
    taken_c = {b for b, j in enumerate(cols_ix) if j in pinned_new}
    keep = np.array([a not in taken_r and b not in taken_c for a, b in zip(r, c, strict=True)], dtype=bool)
    if not keep.any():  # everything pinned or anchored (a document against itself)
        return {}
    strict = None
    apart = st.apart if apart is None else apart
    if apart is not None and apart.shape == scores.shape and len(r):
        strict = np.asarray(apart[r[keep], c[keep]]).ravel().astype(bool)
    rk, ck = r[keep], c[keep]
    places = (np.array([rows_ix[a] for a in rk.tolist()], dtype=float) / max(1, len(st.old.nodes)),
              np.array([cols_ix[b] for b in ck.tolist()], dtype=float) / max(1, len(st.new.nodes)))
    found = _match(rk, ck, v[keep], len(rows_ix), len(cols_ix), st.floor if floor is None else floor,
                   strict, places)
    return {(rows_ix[a], cols_ix[b]): s for a, (b, s) in found.items()}


def _align_headings(st: _State, content: dict[tuple[int, int], float]) -> dict[int, int]:
    """Step 4: headings by their own text and by where their descendants went."""
    ho, hn = _members(st.old, "heading"), _members(st.new, "heading")
    pinned = {i: j for i, j in st.pinned.items() if st.old.cls[i] == "heading"}
    if not ho or not hn:
        return pinned
    on, nn = st.old.nodes, st.new.nodes
    vec = Vectors([on[i].title + on[i].body for i in ho], [nn[j].title + nn[j].body for j in hn])
    whole = Vectors([_section_text(st.old, i) for i in ho], [_section_text(st.new, j) for j in hn])
    own = vec.topk(CANDIDATES, 0.0).maximum(whole.topk(CANDIDATES, 0.0))
    # descendants paired into each other: D_old · P · D_newᵀ
    p_rows = [i for i, _ in content]
    p_cols = [j for _, j in content]
    pair_m = csr_matrix((np.ones(len(p_rows)), (p_rows, p_cols)), shape=(len(on), len(nn)))
    d_old = _descendant_matrix(st.old, ho)
    d_new = _descendant_matrix(st.new, hn)
    shared = (d_old @ pair_m @ d_new.T).tocsr()
    cand = (own + shared).tocoo()  # union of candidate positions
    ok = _together(st, [ho[a] for a in cand.row], [hn[b] for b in cand.col])
    r, c = cand.row[ok], cand.col[ok]
    own_v = np.asarray(own[r, c]).ravel()
    shared_v = np.asarray(shared[r, c]).ravel()
    size_o = np.array([st.old.end[i] - i - 1 for i in ho], dtype=float)
    size_n = np.array([st.new.end[j] - j - 1 for j in hn], dtype=float)
    total = size_o[r] + size_n[c]
    overlap = np.where(total > 0, 2 * shared_v / np.where(total > 0, total, 1), 0.0)
    same_kind = np.array([1.0 if on[ho[a]].kind == nn[hn[b]].kind else OTHER_KIND for a, b in zip(r, c, strict=True)])
    # where descendants can be counted on both sides, their pairing is evidence; a section whose text
    # stands in its own body (2023's run-in （一）着力扩大国内需求。…) has none, and is judged on its text
    both = (size_o[r] > 0) & (size_n[c] > 0)
    score = np.where(both, (1 - HEADING_CHILD_WEIGHT) * own_v + HEADING_CHILD_WEIGHT * overlap, own_v)
    equal = np.array([st.old.key[ho[a]] == st.new.key[hn[b]] for a, b in zip(r, c, strict=True)], dtype=bool)
    score = np.where(equal, np.maximum(score, 1.0), score) * same_kind
    score = score + POSITION_WEIGHT * (1 - np.abs(r / max(1, len(ho) - 1) - c / max(1, len(hn) - 1))) * (score > 0.1)
    score = score.astype(float)
    allowed = np.ones(len(score), dtype=bool)
    while True:  # pairs that cross the trees' ancestry are dropped, the weaker first, and the rest assigned again
        m = csr_matrix((score[allowed], (r[allowed], c[allowed])), shape=(len(ho), len(hn)))
        found = _assign(st, m, ho, hn, st.floor * HEADING_FLOOR_RATIO)
        crossing = _crossing(st, found, pinned)
        if not crossing:
            break
        row_of, col_of = {i: a for a, i in enumerate(ho)}, {j: b for b, j in enumerate(hn)}
        allowed &= ~np.isin(r * len(hn) + c, [row_of[i] * len(hn) + col_of[j] for i, j in crossing])
    out = {i: j for (i, j) in found}
    out.update(pinned)
    return out


def _crossing(st: _State, found: dict[tuple[int, int], float], pinned: dict[int, int]) -> list[tuple[int, int]]:
    """Heading pairs that break the trees' ancestry, to be dropped: when one old heading contains another,
    their partners must be one inside the other the same way round (a part of last year is not the
    container of this year's sections when its sibling parts became those sections: 2002's parts 一…八
    are 2003's sections （一）…（八） under one part 二、对今年政府工作的建议, which 2002 has not). The pairs
    that cross the most others go first (the container paired with one part crosses every section's
    pair): of every two pairs that cross, the one crossing more others goes, the weaker among equals, on a
    full tie both (so that the inputs swapped give the mirror result), all in one round. A pinned or
    anchored pair stays."""
    pairs = [(i, j, s) for (i, j), s in found.items()] + [(i, j, float("inf")) for i, j in pinned.items()]
    old, new = st.old, st.new
    edges = [(p, q) for p, q in itertools.combinations(pairs, 2)
             if (p[0] < q[0] < old.end[p[0]]) != (p[1] < q[1] < new.end[p[1]])
             or (q[0] < p[0] < old.end[q[0]]) != (q[1] < p[1] < new.end[q[1]])]
    crosses: Counter[tuple[int, int]] = Counter()
    for p, q in edges:
        crosses[p[:2]] += p[2] != float("inf")
        crosses[q[:2]] += q[2] != float("inf")
    out: set[tuple[int, int]] = set()  # of each crossing, the pair that crosses more (then the weaker) goes
    for p, q in edges:
        kp = (crosses[p[:2]], -p[2]) if p[2] != float("inf") else None
        kq = (crosses[q[:2]], -q[2]) if q[2] != float("inf") else None
        if kp is not None and (kq is None or kp >= kq):
            out.add((p[0], p[1]))
        if kq is not None and (kp is None or kq >= kp):
            out.add((q[0], q[1]))
    return sorted(out)


def _section_text(side: _Side, i: int) -> str:
    """A heading's whole section as text: its own title and body and every descendant's. A section is the
    same section when what it says is alike, whether it says it in measures under a short heading (2022's
    （四）深入实施创新驱动发展战略…) or in the body of a run-in heading (2023's （二）加快建设现代化产业体系。…)."""
    return "".join(n.title + n.body for n in side.nodes[i:side.end[i]])


def _descendant_matrix(side: _Side, heads: list[int]) -> csr_matrix:
    rows: list[int] = []
    cols: list[int] = []
    for a, i in enumerate(heads):
        span = range(i + 1, side.end[i])
        rows.extend([a] * len(span))
        cols.extend(span)
    return csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(heads), len(side.nodes)))


def _content_second_pass(st: _State, first: dict[tuple[int, int], float],
                         headings: dict[int, int]) -> dict[tuple[int, int], float]:
    """Step 5: the assignment again, with bonuses for pairs in corresponding places."""
    assert st.base is not None
    m = st.base.tocoo()
    r, c, v = m.row, m.col, m.data
    if not len(v):
        st.scores = st.base
        st.context = csr_matrix(st.base.shape)  # no candidates: _residual must still find its inputs
        return first
    parent_ok, top_ok = _context(st, r, c, headings, first)
    st.context = csr_matrix((1 + parent_ok + 2 * top_ok, (r, c)), shape=st.base.shape)
    bonus = PARENT_BONUS * parent_ok + PART_BONUS * top_ok
    neighbours: set[tuple[int, int]] = set()
    for (i, j) in first:
        a, b = st.pos_o[i], st.pos_n[j]
        neighbours.update({(a - 1, b - 1), (a + 1, b + 1)})
    bonus = bonus + NEIGHBOUR_BONUS * np.array([(int(a), int(b)) in neighbours for a, b in zip(r, c, strict=True)])
    scores = v + bonus * (v > MUTUAL_FLOOR_RATIO * st.floor)
    st.scores = csr_matrix((scores, (r, c)), shape=st.base.shape)
    assert st.apart is not None
    same_depth = np.array([st.old.depth[st.co[a]] == st.new.depth[st.cn[b]] for a, b in zip(r, c, strict=True)],
                          dtype=bool)
    paired_o, paired_n = set(headings), set(headings.values())
    unplaced = np.array([st.old.top[st.co[a]] not in paired_o or st.new.top[st.cn[b]] not in paired_n
                         for a, b in zip(r, c, strict=True)], dtype=bool)
    placed = parent_ok | (top_ok & same_depth) | unplaced
    st.doubtful = st.apart + csr_matrix((~placed, (r, c)), shape=st.base.shape, dtype=bool)
    return _assign(st, st.scores, st.co, st.cn, apart=st.doubtful)


def _residual(st: _State, content: dict[tuple[int, int], float]) -> dict[tuple[int, int], float]:
    """A last assignment among the content nodes still unpaired, on candidates in corresponding places
    only: once the strong pairs are taken, two leftovers in the same section that are each other's best
    (全面做好人口和计划生育工作 → 逐步完善人口政策) are the same measure reworded."""
    assert st.scores is not None and st.context is not None
    taken_o = {i for i, _ in content} | set(st.pinned)
    taken_n = {j for _, j in content} | set(st.pinned.values())
    m = st.scores.tocoo()
    ctx = np.asarray(st.context[m.row, m.col]).ravel()
    keep = np.array([st.co[a] not in taken_o and st.cn[b] not in taken_n for a, b in zip(m.row, m.col, strict=True)],
                    dtype=bool) & (ctx > 1) if len(m.data) else np.zeros(0, dtype=bool)
    if not keep.any():
        return {}
    sub = csr_matrix((m.data[keep], (m.row[keep], m.col[keep])), shape=st.scores.shape)
    return _assign(st, sub, st.co, st.cn, apart=st.doubtful)


class _ChildVotes:
    """For each unpaired heading of one side, which heading of the other side its paired children went to:
    a section dissolved into another still tells where its remaining measures belong.

    The verdict for one child leaves that child's own vote out: where a measure belongs is told by its
    siblings, or a weak pair would vouch for itself (two children going two ways, one of them the
    candidate, is no evidence for the candidate)."""

    def __init__(self, st: _State, pairs: Sequence[tuple[int, int]], headings: dict[int, int],
                 reverse: bool) -> None:
        src, dst = (st.new, st.old) if reverse else (st.old, st.new)
        paired_heads = set(headings.values()) if reverse else set(headings)
        self.parent = src.parent
        self.votes: dict[int, Counter[int]] = {}
        self.own: dict[int, int] = {}
        for a, b in pairs:
            x, y = (b, a) if reverse else (a, b)
            px, py = src.parent[x], dst.parent[y]
            if px >= 0 and py >= 0 and px not in paired_heads:
                self.votes.setdefault(px, Counter())[py] += 1
                self.own[x] = py

    def went(self, child: int) -> int:
        """The heading that received at least half of ``child``'s paired siblings (-2 when none did)."""
        votes = self.votes.get(self.parent[child])
        if not votes:
            return -2
        mine = self.own.get(child)
        best, most, total = -2, 0, 0
        for py, n in sorted(votes.items()):
            n -= py == mine
            total += n
            if n > most:
                best, most = py, n
        return best if most and 2 * most >= total else -2


def _context(st: _State, r: np.ndarray, c: np.ndarray, headings: dict[int, int],
             pairs: dict[tuple[int, int], float]) -> tuple[np.ndarray, np.ndarray]:
    """For candidate entries (content rows r, columns c): are the parents in corresponding places, and
    (if not) are the top-level parts? A parent counts as paired with the heading that received most of
    its other paired children when it has no counterpart of its own (``_ChildVotes``)."""
    hp = dict(headings)
    hp_rev = {j: i for i, j in headings.items()}
    via_o = _ChildVotes(st, list(pairs), headings, reverse=False)
    via_n = _ChildVotes(st, list(pairs), headings, reverse=True)
    rows = [st.co[a] for a in r]
    cols = [st.cn[b] for b in c]
    op = [st.old.parent[i] for i in rows]
    np_ = [st.new.parent[j] for j in cols]
    ot = [st.old.top[i] for i in rows]
    nt = [st.new.top[j] for j in cols]
    parent_ok = np.array([(x < 0 and y < 0) or (x >= 0 and (hp.get(x, via_o.went(i)) == y
                                                             or hp_rev.get(y, via_n.went(j)) == x))
                          for x, y, i, j in zip(op, np_, rows, cols, strict=True)], dtype=bool)
    top_ok = np.array([x != i and hp.get(x) == y for x, y, i in zip(ot, nt, rows, strict=True)],
                      dtype=bool) & ~parent_ok
    return parent_ok, top_ok


def _slots(st: _State, content: dict[tuple[int, int], float],
           headings: dict[int, int]) -> dict[tuple[int, int], float]:
    """Untitled paragraphs in the intro / lead-in slot of paired headings, or alone between two pairs.

    An analyst pairs "the intro of section (一)" across years even when its wording is new; the slot
    wins over a pair made out of place (last year's section intro echoed in this year's review)."""
    on, nn = st.old.nodes, st.new.nodes
    is_co, is_cn = set(st.co), set(st.cn)
    pairs = {i: j for (i, j) in content} | dict(headings) | dict(st.pinned)
    back = {j: i for i, j in pairs.items()}
    out: dict[tuple[int, int], float] = {}

    def take(i: int, j: int) -> None:
        out[(i, j)] = _score(st, i, j)
        pairs[i] = j
        back[j] = i

    def displaceable(i: int, j: int) -> bool:
        """Free, or paired out of place (neither parents nor parts correspond) and not near-verbatim."""
        if i in st.pinned or j in st.pinned.values():
            return False
        if i in pairs and not _out_of_place(st, i, pairs[i]):
            return False
        return not (j in back and not _out_of_place(st, back[j], j))

    for h, k in sorted(headings.items()):
        for i, j in ((h + 1, k + 1), (h - 1, k - 1)):
            if i in is_co and j in is_cn and not on[i].title and not nn[j].title and displaceable(i, j) \
                    and pairs.get(i) != j and not _goes_elsewhere(st, i, j):
                for x, y in ((i, pairs.get(i)), (back.get(j), j)):
                    if x is not None and y is not None:
                        content.pop((x, y), None)
                        out.pop((x, y), None)
                        pairs.pop(x, None)
                        back.pop(y, None)
                take(i, j)
    for i in range(1, len(on) - 1):
        if i in pairs or i not in is_co:
            continue
        prev_j, next_j = pairs.get(i - 1), pairs.get(i + 1)
        if prev_j is None or next_j is None or next_j != prev_j + 2:
            continue
        j = prev_j + 1
        if j in back or j not in is_cn or on[i].title or nn[j].title:
            continue  # measures with run-in titles are named; a different name in the slot is a new one
        take(i, j)
    return out


def _goes_elsewhere(st: _State, i: int, j: int) -> bool:
    """Either node of a slot has a clearly better candidate in its own place (``ATTACH_MIN`` and twice its
    score with the slot partner): its content went there, the slot is a coincidence of layout."""
    a, b = st.pos_o.get(i), st.pos_n.get(j)
    if st.scores is None or st.context is None or a is None or b is None:
        return False
    here = float(st.scores[a, b])
    bar = max(ATTACH_MIN, 2 * here)
    for scores, ctx in ((st.scores[a], st.context[a]), (st.scores[:, b].T, st.context[:, b].T)):
        row, places = scores.tocsr(), ctx.tocsr()
        in_place = np.asarray(places[0, row.indices].todense()).ravel() > 1
        if (row.data[in_place] >= bar).any():
            return True
    return False


def _out_of_place(st: _State, i: int, j: int) -> bool:
    """A content pair whose parents and top-level parts do not correspond, and that is no near-copy
    (``ABSORB_MAX_OWN``): the slot of a paired heading's intro has the better claim."""
    a, b = st.pos_o.get(i), st.pos_n.get(j)
    if a is None or b is None or st.context is None or st.scores is None:
        return False
    return float(st.context[a, b]) <= 1 and float(st.scores[a, b]) < ABSORB_MAX_OWN


def _score(st: _State, i: int, j: int) -> float:
    """Context-aware content score of old node i and new node j (0 when not a candidate)."""
    a, b = st.pos_o.get(i), st.pos_n.get(j)
    if st.scores is None or a is None or b is None:
        return 0.0
    return float(max(st.scores[a, b], 0.0))


def _cross_level(st: _State) -> None:
    """An unpaired heading whose own words are (almost) all in one unpaired content node of the other
    year pairs with it: a section became a measure (（二）保持物价总水平基本稳定 → 关于物价总水平。保持物价
    总水平基本稳定始终是…), or a measure became a section. Its children may then join that node."""
    taken_n = set(st.pairs.values())
    for heads_side, other_side, is_old in ((st.old, st.new, True), (st.new, st.old, False)):
        taken = set(st.pairs) if is_old else taken_n
        heads = [h for h in _members(heads_side, "heading") if h not in taken]
        others_taken = taken_n if is_old else set(st.pairs)
        contents = _members(other_side, "content")
        heads = [h for h in heads if len(heads_side.key[h]) >= CROSS_MIN_CHARS]
        if not heads or not contents:
            continue
        titles = [heads_side.nodes[h].title + heads_side.nodes[h].body for h in heads]
        texts = [other_side.nodes[c].title + other_side.nodes[c].body for c in contents]
        vec = Vectors(titles, texts)
        cand = vec.topk(CANDIDATES, CANDIDATE_FLOOR).tocoo()
        same = _together(st, *(([heads[a] for a in cand.row], [contents[b] for b in cand.col]) if is_old
                               else ([contents[b] for b in cand.col], [heads[a] for a in cand.row])))
        cand = coo_matrix((cand.data[same], (cand.row[same], cand.col[same])), shape=cand.shape)
        if not len(cand.data):
            continue
        inside, _ = vec.containment_at(cand.row, cand.col)
        named = _title_in_heading([other_side.nodes[contents[b]].title for b in cand.col],
                                  [titles[a] for a in cand.row])
        best: dict[int, tuple[float, int]] = {}
        score = np.where(inside >= CROSS_TITLE_BODY, np.maximum(inside, named), inside)
        start = np.array([heads[a] / len(heads_side.nodes) for a in cand.row])
        end = np.array([heads_side.end[heads[a]] / len(heads_side.nodes) for a in cand.row])
        there = np.array([contents[b] / len(other_side.nodes) for b in cand.col])
        shift = np.maximum(start - there, 0) + np.maximum(there - end, 0)  # 0 inside the section's extent
        score = np.where(shift <= CROSS_MAX_SHIFT, score, 0.0)
        for a, b, v in zip(cand.row, cand.col, score, strict=True):
            if v >= CROSS_CONTAINMENT and v > best.get(int(a), (0.0, -1))[0]:
                best[int(a)] = (float(v), int(b))
        used: set[int] = set()
        for a, (v, b) in sorted(best.items(), key=lambda kv: -kv[1][0]):
            if b in used:
                continue
            used.add(b)
            h, c = heads[a], contents[b]
            if c in others_taken:  # the node has its partner already: the heading joins its group later
                (st.heading_into_old if is_old else st.heading_into_new)[h] = c
                continue
            i, j = (h, c) if is_old else (c, h)
            st.pairs[i] = j
            st.sims[(i, j)] = round(v, 4)
            taken_n.add(j)


def _title_in_heading(titles: Sequence[str], headings: Sequence[str]) -> np.ndarray:
    """Share of each run-in title's bigrams found in the heading beside it (0 for titles under
    ``CROSS_MIN_CHARS``): a part folded into one measure keeps its name as the measure's title
    (二、坚持五育并举，提升教育教学质量 → 坚持五育并举。)."""
    out = np.zeros(len(titles))
    for k, (title, heading) in enumerate(zip(titles, headings, strict=True)):
        a = set(bigrams(title))
        if len(content_key(title)) >= CROSS_MIN_CHARS and a:
            out[k] = len(a & set(bigrams(heading))) / len(a)
    return out


def _front_roles(st: _State) -> None:
    """The other front-matter roles (metadata, title, signature …) pair by role, in order."""
    for cls in sorted({c for c in st.old.cls if c.startswith("front:")}):
        os_ = [i for i, c in enumerate(st.old.cls) if c == cls and i not in st.pairs]
        taken = set(st.pairs.values())
        ns_ = [j for j, c in enumerate(st.new.cls) if c == cls and j not in taken]
        for i, j in zip(os_, ns_, strict=False):
            st.pairs[i] = j
            a, b = st.old.nodes[i], st.new.nodes[j]
            st.sims[(i, j)] = 1.0 if normalize(a.text) == normalize(b.text) else 0.5


def _punctuation_only(st: _State) -> None:
    """Nodes with no letters at all (``——``, ``：``) pair with an equal node of the same class, in order."""
    taken = set(st.pairs.values())
    free_new: dict[tuple[str, str], list[int]] = {}
    for j, n in enumerate(st.new.nodes):
        if j not in taken and not st.new.key[j]:
            free_new.setdefault((st.new.cls[j], normalize(n.text)), []).append(j)
    for i, n in enumerate(st.old.nodes):
        if i in st.pairs or st.old.key[i]:
            continue
        queue = free_new.get((st.old.cls[i], normalize(n.text)))
        if queue:
            st.pairs[i] = queue.pop(0)
            st.sims[(i, st.pairs[i])] = 1.0


# --- sentences: flows and evidence ---------------------------------------------------------------


def _node_grams(side: _Side, i: int) -> frozenset[str]:
    """The node's bigram set, kept on the side: clause sources scan the same nodes for every clause, and
    the shared cache would hash the node's whole text again on each look-up."""
    found = side.grams.get(i)
    if found is None:
        node = side.nodes[i]
        found = side.grams[i] = bigram_set(node.title + node.body)
    return found


def link_scores(vec: Vectors, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Sentence link score (``Vectors.link_at``): cosine or weighted containment, whichever is higher."""
    return vec.link_at(rows, cols)


class _Sentences:
    """Sentences of both documents' content nodes, their vectors and global flows."""

    def __init__(self, st: _State) -> None:
        self.old: list[tuple[int, Sentence]] = [(i, s) for i in st.co for s in st.old.nodes[i].sentences]
        self.new: list[tuple[int, Sentence]] = [(j, s) for j in st.cn for s in st.new.nodes[j].sentences]
        self.vec = Vectors([s.text for _, s in self.old], [s.text for _, s in self.new])
        self.of_old: dict[int, list[int]] = {}
        self.of_new: dict[int, list[int]] = {}
        for k, (i, _) in enumerate(self.old):
            self.of_old.setdefault(i, []).append(k)
        for k, (j, _) in enumerate(self.new):
            self.of_new.setdefault(j, []).append(k)
        cand = self.vec.topk(3, CANDIDATE_FLOOR).tocoo()
        same = _together(st, [self.old[a][0] for a in cand.row], [self.new[b][0] for b in cand.col])
        cand = coo_matrix((cand.data[same], (cand.row[same], cand.col[same])), shape=cand.shape)
        scores = link_scores(self.vec, cand.row, cand.col)
        self.links = coo_matrix((scores, (cand.row, cand.col)), shape=(len(self.old), len(self.new))).tocsr()
        self.old_flows: dict[Span, Flow] = {}
        self.new_flows: dict[Span, Flow] = {}
        self._between: dict[tuple[tuple[int, ...], tuple[int, ...]], list[tuple[int, int, float]]] = {}
        self._restates: dict[tuple[int, int, bool], bool] = {}  # asked again in every sweep of the leftovers
        self._unexplained: dict[tuple[int, int, bool], bool] = {}  # asked again in every round of step 6f
        self._clause_weights: dict[tuple[int, int], list[tuple[dict[str, float], float]]] = {}
        self._paired_into: dict[int, set[int]] = {}  # new node → old nodes paired with it
        for i, j in st.pairs.items():
            self._paired_into.setdefault(j, set()).add(i)
        self._content_by_top = (_by_top(st.old, st.co), _by_top(st.new, st.cn))  # old side, new side
        self._flows(st)

    def _flows(self, st: _State) -> None:
        m = self.links.tocoo()
        best_old: dict[int, tuple[float, int]] = {}
        best_new: dict[int, tuple[float, int]] = {}
        for a, b, v in zip(m.row, m.col, m.data, strict=True):
            if v >= FLOW_MIN:
                if v > best_old.get(int(a), (0.0, -1))[0]:
                    best_old[int(a)] = (float(v), int(b))
                if v > best_new.get(int(b), (0.0, -1))[0]:
                    best_new[int(b)] = (float(v), int(a))
        for a, (v, b) in best_old.items():
            self.old_flows[self.old[a][1].span] = Flow(st.new.nodes[self.new[b][0]].id, round(v, 4))
        for b, (v, a) in best_new.items():
            self.new_flows[self.new[b][1].span] = Flow(st.old.nodes[self.old[a][0]].id, round(v, 4))

    def share_in(self, piece: int, target: int, piece_is_old: bool) -> float:
        """Share (by characters) of node ``piece``'s sentences with a link ≥ ``LINK_MIN`` into ``target``."""
        olds, news = ([piece], [target]) if piece_is_old else ([target], [piece])
        best: dict[int, float] = {}
        for a, b, v in self.between(olds, news):
            k = a if piece_is_old else b
            best[k] = max(best.get(k, 0.0), v)
        pool = self.old if piece_is_old else self.new
        mine = (self.of_old if piece_is_old else self.of_new).get(piece, [])
        total = sum(len(pool[k][1].text) for k in mine)
        linked = sum(len(pool[k][1].text) for k in mine if best.get(k, 0.0) >= LINK_MIN)
        return linked / total if total else 0.0

    def restates(self, st: _State, piece: int, target: int, piece_is_old: bool) -> bool:
        """Is some clause of ``target`` a restatement of ``piece``: at least ``CLAUSE_SOURCE_MIN`` of its
        weighted word bigrams found there, and more than in any other content node of the piece's side in
        a place that could be the clause's source? A condensed summary keeps one clause per measure it
        absorbs (保障重要商品供给，搞活流通，降低物流成本), so the direction that counts is summary clause → its
        one best source.

        The places are the piece's own part and the part paired with the target's: a clause of this
        year's plan restates last year's plan, and last year's review of the year before, which mentions
        the same topics (走出去, 价格监管), is out of place here as it is for the assignment (§3)."""
        key = (piece, target, piece_is_old)
        found = self._restates.get(key)
        if found is None:
            found = self._restates[key] = self._restates_now(st, piece, target, piece_is_old)
        return found

    def restates_unexplained(self, st: _State, piece: int, target: int, members: Sequence[int],
                             piece_is_old: bool) -> bool:
        """``restates`` by a clause that the ``members`` (the target's group, on the piece's side) do not
        already hold: less than ``CLAUSE_SOURCE_MIN`` of its weighted word bigrams, and less than the piece."""
        key = (piece, target, piece_is_old)
        found = self._unexplained.get(key)
        if found is None:  # asked once: a "no" stays no as the group grows (more of the clause is held)
            held = frozenset().union(*(_node_grams(st.old if piece_is_old else st.new, m) for m in members))
            found = self._unexplained[key] = self._restates_now(st, piece, target, piece_is_old, held)
        return found

    def _restates_now(self, st: _State, piece: int, target: int, piece_is_old: bool,
                      held: frozenset[str] | None = None) -> bool:
        mine, theirs = (st.old, st.new) if piece_is_old else (st.new, st.old)
        grams = _node_grams(mine, piece)
        their_top = theirs.top[target]
        tops = set(self._paired_into.get(their_top, ())) if piece_is_old else \
            ({st.pairs[their_top]} if their_top in st.pairs else set())
        tops.add(mine.top[piece])
        for weights, total in self._clauses(theirs, target):
            here = sum(w for g, w in weights.items() if g in grams)
            if held is not None and here >= CLAUSE_SOURCE_MIN * total:
                had = sum(w for g, w in weights.items() if g in held)
                if had >= CLAUSE_SOURCE_MIN * total or had >= here:
                    continue
            if here >= CLAUSE_SOURCE_MIN * total \
                    and self._best_source(mine, self._content_by_top[0 if piece_is_old else 1], weights,
                                          tops) == piece:
                return True
        return False

    def _clauses(self, side: _Side, node: int) -> list[tuple[dict[str, float], float]]:
        """The clauses of a node (``CLAUSE_MIN_CHARS`` or longer) as IDF weights of their word bigrams and
        their total, worked out once per node: a summary is asked about each leftover around it."""
        key = (id(side), node)
        found = self._clause_weights.get(key)
        if found is None:
            found = []
            for clause in _CLAUSE_END_ALL.split(side.nodes[node].title + side.nodes[node].body):
                if len(clause) >= CLAUSE_MIN_CHARS:
                    weights = {g: self.vec.idf(g) for g in word_bigrams(clause)}
                    total = sum(weights.values())
                    if total:
                        found.append((weights, total))
            self._clause_weights[key] = found
        return found

    @staticmethod
    def _best_source(side: _Side, by_top: dict[int, list[int]], weights: dict[str, float], tops: set[int]) -> int:
        """The content node of ``side`` under one of ``tops`` holding most of a clause's weighted bigrams
        (the earliest on a tie). A scan of the few hundred nodes in place costs less than an index of every
        bigram of the report (built for 51 reports: 0.7 s, and 20 MB held)."""
        best, most = -1, 0.0
        for i in sorted(i for t in tops for i in by_top.get(t, ())):
            grams = _node_grams(side, i)
            found = sum(w for g, w in weights.items() if g in grams)
            if found > most:
                best, most = i, found
        return best

    def between(self, olds: Sequence[int], news: Sequence[int]) -> list[tuple[int, int, float]]:
        """All sentence scores between the given old and new nodes: (old sentence, new sentence, score)."""
        found = self._between.get((tuple(olds), tuple(news)))
        return found if found is not None else self.between_many([(olds, news)])[0]

    def between_many(self, groups: Sequence[tuple[Sequence[int], Sequence[int]]],
                     ) -> list[list[tuple[int, int, float]]]:
        """``between`` for many groups, scored in one pass (and remembered): a comparison has a few hundred
        groups of a few sentences each, where one sparse call per group would cost more than its pairs."""
        out: list[list[tuple[int, int, float]]] = []
        rows: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        pending: list[tuple[int, list[int], list[int]]] = []
        for g, (olds, news) in enumerate(groups):
            ro = [k for i in olds for k in self.of_old.get(i, [])]
            rn = [k for j in news for k in self.of_new.get(j, [])]
            out.append([])
            if not ro or not rn:
                continue
            if len(ro) * len(rn) > GROUP_PAIRS:  # a huge group: its sentences' global candidates only
                sub = self.links[ro][:, rn].tocoo()
                out[g] = [(ro[a], rn[b], float(v)) for a, b, v in zip(sub.row, sub.col, sub.data, strict=True)]
                continue
            rows.append(np.repeat(np.array(ro), len(rn)))
            cols.append(np.tile(np.array(rn), len(ro)))
            pending.append((g, ro, rn))
        if pending:
            r, c = np.concatenate(rows), np.concatenate(cols)
            v = link_scores(self.vec, r, c)
            at = 0
            for g, ro, rn in pending:
                n = len(ro) * len(rn)
                out[g] = list(zip(r[at:at + n].tolist(), c[at:at + n].tolist(), v[at:at + n].tolist(), strict=True))
                at += n
        for (olds, news), found in zip(groups, out, strict=True):
            self._between[(tuple(olds), tuple(news))] = found
        return out


# --- split, merged, condensed ---------------------------------------------------------------------


def _attach(st: _State, sentences: _Sentences) -> dict[int, tuple[list[int], list[int]]]:
    """Step 6: unpaired content nodes join the group of the paired node their content flows into.

    A leftover looks for its best candidate in its own place (parents or parts corresponding) and joins
    that candidate's group when the candidate is paired and either the content evidence is enough
    (``ATTACH_MIN`` and ``ATTACH_RATIO``) or an adjacent sibling of the leftover went to the same node
    and they share anything at all (``SIBLING_MIN``): neighbouring measures of one section condensed
    into one paragraph. In a condensing region, a clause that restates the leftover outweighs shared
    vocabulary (``_leftovers``, ``with_siblings``). A piece scoring under ``min_similarity`` must also
    be *made of* the node it joins (``PIECE_SHARE`` of its text in linked sentences) unless that node
    is a condensation of the group (``CONDENSED_LENGTH_RATIO``) or the region is being condensed
    (``CONDENSING_RATIO``).

    Both sides are treated alike, so that comparing the years the other way round gives the mirror
    groups; when a pair attracts pieces on both sides, the side with the stronger piece wins, on a tie
    neither (no many-to-many groups).

    Returns groups keyed by the old index of their one-to-one pair: (olds, news)."""
    groups: dict[int, tuple[list[int], list[int]]] = {i: ([i], [j]) for i, j in st.pairs.items()}
    if st.scores is None or st.context is None or not st.scores.nnz:
        return groups
    back = {j: i for i, j in st.pairs.items()}
    extra_new: dict[int, list[tuple[int, float]]] = {}  # lead (old index) -> new pieces
    extra_old: dict[int, list[tuple[int, float]]] = {}
    for j, i, v, sure in _leftovers(st, sentences, st.scores.T.tocsr(), st.context.T.tocsr(), st.cn, st.co,
                                    st.new, back, st.pairs):
        if sure or v >= st.floor or _made_of(st, sentences, olds=[i], news=[st.pairs[i], j], piece_old=False, piece=j,
                                     target=i):
            extra_new.setdefault(i, []).append((j, v))
    for i, j, v, sure in _leftovers(st, sentences, st.scores, st.context, st.co, st.cn, st.old, st.pairs, back):
        if sure or v >= st.floor or _made_of(st, sentences, olds=[back[j], i], news=[j], piece_old=True, piece=i,
                                             target=j):
            extra_old.setdefault(back[j], []).append((i, v))
    for lead in sorted(set(extra_new) | set(extra_old)):
        news_, olds_ = extra_new.get(lead, []), extra_old.get(lead, [])
        if news_ and olds_:  # the side with the stronger piece; on a tie neither, whichever side is old
            top_n, top_o = max(v for _, v in news_), max(v for _, v in olds_)
            news_, olds_ = (news_ if top_n > top_o else []), (olds_ if top_o > top_n else [])
        groups[lead][0].extend(i for i, _ in olds_)
        groups[lead][1].extend(j for j, _ in news_)
    return groups


def _condensing(st: _State, i: int, j: int, towards_new: bool) -> bool:
    """Is the region of old node i and new node j (their top-level parts) condensed in the direction of the
    piece: many more content nodes on the piece's side than on the other (``CONDENSING_RATIO``)? An
    end-of-term report turns ten measures into one paragraph; there, a rewritten merge is the rule."""
    counts = st.region_counts
    if counts is None:
        counts = st.region_counts = (_count_by_top(st.old, st.co), _count_by_top(st.new, st.cn))
    if st.pairs.get(st.old.top[i]) != st.new.top[j]:
        return False  # a region is a pair of corresponding parts
    a, b = counts[0].get(st.old.top[i], 0), counts[1].get(st.new.top[j], 0)
    return (a >= CONDENSING_RATIO * b) if towards_new else (b >= CONDENSING_RATIO * a)


def _by_top(side: _Side, members: Sequence[int]) -> dict[int, list[int]]:
    """``members`` grouped by their top-level part, in order."""
    out: dict[int, list[int]] = {}
    for i in members:
        out.setdefault(side.top[i], []).append(i)
    return out


def _count_by_top(side: _Side, members: list[int]) -> dict[int, int]:
    return {t: len(nodes) for t, nodes in _by_top(side, members).items()}


def _made_of(st: _State, sentences: _Sentences, olds: list[int], news: list[int], piece_old: bool, piece: int,
             target: int) -> bool:
    """Is ``piece`` really part of ``target``'s group: its sentences are found in ``target``, or the
    target is a condensation of the group (shorter than ``CONDENSED_LENGTH_RATIO`` of the other side)?"""
    share = sentences.share_in(piece, target, piece_is_old=piece_old)
    if share >= PIECE_SHARE or _condensing(st, piece if piece_old else target, target if piece_old else piece,
                                           piece_old):
        return True
    many = olds if piece_old else news
    single = st.new.key[target] if piece_old else st.old.key[target]
    side = st.old if piece_old else st.new
    return len(single) < CONDENSED_LENGTH_RATIO * sum(len(side.key[k]) for k in many)


def _leftovers(st: _State, sentences: _Sentences, scores: csr_matrix, context: csr_matrix, mine: list[int],
               theirs: list[int], side: _Side, paired: dict[int, int],
               partner_of: dict[int, int]) -> list[tuple[int, int, float, bool]]:
    """(leftover, node of the other side whose group it may join, score, sure) for one side's unpaired
    nodes; ``sure`` when the leftover's own section became that node (``_cross_level``).

    Leftovers are placed in sweeps until none moves: a measure between two leftovers learns where its
    neighbours went only once they are placed, whichever comes first in the document."""
    out: list[tuple[int, int, float, bool]] = []
    dest = dict(paired)
    row_of, theirs_pos = (st.pos_o, st.pos_n) if side is st.old else (st.pos_n, st.pos_o)
    other = st.new if side is st.old else st.old
    towards_new = side is st.old

    def place(a: int, x: int) -> tuple[int, int, float, bool] | None:
        cols, vals = _row(scores, a)
        up = paired.get(side.parent[x], -1)
        if up not in theirs_pos:
            up = (st.heading_into_old if towards_new else st.heading_into_new).get(side.parent[x], -1)
        if up in theirs_pos:  # its section became that node: what it shares is condensed there
            v_up = _at(scores, a, theirs_pos[up])
            linked = (v_up >= SIBLING_MIN and sentences.share_in(x, up, piece_is_old=towards_new) > 0) \
                or sentences.restates(st, x, up, towards_new)
            return (x, up, v_up, True) if v_up >= ATTACH_MIN or linked else None
        if len(side.nodes[x].text) < SPLIT_MIN_CHARS:
            return best(a, x, cols, vals, short=True)
        found = best(a, x, cols, vals, short=False)
        if found is None:
            return with_siblings(a, x)
        return with_siblings(a, x, rival=found[1]) or found

    def best(a: int, x: int, cols: np.ndarray, vals: np.ndarray, short: bool) -> tuple[int, int, float, bool] | None:
        """Its best candidate in its own place, on content evidence or beside a sibling that went there."""
        in_place = _at_many(context, a, cols) > 1 if len(cols) else np.zeros(0, dtype=bool)
        if not in_place.any():
            return None
        k = int(np.argmax(np.where(in_place, vals, -1.0)))
        b, v = int(cols[k]), float(vals[k])
        y = theirs[b]
        lead = partner_of.get(y)
        if lead is None:
            return None
        own = _at(scores, row_of[lead], b) if lead in row_of else 0.0
        if short and (v < st.floor or len(other.nodes[y].text) < SHORT_PIECE_FACTOR * len(side.nodes[x].text)):
            return None  # a short line joins only a node it is a small, similar part of (a lead-in and its list)
        absorbs = own < ABSORB_MAX_OWN or sentences.share_in(x, y, piece_is_old=towards_new) > 0
        if (v >= ATTACH_MIN and v >= ATTACH_RATIO * own and absorbs) or (y in adjacent(x) and v >= SIBLING_MIN
                                                                          and own < ABSORB_MAX_OWN):
            return (x, y, v, False)
        return None

    def adjacent(x: int) -> list[int]:
        return [dest[n] for n in (x - 1, x + 1)
                if 0 <= n < len(side.nodes) and side.parent[n] == side.parent[x] and n in dest]

    def with_siblings(a: int, x: int, rival: int = -1) -> tuple[int, int, float, bool] | None:
        """In a condensing region, a leftover goes where an adjacent sibling went when it shares content
        with that node: a linked sentence, ``ATTACH_MIN``, or a clause of it that restates the leftover
        (evidence enough by itself: the clause is the shared content).

        With a ``rival`` (the node its best candidate in place would give it), only restatement counts,
        and only against a rival that restates nothing of it: a summary keeps a clause of what it
        absorbs, shared vocabulary does not. 2012's 稳定劳动密集型产品出口… shares 高技术, 高附加值 with 2013's
        加快产业结构调整 paragraph (0.14) and nothing with the opening-up summary where its neighbours went
        (0.06), but that summary's 坚持把稳定出口与扩大进口结合起来 restates it. Only adjacent siblings: in a
        long part, any sibling's node that quotes a slogan of the leftover (稳增长、调结构) would take it."""
        for y_s in dict.fromkeys(adjacent(x)):
            b_s, lead_s = theirs_pos.get(y_s), partner_of.get(y_s)
            if b_s is None or lead_s is None or not _condensing(st, *((x, y_s) if towards_new else (y_s, x)),
                                                                 towards_new=towards_new):
                continue
            v_s = _at(scores, a, b_s)
            if rival >= 0:
                shares = y_s != rival and sentences.restates(st, x, y_s, towards_new) \
                    and not sentences.restates(st, x, rival, towards_new)
            else:
                shares = v_s >= ATTACH_MIN or (v_s >= SIBLING_MIN and sentences.share_in(
                    x, y_s, piece_is_old=towards_new) > 0) or sentences.restates(st, x, y_s, towards_new)
            if shares and (_at(scores, row_of[lead_s], b_s) if lead_s in row_of else 0.0) < ABSORB_MAX_OWN:
                return (x, y_s, v_s, False)
        return None

    pending = [(a, x) for a, x in enumerate(mine) if x not in paired]
    while pending:
        still: list[tuple[int, int]] = []
        for a, x in pending:
            found = place(a, x)
            if found is None:
                still.append((a, x))
            else:
                out.append(found)
                dest[x] = found[1]
        if len(still) == len(pending):
            break
        pending = still
    return out


def _demoted_intros(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """The intro of a dissolved section pairs with the lead-in before where the section's measures went.

    2012's （五）深入实施科教兴国战略… opens with 大力发展科技、教育事业…是国家强盛、民族复兴的必由之路; its
    measures went into 2013's livelihood section, where 教育和科技在现代化建设中具有基础性、先导性、全局性作用…
    now introduces them. The words differ (cosine 0.04), the role is the same: an untitled paragraph
    that opens the run of measures. The slot rule (§3) pairs intros of paired headings; this is its
    counterpart for a heading paired with nothing (its measures scattered or condensed), decided only
    when both nodes are left over, untitled, longer than a line (``SPLIT_MIN_CHARS``), the lead-in sits
    right before the node that took the section's first measure, under the same parent, and the two
    are candidates at all (a rare bigram shared, ``CANDIDATE_FLOOR``): with no paired heading to vouch
    for the place, a 1954 "各位代表！如上所说…" paragraph before where a new section's first measure came
    from is not that section's intro. The heading itself then goes with its intro
    (``_dissolved_headings``); when the lead-in is itself the intro of a heading paired with nothing
    (2007's 二、2007年工作总体部署 and 2008's 二、2008年主要任务, both opening with 今年是…), the two headings
    pair, so that both directions of a comparison give the same groups."""
    where_old, where_new = _where(groups)
    for heads, other, where_h, where_o, is_old in ((st.old, st.new, where_old, where_new, True),
                                                   (st.new, st.old, where_new, where_old, False)):
        for h, cls in enumerate(heads.cls):
            intro, first = h + 1, h + 2
            if cls != "heading" or h in where_h or first >= len(heads.nodes) or heads.parent[first] != h \
                    or not _lead_in(heads, intro, h, where_h):
                continue
            took = where_h.get(first)
            if took is None:
                continue
            members = groups[took][1] if is_old else groups[took][0]
            went = min(members)
            slot = went - 1
            if slot < 0 or not _lead_in(other, slot, other.parent[went], where_o):
                continue
            i, j = (intro, slot) if is_old else (slot, intro)
            if _score(st, i, j) <= 0:
                continue  # not even a candidate: nothing of one is in the other
            groups[i] = ([i], [j])
            st.pairs[i] = j
            st.sims[(i, j)] = _score(st, i, j)
            where_h[intro] = where_o[slot] = i
            twin = other.parent[slot]
            if twin >= 0 and slot == twin + 1 and other.cls[twin] == "heading" and twin not in where_o:
                hi, hj = (h, twin) if is_old else (twin, h)  # two unpaired sections with paired intros
                groups[hi] = ([hi], [hj])
                st.pairs[hi] = hj
                st.sims[(hi, hj)] = 0.5  # as headings paired on their place (``align``)
                where_h[h] = where_o[twin] = hi
            else:
                st.intro_of[(h, is_old)] = i


def _where(groups: dict[int, tuple[list[int], list[int]]]) -> tuple[dict[int, int], dict[int, int]]:
    """Old node → its group's lead, and new node → its group's lead."""
    where_old: dict[int, int] = {}
    where_new: dict[int, int] = {}
    for lead, (olds, news) in groups.items():
        where_old.update(dict.fromkeys(olds, lead))
        where_new.update(dict.fromkeys(news, lead))
    return where_old, where_new


def _lead_in(side: _Side, k: int, parent: int, where: dict[int, int]) -> bool:
    """Node ``k`` is a left-over untitled paragraph under ``parent``, longer than a line."""
    return 0 <= k < len(side.nodes) and side.parent[k] == parent and side.cls[k] == "content" \
        and not side.nodes[k].title and k not in where and len(side.key[k]) >= SPLIT_MIN_CHARS


def _dissolved_headings(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """Cross-level pairs: an unpaired heading whose paired content went (mostly) into one node of the
    other year joins that node's group — a section condensed into one paragraph or measure (old section
    ↔ new measure), or a measure expanded into a section (old measure ↔ new section).

    "Mostly" is a strict majority of at least ``DISSOLVED_MIN_CHILDREN`` paired descendants: a section
    whose measures scattered to several places is dissolved, not condensed, and stays removed. Each round
    (sections that became a paired node, then the rest) reads the groups as they stood before it for both
    sides, and a group that would take headings from both sides takes them from neither or the stronger
    (``_join_headings``), so swapping the inputs mirrors the groups."""
    where_old, where_new = _where(groups)
    joins: list[tuple[int, bool, int, float]] = []
    for into_map, where, where_other, is_old in ((st.heading_into_old, where_old, where_new, True),
                                                 (st.heading_into_new, where_new, where_old, False)):
        for h, c in into_map.items():  # a section that became a paired measure
            into = where_other.get(c)
            if into is not None and h not in where and len(groups[into][1 if is_old else 0]) == 1:
                joins.append((into, is_old, h, 1.0))
    _join_headings(groups, joins, where_old, where_new)
    joins = []
    for side, where, is_old in ((st.old, where_old, True), (st.new, where_new, False)):
        for h, cls in enumerate(side.cls):
            if cls != "heading" or h in where:
                continue
            if (h, is_old) in st.intro_of:  # its intro pairs with a lead-in (``_demoted_intros``)
                joins.append((st.intro_of[(h, is_old)], is_old, h, 2.0))  # not a vote: always joins
                continue
            votes: Counter[int] = Counter(where[d] for d in range(h + 1, side.end[h])
                                          if side.cls[d] == "content" and d in where)
            if not votes:
                continue
            lead, n = _most_votes(votes, groups, is_old)
            total = sum(votes.values())
            if n >= DISSOLVED_MIN_CHILDREN and 2 * n > total and len(groups[lead][1 if is_old else 0]) == 1:
                joins.append((lead, is_old, h, n / total))
    _join_headings(groups, joins, where_old, where_new, always=2.0)


def _most_votes(votes: Counter[int], groups: dict[int, tuple[list[int], list[int]]], is_old: bool,
                ) -> tuple[int, int]:
    """The group (lead) with most votes, and its votes; among equals, the group whose first node on the
    voters' side comes first. Groups are keyed by an old index, which swapping the inputs changes; the
    voters' own document is the same either way."""
    k = 0 if is_old else 1
    lead = max(votes, key=lambda g: (votes[g], -min(groups[g][k])))
    return lead, votes[lead]


def _join_headings(groups: dict[int, tuple[list[int], list[int]]], joins: Sequence[tuple[int, bool, int, float]],
                   where_old: dict[int, int], where_new: dict[int, int], always: float = 0.0) -> None:
    """Headings join groups: (lead, is old, heading, strength), all decided on the groups as they were
    before. A group drawing headings from both sides takes those of the side with the strongest one (on
    a tie neither), so that no many-to-many group is made and the decision does not depend on which
    side is read first; joins of strength ``always`` or more (a heading whose intro was paired) are kept
    whatever the other side does."""
    best: dict[tuple[int, bool], float] = {}
    for lead, is_old, _, v in joins:
        best[(lead, is_old)] = max(v, best.get((lead, is_old), 0.0))
    for lead, is_old, h, v in joins:
        rival = best.get((lead, not is_old))
        if always and v >= always:
            pass
        elif rival is not None and (rival >= always > 0 or rival >= best[(lead, is_old)]):
            continue
        groups[lead][0 if is_old else 1].append(h)
        (where_old if is_old else where_new)[h] = lead


# --- edits ---------------------------------------------------------------------------------------


def _clauses(n: Node) -> list[tuple[int, str]]:
    """(sentence index, text) of a node's units for clause flows (``text.clauses``)."""
    return [(k, c) for k, sent in enumerate(n.sentences) for c in clauses(sent.text)]


def _flow_leftovers(st: _State, groups: dict[int, tuple[list[int], list[int]]], share_min: float) -> None:
    """Step 6c: a node the passes left alone joins the node of the other year that most of its content
    flows into, when that is at least ``share_min`` of it.

    Content flows clause by clause: each clause of the leftover finds its one best clause of the other year
    in the same compartment (containment-aware ``link_scores``, at least ``LINK_MIN``), and the leftover's
    share in a node is the IDF mass of its clauses that flow there, weighted by their scores, over its
    whole mass. This is what an end-of-term report does to a measure: one clause of it survives in a
    summary paragraph, so the measure's best node holds a small but real share of it while every other
    node holds next to none. Only content nodes of six characters or more look for a node of their own
    (a heading's one short clause reaches a share by a single link); headings follow their sections in
    ``_follow_sections``. The leftover joins the group of that node; two leftovers that are each other's
    best form a group of their own. Both sides are treated alike."""
    if share_min >= 1.0:
        return
    where_old, where_new = _where(groups)
    free_o = [i for i in range(len(st.old.nodes)) if i not in where_old and st.old.cls[i] == "content"
              and len(st.old.key[i]) >= MIN_CLAUSE]  # 各位代表！ says nothing of where it went
    free_n = [j for j in range(len(st.new.nodes)) if j not in where_new and st.new.cls[j] == "content"
              and len(st.new.key[j]) >= MIN_CLAUSE]
    shares_o: dict[int, dict[int, float]] = {}
    shares_n: dict[int, dict[int, float]] = {}
    if free_o or free_n:
        units_o = [(i, t) for i, n in enumerate(st.old.nodes) if st.old.comp[i] != "front" for _, t in _clauses(n)]
        units_n = [(j, t) for j, n in enumerate(st.new.nodes) if st.new.comp[j] != "front" for _, t in _clauses(n)]
        # only the clauses of nodes left alone look for a partner, among every clause of the other year: the
        # cost follows the leftovers, not the documents (a report concatenated 64 times has few)
        # a measure's text lives in content nodes and run-in sections, not in a bare heading's few words
        # (加强社区工作者队伍建设 is not 加强社会建设 condensed)
        into_o = [(i, t) for i, t in units_o if st.old.cls[i] == "content" or st.old.nodes[i].body]
        into_n = [(j, t) for j, t in units_n if st.new.cls[j] == "content" or st.new.nodes[j].body]
        shares_o = _clause_flows(st, units_o, into_n, set(free_o), old_side=True)
        shares_n = _clause_flows(st, units_n, into_o, set(free_n), old_side=False)
    best_o = {i: max(shares_o[i].items(), key=lambda kv: (kv[1], -kv[0])) for i in free_o if shares_o.get(i)}
    best_n = {j: max(shares_n[j].items(), key=lambda kv: (kv[1], -kv[0])) for j in free_n if shares_n.get(j)}
    for i, (j, v) in sorted(best_o.items()):  # two leftovers that are each other's best: a group of their own
        if j in best_n and best_n[j][0] == i and max(v, best_n[j][1]) >= share_min:
            groups[i] = ([i], [j])
            where_old[i], where_new[j] = i, i
    # then leftovers join the group their content flows into, as merge or split pieces: an old piece a group
    # with one new node, a new piece a group with one old node; a group drawing pieces from both sides keeps
    # the side with the stronger piece (a tie, neither), so no many-to-many group is made and swapping the
    # inputs gives the mirror groups
    pieces_o: dict[int, list[tuple[int, float]]] = defaultdict(list)
    pieces_n: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for i, (j, v) in sorted(best_o.items()):
        if v >= share_min and i not in where_old and j in where_new and len(groups[where_new[j]][1]) == 1:
            pieces_o[where_new[j]].append((i, v))
    for j, (i, v) in sorted(best_n.items()):
        if v >= share_min and j not in where_new and i in where_old and len(groups[where_old[i]][0]) == 1:
            pieces_n[where_old[i]].append((j, v))
    _add_pieces(groups, pieces_o, pieces_n)
    _follow_sections(st, groups)


def _add_pieces(groups: dict[int, tuple[list[int], list[int]]], pieces_o: dict[int, list[tuple[int, float]]],
                pieces_n: dict[int, list[tuple[int, float]]]) -> None:
    """Add old and new pieces (node, strength) to their groups; where a group draws pieces from both sides,
    only the side with the strongest piece joins it (on a tie neither), so that no many-to-many group is
    made."""
    for lead in set(pieces_o) | set(pieces_n):
        po, pn = pieces_o.get(lead, []), pieces_n.get(lead, [])
        if po and pn:
            top_o, top_n = max(v for _, v in po), max(v for _, v in pn)
            po, pn = (po, []) if top_o > top_n else ([], pn) if top_n > top_o else ([], [])
        groups[lead][0].extend(i for i, _ in po)
        groups[lead][1].extend(j for j, _ in pn)


def _follow_sections(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """Step 6d: a section that became one paragraph of the other year takes its measures with it. A node
    still alone whose nearest placed ancestor (a heading) went into one content node — or into a run-in
    section, whose text is its heading's own body (2023's （一）着力扩大国内需求。…) — joins that group when
    that node is also the text of the other year closest to its own (``_best_other``): the structure says
    where to look, the content has to agree. In a condensed year a section's measures survive as clauses
    of the paragraph their heading opens, paraphrased too far for a link of their own; a measure that is
    closer to anything else, or shares nothing with anything, stays where it is (removed). No threshold:
    the bar is relative, each document pair's own."""
    where_old, where_new = _where(groups)
    joins: list[tuple[int, bool, int, float]] = []
    for side, where, is_old in ((st.old, where_old, True), (st.new, where_new, False)):
        for h in range(len(side.nodes)):  # a heading left alone goes where most of its section went
            if h in where or side.cls[h] != "heading":
                continue
            went = Counter(where[k] for k in range(h + 1, side.end[h]) if k in where and side.cls[k] == "content")
            inside = sum(1 for k in range(h + 1, side.end[h]) if side.cls[k] == "content" and side.key[k])
            if went:
                lead, count = _most_votes(went, groups, is_old)
                other_side = groups[lead][1] if is_old else groups[lead][0]
                if 2 * count > inside and len(other_side) == 1:  # a merge or a split, never many-to-many
                    joins.append((lead, is_old, h, count / max(1, inside)))
    _join_headings(groups, joins, where_old, where_new)
    # the groups as they stand now: what one side's measures join must not decide where the other side's go
    # (read in the other order, swapping the inputs would then give other groups)
    before = {lead: (tuple(olds), tuple(news)) for lead, (olds, news) in groups.items()}
    pieces: tuple[dict[int, list[tuple[int, float]]], dict[int, list[tuple[int, float]]]] = (
        defaultdict(list), defaultdict(list))
    maybe: list[tuple[int, int, int, bool]] = []
    for side, other, where, is_old in ((st.old, st.new, where_old, True), (st.new, st.old, where_new, False)):
        for k in range(len(side.nodes)):
            if k in where or side.comp[k] == "front":
                continue
            up = side.parent[k]
            while up >= 0 and up not in where:
                up = side.parent[up]
            if up < 0 or side.cls[up] != "heading":
                continue
            lead = where[up]
            targets = before[lead][1] if is_old else before[lead][0]
            if len(targets) != 1:  # joining makes a merge (or a split), never a many-to-many group
                continue
            t = targets[0]
            if not (other.cls[t] != "heading" or other.nodes[t].body):
                continue
            maybe.append((k, t, lead, is_old))
    if maybe:
        best = _best_other(st, [(k, is_old) for k, _, _, is_old in maybe])
        for (k, t, lead, is_old), b in zip(maybe, best, strict=True):
            if b == t:
                pieces[0 if is_old else 1][lead].append((k, 1.0))
    _add_pieces(groups, *pieces)


def _restated_leftovers(st: _State, groups: dict[int, tuple[list[int], list[int]]], sentences: _Sentences) -> None:
    """Step 6f: what is still alone after the passes is explained by the other year where it can be. A
    content node (or run-in section) left alone joins the group of the node of the other year whose text
    is closest to its own (``_best_other``: relative, no threshold), in the same role, when that node is
    the only node of its side in its group (a merge or split, never many-to-many) and either

    * **restated**: a clause of that node restates the leftover (``CLAUSE_SOURCE_MIN`` of its weighted word
      bigrams are in the leftover, more than in any other node of the leftover's side in place,
      ``_Sentences.restates``) and the group's members on the leftover's side do not already hold that
      clause (less than ``CLAUSE_SOURCE_MIN`` of it, and less than the leftover): the clause is content the
      group does not explain without it. In a condensed year (2003 after 2002, 124 plan paragraphs become
      32) a summary keeps one clause of each measure it absorbs — 加快形成…国际竞争力强的大公司大企业集团 of
      尽快形成和发展一批具有国际竞争力的大公司和企业集团 — while in a stable year the one-to-one partner of
      the closest node already holds what a removed neighbour shares with it; or
    * **between**: the nearest placed content nodes before and after it in its own part are both in that
      group: measures read in a row went into one paragraph, and the one between them, whose closest text
      is that paragraph too, went with them.

    Rounds repeat until nothing joins (a leftover's neighbours may join in the round before), then
    headings follow their sections again (``_follow_sections``). Nodes of a term's plan
    (``Node.term``: the five-year plan's targets beside the year's tasks) take no part: their
    echo in the next year's tasks is not their continuation. Both sides are treated alike and each round
    reads the groups as they stood before it, so swapping the inputs mirrors the result."""
    where_old, where_new = _where(groups)
    alone: list[tuple[int, bool]] = []
    for side, where, is_old in ((st.old, where_old, True), (st.new, where_new, False)):
        alone.extend((k, is_old) for k in range(len(side.nodes))
                     if k not in where and (side.cls[k] == "content" or side.nodes[k].body) and side.comp[k] != "front"
                     and not side.term[k] and len(side.key[k]) >= MIN_CLAUSE)
    if not alone:
        return
    closest = dict(zip(alone, _best_other(st, alone, content_only=True), strict=True))
    joined = False
    while True:
        where_old, where_new = _where(groups)
        pieces: tuple[dict[int, list[tuple[int, float]]], dict[int, list[tuple[int, float]]]] = (
            defaultdict(list), defaultdict(list))
        between = _between_placed(st, groups, where_old, where_new)
        for (k, is_old), t in closest.items():
            mine, theirs = (st.old, st.new) if is_old else (st.new, st.old)
            where, where_t = (where_old, where_new) if is_old else (where_new, where_old)
            if k in where or t < 0 or t not in where_t or theirs.term[t] or mine.nodes[k].role != theirs.nodes[t].role:
                continue
            lead = where_t[t]
            olds, news = groups[lead]
            if (news if is_old else olds) != [t]:
                continue
            if between.get((k, is_old)) == t or sentences.restates_unexplained(st, k, t, olds if is_old else news,
                                                                               is_old):
                pieces[0 if is_old else 1][lead].append((k, 1.0))
        size = sum(len(olds) + len(news) for olds, news in groups.values())
        _add_pieces(groups, *pieces)  # a group drawing pieces from both sides takes neither (a tie)
        if sum(len(olds) + len(news) for olds, news in groups.values()) == size \
                and not _mutual_leftovers(st, groups, closest, where_old, where_new, sentences):
            break
        joined = True
    if joined:
        _follow_sections(st, groups)


def _section_sizes(side: _Side) -> list[int]:
    """Characters of text in each node's subtree: content nodes by their text, headings by their own body
    (a run-in section ``（一）促进消费稳定增长。…`` is text; a bare heading's name is not). One reverse pass."""
    size = [len(side.key[d]) if side.cls[d] == "content" else len(content_key(side.nodes[d].body))
            for d in range(len(side.nodes))]
    for d in range(len(side.nodes) - 1, -1, -1):
        if side.parent[d] >= 0:
            size[side.parent[d]] += size[d]
    return size


def _summary(d: int, where_t: dict[int, int], before: dict[int, tuple[tuple[int, ...], tuple[int, ...]]],
             leftovers_old: bool, section: range) -> bool:
    """Node d (of the other year than the leftovers') already sums up two or more nodes of the leftovers'
    section (``section``: the node indices of its subtree) and is the only node of its own side in its
    group. A summary of another section (a part folded into one measure beside it) sums up nothing here."""
    if d not in where_t:
        return False
    olds, news = before[where_t[d]]
    mine, its = (olds, news) if leftovers_old else (news, olds)
    return sum(1 for x in mine if x in section) >= 2 and its == (d,)


def _condensed_sections(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """Step 6g: a section condensed by the other year keeps what is left of it. A content node still alone
    whose parent heading is paired with one node of the other year (a heading, or the paragraph the
    section became), whose section holds less than ``CONDENSED_LENGTH_RATIO`` of the parent's text
    (``_section_sizes``: measures and run-in sections count, bare headings' names do not), joins the group
    of the node of that section closest to its own text (cosine of bigram TF-IDF, relative; a node sharing
    no bigram with any stays alone) when that node already sums up two or more nodes of the leftover's
    section and is the only node of its own side in its group (``_summary``). A section that kept one
    measure (reworded or not) and lost the others was not summed up: its measures were removed; a summary
    of another section (a part folded into one measure beside it) sums up nothing here; and a node of the
    condensed section still alone is no summary either (pairing two lone nodes on a shared bigram would
    pair any two measures: nearly all share 建设 or 发展). The node must also have the leftover's role and
    lie outside a term's plan, and the leftover must be a clause long (``MIN_CLAUSE``) and in the plan (or in
    a document without roles): a review is not condensed into the next year's review — a five-year review
    retells five years, not the last one (1997's paragraph on Hong Kong's return had split into 1998's
    "five years' experience" paragraphs, 2022's school meals into 2023's Winter Olympics).

    An end-of-term year writes each section of the year before as a paragraph or two (2002's part on the
    market order, 14 paragraphs, is one paragraph of 2003): a measure left out of the aligner's pairs
    there was summed up in the condensed text, not dropped — the labelling brief pairs it there. A
    section of about the same size keeps its removed measures removed (a stable year, ±20 %). The ratio
    is the one that calls a merge ``condensed``: one idea of condensation, no new parameter. Both sides
    alike, read on the groups as they stood before, so swapping the inputs mirrors the result. Linear in
    the documents' size: section sizes in one pass, each condensed section's nodes listed and scored once
    for all its leftovers."""
    where_old, where_new = _where(groups)
    before = {lead: (tuple(olds), tuple(news)) for lead, (olds, news) in groups.items()}
    sizes = (_section_sizes(st.old), _section_sizes(st.new))
    pieces: tuple[dict[int, list[tuple[int, float]]], dict[int, list[tuple[int, float]]]] = (
        defaultdict(list), defaultdict(list))
    for side, other, where, where_t, is_old in ((st.old, st.new, where_old, where_new, True),
                                                (st.new, st.old, where_new, where_old, False)):
        mine_size, other_size = sizes if is_old else sizes[::-1]
        by_target: dict[tuple[int, int], list[int]] = defaultdict(list)  # (target, leftovers' section) →
        for k in range(len(side.nodes)):
            p = side.parent[k]
            if k in where or side.cls[k] != "content" or p < 0 or p not in where or side.cls[p] != "heading" \
                    or side.comp[k] not in ("plan", "body") or side.term[k] or len(side.key[k]) < MIN_CLAUSE:
                continue
            targets = before[where[p]][1 if is_old else 0]
            if len(targets) == 1 and other_size[targets[0]] < CONDENSED_LENGTH_RATIO * mine_size[p]:
                by_target[(targets[0], p)].append(k)
        for (t, p), leftovers in sorted(by_target.items()):
            section = range(p, side.end[p])
            inside = [d for d in range(t, other.end[t]) if (other.cls[d] == "content" or other.nodes[d].body)
                      and other.key[d] and not other.term[d]]
            if not any(_summary(d, where_t, before, is_old, section) for d in inside):
                continue
            vec = Vectors([side.nodes[k].title + side.nodes[k].body for k in leftovers],
                          [other.nodes[d].title + other.nodes[d].body for d in inside])
            rows = np.repeat(np.arange(len(leftovers)), len(inside))
            cols = np.tile(np.arange(len(inside)), len(leftovers))
            cos = vec.cosine_at(rows, cols).reshape(len(leftovers), len(inside))
            for a, k in enumerate(leftovers):
                same = [b for b, d in enumerate(inside) if other.nodes[d].role == side.nodes[k].role]
                if not same:
                    continue
                b = max(same, key=lambda b: (cos[a, b], -b))
                if cos[a, b] > 0 and _summary(inside[b], where_t, before, is_old, section):  # closest text, a summary
                    pieces[0 if is_old else 1][where_t[inside[b]]].append((k, float(cos[a, b])))
    if pieces[0] or pieces[1]:
        _add_pieces(groups, *pieces)
        _follow_sections(st, groups)


def _regrouped_headings(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """Step 6h: sections regrouped under headings of another level. 2015 turns 2014's nine sections
    （一）…（九） into parts 三、…五、, each holding the measures of two or three of them
    (三、把改革开放扎实推向纵深 holds （一）深化改革 and （二）开创高水平对外开放新局面). The assignment pairs
    headings one to one, so the other sections of a part are left out. A heading still alone joins the
    heading of the other year whose section took a strict majority (at least ``DISSOLVED_MIN_CHILDREN``) of
    its paired content nodes — the vote that lets a heading follow its measures into one paragraph
    (``_dissolved_headings``), counted by the section the partners stand in — when that heading

    * stands at another depth of its tree: the other year regrouped its sections into coarser (or finer)
      ones. At the same depth, a section whose measures went into a neighbouring section was dropped as a
      heading (2022's （二）着力稳市场主体保就业 takes 2021's macro-policy measures and is a new heading);
    * names it: the two headings share a rare bigram (``CANDIDATE_FLOOR`` of their cosine): the merged
      heading names each topic it holds (改革开放 holds 对外开放);
    * is paired already and the only node of its side in its group (a merge or a split, never
      many-to-many), in the same compartment, outside a term's plan.

    The heading voted for is the deepest holding the majority; at the heading's own depth it stays alone
    (its ancestors are not tried). Decided on the groups as they stood before, both sides alike
    (``_join_headings``), so swapping the inputs mirrors the result."""
    where_old, where_new = _where(groups)
    asks: list[tuple[int, bool, int, int, float]] = []
    choice: dict[tuple[int, bool], int] = {}
    for side, other, where, where_o, is_old in ((st.old, st.new, where_old, where_new, True),
                                                (st.new, st.old, where_new, where_old, False)):
        for h in range(len(side.nodes)):
            if h in where or side.cls[h] != "heading" or side.term[h] or not side.key[h]:
                continue
            placed = [d for d in range(h + 1, side.end[h]) if side.cls[d] == "content" and d in where]
            if len(placed) < DISSOLVED_MIN_CHILDREN:
                continue
            votes: Counter[int] = Counter()
            for d in placed:  # the headings of the other year holding every partner of d
                partners = groups[where[d]][1 if is_old else 0]
                up, last = other.parent[min(partners)], max(partners)
                while up >= 0:  # an ancestor of the first partner whose subtree reaches the last holds all
                    if other.end[up] > last:
                        votes[up] += 1
                    up = other.parent[up]
            chosen = [(other.depth[t], n, t) for t, n in votes.items() if 2 * n > len(placed)
                      and other.cls[t] == "heading" and other.comp[t] == side.comp[h] and not other.term[t]]
            if not chosen:
                continue
            _, n, t = max(chosen)
            if other.depth[t] == side.depth[h]:
                continue
            if t not in where_o:  # two headings alone, each taking the other's measures: a pair of their own
                choice[(h, is_old)] = t
            elif groups[where_o[t]][1 if is_old else 0] == [t]:
                asks.append((where_o[t], is_old, h, t, n / len(placed)))
    mutual = [(h, t) for (h, is_old), t in sorted(choice.items()) if is_old and choice.get((t, False)) == h]
    if not asks and not mutual:
        return
    heads_o = [h for h in range(len(st.old.nodes)) if st.old.cls[h] == "heading"]
    heads_n = [h for h in range(len(st.new.nodes)) if st.new.cls[h] == "heading"]
    vec = Vectors([st.old.nodes[h].title for h in heads_o], [st.new.nodes[h].title for h in heads_n])
    row, col = {h: a for a, h in enumerate(heads_o)}, {h: b for b, h in enumerate(heads_n)}
    pairs = [(h, t) if is_old else (t, h) for _, is_old, h, t, _ in asks] + mutual
    named = vec.cosine_at(np.array([row[i] for i, _ in pairs], dtype=np.int64),
                          np.array([col[j] for _, j in pairs], dtype=np.int64)) >= CANDIDATE_FLOOR
    joins = [(lead, is_old, h, v) for (lead, is_old, h, _, v), ok in zip(asks, named, strict=False) if ok]
    _join_headings(groups, joins, where_old, where_new)
    for (i, j), ok in zip(mutual, named[len(asks):], strict=True):
        if ok and i not in where_old and j not in where_new:
            groups[i] = ([i], [j])
            where_old[i] = where_new[j] = i
    # the intro of a heading that joined goes with the intro of the heading it joined
    pieces: tuple[dict[int, list[tuple[int, float]]], dict[int, list[tuple[int, float]]]] = (
        defaultdict(list), defaultdict(list))
    target = {(h, is_old): t for _, is_old, h, t, _ in asks}
    for _, is_old, h, v in joins:
        side, other = (st.old, st.new) if is_old else (st.new, st.old)
        where, where_o = (where_old, where_new) if is_old else (where_new, where_old)
        t = target[(h, is_old)]
        if h not in where or not _lead_in(side, h + 1, h, where) or t + 1 not in where_o \
                or other.parent[t + 1] != t or other.cls[t + 1] != "content" or other.nodes[t + 1].title:
            continue
        into = where_o[t + 1]
        if groups[into][1 if is_old else 0] == [t + 1]:
            pieces[0 if is_old else 1][into].append((h + 1, v))
    _add_pieces(groups, *pieces)


def _run_in_intros(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """Step 6i: a run-in section one year, a heading and its intro paragraph the next. 2018 writes
    （四）坚决打好三大攻坚战。要围绕完成年度攻坚任务… as one paragraph; 2019 writes the area's heading on a line
    and its lead (绿色发展是构建现代化经济体系的必然要求…) as the paragraph after it (issue 18's "level
    changes"). The two headings pair; the intro, with no heading body to pair with, was left alone. When a
    heading with a body (run-in) and a bare heading are paired one to one, the bare heading's first child,
    an untitled paragraph still alone (``_lead_in``), joins them: the run-in section split into heading and
    intro, or (the other way) the two merged into one. Structure alone decides, as for the intros of
    paired headings (§3); both sides alike, so swapping the inputs mirrors the result."""
    where_old, where_new = _where(groups)
    for lead, (olds, news) in list(groups.items()):
        if len(olds) != 1 or len(news) != 1:
            continue
        i, j = olds[0], news[0]
        if st.old.cls[i] != "heading" or st.new.cls[j] != "heading":
            continue
        has_o, has_n = bool(st.old.nodes[i].body), bool(st.new.nodes[j].body)
        if has_o and not has_n and _lead_in(st.new, j + 1, j, where_new):
            news.append(j + 1)
            where_new[j + 1] = lead
        elif has_n and not has_o and _lead_in(st.old, i + 1, i, where_old):
            olds.append(i + 1)
            where_old[i + 1] = lead


ANNOUNCES = re.compile("以下|如下")
"""A lead-in announcing what follows (``做好今年政府工作，要把握好以下三点。``) names no measure: its list is
not its body."""


def _title_line(side: _Side, k: int) -> bool:
    """Node k is a measure's title written as a line of its own, the measure's body the paragraph after it
    (``二是进一步完善城镇社会保障体系。`` then ``当务之急仍然是落实"两个确保"…``, the reports of 1993–2005):
    an untitled paragraph of one sentence ending in 。 (not 各位代表！ or 主要预期目标是：), no longer than a
    run-in title (``RUN_IN_TITLE_MAX``), announcing nothing (``ANNOUNCES``), not a section's first paragraph
    (its intro, paired by slot, §3), after a complete paragraph, followed
    by a longer untitled paragraph of the same parent that is not such a line itself."""
    n = side.nodes[k]
    b = k + 1
    if n.kind != "paragraph" or n.title or side.cls[k] != "content" or len(n.sentences) != 1 \
            or not n.body.endswith("。") or len(n.body) > RUN_IN_TITLE_MAX or ANNOUNCES.search(n.body) \
            or b >= len(side.nodes) or side.parent[b] != side.parent[k]:
        return False
    if k == side.parent[k] + 1 and side.parent[k] >= 0:
        return False  # a section's first paragraph is its intro (促进科技创新与实体经济深度融合，…), paired by slot
    before = side.nodes[k - 1] if k and side.parent[k - 1] == side.parent[k] else None
    if before is not None and before.kind == "paragraph" and not before.body.endswith(tuple(TERMINAL)):
        return False  # the rest of a paragraph broken mid-word (2017's 要全面深化各领域改 | 革，加快推进…)
    body = side.nodes[b]
    return side.cls[b] == "content" and len(body.title + body.body) > len(n.body) \
        and not (body.kind == "paragraph" and not body.title and len(body.sentences) == 1
                 and len(body.body) <= RUN_IN_TITLE_MAX)


def _title_lines(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """Step 6j: a title line goes where its body went. Its own words are few (一是扩大退耕还林规模。), so its
    best match by similarity is often a summary on another topic that shares a phrase; the body paragraph,
    read by every step before, says where the measure went. When the body is in a group whose other side is
    one node, the line moves to its body's group; a group it leaves without a node of its year leaves the
    other year's nodes alone (they were paired with a title line on its few words). Both sides alike, decided
    on the groups as they were before the step, so swapping the inputs mirrors the result."""
    moves: list[tuple[bool, int, int]] = []  # (is old, title line, lead of its body's group)
    where = _where(groups)
    for is_old, side in ((True, st.old), (False, st.new)):
        here = where[0] if is_old else where[1]
        for k in range(len(side.nodes) - 1):
            if not _title_line(side, k) or k + 1 not in here or here.get(k) == here[k + 1]:
                continue
            target = here[k + 1]
            others = groups[target][1 if is_old else 0]
            if len(others) != 1:
                continue  # joining a split's source side would make a many-to-many group
            moves.append((is_old, k, target))
    def source(is_old: bool, k: int) -> int | None:
        return where[0 if is_old else 1].get(k)

    joining = {(is_old, t) for is_old, _, t in moves}
    sources = {source(is_old, k) for is_old, k, _ in moves} - {None}
    targets = {t for _, _, t in moves}
    # Decided on the groups as they were, as sets, so that the order of the moves (old side first) cannot
    # matter: no group both receives and gives a title line, none is joined from both sides.
    moves = [(is_old, k, t) for is_old, k, t in moves
             if (not is_old, t) not in joining and t not in sources and source(is_old, k) not in targets]
    for is_old, k, target in moves:
        at = 0 if is_old else 1
        was = source(is_old, k)
        if was is not None and was in groups:  # (a group emptied by a move of the other side is gone)
            groups[was][at].remove(k)
            if not groups[was][at]:  # its only node: the other side is left alone
                del groups[was]
        groups[target][at].append(k)
        groups[target][at].sort()


def _mutual_leftovers(st: _State, groups: dict[int, tuple[list[int], list[int]]],
                      closest: dict[tuple[int, bool], int], where_old: dict[int, int], where_new: dict[int, int],
                      sentences: _Sentences) -> bool:
    """A measure and a run-in section still alone, each the other's closest text, in the same role, where a
    clause of one restates the other, form a group of their own: the measure became that section (2022's
    防范化解重大风险。… and 2023's （五）有效防范化解重大经济金融风险。…). The assignment pairs nodes of one
    class only, so it never weighed these two; two measures left alone it did weigh, and left apart.
    True when a group was formed."""
    formed = False
    for (k, is_old), t in sorted(closest.items()):
        if not is_old or t < 0 or k in where_old or t in where_new or closest.get((t, False)) != k:
            continue
        if st.old.cls[k] == st.new.cls[t] or st.old.nodes[k].role != st.new.nodes[t].role or st.new.term[t]:
            continue  # two content nodes alone were the assignment's to pair, and it did not
        if sentences.restates(st, k, t, True) or sentences.restates(st, t, k, False):
            groups[k] = ([k], [t])
            where_old[k] = where_new[t] = k
            formed = True
    return formed


def _between_placed(st: _State, groups: dict[int, tuple[list[int], list[int]]], where_old: dict[int, int],
                    where_new: dict[int, int]) -> dict[tuple[int, bool], int]:
    """(node, is old) → the one node of the other year that the nearest placed content nodes before and
    after it in its part both went to (as the only node of that side of their group)."""
    out: dict[tuple[int, bool], int] = {}
    for side, where, is_old in ((st.old, where_old, True), (st.new, where_new, False)):
        placed = [k for k in range(len(side.nodes)) if k in where and side.cls[k] == "content"]
        for a, b in itertools.pairwise(placed):
            if b - a < 2 or where[a] != where[b] or side.top[a] != side.top[b]:
                continue
            olds, news = groups[where[a]]
            targets = news if is_old else olds
            if len(targets) == 1:
                out.update({(k, is_old): targets[0] for k in range(a + 1, b) if k not in where})
    return out


def _short_copies(st: _State, groups: dict[int, tuple[list[int], list[int]]]) -> None:
    """Step 6e: copies of a short line (under ``MIN_CLAUSE`` characters: ``各位代表！``) that the anchors left to
    the assignment are paired again by their neighbours, now that those are placed: a copy whose next (or
    previous) node is in one group with the other copy's next (previous) node is that copy — the
    ``各位代表！`` opening the same paragraph in both years. Copies that both neighbours place pair first,
    then one, then the rest nearest relative place; only copies alone or paired one to one with a copy are
    touched. Read alike from both sides, so swapping the inputs mirrors the result."""
    where_old, where_new = _where(groups)
    slots: dict[tuple[str, str], tuple[list[int], list[int]]] = {}
    for side, k in ((st.old, 0), (st.new, 1)):
        for i, key in enumerate(side.key):
            if key and len(key) < MIN_CLAUSE and side.cls[i] == "content":
                slots.setdefault((side.comp[i], key), ([], []))[k].append(i)
    n_old, n_new = len(st.old.nodes), len(st.new.nodes)

    def same(x: int, y: int) -> bool:
        return 0 <= x < n_old and 0 <= y < n_new and x in where_old and y in where_new \
            and where_old[x] == where_new[y]

    one_to_one = {go[0]: (lead, gn[0]) for lead, (go, gn) in groups.items() if len(go) == len(gn) == 1}
    for olds, news in slots.values():  # a slot's re-pairing touches only its own copies' groups
        copy_pairs = {one_to_one[a][0] for a in olds if a in one_to_one and one_to_one[a][1] in news}
        free_o = [a for a in olds if a not in where_old or where_old[a] in copy_pairs]
        free_n = [b for b in news if b not in where_new or where_new[b] in copy_pairs]
        score = {(a, b): int(same(a + 1, b + 1)) + int(same(a - 1, b - 1)) for a in free_o for b in free_n}
        if not any(score.values()):
            continue
        for lead in copy_pairs:  # dissolve the copies' pairs, then pair again
            st.pairs.pop(groups.pop(lead)[0][0], None)
        out: dict[int, int] = {}
        for level in (2, 1, 0):
            left_o = [a for a in free_o if a not in out]
            left_n = [b for b in free_n if b not in out.values()]
            allowed = {(a, b) for a in left_o for b in left_n if score[(a, b)] == level}
            if allowed:
                out.update(_nearest_copies(left_o, left_n, n_old, n_new, allowed=allowed))
        for a, b in out.items():
            groups[a] = ([a], [b])
            st.pairs[a] = b
            st.sims[(a, b)] = 1.0


def _best_other(st: _State, nodes: list[tuple[int, bool]], content_only: bool = False) -> list[int]:
    """For each (node, is old): among its candidates of the other year (``CANDIDATES`` nearest by cosine of
    bigram TF-IDF over both years' own texts, same compartment, front matter aside; with ``content_only``,
    content nodes and run-in sections only, the nodes a measure's text can live in), the one whose own
    text is closest; -1 when it has none."""
    out: dict[tuple[int, bool], int] = {}
    for is_old in (True, False):
        side, other = (st.old, st.new) if is_old else (st.new, st.old)
        mine = [k for k, o in nodes if o is is_old and (side.nodes[k].title + side.nodes[k].body)]
        theirs = [j for j, n in enumerate(other.nodes) if (n.title + n.body) and other.comp[j] != "front"
                  and (not content_only or other.cls[j] == "content" or n.body)]
        if not mine or not theirs:
            continue
        vec = Vectors([side.nodes[k].title + side.nodes[k].body for k in mine],
                      [other.nodes[j].title + other.nodes[j].body for j in theirs])
        cand = vec.topk(CANDIDATES, CANDIDATE_FLOOR, both=False).tocoo()
        best: dict[int, tuple[float, int]] = {}
        for a, b, v in zip(cand.row.tolist(), cand.col.tolist(), cand.data.tolist(), strict=True):
            k, j = mine[a], theirs[b]
            if other.comp[j] == side.comp[k] and (v, -j) > best.get(k, (-1.0, 0)):
                best[k] = (v, -j)
        out.update({(k, is_old): -negj for k, (_, negj) in best.items()})
    return [out.get(key, -1) for key in nodes]


def _clause_flows(st: _State, units: list[tuple[int, str]], others: list[tuple[int, str]], alone: set[int],
                  old_side: bool) -> dict[int, dict[int, float]]:
    """Shares of the nodes in ``alone`` (see ``_shares``) from their clauses' best links among ``others``."""
    mine = [u for u in units if u[0] in alone]
    if not mine or not others:
        return {}
    vec = Vectors([t for _, t in mine], [t for _, t in others])
    cand = vec.topk(CANDIDATES, CANDIDATE_FLOOR, both=False).tocoo()
    rows, cols = cand.row.astype(np.int64), cand.col.astype(np.int64)
    a_nodes = [mine[a][0] for a in rows]
    b_nodes = [others[b][0] for b in cols]
    same = _together(st, *((a_nodes, b_nodes) if old_side else (b_nodes, a_nodes)))
    rows, cols = rows[same], cols[same]
    scores = link_scores(vec, rows, cols)
    ok = scores >= LINK_MIN
    shares = _shares(rows[ok], cols[ok], scores[ok], vec.mass_old(np.arange(len(mine))), [i for i, _ in mine],
                     [j for j, _ in others])
    return shares


def _shares(rows: np.ndarray, cols: np.ndarray, scores: np.ndarray, mass: np.ndarray, node_of_row: list[int],
            node_of_col: list[int]) -> dict[int, dict[int, float]]:
    """Node → {node of the other year: share of its content that flows there}: each unit (row) gives its
    mass, weighted by the score, to the node of its best column."""
    best: dict[int, tuple[float, int]] = {}
    for a, b, v in zip(rows.tolist(), cols.tolist(), scores.tolist(), strict=True):
        if v > best.get(a, (0.0, -1))[0]:
            best[a] = (v, b)
    total: dict[int, float] = {}
    for a, node in enumerate(node_of_row):
        total[node] = total.get(node, 0.0) + float(mass[a])
    out: dict[int, dict[int, float]] = {}
    for a, (v, b) in best.items():
        node = node_of_row[a]
        got = out.setdefault(node, {})
        got[node_of_col[b]] = got.get(node_of_col[b], 0.0) + float(mass[a]) * v / (total[node] or 1.0)
    return out


def _edits(st: _State, groups: dict[int, tuple[list[int], list[int]]], sentences: _Sentences) -> tuple[Edit, ...]:
    on, nn = st.old.nodes, st.new.nodes
    st.paired_new = set(st.pairs.values())
    st.paired_old = set(st.pairs)
    if st.base is not None:
        st.base_t = st.base.T.tocsr()
    group_of_old: dict[int, list[int]] = {}
    for olds, news in groups.values():
        for i in olds:
            group_of_old[i] = news
    edits: list[Edit] = []
    used_o: set[int] = set()
    used_n: set[int] = set()
    kinds = {lead: _kind(st, sorted(groups[lead][0]), sorted(groups[lead][1])) for lead in groups}
    sentences.between_many([(sorted(groups[lead][0]), sorted(groups[lead][1])) for lead in sorted(groups)
                            if kinds[lead] != "unchanged"])
    for lead in sorted(groups):
        olds, news = sorted(groups[lead][0]), sorted(groups[lead][1])
        used_o.update(olds)
        used_n.update(news)
        kind = kinds[lead]
        moved = _moved(st, olds[0], news[0], group_of_old)
        edits.append(Edit(old=tuple(on[i].id for i in olds), new=tuple(nn[j].id for j in news), kind=kind,
                          moved=moved, similarity=round(st.sims.get((lead, groups[lead][1][0]), 0.0), 4),
                          evidence=_evidence(st, olds, news, sentences, kind)))
    for i in range(len(on)):
        if i not in used_o:
            edits.append(Edit(old=(on[i].id,), new=(), kind="removed", moved=False, similarity=0.0,
                              nearest=_nearest(st, i, None)))
    for j in range(len(nn)):
        if j not in used_n:
            edits.append(Edit(old=(), new=(nn[j].id,), kind="added", moved=False, similarity=0.0,
                              nearest=_nearest(st, None, j)))
    return tuple(edits)


def _kind(st: _State, olds: list[int], news: list[int]) -> ChangeKind:
    on, nn = st.old.nodes, st.new.nodes
    if len(olds) == 1 and len(news) == 1:
        a, b = on[olds[0]], nn[news[0]]
        norm = normalize_metadata if a.front_role == "metadata" else normalize  # 〔2021〕 and [2021] are one number
        return "unchanged" if norm(a.title + a.body) == norm(b.title + b.body) else "reworded"
    if len(olds) == 1:
        return "split"
    old_len = sum(len(st.old.key[i]) for i in olds)
    new_len = sum(len(st.new.key[j]) for j in news)
    return "condensed" if new_len < CONDENSED_LENGTH_RATIO * old_len else "merged"


def _moved(st: _State, i: int, j: int, group_of_old: dict[int, list[int]]) -> bool:
    """Moved when the new node's parent is not where the old node's parent went (symmetric)."""
    op, np_ = st.old.parent[i], st.new.parent[j]
    if op < 0 or np_ < 0:
        return (op < 0) != (np_ < 0) and st.old.nodes[i].kind != "front" and st.new.nodes[j].kind != "front"
    return np_ not in group_of_old.get(op, [])


def _evidence(st: _State, olds: list[int], news: list[int], sentences: _Sentences,
              kind: ChangeKind) -> tuple[Link, ...]:
    """Sentence links of a group: each old sentence's best new sentence in the group (score ≥ LINK_MIN);
    in a merge, split or condensation every member also keeps its single best link as evidence."""
    if kind == "unchanged" or not olds or not news:
        return ()
    scores = sentences.between(olds, news)
    best: dict[int, tuple[float, int]] = {}
    for a, b, v in scores:
        if v > best.get(a, (-1.0, -1))[0]:
            best[a] = (v, b)
    chosen = {a: vb for a, vb in best.items() if vb[0] >= LINK_MIN}
    if len(olds) > 1 or len(news) > 1:
        for i in olds:
            mine = [a for a in sentences.of_old.get(i, []) if a in best]
            if mine and not any(a in chosen for a in mine):
                a = max(mine, key=lambda k: best[k][0])
                chosen[a] = best[a]
        best_new: dict[int, tuple[float, int, int]] = {}  # new sentence → its best (score, old, new)
        for a, b, v in scores:
            if (v, a, b) > best_new.get(b, (-1.0, -1, -1)):
                best_new[b] = (v, a, b)
        for j in news:
            covered = {b for _, b in chosen.values()}
            mine_n = sentences.of_new.get(j, [])
            if mine_n and not covered & set(mine_n):
                cands = [best_new[b] for b in mine_n if b in best_new]
                if cands:
                    v, a, b = max(cands)
                    if a not in chosen or chosen[a][0] < v:
                        chosen[a] = (v, b)
    links = []
    for a, (v, b) in sorted(chosen.items()):
        (i, so), (j, sn) = sentences.old[a], sentences.new[b]
        links.append(Link(old_id=st.old.nodes[i].id, new_id=st.new.nodes[j].id, old_span=so.span,
                          new_span=sn.span, score=round(v, 4)))
    return tuple(links)


def _nearest(st: _State, i: int | None, j: int | None) -> Nearest:
    """The closest candidate of an unpaired node and why it was not paired."""
    if st.base is None:
        return Nearest(None, "", "", 0.0, "no candidate")
    if i is not None:
        pos = st.pos_o.get(i)
        row = _row(st.base, pos) if pos is not None else None
        others, taken = st.cn, st.paired_new
        side = st.new
    else:
        pos = st.pos_n.get(j) if j is not None else None
        row = _row(st.base_t, pos) if pos is not None and st.base_t is not None else None
        others, taken = st.co, st.paired_old
        side = st.old
    if row is None or not len(row[0]):
        return Nearest(None, "", "", 0.0, "no candidate")
    k = int(row[0][np.argmax(row[1])])
    v = float(row[1].max())
    other = others[k]
    reason: NearestReason = "taken by a better match" if other in taken and v >= st.floor else "below threshold"
    n = side.nodes[other]
    return Nearest(n.id, n.label, n.title or n.body[:30], round(min(v, 1.0), 4), reason)
