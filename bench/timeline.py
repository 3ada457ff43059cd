"""`policydiff timeline` on the whole State Council series (51 reports, 1954–2024): cold with 2 jobs, warm
with one added year (only the new pair is computed), warm unchanged; each as a ratio against running the
pairwise comparisons one by one (read + compare of every consecutive pair, as N−1 `policydiff diff` runs
would) in the same run."""

from __future__ import annotations

import itertools
import os
import resource
import tempfile
import time
from pathlib import Path

import policydiff
from _common import corpora, peak_mb
from policydiff.timeline import RunStats, collect_paths, timeline

JOBS = 2
"""The acceptance machine has two cores."""


def cpu() -> float:
    """CPU seconds of this process and its finished workers: on a shared machine wall time alone says little."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    files = collect_paths([corpora() / "gov-work-report"])
    t, c = time.perf_counter(), cpu()
    docs = [policydiff.read(f) for f in files]
    for a, b in itertools.pairwise(docs):
        policydiff.compare(a, b)
    one_by_one = time.perf_counter() - t
    print(f"one by one: {len(files)} documents, {len(files) - 1} pairwise diffs in {one_by_one:.2f} s, "
          f"{cpu() - c:.1f} CPU s")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        stats: list[RunStats] = []
        t, c = time.perf_counter(), cpu()
        timeline(files, jobs=JOBS, cache_dir=cache / "cold", stats=stats)
        cold, cold_cpu = time.perf_counter() - t, cpu() - c
        print(f"timeline cold, {JOBS} jobs: {cold:.2f} s (target < 20 s), {cold_cpu:.1f} CPU s; "
              f"{one_by_one / cold:.1f}x faster than one by one; {stats[-1]}; load average {os.getloadavg()[0]:.1f}")
        timeline(files[:-1], jobs=JOBS, cache_dir=cache / "warm")
        t = time.perf_counter()
        timeline(files, jobs=JOBS, cache_dir=cache / "warm", stats=stats)
        added = time.perf_counter() - t
        print(f"timeline warm + {files[-1].name}: {added:.2f} s; {one_by_one / added:.0f}x faster than one by one; "
              f"{stats[-1]} (target: 1 pair computed)")
        t = time.perf_counter()
        timeline(files, jobs=JOBS, cache_dir=cache / "warm", stats=stats)
        same = time.perf_counter() - t
        print(f"timeline warm, unchanged: {same:.2f} s; {one_by_one / same:.0f}x faster than one by one; {stats[-1]}")
    print(f"peak memory of this process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
