"""One pipeline under diff, timeline and batch (issue 22, point 3): one ``load`` with the input limits,
one executor for local processes or Dask."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

import policydiff
from policydiff import limits
from policydiff.batch import read_table
from policydiff.executor import Executor, InlineExecutor
from policydiff.model import InputError, OptionsError
from policydiff.timeline import timeline

ROOT = Path(__file__).parent.parent
SERIES = ROOT / "corpora" / "series"
SRC = ROOT / "src" / "policydiff"


@pytest.fixture(scope="module")
def too_many_lines(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A text over ``MAX_LINES`` (30 001 short headings, about 400 kB): refused before parsing."""
    path = tmp_path_factory.mktemp("limits") / "2024.txt"
    path.write_text("".join(f"{i % 9 + 1}、标题{i}\n" for i in range(limits.MAX_LINES + 1)), encoding="utf-8")
    return path


def test_read_timeline_and_batch_refuse_the_same_input_over_the_limits(too_many_lines: Path,
                                                                      tmp_path: Path) -> None:
    """Before, only ``read`` applied the limits: timeline and batch parsed such a file anyway."""
    with pytest.raises(InputError) as by_read:
        policydiff.read(too_many_lines)
    assert "lines of text" in str(by_read.value)
    with pytest.raises(InputError) as by_timeline:
        timeline([*sorted(SERIES.glob("*.txt")), too_many_lines], jobs=1)
    assert str(by_timeline.value) == str(by_read.value)
    corpus = tmp_path / "corpus" / "某县"
    corpus.mkdir(parents=True)
    shutil.copy(SERIES / "2023.txt", corpus / "2023.txt")
    shutil.copy(too_many_lines, corpus / "2024.txt")
    summary = policydiff.batch(tmp_path / "corpus", tmp_path / "out", workers=1)
    assert summary.documents_failed == 1 and summary.failed == 1
    row = next(r for r in read_table(tmp_path / "out", "documents").to_pylist() if r["year"] == 2024)
    assert row["error"] is not None and "lines of text" in row["error"] and row["sha256"], row


def test_no_stage_parses_a_document_but_the_pipeline() -> None:
    """``structure.parse`` and ``anatomy.annotate`` are called only by the pipeline (and ``policydiff.parse``,
    which parses text the caller holds): every document from a file goes through ``pipeline.load``."""
    for name in ("timeline.py", "batch.py", "cli.py"):
        tree = ast.parse((SRC / name).read_text(encoding="utf-8"))
        imported = {(node.module, alias.name) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    for alias in node.names}
        assert not {("structure", "parse"), ("anatomy", "annotate"), ("sources", "read_source")} & {
            (m.lstrip("."), n) for m, n in imported if m} - ({("sources", "read_source")}
                                                             if name == "timeline.py" else set()), name


def test_executor_runs_here_in_processes_and_says_what_is_wrong() -> None:
    with Executor(1) as one:
        assert isinstance(one.pool, InlineExecutor) and not one.parallel
        assert [f.result() for f in one.as_completed([one.submit(pow, 2, 5)])] == [32]
    with Executor(2) as two:
        assert two.parallel
        assert sorted(f.result() for f in two.as_completed([two.submit(pow, 2, k) for k in range(3)])) == [1, 2, 4]
    with pytest.raises(OptionsError, match="at least 1"):
        Executor(0)


def test_timeline_on_dask_equals_local(tmp_path: Path) -> None:
    """The timeline's comparisons on a Dask cluster (the batch's engine) give the same timeline."""
    from distributed import LocalCluster

    files = sorted(SERIES.glob("*.txt"))
    local = timeline(files, jobs=1)
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0") as cluster:
        on_dask = timeline(files, scheduler=cluster.scheduler_address)
    assert on_dask == local
