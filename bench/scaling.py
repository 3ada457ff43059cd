"""How comparison time and memory grow with input size (issue 12): a report concatenated ×1…×64
against an edited copy, 5,000 headings, and reports with their line breaks removed. Each case runs in a
fresh process so that peak memory is its own; the exponent is the slope of log(time) over log(size)
between the first and the last size. Inputs over the documented limits must be refused quickly."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time

from _common import corpora

CASE = r"""
import json, resource, sys, time
import policydiff
kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
text = open(path, encoding="utf-8").read()
if kind == "concat":
    old = "\n".join([text] * n)
    new = old.replace("推进", "加快推进", 50 * n).replace("。", "；", 20 * n)
elif kind == "headings":
    old = "\n".join(f"{i % 9 + 1}、第{i}项工作安排" for i in range(n))
    new = old.replace("工作安排", "工作部署", n // 10)
else:
    old = "".join("\n".join([text] * n).split("\n"))
    new = old.replace("推进", "加快推进", 50 * n)
t = time.perf_counter()
a, b = policydiff.parse(old), policydiff.parse(new)
cmp = policydiff.compare(a, b)
print(json.dumps({"seconds": time.perf_counter() - t, "chars": len(old), "changes": len(cmp.changes),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run(kind: str, n: int, path: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", CASE, kind, str(n), path], capture_output=True, text=True,
                         timeout=120, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> None:
    report = str(corpora() / "gov-work-report" / "2021.txt")
    rows = []
    for kind, sizes in (("concat", [1, 4, 16, 64, 92]), ("headings", [500, 5000]), ("oneline", [1, 4, 16])):
        results = [run(kind, n, report) for n in sizes]
        for n, r in zip(sizes, results, strict=True):
            print(f"{kind:9s} ×{n:<5d} {r['chars']:>9,.0f} chars  {r['seconds']:7.2f} s  {r['peak_mb']:6.0f} MB  "
                  f"{r['changes']:>6,.0f} changes")
        # the slope from ×16 to ×64 where there are both (issue 21: ≤ 1.2), else first to last
        first, last = (results[2], results[3]) if kind == "concat" else (results[0], results[-1])
        exponent = math.log(last["seconds"] / first["seconds"]) / math.log(last["chars"] / first["chars"])
        rows.append((kind, exponent, max(r["seconds"] for r in results), max(r["peak_mb"] for r in results)))
    for kind, exponent, worst, mem in rows:
        print(f"{kind}: time exponent {exponent:.2f} (target ≤ 1.2), slowest {worst:.1f} s (target ≤ 30 s: ×92 is "
              f"a 5 MB report), peak {mem:.0f} MB (target ≤ 1 GB)")
    t = time.perf_counter()
    big = subprocess.run([sys.executable, "-m", "policydiff.cli", "show", "/dev/zero"], capture_output=True,
                         text=True, timeout=30, check=False)
    print(f"/dev/zero refused in {time.perf_counter() - t:.2f} s (exit {big.returncode}): {big.stderr.strip()[:100]}")


if __name__ == "__main__":
    main()
