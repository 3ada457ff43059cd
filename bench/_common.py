"""Helpers shared by the benchmarks: where the corpora are, timing, peak memory."""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]


def corpora() -> Path:
    path = Path(os.environ.get("POLICYDIFF_CORPORA", ROOT.parent / "shared" / "corpora"))
    if not path.is_dir():
        sys.exit(f"bench: corpora not found at {path}; set POLICYDIFF_CORPORA")
    return path


def best_of(n: int, fn: Callable[[], T]) -> tuple[float, T]:
    """Best wall time of n runs (seconds) and the last result."""
    best = float("inf")
    result: T
    for _ in range(n):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result


def best_cpu(n: int, fn: Callable[[], object]) -> float:
    """Best CPU time (this process) of n runs: on a shared machine wall time mostly measures the neighbours."""
    best = float("inf")
    for _ in range(n):
        t = time.process_time()
        fn()
        best = min(best, time.process_time() - t)
    return best


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
