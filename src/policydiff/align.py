"""Two section trees → groups of matched nodes.

Method (see ``docs/alignment.md`` for the why):

1. Every node is put in a **class**: ``heading`` (parts, sections), ``content`` (measures, items,
   paragraphs, preamble and notice), or one class per other front-matter role. Only nodes of one class
   are paired.
2. **Content similarity** is the cosine of character-bigram TF-IDF vectors of the normalised text
   (punctuation, width and numbering removed). IDF is computed over the content of both years, so the
   formulaic phrases every measure shares (加强…, 推进…, 进一步…) weigh little. When both nodes have a run-in
   title, the title's own Dice similarity is blended in. A small bonus for a similar relative position
   breaks ties between near-identical boilerplate paragraphs in document order.
3. A **global one-to-one assignment** (Hungarian, ``scipy.optimize.linear_sum_assignment``) pairs
   content nodes; pairs under ``min_similarity`` are dropped. Pinned pairs are fixed first.
4. **Headings** are then paired the same way on a score that blends their own text with how many of
   their descendants were paired into the other heading (a renamed section whose measures all went to
   the same new section is the same section).
5. A second content pass adds a bonus when the nodes' parents (and neighbours) were paired, so that
   among near-equal candidates the one in the corresponding place wins; untitled paragraphs in the
   intro / lead-in slot of paired headings, or alone between two pairs, are paired too.
6. **Split and merged**: an unpaired node that scores at least ``SPLIT_MIN_SCORE`` with a paired node
   of the other year, and at least ``SPLIT_MIN_RATIO`` of what that node scores with its own partner,
   joins that node's group.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import attrs
import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.sparse import csr_matrix

from .model import Document, Node, OptionsError
from .text import bigrams, content_key, dice

MIN_SIMILARITY = 0.28
"""Default floor of the blended similarity for two nodes to be the same measure reworded."""
MUTUAL_FLOOR_RATIO = 0.5
"""Under ``min_similarity``, down to this share of it, a pair is kept only when each node is the
other's best candidate (heavily reworded measures score 0.15–0.25 but are still each other's best)."""
NEIGHBOUR_BONUS = 0.04
"""Bonus (each side) when the previous / next nodes were paired with each other in the first pass."""
SPLIT_MIN_SCORE = 0.26
"""A split/merge piece must score at least this against the node it joins …"""
SPLIT_MIN_RATIO = 0.45
SPLIT_MIN_CHARS = 20
"""Shorter nodes (``各位代表！``) are never split or merge pieces: repeating them is not splitting."""
"""… and at least this share of that node's score with its own partner."""
SPLIT_CONTAINMENT = 0.55
"""Share (IDF-weighted) of an unpaired node's bigrams found in another year's node to join its group."""
SPLIT_MIN_COSINE = 0.12
"""A split/merge piece must also be at least this similar to the node it joins."""
TITLE_WEIGHT = 0.3
"""Weight of run-in title similarity when both nodes have one."""
POSITION_WEIGHT = 0.05
"""Bonus scale for a similar relative position in the document (a tie-breaker, not evidence)."""
PARENT_BONUS = 0.08
"""Bonus when the two nodes' parents are paired with each other."""
HEADING_CHILD_WEIGHT = 0.5
"""Weight of descendant overlap in the heading score."""


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


@attrs.frozen
class Group:
    """Matched nodes: indices into the old and new node lists, and their similarity."""

    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float


def node_class(n: Node) -> str:
    """Which nodes may be paired with ``n``."""
    if n.kind in ("part", "section"):
        return "heading"
    if n.kind == "front" and n.role not in ("preamble", "notice"):
        return f"front:{n.role}"
    return "content"


def _strip_label(n: Node) -> str:
    return n.title + n.body


class _Vectors:
    """TF-IDF bigram vectors of two sets of texts, L2-normalised, for their cosine similarity."""

    def __init__(self, texts_a: Sequence[str], texts_b: Sequence[str]) -> None:
        bags = [bigrams(t) for t in (*texts_a, *texts_b)]
        df: Counter[str] = Counter()
        for b in bags:
            df.update(b.keys())
        vocab = {g: i for i, g in enumerate(df)}
        n = len(bags)
        idf = np.array([math.log((n + 1) / (df[g] + 1)) + 1.0 for g in vocab]) if vocab else np.zeros(0)
        rows, cols, vals = [], [], []
        for r, b in enumerate(bags):
            for g, c in b.items():
                rows.append(r)
                cols.append(vocab[g])
                vals.append((1 + math.log(c)) * idf[vocab[g]])
        m = csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)))
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        self.unit = csr_matrix(m.multiply(1 / norms[:, None]))
        self.split = len(texts_a)

    def cosine(self) -> np.ndarray:
        a, b = self.unit[: self.split], self.unit[self.split:]
        return np.asarray((a @ b.T).todense())


def align(old: Document, new: Document, options: AlignOptions | None = None) -> list[Group]:
    """Pair the nodes of two documents. Every node index appears in exactly one returned group."""
    opts = options or AlignOptions()
    on, nn = list(old.nodes()), list(new.nodes())
    oid = {n.id: i for i, n in enumerate(on)}
    nid = {n.id: i for i, n in enumerate(nn)}
    pinned: dict[int, int] = {}
    for old_id, new_id in opts.pins:
        pin = f"--pin {old_id}={new_id}"
        if old_id not in oid:
            raise OptionsError(f"{pin}: the old document has no node {old_id!r} (see `policydiff show`)")
        if new_id not in nid:
            raise OptionsError(f"{pin}: the new document has no node {new_id!r} (see `policydiff show`)")
        if oid[old_id] in pinned or nid[new_id] in pinned.values():
            raise OptionsError(f"{pin}: a node is pinned twice")
        pinned[oid[old_id]] = nid[new_id]

    oparent = _parents(old)
    nparent = _parents(new)
    ocls = [node_class(n) for n in on]
    ncls = [node_class(n) for n in nn]
    pairs: dict[int, int] = dict(pinned)
    sims: dict[tuple[int, int], float] = {(a, b): 1.0 for a, b in pinned.items()}

    content_o = [i for i, c in enumerate(ocls) if c == "content"]
    content_n = [j for j, c in enumerate(ncls) if c == "content"]
    vec = _Vectors([_strip_label(on[i]) for i in content_o], [_strip_label(nn[j]) for j in content_n])
    base = _content_scores(vec, on, nn, content_o, content_n)
    first = _assign(base, content_o, content_n, pinned, opts.min_similarity)

    # headings, scored by their own text and by where their descendants went
    heading_pairs = _align_headings(on, nn, ocls, ncls, first, pinned, opts.min_similarity)

    # second content pass: parents paired with each other make a pair more likely
    bonus = np.zeros_like(base)
    for a, i in enumerate(content_o):
        pa = oparent[i]
        for b, j in enumerate(content_n):
            pb = nparent[j]
            if (pa is None and pb is None) or (pa is not None and heading_pairs.get(pa) == pb):
                bonus[a, b] = PARENT_BONUS
    opos = {i: a for a, i in enumerate(content_o)}
    npos = {j: b for b, j in enumerate(content_n)}
    for (i, j) in first:
        a, b = opos[i], npos[j]
        if a > 0 and b > 0:
            bonus[a - 1, b - 1] += NEIGHBOUR_BONUS
        if a + 1 < len(content_o) and b + 1 < len(content_n):
            bonus[a + 1, b + 1] += NEIGHBOUR_BONUS
    scores = base + bonus * (base > 0.5 * opts.min_similarity)
    content_pairs = _assign(scores, content_o, content_n, pinned, opts.min_similarity)
    content_pairs.update(_sandwiched(on, nn, content_pairs, heading_pairs, pinned, scores, opos, npos))
    for (i, j), s in content_pairs.items():
        pairs[i] = j
        sims[(i, j)] = min(1.0, s)
    for i, j in heading_pairs.items():
        pairs[i] = j
        sims[(i, j)] = sims.get((i, j), 0.0) or 0.5

    # the other front-matter roles pair by role, in order
    for cls in sorted({c for c in ocls if c.startswith("front:")}):
        os_ = [i for i, c in enumerate(ocls) if c == cls and i not in pairs]
        ns_ = [j for j, c in enumerate(ncls) if c == cls and j not in pairs.values()]
        for i, j in zip(os_, ns_, strict=False):
            pairs[i] = j
            sims[(i, j)] = dice(bigrams(on[i].text), bigrams(nn[j].text))

    groups = _split_merge(pairs, sims, scores, content_o, content_n, [len(n.text) for n in on],
                          [len(n.text) for n in nn])
    return groups


def _sandwiched(on: list[Node], nn: list[Node], content: dict[tuple[int, int], float],
                headings: dict[int, int], pinned: dict[int, int], scores: np.ndarray,
                opos: dict[int, int], npos: dict[int, int]) -> dict[tuple[int, int], float]:
    """Pair one unpaired content node with one unpaired content node when both sit between the same
    paired neighbours (in document order, headings included): the intro paragraph of a paired section,
    the lead-in before the task list. An analyst pairs these slots even when the wording is new."""
    pairs = {i: j for (i, j) in content} | dict(headings) | dict(pinned)
    back = {j: i for i, j in pairs.items()}
    out: dict[tuple[int, int], float] = {}
    for h, k in headings.items():  # the intro slot after a heading, the lead-in slot before it
        for i, j in ((h + 1, k + 1), (h - 1, k - 1)):
            if 0 <= i < len(on) and 0 <= j < len(nn) and i in opos and j in npos and i not in pairs \
                    and j not in back and not on[i].title and not nn[j].title:
                out[(i, j)] = float(max(scores[opos[i], npos[j]], 0.0))
                pairs[i] = j
                back[j] = i
    for i in range(len(on)):
        if i in pairs or i not in opos or i == 0 or i + 1 >= len(on):
            continue
        prev_j, next_j = pairs.get(i - 1), pairs.get(i + 1)
        if prev_j is None or next_j is None or next_j != prev_j + 2:
            continue
        j = prev_j + 1
        if j in back or j not in npos or on[i].title or nn[j].title:
            continue  # measures with run-in titles are named; a different name in the slot is a new one
        out[(i, j)] = float(max(scores[opos[i], npos[j]], 0.0))
        pairs[i] = j
        back[j] = i
    return out


def _parents(doc: Document) -> list[int | None]:
    """For each node (document order), the index of its parent node, None under the root."""
    out: list[int | None] = []
    def walk(node: Node, parent: int | None) -> None:
        for child in node.children:
            out.append(parent)
            me = len(out) - 1
            walk(child, me)
    walk(doc.root, None)
    return out


def _content_scores(vec: _Vectors, on: list[Node], nn: list[Node], oi: list[int], ni: list[int]) -> np.ndarray:
    sim = vec.cosine()
    if not len(oi) or not len(ni):
        return sim
    tdice = _title_dice([on[i].title for i in oi], [nn[j].title for j in ni])
    both = tdice >= 0
    blend = (1 - TITLE_WEIGHT) * sim + TITLE_WEIGHT * np.maximum(tdice, sim)
    sim = np.where(both & (sim > 0.05), blend, sim)
    opos = np.linspace(0, 1, len(oi))
    npos = np.linspace(0, 1, len(ni))
    sim += POSITION_WEIGHT * (1 - np.abs(opos[:, None] - npos[None, :])) * (sim > 0.1)
    return sim


def _title_dice(a: list[str], b: list[str]) -> np.ndarray:
    """Set Dice of the title bigrams of every pair (-1 where either node has no title), as one sparse
    matrix product instead of n×m Counter intersections."""
    bags = [set(bigrams(t)) if t else set() for t in (*a, *b)]
    vocab = {g: k for k, g in enumerate({g for bag in bags for g in bag})}
    rows = [r for r, bag in enumerate(bags) for _ in bag]
    cols = [vocab[g] for bag in bags for g in bag]
    m = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(bags), max(1, len(vocab))))
    ma, mb = m[: len(a)], m[len(a):]
    inter = np.asarray((ma @ mb.T).todense())
    la = np.array([len(bag) for bag in bags[: len(a)]], dtype=float)
    lb = np.array([len(bag) for bag in bags[len(a):]], dtype=float)
    total = la[:, None] + lb[None, :]
    out = np.where(total > 0, 2 * inter / np.where(total > 0, total, 1), 0.0)
    out[(la == 0)[:, None] | (lb == 0)[None, :]] = -1.0
    return out


def _assign(scores: np.ndarray, oi: list[int], ni: list[int], pinned: dict[int, int],
            floor: float) -> dict[tuple[int, int], float]:
    if not len(oi) or not len(ni):
        return {}
    s = scores.copy()
    opos = {i: a for a, i in enumerate(oi)}
    npos = {j: b for b, j in enumerate(ni)}
    for i, j in pinned.items():
        if i in opos:
            s[opos[i], :] = -1.0
        if j in npos:
            s[:, npos[j]] = -1.0
    rows, cols = linear_sum_assignment(-s)
    row_best = s.max(axis=1)
    col_best = s.max(axis=0)
    out = {}
    for r, c in zip(rows, cols, strict=True):
        v = s[r, c]
        if v >= floor or (v >= floor * MUTUAL_FLOOR_RATIO and v >= row_best[r] and v >= col_best[c]):
            out[(oi[r], ni[c])] = float(v)
    return out


def _align_headings(on: list[Node], nn: list[Node], ocls: list[str], ncls: list[str],
                    content: dict[tuple[int, int], float], pinned: dict[int, int],
                    floor: float) -> dict[int, int]:
    ho = [i for i, c in enumerate(ocls) if c == "heading"]
    hn = [j for j, c in enumerate(ncls) if c == "heading"]
    if not ho or not hn:
        return {i: j for i, j in pinned.items() if i in ho}
    desc_o = {i: _descendants(on, i) for i in ho}
    desc_n = {j: _descendants(nn, j) for j in hn}
    cmap = dict(content)
    pairs_of = {i: j for (i, j) in cmap}
    vec = _Vectors([_strip_label(on[i]) for i in ho], [_strip_label(nn[j]) for j in hn])
    own = vec.cosine()
    score = np.zeros((len(ho), len(hn)))
    for a, i in enumerate(ho):
        di = desc_o[i]
        for b, j in enumerate(hn):
            dj = desc_n[j]
            shared = sum(1 for x in di if pairs_of.get(x) in dj)
            overlap = 2 * shared / (len(di) + len(dj)) if di or dj else 0.0
            same_kind = 1.0 if on[i].kind == nn[j].kind else 0.7
            if di or dj:
                score[a, b] = same_kind * ((1 - HEADING_CHILD_WEIGHT) * own[a, b] + HEADING_CHILD_WEIGHT * overlap)
            else:
                score[a, b] = same_kind * own[a, b]
            if normalize_heading(on[i]) == normalize_heading(nn[j]):
                score[a, b] = max(score[a, b], 1.0)
    found = _assign(score, ho, hn, pinned, floor * 0.8)
    out = {i: j for (i, j) in found}
    out.update({i: j for i, j in pinned.items() if i in desc_o})
    return out


def normalize_heading(n: Node) -> str:
    return content_key(n.title + n.body)


def _descendants(nodes: list[Node], i: int) -> set[int]:
    """Indices of all descendants of node i (nodes are in document order, so they follow it)."""
    count = sum(1 for _ in nodes[i].walk()) - 1
    return set(range(i + 1, i + 1 + count))


def _split_merge(pairs: dict[int, int], sims: dict[tuple[int, int], float], scores: np.ndarray,
                 oi: list[int], ni: list[int], lengths_old: list[int], lengths_new: list[int]) -> list[Group]:
    """Attach unpaired content nodes to the group of the node they score best with; build all groups.

    A new node left unpaired joins old node *i*'s group (a split) when it is the best unpaired candidate
    of *i*, scores at least ``SPLIT_MIN_SCORE`` with it and at least ``SPLIT_MIN_RATIO`` of what *i*
    scores with its own partner. Merges are the same seen from the other year.
    """
    matched_new = {j: i for i, j in pairs.items()}
    extra_new: dict[int, int] = {}  # new index -> old index it was split from
    extra_old: dict[int, int] = {}  # old index -> new index it was merged into
    opos = {i: a for a, i in enumerate(oi)}
    npos = {j: b for b, j in enumerate(ni)}
    free_new = [j for j in ni if j not in matched_new and lengths_new[j] >= SPLIT_MIN_CHARS]
    free_old = [i for i in oi if i not in pairs and lengths_old[i] >= SPLIT_MIN_CHARS]
    if len(oi) and len(ni):
        for j in free_new:
            b = npos[j]
            a = int(np.argmax(scores[:, b]))
            i = oi[a]
            partner = pairs.get(i)
            if partner is None or partner not in npos:
                continue
            best_free = max(scores[a, npos[x]] for x in free_new)
            own = scores[a, npos[partner]]
            v = scores[a, b]
            if v >= SPLIT_MIN_SCORE and v >= SPLIT_MIN_RATIO * own and v >= best_free:
                extra_new[j] = i
        split_olds = set(extra_new.values())
        for i in free_old:
            a = opos[i]
            b = int(np.argmax(scores[a, :]))
            j = ni[b]
            partner_old = matched_new.get(j)
            if partner_old is None or partner_old in split_olds or j in extra_new or partner_old not in opos:
                continue
            best_free = max(scores[opos[x], b] for x in free_old)
            own = scores[opos[partner_old], b]
            v = scores[a, b]
            if v >= SPLIT_MIN_SCORE and v >= SPLIT_MIN_RATIO * own and v >= best_free:
                extra_old[i] = j

    groups: list[Group] = []
    by_old: dict[int, list[int]] = {}
    for j, i in extra_new.items():
        by_old.setdefault(i, []).append(j)
    by_new: dict[int, list[int]] = {}
    for i, j in extra_old.items():
        by_new.setdefault(j, []).append(i)
    used_old: set[int] = set()
    used_new: set[int] = set()
    for i, j in sorted(pairs.items()):
        olds = sorted([i, *by_new.get(j, [])])
        news = sorted([j, *by_old.get(i, [])])
        groups.append(Group(tuple(olds), tuple(news), sims.get((i, j), 0.0)))
        used_old.update(olds)
        used_new.update(news)
    groups += [Group((i,), (), 0.0) for i in range(len(lengths_old)) if i not in used_old]
    groups += [Group((), (j,), 0.0) for j in range(len(lengths_new)) if j not in used_new]
    return groups
