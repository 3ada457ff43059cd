"""Rendering the 2021 → 2022 comparison: HTML against JSON (the baseline) and terminal."""

from __future__ import annotations

import policydiff
from _common import best_of, corpora
from policydiff.render import html, terminal
from policydiff.render import json as json_render


def main() -> None:
    folder = corpora() / "gov-work-report"
    cmp = policydiff.compare(policydiff.read(folder / "2021.txt"), policydiff.read(folder / "2022.txt"))
    j, _ = best_of(3, lambda: json_render.render_comparison(cmp))
    h, page = best_of(3, lambda: html.render_comparison(cmp))
    t, _ = best_of(3, lambda: terminal.render_comparison(cmp))
    print(f"render 2021→2022: html {h:.3f} s (target < 1 s, {len(page) // 1024} KiB), json {j:.3f} s, "
          f"html/json ratio {h / j:.1f}; terminal {t:.3f} s (ratio {t / j:.1f})")


if __name__ == "__main__":
    main()
