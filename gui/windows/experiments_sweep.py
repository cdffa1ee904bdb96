"""The Experiments window's first tab: the course's perceptron on two Gaussians over means x
covariances x seeds, beside the Bayes-optimal accuracy that no classifier beats."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from gui.files.save_dialogs import save_csv, save_plot_png
from gui.panels.widgets import int_spin, log_spin
from gui.views.perceptron_sweep_view import GridHeatmap
from gui.windows.experiments_form import ExperimentTab, labelled_row, parse_numbers
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.experiments.comparisons import PerceptronSweep
from model.limits import EPOCHS_RANGE, LEARNING_RATE_RANGE, SEED_COUNT_RANGE


class GridTab(ExperimentTab):
    """The grid's fields, its two heatmaps and their exports; a click on a cell asks for
    that configuration in the main window."""

    open_configuration = Signal(object)  # an ExperimentConfig to load in the main view

    def __init__(self, parent=None) -> None:
        super().__init__("Train the perceptron for every cell and seed", parent)
        self.grid: PerceptronSweep | None = None
        self.means = QLineEdit("20, 2, 0.2, 0.02")
        self.means.setToolTip("Means m: the Gaussians sit at (m, m) and (-m, -m).")
        self.covs = QLineEdit("10, 1, 0.1, 0.01")
        self.covs.setToolTip("Per-axis variances of the Gaussians.")
        self.seeds = int_spin(
            *SEED_COUNT_RANGE,
            5,
            "Repetitions per cell with seeds 0, 1, ...: the "
            "spread shows how much one draw of the data matters.",
        )
        self.epochs = int_spin(*EPOCHS_RANGE, 20, "Epochs of the perceptron's batch rule.")
        self.rate = log_spin(*LEARNING_RATE_RANGE, 0.01, "Learning rate of the perceptron.")
        form = QVBoxLayout()
        form.addLayout(labelled_row(("Means", self.means, 1), ("Covariances", self.covs, 1)))
        form.addLayout(
            labelled_row(
                ("Seeds", self.seeds, 0),
                ("Max epochs", self.epochs, 0),
                ("Learning rate", self.rate, 0),
                stretch=True,
            )
        )
        csv = QPushButton("Save CSV…")
        csv.setToolTip("Every finished (mean, covariance, seed) with its accuracy")
        csv.clicked.connect(self._save_csv)
        accuracy_png = QPushButton("Accuracy PNG…")
        accuracy_png.setToolTip("Save the perceptron's heatmap as a PNG image")
        accuracy_png.clicked.connect(lambda: save_plot_png(self, self.accuracy_map.plotItem))
        bayes_png = QPushButton("Bayes PNG…")
        bayes_png.setToolTip("Save the Bayes-optimal heatmap as a PNG image")
        bayes_png.clicked.connect(lambda: save_plot_png(self, self.bayes_map.plotItem))
        buttons = QHBoxLayout()
        for widget in (
            self.run_button,
            self.cancel_button,
            self.progress,
            csv,
            accuracy_png,
            bayes_png,
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
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(maps, 1)

    def run(self) -> None:
        """Check the means and covariances, then ask the worker for the grid."""
        try:
            means = parse_numbers(self.means.text(), "means")
            covs = parse_numbers(self.covs.text(), "covariances")
            for m in means:
                for c in covs:
                    DataConfig("gaussians", params={"mean": m, "cov": c})
        except ValueError as error:
            QMessageBox.warning(self, "Perceptron sweep", str(error))
            return
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m trainings (grey cells: not done yet)")
        self.requested.emit(
            {
                "means": means,
                "covs": covs,
                "seeds": self.seeds.value(),
                "max_epochs": self.epochs.value(),
                "learning_rate": self.rate.value(),
            }
        )

    @Slot(int, int, object)
    def show_progress(self, done: int, total: int, grid: PerceptronSweep | None) -> None:
        """Trainings done of all, and the cells finished so far."""
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        if grid is not None:
            self.show_grid(grid)

    def finished(self, grid: PerceptronSweep) -> None:
        """The whole grid, or what was done before Cancel."""
        self.show_grid(grid)
        if grid.cancelled:
            self.progress.setFormat("cancelled at %v of %m (grey cells: not done)")
        else:
            self.progress.setFormat("%v of %m trainings")

    def show_grid(self, grid: PerceptronSweep) -> None:
        """Finished cells with mean ± std; the others grey and blank until every seed is in."""
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

    def _open_cell(self, row: int, column: int) -> None:
        if self.grid is None:
            return
        config = ExperimentConfig(
            DataConfig(
                "gaussians", params={"mean": self.grid.means[row], "cov": self.grid.covs[column]}
            ),
            ModelConfig(kind="perceptron"),
            TrainConfig(learning_rate=self.rate.value()),
        )
        self.open_configuration.emit(config)

    def _save_csv(self) -> None:
        if self.grid is None:
            QMessageBox.information(self, "Save CSV", "Run the grid first.")
            return
        save_csv(self, "Save the grid as CSV", PerceptronSweep.header(), self.grid.rows())
