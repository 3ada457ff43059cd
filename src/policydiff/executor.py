"""Where the work of ``timeline`` and ``batch`` runs: in this process, in local worker processes, or on a
Dask distributed cluster.

One module, because the two commands had each set up their own process pool (with the same choice of
start method written twice) and only the batch could reach a cluster. Both now take their pools and
their Dask client here: ``timeline`` through ``Executor`` (submit, results as they complete), ``batch``
through ``process_pool``/``InlineExecutor`` and ``dask_client`` directly, since it schedules its own tasks
(deadlines, a pool rebuilt after a worker dies, parsed documents kept on the workers as futures).

Dask is imported only when a scheduler is named (``pip install 'policydiff[dask]'``).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .model import OptionsError

SCHEDULER_TIMEOUT_S = 20
"""Seconds to wait for the Dask scheduler to answer: a cluster that is up answers in well under a second;
a wrong address should fail while the user is still watching."""


def start_method() -> str:
    """``fork`` when this process runs no other thread: the workers inherit the imported modules (pyarrow,
    scipy, lxml: 1–3 s of imports per worker otherwise, a tenth of a 50-pair run). With threads (a Dask
    client, a server embedding policydiff) forking can deadlock on a lock held by another thread, so then
    ``forkserver`` (``spawn`` where there is none), which needs the caller's ``if __name__ == "__main__"``."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def process_pool(workers: int, *, initializer: Callable[..., None] | None = None,
                 initargs: tuple[Any, ...] = ()) -> cf.ProcessPoolExecutor:
    """Local worker processes, started the way ``start_method`` says."""
    return cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(start_method()),
                                  initializer=initializer, initargs=initargs)


def worker_queue() -> Any:
    """A queue the workers of ``process_pool`` can write to (passed to them through ``initargs``): of the
    same start method, so that it reaches them."""
    return multiprocessing.get_context(start_method()).SimpleQueue()


class InlineExecutor(cf.Executor):
    """Runs each task at submit time in this process: the 1-process baseline, with no pool around it (and
    no pickling, so a debugger or a profiler sees the work)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        fut: cf.Future[Any] = cf.Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to the caller through the future
            fut.set_exception(exc)
        return fut


def dask_client(scheduler: str) -> Any:
    """A client of the Dask scheduler at ``tcp://HOST:PORT``.

    Raises:
        OptionsError: dask.distributed is not installed, or the scheduler does not answer within
            ``SCHEDULER_TIMEOUT_S``.
    """
    try:
        import distributed
    except ImportError:
        raise OptionsError(f"--scheduler {scheduler}: dask.distributed is not installed; "
                           "pip install 'policydiff[dask]'") from None
    try:
        client_class: Any = distributed.Client
        return client_class(scheduler, timeout=f"{SCHEDULER_TIMEOUT_S}s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise OptionsError(f"--scheduler {scheduler}: cannot reach the scheduler ({exc}); "
                           "start one with `dask scheduler` or check the address") from exc


class Executor:
    """Independent tasks fanned out and collected as they complete, on whichever engine was chosen.

    ``submit`` returns a future (``concurrent.futures`` or Dask's; both have ``result()``);
    ``as_completed`` yields them as they finish; ``close`` releases the pool or the client (a Dask
    cluster itself is left running: it is the user's)."""

    def __init__(self, workers: int | None = None, scheduler: str | None = None) -> None:
        """``scheduler``: a Dask scheduler's address; else ``workers`` local processes (default: all
        cores; 1 runs every task here, at submit time)."""
        self.client: Any = None
        self.pool: cf.Executor | None = None
        if scheduler is not None:
            self.client = dask_client(scheduler)
            self.workers = max(1, sum(self.client.nthreads().values()))
            return
        self.workers = workers if workers is not None else (os.cpu_count() or 1)
        if self.workers < 1:
            raise OptionsError(f"--jobs {workers}: needs at least 1")
        self.pool = InlineExecutor() if self.workers == 1 else process_pool(self.workers)

    @property
    def parallel(self) -> bool:
        """More than this process works: worth cutting the work into tasks."""
        return self.client is not None or self.workers > 1

    def submit(self, fn: Callable[..., Any], /, *args: Any) -> Any:
        if self.client is not None:
            return self.client.submit(fn, *args, pure=False)
        assert self.pool is not None
        return self.pool.submit(fn, *args)

    def as_completed(self, futures: Iterable[Any]) -> Iterator[Any]:
        if self.client is not None:
            import distributed

            as_completed: Any = distributed.as_completed
            return iter(as_completed(list(futures)))
        return cf.as_completed(list(futures))

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Executor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
