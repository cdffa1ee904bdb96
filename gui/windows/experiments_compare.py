"""The Experiments window's second tab: runs that differ in one setting, everything else the
main window's configuration, shown as overlaid curves, a table and boundary thumbnails.

While the main window shows a run under Playground's rules, a comparison over batch size or
learning rate runs the link itself with that key changed, by Playground's rules
(model/playground/compare.py), and the tab says so; over another setting it trains the
panels' nearest settings by this app's rules, as before, and says that."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Slot
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout

from gui.files.save_dialogs import save_csv, save_plot_png
from gui.panels.widgets import int_spin
from gui.views.compare_curves import MEASURES
from gui.views.compare_view import CompareView
from gui.windows.experiments_form import (
    DEFAULT_VALUES,
    ExperimentTab,
    labelled_row,
    parse_values,
)
from gui.windows.playground_link import rules_of
from model.config import ExperimentConfig
from model.experiments.comparisons import COMPARABLE, Comparison, config_with
from model.limits import EPOCHS_RANGE
from model.playground.compare import PLAYGROUND_COMPARABLE, rules_with
from model.playground.config import PlaygroundConfig

X_AXES = (("epochs", "epoch"), ("updates", "update"), ("training seconds", "seconds"))
REGRESSION_NOT_COMPARED = (
    "Comparisons show accuracy and class boundaries, and a regression has neither: choose "
    "Classification in the main window's Data panel to compare runs. (Regression runs "
    "compare on the command line: main.py compare --problem regression --dataset plane.)"
)
UNDER_RULES = (
    "Each run is the shown link with {key} changed, trained by "
    "Playground's rules (its points and initial weights); the loss is Playground's, the mean "
    "of half the squared error, and the accuracy counts the output's sign."
)
NEAREST_SETTINGS = (
    "The shown run follows Playground rules, which compare over batch size or learning rate: "
    "these runs train the panels' nearest settings by this app's rules."
)


class CompareTab(ExperimentTab):
    """The parameter and its values, the runs' length and x axis, the comparison and its
    exports. ``base_config()`` is the main window's configuration at the time of Run."""

    def __init__(self, base_config: Callable[[], ExperimentConfig], parent=None) -> None:
        super().__init__("Same data and same initial weights for every run", parent)
        self.base_config = base_config
        self.comparison: Comparison | None = None
        self._note_after = ""  # said with "Done" (the rules the runs followed)
        # None: parallel processes when the cost model says they pay
        # (model/experiments/parallel_comparisons.py).
        self.force_parallel: bool | None = None
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
        self.epochs = int_spin(*EPOCHS_RANGE, 100, "Epochs per run")
        self.x_axis = QComboBox()
        for label, value in X_AXES:
            self.x_axis.addItem(label, value)
        self.x_axis.setToolTip("What the curves are plotted against")
        csv = QPushButton("Save CSV…")
        csv.setToolTip("Every curve, one row per run and evaluation point")
        csv.clicked.connect(self._save_csv)
        png = QPushButton("Save PNG…")
        png.setToolTip("Save the plot chosen beside as a PNG image")
        png.clicked.connect(self._save_png)
        self.png_plot = QComboBox()
        for measure, title in MEASURES:
            self.png_plot.addItem(title, measure)
        self.png_plot.setToolTip("Which plot Save PNG writes")
        buttons = labelled_row(("Epochs", self.epochs, 0), ("x axis", self.x_axis, 0))
        buttons.addSpacing(12)
        for widget in (
            self.run_button,
            self.cancel_button,
            self.progress,
            csv,
            self.png_plot,
            png,
        ):
            buttons.addWidget(widget)
        self.view = CompareView()
        self.x_axis.currentIndexChanged.connect(
            lambda: self.view.set_x_axis(self.x_axis.currentData())
        )
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(labelled_row(("Parameter", self.parameter, 0), ("Values", self.values, 1)))
        layout.addLayout(buttons)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

    def shown_rules(self) -> PlaygroundConfig | None:
        """The main window's run's link while it follows Playground's rules (the Experiments
        window is the main window's child), else None."""
        main = self.window().parentWidget()
        playground = getattr(main, "playground", None)
        return rules_of(getattr(playground, "last_frame", None))

    def run(self) -> None:
        """Check every value against the main window's configuration (or, under Playground
        rules, against Playground's own limits), then start the runs."""
        parameter = self.parameter.currentData()
        rules = self.shown_rules()
        if rules is not None and parameter not in PLAYGROUND_COMPARABLE:
            rules, note, after = None, NEAREST_SETTINGS, NEAREST_SETTINGS
        elif rules is not None:
            after = UNDER_RULES.format(key=PLAYGROUND_COMPARABLE[parameter])
            note = f"Under Playground rules: {after[0].lower()}{after[1:]}"
        else:
            note = after = ""
        try:
            values = parse_values(parameter, self.values.text())
            base = self.base_config()
            if base.data.is_regression or (rules is not None and rules.is_regression):
                raise ValueError(REGRESSION_NOT_COMPARED)
            if rules is not None:  # Playground's own limits (the batch within its points)
                for value in values:
                    rules_with(rules, parameter, value)
            if base.model.kind != "mlp":
                base = base.with_changes(model={"kind": "mlp"})
            for value in values:
                config_with(base, parameter, value)
        except ValueError as error:
            QMessageBox.warning(self, "Compare runs", str(error))
            return
        self.view.clear()
        self.progress.setRange(0, len(values) * self.epochs.value())
        self.progress.setValue(0)
        request = {
            "config": base,
            "parameter": parameter,
            "values": values,
            "max_epochs": self.epochs.value(),
            "rules": rules,
        }
        self.status.setText(note)
        self._note_after = after
        if self.force_parallel is not None:
            request["parallel"] = self.force_parallel
        self.requested.emit(request)

    @Slot(object, object)
    def show_progress(self, comparison: Comparison, thumbnails: dict[int, np.ndarray]) -> None:
        """Epochs trained of all, and the runs so far with their boundaries."""
        self.progress.setValue(comparison.epochs_done)
        self.view.show_comparison(comparison, thumbnails)

    def finished(
        self, comparison: Comparison, thumbnails: dict[int, np.ndarray], mode: str
    ) -> None:
        """The whole comparison, fitted exactly; ``mode`` says how it ran (one process or two)."""
        self.comparison = comparison
        self.view.show_comparison(comparison, thumbnails, final=True)
        if comparison.cancelled:
            self.status.setText("Cancelled: the runs so far are shown.")
        else:
            self.progress.setValue(self.progress.maximum())
            diverged = [run.label for run in comparison.runs if run.stopped_reason]
            done = f"Done, {mode}."
            if self._note_after:
                done = f"{done} {self._note_after}"
            self.status.setText(f"{done} Diverged: {', '.join(diverged)}" if diverged else done)

    def _save_csv(self) -> None:
        if self.comparison is None:
            QMessageBox.information(self, "Save CSV", "Run a comparison first.")
            return
        save_csv(self, "Save the comparison as CSV", Comparison.header(), self.comparison.rows())

    def _save_png(self) -> None:
        """The chosen plot, with the runs' legend beside it (on screen it is above the four)."""
        measure = self.png_plot.currentData()
        with self.view.legend_beside(measure):
            save_plot_png(self, self.view.plots[measure].plotItem)
