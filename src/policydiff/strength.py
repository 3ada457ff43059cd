"""Commitment strength: the verb of an aligned commitment moved on a documented scale.

Analysts read the verbs first: 探索 → 推进 → 全面推进 says a reform went from trial to general roll-out,
深化 → 继续 that it lost priority. The scale is data, ``data/strength.toml`` (rationale in
``docs/facts.md``): verbs with a level from 1 (explore) to 4 (guarantee), and modifiers (稳步 −0.5,
大力 +0.5, 全面 +1) that move the verb after them. Users merge their own TOML of the same shape over it.

For each aligned sentence pair that changed, each clause's *verb of commitment* is its first chain of
modifiers and a verb of the scale (``继续深化`` = 继续 + 深化, ``加快推进`` = 加快 + 推进); clauses are paired
by their objects, and when two paired chains differ, their scores differ, the pair is a ``StrengthShift``
(strengthened or weakened). One changed verb among several is found; identical wording never gives a
shift.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import attrs

from .model import PLAN_ROLES, Change, Direction, InputError, Node, Sentence, StrengthShift
from .text import bigrams, containment

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

OBJECT_WINDOW = 16
"""Characters after the verb compared to check both verbs govern the same thing (a typical object,
``教育评价改革``, is 4–12 characters)."""

OBJECT_MIN = 0.34
"""Least share of the old object's bigrams found after the new verb: below it the first verbs of the
two sentences speak of different things and comparing them would be noise."""


@attrs.frozen
class Scale:
    """Verb levels and modifier offsets (see ``data/strength.toml``)."""

    verbs: dict[str, float] = attrs.field(hash=False)
    modifiers: dict[str, float] = attrs.field(hash=False)
    longest: int = attrs.field(init=False, hash=False)
    """Length of the longest word: how far a lookup at one position has to try."""
    starts: re.Pattern[str] = attrs.field(init=False, hash=False)
    """Any word of the scale: where a chain can start, found by the regex engine instead of a loop."""

    def __attrs_post_init__(self) -> None:
        words = sorted({*self.verbs, *self.modifiers}, key=len, reverse=True)
        object.__setattr__(self, "longest", max((len(w) for w in words), default=1))
        object.__setattr__(self, "starts", re.compile("|".join(map(re.escape, words)) if words else "(?!)"))


def _read(source: str, text: str) -> tuple[dict[str, float], dict[str, float]]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise InputError(source, f"not a valid strength scale ({e})",
                         "write [verbs] and [modifiers] tables of word = number") from e
    verbs, mods = data.get("verbs", {}), data.get("modifiers", {})
    if not isinstance(verbs, dict) or not isinstance(mods, dict) or not all(
            isinstance(v, int | float) for v in (*verbs.values(), *mods.values())):
        raise InputError(source, "a strength scale maps words to numbers",
                         "write [verbs] and [modifiers] tables of word = number")
    return {str(k): float(v) for k, v in verbs.items()}, {str(k): float(v) for k, v in mods.items()}


@functools.lru_cache(maxsize=8)
def load_scale(*extra: str) -> Scale:
    """The shipped scale with the TOML files ``extra`` merged over it (later files win)."""
    shipped = resources.files("policydiff").joinpath("data/strength.toml").read_text(encoding="utf-8")
    verbs, mods = _read("strength.toml", shipped)
    for path in extra:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(path, f"cannot read the strength scale ({e})", "give a UTF-8 TOML file") from e
        v, m = _read(path, text)
        verbs.update(v)
        mods.update(m)
    return Scale(verbs=verbs, modifiers=mods)


@attrs.frozen
class Commitment:
    """The verb of commitment found in a sentence: its words, score and where they end."""

    words: str
    score: float
    start: int
    end: int


def _longest(table: dict[str, float], text: str, at: int, longest: int) -> str:
    for n in range(min(longest, len(text) - at), 0, -1):
        if text[at:at + n] in table:
            return text[at:at + n]
    return ""


def _chain(text: str, at: int, scale: Scale) -> Commitment | None:
    """Modifiers then a verb starting at ``at`` (``继续深化``, ``加快推进``, ``全面推进``), or None."""
    start, offset, longest = at, 0.0, scale.longest
    while at < len(text):
        verb = _longest(scale.verbs, text, at, longest)
        mod = _longest(scale.modifiers, text, at, longest)
        if mod and len(mod) >= len(verb):
            nxt = at + len(mod)
            if _longest(scale.verbs, text, nxt, longest) or _longest(scale.modifiers, text, nxt, longest):
                offset += scale.modifiers[mod]
                at = nxt
                continue
        if verb:
            return Commitment(text[start:at + len(verb)], scale.verbs[verb] + offset, start, at + len(verb))
        return None
    return None


def commitment(text: str, scale: Scale | None = None) -> Commitment | None:
    """The first verb of commitment of a sentence with its modifiers.

    >>> c = commitment("继续深化教育评价改革。")
    >>> (c.words, c.score) if c else None
    ('继续深化', 3.0)
    """
    sc = scale or load_scale()
    m = sc.starts.search(text)
    while m:
        found = _chain(text, m.start(), sc)
        if found:
            return found
        m = sc.starts.search(text, m.start() + 1)
    return None


def shift(old: str, new: str, scale: Scale | None = None) -> tuple[Commitment, Commitment, Direction] | None:
    """The strength shift between two aligned sentences' first verbs, or None when the verb did not move."""
    a, b = commitment(old, scale), commitment(new, scale)
    if a is None or b is None or a.words == b.words or a.score == b.score:
        return None
    obj_old, obj_new = old[a.end:a.end + OBJECT_WINDOW], new[b.end:b.end + OBJECT_WINDOW]
    if containment(bigrams(obj_old), bigrams(obj_new)) < OBJECT_MIN:
        return None
    direction: Direction = "strengthened" if b.score > a.score else "weakened"
    return a, b, direction


CLAUSE = re.compile(r"[，；：,;:。！？!?]")
"""Where a clause ends: each clause of a sentence carries its own verb and object (推进红船精神进校园，
探索线上德育资源建设 has two commitments)."""


def _clauses(text: str, scale: Scale) -> list[tuple[str, Commitment]]:
    """Each clause of ``text`` with its verb of commitment (clauses without one are left out)."""
    out = []
    for clause in CLAUSE.split(text):
        found = commitment(clause, scale) if clause else None
        if found is not None:
            out.append((clause, found))
    return out


def shifts(old: str, new: str, scale: Scale | None = None) -> list[tuple[Commitment, Commitment, Direction]]:
    """Every clause whose verb of commitment moved between two aligned sentences, in the new sentence's order.

    Clauses are paired one to one by their objects (the text after the verb: at least ``OBJECT_MIN`` of the
    old object's bigrams found after the new verb), best first, so a sentence whose first verb stays (推进…，
    探索线上德育资源建设 → 推进…，全面推进线上德育资源建设) still reports the one that moved, in either
    direction. Identical clauses pair with each other and report nothing.

    >>> [(a.words, b.words, d) for a, b, d in shifts("推进红船精神进校园，探索线上德育资源建设。",
    ...                                               "推进红船精神进校园，全面推进线上德育资源建设。")]
    [('探索', '全面推进', 'strengthened')]
    """
    sc = scale or load_scale()
    if old == new:
        return []
    olds, news = _clauses(old, sc), _clauses(new, sc)
    candidates = []
    for i, (co, a) in enumerate(olds):
        obj_old = bigrams(co[a.end:a.end + OBJECT_WINDOW])
        for j, (cn, b) in enumerate(news):
            same = co == cn
            score = 2.0 if same else containment(obj_old, bigrams(cn[b.end:b.end + OBJECT_WINDOW]))
            if same or score >= OBJECT_MIN:
                candidates.append((score, -abs(i - j), i, j))
    candidates.sort(reverse=True)
    used_old: set[int] = set()
    used_new: set[int] = set()
    found: list[tuple[int, Commitment, Commitment, Direction]] = []
    for _score, _near, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        a, b = olds[i][1], news[j][1]
        if a.words != b.words and a.score != b.score:
            found.append((j, a, b, "strengthened" if b.score > a.score else "weakened"))
    return [(a, b, d) for _, a, b, d in sorted(found, key=lambda t: t[0])]


def _owner(nodes: Sequence[Node], s: Sentence) -> str:
    for n in nodes:
        if n.span[0] <= s.span[0] and s.span[1] <= n.span[1]:
            return n.id
    return nodes[0].id if nodes else ""


def _role(nodes: Sequence[Node], node_id: str) -> str | None:
    return next((n.role for n in nodes if n.id == node_id), None)


def strength_shifts(changes: Sequence[Change], scale_path: str | None = None) -> tuple[StrengthShift, ...]:
    """Every clause of an aligned, changed commitment whose verb got stronger or weaker, in the order of the
    changes. Only commitments of the plan (``model.PLAN_ROLES``, or a tree without roles): a review's
    持续深化 → 深化 tells how last year went, not a change of resolve."""
    scale = load_scale(scale_path) if scale_path else load_scale()
    out: list[StrengthShift] = []
    for ch in changes:
        if not ch.old or not ch.new:
            continue
        for cc in ch.commitments:
            if cc.old is None or cc.new is None or cc.kind == "unchanged":
                continue
            old_id, new_id = _owner(ch.old, cc.old), _owner(ch.new, cc.new)
            role = _role(ch.new, new_id)
            if role is not None and role not in PLAN_ROLES:
                continue
            for a, b, direction in shifts(cc.old.text, cc.new.text, scale):
                out.append(StrengthShift(old_id=old_id, new_id=new_id, old_words=a.words, new_words=b.words,
                                         direction=direction, old_quote=cc.old.text, new_quote=cc.new.text))
    return tuple(out)
