"""`make eval`: score the aligner on every gold the project has (not part of `make test`).

Golds: the shared ones (``../shared/gold/*.json``) and the project's own (``eval/golds/*.json``), each
naming two State Council reports by year. For each pair this prints the shared scorer's figures: pair
precision, recall and F1, and removed / added precision and recall ("removed" precision is the share of
the paragraphs reported removed that the gold calls removed: does "removed" mean gone?).

    python tools/eval.py [--shared DIR] [--corpora DIR] [--gold FILE ...] [--set name=value ...]

``--set`` overrides an ``AlignOptions`` field for the run (the parameter sweeps in docs/alignment.md).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import policydiff
from policydiff.align import AlignOptions
from policydiff.compare import CompareOptions, compare
from policydiff.render import render

ROOT = Path(__file__).resolve().parent.parent
_FIGURES = re.compile(r"removed: P (\S+) R (\S+) F1 (\S+)\s+added: P (\S+) R (\S+) F1 (\S+)\s+"
                      r"pair P (\S+) R (\S+) F1 (\S+)")


def golds(shared: Path) -> list[Path]:
    """Every gold file: shared first, then the project's own."""
    return sorted((shared / "gold").glob("*.json")) + sorted((ROOT / "eval" / "golds").glob("*.json"))


def score(gold: Path, shared: Path, corpora: Path, options: AlignOptions) -> dict[str, float]:
    """The shared scorer's figures for one gold."""
    g = json.loads(gold.read_text(encoding="utf-8"))
    old = corpora / "gov-work-report" / f"{g['old']}.txt"
    new = corpora / "gov-work-report" / f"{g['new']}.txt"
    cmp = compare(policydiff.read(old), policydiff.read(new), CompareOptions(align=options, inline=False))
    if str(shared / "eval") not in sys.path:
        sys.path.insert(0, str(shared / "eval"))
    import score as scorer  # the shared scorer, unchanged

    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred.json"
        pred.write_text(render(cmp, "json"), encoding="utf-8")
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            scorer.main([str(gold), str(old), str(new), str(pred)])
    m = _FIGURES.search(out.getvalue().replace("\n", " "))
    assert m, out.getvalue()
    keys = ("removed_p", "removed_r", "removed_f1", "added_p", "added_r", "added_f1", "pair_p", "pair_r", "pair_f1")
    return dict(zip(keys, (float(x) for x in m.groups()), strict=True))


def _value(text: str) -> object:
    try:
        return int(text)
    except ValueError:
        return float(text)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--corpora", type=Path,
                    default=Path(os.environ.get("POLICYDIFF_CORPORA", ROOT.parent / "shared" / "corpora")))
    ap.add_argument("--gold", type=Path, action="append", default=[])
    ap.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    ap.add_argument("--json", action="store_true", help="one JSON line per gold instead of the table")
    args = ap.parse_args(argv)
    fields = {k: _value(v) for k, v in (s.split("=", 1) for s in args.set)}
    options = AlignOptions(**fields)  # type: ignore[arg-type]
    rows = []
    for gold in args.gold or golds(args.shared):
        t = time.perf_counter()
        got = score(gold, args.shared, args.corpora, options)
        got["seconds"] = round(time.perf_counter() - t, 2)
        rows.append((gold.stem, got))
        if args.json:
            print(json.dumps({"gold": gold.stem, **got}))
    if not args.json:
        print(f"{'gold':<16} {'pair P':>7} {'pair R':>7} {'pair F1':>8} {'rem P':>6} {'rem R':>6} {'add P':>6} "
              f"{'add R':>6}")
        for name, g in rows:
            print(f"{name:<16} {g['pair_p']:>7.3f} {g['pair_r']:>7.3f} {g['pair_f1']:>8.3f} {g['removed_p']:>6.2f} "
                  f"{g['removed_r']:>6.2f} {g['added_p']:>6.2f} {g['added_r']:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
