"""A corpus at once: compare every issuer's consecutive years into a Parquet change dataset.

``batch(manifest, out)`` reads a manifest (CSV, Parquet, or a folder laid out as ``ISSUER/YEAR.ext``),
plans the document pairs (each issuer's consecutive years; with ``against``, each document with the same
year of a reference issuer), and runs them on an existing engine: local worker processes
(``concurrent.futures.ProcessPoolExecutor``) or, with ``scheduler="tcp://HOST:PORT"``, a Dask distributed
cluster. The dataset layout and every column are described in ``docs/batch.md``.

The work is split in three kinds of task so that nothing is computed twice and the client never holds
the corpus:

1. *hash* (one per document): the SHA-256 of its bytes, so that the client can decide which pairs an
   earlier run already finished for the same contents and policydiff version;
2. *load* (one per document still needed): read and parse once, write the document's row and its
   phrases; the parsed ``Document`` is shared with the pair tasks (a Dask future that stays on the
   workers, or its JSON (``codec``) in the private folder ``OUT/_cache`` for local processes);
3. *pair* (one per document pair): compare, write the pair's changes and numbers, then its row in the
   ``pairs`` table. That row is the commit mark: a pair whose row says ``done`` for the same hashes and
   version is skipped by the next run, so a killed run resumes where it stopped.

A document that cannot be read is recorded in the ``documents`` table with its error and its pairs in
the ``pairs`` table as ``failed``; nothing a document holds stops the batch. A task that runs past
``task_timeout`` is stopped and recorded as failed the same way.

Files and folders it does not trust (``docs/security.md``): nothing is ever unpickled; every file is
written through ``safefs`` (no link followed, atomic rename); ``OUT`` is locked for the run; the cache is
a folder only the user can enter, and what is read back from it is validated.
"""

from __future__ import annotations

import bisect
import concurrent.futures as cf
import contextlib
import csv
import functools
import hashlib
import importlib.metadata
import itertools
import json
import os
import re
import shutil
import signal
import stat
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TextIO, TypeVar

import attrs

from .codec import MAX_JSON_CHARS, document_dict, document_from_data, parse_json
from .compare import compare
from .executor import SCHEDULER_TIMEOUT_S, InlineExecutor, dask_client, process_pool, worker_queue
from .model import Comparison, Document, InputError, NumberChange, OptionsError, PolicyDiffError
from .pipeline import document_of
from .readers import fetch as _fetch
from .readers.base import read_file_capped
from .safefs import FolderLock, private_dir, remove, write_bytes, write_text
from .safefs import read_bytes as read_private
from .sources import read_source_bytes
from .terms import document_terms

if TYPE_CHECKING:  # pyarrow is imported where a table is read or written: `import policydiff` stays light
    import pyarrow as pa

T = TypeVar("T")
Relation = Literal["consecutive", "against"]
Status = Literal["done", "failed"]

VERSION = importlib.metadata.version("policydiff")
"""Written into every ``pairs`` and ``documents`` row: a run under another version recomputes everything,
since alignment or parsing may have changed."""

DOCUMENT_SUFFIXES = (".txt", ".text", ".htm", ".html", ".shtml", ".docx", ".pdf", ".ofd", ".md")
"""File kinds picked up from a folder manifest (what ``sources`` reads); anything else there, such as a
``SOURCES.tsv`` or a README, is not a year of a document."""

YEAR_STEM = re.compile(r"^(\d{4})$")
"""A folder manifest's file names are the year alone (``2021.txt``): four digits, nothing else."""

PROGRESS_EVERY_S = 2.0
"""Seconds between progress lines on stderr: often enough to see a run move, rarely enough that a log of
a 10^5-pair run stays readable."""

RUN_PAIRS = 16
"""Most consecutive pairs in one task of the local engine. A worker process keeps what it computed of a
document's sentences (normal forms, bigrams, jieba tags, quantities), so a document's second pair is
cheaper in the process that did its first: pairs handed out one by one alternate between the workers and
the 50 report pairs cost ~25 % more CPU (``docs/scaling.md``). 16 keeps what a dying worker loses, and the
wait for the last run, short."""
RUNS_PER_WORKER = 2
"""Each run is cut to (pairs not yet cut) / (workers × 2), at most ``RUN_PAIRS``: long runs first, ever
shorter ones towards the end (guided scheduling), so that the workers finish within a pair of each other.
On the 50 report pairs: 13, 10, 7, 5, 4, 3, 2, 2, 1 … pairs."""
TASKS_PER_WORKER = 2
"""Tasks handed to the local pool per worker: one running and one waiting, so a worker never idles while
this process (descheduled on a busy machine) comes round to submit the next; more would only lengthen the
list of tasks to re-run one by one after a worker dies."""

TASK_TIMEOUT_S = 300.0
"""Default seconds one task (loading a document, or comparing one pair) may run before it is stopped and
recorded as failed. The longest real pair (two State Council reports) takes about 1 s and the scaling
bench's 5 MB report about 30 s; 300 s is ten times that, so only a document that would never finish
(a hostile numbering start, a decompression bomb) reaches it, and one such file costs a worker minutes,
not the run."""

TIMEOUT_POLL_S = 1.0
"""At most this long between two looks at the running tasks' clocks: a task is stopped within a second
of its deadline."""

CACHE_FORMAT = "policydiff.batch-cache"
CACHE_VERSION = 1
"""Layout of a cached document (``_cache_entry``); files of another layout are not read."""

CACHE_NAME = "_cache"
"""The local engine's private folder inside ``OUT`` (mode 0o700; emptied at the start of a run, removed
at the end of a complete one). ``_``: pyarrow and DuckDB skip it when reading the dataset."""

PAIR_PRIORITY = 10
"""Dask priority of pair tasks over load tasks (priority 0): any positive value puts a ready pair first."""

SUBMIT_BATCH = 5000
"""Tasks per graph sent to the Dask scheduler: a message per task costs the scheduler about a millisecond
each, while one graph of the 10^5 pairs of a large run is a message of about 20 MB (Dask warns above 10 MB).
5000 tasks are about 1 MB."""

TABLES = ("documents", "phrases", "changes", "numbers", "pairs")

PAIR_TABLES = ("changes", "numbers", "phrases")
"""Tables a pair task writes before its ``pairs`` row (``phrases``: the new year's key phrases)."""

_UNSAFE = re.compile(r'[%/\\=:*?"<>|\x00-\x1f\x7f]|^[._]')
"""Characters escaped (as %XX) in partition folder and file names: path separators, ``=`` of Hive
partitions, ``%`` itself, characters Windows refuses, and a leading ``.``/``_`` that pyarrow and DuckDB
treat as hidden. Chinese names stay readable; pyarrow and DuckDB decode %XX when reading."""


# --- schemas ---------------------------------------------------------------------------------------------
# ``issuer`` is the Hive partition (``issuer=…`` folders), not a column inside the files: pyarrow, pandas and
# DuckDB (``hive_partitioning=true``) add it when reading the dataset.

@functools.cache
def schemas() -> dict[str, pa.Schema]:
    """The Arrow schema of each table (built on first use, with pyarrow's import: ~45 MB and 0.2 s that a
    plain comparison should not pay)."""
    import pyarrow as pa

    str_list = pa.list_(pa.string())
    return {
        "documents": pa.schema([
            ("year", pa.int32()), ("path", pa.string()), ("sha256", pa.string()), ("size", pa.int64()),
            ("title", pa.string()), ("source_format", pa.string()), ("nodes", pa.int32()), ("measures", pa.int32()),
            ("warnings", str_list), ("error", pa.string()), ("policydiff_version", pa.string()),
        ]),
        "phrases": pa.schema([
            ("year", pa.int32()), ("text", pa.string()), ("kind", pa.string()), ("count", pa.int32()),
        ]),
        "changes": pa.schema([
            ("old_issuer", pa.string()), ("old_year", pa.int32()), ("new_year", pa.int32()), ("seq", pa.int32()),
            ("kind", pa.string()), ("level", pa.string()), ("moved", pa.bool_()), ("similarity", pa.float64()),
            ("old_ids", str_list), ("new_ids", str_list), ("old_labels", str_list), ("new_labels", str_list),
            ("old_titles", str_list), ("new_titles", str_list), ("old_parent", pa.string()),
            ("new_parent", pa.string()), ("part", pa.string()), ("commitments_added", pa.int32()),
            ("commitments_removed", pa.int32()), ("commitments_reworded", pa.int32()), ("numbers", pa.int32()),
        ]),
        "numbers": pa.schema([
            ("old_issuer", pa.string()), ("old_year", pa.int32()), ("new_year", pa.int32()),
            ("change_seq", pa.int32()), ("changed", pa.bool_()), ("subject", pa.string()), ("old", pa.string()),
            ("new", pa.string()), ("old_value", pa.float64()), ("new_value", pa.float64()), ("unit", pa.string()),
            ("qualifier_old", pa.string()), ("qualifier_new", pa.string()), ("kind", pa.string()),
            ("old_quote", pa.string()), ("new_quote", pa.string()),
        ]),
        "pairs": pa.schema([
            ("old_issuer", pa.string()), ("old_year", pa.int32()), ("new_year", pa.int32()),
            ("relation", pa.string()), ("old_sha256", pa.string()), ("new_sha256", pa.string()),
            ("policydiff_version", pa.string()), ("status", pa.string()), ("error", pa.string()),
            ("changes", pa.int32()), ("changed", pa.int32()), ("numbers", pa.int32()),
        ]),
    }


# --- manifest and plan -----------------------------------------------------------------------------------

@attrs.frozen
class Entry:
    """One document of the manifest: an issuer's year, where to read it, and an optional title."""

    issuer: str
    year: int
    source: str
    """A local path (absolute, or as given when already absolute) or an ``http(s)://`` URL."""
    title: str = ""

    @property
    def key(self) -> tuple[str, int]:
        return (self.issuer, self.year)


@attrs.frozen
class Pair:
    """Two documents to compare; the pair belongs to the new document's issuer (its partition)."""

    old: Entry
    new: Entry
    relation: Relation

    @property
    def issuer(self) -> str:
        return self.new.issuer

    @property
    def key(self) -> tuple[str, str, int, int]:
        return (self.new.issuer, self.old.issuer, self.old.year, self.new.year)

    @property
    def name(self) -> str:
        """The pair's file name (without suffix) inside its issuer's partition folder."""
        if self.relation == "consecutive":
            return f"{self.old.year}-{self.new.year}"
        return f"{self.new.year}-against-{_escape(self.old.issuer)}"


@attrs.frozen
class BatchSummary:
    """What a run did: pairs computed (``done``), left as they were (``skipped``), ``failed``; seconds."""

    pairs: int
    done: int
    skipped: int
    failed: int
    documents: int
    documents_failed: int
    seconds: float
    out: str
    skipped_files: tuple[Skipped, ...] = ()
    """Files and folders of a folder manifest that were not read, each with why (hidden, not a year, a
    name that is not UTF-8, a link that leads nowhere …)."""


@attrs.frozen
class Skipped:
    """A path of a folder manifest that is not a document of the batch, and why."""

    path: str
    """As found, with bytes that are not UTF-8 shown as ``\\xNN``."""
    reason: str


def _escape(name: str) -> str:
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), name)


def read_manifest(manifest: str | os.PathLike[str]) -> list[Entry]:
    """The documents a manifest names, sorted by issuer and year (``scan_manifest`` without the skipped).

    Raises:
        InputError: as ``scan_manifest``.
    """
    return scan_manifest(manifest)[0]


def _shown(path: str) -> str:
    """A path for messages: bytes that are not UTF-8 (kept by Python as surrogates) as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _not_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _odd(item: os.DirEntry[str]) -> str | None:
    """Why a folder or file of a folder manifest cannot be an issuer or a document by its name alone."""
    if _not_utf8(item.name):
        return "its name is not valid UTF-8; rename it"
    if item.name.startswith("."):
        return "hidden (the name starts with '.')"
    return None


def _kind_of(item: os.DirEntry[str]) -> str:
    """``dir``, ``file``, or why it is neither (a link that leads nowhere, a device …), never raising."""
    try:
        if item.is_dir():
            return "dir"
        if item.is_file():
            return "file"
    except OSError as exc:
        if not item.is_symlink():
            return f"cannot be examined ({exc.strerror})"
    if item.is_symlink():
        return "a symbolic link that leads nowhere (broken, or a loop)"
    return "not a regular file or folder"


_OUTSIDE = "a file outside the issuer folders (documents are ISSUER/YEAR.ext)"
_NESTED = "a folder inside an issuer folder (only ISSUER/YEAR.ext is read)"


def _scan_folder(path: Path) -> tuple[list[Entry], list[Skipped]]:
    """``ISSUER/YEAR.ext`` documents of a folder, and every other path in it with why it is not one."""
    entries: list[Entry] = []
    skipped: list[Skipped] = []

    def listing(folder: str) -> list[os.DirEntry[str]] | None:
        try:
            with os.scandir(folder) as it:
                return sorted(it, key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(_shown(folder), f"the folder cannot be read ({exc.strerror})"))
            return None

    for d in listing(str(path)) or []:
        kind = _kind_of(d)
        why = _odd(d) or (None if kind == "dir" else _OUTSIDE if kind == "file" else kind)
        if why is not None:
            skipped.append(Skipped(_shown(d.path), why))
            continue
        for f in listing(d.path) or []:
            kind = _kind_of(f)
            stem, suffix = os.path.splitext(f.name)
            why = _odd(f) or (None if kind == "file" else _NESTED if kind == "dir" else kind)
            if why is None and suffix.lower() not in DOCUMENT_SUFFIXES:
                why = f"not a document kind ({', '.join(DOCUMENT_SUFFIXES)})"
            elif why is None and not YEAR_STEM.match(stem):
                why = "the name is not a four-digit year (ISSUER/YEAR.ext)"
            if why is not None:
                skipped.append(Skipped(_shown(f.path), why))
                continue
            entries.append(Entry(issuer=d.name, year=int(stem), source=str(Path(f.path).resolve())))
    return entries, skipped


def scan_manifest(manifest: str | os.PathLike[str]) -> tuple[list[Entry], list[Skipped]]:
    """The documents a manifest names, sorted by issuer and year, and (for a folder) what was skipped.

    A folder is read as ``ISSUER/YEAR.ext``; every other path in it (hidden, not a year, not a document
    kind, a name that is not UTF-8, a link that leads nowhere) is returned as ``Skipped`` with its reason,
    never silently dropped and never fatal. A CSV (UTF-8, header row) or Parquet file needs the columns
    ``issuer``, ``year`` and ``path`` (or ``url``), and may have ``title``; relative paths are relative to
    the manifest's folder.

    Raises:
        InputError: the manifest is missing, of another kind, lacks a column, has a year that is not a
            number, names the same issuer and year twice, or (a folder) holds no document.
    """
    path = Path(manifest)
    where = str(path)
    if path.is_dir():
        entries, skipped = _scan_folder(path)
        if not entries:
            raise InputError(where, "holds no ISSUER/YEAR.ext documents",
                             "lay the folder out as ISSUER/2021.txt, ISSUER/2022.txt, … or give a CSV manifest")
        return _check_unique(entries, where), skipped
    if not path.exists():
        raise InputError(where, "no such manifest", "give a CSV or Parquet manifest, or a folder ISSUER/YEAR.ext")
    rows: list[dict[str, Any]]
    if path.suffix.lower() == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                rows = list(csv.DictReader(fh))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise InputError(where, f"cannot be read as CSV ({exc})", "save it as UTF-8 CSV with a header row") from exc
    elif path.suffix.lower() == ".parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            rows = pq.read_table(path).to_pylist()
        except (OSError, pa.ArrowException) as exc:
            raise InputError(where, f"cannot be read as Parquet ({exc})", "write it with pyarrow or pandas") from exc
    else:
        raise InputError(where, "is not a manifest (.csv, .parquet or a folder)",
                         "give a CSV with columns issuer,year,path[,title]")
    return _check_unique(_rows_to_entries(rows, path, where), where), []


def _rows_to_entries(rows: list[dict[str, Any]], path: Path, where: str) -> list[Entry]:
    columns = set(rows[0]) if rows else set()
    if not rows or not {"issuer", "year"} <= columns or not columns & {"path", "url"}:
        raise InputError(where, f"needs columns issuer, year and path (or url); found {sorted(columns) or 'none'}",
                         "add a header row issuer,year,path[,title]")
    base = path.resolve().parent
    entries = []
    for line, row in enumerate(rows, start=2):
        issuer = str(row.get("issuer") or "").strip()
        source = str(row.get("path") or row.get("url") or "").strip()
        try:
            year = int(str(row.get("year")).strip())
        except ValueError:
            raise InputError(where, f"row {line}: year {row.get('year')!r} is not a number",
                             "write the year as four digits, e.g. 2021") from None
        if not issuer or not source:
            raise InputError(where, f"row {line}: issuer and path must not be empty", "fill them in or drop the row")
        if not _fetch.is_url(source) and not os.path.isabs(source):
            source = str(base / source)
        entries.append(Entry(issuer=issuer, year=year, source=source, title=str(row.get("title") or "").strip()))
    return entries


def _check_unique(entries: list[Entry], where: str) -> list[Entry]:
    seen: dict[tuple[str, int], Entry] = {}
    for e in entries:
        if e.key in seen:
            raise InputError(where, f"{e.issuer} {e.year} is listed twice ({seen[e.key].source}, {e.source})",
                             "keep one document per issuer and year")
        seen[e.key] = e
    return sorted(entries, key=lambda e: e.key)


def plan_pairs(entries: Iterable[Entry], against: str | None = None) -> list[Pair]:
    """Each issuer's consecutive years (in the manifest's years, gaps allowed); with ``against``, also each
    other issuer's document against the reference issuer's document of the same year.

    Raises:
        OptionsError: ``against`` names an issuer the manifest does not have.
    """
    by_issuer: dict[str, list[Entry]] = defaultdict(list)
    for e in sorted(entries, key=lambda e: e.key):
        by_issuer[e.issuer].append(e)
    pairs = [Pair(old=a, new=b, relation="consecutive")
             for docs in by_issuer.values() for a, b in itertools.pairwise(docs)]
    if against is not None:
        if against not in by_issuer:
            raise OptionsError(f"--against {against!r}: no such issuer in the manifest "
                               f"(issuers: {', '.join(sorted(by_issuer))})")
        ref = {e.year: e for e in by_issuer[against]}
        pairs += [Pair(old=ref[e.year], new=e, relation="against")
                  for issuer, docs in by_issuer.items() if issuer != against for e in docs if e.year in ref]
    return sorted(pairs, key=lambda p: p.key)


# --- worker side -----------------------------------------------------------------------------------------

@attrs.frozen
class Loaded:
    """A document after its load task: parsed, or the error that made it unreadable."""

    entry: Entry
    sha256: str
    document: Document | None
    error: str | None


@attrs.frozen
class PairResult:
    """What the client learns of a pair: small, whatever the documents' size."""

    key: tuple[str, str, int, int]
    status: Status
    error: str | None = None
    stuck_on: str | None = None
    """Dask: the worker whose thread still runs the comparison given up past the deadline (to restart)."""


def _read_bytes(source: str) -> bytes:
    """The document's bytes with the limits of ``policydiff.read`` (file size cap, no devices, http(s) only)."""
    if _fetch.is_url(source):
        return _fetch.download(source).data
    return read_file_capped(source)


def hash_entry(entry: Entry) -> str:
    """SHA-256 of the document's bytes, or ``""`` when they cannot be read (the load task records why)."""
    try:
        return hashlib.sha256(_read_bytes(entry.source)).hexdigest()
    except PolicyDiffError:
        return ""


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, PolicyDiffError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def load_entry(entry: Entry, out: str) -> Loaded:
    """Read and parse one document, write its ``documents`` row and its ``phrases``; never raises on input."""
    data = b""
    doc: Document | None = None
    error: str | None = None
    try:
        data, src = read_source_bytes(entry.source)
        doc = document_of(src)  # what ``policydiff.read`` does, input limits included
    except Exception as exc:  # any failure of one document is recorded, never fatal
        error = _error_text(exc)
    sha = hashlib.sha256(data).hexdigest() if data else ""
    part = Path(out)
    if doc is not None:
        found = document_terms(doc)
        _write(part, "phrases", entry.issuer, str(entry.year), {
            "year": [entry.year] * len(found), "text": list(found),
            "kind": [kind for kind, _, _ in found.values()], "count": [count for _, count, _ in found.values()],
        })
    else:
        _remove(part, "phrases", entry.issuer, str(entry.year))
    nodes = list(doc.nodes()) if doc is not None else []
    _write(part, "documents", entry.issuer, str(entry.year), {
        "year": [entry.year], "path": [entry.source], "sha256": [sha], "size": [len(data) if data else None],
        "title": [entry.title or (doc.title if doc else "")],
        "source_format": [doc.source_format if doc else None],
        "nodes": [len(nodes) if doc else None], "measures": [sum(n.kind == "measure" for n in nodes) if doc else None],
        "warnings": [list(doc.warnings) if doc else []], "error": [error], "policydiff_version": [VERSION],
    })
    return Loaded(entry=entry, sha256=sha, document=doc, error=error)


def run_pair(pair: Pair, old: Loaded, new: Loaded, out: str) -> PairResult:
    """Compare one pair and write its changes, numbers and (last, as the commit mark) its ``pairs`` row."""
    part = Path(out)
    error = next((f"{side} document unreadable: {x.error}" for side, x in (("old", old), ("new", new)) if x.error),
                 None)
    cmp: Comparison | None = None
    if error is None and old.document is not None and new.document is not None:
        try:
            cmp = compare(old.document, new.document)
        except Exception as exc:  # one pair's failure is recorded, never fatal
            error = f"comparison failed: {_error_text(exc)}"
    head = {"old_issuer": pair.old.issuer, "old_year": pair.old.year, "new_year": pair.new.year}
    if cmp is not None:
        _write(part, "changes", pair.issuer, pair.name, _change_rows(cmp, head))
        _write(part, "numbers", pair.issuer, pair.name, _number_rows(cmp, head))
        # Key phrases exist only by novelty: those of the new year against the issuer's year before.
        phrases = [t for t in cmp.terms.added if t.kind == "phrase"] if pair.relation == "consecutive" else []
        _write(part, "phrases", pair.issuer, pair.name, {
            "year": [pair.new.year] * len(phrases), "text": [t.text for t in phrases],
            "kind": [t.kind for t in phrases], "count": [t.count_new for t in phrases]})
    else:
        for table in PAIR_TABLES:
            _remove(part, table, pair.issuer, pair.name)
    _write_pair_row(part, pair, old.sha256, new.sha256, cmp, error)
    return PairResult(key=pair.key, status="done" if cmp is not None else "failed", error=error)


def _write_pair_row(out: Path, pair: Pair, old_sha: str, new_sha: str, cmp: Comparison | None,
                    error: str | None) -> None:
    _write(out, "pairs", pair.issuer, pair.name, _columns([{
        "old_issuer": pair.old.issuer, "old_year": pair.old.year, "new_year": pair.new.year,
        "relation": pair.relation, "old_sha256": old_sha, "new_sha256": new_sha,
        "policydiff_version": VERSION, "status": "done" if cmp is not None else "failed", "error": error,
        "changes": len(cmp.changes) if cmp else None,
        "changed": sum(c.kind != "unchanged" or c.moved for c in cmp.changes) if cmp else None,
        "numbers": sum(len(c.numbers) for c in cmp.changes) if cmp else None,
    }], "pairs"))


def _change_rows(cmp: Comparison, head: dict[str, Any]) -> dict[str, list[Any]]:
    rows = []
    for seq, c in enumerate(cmp.changes):
        kinds = Counter(cc.kind for cc in c.commitments)
        rows.append({
            **head, "seq": seq, "kind": c.kind, "level": c.level, "moved": c.moved, "similarity": c.similarity,
            "old_ids": [n.id for n in c.old], "new_ids": [n.id for n in c.new],
            "old_labels": [n.label for n in c.old], "new_labels": [n.label for n in c.new],
            "old_titles": [n.title for n in c.old], "new_titles": [n.title for n in c.new],
            "old_parent": c.old_parent, "new_parent": c.new_parent, "part": c.part,
            "commitments_added": kinds["added"], "commitments_removed": kinds["removed"],
            "commitments_reworded": kinds["reworded"], "numbers": len(c.numbers),
        })
    return _columns(rows, "changes")


def _number_rows(cmp: Comparison, head: dict[str, Any]) -> dict[str, list[Any]]:
    found: list[tuple[int | None, bool, NumberChange]] = [
        (seq, True, n) for seq, c in enumerate(cmp.changes) for n in c.numbers]
    found += [(None, False, n) for n in cmp.numbers_unchanged]
    rows = [{
        **head, "change_seq": seq, "changed": changed, "subject": n.subject, "old": n.old, "new": n.new,
        "old_value": None if n.old_value is None else float(n.old_value),
        "new_value": None if n.new_value is None else float(n.new_value),
        "unit": n.unit, "qualifier_old": n.qualifier_old, "qualifier_new": n.qualifier_new, "kind": n.kind,
        "old_quote": n.old_quote, "new_quote": n.new_quote,
    } for seq, changed, n in found]
    return _columns(rows, "numbers")


def _columns(rows: list[dict[str, Any]], table: str) -> dict[str, list[Any]]:
    return {name: [r[name] for r in rows] for name in schemas()[table].names}


def _file(out: Path, table: str, issuer: str, name: str) -> Path:
    return out / table / f"issuer={_escape(issuer)}" / f"{_escape(name)}.parquet"


def _write(out: Path, table: str, issuer: str, name: str, columns: dict[str, list[Any]]) -> None:
    """Write one file of a table atomically and without following links (``safefs``: a hidden temporary
    file renamed into place), so a run killed half-way leaves whole files or none, and a link planted in
    ``OUT`` is refused rather than written through. Empty tables are not written: no file means no rows."""
    path = _file(out, table, issuer, name)
    if not next(iter(columns.values())):
        remove(path, root=out)
        return
    import pyarrow as pa
    import pyarrow.parquet as pq

    sink = pa.BufferOutputStream()  # a file is a few kB: built in memory, then written in one go
    pq.write_table(pa.table(columns, schema=schemas()[table]), sink, compression="zstd")
    write_bytes(path, sink.getvalue().to_pybytes(), root=out)


def _remove(out: Path, table: str, issuer: str, name: str) -> None:
    remove(_file(out, table, issuer, name), root=out)


# --- local processes: documents shared through a private JSON cache ---------------------------------------
# The cache holds each loaded document as the codec's JSON: data only, which no reader can turn into code
# (a pickle planted there used to run a command). It lives in ``OUT/_cache``, mode 0o700 and owned by the
# user (``private_dir``), and what is read back is validated all the same (``codec``).

def _cache_file(cache: str, entry: Entry) -> str:
    return os.path.join(cache, f"{_escape(entry.issuer)}-{entry.year}.json")


def _write_cache(out: str, cache: str, loaded: Loaded) -> None:
    """Leave a loaded document (or why it could not be read) where the pair tasks of this run find it."""
    entry = loaded.entry
    data = {"format": CACHE_FORMAT, "version": CACHE_VERSION, "issuer": entry.issuer, "year": entry.year,
            "sha256": loaded.sha256, "error": loaded.error,
            "document": None if loaded.document is None else document_dict(loaded.document)}
    write_text(_cache_file(cache, entry), json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                      root=out)


def _read_cache(out: str, cache: str, entry: Entry) -> Loaded:
    """The document a load task of this run left in the cache, validated; a missing or unusable entry
    makes the document unreadable for its pairs (the reason says which), never anything else."""
    path = _cache_file(cache, entry)
    try:
        raw = read_private(path, MAX_JSON_CHARS, root=out)
    except FileNotFoundError:
        return Loaded(entry=entry, sha256="", document=None, error="its load task died")
    except (OSError, PolicyDiffError) as exc:
        return Loaded(entry=entry, sha256="", document=None, error=f"its cached copy cannot be read ({exc})")
    try:
        data = parse_json(raw, path)
        if not (isinstance(data, dict) and data.get("format") == CACHE_FORMAT
                and data.get("version") == CACHE_VERSION and data.get("issuer") == entry.issuer
                and data.get("year") == entry.year and isinstance(data.get("sha256"), str)
                and isinstance(data.get("error"), (str, type(None)))):
            raise InputError(path, "is not this document's cache entry")
        doc = None if data.get("document") is None else document_from_data(data["document"], path)
        if doc is None and data["error"] is None:
            raise InputError(path, "holds neither a document nor an error")
    except PolicyDiffError as exc:
        return Loaded(entry=entry, sha256="", document=None, error=f"its cached copy is unusable ({exc})")
    return Loaded(entry=entry, sha256=data["sha256"], document=doc, error=data["error"])


_watch: Any = None
"""In a local worker process: the queue on which each task says when it starts (``_started``)."""


def _worker_init(queue: Any) -> None:
    global _watch
    _watch = queue
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the client's to handle; it stops the pool


def _started(tid: int | None, index: int = 0) -> None:
    """Tell the client that item ``index`` of task ``tid`` starts now, so it can stop it past its deadline."""
    if _watch is not None and tid is not None:
        _watch.put((tid, index, os.getpid(), time.monotonic()))


def load_to_cache(entry: Entry, out: str, cache: str, tid: int | None = None) -> Loaded:
    """Local engine: load a document and leave it, parsed, in the cache for the pair tasks; the parent
    process gets the result without the document."""
    _started(tid)
    remove(_cache_file(cache, entry), root=out)  # a load that dies must leave no older copy behind
    loaded = load_entry(entry, out)
    _write_cache(out, cache, loaded)
    return attrs.evolve(loaded, document=None)


def pairs_from_cache(run: tuple[Pair, ...], out: str, cache: str, tid: int | None = None) -> list[PairResult]:
    """Local engine: a run of consecutive pairs in one process, each parsed document read from the cache
    once (a document without a cache file is one whose load task died: its pairs fail as unreadable).

    Consecutive pairs share a document, and the process keeps what it computed of that document's
    sentences (normal forms, bigrams, jieba tags, quantities): the document's second pair finds it there."""
    docs: dict[tuple[str, int], Loaded] = {}

    def get(entry: Entry) -> Loaded:
        if entry.key not in docs:
            docs[entry.key] = _read_cache(out, cache, entry)
        return docs[entry.key]

    results = []
    for i, p in enumerate(run):
        _started(tid, i)
        results.append(run_pair(p, get(p.old), get(p.new), out))
    return results


# --- the client ------------------------------------------------------------------------------------------

class _Progress:
    """Pairs done / total, rate and ETA on stderr, at most every ``PROGRESS_EVERY_S`` seconds."""

    def __init__(self, total: int, skipped: int, stream: TextIO | None) -> None:
        self.total, self.skipped, self.stream = total, skipped, stream
        self.done = self.failed = 0
        self.start = self.last = time.monotonic()

    def step(self, status: Status, final: bool = False) -> None:
        self.done += status == "done"
        self.failed += status == "failed"
        self.show(final)

    def show(self, final: bool = False) -> None:
        now = time.monotonic()
        if self.stream is None or (not final and now - self.last < PROGRESS_EVERY_S):
            return
        self.last = now
        computed = self.done + self.failed
        rate = computed / max(now - self.start, 1e-9)
        left = self.total - self.skipped - computed
        eta = f"ETA {left / rate:.0f} s" if rate > 0 and left else ("finished" if not left else "ETA ?")
        print(f"policydiff batch: {self.skipped + computed}/{self.total} pairs ({self.skipped} skipped, "
              f"{self.failed} failed), {rate:.2f} pairs/s, {eta}", file=self.stream, flush=True)


def _existing(out: Path, table: str) -> list[dict[str, Any]]:
    import pyarrow as pa

    try:
        rows: list[dict[str, Any]] = read_table(out, table).to_pylist()
        return rows
    except (OSError, pa.ArrowException):
        return []  # an unreadable earlier output is recomputed, not trusted


def batch(manifest: str | os.PathLike[str], out: str | os.PathLike[str], scheduler: str | None = None, *,
          against: str | None = None, workers: int | None = None, progress: TextIO | None = None,
          stop_after: int | None = None, task_timeout: float | None = TASK_TIMEOUT_S) -> BatchSummary:
    """Compare a corpus into the Parquet change dataset in ``out`` (see ``docs/batch.md``).

    Args:
        manifest: CSV or Parquet (issuer, year, path or url, title) or a folder ``ISSUER/YEAR.ext``.
        out: the dataset folder; created if missing; pairs already there for the same document hashes and
            policydiff version are skipped.
        scheduler: ``tcp://HOST:PORT`` of a Dask distributed scheduler (``pip install policydiff[dask]``);
            None runs on local worker processes.
        against: also compare each issuer's document with this reference issuer's document of the same year.
        workers: local worker processes (default: all cores); 1 runs in this process.
        progress: where progress lines go (the CLI passes stderr); None is silent.
        stop_after: stop after computing this many pairs (a planned interruption: what is written stays
            valid and the next run resumes from there).
        task_timeout: seconds one task (a document's load, one pair's comparison) may run before it is
            stopped and recorded as failed (``TASK_TIMEOUT_S``); None for no limit. Local worker processes
            are killed; on Dask the task is given up and its worker restarted. ``workers=1`` runs in this
            process, where nothing can be stopped: there the limit does not apply.

    Returns:
        The counts of pairs done, skipped and failed, the wall time, and the paths a folder manifest
        holds that are not documents, with why.

    Raises:
        InputError: the manifest cannot be read; ``out`` is not a writable folder, holds a symbolic link
            where the batch writes, or is being written by another batch (the lock).
        OptionsError: ``against`` is unknown, ``task_timeout`` is not positive, or the scheduler cannot be
            reached or dask is not installed.
    """
    start = time.monotonic()
    if task_timeout is not None and not task_timeout > 0:
        raise OptionsError(f"--task-timeout {task_timeout}: needs a positive number of seconds")
    entries, skipped = scan_manifest(manifest)
    pairs = plan_pairs(entries, against)
    outp = Path(out).resolve()
    try:
        outp.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(str(out), f"cannot write there ({exc.strerror})", "choose another -o folder") from exc
    with FolderLock(outp, "policydiff batch"):
        import pyarrow.parquet  # noqa: F401  # before the local workers fork: each would import it again (~0.2 s)

        engine = _DaskEngine(scheduler, task_timeout) if scheduler else _LocalEngine(workers, task_timeout)
        try:
            summary = engine.run(entries, pairs, outp, progress, stop_after, start)
        finally:
            engine.close()
    return attrs.evolve(summary, skipped_files=tuple(skipped))


def _plan_work(entries: list[Entry], pairs: list[Pair], hashes: dict[tuple[str, int], str], out: Path,
               ) -> tuple[list[Pair], list[Entry]]:
    """Which pairs still need computing, and which documents need loading for them or for their own rows."""
    done = {(r["issuer"], r["old_issuer"], r["old_year"], r["new_year"]): r for r in _existing(out, "pairs")}
    todo = []
    for p in pairs:
        row = done.get(p.key)
        if not (row and row["status"] == "done" and row["policydiff_version"] == VERSION
                and row["old_sha256"] == hashes[p.old.key] and row["new_sha256"] == hashes[p.new.key]):
            todo.append(p)
    docs_ok = {(r["issuer"], r["year"]) for r in _existing(out, "documents")
               if r["error"] is None and r["policydiff_version"] == VERSION and r["sha256"] == hashes.get(
                   (r["issuer"], r["year"]))}
    needed = {e.key for p in todo for e in (p.old, p.new)} | {e.key for e in entries if e.key not in docs_ok}
    return todo, [e for e in entries if e.key in needed]


def _tidy(out: Path, entries: list[Entry], pairs: list[Pair]) -> None:
    """Drop files of documents and pairs that are no longer in the manifest, and temporary files left by a
    killed run, so that the dataset describes exactly this manifest."""
    keep = {_file(out, t, e.issuer, str(e.year)) for e in entries for t in ("documents", "phrases")}
    keep |= {_file(out, t, p.issuer, p.name) for p in pairs for t in (*PAIR_TABLES, "pairs")}
    for table in TABLES:
        _tidy_folder(out / table, keep)


def _tidy_folder(folder: Path, keep: set[Path]) -> None:
    """Delete what ``keep`` does not name in ``TABLE/issuer=…/``, through descriptors opened without
    following links: a link planted in the dataset is removed itself, and nothing outside ``OUT`` is
    ever listed or deleted."""
    try:
        top = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return  # missing (no rows yet) or not a real folder (writes there were refused)
    try:
        for name in os.listdir(top):
            st = os.stat(name, dir_fd=top, follow_symlinks=False)
            if not stat.S_ISDIR(st.st_mode):
                if folder / name not in keep:
                    os.unlink(name, dir_fd=top)
                continue
            part = os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=top)
            try:
                for f in os.listdir(part):
                    if folder / name / f not in keep and not stat.S_ISDIR(
                            os.stat(f, dir_fd=part, follow_symlinks=False).st_mode):
                        os.unlink(f, dir_fd=part)
                empty = not os.listdir(part)
            finally:
                os.close(part)
            if empty:
                os.rmdir(name, dir_fd=top)
    finally:
        os.close(top)


class _LocalEngine:
    """``ProcessPoolExecutor`` over all cores (or ``workers``); documents shared through ``OUT/_cache``."""

    def __init__(self, workers: int | None, task_timeout: float | None = TASK_TIMEOUT_S) -> None:
        self.workers = workers or os.cpu_count() or 1
        if self.workers < 1:
            raise OptionsError(f"--workers {workers}: needs at least 1")
        self.task_timeout = task_timeout
        self.pool: cf.Executor
        self.watch: Any = None
        if self.workers == 1:
            self.pool = InlineExecutor()
        else:
            self.watch = worker_queue()
            self.pool = self._new_pool()

    def _new_pool(self) -> cf.ProcessPoolExecutor:
        return process_pool(self.workers, initializer=_worker_init, initargs=(self.watch,))

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    def run(self, entries: list[Entry], pairs: list[Pair], out: Path, progress: TextIO | None,
            stop_after: int | None, start: float) -> BatchSummary:
        chunk = max(1, len(entries) // (self.workers * 4))
        if isinstance(self.pool, cf.ProcessPoolExecutor):
            hashes = dict(zip((e.key for e in entries), self.pool.map(hash_entry, entries, chunksize=chunk),
                              strict=True))
        else:
            hashes = {e.key: hash_entry(e) for e in entries}
        todo, to_load = _plan_work(entries, pairs, hashes, out)
        bar = _Progress(len(pairs), len(pairs) - len(todo), progress)
        bar.show(final=True)
        cache = out / CACHE_NAME
        _fresh_private_dir(cache, out)
        waiting: dict[tuple[str, int], list[Pair]] = defaultdict(list)
        for p in todo:
            waiting[p.old.key].append(p)
            waiting[p.new.key].append(p)
        loaded: dict[tuple[str, int], Loaded] = {}
        docs_failed = 0
        submitted: set[tuple[str, str, int, int]] = set()
        limit = len(todo) if stop_after is None else min(stop_after, len(todo))
        plan_order = {p.key: i for i, p in enumerate(todo)}
        uncut = limit  # pairs not yet cut into runs: runs shrink towards the end (guided scheduling)
        pending: list[Pair] = []  # ready pairs not yet cut into runs
        loads_left = len(to_load)
        ready: deque[Entry | tuple[Pair, ...]] = deque(to_load)
        suspects: deque[Entry | tuple[Pair, ...]] = deque()
        running: dict[cf.Future[Any], tuple[int, Entry | tuple[Pair, ...]]] = {}
        clock: dict[int, tuple[int, int, float]] = {}  # task id → (item, worker pid, start) of what it runs now
        timed_out: dict[int, int] = {}  # task id → the item stopped past the deadline
        tids = itertools.count()

        def finish(task: Entry | tuple[Pair, ...], value: Any) -> None:
            nonlocal docs_failed, loads_left
            if isinstance(task, tuple):
                for result in value:
                    bar.step(result.status)
                return
            loads_left -= 1
            loaded[task.key] = value
            docs_failed += value.error is not None
            for p in waiting.pop(task.key, []):
                if p.key not in submitted and p.old.key in loaded and p.new.key in loaded and len(submitted) < limit:
                    submitted.add(p.key)
                    pending.append(p)

        def fail(task: Entry | tuple[Pair, ...], error: str) -> None:
            if isinstance(task, Entry):
                failed = _record_failure(task, error, hashes, out)
                with contextlib.suppress(OSError, PolicyDiffError):  # its pairs then say why it is unreadable
                    _write_cache(str(out), str(cache), failed)
                finish(task, failed)
            else:
                finish(task, [_record_failure(p, error, hashes, out) for p in task])

        def watch() -> float:
            """Note the tasks that started, stop those past the deadline; seconds until the next look."""
            while self.watch is not None and not self.watch.empty():
                tid, item, pid, since = self.watch.get()
                clock[tid] = (item, pid, since)
            if self.task_timeout is None or self.watch is None:
                return TIMEOUT_POLL_S * 60
            now, wait = time.monotonic(), min(TIMEOUT_POLL_S, self.task_timeout / 4)
            for tid, _ in running.values():
                if tid in clock and tid not in timed_out:
                    item, pid, since = clock[tid]
                    if now - since > self.task_timeout:
                        timed_out[tid] = item
                        with contextlib.suppress(OSError):  # it may have ended in the meantime
                            os.kill(pid, signal.SIGKILL)
                    else:
                        wait = min(wait, since + self.task_timeout - now)
            return max(wait, 0.01)

        # Ready pairs go to the workers in runs of consecutive pairs, ahead of the loads, each run as long as
        # guided scheduling says (``RUNS_PER_WORKER``, ``RUN_PAIRS``): cut once that many pairs are ready, or at
        # once when the workers would otherwise have nothing to do.
        # Only TASKS_PER_WORKER tasks per worker are handed to the pool, so that a worker process dying (a
        # crash, the out-of-memory killer) loses few tasks. Their pairs are then run again one at a time: one
        # that kills its worker while alone is the culprit and is recorded as failed. A task past the
        # deadline is known: its worker is killed, that document or pair is recorded as failed, and the
        # other tasks the pool lost with it go back to the queue.
        while ready or suspects or running or pending:
            pending.sort(key=lambda p: plan_order[p.key])
            runs: list[tuple[Pair, ...]] = []
            while pending:
                run_len = max(1, min(RUN_PAIRS, -(-uncut // (self.workers * RUNS_PER_WORKER))))
                if len(pending) < run_len and loads_left and ready:
                    break
                runs.append(tuple(pending[:run_len]))
                del pending[:run_len]
                uncut -= len(runs[-1])
            ready.extendleft(reversed(runs))
            queue, width = (suspects, 1) if suspects else (ready, self.workers * TASKS_PER_WORKER)
            while queue and len(running) < width:
                task, tid = queue.popleft(), next(tids)
                try:
                    fut = (self.pool.submit(load_to_cache, task, str(out), str(cache), tid) if isinstance(task, Entry)
                           else self.pool.submit(pairs_from_cache, task, str(out), str(cache), tid))
                except cf.process.BrokenProcessPool:  # a worker died since the last wait: the futures it broke
                    queue.appendleft(task)  # say which tasks were lost (below); this one was never handed out
                    break
                running[fut] = (tid, task)
            finished: set[cf.Future[Any]] = set()
            while not finished:
                finished, _ = cf.wait(running, timeout=watch(), return_when=cf.FIRST_COMPLETED)
            lost: list[tuple[int, Entry | tuple[Pair, ...]]] = []
            for fut in finished:
                tid, task = running.pop(fut)
                try:
                    finish(task, fut.result())
                except cf.process.BrokenProcessPool:
                    lost.append((tid, task))
                except Exception as exc:  # our tasks record their own errors; this is a bug, kept to one task
                    fail(task, f"{type(exc).__name__}: {exc}")
            if lost:
                lost += running.values()
                running.clear()
                self.pool.shutdown(wait=True, cancel_futures=True)
                self.pool = self._new_pool()
                watch()
                stopped_here = [(tid, task) for tid, task in lost if tid in timed_out]
                if stopped_here:
                    for tid, task in lost:
                        if tid not in timed_out:
                            ready.appendleft(task)  # lost with the stopped task, not suspect of anything
                            continue
                        culprit = task if isinstance(task, Entry) else task[timed_out[tid]]
                        fail(culprit if isinstance(culprit, Entry) else (culprit,), _overdue(self.task_timeout))
                        if isinstance(task, tuple) and len(task) > 1:
                            ready.appendleft(tuple(p for p in task if p is not culprit))
                elif len(lost) == 1 and width == 1:
                    fail(lost[0][1], "its worker process died (crash or out of memory)")
                else:
                    suspects.extend(x for _, t in lost for x in ([t] if isinstance(t, Entry) else [(p,) for p in t]))
            for tid in list(clock):
                if all(tid != t for t, _ in running.values()):
                    del clock[tid]
        stopped = len(submitted) < len(todo)
        bar.show(final=True)
        if not stopped:
            _tidy(out, entries, pairs)
            shutil.rmtree(cache, ignore_errors=True)
        return BatchSummary(pairs=len(pairs), done=bar.done, skipped=bar.skipped, failed=bar.failed,
                            documents=len(entries), documents_failed=docs_failed,
                            seconds=time.monotonic() - start, out=str(out))


def _fresh_private_dir(cache: Path, out: Path) -> None:
    """``OUT/_cache`` as a private folder (``private_dir``: refused when it is a link or another
    user's), emptied of what a killed run left, so that a pair reads only documents loaded by this run."""
    private_dir(cache, root=out)
    fd = os.open(cache, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        for name in os.listdir(fd):
            if stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
                shutil.rmtree(name, dir_fd=fd)
            else:
                os.unlink(name, dir_fd=fd)
    finally:
        os.close(fd)


class _DaskEngine:
    """The same tasks on a Dask distributed cluster: documents stay on the workers as futures."""

    def __init__(self, scheduler: str, task_timeout: float | None = TASK_TIMEOUT_S) -> None:
        self.task_timeout = task_timeout
        self.client: Any = dask_client(scheduler)

    def close(self) -> None:
        self.client.close()

    def run(self, entries: list[Entry], pairs: list[Pair], out: Path, progress: TextIO | None,
            stop_after: int | None, start: float) -> BatchSummary:
        import distributed

        as_completed: Any = distributed.as_completed
        client = self.client
        hashes = dict(zip((e.key for e in entries), client.gather(_map(client, hash_entry, entries)), strict=True))
        todo, to_load = _plan_work(entries, pairs, hashes, out)
        bar = _Progress(len(pairs), len(pairs) - len(todo), progress)
        bar.show(final=True)
        chosen = todo if stop_after is None else todo[:stop_after]
        # Neighbouring documents are loaded on the same worker, and their pairs follow them (``_doc_homes``).
        homes = _doc_homes(chosen, client.nthreads())
        by_home: dict[str | None, list[Entry]] = defaultdict(list)
        for e in to_load:
            by_home[homes.get(e.key)].append(e)
        timeout = self.task_timeout
        docs = {e.key: fut for home, group in by_home.items()
                for e, fut in zip(group, _map(client, load_entry_within, group, out=str(out), timeout=timeout,
                                              **_where(home)), strict=True)}
        # A small task per document reports whether it was readable; the document itself never leaves the workers.
        # It outranks loads: below them it would wait for the worker's last load, and keep every document of the
        # worker in memory until then.
        status = dict(zip(to_load, _map(client, _load_error, [docs[e.key] for e in to_load], priority=PAIR_PRIORITY),
                          strict=True))
        users: Counter[tuple[str, int]] = Counter(k for p in chosen for k in (p.old.key, p.new.key))
        # Pairs outrank loads: a pair runs as soon as its two documents are there, so that the workers hold
        # a few parsed documents at a time, not the corpus.
        pair_of = dict(zip(_map(client, run_pair_within, chosen, [docs[p.old.key] for p in chosen],
                                [docs[p.new.key] for p in chosen], out=str(out), timeout=timeout,
                                priority=PAIR_PRIORITY), chosen, strict=True))
        for key in [k for k in docs if not users[k]]:
            del docs[key]
        for fut in as_completed(list(pair_of)):
            pair = pair_of.pop(fut)
            try:
                result: PairResult = fut.result()
            except Exception as exc:  # the task's worker died too often (KilledWorker), or a bug in one task
                result = _record_failure(pair, f"{type(exc).__name__}: {exc}", hashes, out)
            if result.stuck_on:
                _restart(client, result.stuck_on)
            bar.step(result.status)
            for k in (pair.old.key, pair.new.key):
                users[k] -= 1
                if not users[k]:
                    docs.pop(k, None)  # the workers may forget the parsed document now
        docs_failed = 0
        for entry, fut in status.items():
            try:
                error = fut.result()
                docs_failed += error is not None
                if error is not None and error.startswith(_OVERDUE):
                    _restart(client, *client.who_has([fut]).get(fut.key, ()))
            except Exception as exc:  # its load task died with its worker: no row was written
                _record_failure(entry, f"{type(exc).__name__}: {exc}", hashes, out)
                docs_failed += 1
        bar.show(final=True)
        if len(chosen) == len(todo):
            _tidy(out, entries, pairs)
        return BatchSummary(pairs=len(pairs), done=bar.done, skipped=bar.skipped, failed=bar.failed,
                            documents=len(entries), documents_failed=docs_failed,
                            seconds=time.monotonic() - start, out=str(out))


_OVERDUE = "took longer than"
"""How the reason of a task stopped past ``task_timeout`` begins (``_overdue``)."""


def _overdue(timeout: float | None) -> str:
    return f"{_OVERDUE} {timeout:g} s (--task-timeout); its worker was stopped"


class _Overdue(Exception):
    """A task ran past its deadline (``_within``)."""


def _within(timeout: float | None, fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` given up after ``timeout`` seconds (Dask workers run tasks in threads, which cannot be
    killed: the task runs in a thread of its own, and the worker is restarted by the client afterwards)."""
    if timeout is None:
        return fn(*args)
    box: list[tuple[bool, Any]] = []

    def target() -> None:
        try:
            box.append((True, fn(*args)))
        except BaseException as exc:  # handed back to the caller's thread
            box.append((False, exc))

    thread = threading.Thread(target=target, name="policydiff-task", daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise _Overdue
    ok, value = box[0]
    if not ok:
        raise value
    result: T = value
    return result


def _worker_address() -> str | None:
    import distributed

    try:
        address: str = distributed.get_worker().address
    except ValueError:  # not in a worker
        return None
    return address


def load_entry_within(entry: Entry, out: str, timeout: float | None) -> Loaded:
    """Dask: ``load_entry`` with the deadline; past it the document is recorded as unreadable."""
    try:
        return _within(timeout, load_entry, entry, out)
    except _Overdue:
        loaded: Loaded = _record_failure(entry, _overdue(timeout), {}, Path(out))
        return loaded


def run_pair_within(pair: Pair, old: Loaded, new: Loaded, out: str, timeout: float | None) -> PairResult:
    """Dask: ``run_pair`` with the deadline; past it the pair is recorded as failed, and the client told
    which worker to restart (the comparison's thread still runs there)."""
    try:
        return _within(timeout, run_pair, pair, old, new, out)
    except _Overdue:
        result: PairResult = _record_failure(pair, _overdue(timeout), {pair.old.key: old.sha256,
                                                                       pair.new.key: new.sha256}, Path(out))
        return attrs.evolve(result, stuck_on=_worker_address())


def _restart(client: Any, *workers: str) -> None:
    """Restart the workers where a task given up past its deadline still runs (a thread cannot be
    stopped otherwise); Dask recomputes what they held. Best effort: a cluster without nannies cannot."""
    if workers:
        with contextlib.suppress(Exception):
            client.restart_workers(list(workers), timeout=SCHEDULER_TIMEOUT_S)


def _map(client: Any, fn: Callable[..., Any], *iterables: list[Any], **kwargs: Any) -> list[Any]:
    """``client.map`` in graphs of ``SUBMIT_BATCH`` tasks, not a message per task. Dask starts the tasks of
    one graph in the order of the lists; ``fifo_timeout=0`` makes each graph rank after the one before, so
    that a worker loads its documents in plan order (pairs become ready in that order)."""
    futures: list[Any] = client.map(fn, *iterables, pure=False, batch_size=SUBMIT_BATCH, fifo_timeout=0, **kwargs)
    return futures


def _doc_homes(pairs: list[Pair], nthreads: dict[str, int]) -> dict[tuple[str, int], str]:
    """The worker to load each document on: the pairs, in plan order, cut into one contiguous run per worker
    (in proportion to its threads), and each document on the worker of its first pair.

    Dask then runs a pair where its two documents are (it prefers a worker that holds a task's inputs), so
    pairs that share a document share a worker, except one pair at each cut. That matters more than the
    transfer of the document (2–3 ms of pickling): a worker process keeps what it computed of a document's
    sentences in ``functools.lru_cache``s (normalised text, bigrams, jieba tags), and the document's second
    pair finds them there. Loaded wherever a worker is free, as Dask places tasks without inputs, the
    documents alternate between workers and nearly every pair crosses them: the 50 pairs of the reports
    then cost about 10 % more CPU (``docs/scaling.md``). With no workers known, nothing is placed."""
    workers = sorted(nthreads)
    total = sum(nthreads.values())
    homes: dict[tuple[str, int], str] = {}
    if not total:
        return homes
    bounds = list(itertools.accumulate(nthreads[w] for w in workers))
    for i, p in enumerate(pairs):
        w = workers[bisect.bisect_right(bounds, i * total // len(pairs))]
        homes.setdefault(p.old.key, w)
        homes.setdefault(p.new.key, w)
    return homes


def _where(worker: str | None) -> dict[str, Any]:
    """``client.map`` arguments placing tasks on ``worker``, as a preference: Dask may still run them
    elsewhere when that worker is gone or an idle worker steals them."""
    return {} if worker is None else {"workers": [worker], "allow_other_workers": True}


def _record_failure(task: Entry | Pair, error: str, hashes: dict[tuple[str, int], str], out: Path,
                    ) -> Any:
    """Write, from the client, the row of a task that died without writing it: a document's error row (and
    no cache file: its pairs then fail as unreadable) or a pair's failed row."""
    if isinstance(task, Entry):
        loaded = Loaded(entry=task, sha256=hashes.get(task.key, ""), document=None, error=error)
        _write(out, "documents", task.issuer, str(task.year), {
            "year": [task.year], "path": [task.source], "sha256": [loaded.sha256], "size": [None],
            "title": [task.title], "source_format": [None], "nodes": [None], "measures": [None], "warnings": [[]],
            "error": [error], "policydiff_version": [VERSION]})
        _remove(out, "phrases", task.issuer, str(task.year))
        return loaded
    for table in PAIR_TABLES:
        _remove(out, table, task.issuer, task.name)
    _write_pair_row(out, task, hashes.get(task.old.key, ""), hashes.get(task.new.key, ""), None, error)
    return PairResult(key=task.key, status="failed", error=error)


def _load_error(loaded: Loaded) -> str | None:
    return loaded.error


def read_table(out: str | os.PathLike[str], table: str) -> pa.Table:
    """One table of a batch dataset with its ``issuer`` column, rows in a stable order (for tests, and for
    readers who want pyarrow without writing the partitioning option themselves)."""
    if table not in TABLES:
        raise OptionsError(f"no table {table!r}; tables: {', '.join(TABLES)}")
    import pyarrow as pa
    import pyarrow.dataset as pads  # here, not at the top: workers never need it, and it imports pandas

    folder = Path(out) / table
    part = pads.partitioning(pa.schema([("issuer", pa.string())]), flavor="hive")
    if not folder.is_dir():
        return schemas()[table].insert(0, pa.field("issuer", pa.string())).empty_table()
    t = pads.dataset(folder, format="parquet", partitioning=part, schema=schemas()[table].insert(
        0, pa.field("issuer", pa.string()))).to_table()
    keys = [c for c in ("issuer", "old_issuer", "old_year", "new_year", "year", "seq", "change_seq", "text")
            if c in t.column_names]
    rest = [c for c in t.column_names if c not in keys and not pa.types.is_list(t.schema.field(c).type)]
    return t.sort_by([(k, "ascending") for k in keys + rest])
