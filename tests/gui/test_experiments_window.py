"""The Experiments window: the same numbers as the command line, Cancel, and exports."""

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtGui import QImage

from gui.export import export_config_json, export_csv, export_plot_png
from model.config import ExperimentConfig

MAIN = Path(__file__).resolve().parents[2] / "main.py"
TIMEOUT = 30_000


def cli(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(MAIN), *args], capture_output=True, text=True, timeout=120, check=True
    )
    return result.stdout


@pytest.fixture
def experiments(qtbot, window):
    window.show_experiments()
    yield window.experiments


def test_grid_matches_the_sweep_command(qtbot, experiments):
    experiments.means.setText("2, 0.2")
    experiments.covs.setText("1, 0.1")
    experiments.seeds.setValue(3)
    experiments.run_grid()
    qtbot.waitUntil(
        lambda: (
            experiments.grid_run.isEnabled()
            and experiments.grid is not None
            and experiments.grid.complete.all()
        ),
        timeout=TIMEOUT,
    )
    printed = cli("sweep", "--means", "2,0.2", "--covs", "1,0.1", "--seeds", "3")
    rows = printed.splitlines()[2:]
    grid = experiments.grid
    for i, row in enumerate(rows):
        for j in range(2):
            cell = f"{grid.mean_accuracy[i, j]:.3f} +- {grid.std_accuracy[i, j]:.3f}"
            assert cell in row
    assert experiments.accuracy_map.texts[0][0].startswith(f"{grid.mean_accuracy[0, 0]:.3f}")


def test_clicking_a_cell_opens_it_in_the_main_window(qtbot, window, experiments):
    experiments.means.setText("3, 0.5")
    experiments.covs.setText("2")
    experiments.seeds.setValue(1)
    experiments.run_grid()
    qtbot.waitUntil(
        lambda: experiments.grid_run.isEnabled() and experiments.grid is not None, timeout=TIMEOUT
    )
    experiments.accuracy_map.cell_clicked.emit(1, 0)
    qtbot.waitUntil(lambda: window.worker.config.model.kind == "perceptron", timeout=TIMEOUT)
    data = window.worker.config.data
    assert data.name == "gaussians" and data.params == {"mean": 0.5, "cov": 2.0}
    assert window.model_panel.kind.currentData() == "perceptron"
    assert window.data_panel.params["mean"].value() == 0.5


def test_comparison_matches_the_compare_command(qtbot, experiments, tmp_path):
    experiments.values.setText("10, 800")
    experiments.compare_epochs.setValue(3)
    experiments.run_compare()
    qtbot.waitUntil(lambda: experiments.comparison is not None, timeout=TIMEOUT)
    out = tmp_path / "compare.csv"
    cli("compare", "--batch_sizes", "10,800", "--max_steps", "3", "--csv", str(out))
    with out.open() as handle:
        expected = [row[:-1] for row in csv.reader(handle)][1:]  # all but the seconds column
    got = [[str(v) for v in row[:-1]] for row in experiments.comparison.rows()]
    assert len(got) == len(expected) == 8
    for mine, theirs in zip(got, expected, strict=True):
        assert mine[:4] == theirs[:4]
        assert np.allclose([float(v) for v in mine[4:]], [float(v) for v in theirs[4:]])
    assert len(experiments.compare_view.thumbnails) == 2
    assert experiments.compare_view.table.rowCount() == 2


def test_cancel_stops_within_a_second_and_keeps_finished_cells(qtbot, experiments):
    experiments.means.setText("0.2, 0.1, 0.05")  # overlapping: the rule never stops early
    experiments.covs.setText("10, 5")
    experiments.seeds.setValue(10)
    experiments.grid_epochs.setValue(3000)
    experiments.run_grid()
    qtbot.waitUntil(
        lambda: experiments.grid is not None and experiments.grid.complete.any(), timeout=TIMEOUT
    )
    started = time.perf_counter()
    experiments.grid_cancel.click()
    qtbot.waitUntil(experiments.grid_run.isEnabled, timeout=1000)
    assert time.perf_counter() - started < 1.0
    grid = experiments.grid
    assert grid.cancelled and grid.complete.any() and not grid.complete.all()
    i, j = np.argwhere(grid.complete)[0]
    assert experiments.accuracy_map.texts[i][j] != "…"


def test_bad_lists_are_refused_with_a_message(qtbot, experiments, monkeypatch):
    shown = []
    monkeypatch.setattr(
        "gui.experiments_window.QMessageBox.warning", lambda parent, title, text: shown.append(text)
    )
    experiments.means.setText("2, two")
    experiments.run_grid()
    experiments.tabs.setCurrentIndex(1)
    experiments.values.setText("10, 0")
    experiments.run_compare()
    assert "means" in shown[0] and "batch_size must be an integer from 1" in shown[1]
    assert experiments.grid_run.isEnabled() and experiments.grid is None


def test_exports_write_readable_files_atomically(qtbot, window, tmp_path):
    png = tmp_path / "boundary.png"
    export_plot_png(window.boundary.plotItem, png, width=640)
    image = QImage(str(png))
    assert not image.isNull() and image.width() == 640
    table = tmp_path / "table.csv"
    export_csv(table, ["a", "b"], [[1, 2.5], [3, 4.5]])
    assert list(csv.reader(table.open())) == [["a", "b"], ["1", "2.5"], ["3", "4.5"]]
    config_path = tmp_path / "config.json"
    export_config_json(config_path, window.config)
    assert ExperimentConfig.from_dict(json.loads(config_path.read_text())) == window.config

    def failing_rows():
        yield [5, 6]
        raise ValueError("the data went away")

    with pytest.raises(ValueError):
        export_csv(table, ["a", "b"], failing_rows())
    assert table.read_text() == "a,b\n1,2.5\n3,4.5\n"  # the old file is untouched
    with pytest.raises(OSError, match="does not exist"):
        export_csv(tmp_path / "missing" / "x.csv", ["a"], [[1]])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "boundary.png",
        "config.json",
        "table.csv",
    ]


def test_a_comparison_can_run_in_parallel_processes(qtbot, experiments):
    experiments.force_parallel = True
    experiments.parameter.setCurrentIndex(experiments.parameter.findData("learning_rate"))
    experiments.values.setText("0.1, 0.01")
    experiments.compare_epochs.setValue(3)
    experiments.run_compare()
    qtbot.waitUntil(lambda: experiments.comparison is not None, timeout=TIMEOUT)
    assert "in 2 processes" in experiments.status.text()
    assert [len(run.history) for run in experiments.comparison.runs] == [4, 4]
    assert experiments.compare_view.table.rowCount() == 2


def test_the_window_runs_again_after_being_closed_and_reopened(qtbot, window):
    window.show_experiments()
    window.experiments.close()
    window.show_experiments()
    experiments = window.experiments
    experiments.means.setText("2")
    experiments.covs.setText("1")
    experiments.seeds.setValue(1)
    experiments.run_grid()
    qtbot.waitUntil(
        lambda: experiments.grid is not None and experiments.grid_run.isEnabled(), timeout=TIMEOUT
    )
