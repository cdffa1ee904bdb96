"""Resident memory over a long run at full speed: it must stay flat, whatever the run's length.

Run: .venv/bin/python bench/memory_over_time.py [--seconds S] [--every S] [--window]

Setting: a 2-32-32-32-2 ReLU network on moons (800 training points), full batch, SGD at lr 0.01,
evaluated every 10 updates (the app's default), trained as fast as it goes for ``--seconds``
(600 by default). Every ``--every`` seconds (10) it prints the time, the updates so far, the
history points kept and the process's resident set size (VmRSS, from /proc/self/status).

Headless (default): a Trainer alone, in chunks of 1000 updates. ``--window``: the app's window,
offscreen, playing at "As fast as possible" (the training thread, frames, curves and all); the
points kept are then the Trainer's and the curves'.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig  # noqa: E402

CONFIG = ExperimentConfig(
    DataConfig("moons"),
    ModelConfig(hidden=(32, 32, 32)),
    TrainConfig("sgd", 0.01, eval_every=10),
)


def rss_mb() -> float:
    """The resident set size now, in MiB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def report(started: float, updates: int, kept: str) -> None:
    print(
        f"{time.perf_counter() - started:7.0f} s  {updates:>12,} updates  "
        f"{kept:>22}  RSS {rss_mb():7.1f} MiB",
        flush=True,
    )


def headless(seconds: float, every: float) -> None:
    from model.training.trainer import build_trainer

    trainer = build_trainer(CONFIG)
    started = time.perf_counter()
    next_report = started
    while True:
        now = time.perf_counter()
        if now >= next_report:
            report(started, trainer.updates, f"history {len(trainer.history):,}")
            next_report += every
        if now - started >= seconds:
            break
        trainer.train(1000)
    thinned_before = getattr(trainer, "history_thinned_before", 0)  # older versions: none
    if thinned_before:
        print(f"history thinned before update {thinned_before:,}")


def windowed(seconds: float, every: float) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    from gui.app import configure_pyqtgraph
    from gui.windows.main_window import MainWindow

    configure_pyqtgraph()
    window = MainWindow(CONFIG)
    window.controls.speed.setCurrentIndex(window.controls.speed.findData(0.0))
    window.show()
    started = time.perf_counter()

    def sample() -> None:
        trainer = window.playground.worker.trainer
        updates = (
            window.playground.last_frame.update if window.playground.last_frame is not None else 0
        )
        history = len(trainer.history) if trainer is not None else 0
        report(started, updates, f"history {history:,} / curves {window.curves.history.size:,}")
        if time.perf_counter() - started >= seconds:
            timer.stop()
            window.close()
            app.quit()

    timer = QTimer()
    timer.timeout.connect(sample)
    timer.start(int(every * 1000))
    QTimer.singleShot(500, window.controls.play_action.trigger)
    sample()
    app.exec()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--seconds", type=float, default=600.0, help="how long to train")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between samples")
    parser.add_argument("--window", action="store_true", help="play in the app's window")
    args = parser.parse_args()
    if not (args.seconds > 0 and args.every > 0):
        parser.error("--seconds and --every must be above 0")
    print(
        f"2-32-32-32-2 on moons, full batch, eval every 10, "
        f"{'window (offscreen)' if args.window else 'headless'}, {args.seconds:g} s"
    )
    (windowed if args.window else headless)(args.seconds, args.every)


if __name__ == "__main__":
    main()
