"""Wall time of the course's experiments, serial against parallel processes, and how
responsive the window stays while they run.

Run: .venv/bin/python bench/experiments_speed.py

Prints, for the default perceptron grid (16 cells x 5 seeds), the default batch-size
comparison (1, 10, 50, 200, 500 for 100 epochs) and a learning-rate comparison at batch
size 1 (4 runs x 30 epochs): the wall time serially in this process, the wall time in two
worker processes (warm, after one run to start them), which of the two the app would pick,
and then the 99th-percentile and worst lateness of a 5 ms timer in the window's GUI thread
while the grid and the batch-size comparison run in the Experiments window.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from model.config import ExperimentConfig  # noqa: E402
from model.experiments import (  # noqa: E402
    compare_runs,
    config_with,
    perceptron_grid,
    perceptron_test_accuracy,
)
from model.parallel import compare_runs_parallel, worth_parallel  # noqa: E402

MEANS, COVS, SEEDS = [20, 2, 0.2, 0.02], [10, 1, 0.1, 0.01], 5


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def grid_parallel() -> None:
    from joblib import Parallel, delayed

    cells = [(m, c, s) for m in MEANS for c in COVS for s in range(SEEDS)]
    Parallel(n_jobs=2)(delayed(perceptron_test_accuracy)(m, c, s) for m, c, s in cells)


def comparisons() -> list[tuple[str, ExperimentConfig, str, list, int]]:
    base = ExperimentConfig()
    sgd = base.with_changes(train={"batch_size": 1})
    return [
        ("batch sizes 1..500, 100 epochs", base, "batch_size", [1, 10, 50, 200, 500], 100),
        (
            "learning rates at batch 1, 30 epochs",
            sgd,
            "learning_rate",
            [0.1, 0.03, 0.01, 0.003],
            30,
        ),
    ]


def window_stalls() -> tuple[float, float]:
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import configure_pyqtgraph
    from gui.windows.main_window import MainWindow

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.show()
    window.show_experiments()
    experiments = window.experiments
    lateness: list[float] = []
    stage = ["grid"]
    clock = QElapsedTimer()
    clock.start()
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        lateness.append(max(0.0, now - last[0] - 5.0))
        if os.environ.get("DEBUG_STALLS") and lateness[-1] > 100:
            print(f"stall {lateness[-1]:.0f} ms at {now:.0f} ms during {stage[0]}")
        last[0] = now

    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(tick)

    def check() -> None:
        if not experiments.grid_tab.run_button.isEnabled():
            return
        if stage[0] == "grid" and experiments.grid_tab.grid is not None:
            stage[0] = "compare"
            experiments.tabs.setCurrentIndex(1)
            experiments.compare_tab.run()
        elif stage[0] == "compare" and experiments.compare_tab.comparison is not None:
            probe.stop()
            window.close()
            app.quit()

    watcher = QTimer()
    watcher.setInterval(50)
    watcher.timeout.connect(check)

    def begin() -> None:
        last[0] = clock.nsecsElapsed() / 1e6
        probe.start()
        watcher.start()
        experiments.grid_tab.run()

    QTimer.singleShot(1500, begin)
    app.exec()
    stalls = np.array(lateness[1:])
    return float(np.percentile(stalls, 99)), float(stalls.max())


def main() -> None:
    perceptron_grid([2], [1], 1)  # imports and first-call costs out of the way
    serial = timed(lambda: perceptron_grid(MEANS, COVS, SEEDS))
    grid_parallel()  # start the workers
    parallel = timed(grid_parallel)
    print(f"{'experiment':<40}{'serial s':>10}{'2 processes s':>15}{'app uses':>12}")
    print(
        f"{'perceptron grid 16 cells x 5 seeds':<40}{serial:>10.2f}{parallel:>15.2f}{'serial':>12}"
    )
    for label, config, parameter, values, epochs in comparisons():
        serial = timed(lambda c=config, p=parameter, v=values, e=epochs: compare_runs(c, p, v, e))
        compare_runs_parallel(config, parameter, values[:2], 1)  # warm the workers
        parallel = timed(
            lambda c=config, p=parameter, v=values, e=epochs: compare_runs_parallel(c, p, v, e)
        )
        configs = [config_with(config, parameter, v) for v in values]
        choice = "parallel" if worth_parallel(configs, 800, epochs) else "serial"
        print(f"{label:<40}{serial:>10.2f}{parallel:>15.2f}{choice:>12}")
    p99, worst = window_stalls()
    print(
        f"window stall while the grid and the batch-size comparison run: p99 {p99:.1f} ms, "
        f"worst {worst:.1f} ms (goal p99 < 50 ms)"
    )


if __name__ == "__main__":
    main()
