"""The Experiments window: the perceptron grid and run comparisons, run in the background."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.files.save_dialogs import save_csv, save_plot_png
from gui.panels.widgets import int_spin, log_spin
from gui.views.compare_view import MEASURES, CompareView
from gui.views.grid_view import GridHeatmap
from gui.windows.plot_menu import PlotMenus
from gui.workers.experiment_worker import ExperimentWorker
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.experiments import COMPARABLE, Comparison, PerceptronGrid, config_with

DEFAULT_VALUES = {
    "batch_size": "1, 10, 50, 200, 500",
    "learning_rate": "0.1, 0.03, 0.01, 0.003",
    "hidden": "20; 10-10; 50",
    "activation": "relu, tanh, sigmoid",
    "optimizer": "sgd, momentum, adam",
    "init": "he, xavier, small",
}


def parse_numbers(text: str, name: str, kind: Callable = float) -> list:
    """A comma-separated list of numbers, or ValueError naming the field."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if not parts:
        raise ValueError(f"{name}: enter at least one value, separated by commas")
    try:
        return [kind(p) for p in parts]
    except ValueError:
        raise ValueError(f"{name}: {text!r} is not a comma-separated list of numbers") from None


def parse_values(parameter: str, text: str) -> list:
    """The values to compare, checked against the configuration rules."""
    if parameter == "hidden":
        runs = [r.strip() for r in text.split(";") if r.strip()]
        try:
            values = [
                tuple(int(w) for w in r.replace(",", "-").split("-") if w.strip()) for r in runs
            ]
        except ValueError:
            raise ValueError(
                "hidden: write runs separated by ';', widths by '-', e.g. 20; 10-10"
            ) from None
    elif parameter == "batch_size":
        values = parse_numbers(text, "batch sizes", int)
    elif parameter == "learning_rate":
        values = parse_numbers(text, "learning rates", float)
    else:
        values = [v.strip() for v in text.split(",") if v.strip()]
    if not values:
        raise ValueError(f"{parameter}: enter at least one value")
    for value in values:
        config_with(ExperimentConfig(), parameter, value)  # raises on a bad value
    return values


def labelled_row(*fields: tuple[str, QWidget, int], stretch: bool = False) -> QHBoxLayout:
    """Labels and their fields side by side, each ``(label, widget, stretch factor)``."""
    row = QHBoxLayout()
    for index, (text, widget, factor) in enumerate(fields):
        if index:
            row.addSpacing(12)
        label = QLabel(text)
        label.setBuddy(widget)
        row.addWidget(label)
        row.addWidget(widget, factor)
    if stretch:
        row.addStretch(1)
    return row


class ExperimentsWindow(QWidget):
    """Two tabs; each runs its experiment in the shared background thread."""

    open_configuration = Signal(object)  # an ExperimentConfig to load in the main view
    request_grid = Signal(object)
    request_compare = Signal(object)

    def __init__(self, base_config: Callable[[], ExperimentConfig], parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Neural Playground: experiments")
        self.resize(1100, 760)
        self.base_config = base_config
        self.grid: PerceptronGrid | None = None
        self.comparison: Comparison | None = None
        # None: parallel processes when the cost model says they pay (model/parallel.py).
        self.force_parallel: bool | None = None
        tabs = QTabWidget()
        tabs.addTab(self._grid_tab(), "Perceptron grid")
        tabs.addTab(self._compare_tab(), "Compare runs")
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        self.tabs = tabs
        self.plot_menus = PlotMenus(self)  # right click on a plot: copy or save it
        self._start_worker()

    # ----- construction -----
    def _grid_tab(self) -> QWidget:
        tab = QWidget()
        self.means = QLineEdit("20, 2, 0.2, 0.02")
        self.means.setToolTip("Means m: the Gaussians sit at (m, m) and (-m, -m).")
        self.covs = QLineEdit("10, 1, 0.1, 0.01")
        self.covs.setToolTip("Per-axis variances of the Gaussians.")
        self.seeds = int_spin(
            1,
            100,
            5,
            "Repetitions per cell with seeds 0, 1, ...: the "
            "spread shows how much one draw of the data matters.",
        )
        self.grid_epochs = int_spin(1, 100_000, 20, "Epochs of the perceptron's batch rule.")
        self.grid_rate = log_spin(1e-5, 100.0, 0.01, "Learning rate of the perceptron.")
        form = QVBoxLayout()
        form.addLayout(labelled_row(("Means", self.means, 1), ("Covariances", self.covs, 1)))
        form.addLayout(
            labelled_row(
                ("Seeds", self.seeds, 0),
                ("Max epochs", self.grid_epochs, 0),
                ("Learning rate", self.grid_rate, 0),
                stretch=True,
            )
        )
        self.grid_run = QPushButton("Run")
        self.grid_run.setToolTip("Train the perceptron for every cell and seed")
        self.grid_run.clicked.connect(self.run_grid)
        self.grid_cancel = QPushButton("Cancel")
        self.grid_cancel.setEnabled(False)
        self.grid_cancel.clicked.connect(self.cancel)
        self.grid_progress = QProgressBar()
        self.grid_csv = QPushButton("Save CSV…")
        self.grid_csv.setToolTip("Every finished (mean, covariance, seed) with its accuracy")
        self.grid_csv.clicked.connect(self._save_grid_csv)
        self.grid_png = QPushButton("Accuracy PNG…")
        self.grid_png.setToolTip("Save the perceptron's heatmap as a PNG image")
        self.grid_png.clicked.connect(lambda: self._save_png(self.accuracy_map.plotItem))
        self.bayes_png = QPushButton("Bayes PNG…")
        self.bayes_png.setToolTip("Save the Bayes-optimal heatmap as a PNG image")
        self.bayes_png.clicked.connect(lambda: self._save_png(self.bayes_map.plotItem))
        buttons = QHBoxLayout()
        for widget in (
            self.grid_run,
            self.grid_cancel,
            self.grid_progress,
            self.grid_csv,
            self.grid_png,
            self.bayes_png,
        ):
            buttons.addWidget(widget)
        self.accuracy_map = GridHeatmap(
            "Perceptron test accuracy (mean ± std over seeds)", "test accuracy (0.5: chance)"
        )
        self.bayes_map = GridHeatmap(
            "Bayes-optimal accuracy: no classifier does better", "best possible accuracy"
        )
        self.accuracy_map.setToolTip("Click a cell to open it in the main window")
        self.accuracy_map.cell_clicked.connect(self._open_cell)
        self.bayes_map.cell_clicked.connect(self._open_cell)
        maps = QSplitter()
        maps.addWidget(self.accuracy_map)
        maps.addWidget(self.bayes_map)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(maps, 1)
        return tab

    def _compare_tab(self) -> QWidget:
        tab = QWidget()
        self.parameter = QComboBox()
        for name in COMPARABLE:
            self.parameter.addItem(name.replace("_", " "), name)
        self.parameter.setToolTip(
            "The one setting that differs between the runs; everything "
            "else is the main window's configuration"
        )
        self.values = QLineEdit(DEFAULT_VALUES["batch_size"])
        self.values.setToolTip(
            "The values to compare, separated by commas (hidden layers: runs by ';', widths by '-')"
        )
        self.parameter.currentIndexChanged.connect(
            lambda: self.values.setText(DEFAULT_VALUES[self.parameter.currentData()])
        )
        self.compare_epochs = int_spin(1, 100_000, 100, "Epochs per run")
        self.x_axis = QComboBox()
        for label, value in (
            ("epochs", "epoch"),
            ("updates", "update"),
            ("training seconds", "seconds"),
        ):
            self.x_axis.addItem(label, value)
        self.x_axis.setToolTip("What the curves are plotted against")
        self.compare_run = QPushButton("Run")
        self.compare_run.setToolTip("Same data and same initial weights for every run")
        self.compare_run.clicked.connect(self.run_compare)
        self.compare_cancel = QPushButton("Cancel")
        self.compare_cancel.setEnabled(False)
        self.compare_cancel.clicked.connect(self.cancel)
        self.compare_progress = QProgressBar()
        self.compare_csv = QPushButton("Save CSV…")
        self.compare_csv.setToolTip("Every curve, one row per run and evaluation point")
        self.compare_csv.clicked.connect(self._save_compare_csv)
        self.compare_png = QPushButton("Save PNG…")
        self.compare_png.setToolTip("Save the plot chosen beside as a PNG image")
        self.compare_png.clicked.connect(self._save_compare_png)
        self.png_plot = QComboBox()
        for measure, title in MEASURES:
            self.png_plot.addItem(title, measure)
        self.png_plot.setToolTip("Which plot Save PNG writes")
        buttons = labelled_row(("Epochs", self.compare_epochs, 0), ("x axis", self.x_axis, 0))
        buttons.addSpacing(12)
        for widget in (
            self.compare_run,
            self.compare_cancel,
            self.compare_progress,
            self.compare_csv,
            self.png_plot,
            self.compare_png,
        ):
            buttons.addWidget(widget)
        self.compare_view = CompareView()
        self.x_axis.currentIndexChanged.connect(
            lambda: self.compare_view.set_x_axis(self.x_axis.currentData())
        )
        self.status = QLabel()
        layout = QVBoxLayout(tab)
        layout.addLayout(labelled_row(("Parameter", self.parameter, 0), ("Values", self.values, 1)))
        layout.addLayout(buttons)
        layout.addWidget(self.compare_view, 1)
        layout.addWidget(self.status)
        return tab

    def _start_worker(self) -> None:
        self.thread = QThread(self)
        self.worker = ExperimentWorker()
        self.worker.moveToThread(self.thread)
        self.request_grid.connect(self.worker.run_grid)
        self.request_compare.connect(self.worker.run_compare)
        self.worker.grid_progress.connect(self._grid_progress)
        self.worker.grid_finished.connect(self._grid_finished)
        self.worker.compare_progress.connect(self._compare_progress)
        self.worker.compare_finished.connect(self._compare_finished)
        self.worker.failed.connect(self._failed)
        self.thread.start()

    # ----- running -----
    def _busy(self, busy: bool) -> None:
        for button in (self.grid_run, self.compare_run):
            button.setEnabled(not busy)
        for button in (self.grid_cancel, self.compare_cancel):
            button.setEnabled(busy)

    def run_grid(self) -> None:
        try:
            means = parse_numbers(self.means.text(), "means")
            covs = parse_numbers(self.covs.text(), "covariances")
            for m in means:
                for c in covs:
                    DataConfig("gaussians", params={"mean": m, "cov": c})
        except ValueError as error:
            QMessageBox.warning(self, "Perceptron grid", str(error))
            return
        self._busy(True)
        self.grid_progress.setValue(0)
        self.grid_progress.setFormat("%v of %m trainings (grey cells: not done yet)")
        self.request_grid.emit(
            {
                "means": means,
                "covs": covs,
                "seeds": self.seeds.value(),
                "max_epochs": self.grid_epochs.value(),
                "learning_rate": self.grid_rate.value(),
            }
        )

    def run_compare(self) -> None:
        parameter = self.parameter.currentData()
        try:
            values = parse_values(parameter, self.values.text())
            base = self.base_config()
            if base.model.kind != "mlp":
                base = base.with_changes(model={"kind": "mlp"})
            for value in values:
                config_with(base, parameter, value)
        except ValueError as error:
            QMessageBox.warning(self, "Compare runs", str(error))
            return
        self._busy(True)
        self.compare_view.clear()
        self.compare_progress.setRange(0, len(values) * self.compare_epochs.value())
        self.compare_progress.setValue(0)
        request = {
            "config": base,
            "parameter": parameter,
            "values": values,
            "max_epochs": self.compare_epochs.value(),
        }
        if self.force_parallel is not None:
            request["parallel"] = self.force_parallel
        self.request_compare.emit(request)

    def cancel(self) -> None:
        self.worker.cancel()

    @Slot(int, int, object)
    def _grid_progress(self, done: int, total: int, grid: PerceptronGrid | None) -> None:
        self.grid_progress.setRange(0, total)
        self.grid_progress.setValue(done)
        if grid is not None:
            self._show_grid(grid)

    @Slot(object)
    def _grid_finished(self, grid: PerceptronGrid) -> None:
        self._busy(False)
        self._show_grid(grid)
        if grid.cancelled:
            self.grid_progress.setFormat("cancelled at %v of %m (grey cells: not done)")
        else:
            self.grid_progress.setFormat("%v of %m trainings")

    def _show_grid(self, grid: PerceptronGrid) -> None:
        self.grid = grid
        mean, std, bayes = grid.mean_accuracy, grid.std_accuracy, grid.bayes
        complete = grid.complete
        texts = [
            [
                f"{mean[i, j]:.3f}\n± {std[i, j]:.3f}" if complete[i, j] else ""
                for j in range(len(grid.covs))
            ]
            for i in range(len(grid.means))
        ]
        shown = np.where(complete, mean, np.nan)
        self.accuracy_map.show_grid(grid.means, grid.covs, shown, texts)
        bayes_texts = [
            [f"{bayes[i, j]:.3f}" for j in range(len(grid.covs))] for i in range(len(grid.means))
        ]
        self.bayes_map.show_grid(grid.means, grid.covs, bayes, bayes_texts)

    @Slot(int, int, object, object)
    def _compare_progress(self, _done: int, _total: int, comparison, thumbnails) -> None:
        if comparison is None:
            return
        points = sum(max(0, len(run.history) - 1) for run in comparison.runs)
        self.compare_progress.setValue(points)
        self.compare_view.show_comparison(comparison, thumbnails)
        self.plot_menus.attach_all()  # thumbnails are new plots

    @Slot(object, object)
    def _compare_finished(self, comparison: Comparison, thumbnails) -> None:
        self._busy(False)
        self.comparison = comparison
        self.compare_view.show_comparison(comparison, thumbnails, final=True)
        self.plot_menus.attach_all()  # thumbnails are new plots
        if comparison.cancelled:
            self.status.setText("Cancelled: the runs so far are shown.")
        else:
            self.compare_progress.setValue(self.compare_progress.maximum())
            diverged = [run.label for run in comparison.runs if run.stopped_reason]
            done = f"Done, {self.worker.mode}."
            self.status.setText(f"{done} Diverged: {', '.join(diverged)}" if diverged else done)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._busy(False)
        QMessageBox.warning(self, "Experiment", message)

    def _open_cell(self, row: int, column: int) -> None:
        if self.grid is None:
            return
        config = ExperimentConfig(
            DataConfig(
                "gaussians", params={"mean": self.grid.means[row], "cov": self.grid.covs[column]}
            ),
            ModelConfig(kind="perceptron"),
            TrainConfig(learning_rate=self.grid_rate.value()),
        )
        self.open_configuration.emit(config)

    # ----- export -----
    def _save_grid_csv(self) -> None:
        if self.grid is None:
            QMessageBox.information(self, "Save CSV", "Run the grid first.")
            return
        save_csv(self, "Save the grid as CSV", PerceptronGrid.header(), self.grid.rows())

    def _save_compare_csv(self) -> None:
        if self.comparison is None:
            QMessageBox.information(self, "Save CSV", "Run a comparison first.")
            return
        save_csv(self, "Save the comparison as CSV", Comparison.header(), self.comparison.rows())

    def _save_png(self, plot_item) -> None:
        save_plot_png(self, plot_item)

    def _save_compare_png(self) -> None:
        """The chosen plot, with the runs' legend beside it (on screen it is above the four)."""
        measure = self.png_plot.currentData()
        with self.compare_view.legend_beside(measure):
            self._save_png(self.compare_view.plots[measure].plotItem)

    def closeEvent(self, event) -> None:
        """Closing only hides the window (it is opened again with Ctrl+E): a running
        experiment is cancelled, the thread stays for the next one."""
        self.worker.cancel()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop the background thread for good (the main window is closing)."""
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait(10_000)
        self.close()
