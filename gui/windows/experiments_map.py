"""The Experiments window's third tab: a hyperparameter map. Two settings varied together
over a grid, every cell trained with several seeds on the main window's configuration, shown
as a heatmap of a chosen measure (mean or spread over seeds) that fills as runs finish.

The runs go to this computer's worker processes or, given a scheduler's address, to a Dask
cluster; the numbers are the same either way, and the same as ``main.py grid``.

While the main window shows a run under Playground's rules, a map over two of learning rate,
batch size and L2 runs the link itself with those keys changed, by Playground's rules
(model/playground/map_cells.py), and the tab says so; over another setting it trains the
panels' nearest settings by this app's rules, and says that.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QMessageBox, QPushButton, QVBoxLayout

from gui.files.save_dialogs import ask_save_path, save_csv, save_or_warn, save_plot_png
from gui.panels.widgets import float_spin, int_spin
from gui.views.hyperparameter_map_picture import MEAN, SPREAD, picture, readout
from gui.views.hyperparameter_map_view import HypergridHeatmap
from gui.windows.experiments_form import ExperimentTab, labelled_row
from gui.windows.playground_link import rules_of
from model.config import ExperimentConfig
from model.experiments.hyperparameter_map import PARAMETERS, MapSpec, parse_values
from model.experiments.map_placement import dask_missing
from model.experiments.map_runs import MEASURES, MapResult
from model.io.safe_files import check_writable, write_atomic
from model.limits import EPOCHS_RANGE, SEED_COUNT_RANGE, TARGET_ACCURACY_RANGE
from model.playground.config import PlaygroundConfig
from model.playground.map_cells import PLAYGROUND_MAP_KEYS, seed_text

SHOWS = ((MEAN, "mean over seeds"), (SPREAD, "spread over seeds (std)"))
RUN_TIP = "Train every cell and seed: same data, and per seed the same initial weights"
SCHEDULER_TIP = (
    "Empty: the runs go to this computer's worker processes. A Dask scheduler's address "
    "(tcp://host:8786) sends them to that cluster: start one with 'dask scheduler' and "
    "'dask worker tcp://host:8786'."
)

UNDER_RULES = (
    "Under Playground rules: each cell is the shown link with {keys} changed, trained by "
    "Playground's rules; its first seed is the link's seed {seed}, seed k + 1 that text with "
    "-k appended ({example}). The loss is Playground's, the mean of half the squared error; "
    "the accuracy counts the output's sign."
)
NEAREST_SETTINGS = (
    "The shown run follows Playground rules, whose maps vary learning rate, batch size or L2: "
    "these runs train the panels' nearest settings by this app's rules."
)


def under_rules_note(spec: MapSpec) -> str:
    """What the tab says of a map under Playground rules ('' for this app's rules)."""
    if spec.rules is None:
        return ""
    keys = " and ".join(PLAYGROUND_MAP_KEYS[axis.parameter] for axis in (spec.x, spec.y))
    seed = spec.rules.seed
    return UNDER_RULES.format(keys=keys, seed=seed, example=seed_text(seed, 1))


def export_grid_json(path: str, spec: MapSpec) -> None:
    """The grid's description (base configuration, axes, seeds, epochs) as JSON, atomically."""
    if problem := check_writable(path):
        raise OSError(f"cannot write {path}: {problem}")
    write_atomic(path, (json.dumps(spec.to_dict(), indent=2) + "\n").encode("utf-8"))


class HypergridTab(ExperimentTab):
    """Two axes and their values, seeds, epochs, where to run; the map and its exports. A
    click on a cell asks for its configuration (first seed) in the main window."""

    open_configuration = Signal(object)  # an ExperimentConfig to load in the main view

    def __init__(self, base_config: Callable[[], ExperimentConfig], parent=None) -> None:
        super().__init__(RUN_TIP, parent)
        self.base_config = base_config
        self.result: MapResult | None = None
        self.jobs: int | None = None  # local processes; None: one per core
        self._note = ""  # said with the progress: the rules the runs follow
        self.x_parameter, self.x_values = self._axis_fields("learning_rate", "columns")
        self.y_parameter, self.y_values = self._axis_fields("batch_size", "rows")
        self.seeds = int_spin(
            *SEED_COUNT_RANGE,
            3,
            "Runs per cell, training seeds s, s + 1, ... (s: the main "
            "window's seed): the spread shows how much the initial weights matter",
        )
        self.epochs = int_spin(*EPOCHS_RANGE, 50, "Epochs (passes over the data) per run")
        self.target = float_spin(
            *TARGET_ACCURACY_RANGE,
            0.9,
            0.05,
            2,
            "The test accuracy whose first reaching is counted",
        )
        self.scheduler = QLineEdit()
        self.scheduler.setPlaceholderText("empty: this computer's cores")
        self.scheduler.setToolTip(SCHEDULER_TIP)
        self.measure = QComboBox()
        for name, info in MEASURES.items():
            self.measure.addItem(info.label, name)
        self.measure.setToolTip("What the heatmap shows")
        self.show_what = QComboBox()
        for name, label in SHOWS:
            self.show_what.addItem(label, name)
        self.show_what.setToolTip("Each cell's mean over its seeds, or their spread")
        self.measure.currentIndexChanged.connect(self._render)
        self.show_what.currentIndexChanged.connect(self._render)
        self.map = HypergridHeatmap()
        self.map.setToolTip("Click a cell to open it in the main window")
        self.map.cell_clicked.connect(self._open_cell)
        self.map.cell_hovered.connect(self._hovered)
        self.readout = QLabel("Hover a cell to read it; click it to open it in the main window.")
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(
            labelled_row(("Columns (x)", self.x_parameter, 0), ("values", self.x_values, 1))
        )
        layout.addLayout(
            labelled_row(("Rows (y)", self.y_parameter, 0), ("values", self.y_values, 1))
        )
        layout.addLayout(
            labelled_row(
                ("Seeds", self.seeds, 0),
                ("Epochs", self.epochs, 0),
                ("Target accuracy", self.target, 0),
                ("Dask scheduler", self.scheduler, 1),
            )
        )
        layout.addLayout(self._buttons())
        layout.addWidget(self.map, 1)
        layout.addWidget(self.readout)
        layout.addWidget(self.status)

    def _axis_fields(self, parameter: str, which: str) -> tuple[QComboBox, QLineEdit]:
        box = QComboBox()
        for name, info in PARAMETERS.items():
            box.addItem(info.label, name)
        box.setCurrentIndex(box.findData(parameter))
        box.setToolTip(f"The setting that changes along the {which}")
        values = QLineEdit(PARAMETERS[parameter].example.replace(",", ", "))
        values.setToolTip(
            "Values separated by commas (hidden widths: 10-10 for two layers, none; batch "
            "size: full; depth: layers as wide as the first hidden layer)"
        )
        box.currentIndexChanged.connect(
            lambda: values.setText(PARAMETERS[box.currentData()].example.replace(",", ", "))
        )
        return box, values

    def _buttons(self):
        row = labelled_row(("Show", self.measure, 0), ("", self.show_what, 0))
        row.insertWidget(0, self.progress, 1)
        row.insertWidget(0, self.cancel_button)
        row.insertWidget(0, self.run_button)
        for text, tip, action in (
            (
                "Save CSV…",
                "One row per run and seed: both values, the seed, the final figures",
                self._save_csv,
            ),
            ("Save PNG…", "The heatmap as shown, with its colour bar", self._save_png),
            (
                "Save JSON…",
                "The grid: the base configuration, both axes, seeds and epochs",
                self._save_json,
            ),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(action)
            row.addWidget(button)
        return row

    def shown_rules(self) -> PlaygroundConfig | None:
        """The main window's run's link while it follows Playground's rules (the Experiments
        window is the main window's child), else None."""
        main = self.window().parentWidget()
        playground = getattr(main, "playground", None)
        return rules_of(getattr(playground, "last_frame", None))

    def grid_spec(self) -> MapSpec:
        """The grid the fields describe on the main window's configuration, or under
        Playground rules on the shown link when both axes are its keys (ValueError)."""
        base = self.base_config()
        if base.model.kind != "mlp":
            base = base.with_changes(model={"kind": "mlp"})
        axes = (self.x_parameter.currentData(), self.y_parameter.currentData())
        rules = self.shown_rules()
        self._note = ""
        if rules is not None and not all(a in PLAYGROUND_MAP_KEYS for a in axes):
            rules, self._note = None, NEAREST_SETTINGS
        spec = MapSpec(
            base,
            parse_values(axes[0], self.x_values.text()),
            parse_values(axes[1], self.y_values.text()),
            self.seeds.value(),
            self.epochs.value(),
            round(self.target.value(), 6),
            rules=rules,
        )
        spec.check()
        self._note = under_rules_note(spec) or self._note
        return spec

    def run(self) -> None:
        """Check the grid, then ask the worker for it."""
        address = self.scheduler.text().strip()
        try:
            spec = self.grid_spec()
            if address and (problem := dask_missing()):
                raise ValueError(problem[0].upper() + problem[1:])
        except ValueError as error:
            QMessageBox.warning(self, "Hyperparameter map", str(error))
            return
        self.result = MapResult(spec)
        self.progress.setRange(0, spec.total_runs)
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m runs (grey cells: not done yet)")
        where = f"the Dask cluster at {address}" if address else "this computer's processes"
        self._say(f"Running {spec.total_runs} runs on {where}… {self._note}".strip())
        self._render()
        request = {"spec": spec, "jobs": self.jobs, "scheduler": address or None}
        self.requested.emit(request)

    @Slot(object)
    def show_progress(self, result: MapResult) -> None:
        """The runs finished so far."""
        self.result = result
        self.progress.setValue(result.done)
        self._render()

    @Slot(object)
    def finished(self, result: MapResult) -> None:
        """The whole grid, or what finished before Cancel or a lost cluster."""
        self.show_progress(result)
        summary = f"{result.done} of {result.spec.total_runs} runs {result.where}, "
        summary += f"{result.seconds:.1f} s."
        if result.error:
            self._say(f"Stopped: {result.error}.", error=True)
            self.progress.setFormat("stopped at %v of %m (grey cells: not done)")
        elif result.cancelled:
            self._say(f"Cancelled: {summary}")
            self.progress.setFormat("cancelled at %v of %m (grey cells: not done)")
        else:
            diverged = int(result.diverged().sum())
            done = f"Done: {summary}" + (f" {diverged} diverged." if diverged else "")
            self._say(f"{done} {self._note}".strip())
            self.progress.setFormat("%v of %m runs")

    @Slot(str)
    def failed(self, message: str) -> None:
        """Nothing ran (a cluster that cannot be reached): the message, in the status line."""
        self._say(message[0].upper() + message[1:] + ".", error=True)
        self.progress.setFormat("not run")

    def _say(self, text: str, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #D55E00; font-weight: bold;" if error else "")

    def _render(self) -> None:
        if self.result is None:
            return
        spec = self.result.spec
        n_classes = 2 if spec.rules is not None else spec.dataset(0, 0).n_classes
        self.map.set_axes(spec.x.label, spec.x.texts, spec.y.label, spec.y.texts)
        self.map.show_picture(
            picture(
                self.result, self.measure.currentData(), self.show_what.currentData(), n_classes
            )
        )

    def _hovered(self, row: int, column: int) -> None:
        if self.result is not None and row >= 0:
            self.readout.setText(readout(self.result, self.measure.currentData(), row, column))

    def _open_cell(self, row: int, column: int) -> None:
        if self.result is None:
            return
        try:  # under Playground rules: the panels' nearest settings of the cell
            config = self.result.spec.cell_config(row, column)
        except ValueError as error:
            self._say(f"{self.result.spec.cell_name(row, column)}: {error}", error=True)
            return
        self.open_configuration.emit(config)

    def _save_csv(self) -> None:
        if self.result is None or not self.result.done:
            QMessageBox.information(self, "Save CSV", "Run the grid first.")
            return
        save_csv(self, "Save the runs as CSV", self.result.header(), self.result.rows())

    def _save_png(self) -> None:
        if self.result is None:
            QMessageBox.information(self, "Save PNG", "Run the grid first.")
            return
        save_plot_png(self, self.map.plotItem)

    def _save_json(self) -> None:
        try:
            spec = self.result.spec if self.result is not None else self.grid_spec()
        except ValueError as error:
            QMessageBox.warning(self, "Save JSON", str(error))
            return
        if path := ask_save_path(self, "Save the grid as JSON", "JSON files (*.json)"):
            save_or_warn(self, lambda: export_grid_json(path, spec))
