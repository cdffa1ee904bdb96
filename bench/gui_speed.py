"""The window at full speed, offscreen: frames per second, event-loop stalls, throughput.

Run: .venv/bin/python bench/gui_speed.py [--seconds 10] [--hidden 20]

Prints, for the default experiment (moons, 2-20-2, full batch, SGD):
- frames drawn per second;
- the worst and 99th-percentile lateness of a 5 ms timer in the GUI thread (a stall);
  this probe is itself Python code that wakes 200 times a second and takes the GIL, so it
  runs in the first half of the time only, and frames and updates are counted in the second;
- training updates per second in the window, as a fraction of a headless Trainer's in the
  same process (same configuration, evaluation every 10 updates in both), measured in
  alternating 1-second turns so that drift in the machine's speed affects both alike;
- the time from starting `python main.py` to the first paint and to the first drawn frame.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402


def window_run(config, seconds: float, network: bool = False) -> dict:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import configure_pyqtgraph
    from gui.windows.main_window import MainWindow

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication([])
    window = MainWindow(config)
    window.controls.speed.setCurrentIndex(
        window.controls.speed.findData(0.0)
    )  # full speed, not the default pace
    window.resize(1280, 800)
    window.show()
    if network:
        window.menu_actions.network_toggle.trigger()
    while window.playground.last_frame is None:
        app.processEvents()
    lateness: list[float] = []
    clock = QElapsedTimer()
    ticker = QTimer()
    ticker.setInterval(5)
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        lateness.append(max(0.0, now - last[0] - 5.0))
        last[0] = now

    ticker.timeout.connect(tick)
    result: dict = {}
    half = int(seconds * 500)

    def begin_probe() -> None:  # first half: stalls, with the 5 ms probe running
        clock.start()
        ticker.start()
        QTimer.singleShot(half, begin_throughput)

    # Second half: frames and updates, probe off. The machine's speed drifts by tens of
    # percent over a minute, so the headless reference runs in the same stretch of time:
    # 1-second turns of the playing window and of a headless Trainer (window paused).
    from model.training.trainer import build_trainer

    headless = build_trainer(config)
    turns = max(2, int(seconds / 2))
    result.update(window_s=0.0, window_updates=0, frames=0, headless_s=0.0, headless_updates=0)

    def begin_throughput() -> None:
        ticker.stop()
        window_turn(turns)

    def window_turn(left: int) -> None:
        if left == 0:
            window.close()
            app.quit()
            return
        start = (
            clock.nsecsElapsed() / 1e9,
            window.playground.worker.trainer.updates,
            window.frames_drawn,
        )

        def end() -> None:
            result["window_s"] += clock.nsecsElapsed() / 1e9 - start[0]
            result["window_updates"] += window.playground.worker.trainer.updates - start[1]
            result["frames"] += window.frames_drawn - start[2]
            window.controls.play_action.trigger()  # pause
            QTimer.singleShot(200, lambda: headless_turn(left))

        QTimer.singleShot(1000, end)

    def headless_turn(left: int) -> None:
        began, before = time.perf_counter(), headless.updates
        while time.perf_counter() - began < 1.0:
            headless.train(25)
        result["headless_s"] += time.perf_counter() - began
        result["headless_updates"] += headless.updates - before
        window.controls.play_action.trigger()  # play again
        QTimer.singleShot(300, lambda: window_turn(left - 1))

    window.controls.play_action.trigger()
    QTimer.singleShot(500, begin_probe)  # let play start before measuring
    app.exec()
    result["fps"] = result["frames"] / result["window_s"]
    result["updates_per_s"] = result["window_updates"] / result["window_s"]
    result["headless_per_s"] = result["headless_updates"] / result["headless_s"]
    stalls = np.array(lateness[1:])
    result["stall_p99"] = float(np.percentile(stalls, 99))
    result["stall_max"] = float(stalls.max())
    return result


def startup_times(runs: int = 3) -> tuple[float, float]:
    paint, frame = [], []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run(
            [sys.executable, str(ROOT / "main.py"), "--report-startup"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
        times = dict(line.rsplit(" ", 1) for line in out.splitlines() if line.startswith("first"))
        paint.append(float(times["first paint"]) - start)
        frame.append(float(times["first frame"]) - start)
    return min(paint), min(frame)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--hidden", default="20", help="comma-separated hidden widths")
    parser.add_argument("--network", action="store_true", help="with the network view shown")
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up timing")
    args = parser.parse_args()
    from model.config import ExperimentConfig, ModelConfig

    hidden = tuple(int(w) for w in args.hidden.split(",") if w)
    config = ExperimentConfig(model=ModelConfig(hidden=hidden))
    gui = window_run(config, args.seconds, args.network)
    headless = gui["headless_per_s"]
    paint, frame = (0.0, 0.0) if args.no_startup else startup_times()
    shown = " with the network view" if args.network else ""
    print(f"network 2-{'-'.join(map(str, hidden))}-2{shown}, {args.seconds:g} s at full speed")
    print(f"frames drawn per second          {gui['fps']:8.1f}   (goal >= 25)")
    print(
        f"event-loop stall p99 / worst ms  {gui['stall_p99']:8.1f} / {gui['stall_max']:.1f}"
        f"   (goal p99 < 50)"
    )
    print(
        f"updates/s window / headless      {gui['updates_per_s']:8.0f} / {headless:.0f} = "
        f"{gui['updates_per_s'] / headless:.2f}   (goal >= 0.70)"
    )
    print(f"start to first paint / frame s   {paint:8.2f} / {frame:.2f}   (goal < 1.5)")


if __name__ == "__main__":
    main()
