"""Training throughput with the Loss landscape dock open against closed, and the longest time
a piece of a slice holds the training thread (the most it can delay a frame).

Run: .venv/bin/python bench/landscape_speed.py [--seconds 12] [--resolution 41]

Plays moons (2-20-2, and 2-32x6-2) at full speed in an offscreen 1280 x 800 window, in
alternating 1-second turns with the dock open and closed (the machine's speed drifts, so
both run in the same stretch of time), then with the dock open for as long again, and
prints side by side: updates per second with the dock closed and open, their ratio (goal:
at least 0.8), seconds per finished slice while playing and maps shown per second
(previews of a slice, coarse to fine, included), and how long a piece of landscape
work holds the training thread (goal: at most 20 ms): the most processor time it used, and
its wall-clock time (99th percentile and most), which adds the waits for the window's
thread to let go of Python's GIL while it paints; beside it, the wall-clock time of the
longest slice of training (5 ms of updates), which the same waits lengthen.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from model.config import ExperimentConfig, ModelConfig  # noqa: E402


def timed_job(job) -> list[tuple[float, float]]:
    """Wrap the job's between-slices work to record each call's wall-clock seconds and the
    training thread's own processor seconds (the difference: waiting for the window's
    thread to let go of Python's GIL, or for a core)."""
    durations: list[tuple[float, float]] = []
    work = job.work_between_slices

    def measured() -> None:
        start, own = time.perf_counter(), time.thread_time()
        work()
        durations.append((time.perf_counter() - start, time.thread_time() - own))

    job.work_between_slices = measured
    return durations


def timed_slices(pace) -> list[float]:
    """The wall-clock seconds of each slice of training (5 ms of updates): the same waits
    for the GIL lengthen them, the reference for the landscape's pieces."""
    durations: list[float] = []
    train = pace.train

    def measured(*args) -> None:
        start = time.perf_counter()
        train(*args)
        durations.append(time.perf_counter() - start)

    pace.train = measured
    return durations


def run(config: ExperimentConfig, seconds: float, resolution: int) -> dict:
    from PySide6.QtWidgets import QApplication

    from gui.app import configure_pyqtgraph
    from gui.windows.main_window import MainWindow

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication([])
    window = MainWindow(config)
    window.controls.speed.setCurrentIndex(window.controls.speed.findData(0.0))
    window.resize(1280, 800)
    window.show()
    window.landscape_dock.resolution.setValue(resolution)
    while window.playground.last_frame is None:
        app.processEvents()
    job = window.playground.worker.landscape
    durations = timed_job(job)
    training = timed_slices(window.playground.worker.pace)
    finished: list[float] = []  # when each complete slice arrived
    maps = [0]  # and any map, a coarser preview of a slice too

    def count(frame) -> None:
        if frame.landscape is not None:
            maps[0] += 1
            if frame.landscape.complete:
                finished.append(time.perf_counter())

    window.playground.frame_ready.connect(count)
    rates: dict[bool, list[float]] = {False: [], True: []}
    window.playground.request_play.emit()
    for turn in range(int(seconds)):
        shown = turn % 2 == 1
        window.landscape_dock.setVisible(shown)
        settle = time.perf_counter() + 0.3  # the request reaches the worker
        while time.perf_counter() < settle:
            app.processEvents()
        trainer = window.playground.worker.trainer
        start_updates, start = trainer.updates, time.perf_counter()
        while time.perf_counter() < start + 1.0:
            app.processEvents()
        rates[shown].append((trainer.updates - start_updates) / (time.perf_counter() - start))
    window.landscape_dock.setVisible(True)  # then open throughout: how often a slice lands
    finished.clear()
    maps[0] = 0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
    window.close()
    gaps = [b - a for a, b in zip(finished, finished[1:], strict=False)]
    closed, opened = (sum(rates[k]) / len(rates[k]) for k in (False, True))
    return {
        "closed": closed,
        "open": opened,
        "ratio": opened / closed,
        "per_slice": sum(gaps) / len(gaps) if gaps else float("nan"),
        "maps": maps[0] / seconds,
        "cpu_max_ms": 1000 * max((cpu for _, cpu in durations), default=0.0),
        "wall_p99_ms": 1000 * float(np.percentile([wall for wall, _ in durations] or [0], 99)),
        "wall_max_ms": 1000 * max((wall for wall, _ in durations), default=0.0),
        "training_max_ms": 1000 * max(training, default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--resolution", type=int, default=41)
    args = parser.parse_args()
    print(
        f"{'network':<12}{'closed upd/s':>14}{'open upd/s':>12}{'open/closed':>13}"
        f"{'s/slice':>9}{'maps/s':>8}{'piece: cpu max':>16}{'wall p99':>10}{'wall max':>10}"
    )
    for name, hidden in (("2-20-2", (20,)), ("2-32x6-2", (32,) * 6)):
        config = ExperimentConfig(model=ModelConfig(hidden=hidden))
        r = run(config, args.seconds, args.resolution)
        print(
            f"{name:<12}{r['closed']:>14.0f}{r['open']:>12.0f}{r['ratio']:>13.2f}"
            f"{r['per_slice']:>9.1f}{r['maps']:>8.1f}{r['cpu_max_ms']:>13.1f} ms"
            f"{r['wall_p99_ms']:>7.1f} ms"
            f"{r['wall_max_ms']:>7.1f} ms{r['training_max_ms']:>17.1f} ms"
        )


if __name__ == "__main__":
    main()
