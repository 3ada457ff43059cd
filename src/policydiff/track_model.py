"""The result of tracking one year's plan against the next year's review (``policydiff track``).

These types live apart from ``track.py`` (the layer that computes them) so that renderers, like every
renderer, need only the model layer: this module imports nothing of ours but ``model``
(``tests/test_architecture.py`` checks it). ``policydiff.track`` re-exports every name.

A *target* is a quantified annual goal of year N's plan (``国内生产总值增长6%以上``); its *outcome* is the
figure year N+1's review reports for the same indicator (``国内生产总值增长8.1%``). A *task* is a measure
of year N's plan; its *evidence* is the review sentences of year N+1 whose content comes from it.
"Not reported" means the review does not mention it — never that it failed.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

import attrs

from .model import Document, Span

TargetStatus = Literal["met", "exceeded", "missed", "reported", "not reported"]
"""``met``, ``exceeded``, ``missed``: the numbers decide it (``docs/track.md``: tolerance and direction);
``reported``: an outcome for the same indicator exists but cannot be compared (another unit, no figure to
compare with); ``not reported``: the review gives no figure for it (not a failure)."""

TARGET_STATUSES: tuple[TargetStatus, ...] = ("met", "exceeded", "missed", "reported", "not reported")

TaskStatus = Literal["reported", "not reported"]
"""``reported``: review sentences of the next year take up the measure's content; ``not reported``: none
does (the review is selective: not reported is not failed)."""

TASK_STATUSES: tuple[TaskStatus, ...] = ("reported", "not reported")

Direction = Literal["higher", "lower"]
"""Which way an indicator is better: ``higher`` (growth, jobs, grain, the size of a cut) or ``lower`` (prices,
unemployment, the deficit): for a ``lower`` one a 左右 target is a ceiling."""


@attrs.frozen
class Figure:
    """One side of a target/outcome pair: the quantity as written and where it stands."""

    indicator: str
    """What it measures, as the text names it (``居民消费价格涨幅``)."""
    text: str
    """The quantity as written, qualifier included (``3%左右``, ``1269万人``)."""
    value: Decimal
    """Exact value in the unit's base (``1269万人`` → 12690000); the low end of a range."""
    unit: str
    qualifier: str = ""
    high: Decimal | None = None
    """High end of a range (``6%-6.5%`` → 6.5), else None."""
    quote: str = ""
    """The sentence holding it."""
    span: Span = (0, 0)
    """Where ``text`` stands in its document's text."""
    node_id: str = ""
    locator: str = ""
    """The node a reader cites (``三（一）第2段``, ``一、第1段``)."""


@attrs.frozen
class TrackedTarget:
    """A target of year N with the outcome year N+1's review reports for it, if any."""

    target: Figure
    outcome: Figure | None
    status: TargetStatus
    direction: Direction = "higher"
    """The indicator's better direction, from ``track.LOWER_IS_BETTER`` (``docs/track.md``)."""
    score: float = 0.0
    """Similarity of the two indicator names (1 for the same name once normalised); 0 without outcome."""

    @property
    def indicator(self) -> str:
        """The target's indicator: what the pair is named by."""
        return self.target.indicator


@attrs.frozen
class Evidence:
    """One review sentence of year N+1 (or one clause of it, found by key terms) that reports on a task of
    year N."""

    node_id: str
    locator: str
    quote: str
    span: Span
    """The sentence (or clause) in the new document's text."""
    score: float
    """A sentence's link score against the task's best sentence (cosine or weighted containment); a clause's
    share of IDF-weighted words that the task holds."""
    task_quote: str = ""
    """The sentence of the task it takes up."""


@attrs.frozen
class TrackedTask:
    """A measure of year N's plan and what year N+1's review says of it."""

    node_id: str
    locator: str
    title: str
    """The measure's run-in title, else its opening words."""
    status: TaskStatus
    evidence: tuple[Evidence, ...] = ()
    """Review sentences (then clauses) taking up the measure, best first (at most ``track.EVIDENCE_MAX``)."""
    span: Span = (0, 0)


@attrs.frozen
class Track:
    """Year N's targets and tasks against year N+1's review."""

    old: Document
    new: Document
    targets: tuple[TrackedTarget, ...]
    """The plan's annual targets in the old document's order, headline indicators first."""
    tasks: tuple[TrackedTask, ...]
    """The plan's measures in the old document's order."""
    reason: str = ""
    """Why the result is empty (no review in the new document, no plan in the old one, years that are not
    consecutive); ``""`` otherwise."""

    def counts(self) -> dict[str, int]:
        """Targets per status, then ``tasks reported`` and ``tasks not reported``: the summary line."""
        out: dict[str, int] = dict.fromkeys(TARGET_STATUSES, 0)
        for t in self.targets:
            out[t.status] += 1
        out["tasks reported"] = sum(t.status == "reported" for t in self.tasks)
        out["tasks not reported"] = len(self.tasks) - out["tasks reported"]
        return out
