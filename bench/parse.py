"""Parse the whole gov-work-report folder; chars/s, against reading the files alone (the baseline)."""

from __future__ import annotations

import policydiff
from _common import best_of, corpora
from policydiff.sources import read_source


def main() -> None:
    files = sorted((corpora() / "gov-work-report").glob("*.txt"))
    read_t, texts = best_of(3, lambda: [read_source(f) for f in files])
    parse_t, _ = best_of(3, lambda: [policydiff.read(f) for f in files])
    chars = sum(len(s.text) for s in texts)
    print(f"parse: {len(files)} files, {chars} chars in {parse_t:.3f} s = {chars / parse_t:,.0f} chars/s "
          f"(target < 2 s); reading alone {read_t:.3f} s, parse/read ratio {parse_t / read_t:.1f}x")


if __name__ == "__main__":
    main()
