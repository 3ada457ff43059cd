"""Full comparison of the 2021 → 2022 reports against diff-match-patch and difflib on the whole texts
(measured in the same run), then every consecutive pair of the 1954–2024 series; peak memory.

``--memory``: instead, one series under ``tracemalloc``: what is still allocated after it (documents kept,
caches) by the line that allocated it, and the peak (several times slower; no timings)."""

from __future__ import annotations

import difflib
import gc
import importlib
import itertools
import linecache
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from diff_match_patch import diff_match_patch

import policydiff
from _common import best_cpu, best_of, corpora, peak_mb
from policydiff.text import normalize

COMPARE_FLOOR_RATIO = 10
"""Issue 22's target: one comparison within 10x the least any comparison does (``floor``)."""


def floor(paths: list[Path]) -> int:
    """The least a comparison does (issue 22): read both texts, normalise them, and make their sets of
    bigrams with numpy (code points packed in one integer)."""
    total = 0
    for p in paths:
        text = normalize(p.read_text(encoding="utf-8"))
        codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        total += len(np.unique((codes[:-1] << np.uint64(32)) | codes[1:]))
    return total


def main() -> None:
    folder = corpora() / "gov-work-report"
    a, b = policydiff.read(folder / "2021.txt"), policydiff.read(folder / "2022.txt")
    fl = best_cpu(5, lambda: floor([folder / "2021.txt", folder / "2022.txt"]))
    policydiff.compare(a, b)  # the first comparison pays imports (scipy, jieba's dictionary) once
    cpu = best_cpu(3, lambda: policydiff.compare(a, b))
    print(f"compare 2021→2022 CPU: {cpu * 1000:.0f} ms; numpy floor (read, normalise, bigram both) {fl * 1000:.1f} ms; "
          f"{cpu / fl:.1f}x the floor (target ≤ {COMPARE_FLOOR_RATIO}x: "
          f"{'ok' if cpu / fl <= COMPARE_FLOOR_RATIO else 'MISSED'}); warm per-document memos, as in a series")
    align_mod, terms_mod = importlib.import_module("policydiff.align"), importlib.import_module("policydiff.terms")
    al = best_cpu(3, lambda: align_mod.align(a, b, align_mod.AlignOptions()))
    te = best_cpu(3, lambda: terms_mod.term_changes(a, b, ()))
    rest = max(cpu - al - te, 0.0)
    print(f"  of which (best of 3 each) the aligner {al * 1000:.0f} ms ({al / fl:.1f}x the floor), terms "
          f"{te * 1000:.0f} ms ({te / fl:.1f}x), the rest (commitments, inline diffs, numbers, strength) "
          f"{rest * 1000:.0f} ms ({rest / fl:.1f}x)")
    ours, _ = best_of(3, lambda: policydiff.compare(a, b))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    dmp_t, _ = best_of(1, lambda: dmp.diff_main(a.text, b.text))
    dl_t, _ = best_of(1, lambda: list(difflib.SequenceMatcher(None, a.text.splitlines(),
                                                              b.text.splitlines()).get_opcodes()))
    print(f"compare 2021→2022: {ours:.3f} s (target < 0.25 s); diff-match-patch whole text {dmp_t:.3f} s "
          f"({dmp_t / ours:.0f}x our time); difflib on lines {dl_t:.4f} s (our time {ours / dl_t:.0f}x it)")
    files = sorted(folder.glob("*.txt"))

    series_cpu: list[float] = []

    def series() -> tuple[float, int]:
        """One run on freshly read documents (per-document memos start empty, as in a first run)."""
        gc.collect()  # the previous run's documents and comparisons go before this run's come
        docs = [policydiff.read(f) for f in files]
        start, start_cpu = time.perf_counter(), time.process_time()
        changes = sum(len(policydiff.compare(x, y).changes) for x, y in itertools.pairwise(docs))
        series_cpu.append(time.process_time() - start_cpu)
        return time.perf_counter() - start, changes

    # the better of two cold runs, like the single pair's best of three: on this shared VM one run can lose
    # 10-20 % to its neighbours (the diff-match-patch baseline varies as much between runs of one day)
    runs = [series()]
    first_peak = peak_mb()  # one series' peak: the second run adds the first one's freed but fragmented heap
    runs.append(series())
    total, changes = min(runs)
    print(f"series: {len(files) - 1} consecutive pairs, {changes} changes in {total:.2f} s, the better of two cold "
          f"runs ({' and '.join(f'{t:.2f}' for t, _ in runs)} s; target < 10 s); "
          f"per pair {total / (len(files) - 1):.3f} s ({total / (len(files) - 1) / ours:.1f}x the 2021→2022 pair, "
          f"{dmp_t / total:.1f}x faster than diff-match-patch on one pair's whole texts)")
    print(f"series CPU: {min(series_cpu):.2f} s, the better of two cold runs (target ≤ 4 s: "
          f"{'ok' if min(series_cpu) <= 4 else 'MISSED'})")
    verdict = "ok" if first_peak <= 200 else "MISSED"
    print(f"peak memory: {first_peak:.0f} MB after one series (target ≤ 200 MB: {verdict}), "
          f"{peak_mb():.0f} MB after both")


def memory(top: int = 15) -> None:
    """One series of freshly read documents under ``tracemalloc`` (after a first comparison has paid the
    imports): what stays allocated after it, by the line that allocated it, and the traced peak."""
    folder = corpora() / "gov-work-report"
    files = sorted(folder.glob("*.txt"))
    policydiff.compare(policydiff.read(folder / "2021.txt"), policydiff.read(folder / "2022.txt"))
    gc.collect()
    tracemalloc.start()
    docs = [policydiff.read(f) for f in files]
    read_mb = tracemalloc.get_traced_memory()[0] / 2**20
    for x, y in itertools.pairwise(docs):
        policydiff.compare(x, y)
    gc.collect()
    current, peak = (v / 2**20 for v in tracemalloc.get_traced_memory())
    snapshot = tracemalloc.take_snapshot().filter_traces([tracemalloc.Filter(True, "*/policydiff/*")])
    tracemalloc.stop()
    print(f"traced during one series of {len(files) - 1} pairs (allocations since the first comparison): "
          f"{read_mb:.0f} MB after reading the documents, {current:.0f} MB after the series (documents still "
          f"held), peak {peak:.0f} MB; peak RSS {peak_mb():.0f} MB")
    print(f"still allocated, by line of policydiff (top {top}):")
    for stat in snapshot.statistics("lineno")[:top]:
        frame = stat.traceback[0]
        line = linecache.getline(frame.filename, frame.lineno).strip()
        print(f"  {stat.size / 2**20:6.1f} MB {stat.count:8d} blocks  {frame.filename.split('/policydiff/')[-1]}:"
              f"{frame.lineno}  {line[:70]}")
    caches = [(f"{name.removeprefix('policydiff.')}.{attr}", fn.cache_info())
              for name, mod in sorted(sys.modules.items()) if name.startswith("policydiff")
              for attr, fn in sorted(vars(mod).items())
              if callable(getattr(fn, "cache_info", None)) and getattr(fn, "__module__", None) == name]
    print("functools caches of policydiff (entries / bound): " + ", ".join(
        f"{label} {info.currsize}/{info.maxsize}" for label, info in caches if info.currsize))


if __name__ == "__main__":
    memory() if "--memory" in sys.argv[1:] else main()
