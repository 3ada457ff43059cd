"""The result of a timeline: documents in year order, lineages of measures, target series and phrases.

These types live apart from ``timeline.py`` (the stage that computes them) so that the timeline
renderers, like every renderer, need only the model layer: this module imports nothing of ours but
``model`` and ``text`` (a leaf), never a stage (``tests/test_architecture.py`` checks it, transitively).
``policydiff.timeline`` re-exports every name.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Literal

import attrs

from .model import QuantityKind
from .text import normalize
from .track_model import TargetStatus

EventKind = Literal["present", "added", "unchanged", "reworded", "split", "merged", "condensed", "removed",
                    "returned"]
"""What happened to a lineage in a year: ``present`` in the first document (its history before is not
known), ``added`` when it appears later, the pairwise change kinds, ``removed`` (the first document
without it), and ``returned`` when it comes back after one document without it."""

PhraseKind = Literal["quoted", "document", "phrase", "term"]
"""A quoted slogan “…”, a named document 《…》, a key phrase, or a phrase asked for with ``--term``."""


@attrs.frozen
class TimelineDocument:
    """One year of the timeline."""

    year: int
    path: str
    title: str
    key: str
    """Content hash (SHA-256 of text, metadata and format) that the cache is keyed by."""


@attrs.frozen
class Event:
    """What happened to a lineage in one year."""

    year: int
    kind: EventKind
    node_id: str | None
    """The node in that year's document; None for ``removed``."""
    label: str = ""
    title: str = ""
    moved: bool = False
    """The measure changed parent (part or section) this year."""
    renumbered: bool = False
    """The label differs from last year's (``2.`` → ``3.``)."""
    source: str | None = None
    """For a lineage born of a split: the lineage it split from."""
    into: str | None = None
    """For a lineage merged into another one: the lineage that continues (this one ends here)."""


@attrs.frozen
class Lineage:
    """The history of one measure across the years."""

    id: str
    """``YEAR:NODE_ID`` of its first appearance: stable when later years are added."""
    titles: tuple[str, ...]
    """The distinct titles it carried, in order (the opening words when a measure has no title)."""
    events: tuple[Event, ...]

    def event(self, year: int) -> Event | None:
        """The event of this year, if the lineage has one."""
        return next((e for e in self.events if e.year == year), None)

    def state(self, year: int) -> str:
        """What a matrix shows for this document year: the event's kind (``moved`` when it moved and was
        otherwise unchanged or reworded; ``merged`` also for the lineage that ends in the merge), or
        ``absent`` before it appears, after it ends, and in the year it was removed."""
        e = self.event(year)
        if e is None or e.kind == "removed":
            return "absent"
        if e.moved and e.kind in ("unchanged", "reworded"):
            return "moved"
        return e.kind


@attrs.frozen
class Point:
    """One year's figure of a target series."""

    year: int
    text: str
    """As written, qualifier included (``6.5%－7%``, ``5%左右``)."""
    value: Decimal
    unit: str
    qualifier: str
    quote: str


@attrs.frozen
class Series:
    """A numeric target by subject over the years (``国内生产总值增长``)."""

    subject: str
    unit: str
    points: tuple[Point, ...]
    kind: QuantityKind = "target"
    """``target`` (the plan's figures: guidance, tasks, safeguards) or ``outcome`` (the review's); an indicator
    with both has two series, so a year's outcome never stands in a target line."""


@attrs.frozen
class TrackedPoint:
    """A year's target beside the outcome the next year's review reports for it (``policydiff track``)."""

    year: int
    """The plan's year (the target's document)."""
    target: Point
    outcome: Point | None
    """Read from the next document's review (its ``year`` is that document's); None when the next document is
    not the next year's or its review gives no figure."""
    status: TargetStatus


@attrs.frozen
class TrackedSeries:
    """A target series paired with the outcome series of the same indicator, year by year."""

    subject: str
    unit: str
    outcome_subject: str
    points: tuple[TrackedPoint, ...]


@attrs.frozen
class Phrase:
    """A slogan, document or phrase with its count in each year (years absent from ``counts``: 0)."""

    text: str
    kind: PhraseKind
    counts: tuple[tuple[int, int], ...]
    """(year, count) for every year where the count is above zero, in year order."""

    @property
    def first(self) -> int | None:
        return self.counts[0][0] if self.counts else None

    @property
    def last(self) -> int | None:
        return self.counts[-1][0] if self.counts else None

    def count(self, year: int) -> int:
        return dict(self.counts).get(year, 0)


@attrs.frozen
class PairSummary:
    """What changed from one document to the next, by change kind (every level but front matter)."""

    old_year: int
    new_year: int
    counts: tuple[tuple[str, int], ...]
    """(kind, number of changes) including ``moved``."""
    added: tuple[str, ...] = ()
    """Headings of measures added this year."""
    removed: tuple[str, ...] = ()
    """Headings of measures gone this year."""
    cached: bool = False
    """Read from the cache rather than computed in this run."""


@attrs.frozen
class Timeline:
    """Documents of one issuer in year order with their lineages, target series and phrases."""

    documents: tuple[TimelineDocument, ...]
    lineages: tuple[Lineage, ...]
    series: tuple[Series, ...]
    phrases: tuple[Phrase, ...]
    pairs: tuple[PairSummary, ...]
    tracked: tuple[TrackedSeries, ...] = ()
    """Target series beside their outcome series (the outcome of year N read from year N+1's review), where
    both exist: ``timeline.py`` pairs them as ``track.py`` pairs one year's figures."""

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(d.year for d in self.documents)

    @property
    def gaps(self) -> tuple[int, ...]:
        """Years between the first and last document that have no document."""
        have = set(self.years)
        if not have:
            return ()
        return tuple(y for y in range(min(have), max(have) + 1) if y not in have)

    def columns(self) -> tuple[tuple[int, int, bool], ...]:
        """Columns of a year matrix: ``(year, year, False)`` per document and ``(first, last, True)`` per run
        of missing years, so a gap shows as one narrow column rather than as removed and re-added."""
        out: list[tuple[int, int, bool]] = []
        years = self.years
        for i, year in enumerate(years):
            if i and year > years[i - 1] + 1:
                out.append((years[i - 1] + 1, year - 1, True))
            out.append((year, year, False))
        return tuple(out)

    def series_of(self, subject: str, kind: QuantityKind = "target") -> Series | None:
        """The series of this kind whose subject is ``subject`` (normalized comparison)."""
        key = _subject_key(subject)
        return next((s for s in self.series if _subject_key(s.subject) == key and s.kind == kind), None)

    def phrase(self, text: str, kind: PhraseKind | None = None) -> Phrase | None:
        """The phrase written ``text`` (with or without its quote marks), of this kind if given."""
        key = _phrase_key(text)
        return next((p for p in self.phrases if _phrase_key(p.text) == key and kind in (None, p.kind)), None)


def _subject_key(subject: str) -> str:
    return re.sub(r"\W", "", normalize(subject))


def _phrase_key(text: str) -> str:
    return normalize(text).strip("\"“”「」《》")
