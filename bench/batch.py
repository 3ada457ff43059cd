"""`policydiff batch` on the 50 consecutive pairs of the 1954–2024 reports: 1 process vs 2 local processes
vs a 2-worker Dask LocalCluster, as speed-ups against the 1-process run of this same bench; then a re-run
over the finished dataset (every pair skipped), the cost of resuming. Figures for `docs/scaling.md`.

Every engine starts with policydiff imported and nothing of the corpus computed: the 2 local processes run
before the 1-process run, since they fork from this process and would otherwise inherit the caches
(``functools.lru_cache`` of sentences) that the 1-process run filled with the whole corpus."""

from __future__ import annotations

import concurrent.futures as cf
import csv
import importlib
import multiprocessing
import os
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import policydiff
from _common import corpora, peak_mb

TARGET = 1.7
"""The issue's target speed-up of 2 workers over 1 on a 2-core machine."""

WORKER_CONFIG = {"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
                 "distributed.worker.profile.enabled": False}
"""The worker settings ``docs/scaling.md`` recommends for policydiff. Dask's nannies start workers with
``MALLOC_TRIM_THRESHOLD_=65536``, which also fixes glibc's mmap threshold at 128 kB: every larger allocation
is then mapped and unmapped afresh, and a comparison spends 7–8 % more CPU in page faults. The profiler
samples the worker's task thread every 10 ms, 2–3 % of a core for a dashboard page. The bench runs the
cluster with these settings and with Dask's defaults."""


SPIN = 3_000_000
"""Iterations of the calibration loop: about half a second of pure Python on this machine, long enough to
see the scheduler share cores, short enough to run before and after the batch runs."""


def _spin(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def _ceiling() -> float:
    """The machine's own 2-process speed-up right now, on pure CPU work with nothing shared: what other
    programs leave of the second core. Ours is read against it."""
    with cf.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        list(pool.map(_spin, [1000, 1000]))  # start the workers outside the timing
        t = time.perf_counter()
        list(pool.map(_spin, [SPIN, SPIN]))
        parallel = time.perf_counter() - t
    t = time.perf_counter()
    _spin(SPIN)
    _spin(SPIN)
    return (time.perf_counter() - t) / parallel


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _dask(manifest: Path, out: Path, config: dict[str, Any]) -> tuple[float, float, float, float]:
    """One batch on a fresh 2-worker LocalCluster started with ``config``: wall seconds, CPU seconds of the
    workers and of this process (scheduler, nannies, client), and the cluster's start-up seconds."""
    import dask
    from distributed import Client, LocalCluster

    # A nanny leaves its pre-spawn variables in this process's environment, where the next cluster's
    # workers would inherit them whatever that cluster's config says.
    saved = {k: os.environ.get(k) for k in ("MALLOC_TRIM_THRESHOLD_",)}
    started = time.perf_counter()
    try:
        with dask.config.set(config), LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                                   host="127.0.0.1", dashboard_address=":0") as cluster, \
                Client(cluster) as client:
            # A cluster is long-lived: its workers import policydiff once, not per batch.
            client.run(importlib.import_module, "policydiff.batch")
            client.run(importlib.import_module, "pyarrow.parquet")  # imported by a long-lived worker's first batch
            startup = time.perf_counter() - started
            workers = sum(client.run(_cpu_seconds).values())
            here = _cpu_seconds()
            summary = policydiff.batch(manifest, out, cluster.scheduler_address)
            here = _cpu_seconds() - here
            workers = sum(client.run(_cpu_seconds).values()) - workers
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    assert summary.done == summary.pairs and summary.failed == 0, summary
    return summary.seconds, workers, here, startup


def main() -> None:
    files = sorted((corpora() / "gov-work-report").glob("*.txt"))
    with tempfile.TemporaryDirectory(prefix="policydiff-bench-") as tmp:
        manifest = Path(tmp) / "manifest.csv"
        with manifest.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["issuer", "year", "path"])
            w.writerows(("国务院", f.stem, str(f.resolve())) for f in files)  # make passes a relative folder
        pairs = len(files) - 1

        cpu: dict[str, float] = {}

        def run(name: str, workers: int) -> float:
            out = Path(tmp) / name
            before = os.times()
            summary = policydiff.batch(manifest, out, workers=workers)
            after = os.times()
            cpu[name] = sum(after[:4]) - sum(before[:4])  # this process and its reaped worker processes
            if summary.failed:
                from policydiff.batch import read_table
                errors = {r["error"] for r in read_table(out, "documents").to_pylist() if r["error"]}
                errors |= {r["error"] for r in read_table(out, "pairs").to_pylist() if r["error"]}
                raise SystemExit(f"batch bench: {summary.failed} pairs failed: {sorted(errors)[:3]}")
            assert summary.done == pairs, summary
            return summary.seconds

        before_ceiling = _ceiling()
        local = run("local", workers=2)  # first: see the module's docstring
        serial = run("one", workers=1)
        after_ceiling = _ceiling()
        dask, cpu["dask"], client_cpu, startup = _dask(manifest, Path(tmp) / "dask", WORKER_CONFIG)
        plain, cpu["plain"], plain_client_cpu, _ = _dask(manifest, Path(tmp) / "plain", {})
        resume = policydiff.batch(manifest, Path(tmp) / "local", workers=2)
        assert resume.skipped == pairs and resume.done == 0
        size = sum(f.stat().st_size for f in (Path(tmp) / "local").rglob("*.parquet"))
    cores = os.cpu_count()
    print(f"batch: {pairs} pairs on {cores} cores; 1 process {serial:.1f} s ({serial / pairs:.2f} s/pair)")
    print(f"batch: 2 local processes {local:.1f} s, speed-up {serial / local:.2f}x (target >= {TARGET}x); "
          f"CPU {cpu['local']:.1f} s vs {cpu['one']:.1f} s in 1 process ({cpu['local'] / cpu['one']:.2f}x: the "
          f"work added by running in parallel; the rest of any shortfall is cores taken by other programs)")
    print(f"batch: load average during the bench {os.getloadavg()[0]:.1f} on {cores} cores; the machine's own "
          f"2-process speed-up on a pure CPU loop {before_ceiling:.2f}x before, {after_ceiling:.2f}x after these runs")
    print(f"batch: 2-worker Dask LocalCluster, workers set up as docs/scaling.md says {dask:.1f} s, "
          f"speed-up {serial / dask:.2f}x (target >= {TARGET}x; cluster start and worker imports {startup:.1f} s, "
          f"not counted); CPU of the workers {cpu['dask']:.1f} s ({cpu['dask'] / cpu['one']:.2f}x the 1-process "
          f"run's), of the scheduler, nannies and client {client_cpu:.1f} s")
    print(f"batch: the same with Dask's default worker settings {plain:.1f} s, speed-up {serial / plain:.2f}x; CPU "
          f"of the workers {cpu['plain']:.1f} s ({cpu['plain'] / cpu['one']:.2f}x), of the scheduler, nannies and "
          f"client {plain_client_cpu:.1f} s")
    print(f"batch: re-run with every pair done: {resume.seconds:.2f} s ({resume.seconds / serial:.3f}x the 1-process "
          f"run); dataset {size / 1e6:.1f} MB ({size / pairs / 1e3:.0f} kB/pair); peak memory {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
