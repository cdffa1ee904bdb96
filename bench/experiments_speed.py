"""Wall time of the course's experiments, serial against parallel processes, and how
responsive the window stays while they run.

Run: .venv/bin/python bench/experiments_speed.py [--hypergrid]

Prints, for the default perceptron sweep (16 cells x 5 seeds), the default batch-size
comparison (1, 10, 50, 200, 500 for 100 epochs) and a learning-rate comparison at batch
size 1 (4 runs x 30 epochs): the wall time serially in this process, the wall time in two
worker processes (warm, after one run to start them), which of the two the app would pick,
and then the 99th-percentile and worst lateness of a 5 ms timer in the window's GUI thread
while the grid and the batch-size comparison run in the Experiments window.

Then a hyperparameter map (model/experiments/map_placement.py): 10 learning rates x 10
batch sizes x 3 seeds x 50 epochs of moons, serially in this process, in two local worker processes
(started
cold, as a first grid is) and on a two-worker Dask LocalCluster (worker processes, started
before the clock): wall time, speed-up, overhead per run, and the goal for the local run,
at most 1.2 x (serial / cores) + 2 s. ``--hypergrid`` runs this part alone.
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
from model.experiments.comparisons import (  # noqa: E402
    compare_runs,
    config_with,
    perceptron_sweep,
    perceptron_test_accuracy,
)
from model.experiments.parallel_comparisons import compare_runs_parallel, worth_parallel  # noqa: E402

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
        if not experiments.sweep_tab.run_button.isEnabled():
            return
        if stage[0] == "grid" and experiments.sweep_tab.grid is not None:
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
        experiments.sweep_tab.run()

    QTimer.singleShot(1500, begin)
    app.exec()
    stalls = np.array(lateness[1:])
    return float(np.percentile(stalls, 99)), float(stalls.max())


def hypergrid_speed() -> None:
    """The 10 x 10 x 3 x 50-epoch map three ways; the same rows each way, checked."""
    from model.experiments.hyperparameter_map import MapSpec, parse_axis
    from model.experiments.map_placement import run_map

    spec = MapSpec(
        ExperimentConfig(),
        parse_axis("learning_rate=0.001,0.002,0.005,0.01,0.02,0.05,0.1,0.2,0.5,1"),
        parse_axis("batch_size=1,2,5,10,20,50,100,200,400,full"),
        seeds=3,
        epochs=50,
    )
    runs, cores = spec.total_runs, os.cpu_count() or 1

    def rows(result) -> list:
        return [row[:10] + row[11:] for row in result.rows()]

    serial = run_map(spec, jobs=1)
    local = run_map(spec, jobs=2)
    timings = [("serial, this process", serial, 1), ("2 local processes", local, 2)]
    try:
        from distributed import LocalCluster
    except ImportError:
        print("(Dask not installed: pip install -e '.[cluster]' to time the LocalCluster)")
        cluster_rows = None
    else:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            on_cluster = run_map(spec, scheduler=cluster.scheduler_address)
        timings.append(("Dask LocalCluster, 2 workers", on_cluster, 2))
        cluster_rows = rows(on_cluster)
    print(f"\nhyperparameter map: 10 x 10 cells x 3 seeds x 50 epochs of moons ({runs} runs)")
    # training s: the runs' own training time added up. Runs slowed down by other work on
    # the machine raise it; the cost of sending runs to workers does not. "dispatch/run" is
    # the overhead left once the serial work is scaled by that slow-down.
    serial_busy = sum(r.seconds for r in serial.records.values())
    print(
        f"{'where':<30}{'wall s':>7}{'speed-up':>9}{'overhead/run ms':>16}"
        f"{'training s':>11}{'dispatch/run ms':>16}"
    )
    for label, result, workers in timings:
        seconds = result.seconds
        overhead = (seconds * workers - serial.seconds) / runs * 1000
        busy = sum(r.seconds for r in result.records.values())
        dispatch = (seconds * workers - serial.seconds * busy / serial_busy) / runs * 1000
        print(
            f"{label:<30}{seconds:>7.1f}{serial.seconds / seconds:>9.2f}{overhead:>16.1f}"
            f"{busy:>11.1f}{dispatch:>16.1f}"
        )
    goal = 1.2 * serial.seconds / cores + 2.0
    verdict = "met" if local.seconds <= goal else "NOT met"
    print(
        f"goal: 2 local processes <= 1.2 x ({serial.seconds:.1f} s / {cores} cores) + 2 s "
        f"= {goal:.1f} s: {local.seconds:.1f} s, {verdict}"
    )
    same = rows(local) == rows(serial) and cluster_rows in (None, rows(serial))
    print(f"every way gives the same {runs} rows (seconds aside): {same}")


def main() -> None:
    if "--hypergrid" in sys.argv[1:]:
        hypergrid_speed()
        return
    perceptron_sweep([2], [1], 1)  # imports and first-call costs out of the way
    serial = timed(lambda: perceptron_sweep(MEANS, COVS, SEEDS))
    grid_parallel()  # start the workers
    parallel = timed(grid_parallel)
    print(f"{'experiment':<40}{'serial s':>10}{'2 processes s':>15}{'app uses':>12}")
    print(
        f"{'perceptron sweep 16 cells x 5 seeds':<40}{serial:>10.2f}{parallel:>15.2f}{'serial':>12}"
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
    hypergrid_speed()


if __name__ == "__main__":
    main()
