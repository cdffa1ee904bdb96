"""Where a hyperparameter map's runs go: this process, local worker processes (loky's
reusable executor, the one the comparisons use; the default), or a Dask distributed cluster
(joblib's Dask backend).

Every run is ``run_task`` on the same task, so the three give the same numbers. A helper
thread sends the runs out, longest first, and puts each record into a queue as it comes
back; the calling thread polls that queue, so progress arrives as runs finish and Cancel is
seen within 50 ms whatever a worker is doing. A run in this process is given the caller's
``should_cancel``; local runs ask the Manager Event that Cancel sets (as comparisons do,
model/experiments/worker_cancel.py), so local workers stop within a tenth of a second. Runs
already started on a cluster finish there and are dropped. A cluster that cannot be reached,
or that goes away mid-grid, ends the grid with one message and keeps the runs that finished.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import queue
import threading
import time
import warnings
from collections.abc import Callable
from contextlib import nullcontext, suppress
from functools import partial

from model.experiments.dask_scheduler import (
    ClusterUnavailable,
    close_client,
    open_client,
    parse_address,
)
from model.experiments.hyperparameter_map import MapSpec
from model.experiments.map_runs import (
    MapResult,
    RunRecord,
    RunTask,
    map_tasks,
    run_task,
    run_tasks,
)
from model.experiments.parallel_comparisons import estimated_seconds
from model.experiments.worker_cancel import spawned_manager
from model.training.evaluation import TrainingInterrupted

CONNECT_SECONDS = 3.0  # to reach a scheduler (a cluster's answers in milliseconds)
ASK_SECONDS = 3.0  # for a question to a running cluster (how many workers it has)
CLUSTER_SILENT_SECONDS = 10.0  # a client that stays disconnected this long: the cluster is lost
NO_WORKERS_SECONDS = 30.0  # a scheduler without workers this long: the cluster is lost
CANCEL_WAIT_SECONDS = 3.0  # local workers stop within a tenth of this; never wait longer
POLL_SECONDS = 0.05
CHUNK_SECONDS = (0.05, 1.0)  # the estimated work sent to a local worker at once
INSTALL_HINT = "pip install -e '.[cluster]'"
_JOBLIB_CANCELLED = ".*tasks which were still being processed by the workers have been cancelled"

OnRecord = Callable[[MapResult, RunRecord], None] | None
Cancel = Callable[[], bool] | None


def dask_missing() -> str | None:
    """Why the Dask option cannot work here (one line naming the install command), or None."""
    try:
        import distributed  # noqa: F401
        from joblib import _dask  # noqa: F401
    except ImportError:
        return f"running on a Dask cluster needs Dask installed: {INSTALL_HINT}"
    return None


def connect(address: str, timeout: float = CONNECT_SECONDS):
    """A Dask client of the scheduler at ``address``, or ClusterUnavailable (one line) within
    seconds: a bad address at once, a server that is not a Dask scheduler after at most
    ``timeout`` + ANSWER_SECONDS (model/experiments/dask_scheduler.py)."""
    parse_address(address)  # before importing Dask: a bad address is refused at once
    if problem := dask_missing():
        raise ClusterUnavailable(problem)
    _quiet_dask()
    return open_client(address, timeout)


def _quiet_dask() -> None:
    """Dask logs each failed reconnection with a traceback: the grid says what went wrong,
    in one line, instead."""
    names = [n for n in logging.root.manager.loggerDict if n.startswith("distributed.")]
    for name in ("distributed", *names):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_map(
    spec: MapSpec,
    jobs: int | None = None,
    scheduler: str | None = None,
    on_record: OnRecord = None,
    should_cancel: Cancel = None,
    result: MapResult | None = None,
) -> MapResult:
    """Every run of ``spec``: on the Dask cluster at ``scheduler``, else in ``jobs`` local
    processes (default: one per core), or in this thread when ``jobs`` is 1.

    ``on_record(result, record)`` is called in this thread as each run finishes. Returns the
    result, ``cancelled`` or with an ``error`` and the finished runs when it stopped early;
    ClusterUnavailable if the scheduler cannot be reached at all.
    """
    client = connect(scheduler) if scheduler else None  # a bad server: said before the data
    try:
        tasks = map_tasks(spec)  # ValueError for a bad grid, before anything runs
        result = result if result is not None else MapResult(spec)
        started = time.perf_counter()
        try:
            if client is not None:
                _on_cluster(client, tasks, result, scheduler, on_record, should_cancel)
            elif (jobs or os.cpu_count() or 1) <= 1:
                result.where = "in this process"
                _serially(tasks, result, on_record, should_cancel)
            else:
                n = jobs or os.cpu_count() or 1
                result.where = f"in {n} local processes"
                _in_processes(tasks, result, partial(_feed_local, n), on_record, should_cancel)
        finally:
            result.seconds = time.perf_counter() - started
        return result
    finally:
        if client is not None:
            close_client(client)


def _serially(tasks: list[RunTask], result: MapResult, on_record: OnRecord, cancel: Cancel):
    for task in tasks:
        if cancel is not None and cancel():
            result.cancelled = True
            return
        try:
            record = run_task(task, should_stop=cancel)
        except TrainingInterrupted:
            result.cancelled = True
            return
        except KeyboardInterrupt:
            result.cancelled = result.interrupted = True
            return
        _keep(result, record, on_record)


def _keep(result: MapResult, record: RunRecord, on_record: OnRecord) -> None:
    result.records[record.key] = record
    if on_record is not None:
        on_record(result, record)


def _on_cluster(
    client, tasks, result: MapResult, address: str, on_record: OnRecord, cancel: Cancel
):
    try:
        workers = len(client.nthreads(callback_timeout=ASK_SECONDS))
    except Exception as error:  # noqa: BLE001 - the cluster went away at once: one line
        why = _first_line(error) or type(error).__name__
        raise ClusterUnavailable(
            f"the Dask scheduler at {address} did not answer ({why})"
        ) from None
    result.where = f"on the Dask cluster at {address} ({workers} workers)"
    watch = _ClusterWatch(client)
    feed = partial(_feed_dask, client)
    _in_processes(tasks, result, feed, on_record, cancel, watch, address)


class _ClusterWatch:
    """Says when a cluster is gone although no run has failed yet: the client disconnected
    for a while, or no worker is left."""

    def __init__(self, client) -> None:
        self.client = client
        self.connected_at = self.workers_at = time.monotonic()
        self.next_look = 0.0

    def lost(self) -> str | None:
        now = time.monotonic()
        if self.client.status == "running":
            self.connected_at = now
        elif now - self.connected_at > CLUSTER_SILENT_SECONDS:
            return f"the connection to the scheduler was lost ({self.client.status})"
        if now >= self.next_look:
            self.next_look = now + 2.0
            with suppress(Exception):
                if len(self.client.nthreads(callback_timeout=ASK_SECONDS)):
                    self.workers_at = now
            if now - self.workers_at > NO_WORKERS_SECONDS:
                return f"no worker was left for {NO_WORKERS_SECONDS:.0f} s"
        return None


def _in_processes(
    tasks: list[RunTask],
    result: MapResult,
    feed: Callable,
    on_record: OnRecord,
    cancel: Cancel,
    watch: _ClusterWatch | None = None,
    address: str | None = None,
) -> None:
    """The runs, longest first, sent out and read back by ``feed`` in a helper thread.

    Local runs get a Manager's Event that Cancel sets. Runs on a cluster get none: a Dask
    worker on another machine cannot reach this machine's Manager, so Cancel only stops
    sending them (joblib drops those not started) and stops waiting for the others.
    """
    with spawned_manager() if watch is None else nullcontext() as manager:
        cancel_event = manager.Event() if manager is not None else None
        ordered = sorted(tasks, key=lambda t: -_cost(t))
        inbox: queue.Queue = queue.Queue()
        stop = threading.Event()
        feeder = threading.Thread(
            target=feed, args=(ordered, cancel_event, inbox, stop), daemon=True
        )
        feeder.start()
        cancelled_at = None
        try:
            while True:
                if cancelled_at is None and cancel is not None and cancel():
                    cancelled_at = _cancel(result, stop, cancel_event)
                try:
                    kind, item = inbox.get(timeout=POLL_SECONDS)
                except queue.Empty:
                    if cancelled_at is not None and (
                        watch is not None or time.monotonic() - cancelled_at > CANCEL_WAIT_SECONDS
                    ):
                        return  # runs started on a cluster finish there, unread
                    if watch is not None and (why := watch.lost()):
                        result.error = _lost_message(address, result, why)
                        return
                    continue
                if kind == "record":
                    _keep(result, item, on_record)
                elif kind == "error":
                    if cancelled_at is None:
                        result.error = _failure_message(address, result, item)
                    return
                else:  # "end"
                    return
        except KeyboardInterrupt:
            _cancel(result, stop, cancel_event)
            result.interrupted = True
        finally:
            stop.set()
            if watch is None:  # local workers: let them stop before the next grid uses them
                feeder.join(CANCEL_WAIT_SECONDS)


def _cancel(result: MapResult, stop: threading.Event, cancel_event) -> float:
    result.cancelled = True
    stop.set()
    _set(cancel_event)
    return time.monotonic()


def _set(cancel_event) -> None:
    """Set the local runs' cancel Event (if any): they stop at their next look."""
    if cancel_event is not None:
        with suppress(OSError, EOFError):
            cancel_event.set()


def _cost(task: RunTask) -> float:
    return estimated_seconds(task.config, len(task.dataset.y_train), task.epochs)


def _chunks(tasks: list[RunTask], n_jobs: int) -> list[list[RunTask]]:
    """Consecutive tasks grouped until each group is worth sending (a long run alone), with
    about ten groups a worker left for balancing the load."""
    target = min(CHUNK_SECONDS[1], max(CHUNK_SECONDS[0], sum(map(_cost, tasks)) / (10 * n_jobs)))
    chunks: list[list[RunTask]] = []
    cost = target
    for task in tasks:
        if cost >= target:
            chunks.append([])
            cost = 0.0
        chunks[-1].append(task)
        cost += _cost(task)
    return chunks


def _feed_local(n_jobs: int, tasks, cancel_event, inbox: queue.Queue, stop) -> None:
    """In the helper thread: groups of runs in loky's worker processes (the executor the
    comparisons use too), their records into ``inbox`` as each group finishes."""
    from loky import get_reusable_executor  # here: a tenth of a second to import

    futures: list[concurrent.futures.Future] = []
    try:
        executor = get_reusable_executor(max_workers=n_jobs)
        futures = [executor.submit(run_tasks, c, cancel_event) for c in _chunks(tasks, n_jobs)]
        pending = set(futures)
        while pending and not stop.is_set():
            done, pending = concurrent.futures.wait(
                pending, timeout=POLL_SECONDS, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in done:
                for record in future.result():  # a failed group raises here
                    inbox.put(("record", record))
    except BaseException as error:  # noqa: BLE001 - the caller reports it
        inbox.put(("error", error))
        _set(cancel_event)  # the other groups stop too
    finally:
        for future in futures:
            future.cancel()  # those not started
        concurrent.futures.wait(futures, timeout=CANCEL_WAIT_SECONDS)  # the others stop
        inbox.put(("end", None))


def _feed_dask(client, tasks, _cancel_event, inbox: queue.Queue, stop) -> None:
    """In the helper thread: the runs through joblib's Dask backend, each record into
    ``inbox`` as it finishes."""
    import joblib

    outputs = None
    try:
        with joblib.parallel_config(backend="dask", client=client, wait_for_workers_timeout=10):
            outputs = joblib.Parallel(n_jobs=-1, return_as="generator_unordered")(
                joblib.delayed(run_task)(task) for task in tasks
            )
            for record in outputs:
                inbox.put(("record", record))
                if stop.is_set():
                    break
    except BaseException as error:  # noqa: BLE001 - the caller reports it
        inbox.put(("error", error))
    finally:
        if outputs is not None:
            warnings.filterwarnings("ignore", _JOBLIB_CANCELLED, UserWarning)  # we cancelled
            with suppress(BaseException):
                outputs.close()  # joblib drops the runs not yet started
        inbox.put(("end", None))


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""


def _kept(result: MapResult) -> str:
    return f"after {result.done} of {result.spec.total_runs} runs; the finished runs are kept"


def _lost_message(address: str | None, result: MapResult, why: str) -> str:
    return f"lost the Dask cluster at {address}: {why}, {_kept(result)}"


def _failure_message(address: str | None, result: MapResult, error: BaseException) -> str:
    """One line for a grid that stopped on an error: a lost cluster, a dead worker, a bug."""
    name = type(error).__name__
    detail = _first_line(error)
    if address is not None:
        cluster_errors = ("CancelledError", "CommClosedError", "TimeoutError", "OSError")
        if any(e in name for e in cluster_errors) or isinstance(error, OSError):
            return _lost_message(address, result, "the scheduler or its workers went away")
        return f"a run on the Dask cluster at {address} failed ({name}: {detail}), {_kept(result)}"
    if "TerminatedWorker" in name:
        return f"a worker process stopped unexpectedly, {_kept(result)}"
    return f"a run failed ({name}: {detail}), {_kept(result)}"
