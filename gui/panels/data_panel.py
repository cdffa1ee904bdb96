"""Data: the problem (classification or regression), which data set (from a list, or from
pictures of their points), its size, noise, split and seed, and its own parameters.

Two fields share a row where their names are short, so that the whole settings column fits
a 1280 x 800 window without scrolling.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QWidget

from gui.panels.dataset_thumbnails import DatasetThumbnails
from gui.panels.widgets import (
    big_int_spin,
    blocked,
    choice,
    compact_grid,
    float_spin,
    int_spin,
    offer_option,
)
from model.config import DataConfig
from model.data.datasets import (
    CLASSIFICATION,
    CUSTOM,
    DEFAULT_NOISE,
    DEFAULT_SAMPLES,
    EXTRA_PARAMS,
    REGRESSION,
    datasets_for,
)
from model.limits import NOISE_RANGE, SAMPLES_RANGE, SEED_RANGE, TRAIN_FRACTION_RANGE

DATASET_LABELS = [
    ("Two Gaussians", "gaussians"),
    ("Moons", "moons"),
    ("Circles", "circles"),
    ("XOR", "xor"),
    ("Spiral", "spiral"),
    ("Blobs", "blobs"),
    ("Plane", "plane"),
    ("Multi-Gaussian", "multigauss"),
]
PROBLEM_LABELS = [("Classification", CLASSIFICATION), ("Regression", REGRESSION)]
PROBLEM_TIP = (
    "Classification: each point has a class, the network gives each class a probability. "
    "Regression: each point has a real-valued target, the network predicts a number "
    "(its loss is the mean squared error; there is no accuracy)."
)
PERCEPTRON_CLASSIFIES = (
    "The perceptron only classifies: choose Multi-layer perceptron in Model for regression."
)
CUSTOM_LABEL = "Your own points"
PARAM_TIPS = {
    "mean": "Centres at (m, m) and (-m, -m): closer centres overlap more, and no classifier "
    "can then be perfect.",
    "cov": "Per-axis variance of each Gaussian: more spread means more overlap.",
    "factor": "Inner circle radius relative to the outer one.",
    "n_classes": "How many classes (2 to 6). The perceptron handles only 2.",
    "turns": "How many turns each spiral arm makes: more turns need a more flexible network.",
}


class DataPanel(QGroupBox):
    changed = Signal()
    problem_shown = Signal(str)  # the problem now shown, also when set_config shows it

    def __init__(self, config: DataConfig, parent=None) -> None:
        super().__init__("Data", parent)
        grid = QGridLayout(self)
        compact_grid(grid)
        self._custom: DataConfig | None = None  # the user's points, once drawn or loaded
        self.problem = choice(PROBLEM_LABELS, config.problem, PROBLEM_TIP)
        self.dataset = choice(
            DATASET_LABELS,
            config.name,
            "The 2-D data set to learn. Changing it starts a new network.",
        )
        # Built with any values in range; set_config below shows the configuration's.
        self.samples = int_spin(
            *SAMPLES_RANGE,
            SAMPLES_RANGE[0],
            "Number of points, train and test together. More points give "
            "smoother gradients and slower full-batch updates.",
        )
        self.noise = float_spin(
            *NOISE_RANGE,
            NOISE_RANGE[0],
            0.05,
            2,
            "Random jitter added to every point (for regression, to where its target is "
            "read): more noise blurs the classes or targets and caps how well any model does.",
        )
        self.train_fraction = float_spin(
            *TRAIN_FRACTION_RANGE,
            TRAIN_FRACTION_RANGE[0],
            0.05,
            2,
            "Share of the points used for training; the rest measure generalisation (test curves).",
        )
        self.seed = big_int_spin(
            *SEED_RANGE,
            SEED_RANGE[0],
            "Seed of the data, the initial weights and the shuffling: the same "
            "seed gives the same run.",
        )
        self.regenerate = QPushButton("Regenerate")
        self.regenerate.setToolTip("Draw a new sample of this data set (next seed).")
        self.regenerate.clicked.connect(self._next_seed)
        self.thumbnails = DatasetThumbnails()
        self.thumbnails.setToolTip("The data sets: click one to learn it (a new network)")
        self.thumbnails.chosen.connect(self._thumbnail_chosen)
        self._labels: dict[QWidget, QLabel] = {}
        # (label, field, row, column): a field spans to the right edge when it is alone
        self._place(grid, "Problem", self.problem, 0, 0, span=3)
        self._place(grid, "Data set", self.dataset, 1, 0, span=2)
        grid.addWidget(self.regenerate, 1, 3)
        grid.addWidget(self.thumbnails, 2, 0, 1, 4)
        self._place(grid, "Samples", self.samples, 3, 0)
        self._place(grid, "Noise", self.noise, 3, 2)
        self._place(grid, "Train fraction", self.train_fraction, 4, 0)
        self._place(grid, "Seed", self.seed, 4, 2)
        self.params: dict[str, object] = {}
        # at most two apply to a data set: mean and cov, n classes and turns, or factor
        places = {"mean": 0, "n_classes": 0, "factor": 0, "cov": 2, "turns": 2}
        for name in ("mean", "cov", "factor", "n_classes", "turns"):
            # a parameter shared by data sets (n_classes) has one range in all of them
            default, low, high, integer = next(
                spec[name] for spec in EXTRA_PARAMS.values() if name in spec
            )
            if integer:
                box = int_spin(int(low), int(high), int(default), PARAM_TIPS[name])
            else:
                box = float_spin(low, high, default, 0.1, 3, PARAM_TIPS[name])
            self.params[name] = box
            self._place(grid, name.replace("_", " ").capitalize(), box, 5, places[name])
            box.valueChanged.connect(self.changed)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.set_config(config)
        self.problem.currentIndexChanged.connect(self._problem_changed)
        self.dataset.currentIndexChanged.connect(self._dataset_changed)
        for box in (self.samples, self.noise, self.train_fraction, self.seed):
            box.valueChanged.connect(self.changed)

    def _place(
        self, grid: QGridLayout, text: str, field: QWidget, row: int, column: int, span: int = 1
    ) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        grid.addWidget(label, row, column)
        grid.addWidget(field, row, column + 1, 1, span)
        self._labels[field] = label

    def _show_field(self, field: QWidget, shown: bool) -> None:
        field.setVisible(shown)
        self._labels[field].setVisible(shown)

    def _thumbnail_chosen(self, name: str) -> None:
        index = self.dataset.findData(name)
        if index >= 0 and index != self.dataset.currentIndex():
            self.dataset.setCurrentIndex(index)  # the list's own change follows

    def draw_thumbnails(self) -> None:
        """Make the data sets' pictures (after the window's first frame: see
        dataset_thumbnails.py)."""
        self.thumbnails.draw()

    def _next_seed(self) -> None:
        """The next seed; after the largest, 0 again."""
        seed = self.seed.value()
        self.seed.setValue(SEED_RANGE[0] if seed >= SEED_RANGE[1] else seed + 1)

    def _hold_custom(self, config: DataConfig) -> None:
        """Keep the user's points and offer them in the data set list."""
        self._custom = config
        self._list_datasets(config.problem)
        with blocked(self.dataset):
            self.dataset.setCurrentIndex(self.dataset.findData(CUSTOM))

    def _list_datasets(self, problem: str) -> None:
        """Show ``problem`` and its data sets, the user's points too if they pose it."""
        labels = dict((name, label) for label, name in DATASET_LABELS)
        names = list(datasets_for(problem))
        if self._custom is not None and self._custom.problem == problem:
            labels[CUSTOM] = CUSTOM_LABEL
            names.append(CUSTOM)
        with blocked(self.problem, self.dataset):
            self.problem.setCurrentIndex(self.problem.findData(problem))
            if [self.dataset.itemData(i) for i in range(self.dataset.count())] != names:
                self.dataset.clear()
                for name in names:
                    self.dataset.addItem(labels[name], name)
        self.thumbnails.show_names([(n, labels[n]) for n in names if n != CUSTOM])
        self.problem_shown.emit(problem)

    def _problem_changed(self) -> None:
        """The other problem: its first data set, with that data set's defaults (one change)."""
        self._list_datasets(self.problem.currentData())
        with blocked(self.dataset):
            self.dataset.setCurrentIndex(0)
        self._dataset_changed()

    def show_model_kind(self, kind: str) -> None:
        """Regression is not offered to the perceptron, which only classifies."""
        offer_option(self.problem, REGRESSION, kind != "perceptron", PERCEPTRON_CLASSIFIES)

    def split_settings(self) -> tuple[float, int]:
        """(train fraction, seed): how any data set, drawn points too, is split."""
        return self.train_fraction.value(), self.seed.value()

    def show_own_points(self) -> None:
        """Name the points being drawn (too few to train on yet) as the data set on screen,
        without emitting ``changed``: the panel says what the plane shows."""
        self._list_datasets(CLASSIFICATION)  # drawing makes classes
        if self.dataset.findData(CUSTOM) < 0:
            self.dataset.addItem(CUSTOM_LABEL, CUSTOM)
        with blocked(self.dataset):
            self.dataset.setCurrentIndex(self.dataset.findData(CUSTOM))
        self._show_params()

    def _dataset_changed(self) -> None:
        name = self.dataset.currentData()
        if name == CUSTOM:
            self._show_params()
            self.changed.emit()
            return
        defaults = [(self.samples, DEFAULT_SAMPLES[name]), (self.noise, DEFAULT_NOISE[name])]
        defaults += [(self.params[key], spec[0]) for key, spec in EXTRA_PARAMS[name].items()]
        for box, value in defaults:
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        self._show_params()
        self.changed.emit()

    def _show_params(self) -> None:
        name = self.dataset.currentData()
        for key, box in self.params.items():
            self._show_field(box, key in EXTRA_PARAMS.get(name, {}))
        self._show_field(self.noise, name not in ("gaussians", CUSTOM))
        self._show_field(self.samples, name != CUSTOM)
        self.regenerate.setVisible(name != CUSTOM)
        self.thumbnails.set_current(name)

    def set_config(self, config: DataConfig) -> None:
        """Show ``config`` without emitting ``changed``: every control of its data set,
        what the configuration leaves out (size, noise, a parameter) at its default."""
        boxes = [self.dataset, self.samples, self.noise, self.train_fraction, self.seed]
        if config.name == CUSTOM:
            self._hold_custom(config)
            with blocked(*boxes):
                self.train_fraction.setValue(config.train_fraction)
                self.seed.setValue(config.seed)
            self._show_params()
            return
        self._list_datasets(config.problem)
        with blocked(*boxes, *self.params.values()):
            self.dataset.setCurrentIndex(self.dataset.findData(config.name))
            self.samples.setValue(config.n_samples or DEFAULT_SAMPLES[config.name])
            noise = config.noise if config.noise is not None else DEFAULT_NOISE[config.name]
            self.noise.setValue(noise)
            self.train_fraction.setValue(config.train_fraction)
            self.seed.setValue(config.seed)
            # every parameter of this data set: one the configuration leaves out is its default
            for key, spec in EXTRA_PARAMS[config.name].items():
                self.params[key].setValue(config.params.get(key, spec[0]))
        self._show_params()

    def config(self) -> DataConfig:
        name = self.dataset.currentData()
        if name == CUSTOM:
            if self._custom is None or self._custom.problem != self.problem.currentData():
                raise ValueError("draw at least 4 points of 2 classes, or choose a data set")
            return replace(
                self._custom, train_fraction=self.train_fraction.value(), seed=self.seed.value()
            )
        params = {key: self.params[key].value() for key in EXTRA_PARAMS[name]}
        return DataConfig(
            name,
            n_samples=self.samples.value(),
            noise=self.noise.value() if name != "gaussians" else None,
            train_fraction=self.train_fraction.value(),
            seed=self.seed.value(),
            params=params,
            problem=self.problem.currentData(),
        )
