"""Inputs over the documented limits (``policydiff.limits``) are refused quickly (issue 12: within 2 s).

Each over-limit input is read with ``policydiff.read`` (the refusal) and, as the baseline measured in the
same run, parsed without the limits (what the refusal saves). The whole ``policydiff show`` command is
timed too (a fresh process: interpreter and imports included), since that is what a user waits for.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import policydiff
from _common import corpora
from policydiff.model import InputError

TARGET_SECONDS = 2.0
"""The issue's bound for refusing an input over the limits."""


def cases(report: str) -> dict[str, str]:
    return {
        "1 MB of repeated headings (lines)": "".join(f"{i % 9 + 1}、标题{i}\n" for i in range(60_000)),
        "longest hard-wrapped at 40 ×22 (lines)": "\n".join(report[i:i + 40] for i in range(0, len(report), 40)) * 22,
        "the longest report ×72 (chars)": "\n".join([report] * 72),
        "longest without line breaks ×20": "".join(report.split("\n")) * 20,
    }


def _cli(*args: str) -> tuple[float, int]:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "policydiff.cli", *args], capture_output=True, text=True,
                          timeout=120, check=False)
    return time.perf_counter() - t, done.returncode


def main() -> None:
    report = (corpora() / "gov-work-report" / "1955.txt").read_text(encoding="utf-8")
    startup, _ = _cli("--help")
    print(f"baseline: the CLI starting and printing --help takes {startup:.2f} s on this machine now")
    print(f"{'over-limit input':40s} {'chars':>10s} {'refused':>8s} {'parse':>8s} {'ratio':>7s} {'CLI':>7s}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in cases(report).items():
            path = Path(tmp) / "input.txt"
            path.write_text(text, encoding="utf-8")
            t = time.perf_counter()
            try:
                policydiff.read(path)
                message = "NOT REFUSED"
            except InputError as exc:
                message = exc.reason
            refused = time.perf_counter() - t
            t = time.perf_counter()
            policydiff.parse(text)
            parse = time.perf_counter() - t
            wall, code = _cli("show", str(path))
            worst = max(worst, wall)
            print(f"{name:40s} {len(text):>10,d} {refused:7.2f}s {parse:7.2f}s {parse / refused:6.0f}× "
                  f"{wall:6.2f}s  exit {code}: {message}")
    print(f"slowest refusal through the CLI: {worst:.2f} s, {worst - startup:.2f} s more than --help "
          f"(target < {TARGET_SECONDS:.0f} s)")


if __name__ == "__main__":
    main()
