"""Issue 21, findings 1, 2, 3 and 10: safe to run on files and folders you do not trust.

Each test builds its hostile input itself (a planted pickle, a planted symbolic link, formula cells, a
name that is not UTF-8, a task that never ends) and fails on the code before the fix (``docs/security.md``):

1. no code from data: nothing is ever unpickled, the batch cache is validated JSON in a private folder;
2. no file written through a link (batch cache and tables, ``-o`` of diff), and a lock on ``OUT``;
3. no CSV cell a spreadsheet would run (diff and timeline CSV);
10. batch rough edges: two runs into one folder, non-UTF-8 and odd names, a task past ``--task-timeout``.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

import policydiff
from conftest import ROOT, SAMPLES
from policydiff.batch import read_table
from policydiff.cli import main

BATCH = SAMPLES / "batch"
SRC = ROOT / "src" / "policydiff"


def _corpus(folder: Path, docs: dict[str, dict[int, str]]) -> Path:
    for issuer, years in docs.items():
        (folder / issuer).mkdir(parents=True, exist_ok=True)
        for year, text in years.items():
            (folder / issuer / f"{year}.txt").write_text(text, encoding="utf-8")
    return folder


def _small(folder: Path) -> Path:
    """Three years of one county: two pairs, each compared in well under a second."""
    return _corpus(folder, {"某县": {2022: "一、总则\n1.普通的文档。\n", 2023: "一、总则\n1.普通的文档。再加一句。\n",
                                  2024: "一、总则\n1.普通的文档。又加一句。\n"}})


def _one_line_error(err: str, *words: str) -> None:
    assert err.startswith("policydiff: error: ") and err.count("\n") == 1, err
    for w in words:
        assert w in err, err


# --- 1. no code from data ---------------------------------------------------------------------------------

class _Payload:
    """Unpickling this creates the marker file: what a planted pickle would do with a shell command."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def test_no_module_reads_a_format_that_can_run_code() -> None:
    banned_modules = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle"}
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not {a.name.split(".")[0] for a in node.names} & banned_modules, path
            elif isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in banned_modules, path
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in ("eval", "exec"), path


def test_a_pickle_planted_in_the_cache_is_never_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The attack of the issue: a document's load dies (here: a crash in the parser), and the pair task
    then read whatever sat at the cache path. A planted pickle ran a command; now nothing is unpickled and
    the pair fails as unreadable."""
    batch_module = sys.modules["policydiff.batch"]
    real_parse = batch_module.document_of  # type: ignore[attr-defined]

    def deadly_parse(src: Any, *args: object) -> object:
        if "致命" in src.text:
            os._exit(1)
        return real_parse(src, *args)

    monkeypatch.setattr(batch_module, "document_of", deadly_parse)
    monkeypatch.setattr(sys.modules["policydiff.executor"], "start_method", lambda: "fork")
    folder = _small(tmp_path / "corpus")
    (folder / "某县" / "2023.txt").write_text("一、总则\n1.致命的文档。\n", encoding="utf-8")
    out = tmp_path / "out"
    marker = tmp_path / "pwned"
    planted = pickle.dumps(_Payload(marker))
    (out / "_cache").mkdir(parents=True)
    for suffix in ("pickle", "json"):  # the old cache name and the new one
        (out / "_cache" / f"某县-2023.{suffix}").write_bytes(planted)
    summary = policydiff.batch(folder, out, workers=2)
    assert not marker.exists(), "a planted pickle was executed"
    assert (summary.done, summary.failed, summary.documents_failed) == (0, 2, 1)
    errors = [r["error"] for r in read_table(out, "pairs").to_pylist()]
    assert all("unreadable" in e and "worker process died" in e for e in errors), errors


def test_the_cache_folder_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    batch_module = sys.modules["policydiff.batch"]
    real = batch_module._write_cache  # type: ignore[attr-defined]

    def spy(out: str, cache: str, loaded: Any) -> None:
        seen.append(os.stat(cache).st_mode & 0o777)
        real(out, cache, loaded)

    monkeypatch.setattr(batch_module, "_write_cache", spy)
    policydiff.batch(_small(tmp_path / "corpus"), tmp_path / "out", workers=1)
    assert seen and set(seen) == {0o700}


# --- 2. no writing through links; one batch per folder -----------------------------------------------------

def test_a_symlinked_cache_folder_is_refused_and_its_target_untouched(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "_cache").symlink_to(victim)
    assert main(["batch", str(_small(tmp_path / "corpus")), "-o", str(out), "--workers", "2", "-q"]) == 2
    _one_line_error(capsys.readouterr().err, "_cache", "symbolic link")
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt"]
    assert (victim / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_a_symlinked_partition_folder_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    """A link in place of ``OUT/changes/issuer=某县``: Parquet files were written into its target, and the
    end-of-run tidy-up deleted the target's other files."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    (out / "changes").mkdir(parents=True)
    (out / "changes" / "issuer=某县").symlink_to(victim)
    with pytest.raises(policydiff.InputError, match="symbolic link"):
        policydiff.batch(_small(tmp_path / "corpus"), out, workers=1)
    assert sorted(p.name for p in victim.iterdir()) == ["precious.txt"]


def test_diff_output_through_a_planted_link_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "report.html"
    link.symlink_to(victim)
    code = main(["diff", str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt"), "-f", "json",
                 "-o", str(link)])
    assert code == 2
    _one_line_error(capsys.readouterr().err, "report.html", "symbolic link")
    assert victim.read_text(encoding="utf-8") == "keep me" and link.is_symlink()
    # a plain file is replaced as before, and -o /dev/null (a device) still works
    plain = tmp_path / "plain.json"
    assert main(["diff", str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt"), "-f", "json",
                 "-o", str(plain)]) == 1
    assert policydiff.loads(plain.read_text(encoding="utf-8")).changed
    assert main(["diff", str(SAMPLES / "sample-2022.txt"), str(SAMPLES / "sample-2023.txt"), "-o", os.devnull]) == 1


def test_safefs_refuses_links_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    from policydiff import safefs

    target = tmp_path / "victim"
    target.write_text("keep", encoding="utf-8")
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "link").symlink_to(target)
    with pytest.raises(policydiff.InputError, match="symbolic link"):
        safefs.write_text(tmp_path / "a" / "link", "x")
    (tmp_path / "dirlink").symlink_to(tmp_path / "a")
    with pytest.raises(policydiff.InputError, match="dirlink: is a symbolic link"):
        safefs.write_text(tmp_path / "dirlink" / "new", "x", root=tmp_path)
    with pytest.raises(policydiff.InputError, match="symbolic link"):
        safefs.read_bytes(tmp_path / "a" / "link", 100)
    safefs.write_text(tmp_path / "b" / "c" / "new.txt", "数据", root=tmp_path)
    assert (tmp_path / "b" / "c" / "new.txt").read_text(encoding="utf-8") == "数据"
    assert target.read_text(encoding="utf-8") == "keep"
    assert not [p for p in tmp_path.rglob(".pd-*")]


def test_a_second_batch_into_the_same_folder_exits_2_in_one_line(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """Two runs into one OUT made 5–22 pairs fail and marked documents unreadable; now the second run stops
    at once. The first runs in another process, held up in its parser until the second has tried."""
    folder = _small(tmp_path / "corpus")
    out = tmp_path / "out"
    started = tmp_path / "started"
    script = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        import importlib, policydiff
        b = importlib.import_module("policydiff.batch")
        real = b.document_of
        def slow(src, *args):
            Path({str(started)!r}).touch()
            time.sleep(3)
            return real(src, *args)
        b.document_of = slow
        s = policydiff.batch({str(folder)!r}, {str(out)!r}, workers=1)
        sys.exit(0 if s.failed == 0 else 1)
    """)
    first = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not started.exists():
            assert first.poll() is None and time.monotonic() < deadline, "the first batch did not start"
            time.sleep(0.05)
        assert main(["batch", str(folder), "-o", str(out), "--workers", "1", "-q"]) == 2
        _one_line_error(capsys.readouterr().err, "another policydiff batch is writing to this folder")
    finally:
        assert first.wait(timeout=120) == 0
    assert {r["status"] for r in read_table(out, "pairs").to_pylist()} == {"done"}


# --- 3. CSV cells a spreadsheet would run ------------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/","点我")', "+1。", "-1。", "@SUM(A1:A2)。", "\t=1+1"]


def _cells(text: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]


def _assert_no_formula(cells: list[str]) -> None:
    for c in cells:
        assert c.lstrip()[:1] not in ("=", "+", "-", "@") and c[:1] not in ("\t", "\r"), repr(c)


def test_diff_csv_neutralises_formula_cells() -> None:
    from policydiff.render import render

    old = policydiff.parse("一、总则\n1.原有的工作。\n")
    new = policydiff.parse("一、总则\n1.原有的工作。\n\n" + "\n\n".join(FORMULAS) + "\n\n2.=CMD|计算器。内容。\n")
    cells = _cells(render(policydiff.compare(old, new), "csv"))
    _assert_no_formula(cells)
    assert "'=HYPERLINK(\"http://evil.example/\",\"点我\")" in cells and "'+1。" in cells and "'-1。" in cells
    assert "'@SUM(A1:A2)。" in cells and "'=1+1" in cells and "'=CMD|计算器。" in cells


def test_timeline_csv_neutralises_formula_cells(tmp_path: Path) -> None:
    from policydiff.render import timeline_csv

    for year, extra in ((2021, ""), (2022, "2.=HYPERLINK(\"http://evil.example/\")。推进工作。\n")):
        (tmp_path / f"{year}.txt").write_text(f"一、总则\n1.-1 原有的工作。\n{extra}", encoding="utf-8")
    tl = policydiff.timeline(sorted(tmp_path.glob("*.txt")), terms=["@SUM", "=1+1"], jobs=1, cache_dir=None)
    cells = _cells(timeline_csv.render_timeline(tl))
    _assert_no_formula(cells)
    assert "'@SUM" in cells and "'=1+1" in cells and any(c.startswith("'=HYPERLINK") for c in cells)


@pytest.mark.parametrize(("cell", "shown"), [
    ("=1", "'=1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("  =1", "'  =1"), ("\u3000=1", "'\u3000=1"), ("\tplain", "'\tplain"), ("1-2", "1-2"), ("推进", "推进"), ("", ""),
])
def test_spreadsheet_cell(cell: str, shown: str) -> None:
    from policydiff.render.safe import spreadsheet_cell

    assert spreadsheet_cell(cell) == shown


# --- 10. batch rough edges ---------------------------------------------------------------------------------

def test_odd_names_are_listed_with_a_reason_not_fatal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _small(tmp_path / "corpus")
    bad = os.fsencode(folder) + b"/\xff\xfe-issuer"
    os.mkdir(bad)
    with open(bad + b"/2022.txt", "wb") as fh:
        fh.write("一、总则\n1.普通的文档。\n".encode())
    _corpus(folder, {".hidden": {2022: "一、总则\n1.文档。\n"}})
    (folder / "某县" / "2025.txt").symlink_to(folder / "某县" / "2025.txt")  # a link to itself: a loop
    (folder / "某县" / "notes.md").write_text("笔记", encoding="utf-8")
    (folder / "README.txt").write_text("说明", encoding="utf-8")
    code = main(["batch", str(folder), "-o", str(tmp_path / "out"), "--workers", "1", "-q"])
    err = capsys.readouterr().err
    assert code == 0, err
    lines = [ln for ln in err.splitlines() if ln.startswith("policydiff batch: skipped ")]
    assert len(lines) == 5, err
    joined = "\n".join(lines)
    assert "\\xff\\xfe-issuer: its name is not valid UTF-8" in joined
    assert ".hidden: hidden" in joined and "2025.txt: a symbolic link that leads nowhere" in joined
    assert "notes.md: the name is not a four-digit year" in joined and "README.txt: a file outside" in joined
    summary = policydiff.batch(folder, tmp_path / "out2", workers=1)
    assert len(summary.skipped_files) == 5 and summary.done == 2


def _slow_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> policydiff.BatchSummary:
    """A document (``where="document_of"``) or a pair (``where="compare"``) that would sleep for a minute."""
    batch_module = sys.modules["policydiff.batch"]
    real = getattr(batch_module, where)

    def sleepy(*args: Any, **kwargs: Any) -> Any:
        texts = [a.text if hasattr(a, "text") else a for a in args]
        if any("沉睡" in t for t in texts if isinstance(t, str)) and (where == "document_of" or "沉睡" in texts[1]):
            time.sleep(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(batch_module, where, sleepy)
    monkeypatch.setattr(sys.modules["policydiff.executor"], "start_method", lambda: "fork")
    monkeypatch.setattr(batch_module, "TIMEOUT_POLL_S", 0.2)
    folder = _small(tmp_path / "corpus")
    (folder / "某县" / "2023.txt").write_text("一、总则\n1.沉睡的文档。\n", encoding="utf-8")
    start = time.monotonic()
    summary = policydiff.batch(folder, tmp_path / "out", workers=2, task_timeout=1.0)
    assert time.monotonic() - start < 20, "the sleeping task was not stopped"
    return summary


def test_a_load_past_the_task_timeout_is_killed_and_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = _slow_batch(tmp_path, monkeypatch, "document_of")
    assert (summary.done, summary.failed, summary.documents_failed) == (0, 2, 1)
    docs = {r["year"]: r["error"] for r in read_table(tmp_path / "out", "documents").to_pylist()}
    assert "took longer than 1 s (--task-timeout)" in docs[2023] and docs[2022] is None and docs[2024] is None
    errors = [r["error"] for r in read_table(tmp_path / "out", "pairs").to_pylist()]
    assert all("unreadable: took longer than 1 s" in e for e in errors), errors


def test_a_pair_past_the_task_timeout_is_killed_and_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summary = _slow_batch(tmp_path, monkeypatch, "compare")
    assert (summary.done, summary.failed, summary.documents_failed) == (1, 1, 0)
    pairs = {r["new_year"]: (r["status"], r["error"]) for r in read_table(tmp_path / "out", "pairs").to_pylist()}
    assert pairs[2024] == ("done", None)
    assert pairs[2023][0] == "failed" and "took longer than 1 s (--task-timeout)" in pairs[2023][1]


def test_the_dask_task_wrapper_gives_up_past_the_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On Dask a task runs in a worker thread: ``run_pair_within`` records the pair as failed at the deadline
    and names the worker to restart (None outside a worker)."""
    batch_module = sys.modules["policydiff.batch"]
    entries = batch_module.read_manifest(_small(tmp_path / "corpus"))
    pair = batch_module.plan_pairs(entries)[0]
    (tmp_path / "out").mkdir()
    loaded = [batch_module.load_entry(e, str(tmp_path / "out")) for e in entries[:2]]
    monkeypatch.setattr(batch_module, "run_pair", lambda *a: time.sleep(60))
    start = time.monotonic()
    result = batch_module.run_pair_within(pair, loaded[0], loaded[1], str(tmp_path / "out"), 0.5)
    assert time.monotonic() - start < 5
    assert result.status == "failed" and "took longer than 0.5 s" in (result.error or "")
    row = read_table(tmp_path / "out", "pairs").to_pylist()[0]
    assert row["status"] == "failed" and row["old_sha256"] == loaded[0].sha256


def test_the_cli_default_task_timeout_is_the_documented_one() -> None:
    import inspect

    from policydiff.cli import batch_command

    batch_module = sys.modules["policydiff.batch"]

    assert inspect.signature(batch_command).parameters["task_timeout"].default == batch_module.TASK_TIMEOUT_S == 300
    assert "300 s" in (ROOT / "docs" / "batch.md").read_text(encoding="utf-8")
