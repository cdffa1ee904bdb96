"""The Experiments window's hyperparameter map: it runs, fills, opens a cell, exports."""

import csv
import json

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from gui.files.export import export_csv, export_plot_png
from gui.views.hyperparameter_map_view import decade_ticks
from gui.views.perceptron_sweep_view import PENDING
from gui.windows.experiments_map import export_grid_json
from model.experiments.hyperparameter_map import MapSpec
from model.experiments.map_placement import run_map

TIMEOUT = 60_000


@pytest.fixture
def tab(qtbot, window):
    window.show_experiments()
    experiments = window.experiments
    experiments.tabs.setCurrentIndex(2)
    tab = experiments.hypergrid_tab
    assert experiments.tabs.currentWidget() is tab
    return tab


def small_grid(tab, x="0.01, 0.3", y="10, full", seeds=2, epochs=3) -> None:
    tab.x_parameter.setCurrentIndex(tab.x_parameter.findData("learning_rate"))
    tab.x_values.setText(x)
    tab.y_parameter.setCurrentIndex(tab.y_parameter.findData("batch_size"))
    tab.y_values.setText(y)
    tab.seeds.setValue(seeds)
    tab.epochs.setValue(epochs)


def finished(tab) -> bool:
    return tab.run_button.isEnabled() and tab.result is not None and tab.result.done > 0


def test_the_map_fills_and_matches_a_local_run(qtbot, tab):
    small_grid(tab)
    tab.run()
    assert not tab.run_button.isEnabled() and tab.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: finished(tab), timeout=TIMEOUT)
    result = tab.result
    assert result.complete.all() and not result.error and "local processes" in result.where
    assert "Done: 8 of 8 runs" in tab.status.text()
    again = run_map(result.spec, jobs=1)
    strip = [[v for i, v in enumerate(row) if i != 10] for row in again.rows()]
    assert [[v for i, v in enumerate(row) if i != 10] for row in result.rows()] == strip
    colours = tab.map.colours[..., :3]
    assert not (colours == PENDING).all(axis=-1).any()  # every cell has a score
    mean = result.mean("test_accuracy")
    assert tab.map.texts[0][1].startswith(f"{mean[0, 1]:.3f}")
    tab.map.cell_hovered.emit(1, 0)
    assert tab.readout.text().startswith("learning_rate=0.01, batch_size=full: final test acc")
    for index in range(tab.measure.count()):  # every measure and the spread draw
        tab.measure.setCurrentIndex(index)
        for show in range(tab.show_what.count()):
            tab.show_what.setCurrentIndex(show)
            assert len(tab.map.texts) == 2
    assert decade_ticks((1.0, 3.2)) == [(1, "10"), (2, "100"), (3, "1,000")]


def test_clicking_a_cell_opens_its_configuration(qtbot, window, tab):
    small_grid(tab, seeds=1)
    tab.run()
    qtbot.waitUntil(lambda: finished(tab), timeout=TIMEOUT)
    expected = tab.result.spec.cell_config(1, 0)
    assert expected.train.learning_rate == 0.01 and expected.train.batch_size is None
    view = tab.map
    point = view.mapFromScene(view.getViewBox().mapViewToScene(QPointF(0.5, 1.5)))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.playground.config == expected, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: window.playground.worker.config == expected, timeout=TIMEOUT)


def test_cancel_keeps_the_finished_cells(qtbot, tab):
    small_grid(tab, x="0.01, 0.03, 0.1, 0.3", y="1, 2", seeds=3, epochs=60)
    tab.run()
    qtbot.waitUntil(lambda: tab.result is not None and tab.result.done >= 1, timeout=TIMEOUT)
    tab.cancel_button.click()
    qtbot.waitUntil(tab.run_button.isEnabled, timeout=5000)
    result = tab.result
    assert result.cancelled and 1 <= result.done < result.spec.total_runs
    assert tab.status.text().startswith("Cancelled")
    pending = ~result.complete
    assert pending.any()
    row, column = np.argwhere(pending)[0]
    assert tab.map.texts[row][column] == ""
    assert tuple(tab.map.colours[row, column, :3]) == PENDING


def test_exports_write_csv_png_and_json(qtbot, tmp_path, tab):
    small_grid(tab, seeds=1, epochs=2)
    tab.run()
    qtbot.waitUntil(lambda: finished(tab), timeout=TIMEOUT)
    result = tab.result
    export_csv(tmp_path / "grid.csv", result.header(), result.rows())
    with (tmp_path / "grid.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["learning_rate", "batch_size", "seed"] and len(rows) == 1 + 4
    export_plot_png(tab.map.plotItem, tmp_path / "grid.png", 800)
    assert (tmp_path / "grid.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    export_grid_json(str(tmp_path / "grid.json"), result.spec)
    again = MapSpec.from_dict(json.loads((tmp_path / "grid.json").read_text()))
    assert again == result.spec


def test_bad_values_and_a_missing_cluster_say_why(qtbot, tab, monkeypatch):
    from gui.windows import experiments_map

    warnings = []
    monkeypatch.setattr(
        experiments_map.QMessageBox, "warning", lambda *args: warnings.append(args[2])
    )
    tab.x_values.setText("0.01, , 0.1")
    tab.run()
    assert "an entry is empty" in warnings[-1] and tab.run_button.isEnabled()
    small_grid(tab, seeds=1, epochs=1)
    tab.scheduler.setText("tcp://127.0.0.1:9")
    tab.run()
    qtbot.waitUntil(lambda: "Cannot reach the Dask scheduler" in tab.status.text(), timeout=20_000)
    assert tab.run_button.isEnabled()
