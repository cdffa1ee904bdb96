"""Training throughput with the Loss landscape dock open against closed, and the longest time
a piece of a slice holds the training thread (the most it can delay a frame).

Run: .venv/bin/python bench/landscape_speed.py [--seconds 12] [--resolution 41]

Plays moons (2-20-2, and 2-32x6-2) at full speed in an offscreen 1280 x 800 window, in
alternating 1-second turns with the dock open and closed (the machine's speed drifts, so
both run in the same stretch of time), and prints side by side: updates per second with the
dock closed and open, their ratio (goal: at least 0.8), slices finished per second, and
the longest piece of landscape work in the training thread (goal: at most 20 ms).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.config import ExperimentConfig, ModelConfig  # noqa: E402


def timed_job(job) -> list[float]:
    """Wrap the job's between-slices work to record each call's seconds."""
    durations: list[float] = []
    work = job.work_between_slices

    def measured() -> None:
        start = time.perf_counter()
        work()
        durations.append(time.perf_counter() - start)

    job.work_between_slices = measured
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
    slices = [0]
    window.playground.frame_ready.connect(
        lambda frame: slices.__setitem__(0, slices[0] + (frame.landscape is not None))
    )
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
    window.close()
    closed, opened = (sum(rates[k]) / len(rates[k]) for k in (False, True))
    return {
        "closed": closed,
        "open": opened,
        "ratio": opened / closed,
        "slices": slices[0] / (len(rates[True]) * 1.3),
        "longest_ms": 1000 * max(durations, default=0.0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--resolution", type=int, default=41)
    args = parser.parse_args()
    print(
        f"{'network':<12}{'closed upd/s':>14}{'open upd/s':>12}{'open/closed':>13}"
        f"{'slices/s':>10}{'longest piece':>15}"
    )
    for name, hidden in (("2-20-2", (20,)), ("2-32x6-2", (32,) * 6)):
        config = ExperimentConfig(model=ModelConfig(hidden=hidden))
        r = run(config, args.seconds, args.resolution)
        print(
            f"{name:<12}{r['closed']:>14.0f}{r['open']:>12.0f}{r['ratio']:>13.2f}"
            f"{r['slices']:>10.1f}{r['longest_ms']:>12.1f} ms"
        )


if __name__ == "__main__":
    main()
