"""Full comparison of the 2021 → 2022 reports against diff-match-patch and difflib on the whole texts
(measured in the same run), then every consecutive pair of the 1954–2024 series; peak memory."""

from __future__ import annotations

import difflib
import itertools

from diff_match_patch import diff_match_patch

import policydiff
from _common import best_of, corpora, peak_mb


def main() -> None:
    folder = corpora() / "gov-work-report"
    a, b = policydiff.read(folder / "2021.txt"), policydiff.read(folder / "2022.txt")
    ours, _ = best_of(3, lambda: policydiff.compare(a, b))
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    dmp_t, _ = best_of(1, lambda: dmp.diff_main(a.text, b.text))
    dl_t, _ = best_of(1, lambda: list(difflib.SequenceMatcher(None, a.text.splitlines(),
                                                              b.text.splitlines()).get_opcodes()))
    print(f"compare 2021→2022: {ours:.3f} s (target < 0.25 s); diff-match-patch whole text {dmp_t:.3f} s "
          f"({dmp_t / ours:.0f}x our time); difflib on lines {dl_t:.4f} s (our time {ours / dl_t:.0f}x it)")
    files = sorted(folder.glob("*.txt"))
    docs = [policydiff.read(f) for f in files]

    def series() -> int:
        return sum(len(policydiff.compare(x, y).changes) for x, y in itertools.pairwise(docs))

    total, changes = best_of(1, series)
    print(f"series: {len(files) - 1} consecutive pairs, {changes} changes in {total:.2f} s (target < 10 s); "
          f"per pair {total / (len(files) - 1):.3f} s ({total / (len(files) - 1) / ours:.1f}x the 2021→2022 pair, "
          f"{dmp_t / total:.1f}x faster than diff-match-patch on one pair's whole texts)")
    print(f"peak memory: {peak_mb():.0f} MB (target < 300 MB)")


if __name__ == "__main__":
    main()
