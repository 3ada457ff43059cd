"""Many years at once: order documents by year, chain pairwise alignments into lineages, and follow
numeric targets and phrases over time.

Why a stage of its own: a timeline is N−1 comparisons of consecutive documents plus per-document facts.
Comparisons dominate the cost (about a second per pair of 政府工作报告), so they run in worker
processes and are cached on disk as compact JSON keyed by the content hash of both documents and the
policydiff code fingerprint: adding a year recomputes one pair. Per-document facts (title, measures,
targets, quoted terms) are cached the same way, so a warm run parses only new documents.

The cache holds only our own JSON (ids, kinds, strings); it is validated when read and recomputed when
anything is off, never unpickled.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, InvalidOperation
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import attrs

from .compare import CompareOptions, compare
from .executor import Executor
from .model import Document, InputError, Quantity, QuantityKind, headline_rank
from .numbers import document_quantities, names_indicator
from .pipeline import Source, document_of, source_of
from .safefs import PRIVATE_MODE, write_text
from .safefs import read_bytes as read_private
from .sources import read_source
from .terms import document_terms, key_phrases
from .text import bigrams, dice, normalize
from .timeline_model import (
    Event,
    EventKind,
    Lineage,
    PairSummary,
    Phrase,
    PhraseKind,
    Point,
    Series,
    Timeline,
    TimelineDocument,
    TrackedPoint,
    TrackedSeries,
    _subject_key,
)
from .track import PAIR_MIN, Figure, direction, indicator_similarity, target_status

__all__ = ["Event", "EventKind", "Lineage", "PairSummary", "Phrase", "PhraseKind", "Point", "RunStats", "Series",
           "Timeline", "TimelineDocument", "TrackedPoint", "TrackedSeries", "collect_paths", "default_cache_dir",
           "document_year", "timeline"]

TRACKED_KINDS = frozenset({"measure"})
"""Node kinds followed as lineages: measures are what a bureau promises (parts and sections are the
outline around them and change wording with every new leadership)."""

CACHE_ENTRY_MAX_BYTES = 64_000_000
"""Largest cache entry read back: a pair of 政府工作报告 takes about 20 kB and a document's facts less; two
documents at the input limit (``limits.MAX_CHARS``) give entries of a few MB. Anything bigger was not
written by us and is recomputed instead of read."""

CACHE_FORMAT = 1
"""Bumped when the layout of cached JSON changes, so old entries are ignored rather than misread."""

DOCUMENT_EXTENSIONS = (".txt", ".text", ".html", ".htm", ".docx")
"""Files of a directory argument that are read as documents; others (README, SOURCES.tsv) are skipped."""

KEY_PHRASES_PER_YEAR = 10
"""Key phrases taken from each year (the most salient of those new against the year before): enough for
the new coinages of a report (新质生产力, 碳达峰), few enough that the heat map stays readable."""

RETURN_MIN_SIMILARITY = 0.6
"""Bigram Dice similarity (whole measure text) above which a measure added this year continues one
removed the year before (dropped for one document, then restated). Set phrases shared by different
measures of one field make low values unsafe: on the 51 State Council reports, candidates at 0.35–0.6 mix
true returns (深化农村改革 2010 → 2012) with different measures (侨务政策 → 宗教工作), and none reaches 0.6;
a measure restored in its old words (the case of county plans, tested on the sample) scores near 1."""

UNTITLED_NAME_CHARS = 30
"""A measure without a run-in title is named by its opening characters: 30 are about a line of a report,
enough to recognise it in a matrix row."""

TASKS_PER_JOB = 3
"""Consecutive pairs are cut into this many chunks per worker: enough to balance uneven pairs (a 1950s
report is three times as long as a 2020s one), few enough that each chunk parses a shared document once."""


# --- years ----------------------------------------------------------------------------------------------

_YEAR_ARABIC = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_YEAR_CHINESE = re.compile(r"([〇零一二三四五六七八九]{4})\s*年")
_YEAR_BARE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_YEAR_CHINESE_BARE = re.compile(r"([〇零一二三四五六七八九]{4})")
_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}


_TITLE_ENDINGS = ("要点", "意见", "报告", "计划", "安排", "方案", "任务")
"""How a document title ends; a "title" ending otherwise is a heading the parser promoted
(``首先报告２００１年的工作``), whose year is not the document's."""


def _years_in(text: str) -> set[int]:
    """Years named in a title: at least one written with 年; then every four-digit year, so that a range
    (``2021—2025年``) counts as two."""
    text = unicodedata.normalize("NFKC", text)
    if not (_YEAR_ARABIC.search(text) or _YEAR_CHINESE.search(text)):
        return set()
    found = {int(m.group(1)) for m in _YEAR_BARE.finditer(text)}
    found |= {int("".join(_DIGITS[c] for c in m.group(1))) for m in _YEAR_CHINESE_BARE.finditer(text)}
    return {y for y in found if 1900 <= y < 2100}


def _year_from_name(path: str) -> int | None:
    years = {int(m.group(1)) for m in _YEAR_BARE.finditer(Path(path).stem)}
    return years.pop() if len(years) == 1 else None


def document_year(path: str, title: str, metadata: dict[str, str]) -> int:
    """The year a document is for: from its file name, else its title (二〇二一年…要点), else the 成文日期.

    The file name comes first because the user chose it; the title next because it names the working
    year, while a plan is often signed (成文日期) in the December before. A source naming two different
    years (``2021—2025年``) is ambiguous and skipped.

    Raises:
        InputError: no source names exactly one year.
    """
    date = unicodedata.normalize("NFKC", metadata.get("成文日期", ""))
    candidates = (
        {int(m.group(1)) for m in _YEAR_BARE.finditer(Path(path).stem)},
        _years_in(title) if title.strip().endswith(_TITLE_ENDINGS) else set(),
        {int(m.group(1)) for m in _YEAR_BARE.finditer(date)} or _years_in(date),
    )
    for years in candidates:
        if len(years) == 1:
            return years.pop()
    raise InputError(path, "cannot tell which year this document is for",
                     "put the year in the file name (2021.txt) or in the title (二〇二一年…)")


# --- per-document facts ---------------------------------------------------------------------------------

def _squash(text: str) -> str:
    """Text without whitespace: hard-wrapped lines must not hide a phrase cut in two."""
    return re.sub(r"\s", "", text)


def _summarize(doc: Document) -> dict[str, Any]:
    """Everything the timeline needs from one document, as plain JSON (what the cache stores)."""
    nodes = [[n.id, n.label, n.title or n.body[:UNTITLED_NAME_CHARS], n.kind, n.text]
             for n in doc.nodes() if n.kind in TRACKED_KINDS]
    targets = [{"subject": q.subject, "text": q.text, "value": str(q.value), "unit": q.unit,
                "qualifier": q.qualifier, "quote": q.quote, "kind": q.kind}
               for q in document_quantities(doc) if _annual_figure(q)]
    found = [[_squash(whole), kind, int(count)] for whole, (kind, count, _span) in document_terms(doc).items()]
    return {"title": doc.title, "nodes": nodes, "targets": targets, "terms": found}


def _annual_figure(q: Quantity) -> bool:
    """A figure that can stand in a year's series: a target of the plan or an outcome of the review (both
    decided by anatomy first, ``numbers.py``), of one year (never a five-year total or a plan period's
    goal), whose subject names an indicator (``numbers.names_indicator``)."""
    return q.kind in ("target", "outcome") and not q.multiyear and names_indicator(q.subject)


# --- pairwise comparisons -------------------------------------------------------------------------------

def _compact(old: Document, new: Document) -> dict[str, Any]:
    """A comparison reduced to what the timeline reads: kind, moved flag and node ids of each change."""
    cmp = compare(old, new, CompareOptions(inline=False))
    changes = [[c.kind, c.moved, c.level, [n.id for n in c.old], [n.id for n in c.new]]
               for c in cmp.changes if c.level != "front"]
    phrases = [t.text for t in key_phrases(new, [normalize(old.text)])[:KEY_PHRASES_PER_YEAR]]
    return {"changes": changes, "phrases": phrases}


def _pair_task(chain: list[Source], want: list[bool]) -> tuple[list[dict[str, Any] | None], list[dict[str, Any]]]:
    """Compare each consecutive pair of ``chain``, parsing every document once (runs in a worker); also
    summarize the documents flagged in ``want``, so that no document is parsed twice for one run. Parsed
    by ``pipeline.document_of``, within the input limits, as ``diff`` would."""
    docs = [document_of(src) for src in chain]
    summaries = [_summarize(d) if w else None for d, w in zip(docs, want, strict=True)]
    return summaries, [_compact(a, b) for a, b in itertools.pairwise(docs)]


def _summary_task(src: Source) -> dict[str, Any]:
    return _summarize(document_of(src))


# --- the cache ------------------------------------------------------------------------------------------

def _fingerprint() -> str:
    """The policydiff version plus a hash of its code: a changed aligner must not reuse old results."""
    try:
        version = importlib_metadata.version("policydiff")
    except importlib_metadata.PackageNotFoundError:
        version = "0"
    h = hashlib.sha256(version.encode())
    for f in sorted(Path(__file__).parent.rglob("*.py")):
        h.update(f.read_bytes())
    return f"{version}+{h.hexdigest()[:12]}"


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/policydiff`` (``~/.cache/policydiff`` when unset)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "policydiff"


class _Cache:
    """JSON files named by the hash of their key; unreadable or mismatched entries count as missing."""

    def __init__(self, root: Path | None, fingerprint: str) -> None:
        self.root = root
        self.fingerprint = fingerprint

    def _path(self, kind: str, key: str) -> Path | None:
        if self.root is None:
            return None
        name = hashlib.sha256(f"{CACHE_FORMAT}|{self.fingerprint}|{key}".encode()).hexdigest()
        return self.root / kind / name[:2] / f"{name}.json"

    def get(self, kind: str, key: str) -> dict[str, Any] | None:
        path = self._path(kind, key)
        if path is None or self.root is None:
            return None
        try:  # not through a link, and not more than an entry can hold
            data = json.loads(read_private(path, CACHE_ENTRY_MAX_BYTES, root=self.root))
        except (OSError, ValueError, InputError):
            return None
        if not isinstance(data, dict) or data.get("key") != key or data.get("fingerprint") != self.fingerprint:
            return None
        value = data.get("value")
        return value if isinstance(value, dict) else None

    def put(self, kind: str, key: str, value: dict[str, Any]) -> None:
        path = self._path(kind, key)
        if path is None or self.root is None:
            return
        try:  # folders below the root and the entry are created without following links (``safefs``)
            self.root.mkdir(parents=True, exist_ok=True, mode=PRIVATE_MODE)
            write_text(path, json.dumps({"key": key, "fingerprint": self.fingerprint, "value": value},
                                               ensure_ascii=False), root=self.root)
        except (OSError, InputError):
            return  # a read-only or full cache only costs time; a planted link is not written through


def _valid_pair(value: dict[str, Any]) -> bool:
    changes = value.get("changes")
    phrases = value.get("phrases", [])
    return isinstance(phrases, list) and all(isinstance(p, str) for p in phrases) and isinstance(changes, list) and all(
        isinstance(c, list) and len(c) == 5 and isinstance(c[0], str) and isinstance(c[3], list)
        and isinstance(c[4], list) for c in changes)


def _valid_summary(value: dict[str, Any]) -> bool:
    return (isinstance(value.get("title"), str) and isinstance(value.get("nodes"), list)
            and isinstance(value.get("targets"), list) and isinstance(value.get("terms"), list))


# --- running it -----------------------------------------------------------------------------------------

@attrs.frozen
class RunStats:
    """How much work a run did: what the bench and the warm-cache test read."""

    pairs_computed: int
    pairs_cached: int
    documents_parsed: int


Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while comparisons finish."""


def _source(item: Document | str | os.PathLike[str]) -> Source:
    return source_of(item) if isinstance(item, Document) else read_source(item)


def _key(src: Source) -> str:
    blob = json.dumps([src.text, sorted(src.metadata.items()), src.source_format], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _chunks(indices: list[int], parts: int) -> list[list[int]]:
    """Split pair indices into runs of consecutive pairs, then into about ``parts`` pieces."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    size = max(1, -(-len(indices) // max(1, parts)))
    return [run[k:k + size] for run in runs for k in range(0, len(run), size)]


def timeline(documents: Sequence[Document | str | os.PathLike[str]], *, terms: Iterable[str] = (),
             jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
             progress: Progress | None = None, stats: list[RunStats] | None = None,
             scheduler: str | None = None) -> Timeline:
    """Follow documents of one issuer over the years.

    Args:
        documents: the years, as parsed documents or file paths, in any order.
        terms: phrases to count in every year (plain counts, whitespace ignored).
        jobs: worker processes for the comparisons (default: all cores; 1 runs everything here).
        cache_dir: where pairwise results are kept between runs; None keeps nothing.
        progress: called with (done, total) as comparisons finish.
        stats: if given, a ``RunStats`` is appended to it.
        scheduler: ``tcp://HOST:PORT`` of a Dask scheduler to run the comparisons on instead of local
            processes (``pip install 'policydiff[dask]'``), as ``batch`` does; ``jobs`` is then ignored.

    Raises:
        InputError: a file cannot be read, is over the input limits, a year cannot be told, or two
            documents have the same year.
        OptionsError: ``jobs`` below 1, or the scheduler cannot be reached.
    """
    sources = [_source(d) for d in documents]
    keys = [_key(s) for s in sources]
    cache = _Cache(Path(cache_dir) if cache_dir is not None else None, _fingerprint())

    summaries: list[dict[str, Any] | None] = []
    for k in keys:
        value = cache.get("document", k)
        summaries.append(value if value is not None and _valid_summary(value) else None)
    parsed = 0

    def store(i: int, value: dict[str, Any]) -> None:
        nonlocal parsed
        summaries[i] = value
        cache.put("document", keys[i], value)
        parsed += 1

    # The file name (or a cached title) settles most years without parsing; only the others are parsed
    # first, for their titles. Everything else is parsed once, inside the comparison tasks.
    named = [_year_from_name(src.path) if summaries[i] is None else None for i, src in enumerate(sources)]
    need_title = [i for i, src in enumerate(sources) if summaries[i] is None and named[i] is None]
    # Local processes pay off only with more than one pair; a named cluster is always used.
    engine = Executor(jobs if scheduler is not None or len(sources) > 2 else 1, scheduler)
    try:
        titled = [engine.submit(_summary_task, sources[i]) for i in need_title]
        for i, fut in zip(need_title, titled, strict=True):
            store(i, fut.result())
        years: list[int] = []
        for i, src in enumerate(sources):
            settled = summaries[i]
            years.append(named[i] or document_year(src.path, settled["title"] if settled else "", src.metadata))
        seen: dict[int, str] = {}
        for y, src in zip(years, sources, strict=True):
            if y in seen and os.path.abspath(seen[y]) == os.path.abspath(src.path):
                raise InputError(src.path, "is named twice", "name each year's document once")
            if y in seen:
                raise InputError(src.path, f"is for {y}, like {seen[y]}", "give one document per year")
            seen[y] = src.path
        order = sorted(range(len(sources)), key=lambda i: years[i])
        sources = [sources[i] for i in order]
        keys = [keys[i] for i in order]
        summaries = [summaries[i] for i in order]
        years = [years[i] for i in order]

        pair_keys = [f"{a}|{b}" for a, b in itertools.pairwise(keys)]
        pairs: list[dict[str, Any] | None] = []
        for pk in pair_keys:
            value = cache.get("pair", pk)
            pairs.append(value if value is not None and _valid_pair(value) else None)
        cached = [p is not None for p in pairs]
        missing = [i for i, p in enumerate(pairs) if p is None]
        total, done = len(pairs), len(pairs) - len(missing)
        if progress is not None:
            progress(done, total)
        chunks = _chunks(missing, engine.workers * TASKS_PER_JOB)
        assigned: set[int] = set()
        tasks: list[tuple[list[int], list[Source], list[bool]]] = []
        for chunk in chunks:
            members = list(range(chunk[0], chunk[-1] + 2))
            want = [summaries[j] is None and j not in assigned for j in members]
            assigned.update(j for j, w in zip(members, want, strict=True) if w)
            tasks.append((members, [sources[j] for j in members], want))
        alone = [j for j in range(len(sources)) if summaries[j] is None and j not in assigned]

        def collect(members: list[int], chunk: list[int], result: tuple[list[dict[str, Any] | None],
                                                                        list[dict[str, Any]]]) -> None:
            nonlocal done
            for j, value in zip(members, result[0], strict=True):
                if value is not None:
                    store(j, value)
            for i, value in zip(chunk, result[1], strict=True):
                pairs[i] = value
                cache.put("pair", pair_keys[i], value)
            done += len(chunk)
            if progress is not None:
                progress(done, total)

        if engine.client is None and len(tasks) <= 1 and not alone:  # one task: no worker to start for it
            engine.close()
            engine = Executor(1)
        lone = {engine.submit(_summary_task, sources[j]): j for j in alone}
        futures = {engine.submit(_pair_task, chain, want): (members, chunk)
                   for (members, chain, want), chunk in zip(tasks, chunks, strict=True)}
        for fut in engine.as_completed([*futures, *lone]):
            if fut in lone:
                store(lone[fut], fut.result())
            else:
                collect(*futures[fut], fut.result())
    finally:
        engine.close()
    if stats is not None:
        stats.append(RunStats(pairs_computed=len(missing), pairs_cached=total - len(missing),
                              documents_parsed=parsed))
    done_summaries = [x for x in summaries if x is not None]
    done_pairs = [p for p in pairs if p is not None]
    docs = tuple(TimelineDocument(year=y, path=src.path, title=s["title"], key=k)
                 for y, src, s, k in zip(years, sources, done_summaries, keys, strict=True))
    series = _series(years, done_summaries)
    return Timeline(
        documents=docs,
        lineages=_lineages(years, done_summaries, done_pairs),
        series=series,
        tracked=_tracked(series, years, done_summaries),
        phrases=_phrases(years, done_summaries, sources, tuple(terms), done_pairs),
        pairs=tuple(_pair_summary(years[i], years[i + 1], done_summaries[i], done_summaries[i + 1], p, cached[i])
                    for i, p in enumerate(done_pairs)),
    )


# --- lineages -------------------------------------------------------------------------------------------

def _lineages(years: list[int], summaries: list[dict[str, Any]], pairs: list[dict[str, Any]]) -> tuple[Lineage, ...]:
    """Chain the pairwise alignments: each tracked node of a year continues, starts or ends a lineage."""
    events: dict[str, list[Event]] = {}
    info = [{n[0]: (n[1], n[2]) for n in s["nodes"]} for s in summaries]

    def start(year: int, node_id: str, kind: EventKind, source: str | None = None) -> str:
        lid = f"{year}:{node_id}"
        label, title = info[years.index(year)][node_id]
        events[lid] = [Event(year=year, kind=kind, node_id=node_id, label=label, title=title, source=source)]
        return lid

    if not years:
        return ()
    current = {nid: start(years[0], nid, "present") for nid in info[0]}
    for i, pair in enumerate(pairs):
        year, old_info, new_info = years[i + 1], info[i], info[i + 1]
        nxt: dict[str, str] = {}
        for kind, moved, _level, old_ids, new_ids in pair["changes"]:
            olds = [o for o in old_ids if o in old_info and o in current]
            news = [n for n in new_ids if n in new_info]
            if not olds and not news:
                continue
            if not news:
                for o in olds:
                    events[current[o]].append(Event(year=year, kind="removed", node_id=None))
                continue
            if not olds:
                for n in news:
                    nxt[n] = start(year, n, "added")
                continue
            ekind: EventKind = kind if kind in ("unchanged", "reworded", "split", "merged", "condensed") \
                else "reworded"
            if len(olds) > 1 and len(news) == 1:
                ekind = "merged" if kind not in ("condensed",) else "condensed"
            elif len(olds) == 1 and len(news) > 1:
                ekind = "split"
            keeper = current[olds[0]]
            label, title = new_info[news[0]]
            prev = events[keeper][-1]
            events[keeper].append(Event(year=year, kind=ekind, node_id=news[0], label=label, title=title,
                                        moved=bool(moved), renumbered=prev.label != label))
            nxt[news[0]] = keeper
            for o in olds[1:]:
                lid = current[o]
                events[lid].append(Event(year=year, kind=ekind, node_id=news[0], label=label, title=title,
                                         moved=bool(moved), into=keeper))
            for n in news[1:]:
                nxt[n] = start(year, n, ekind, source=keeper)
        for o, lid in current.items():
            if o not in {x for c in pair["changes"] for x in c[3]} and events[lid][-1].kind != "removed":
                events[lid].append(Event(year=year, kind="removed", node_id=None))
        for n in new_info:
            if n not in nxt:
                nxt[n] = start(year, n, "added")
        current = nxt
    _reconnect(years, summaries, events)
    out = []
    for lid, evs in events.items():
        titles: list[str] = []
        for e in evs:
            if e.node_id is not None and e.title and e.title not in titles:
                titles.append(e.title)
        out.append(Lineage(id=lid, titles=tuple(titles), events=tuple(evs)))
    return tuple(out)


def _reconnect(years: list[int], summaries: list[dict[str, Any]], events: dict[str, list[Event]]) -> None:
    """Join a lineage removed in one document to a lineage added in the next when their texts are close
    (``RETURN_MIN_SIMILARITY``): a measure left out for a year is one history, not two. Pairs are taken
    best first, each lineage at most once; references to the absorbed lineage are redirected."""
    texts = [{n[0]: n[4] if len(n) > 4 else "" for n in s["nodes"]} for s in summaries]
    for k in range(1, len(years) - 1):
        gone = [lid for lid, evs in events.items()
                if evs[-1].kind == "removed" and evs[-1].year == years[k] and len(evs) > 1]
        born = [lid for lid, evs in events.items() if evs[0].kind == "added" and evs[0].year == years[k + 1]]
        if not gone or not born:
            continue
        olds = {a: bigrams(texts[k - 1].get(events[a][-2].node_id or "", "")) for a in gone}
        news = {b: bigrams(texts[k + 1].get(events[b][0].node_id or "", "")) for b in born}
        sizes = {x: grams.total() for x, grams in (olds | news).items()}
        scored = []
        for a, ga in olds.items():
            for b, gb in news.items():
                # Dice is at most 2·min/(sum) of the sizes: most pairs are ruled out without counting
                if not sizes[a] or not sizes[b] or 2 * min(sizes[a], sizes[b]) < RETURN_MIN_SIMILARITY * (
                        sizes[a] + sizes[b]):
                    continue
                score = dice(ga, gb)
                if score >= RETURN_MIN_SIMILARITY:
                    scored.append((score, a, b))
        used: set[str] = set()
        for _score, a, b in sorted(scored, key=lambda x: (-x[0], x[1], x[2])):
            if a in used or b in used:
                continue
            used |= {a, b}
            first = events[b][0]
            prev = events[a][-2]
            events[a].append(attrs.evolve(first, kind="returned", renumbered=prev.label != first.label))
            events[a].extend(events.pop(b)[1:])
            for lid, evs in events.items():
                events[lid] = [attrs.evolve(e, source=a if e.source == b else e.source,
                                            into=a if e.into == b else e.into) for e in evs]


# --- series ---------------------------------------------------------------------------------------------

SERIES_MIN_YEARS = 2
"""Years a series needs: one figure is a fact of its year (the pair's comparison shows it), not a line; the
reports' one-off figures (a programme's budget, a count of pilots) would bury the indicators."""


def _series(years: list[int], summaries: list[dict[str, Any]]) -> tuple[Series, ...]:
    """Targets and outcomes by subject, one series each: the first figure of each subject in each year (a
    report states a target once; a later mention restates or breaks it down)."""
    by_subject: dict[str, dict[int, dict[str, Any]]] = {}
    names: dict[str, str] = {}
    kinds: dict[str, QuantityKind] = {}
    for year, s in zip(years, summaries, strict=True):
        for t in s["targets"]:
            kind: QuantityKind = "outcome" if t.get("kind") == "outcome" else "target"
            key = kind + "|" + _subject_key(t["subject"]) + "|" + normalize(t["unit"])
            names.setdefault(key, t["subject"])
            kinds[key] = kind
            by_subject.setdefault(key, {}).setdefault(year, t)
    out = []
    for key, points in by_subject.items():
        pts = []
        for year in sorted(points):
            t = points[year]
            try:
                value = Decimal(t["value"])
            except InvalidOperation:
                continue
            pts.append(Point(year=year, text=t["text"], value=value, unit=t["unit"], qualifier=t["qualifier"],
                             quote=t["quote"]))
        if len(pts) >= SERIES_MIN_YEARS:
            out.append(Series(subject=names[key], unit=pts[0].unit, points=tuple(pts), kind=kinds[key]))
    out.sort(key=lambda s: (s.kind != "target", headline_rank(s.subject), -len(s.points), s.points[0].year,
                            s.subject))
    return tuple(out)


def _figure(subject: str, p: Point) -> Figure:
    return Figure(indicator=subject, text=p.text, value=p.value, unit=p.unit, qualifier=p.qualifier, quote=p.quote)


def _tracked(series: tuple[Series, ...], years: list[int],
             summaries: list[dict[str, Any]]) -> tuple[TrackedSeries, ...]:
    """Each target series beside the outcomes of the same indicator and unit (``track.indicator_similarity`` at
    least ``track.PAIR_MIN``, the surest and then the first of the year): year N's target with the outcome read
    from the review of the document of year N+1, its status as ``policydiff track`` decides it. Outcomes are
    read from every document, not only from outcome series (a figure the review states once is no series but
    answers a target). Years without a next document are left out (nothing can report on them yet). Series
    points keep no range's high end, so a range target is judged on its low end."""
    by_year = dict(zip(years, summaries, strict=True))
    out = []
    for s in series:
        if s.kind != "target":
            continue
        way = direction(s.subject)
        points = []
        names = []
        for p in s.points:
            if p.year + 1 not in by_year:
                continue
            best: tuple[float, int, dict[str, Any]] | None = None
            for k, t in enumerate(by_year[p.year + 1]["targets"]):
                if t.get("kind") != "outcome" or t["unit"] != s.unit:
                    continue
                score = indicator_similarity(s.subject, t["subject"])
                if score >= PAIR_MIN and (best is None or (score, -k) > (best[0], -best[1])):
                    best = (score, k, t)
            q = None
            if best is not None:
                t = best[2]
                with contextlib.suppress(InvalidOperation):
                    q = Point(year=p.year + 1, text=t["text"], value=Decimal(t["value"]), unit=t["unit"],
                              qualifier=t["qualifier"], quote=t["quote"])
                    names.append(t["subject"])
            status = target_status(_figure(s.subject, p), _figure(s.subject, q) if q else None, way)
            points.append(TrackedPoint(year=p.year, target=p, outcome=q, status=status))
        if names:
            out.append(TrackedSeries(subject=s.subject, unit=s.unit, outcome_subject=names[0], points=tuple(points)))
    return tuple(out)


# --- phrases --------------------------------------------------------------------------------------------

def _phrases(years: list[int], summaries: list[dict[str, Any]], sources: list[Source],
             asked: tuple[str, ...], pairs: list[dict[str, Any]]) -> tuple[Phrase, ...]:
    """Asked-for phrases first, then key phrases (both plain counts), then quoted slogans and named
    documents by first year."""
    out = []
    keyed = [p for pair in pairs for p in pair.get("phrases", [])]
    squashed = [_squash(normalize(src.text)) for src in sources] if asked or keyed else []
    wanted = dict.fromkeys(_squash(normalize(t)) for t in asked if _squash(t))
    for term in wanted:
        counts = tuple((y, n) for y, text in zip(years, squashed, strict=True) if (n := text.count(term)))
        out.append(Phrase(text=term, kind="term", counts=counts))
    for phrase in dict.fromkeys(keyed):
        if phrase in wanted:
            continue
        counts = tuple((y, n) for y, text in zip(years, squashed, strict=True) if (n := text.count(phrase)))
        out.append(Phrase(text=phrase, kind="phrase", counts=counts))
    found: dict[str, tuple[str, str, Counter[int]]] = {}
    for year, s in zip(years, summaries, strict=True):
        for text, kind, count in s["terms"]:
            key = normalize(text)
            entry = found.setdefault(key, (text, kind, Counter()))
            entry[2][year] += int(count)
    quoted = [Phrase(text=text, kind="document" if kind == "document" else "quoted",
                     counts=tuple(sorted((y, n) for y, n in counter.items() if n > 0)))
              for text, kind, counter in found.values()]
    quoted = [p for p in quoted if p.counts]
    quoted.sort(key=lambda p: (p.counts[0][0], -len(p.counts), p.text))
    return tuple(out + quoted)


def _pair_summary(old_year: int, new_year: int, old: dict[str, Any], new: dict[str, Any], pair: dict[str, Any],
                  cached: bool) -> PairSummary:
    counts: Counter[str] = Counter()
    oinfo = {n[0]: n[1] + n[2] for n in old["nodes"]}
    ninfo = {n[0]: n[1] + n[2] for n in new["nodes"]}
    added, removed = [], []
    for kind, moved, _level, old_ids, new_ids in pair["changes"]:
        counts[kind] += 1
        counts["moved"] += bool(moved)
        if kind == "added":
            added += [ninfo[n] for n in new_ids if n in ninfo]
        elif kind == "removed":
            removed += [oinfo[o] for o in old_ids if o in oinfo]
    order = ("unchanged", "reworded", "split", "merged", "condensed", "added", "removed", "moved")
    return PairSummary(old_year=old_year, new_year=new_year, counts=tuple((k, counts.get(k, 0)) for k in order),
                       added=tuple(added), removed=tuple(removed), cached=cached)


def collect_paths(args: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files named on the command line; a directory stands for its documents (by extension), sorted.

    Raises:
        InputError: a directory holds no document.
    """
    out: list[Path] = []
    for a in args:
        p = Path(a)
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in DOCUMENT_EXTENSIONS)
            if not found:
                raise InputError(str(p), "holds no document (.txt, .html, .docx)", "name the files of each year")
            out += found
        else:
            out.append(p)
    return out


__all__ = ["Event", "Lineage", "PairSummary", "Phrase", "Point", "RunStats", "Series", "Timeline",
           "TimelineDocument", "TrackedPoint", "TrackedSeries", "collect_paths", "default_cache_dir",
           "document_year", "timeline"]
