"""The ``policydiff`` command: a thin Typer layer over the public API.

Exit codes follow diff(1): 0 when nothing changed, 1 when something did, 2 on trouble (bad input,
bad options). Every error is one line on stderr, never a traceback.

**One error path.** ``main`` is the only place that turns a failure into output: every failure, whether
bad input (``InputError``), a bad option (Typer's usage errors, reported as one line instead of its
usage box), an output that cannot be written (a full disk, a closed pipe, ``-o`` naming an input file),
exhausted resources (``MemoryError``, ``RecursionError``), an interrupt or a bug, ends as one line
``policydiff: error: FILE: what is wrong; what to do`` on stderr and exit status 2. Status 1 means
"the documents differ" to scripts, so no failure may ever exit 1.

**Start-up.** A command imports what it uses when it runs: this module imports only Typer and the
standard library, so ``policydiff --help`` costs about what Typer itself costs, and ``show`` never loads
the aligner, scipy, the segmenter or pyarrow (``bench/startup.py`` measures it). Help is Click's plain
formatter (``rich_markup_mode=None``): rich's help boxes alone cost more than Typer. This module has no
``from __future__ import annotations``: Typer reads each command's signature with ``get_type_hints`` several
times while it builds the commands (every run, ``--help`` included), and string annotations made it
``eval`` every ``Annotated[..., typer.Option(...)]`` each time (~10 ms); real annotations are built once, at
import. The two names imported only for type checkers are quoted. A command imports with the garbage
collector paused (``_importing``), which in the ``policydiff`` process then never looks at those modules
again; that process runs OpenBLAS on one thread and leaves without collecting (``entry``).

**Conventions.** ``--version``; ``-`` names standard input for ``show`` and one side of ``diff``;
``--color auto|always|never`` on every command that colours, ``auto`` honouring ``NO_COLOR``
(https://no-color.org); ``--help`` with examples and plain metavars; ``--install-completion``.
"""

import contextlib
import enum
import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

if TYPE_CHECKING:
    from .model import Document, Role

__version__ = "0.1.0"
"""The package's version (``policydiff.__version__`` holds the same; a test keeps them equal)."""

EXAMPLES = """\b
Examples:
  policydiff show 2022.txt
  policydiff diff 2022.txt 2023.txt --changes-only
  policydiff diff 2022.txt 2023.txt -f html -o report.html
  curl -s URL | policydiff diff 2022.txt -
  policydiff timeline reports/ -f html -o timeline.html
  policydiff track 2021.txt 2022.txt
  policydiff batch corpus/ -o dataset/
"""
"""The epilog of ``policydiff --help`` (``\\b`` keeps Click from re-flowing the lines)."""

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, rich_markup_mode=None,
                  help="Compare yearly Chinese government work documents (工作要点 / 工作意见 / 政府工作报告).",
                  epilog=EXAMPLES)

STDIN = "-"
"""The file name that means standard input (``show -``, ``diff old.txt -``), as in most Unix tools."""

DEFAULT_MIN_SIMILARITY = 0.28
"""``AlignOptions().min_similarity``, repeated here so that ``--help`` need not import the aligner (and
scipy) to show the default; a test keeps the two equal."""


class ShowFormat(str, enum.Enum):
    text = "text"
    json = "json"


class CsvTable(str, enum.Enum):
    changes = "changes"
    numbers = "numbers"
    terms = "terms"
    strength = "strength"


class DiffFormat(str, enum.Enum):
    """The names of ``policydiff.render.FORMATS`` (a test keeps the two equal)."""

    terminal = "terminal"
    json = "json"
    html = "html"
    markdown = "markdown"
    csv = "csv"


class Color(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


class Lang(str, enum.Enum):
    zh = "zh"
    en = "en"


def _use_color(color: Color, stream: TextIO | None, *, to_file: bool = False) -> bool:
    """Whether to write colour: ``always``/``never`` as said; ``auto`` only to a terminal and only when
    ``NO_COLOR`` is unset or empty (https://no-color.org: an explicit ``--color always`` still wins)."""
    if color is Color.always:
        return True
    if color is Color.never or to_file or os.environ.get("NO_COLOR"):
        return False
    try:
        return stream is not None and stream.isatty()
    except (ValueError, OSError):  # a closed stream
        return False


def _version(value: bool) -> None:
    if value:
        typer.echo(f"policydiff {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help="Print the version and exit.")] = False) -> None:
    """Compare yearly Chinese government work documents (工作要点 / 工作意见 / 政府工作报告)."""


EXIT_TROUBLE = 2
"""Exit status of every failure (diff(1)'s "trouble"): 1 would read as "the documents differ"."""

MAX_ERROR_CHARS = 400
"""An error line is cut to this length: a message quoting a whole input must still be one readable line."""

TYPER_INTERRUPTED = 130
"""What Typer returns when it turns a KeyboardInterrupt into an exit (128 + SIGINT)."""


_ALLOW_PRIVATE = "Let URLs and their redirects reach loopback and private addresses (an intranet)."


class CliError(Exception):
    """A failure already worded for the user: ``FILE: what is wrong; what to do``."""


def _fail(message: str) -> CliError:
    """The error to raise for ``message`` (``FILE: what; what to do``); ``main`` prints it."""
    return CliError(message)


_subject: list[str] = []
"""The files the running command works on, named in errors that have no file of their own."""


def _working_on(*paths: Path | None) -> None:
    _subject[:] = ["<stdin>" if str(p) == STDIN else str(p) for p in paths if p is not None]


_own_process = False
"""Whether the CLI runs as the ``policydiff`` process (``entry``), not called by another program (``main``):
then it owns the garbage collector, which ``entry`` pauses from the start and ``_importing`` hands the loaded
modules to for good."""


@contextlib.contextmanager
def _importing() -> Iterator[None]:
    """Pause the garbage collector while a command imports what it uses.

    A ``diff`` imports numpy, scipy and the aligner: ~27,000 objects that live as long as the process. The
    collector, run every 700 new objects, looked at them again and again, once with a full collection of
    ~50,000 in the middle of scipy's import, and freed nothing. Called from ``main``, it resumes as it was and
    looks at them once more, at its next run. In the ``policydiff`` process (``entry``, which paused it before
    Typer parsed the options) they then move to its permanent generation (``gc.freeze``), never looked at
    again, and it resumes for the command's own objects: collecting took ~60 ms of a ``diff`` of the sample
    pair, now ~7. Only a block that did import something freezes: a later freeze (the second ``_read`` of a
    ``diff``, which imports nothing) would also make permanent whatever garbage the command had not yet
    collected."""
    enabled = gc.isenabled()
    modules = len(sys.modules)
    gc.disable()
    try:
        yield
    finally:
        if _own_process and len(sys.modules) > modules:
            gc.freeze()
        if enabled or _own_process:
            gc.enable()


def _read(path: Path, roles: "dict[str, Role] | None" = None, allow_private: bool = False) -> "Document":
    """``policydiff.read``, or standard input when the name is ``-`` (read whole, within the file limit,
    then detected and parsed like a file: text in any supported encoding, HTML, PDF, DOCX or OFD)."""
    with _importing():
        from .pipeline import document_of, load

    if str(path) != STDIN:
        return load(path, roles, allow_private=allow_private)
    from .readers.base import MAX_FILE_BYTES
    from .sources import read_bytes

    stream = sys.stdin
    if stream is None or stream.isatty():
        raise _fail("<stdin>: is a terminal; pipe a document in (e.g. `cat 2023.txt | policydiff show -`) "
                    "or name a file")
    data = stream.buffer.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _fail(f"<stdin>: sent more than the {MAX_FILE_BYTES // 2**20} MiB input limit; give the document "
                    "itself")
    return document_of(read_bytes(data, "<stdin>"), roles)


def _files() -> str:
    return ", ".join(_subject) or "policydiff"


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again after we reported."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        try:
            sys.stdout.write(text)
            sys.stdout.flush()
        except UnicodeEncodeError as exc:
            raise _fail(f"<stdout>: cannot encode the report in {exc.encoding}; set PYTHONIOENCODING=utf-8 "
                        "or write it with -o FILE") from exc
        except OSError as exc:
            _silence_stdout()
            raise _fail(f"<stdout>: cannot write ({exc.strerror or exc}); check the disk or pipe it is "
                        "written to, or use -o FILE") from exc
        return
    from .safefs import write_text

    try:
        write_text(output, text)  # never through a symbolic link (docs/security.md)
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror or exc}); choose another -o path") from exc


def _check_output(output: Path | None, inputs: tuple[Path, ...]) -> None:
    """Refuse an ``-o`` that would overwrite one of the inputs or is a directory, before any work."""
    if output is None:
        return
    if output.is_dir():
        raise _fail(f"{output}: -o names a directory; give a file name such as report.html")
    for src in inputs:
        if str(src) == STDIN:
            continue
        with contextlib.suppress(OSError):
            if output.exists() and src.exists() and os.path.samefile(output, src):
                raise _fail(f"{output}: -o names the input file {src}; choose another -o path")


ROLE_NAMES = ("front", "back", "review", "guidance", "tasks", "safeguards", "closing")
"""``model.ROLES``, repeated so that ``--help`` need not import the model (a test checks they agree)."""
ROLE_HELP = ("Set a node's anatomy role: NODE=ROLE, NODE an id, a locator (二（三）) or a top-level label (三、), "
             f"ROLE one of {', '.join(ROLE_NAMES)}; applies to the node's descendants too (repeatable).")


def _parse_roles(values: list[str], sides: tuple[str, ...]) -> "dict[str, dict[str, Role]]":
    """``[SIDE:]NODE=ROLE`` options → side → {node: role}; without a side, the role applies to every side."""
    from .model import ROLES

    out: dict[str, dict[str, Role]] = {side: {} for side in sides}
    by_name: dict[str, Role] = {r: r for r in ROLES}  # typed lookup: checkers differ on narrowing `in ROLES`
    example = "--role 二、=guidance" + (" or --role old:3=review" if len(sides) > 1 else "")
    for value in values:
        side, rest = None, value
        head, sep, tail = value.partition(":")
        if sep and head in ("old", "new"):
            if len(sides) == 1:
                raise _fail(f"--role {value!r}: old:/new: only apply to `policydiff diff`; e.g. {example}")
            side, rest = head, tail
        node, sep, role = rest.rpartition("=")
        node, role = node.strip(), role.strip()
        if not sep or not node or not role:
            raise _fail(f"--role {value!r}: expected NODE=ROLE; e.g. {example} (ids from `policydiff show`)")
        if role not in by_name:
            raise _fail(f"--role {value!r}: {role!r} is not a role; use one of {', '.join(ROLES)}")
        for s in (side,) if side else sides:
            out[s][node] = by_name[role]
    return out


@app.command(epilog="""\b
Examples:
  policydiff show 2023.txt
  policydiff show 2023.pdf -f json > 2023.json
  curl -s URL | policydiff show -
""")
def show(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A document: text (UTF-8/UTF-16/GB18030), HTML, PDF, "
                                         "DOCX, OFD, an http(s) URL, or - for standard input.")],
    format: Annotated[ShowFormat, typer.Option("--format", "-f", metavar="text|json",
                                               help="Outline or the JSON document model.")]
    = ShowFormat.text,
    width: Annotated[int, typer.Option(metavar="N", help="Line width of the outline (at least 40).", min=40)] = 100,
    role: Annotated[list[str] | None, typer.Option("--role", metavar="NODE=ROLE", help=ROLE_HELP)] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help=_ALLOW_PRIVATE)] = False,
) -> None:
    """Print a document's section tree (kind, id, label, title, anatomy role, size)."""
    with _importing():
        from .render import json as json_render
        from .render import terminal

    _working_on(file)
    roles = _parse_roles(role or [], ("doc",))["doc"]
    doc = _read(file, roles, allow_private)
    text = json_render.render_document(doc) if format is ShowFormat.json else terminal.render_document(doc,
                                                                                                      width=width)
    _write(text, None)


def _parse_pins(pins: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for p in pins:
        if p.count("=") != 1 or not all(p.split("=")):
            raise _fail(f"--pin {p!r}: expected OLD_ID=NEW_ID; e.g. --pin 3.2=4.1 (ids from `policydiff show`)")
        a, b = p.split("=")
        out.append((a.strip(), b.strip()))
    return tuple(out)


@app.command(epilog="""\b
Examples:
  policydiff diff 2022.txt 2023.txt
  policydiff diff 2022.txt 2023.txt --changes-only --lang en
  policydiff diff 2022.txt 2023.txt --summary
  policydiff diff 2022.txt 2023.txt -f html -o report.html
  policydiff diff 2022.txt 2023.txt -f json > comparison.json
  policydiff diff 2022.txt 2023.txt --pin 3.2=4.1
  curl -s URL | policydiff diff 2022.txt -
""")
def diff(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="The earlier year's document (- for standard input).")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="The later year's document (- for standard input).")],
    format: Annotated[DiffFormat, typer.Option("--format", "-f", metavar="terminal|json|html|markdown|csv",
                                               help="Output format.")] = DiffFormat.terminal,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file instead of stdout.")] = None,
    changes_only: Annotated[bool, typer.Option("--changes-only", help="Hide unchanged nodes.")] = False,
    width: Annotated[int, typer.Option(metavar="N", help="Terminal line width (40–400).", min=40, max=400)] = 100,
    color: Annotated[Color, typer.Option(metavar="auto|always|never",
                                         help="Colour: auto (only on a terminal, and not when NO_COLOR is set), "
                                              "always or never.")] = Color.auto,
    lang: Annotated[Lang, typer.Option(metavar="zh|en", help="Language of labels.")] = Lang.zh,
    pin: Annotated[list[str] | None, typer.Option(metavar="OLD_ID=NEW_ID",
                                                  help="Force a pair, ids as `policydiff show` prints them "
                                                       "(repeatable).")] = None,
    min_similarity: Annotated[float | None, typer.Option(
        metavar="X", help=f"Similarity floor for pairing, 0–1 (default {DEFAULT_MIN_SIMILARITY}).", min=0.0, max=1.0,
        show_default=False)] = None,
    summary: Annotated[bool, typer.Option("--summary", help="Terminal: only the highlights (new, dropped, "
                                                            "changed targets, new phrases).")] = False,
    strength_scale: Annotated[Path | None, typer.Option(
        metavar="FILE", help="TOML file of extra strength words merged over the shipped scale (docs/facts.md).")]
    = None,
    role: Annotated[list[str] | None, typer.Option("--role", metavar="[old:|new:]NODE=ROLE", help=ROLE_HELP.replace(
        "NODE=ROLE", "[old:|new:]NODE=ROLE (both sides without a prefix)"))] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help=_ALLOW_PRIVATE)] = False,
    history: Annotated[list[Path] | None, typer.Option(
        "--history", metavar="FILE", help="An earlier year's document (repeatable): a phrase used there is "
                                          "'returning', not new.")] = None,
    table: Annotated[CsvTable, typer.Option(
        "--table", metavar="changes|numbers|terms|strength", help="CSV: which facts, one row each.")]
    = CsvTable.changes,
    track: Annotated[bool, typer.Option("--track", help="Terminal and HTML: add OLD's targets and tasks against "
                                                        "NEW's review (as `policydiff track`).")] = False,
) -> None:
    """Compare two years of a document. Exit 0: no change, 1: changes, 2: trouble."""
    with _importing():
        from .align import AlignOptions
        from .compare import CompareOptions, compare
        from .render import render

    _working_on(old, new)
    if str(old) == STDIN and str(new) == STDIN:
        raise _fail("<stdin>: both OLD and NEW are -; standard input can be one side only, name the other file")
    _check_output(output, (old, new))
    pins = _parse_pins(pin or [])
    roles = _parse_roles(role or [], ("old", "new"))
    a, b = _read(old, roles["old"], allow_private), _read(new, roles["new"], allow_private)
    align = AlignOptions(pins=pins) if min_similarity is None else AlignOptions(min_similarity=min_similarity,
                                                                                pins=pins)
    earlier = tuple(_read(h, {}, allow_private) for h in history or [])
    cmp = compare(a, b, CompareOptions(align=align, strength_scale=str(strength_scale) if strength_scale else None,
                                       history=earlier))
    options: dict[str, Any] = {"lang": lang.value, "width": width,
                               "color": _use_color(color, sys.stdout, to_file=output is not None),
                               "summary": summary, "table": table.value}
    if format is not DiffFormat.markdown:  # Markdown always shows changes only
        options["changes_only"] = changes_only
    if track:
        with _importing():
            from .track import track as track_of

        options["track"] = track_of(a, b)
    text = render(cmp, format.value, **options)
    _write(text, output)
    raise typer.Exit(1 if cmp.changed else 0)


class ReportFormat(str, enum.Enum):
    """Formats of the reports that are not a diff (track, timeline)."""

    terminal = "terminal"
    html = "html"
    json = "json"
    csv = "csv"



@app.command("track", short_help="Last year's targets and tasks against this year's review.", epilog="""\b
Examples:
  policydiff track 2021.txt 2022.txt
  policydiff track 2021.txt 2022.txt -f html -o track.html
  policydiff track 2021.txt 2022.txt -f json > track.json
""")
def track_command(
    old: Annotated[Path, typer.Argument(metavar="OLD", help="Year N's document, whose plan sets the targets (- for "
                                                           "standard input).")],
    new: Annotated[Path, typer.Argument(metavar="NEW", help="Year N+1's document, whose review reports on them (- "
                                                           "for standard input).")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", metavar="terminal|html|json|csv",
                                                help="Output format.")] = ReportFormat.terminal,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file instead of stdout.")] = None,
    lang: Annotated[Lang, typer.Option(metavar="zh|en", help="Language of labels.")] = Lang.zh,
    role: Annotated[list[str] | None, typer.Option("--role", metavar="[old:|new:]NODE=ROLE", help=ROLE_HELP.replace(
        "NODE=ROLE", "[old:|new:]NODE=ROLE (both sides without a prefix)"))] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help=_ALLOW_PRIVATE)] = False,
) -> None:
    """Year N's targets and tasks against year N+1's review: met, exceeded, missed, reported, not reported
    ("not reported" is not "failed"). Exit 0, or 2 on trouble; a document without a review gives an empty
    result that says why, exit 0."""
    with _importing():
        from .render.track import render_track
        from .track import track

    _working_on(old, new)
    if str(old) == STDIN and str(new) == STDIN:
        raise _fail("<stdin>: both OLD and NEW are -; standard input can be one side only, name the other file")
    _check_output(output, (old, new))
    roles = _parse_roles(role or [], ("old", "new"))
    a, b = _read(old, roles["old"], allow_private), _read(new, roles["new"], allow_private)
    _write(render_track(track(a, b), format.value, lang=lang.value), output)


@app.command("timeline", short_help="Follow documents over the years: lineages, targets, phrases.", epilog="""\b
Examples:
  policydiff timeline reports/
  policydiff timeline 2019.txt 2020.txt 2021.txt --term 碳达峰
  policydiff timeline reports/ -f html -o timeline.html
""")
def timeline_command(
    files: Annotated[list[Path], typer.Argument(metavar="PATH",
                                                help="Documents of one issuer, one per year, or a directory of "
                                                     "them.")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", metavar="terminal|html|json|csv",
                                                   help="Output format.")] = ReportFormat.terminal,
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Write to this file instead of stdout.")] = None,
    term: Annotated[list[str] | None, typer.Option("--term", metavar="PHRASE",
                                                   help="A phrase to count in every year (repeatable).")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", metavar="N", help="Worker processes (default: all "
                                             "cores).", min=1)] = None,
    cache_dir: Annotated[Path | None, typer.Option("--cache-dir", metavar="DIR", help="Where pairwise results are "
                                                   "kept (default: $XDG_CACHE_HOME/policydiff).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    scheduler: Annotated[str | None, typer.Option(metavar="tcp://HOST:PORT",
                                                  help="Run the comparisons on this Dask scheduler (needs "
                                                       "policydiff[dask]).")] = None,
    lang: Annotated[Lang, typer.Option(metavar="zh|en", help="Language of labels.")] = Lang.zh,
    color: Annotated[Color, typer.Option(metavar="auto|always|never",
                                         help="Colour of the progress bar on stderr: auto (only on a terminal, "
                                              "and not when NO_COLOR is set), always or never.")] = Color.auto,
) -> None:
    """Follow documents over the years: measure lineages, target series, phrases. Exit 0, or 2 on trouble."""
    with _importing():
        from .model import PolicyDiffError
        from .render import timeline_csv, timeline_html, timeline_json, timeline_terminal
        from .timeline import collect_paths, default_cache_dir, timeline

    _working_on(*files)
    progress_bar = None
    if sys.stderr is not None and sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        coloured = _use_color(color, sys.stderr)
        progress_bar = Progress(console=Console(stderr=True, no_color=not coloured, color_system="standard"
                                                if coloured else None), auto_refresh=False, transient=True)
    try:
        paths = collect_paths(files)
        _check_output(output, tuple(Path(p) for p in paths))
        if progress_bar is None:
            tl = timeline(paths, terms=term or (), jobs=jobs, scheduler=scheduler,
                          cache_dir=None if no_cache else (cache_dir or default_cache_dir()))
        else:
            with progress_bar:
                task = progress_bar.add_task("timeline", total=None)

                def report(done: int, total: int) -> None:
                    progress_bar.update(task, completed=done, total=total)
                    progress_bar.refresh()

                tl = timeline(paths, terms=term or (), jobs=jobs, progress=report, scheduler=scheduler,
                              cache_dir=None if no_cache else (cache_dir or default_cache_dir()))
    except PolicyDiffError as exc:
        raise _fail(str(exc)) from exc
    if format is ReportFormat.json:
        text = timeline_json.render_timeline(tl)
    elif format is ReportFormat.csv:
        text = timeline_csv.render_timeline(tl)
    elif format is ReportFormat.html:
        text = timeline_html.render_timeline(tl, lang=lang.value)
    else:
        text = timeline_terminal.render_timeline(tl, lang=lang.value)
    _write(text, output)


@app.command(short_help="Compare the bundled sample documents.")
def demo(
    color: Annotated[Color, typer.Option(metavar="auto|always|never",
                                         help="Colour: auto (only on a terminal, and not when NO_COLOR is set), "
                                              "always or never.")] = Color.auto,
) -> None:
    """Compare the bundled sample documents (corpora/sample-2022.txt → sample-2023.txt)."""
    with _importing():
        from . import compare, read
        from .render import terminal

    root = Path(__file__).resolve().parents[2] / "corpora"
    a, b = root / "sample-2022.txt", root / "sample-2023.txt"
    _working_on(a, b)
    if not a.exists():
        raise _fail(f"{root}: the bundled samples are not there; run from a source checkout")
    cmp = compare(read(a), read(b))
    _write(terminal.render_comparison(cmp, changes_only=True, color=_use_color(color, sys.stdout)), None)


@app.command("batch", epilog="""\b
Examples:
  policydiff batch corpus/ -o dataset/
  policydiff batch manifest.csv -o dataset/ --against 国务院
  policydiff batch corpus/ -o dataset/ --scheduler tcp://10.0.0.5:8786
""")
def batch_command(
    manifest: Annotated[Path, typer.Argument(metavar="MANIFEST", help="CSV/Parquet (issuer,year,path[,title]) or "
                                             "folder ISSUER/YEAR.ext.")],
    output: Annotated[Path, typer.Option("--output", "-o", metavar="DIR",
                                         help="The dataset folder (created; reruns resume).")],
    against: Annotated[str | None, typer.Option(metavar="ISSUER",
                                                help="Also compare each document with this issuer's same year.")]
    = None,
    scheduler: Annotated[str | None, typer.Option(metavar="tcp://HOST:PORT",
                                                  help="Dask scheduler (needs policydiff[dask]).")] = None,
    workers: Annotated[int | None, typer.Option(metavar="N", help="Local worker processes (default: all cores).",
                                                min=1)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress lines on stderr.")] = False,
    task_timeout: Annotated[float, typer.Option(help="Seconds a document's load or a pair may take before it is "
                                                     "stopped and recorded as failed.", min=0.001)] = 300.0,
) -> None:
    """Compare a corpus into a Parquet change dataset. Exit 0: all pairs done, 1: some failed, 2: trouble."""
    with _importing():
        from .batch import batch as run_batch
        from .model import PolicyDiffError
        from .text import printable

    try:
        summary = run_batch(manifest, output, scheduler, against=against, workers=workers,
                            progress=None if quiet else sys.stderr, task_timeout=task_timeout)
    except PolicyDiffError as exc:
        raise _fail(str(exc)) from exc
    for skipped in summary.skipped_files:
        typer.echo(printable(f"policydiff batch: skipped {skipped.path}: {skipped.reason}"), err=True)
    typer.echo(f"{summary.pairs} pairs: {summary.done} done, {summary.skipped} skipped, {summary.failed} failed; "
               f"{summary.documents_failed} of {summary.documents} documents unreadable; "
               f"{summary.seconds:.1f} s → {summary.out}")
    raise typer.Exit(1 if summary.failed or summary.documents_failed else 0)


@app.command(short_help="Download an article page as text; list its attachments.", epilog="""\b
Examples:
  policydiff fetch https://www.example.gov.cn/art/2023/1/1/art_1.html -o 2023.txt
  policydiff fetch URL --attachment 1 -o 2023.pdf
""")
def fetch(
    url: Annotated[str, typer.Argument(metavar="URL", help="An http(s) address of a government article page.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="FILE",
                                                help="Save to this file instead of stdout.")] = None,
    attachment: Annotated[int | None, typer.Option(metavar="N", help="Save attachment N (as listed) instead of "
                                                   "the page.", min=1)] = None,
    timeout: Annotated[float, typer.Option(metavar="S", help="Seconds for the whole download (connect, headers, "
                                           "body).", min=0.1, max=600)] = 60.0,
    allow_private: Annotated[bool, typer.Option("--allow-private", help=_ALLOW_PRIVATE)] = False,
) -> None:
    """Download an article page: its metadata and text (re-readable by diff/show), attachments listed on stderr."""
    with _importing():
        from .model import PolicyDiffError
        from .readers import fetch as fetch_reader
        from .sources import read_url

    try:
        src, atts = read_url(url, timeout=timeout, allow_private=allow_private)
        if attachment is not None:
            if attachment > len(atts):
                raise _fail(f"{url}: has {len(atts)} attachment(s), not {attachment}; run without --attachment "
                            "to list them")
            att = atts[attachment - 1]
            data = fetch_reader.download(att.url, timeout=timeout, allow_private=allow_private).data
            target = output if output is not None else Path(fetch_reader.attachment_filename(att))
            from .safefs import write_bytes

            try:
                write_bytes(target, data)  # never through a symbolic link (docs/security.md)
            except OSError as exc:
                raise _fail(f"{target}: cannot write ({exc.strerror}); choose another -o path") from exc
            typer.echo(f"saved {fetch_reader.shown(att.name)} ({len(data)} bytes) to {target}", err=True)
            return
    except PolicyDiffError as exc:
        raise _fail(str(exc)) from exc
    from .text import printable

    for warning in src.warnings:
        typer.echo(f"warning: {printable(warning)}", err=True)
    for i, att in enumerate(atts, 1):
        typer.echo(f"attachment {i}: {fetch_reader.shown(att.name)} <{fetch_reader.shown(att.url)}>", err=True)
    _write(fetch_reader.as_text(src.text, src.metadata), output)


def _report(message: str) -> int:
    """Print one error line on stderr (escaped, cut, encodable whatever stderr is) and return status 2."""
    from .text import printable

    line = printable(message)
    if len(line) > MAX_ERROR_CHARS:
        line = line[:MAX_ERROR_CHARS - 1] + "…"
    line = f"policydiff: error: {line}\n"
    with contextlib.suppress(Exception):  # stderr closed (None) or failing: the status still tells
        try:
            sys.stderr.write(line)
        except UnicodeEncodeError:
            sys.stderr.write(line.encode("ascii", "backslashreplace").decode("ascii"))
        sys.stderr.flush()
    return EXIT_TROUBLE


def _usage_error(exc: Exception) -> str | None:
    """One line for Typer/Click's usage errors (bad option, missing argument), or None for other errors.

    Matched by interface (``format_message`` and ``exit_code``) rather than class, because Typer
    vendors Click under a private module in recent versions and uses Click itself in older ones.
    """
    fmt = getattr(exc, "format_message", None)
    if not callable(fmt) or not isinstance(getattr(exc, "exit_code", None), int):
        return None
    ctx = getattr(exc, "ctx", None)
    command = getattr(ctx, "command_path", None) or "policydiff"
    sub = command.partition(" ")[2]
    what = " ".join(str(fmt()).split()).rstrip(".")
    if type(exc).__name__ == "NoArgsIsHelpError":
        what = "no command given (show, diff, …)"
    return f"{sub + ': ' if sub else ''}{what}; see `{command} --help`"


def _command() -> Any:
    """The Click command Typer builds from ``app``, with one change to its help: an argument that names
    itself (``FILE... | DIR``) shows only that name, not also Typer's rendering of its Python type
    (``<list[Path]>``)."""
    command = typer.main.get_command(app)
    for sub in getattr(command, "commands", {}).values():
        for param in sub.params:
            if param.param_type_name == "argument" and param.metavar is not None:
                setattr(param, "display_type", _no_type)  # noqa: B010 (mypy 1 wants an ignore here, mypy 2 rejects it)
    return command


def _is_policydiff_error(exc: Exception) -> bool:
    """``isinstance(exc, PolicyDiffError)`` without importing the model for commands that never loaded it
    (``--help``): an error of ours can only come from a command that did."""
    model = sys.modules.get("policydiff.model")
    return model is not None and isinstance(exc, model.PolicyDiffError)


def _no_type(ctx: object) -> str:
    return ""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting (so tests can call it directly).

    The one error path: whatever goes wrong is reported here as one line on stderr with exit status 2.
    """
    _subject.clear()
    try:
        code = _command().main(args=argv, prog_name="policydiff", standalone_mode=False)
    except CliError as exc:
        return _report(str(exc))
    except MemoryError:
        return _report(f"{_files()}: out of memory while comparing; compare smaller documents or free memory")
    except RecursionError:
        return _report(f"{_files()}: nested too deeply to process; simplify the input (e.g. save the page "
                       "as text)")
    except KeyboardInterrupt:
        return _report(f"{_files()}: interrupted; run the command again to finish")
    except SystemExit as exc:  # only Typer's own handler of a closed pipe exits from inside
        if exc.code in (0, None):
            return 0
        _silence_stdout()
        return _report(f"{_files()}: stopped early (status {exc.code}, usually a closed output pipe); run the "
                       "command again with -o FILE")
    except OSError as exc:
        where = exc.filename if exc.filename is not None else "<stdout>"
        _silence_stdout()
        return _report(f"{where}: {exc.strerror or exc}; check the path, the disk and the permissions")
    except Exception as exc:
        if _is_policydiff_error(exc):
            if hasattr(exc, "path"):
                return _report(str(exc))
            return _report(f"{_files()}: {exc}; check the options (`policydiff --help`)")
        usage = _usage_error(exc)
        if usage is not None:
            return _report(usage)
        return _report(f"{_files()}: internal error ({type(exc).__name__}: {exc}); please report it with the "
                       "input files")
    if code == TYPER_INTERRUPTED:
        return _report(f"{_files()}: interrupted; run the command again to finish")
    if isinstance(code, int) and code in (0, 1):
        return code
    return 0 if code is None else EXIT_TROUBLE


BLAS_THREADS = "1"
"""OpenBLAS threads in the command's process (``OPENBLAS_NUM_THREADS``, unless the user set it): one, the
calling thread. numpy and scipy each load their own OpenBLAS, and each starts a pool of one thread per
further core when it loads, which spins waiting for work (on a 2-core machine ~0.1 s of CPU per library,
taken from the command itself when the machine is busy); policydiff asks BLAS for nothing (its matrix
products are ``scipy.sparse``, which does not call BLAS), so the pools only cost. Worker processes
(``timeline``, ``batch``) inherit it: one process per core already fills the machine."""


def entry() -> None:
    """The ``policydiff`` command: ``main`` in a process of its own, which may be set up for it.

    Before: OpenBLAS on the calling thread (``BLAS_THREADS``); the garbage collector paused until the command
    has imported what it uses (``_importing``). After: every object moves to the collector's permanent
    generation (``gc.freeze``), so that the interpreter's exit does not collect garbage over the ~55,000
    objects of the modules a comparison loaded (numpy, scipy, pydantic, ours), work that only frees memory the
    process is about to return whole (~0.1 s, a fifth of a ``diff`` of the sample pair). The exit is otherwise
    the usual one: ``atexit`` handlers run, standard streams are flushed, modules are cleared."""
    global _own_process
    os.environ.setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)
    _own_process = True
    gc.disable()
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # python -m policydiff.cli (bench/scaling.py runs it so)
    entry()
