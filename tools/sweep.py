"""Move every numeric constant of ``align.py`` alone to 0.8× and 1.2× and score every gold (the table of
``docs/alignment.md`` §5e). Not part of `make test`: about 65 scorings of all golds, ~6 minutes on 2 cores.

    python tools/sweep.py [--factor 0.8 --factor 1.2] [--only NAME ...] > sweep.md

Integers move by at least one (``CANDIDATES`` 12 → 10 / 14). The two ``AlignOptions`` fields go through
``tools/eval.py --set`` (their defaults are read when the class is built); the rest are module constants,
read when the steps run. Prints a Markdown table of pair F1 changes against the shipped values, development
golds first, bold where a development gold moves by more than ``DEV_TOLERANCE``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval as scoring  # tools/eval.py, beside this file

import policydiff.align as A

DEV_TOLERANCE = 0.02
"""The alignment issue's bar: moving one parameter by ±20 % changes no development pair F1 by more."""
SKIP = frozenset({"TIE_DIGITS", "TIE_STEP", "GROUP_PAIRS", "MARGIN_FLOOR"})
"""Not tunables: tie-break precision, a size cap for pasted reports, a token worth."""
OPTIONS = {"MIN_SIMILARITY": "min_similarity", "FLOW_SHARE": "flow_share"}
"""Constants that are the defaults of ``AlignOptions`` fields."""


def constants() -> list[str]:
    return sorted(k for k, v in vars(A).items() if k.isupper() and not k.startswith("_") and k not in SKIP
                  and isinstance(v, int | float) and not isinstance(v, bool))


def moved(value: float, factor: float) -> float:
    if isinstance(value, int):
        v = round(value * factor)
        return max(1, v if v != value else value + (1 if factor > 1 else -1))
    return value * factor


def run(extra: list[str]) -> dict[str, float]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        scoring.main(["--json", *extra])
    rows = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    return {r["gold"]: r["pair_f1"] for r in rows}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=float, action="append", default=[])
    ap.add_argument("--only", action="append", default=[])
    args = ap.parse_args(argv)
    factors = args.factor or [0.8, 1.2]
    base = run([])
    golds = list(base)
    print("| constant | × | " + " | ".join(g.removeprefix("gwr-") for g in golds) + " |")
    print("| --- | --- | " + " | ".join("---" for _ in golds) + " |")
    print("| (as shipped) | 1 | " + " | ".join(f"{base[g]:.3f}" for g in golds) + " |")
    development = {g.stem for g in sorted((scoring.ROOT.parent / "shared" / "gold").glob("*.json"))}
    for name in args.only or constants():
        value = getattr(A, name)
        for factor in factors:
            v = moved(value, factor)
            if name in OPTIONS:
                f1 = run(["--set", f"{OPTIONS[name]}={v}"])
            else:
                setattr(A, name, v)
                try:
                    f1 = run([])
                finally:
                    setattr(A, name, value)
            cells = []
            for g in golds:
                d = f1[g] - base[g]
                cell = "·" if abs(d) < 0.0005 else f"{d:+.3f}"
                cells.append(f"**{cell}**" if g in development and abs(d) > DEV_TOLERANCE else cell)
            print(f"| `{name}` | {factor:g} | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
