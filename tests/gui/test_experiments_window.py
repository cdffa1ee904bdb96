"""The Experiments window: the same numbers as the command line, Cancel, and exports."""

import csv
import gc
import json
import time
import weakref
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect
from PySide6.QtGui import QImage, QPainter

from gui.appearance.palette import CLASS_COLOURS
from gui.files.export import export_config_json, export_csv, export_plot_png
from gui.views.perceptron_sweep_view import ACCURACY_MAP, PENDING, PENDING_HATCH, accuracy_colours
from model.config import ExperimentConfig
from model.experiments.comparisons import PerceptronSweep
from tests.run_main import run_main

MAIN = Path(__file__).resolve().parents[2] / "main.py"
TIMEOUT = 30_000


def cli(*args: str) -> str:
    result = run_main(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def experiments(qtbot, window):
    window.show_experiments()
    yield window.experiments


@pytest.fixture
def sweep_tab(experiments):
    return experiments.sweep_tab


@pytest.fixture
def compare_tab(experiments):
    return experiments.compare_tab


def drawn_colour(heatmap, row: int, column: int) -> np.ndarray:
    """The RGB the screen shows a little above the middle of a cell (clear of its text)."""
    box = heatmap.getViewBox()
    point = heatmap.mapFromScene(box.mapViewToScene(QPointF(column + 0.5, row + 0.15)))
    colour = heatmap.grab().toImage().pixelColor(point)
    return np.array([colour.red(), colour.green(), colour.blue()])


def run_comparison(qtbot, experiments, parameter: str, values: str, epochs: int) -> None:
    experiments.tabs.setCurrentIndex(1)
    compare_tab = experiments.compare_tab
    compare_tab.parameter.setCurrentIndex(compare_tab.parameter.findData(parameter))
    compare_tab.values.setText(values)
    compare_tab.epochs.setValue(epochs)
    compare_tab.run()
    qtbot.waitUntil(
        lambda: compare_tab.comparison is not None and compare_tab.run_button.isEnabled(),
        timeout=TIMEOUT,
    )


def test_grid_matches_the_sweep_command(qtbot, sweep_tab):
    sweep_tab.means.setText("2, 0.2")
    sweep_tab.covs.setText("1, 0.1")
    sweep_tab.seeds.setValue(3)
    sweep_tab.run()
    qtbot.waitUntil(
        lambda: (
            sweep_tab.run_button.isEnabled()
            and sweep_tab.grid is not None
            and sweep_tab.grid.complete.all()
        ),
        timeout=TIMEOUT,
    )
    printed = cli("sweep", "--means", "2,0.2", "--covs", "1,0.1", "--seeds", "3")
    rows = printed.splitlines()[2:]
    grid = sweep_tab.grid
    for i, row in enumerate(rows):
        for j in range(2):
            cell = f"{grid.mean_accuracy[i, j]:.3f} +- {grid.std_accuracy[i, j]:.3f}"
            assert cell in row
    assert sweep_tab.accuracy_map.texts[0][0].startswith(f"{grid.mean_accuracy[0, 0]:.3f}")
    expected = accuracy_colours(grid.mean_accuracy)
    assert np.array_equal(sweep_tab.accuracy_map.colours, expected)
    assert np.array_equal(drawn_colour(sweep_tab.accuracy_map, 0, 0), expected[0, 0, :3])


def test_clicking_a_cell_opens_it_in_the_main_window(qtbot, window, sweep_tab):
    sweep_tab.means.setText("3, 0.5")
    sweep_tab.covs.setText("2")
    sweep_tab.seeds.setValue(1)
    sweep_tab.run()
    qtbot.waitUntil(
        lambda: sweep_tab.run_button.isEnabled() and sweep_tab.grid is not None, timeout=TIMEOUT
    )
    sweep_tab.accuracy_map.cell_clicked.emit(1, 0)
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.kind == "perceptron", timeout=TIMEOUT
    )
    data = window.playground.worker.config.data
    assert data.name == "gaussians" and data.params == {"mean": 0.5, "cov": 2.0}
    assert window.model_panel.kind.currentData() == "perceptron"
    assert window.data_panel.params["mean"].value() == 0.5


def test_comparison_matches_the_compare_command(qtbot, tmp_path, compare_tab):
    compare_tab.values.setText("10, 800")
    compare_tab.epochs.setValue(3)
    compare_tab.run()
    qtbot.waitUntil(lambda: compare_tab.comparison is not None, timeout=TIMEOUT)
    out = tmp_path / "compare.csv"
    cli("compare", "--batch_sizes", "10,800", "--max_steps", "3", "--csv", str(out))
    with out.open() as handle:
        expected = [row[:-1] for row in csv.reader(handle)][1:]  # all but the seconds column
    got = [[str(v) for v in row[:-1]] for row in compare_tab.comparison.rows()]
    assert len(got) == len(expected) == 8
    for mine, theirs in zip(got, expected, strict=True):
        assert mine[:4] == theirs[:4]
        assert np.allclose([float(v) for v in mine[4:]], [float(v) for v in theirs[4:]])
    assert len(compare_tab.view.thumbnails) == 2
    assert compare_tab.view.table.rowCount() == 2


def test_cancel_stops_within_a_second_and_keeps_finished_cells(qtbot, sweep_tab):
    sweep_tab.means.setText("0.2, 0.1, 0.05")  # overlapping: the rule never stops early
    sweep_tab.covs.setText("10, 5")
    sweep_tab.seeds.setValue(10)
    sweep_tab.epochs.setValue(3000)
    sweep_tab.run()
    qtbot.waitUntil(
        lambda: sweep_tab.grid is not None and sweep_tab.grid.complete.any(), timeout=TIMEOUT
    )
    started = time.perf_counter()
    sweep_tab.cancel_button.click()
    qtbot.waitUntil(sweep_tab.run_button.isEnabled, timeout=1000)
    assert time.perf_counter() - started < 1.0
    grid = sweep_tab.grid
    assert grid.cancelled and grid.complete.any() and not grid.complete.all()
    i, j = np.argwhere(grid.complete)[0]
    assert sweep_tab.accuracy_map.texts[i][j] != ""
    i, j = np.argwhere(~grid.complete)[0]
    assert sweep_tab.accuracy_map.texts[i][j] == ""
    assert tuple(sweep_tab.accuracy_map.colours[i, j, :3]) == PENDING


def test_bad_lists_are_refused_with_a_message(
    qtbot, experiments, monkeypatch, sweep_tab, compare_tab
):
    shown = []
    monkeypatch.setattr(
        "gui.windows.experiments_window.QMessageBox.warning",
        lambda parent, title, text: shown.append(text),
    )
    sweep_tab.means.setText("2, two")
    sweep_tab.run()
    experiments.tabs.setCurrentIndex(1)
    compare_tab.values.setText("10, 0")
    compare_tab.run()
    assert "means" in shown[0] and "batch_size must be a whole number from 1" in shown[1]
    assert sweep_tab.run_button.isEnabled() and sweep_tab.grid is None


def test_exports_write_readable_files_atomically(qtbot, window, tmp_path):
    png = tmp_path / "boundary.png"
    export_plot_png(window.boundary.plotItem, png, width=640)
    image = QImage(str(png))
    assert not image.isNull() and image.width() == 640
    table = tmp_path / "table.csv"
    export_csv(table, ["a", "b"], [[1, 2.5], [3, 4.5]])
    assert list(csv.reader(table.open())) == [["a", "b"], ["1", "2.5"], ["3", "4.5"]]
    config_path = tmp_path / "config.json"
    export_config_json(config_path, window.playground.config)
    assert (
        ExperimentConfig.from_dict(json.loads(config_path.read_text())) == window.playground.config
    )

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


def test_a_comparison_can_run_in_parallel_processes(qtbot, compare_tab):
    compare_tab.force_parallel = True
    compare_tab.parameter.setCurrentIndex(compare_tab.parameter.findData("learning_rate"))
    compare_tab.values.setText("0.1, 0.01")
    compare_tab.epochs.setValue(3)
    compare_tab.run()
    qtbot.waitUntil(lambda: compare_tab.comparison is not None, timeout=TIMEOUT)
    assert "in 2 processes" in compare_tab.status.text()
    assert [len(run.history) for run in compare_tab.comparison.runs] == [4, 4]
    assert compare_tab.view.table.rowCount() == 2


def test_a_new_comparison_keeps_nothing_of_the_last_ones_thumbnails(
    qtbot, experiments, compare_tab, monkeypatch
):
    """A comparison in two processes, then one with fewer values in one process: the view
    shows exactly the new runs' boundaries, and no image of the first comparison is kept."""
    sent = []  # weak references to every boundary image sent to the view, per comparison
    show = compare_tab.view.show_comparison

    def recording(comparison, thumbnails=None, final=False):
        sent[-1].extend(weakref.ref(image) for image in (thumbnails or {}).values())
        show(comparison, thumbnails, final)

    monkeypatch.setattr(compare_tab.view, "show_comparison", recording)
    thumbnails = compare_tab.view.thumbnails
    keys = []
    for parallel, values in ((True, "0.1, 0.03, 0.01"), (False, "0.1, 0.01")):
        compare_tab.force_parallel = parallel
        sent.append([])
        run_comparison(qtbot, experiments, "learning_rate", values, 3)
        mode = "in 2 processes" if parallel else "in one process"
        assert compare_tab.status.text() == f"Done, {mode}."
        runs = len(values.split(", "))
        assert len(thumbnails) == len(thumbnails.images) == runs
        assert all(image is not None for image in thumbnails.images)
        keys.append({image.cacheKey() for image in thumbnails.images})
    assert keys[0].isdisjoint(keys[1])  # every image shown is the new comparison's
    gc.collect()
    assert sent[0] and all(image() is None for image in sent[0])  # the first run's: gone


def test_the_window_runs_again_after_being_closed_and_reopened(qtbot, window):
    window.show_experiments()
    window.experiments.close()
    window.show_experiments()
    sweep_tab = window.experiments.sweep_tab
    sweep_tab.means.setText("2")
    sweep_tab.covs.setText("1")
    sweep_tab.seeds.setValue(1)
    sweep_tab.run()
    qtbot.waitUntil(
        lambda: sweep_tab.grid is not None and sweep_tab.run_button.isEnabled(), timeout=TIMEOUT
    )


def test_pending_grid_cells_are_grey_and_blank_and_finished_ones_viridis(
    qtbot, experiments, sweep_tab
):
    """A part-done grid: cells without a value are grey (hatched) with no number, never the
    colour of a score; finished cells have viridis's colour for their value, and their
    numbers are black on the light end of the map and white on the dark end."""
    accuracies = np.full((3, 2, 2), np.nan)
    accuracies[0, 0] = 1.0  # yellow end
    accuracies[0, 1] = [0.5, 0.5]  # dark purple end
    accuracies[1, 0] = [0.7, 0.8]
    accuracies[1, 1, 0] = 0.9  # one seed of two: not finished
    experiments.resize(1024, 640)
    sweep_tab.show_grid(PerceptronSweep([2.0, 0.2, 0.02], [1.0, 0.1], accuracies))
    heatmap = sweep_tab.accuracy_map
    qtbot.waitUntil(lambda: heatmap.getViewBox().width() > 100)
    for i, j in [(1, 1), (2, 0), (2, 1)]:
        assert heatmap.texts[i][j] == "" and heatmap.labels[i][j].toPlainText() == ""
        assert tuple(heatmap.colours[i, j, :3]) == PENDING
        shown = tuple(drawn_colour(heatmap, i, j))
        assert min(np.abs(np.subtract(shown, c)).max() for c in (PENDING, PENDING_HATCH)) <= 2
    for (i, j), value in {(0, 0): 1.0, (0, 1): 0.5, (1, 0): 0.75}.items():
        expected = ACCURACY_MAP.map((value - 0.5) / 0.5, mode="byte")[:3]
        assert np.array_equal(heatmap.colours[i, j, :3], expected)
        assert np.abs(drawn_colour(heatmap, i, j) - expected).max() <= 2
        assert heatmap.texts[i][j].startswith(f"{value:.3f}")
    assert heatmap.labels[0][0].color.getRgb()[:3] == (0, 0, 0)  # on yellow
    assert heatmap.labels[0][1].color.getRgb()[:3] == (255, 255, 255)  # on dark purple
    assert ACCURACY_MAP.name == "viridis"
    for bar_map in (heatmap, sweep_tab.bayes_map):
        assert "accuracy" in bar_map.colour_bar.axis.labelText
        assert bar_map.colour_bar.isVisible()
        assert bar_map.colour_bar.colorMap() is ACCURACY_MAP
        bar = bar_map.colour_bar.mapRectToScene(bar_map.colour_bar.boundingRect())
        assert bar.right() <= bar_map.width()  # inside the widget, label and all
    assert tuple(sweep_tab.bayes_map.colours[2, 1, :3]) != PENDING  # Bayes is always known


def axis_texts(plot) -> list[tuple[str, object]]:
    """The bottom axis' tick labels as drawn, with their rectangles in the plot's pixels."""
    axis = plot.getAxis("bottom")
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [
        (text, plot.mapFromScene(axis.mapRectToScene(rect)).boundingRect())
        for rect, _, text in texts
    ]


def test_compare_shows_every_run_in_the_table_and_the_legend(qtbot, experiments, compare_tab):
    run_comparison(qtbot, experiments, "batch_size", "1, 10, 50, 200, 500", 10)
    view = compare_tab.view
    labels = ["1", "10", "50", "200", "500"]
    qtbot.waitUntil(lambda: view.legend.labels == labels)
    assert view.legend.title == "batch size:"
    assert view.legend.height() >= view.legend.heightForWidth(view.legend.width())
    table = view.table
    assert table.rowCount() == 5
    assert [table.item(row, 0).text() for row in range(5)] == labels
    assert not table.verticalScrollBar().isVisible()
    for row in range(5):  # every row wholly inside the table's viewport
        top = table.rowViewportPosition(row)
        assert top >= 0 and top + table.rowHeight(row) <= table.viewport().height()
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()  # no column cut off on the right
    assert len(view.thumbnails) == 5
    # One legend for the four plots, outside them: it covers no curve.
    legend = view.legend.geometry()
    assert all(p.plotItem.legend is None for p in view.plots.values())
    for plot in view.plots.values():  # both in the compare view's coordinates
        assert not legend.intersects(QRect(plot.mapTo(view, QPoint(0, 0)), plot.size()))
    # The last tick label of each plot is drawn whole, inside the plot.
    for plot in view.plots.values():
        texts = axis_texts(plot)
        assert "10" in [text for text, _ in texts]  # the axis' end, epoch 10
        assert all(plot.rect().contains(rect) for _, rect in texts)


def test_runs_beyond_six_differ_in_line_style_and_the_table_scrolls_to_them(
    qtbot, experiments, compare_tab
):
    values = "1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001, 0.0003"
    run_comparison(qtbot, experiments, "learning_rate", values, 2)
    view = compare_tab.view
    assert view.legend.labels == values.split(", ")
    pens = [view.curves.lines[("test_loss", i)].opts["pen"] for i in range(8)]
    looks = {(pen.color().getRgb()[:3], pen.style()) for pen in pens}
    assert len(looks) == 8
    assert {pen.color().getRgb()[:3] for pen in pens} == set(CLASS_COLOURS)
    table = view.table
    assert table.rowCount() == 8
    last = table.rowViewportPosition(7) + table.rowHeight(7)
    fits = last <= table.viewport().height()
    assert fits or table.verticalScrollBar().isVisible()
    table.scrollToBottom()
    assert table.rowViewportPosition(7) + table.rowHeight(7) <= table.viewport().height()


def test_switching_the_x_axis_refits_the_range_at_once(qtbot, experiments, compare_tab):
    run_comparison(qtbot, experiments, "batch_size", "10, 100", 4)
    view = compare_tab.view
    runs = compare_tab.comparison.runs
    plot = view.plots["train_loss"]
    assert plot.viewRange()[0] == pytest.approx([0, 4])
    compare_tab.x_axis.setCurrentIndex(compare_tab.x_axis.findData("update"))
    most = max(run.history[-1].update for run in runs)
    for measure, each in view.plots.items():
        assert each.viewRange()[0] == pytest.approx([0, most]), measure
        assert each.getAxis("bottom").labelText == "update"
        y_low, y_high = each.viewRange()[1]
        values = [getattr(p, measure) for run in runs for p in run.history]
        assert y_low <= min(values) and max(values) <= y_high
    curve = view.curves.lines[("train_loss", 0)]
    assert curve.xData[-1] == runs[0].history[-1].update
    compare_tab.x_axis.setCurrentIndex(compare_tab.x_axis.findData("epoch"))
    assert plot.viewRange()[0] == pytest.approx([0, 4])


def test_a_worker_whose_window_was_deleted_stops_quietly(qtbot):
    """Reporting to a window that is gone ends the job instead of raising in the thread."""
    import shiboken6

    from gui.workers.experiment_worker import ExperimentWorker

    worker = ExperimentWorker()
    shiboken6.delete(worker)  # as when its window is deleted mid-run
    worker.run_map(
        {"means": [2, 0.2], "covs": [1, 0.1], "seeds": 50, "max_epochs": 20, "learning_rate": 0.01}
    )
    assert worker.cancel_requested.is_set()
