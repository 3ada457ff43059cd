"""Facts on the real corpus: rjieba against jieba (the alternative segmenter, when installed) on all the
reports, and the cost of numbers, terms and strength against the whole 2021 → 2022 comparison, all
measured in the same run."""

from __future__ import annotations

import importlib
import itertools
import time

import rjieba

import policydiff
from _common import best_of, corpora
from policydiff.model import Document
from policydiff.numbers import document_quantities
from policydiff.strength import strength_shifts
from policydiff.terms import term_changes


def main() -> None:
    folder = corpora() / "gov-work-report"
    files = sorted(folder.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    chars = sum(map(len, texts))
    ours, cuts = best_of(1, lambda: [rjieba.cut(t) for t in texts])
    try:
        jieba = importlib.import_module("jieba")
    except ImportError:
        print(f"segment {len(texts)} reports ({chars} chars): rjieba {ours:.2f} s; jieba not installed "
              "(pip install jieba to compare)")
    else:
        jieba.setLogLevel(60)
        t = time.perf_counter()
        jieba.initialize()
        init = time.perf_counter() - t
        theirs, jcuts = best_of(1, lambda: [jieba.lcut(x) for x in texts])
        same = sum(1 for a, b in zip(cuts, jcuts, strict=True) if a == b)
        print(f"segment {len(texts)} reports ({chars} chars): rjieba {ours:.2f} s, jieba {theirs:.2f} s "
              f"+ {init:.2f} s dictionary load ({(theirs + init) / ours:.0f}x ours); identical on {same} of "
              f"{len(texts)} reports")

    docs = [Document(path=str(f), text=t) for f, t in zip(files, texts, strict=True)]
    terms_t, _ = best_of(1, lambda: [term_changes(a, b) for a, b in itertools.pairwise(docs)])
    print(f"terms over {len(docs) - 1} consecutive pairs: {terms_t:.2f} s (test budget 20 s)")

    a, b = policydiff.read(folder / "2021.txt"), policydiff.read(folder / "2022.txt")
    full, cmp = best_of(3, lambda: policydiff.compare(a, b))
    q_t, qs = best_of(3, lambda: document_quantities(a) + document_quantities(b))
    s_t, _ = best_of(3, lambda: strength_shifts(cmp.changes))
    print(f"2021→2022: compare {full:.3f} s; quantities of both ({len(qs)}) {q_t:.3f} s "
          f"({q_t / full:.0%} of it), strength {s_t:.3f} s ({s_t / full:.0%})")


if __name__ == "__main__":
    main()
