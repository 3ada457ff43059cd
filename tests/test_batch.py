"""``policydiff batch``: a corpus to a Parquet change dataset, locally and on a Dask cluster, resumably.

The corpus: six consecutive State Council reports (1992–1998, one issuer) from the shared corpora plus
the three issuers of ``corpora/batch`` (a city and two counties, written for this project), with the
counties also compared against the city. The full 50-pair series is measured in ``bench/batch.py``.
"""

from __future__ import annotations

import csv
import functools
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from distributed import LocalCluster

import policydiff
from conftest import ROOT, SAMPLES
from policydiff.batch import TABLES, Entry, _doc_homes, plan_pairs, read_manifest, read_table
from policydiff.cli import main
from policydiff.model import InputError, OptionsError

BATCH = SAMPLES / "batch"
CITY = "江临市教育局"
REPORT_YEARS = (1992, 1993, 1994, 1995, 1997, 1998)
"""Six consecutive years of the series (there is no 1996 report), among its shortest texts."""
PAIRS = 5 + (1 + 2 + 1) + 4
"""Consecutive pairs: 5 of the reports, 1 + 2 + 1 of the samples; against the city: 2 counties × 2 years."""


def _manifest(path: Path, corpora: Path) -> Path:
    rows = [("国务院", y, str((corpora / "gov-work-report" / f"{y}.txt").resolve())) for y in REPORT_YEARS]
    rows += [(d.name, int(f.stem), os.path.relpath(f, path.parent)) for d in sorted(BATCH.iterdir()) if d.is_dir()
             for f in sorted(d.glob("*.txt"))]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["issuer", "year", "path"])
        w.writerows(rows)
    return path


@pytest.fixture(scope="module")
def local_run(corpora: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, policydiff.BatchSummary]:
    """The whole test corpus on 2 local worker processes (shared by the tests that compare with it)."""
    tmp = tmp_path_factory.mktemp("local")
    manifest = _manifest(tmp / "manifest.csv", corpora)
    out = tmp / "out"
    summary = policydiff.batch(manifest, out, workers=2, against=CITY)
    return manifest, out, summary


def _tables(out: Path) -> dict[str, list[dict[str, object]]]:
    return {t: read_table(out, t).to_pylist() for t in TABLES}


def test_local_run_writes_every_pair(local_run: tuple[Path, Path, policydiff.BatchSummary]) -> None:
    _, out, summary = local_run
    assert (summary.pairs, summary.done, summary.skipped, summary.failed) == (PAIRS, PAIRS, 0, 0)
    pairs = read_table(out, "pairs").to_pylist()
    assert len(pairs) == PAIRS and {p["status"] for p in pairs} == {"done"}
    against = sorted((p["issuer"], p["new_year"]) for p in pairs if p["relation"] == "against")
    assert against == [("白沙县教育局", 2022), ("白沙县教育局", 2023), ("青溪县教育局", 2022), ("青溪县教育局", 2023)]
    assert not (out / "_cache").exists()
    assert not [f for f in out.rglob(".*") if f.is_file() and f.name != ".policydiff.lock"], \
        "temporary files left behind"


def test_local_and_dask_outputs_are_identical(corpora: Path, tmp_path: Path,
                                               local_run: tuple[Path, Path, policydiff.BatchSummary]) -> None:
    manifest, local_out, _ = local_run
    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster:  # any free port: 8787 may be taken
        summary = policydiff.batch(manifest, out, cluster.scheduler_address, against=CITY)
        # An unreadable document on the cluster: recorded the same way as locally.
        bad = tmp_path / "bad"
        (bad / "白沙县教育局").mkdir(parents=True)
        (bad / "白沙县教育局" / "2021.txt").write_bytes(b"%PDF-1.7\n")
        (bad / "白沙县教育局" / "2022.txt").write_bytes((BATCH / "白沙县教育局" / "2022.txt").read_bytes())
        (bad / "白沙县教育局" / "2023.txt").write_bytes((BATCH / "白沙县教育局" / "2023.txt").read_bytes())
        remote_bad = policydiff.batch(bad, tmp_path / "bad-dask", cluster.scheduler_address)
    local_bad = policydiff.batch(bad, tmp_path / "bad-local", workers=2)
    assert (remote_bad.done, remote_bad.failed, remote_bad.documents_failed) == (1, 1, 1)
    assert _tables(tmp_path / "bad-dask") == _tables(tmp_path / "bad-local")
    assert (local_bad.done, local_bad.failed, local_bad.documents_failed) == (1, 1, 1)
    assert (summary.done, summary.failed) == (PAIRS, 0)
    local, remote = _tables(local_out), _tables(out)
    for table in TABLES:
        assert local[table], table
        assert local[table] == remote[table], table
    assert len(local["changes"]) > 100


def test_dataset_reads_in_duckdb_and_pandas(local_run: tuple[Path, Path, policydiff.BatchSummary]) -> None:
    _, out, _ = local_run
    con = duckdb.connect()
    counts = dict(con.execute(
        f"select issuer, count(*) from read_parquet('{out}/documents/*/*.parquet', hive_partitioning=true) "
        "group by issuer").fetchall())
    assert counts == {"国务院": 6, CITY: 2, "青溪县教育局": 3, "白沙县教育局": 2}
    # The question the dataset is for: which measures appear, in which county, in which year.
    added = con.execute(
        f"select issuer, new_year, new_titles[1] from read_parquet('{out}/changes/*/*.parquet', hive_partitioning=true)"
        " where kind = 'added' and level = 'measure' and old_issuer = issuer order by all").fetchall()
    assert ("青溪县教育局", 2023, "加强科学教育。") in added
    targets = con.execute(
        f"select old, new, old_value, new_value from read_parquet('{out}/numbers/*/*.parquet', hive_partitioning=true)"
        " where issuer = '青溪县教育局' and old_issuer = issuer and new_year = 2023 and subject like '%新教师%'").fetchall()
    assert targets == [("120名", "150名", 120.0, 150.0)]
    frame = pd.read_parquet(out / "phrases")
    assert {"issuer", "year", "text", "kind", "count"} <= set(frame.columns)
    assert ((frame["issuer"] == "青溪县教育局") & (frame["text"] == "“强教兴县”")).sum() == 2
    # Key phrases are new against the year before: none for an issuer's first year.
    key_years = set(frame[(frame["issuer"] == "国务院") & (frame["kind"] == "phrase")]["year"])
    assert key_years and min(key_years) > REPORT_YEARS[0]


def test_killed_run_resumes_with_the_rest(corpora: Path, tmp_path: Path,
                                          local_run: tuple[Path, Path, policydiff.BatchSummary]) -> None:
    manifest, local_out, _ = local_run
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", "from policydiff.cli import entry; entry()", "batch", str(manifest), "-o", str(out),
                             "--workers", "1", "--against", CITY, "--quiet"], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((out / "pairs").glob("*/*.parquet")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = len(read_table(out, "pairs"))
    assert 1 <= finished < PAIRS, "the run was not stopped half-way"
    summary = policydiff.batch(manifest, out, workers=1, against=CITY)
    assert (summary.skipped, summary.done, summary.failed) == (finished, PAIRS - finished, 0)
    assert _tables(out) == _tables(local_out)
    assert not (out / "_cache").exists()


def test_planned_stop_then_resume_and_recompute_on_change(tmp_path: Path) -> None:
    folder = tmp_path / "corpus"
    for d in BATCH.iterdir():
        if d.is_dir():
            (folder / d.name).mkdir(parents=True)
            for f in d.glob("*.txt"):
                (folder / d.name / f.name).write_bytes(f.read_bytes())
    out = tmp_path / "out"
    first = policydiff.batch(folder, out, workers=1, stop_after=2)
    assert (first.pairs, first.done) == (4, 2)
    second = policydiff.batch(folder, out, workers=1)
    assert (second.skipped, second.done) == (2, 2)
    # One document edited: only its two pairs are computed again.
    doc = folder / "青溪县教育局" / "2023.txt"
    doc.write_text(doc.read_text(encoding="utf-8").replace("150名", "160名"), encoding="utf-8")
    third = policydiff.batch(folder, out, workers=1)
    assert (third.skipped, third.done) == (2, 2)
    numbers = read_table(out, "numbers").to_pylist()
    assert any(n["new"] == "160名" and n["new_year"] == 2023 for n in numbers)
    # Another policydiff version recomputes everything.
    batch_module = sys.modules["policydiff.batch"]
    old_version = batch_module.VERSION  # type: ignore[attr-defined]
    try:
        batch_module.VERSION = "0+test"  # type: ignore[attr-defined]
        assert policydiff.batch(folder, out, workers=1).done == 4
    finally:
        batch_module.VERSION = old_version  # type: ignore[attr-defined]
    # A document dropped from the corpus takes its rows with it.
    (folder / "青溪县教育局" / "2024.txt").unlink()
    assert policydiff.batch(folder, out, workers=1).pairs == 3
    assert 2024 not in {r["year"] for r in read_table(out, "documents").to_pylist()}
    assert 2024 not in {r["new_year"] for r in read_table(out, "changes").to_pylist()}


def test_unreadable_documents_are_recorded_and_never_stop_the_batch(tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "2021.txt").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    (bad / "2022.txt").write_text("一、\n（一）（二）1.\n“" * 200 + "\u202e\ufeff\x1b[31m一、总则", encoding="utf-8")
    (bad / "2023.txt").write_bytes(b"")
    extra = [("坏数据", 2021, str(bad / "2021.txt")), ("坏数据", 2022, str(bad / "2022.txt")),
             ("坏数据", 2023, str(bad / "2023.txt")), ("坏数据", 2024, str(bad / "missing.txt"))]
    manifest = tmp_path / "m.csv"
    with manifest.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["issuer", "year", "path", "title"])
        w.writerows([(*row, "") for row in extra])
        w.writerows((d.name, int(f.stem), str(f), "") for d in sorted(BATCH.iterdir()) if d.is_dir()
                    for f in sorted(d.glob("*.txt")))
    out = tmp_path / "out"
    assert main(["batch", str(manifest), "-o", str(out), "--workers", "1", "--quiet"]) == 1
    assert "3 of 11 documents unreadable" in capsys.readouterr().out
    docs = {r["year"]: r for r in read_table(out, "documents").to_pylist() if r["issuer"] == "坏数据"}
    assert "PDF" in docs[2021]["error"] and "empty" in docs[2023]["error"] and "no such file" in docs[2024]["error"]
    assert docs[2022]["error"] is None and docs[2022]["nodes"] > 0, "a hostile text still parses"
    pairs = read_table(out, "pairs").to_pylist()
    assert sorted((p["new_year"], p["status"]) for p in pairs if p["issuer"] == "坏数据") == [
        (2022, "failed"), (2023, "failed"), (2024, "failed")]
    assert sorted((p["issuer"], p["new_year"]) for p in pairs if p["status"] == "done") == [
        ("江临市教育局", 2023), ("白沙县教育局", 2023), ("青溪县教育局", 2023), ("青溪县教育局", 2024)]


def test_a_document_that_kills_its_worker_process_is_recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    batch_module = sys.modules["policydiff.batch"]
    real_parse = batch_module.document_of  # type: ignore[attr-defined]

    def deadly_parse(src: Any, *args: object) -> object:
        if "致命" in src.text:
            os._exit(1)  # what a segfault in a parser library or the out-of-memory killer does to a worker
        return real_parse(src, *args)

    # Forked workers inherit the patched parser.
    monkeypatch.setattr(batch_module, "document_of", deadly_parse)
    monkeypatch.setattr(sys.modules["policydiff.executor"], "start_method", lambda: "fork")
    folder = tmp_path / "corpus"
    (folder / "某县").mkdir(parents=True)
    (folder / "某县" / "2022.txt").write_text("一、总则\n1.致命的文档。\n", encoding="utf-8")
    (folder / "某县" / "2023.txt").write_text("一、总则\n1.普通的文档。\n", encoding="utf-8")
    (folder / "某县" / "2024.txt").write_text("一、总则\n1.普通的文档。再加一句。\n", encoding="utf-8")
    (folder / "白沙县教育局").mkdir()
    for f in (BATCH / "白沙县教育局").glob("*.txt"):
        (folder / "白沙县教育局" / f.name).write_bytes(f.read_bytes())
    summary = policydiff.batch(folder, tmp_path / "out", workers=2)
    assert (summary.pairs, summary.done, summary.failed, summary.documents_failed) == (3, 2, 1, 1)
    docs = {(r["issuer"], r["year"]): r for r in read_table(tmp_path / "out", "documents").to_pylist()}
    assert "worker process died" in docs[("某县", 2022)]["error"]
    assert docs[("某县", 2023)]["error"] is None
    pairs = {(r["issuer"], r["new_year"]): r["status"] for r in read_table(tmp_path / "out", "pairs").to_pylist()}
    assert pairs == {("某县", 2023): "failed", ("某县", 2024): "done", ("白沙县教育局", 2023): "done"}


def test_a_pair_that_kills_its_worker_in_a_run_is_recorded_alone(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs go to the local workers in runs; when one kills its worker, the run's pairs are tried again one
    at a time and only the culprit is recorded as failed."""
    batch_module = sys.modules["policydiff.batch"]
    real_compare = batch_module.compare  # type: ignore[attr-defined]

    def deadly_compare(old: policydiff.Document, new: policydiff.Document, *args: object) -> object:
        if "致命" in new.text:
            os._exit(1)
        return real_compare(old, new, *args)

    monkeypatch.setattr(batch_module, "compare", deadly_compare)
    monkeypatch.setattr(sys.modules["policydiff.executor"], "start_method", lambda: "fork")
    monkeypatch.setattr(batch_module, "RUNS_PER_WORKER", 1)  # 6 pairs on 2 workers: runs of 3, 2 and 1
    folder = tmp_path / "corpus"
    (folder / "某县").mkdir(parents=True)
    for year, text in ((2019, "普通的文档。"), (2020, "普通的文档。再加一句。"), (2021, "致命的文档。"),
                       (2022, "普通的文档。又加一句。"), (2023, "普通的文档。还加一句。"), (2024, "普通的文档。")):
        (folder / "某县" / f"{year}.txt").write_text(f"一、总则\n1.{text}\n", encoding="utf-8")
    (folder / "白沙县教育局").mkdir()
    for f in (BATCH / "白沙县教育局").glob("*.txt"):
        (folder / "白沙县教育局" / f.name).write_bytes(f.read_bytes())
    summary = policydiff.batch(folder, tmp_path / "out", workers=2)
    pairs = {(r["issuer"], r["new_year"]): (r["status"], r["error"])
             for r in read_table(tmp_path / "out", "pairs").to_pylist()}
    # the deadly pair (2020 → 2021) is in the first run, of three pairs: the other two must not fail with it
    assert {k: v[0] for k, v in pairs.items()} == {
        ("某县", 2020): "done", ("某县", 2021): "failed", ("某县", 2022): "done", ("某县", 2023): "done",
        ("某县", 2024): "done", ("白沙县教育局", 2023): "done"}
    assert "worker process died" in (pairs[("某县", 2021)][1] or "")
    assert (summary.done, summary.failed, summary.documents_failed) == (5, 1, 0)


def test_manifests_and_plans(tmp_path: Path) -> None:
    entries = read_manifest(BATCH)
    assert [(e.issuer, e.year) for e in entries][:2] == [(CITY, 2022), (CITY, 2023)]
    parquet = tmp_path / "m.parquet"
    pd.DataFrame({"issuer": [e.issuer for e in entries], "year": [e.year for e in entries],
                  "path": [e.source for e in entries]}).to_parquet(parquet)
    assert read_manifest(parquet) == entries
    plan = plan_pairs(entries, against=CITY)
    assert sorted(p.name for p in plan if p.issuer == "青溪县教育局") == [
        "2022-2023", "2022-against-江临市教育局", "2023-2024", "2023-against-江临市教育局"]
    with pytest.raises(OptionsError, match="no such issuer"):
        plan_pairs(entries, against="某县")
    for text, reason in [("issuer,path\nA,a.txt\n", "needs columns"), ("issuer,year,path\nA,二〇二一,a.txt\n",
                                                                       "not a number"),
                         ("issuer,year,path\nA,2021,a.txt\nA,2021,b.txt\n", "listed twice")]:
        bad = tmp_path / "bad.csv"
        bad.write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match=reason):
            read_manifest(bad)


def test_documents_of_neighbouring_pairs_are_placed_on_one_worker() -> None:
    """On Dask a pair runs where its documents are: the pairs cut into one run per worker (by threads), each
    document on the worker of its first pair, so that only the pair at a cut has its documents apart."""
    chain = plan_pairs([Entry(issuer="县", year=y, source=f"{y}.txt") for y in range(2000, 2011)])
    homes = _doc_homes(chain, {"tcp://b:1": 1, "tcp://a:1": 1})
    assert [homes[("县", y)] for y in range(2000, 2011)] == ["tcp://a:1"] * 6 + ["tcp://b:1"] * 5
    apart = [p.name for p in chain if homes[p.old.key] != homes[p.new.key]]
    assert apart == ["2005-2006"]
    # A worker with three threads takes three quarters of the pairs.
    homes = _doc_homes(chain, {"tcp://a:1": 1, "tcp://b:1": 3})
    assert sum(homes[p.new.key] == "tcp://b:1" for p in chain) == 7
    # With the reference issuer's documents shared by several issuers, every document still has one worker.
    entries = read_manifest(BATCH)
    plan = plan_pairs(entries, against=CITY)
    homes = _doc_homes(plan, {"tcp://a:1": 2, "tcp://b:1": 2, "tcp://c:1": 2})
    assert set(homes) == {k for p in plan for k in (p.old.key, p.new.key)}
    assert set(homes.values()) == {"tcp://a:1", "tcp://b:1", "tcp://c:1"}
    assert _doc_homes(plan, {}) == {}


def test_urls_in_the_manifest_and_progress_on_stderr(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Documents given by URL are downloaded by the worker (a server on 127.0.0.1 stands for a government site,
    allowed through POLICYDIFF_ALLOW_PRIVATE; without it the loopback address is refused, see below)."""
    monkeypatch.setenv("POLICYDIFF_ALLOW_PRIVATE", "1")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(BATCH / "白沙县教育局"))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        manifest = tmp_path / "m.csv"
        manifest.write_text(f"issuer,year,url\n白沙,2022,{base}/2022.txt\n白沙,2023,{base}/2023.txt\n"
                            f"白沙,2024,{base}/2024.txt\n", encoding="utf-8")
        try:
            code = main(["batch", str(manifest), "-o", str(tmp_path / "out"), "--workers", "1"])
        finally:
            server.shutdown()
    assert code == 1
    captured = capsys.readouterr()
    assert "3 pairs" not in captured.out and "2 pairs: 1 done, 0 skipped, 1 failed" in captured.out
    assert "policydiff batch: 2/2 pairs (0 skipped, 1 failed)" in captured.err and "finished" in captured.err
    docs = {r["year"]: r for r in read_table(tmp_path / "out", "documents").to_pylist()}
    assert docs[2022]["error"] is None and docs[2022]["path"] == f"{base}/2022.txt" and docs[2022]["measures"] == 7
    assert "404" in docs[2024]["error"]


def test_manifest_urls_reach_public_addresses_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A manifest's URL to a loopback address is refused by default (server-side request forgery)."""
    monkeypatch.delenv("POLICYDIFF_ALLOW_PRIVATE", raising=False)
    manifest = tmp_path / "m.csv"
    manifest.write_text("issuer,year,url\n白沙,2022,http://127.0.0.1:9/2022.txt\n"
                        "白沙,2023,http://127.0.0.1:9/2023.txt\n", encoding="utf-8")
    assert main(["batch", str(manifest), "-o", str(tmp_path / "out"), "--workers", "1"]) == 1
    docs = read_table(tmp_path / "out", "documents").to_pylist()
    assert docs and all((d["error"] and "private" in d["error"].lower()) or "loopback" in (d["error"] or "").lower()
                        for d in docs), docs


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["batch", str(tmp_path / "none.csv"), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("policydiff: error: ") and err.count("\n") == 1 and "no such manifest" in err
    assert main(["batch", str(BATCH), "-o", str(tmp_path / "out"), "--against", "某县"]) == 2
    assert "no such issuer" in capsys.readouterr().err
