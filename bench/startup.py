"""Start-up of the command: `--help`, `show` and `diff` of the sample pair, against the floors measured in the
same run (bare `python -c pass` and `python -c "import typer"`, the CLI framework's own cost).

Each command runs as a fresh process, as a user's shell runs it; best of N wall and CPU (user + system of
the child). Then where `diff`'s remaining import time goes, by top-level import (`python -X importtime`).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

from _common import ROOT

RUNS = 7
"""Runs per command: start-up varies by tens of ms on a shared 2-core machine; the best of 7 is stable."""
HELP_TARGET = 1.5
"""`policydiff --help` within 1.5× of `import typer` (issue 22)."""
DIFF_TARGET_S = 0.4
"""`policydiff diff` of the sample pair within 0.4 s wall (issue 22)."""
TOP_IMPORTS = 12
"""Top-level imports listed for `diff`: the few that make up nearly all of its import time."""

OLD, NEW = str(ROOT / "corpora" / "sample-2022.txt"), str(ROOT / "corpora" / "sample-2023.txt")


def _policydiff() -> list[str]:
    """The installed console script (what a user runs), else the module."""
    script = Path(sys.executable).with_name("policydiff")
    return [str(script)] if script.exists() else [sys.executable, "-m", "policydiff.cli"]


def best(cmd: list[str]) -> tuple[float, float]:
    """Best wall and best CPU seconds of ``RUNS`` runs of ``cmd`` (output discarded)."""
    walls, cpus = [], []
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(RUNS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=False)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return min(walls), min(cpus)


def top_imports(args: list[str]) -> list[tuple[str, float]]:
    """(module, cumulative seconds) of each top-level import of a run of the CLI, largest first."""
    code = f"import sys\nfrom policydiff.cli import main\nmain({args!r})"
    err = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True,
                         check=False).stderr
    out = []
    for line in err.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \| (\S.*)$", line)
        if m:  # no indent after the bar: imported by the program itself, not by another import
            out.append((m.group(2), int(m.group(1)) / 1e6))
    return sorted(out, key=lambda t: -t[1])[:TOP_IMPORTS]


def main() -> None:
    py = sys.executable
    floor_wall, floor_cpu = best([py, "-c", "pass"])
    typer_wall, typer_cpu = best([py, "-c", "import typer"])
    print(f"start-up floors: python -c pass {floor_wall * 1000:.0f} ms wall / {floor_cpu * 1000:.0f} ms CPU; "
          f"import typer {typer_wall * 1000:.0f} ms wall / {typer_cpu * 1000:.0f} ms CPU")
    cli = _policydiff()
    for name, args in (("--help", ["--help"]), ("show", ["show", OLD]), ("diff", ["diff", OLD, NEW])):
        wall, cpu = best([*cli, *args])
        line = (f"start-up {name:<6}: {wall * 1000:4.0f} ms wall ({wall / typer_wall:4.1f}× import typer, "
                f"{wall / floor_wall:4.1f}× python), {cpu * 1000:4.0f} ms CPU ({cpu / typer_cpu:4.1f}× import typer)")
        if name == "--help":
            line += f"; target ≤ {HELP_TARGET}× import typer: {'ok' if wall / typer_wall <= HELP_TARGET else 'MISSED'}"
        if name == "diff":
            line += f"; target ≤ {DIFF_TARGET_S} s wall: {'ok' if wall <= DIFF_TARGET_S else 'MISSED'}"
        print(line)
    print("diff, largest top-level imports (cumulative): " + ", ".join(
        f"{name} {seconds * 1000:.0f} ms" for name, seconds in top_imports(["diff", OLD, NEW])))


if __name__ == "__main__":
    main()
