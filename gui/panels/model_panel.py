"""Model: perceptron or MLP, the input features, the hidden layers as an editable list,
activation, initialisation.

The hidden layers read as TensorFlow Playground's do: one row per layer with its width, and
+ / − to add a layer or remove the last one. Controls the chosen model does not use are
disabled, their tooltips saying why.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gui.panels.features_group import FeaturesGroup
from gui.panels.widgets import (
    blocked,
    choice,
    compact_form,
    int_spin,
    offer_option,
    show_applies,
)
from model.config import ModelConfig
from model.limits import MAX_LAYERS, MAX_WIDTH
from model.nn.activations import ACTIVATIONS
from model.nn.features import DEFAULT_FEATURES

NEW_LAYER_WIDTH = 8
LAYERS_PER_ROW = 2
ADD_TIP = "Add a hidden layer: deeper networks can bend the boundary more, and are harder to train."
REMOVE_TIP = "Remove the last hidden layer (none left: {none})."
WIDTH_TIP = "Units in hidden layer {n}: more units, a more flexible boundary."
LAYERS_TIP = "The hidden layers, input side first, and their widths."
PERCEPTRON_HAS_NO_LAYERS = (
    "Not used by the perceptron: it has no hidden layers, only one weight per input and a "
    "bias. Choose Multi-layer perceptron to add layers."
)
PERCEPTRON_HAS_NO_ACTIVATION = (
    "Not used by the perceptron: it has no hidden units to activate; its output is the sign "
    "of w · x̃."
)
NO_LAYER_TO_ACTIVATE = (
    "Not used without hidden layers: there are no hidden units to activate (softmax "
    "regression). Add a layer with + to use it."
)
PERCEPTRON_STARTS_AT_ZERO = (
    "Not used by the perceptron: it starts from zero weights, as in the course tutorial."
)
# What a network linear in its inputs draws: without hidden layers, or with linear units. On
# x1 and x2 alone that is a straight boundary; on x1², sin(x1), ... it is straight only in the
# features, and curved in the plane the view shows.
NO_LAYERS = "None: {none}."
NONE_STRAIGHT = "softmax regression, a straight boundary"
NONE_CURVED = "softmax regression, a boundary linear in the chosen features, curved in the plane"
NONE_STRAIGHT_REGRESSION = "linear regression, a tilted plane"
NONE_CURVED_REGRESSION = (
    "linear regression, linear in the chosen features, a curved surface over the plane"
)
LINEAR_STRAIGHT = "Linear units: any depth still draws a straight boundary."
LINEAR_CURVED = (
    "Linear units: any depth still draws a boundary linear in the chosen features (curved in "
    "the plane), as no hidden layer does."
)
LINEAR_STRAIGHT_REGRESSION = "Linear units: any depth still fits a tilted plane."
LINEAR_CURVED_REGRESSION = (
    "Linear units: any depth still fits a surface linear in the chosen features, as no hidden "
    "layer does."
)
PERCEPTRON_ONLY_CLASSIFIES = (
    "The perceptron only classifies: regression needs the multi-layer perceptron. "
    "Choose Classification in Data to use it."
)
PERCEPTRON_SEES_X1_X2 = (
    "Not used by the perceptron: it sees x1 and x2 as they are, so that its boundary is the "
    "line w · x̃ = 0 drawn in the view. Choose Multi-layer perceptron to pick features."
)
# How the activation list names each entry of the engine's table, and what each one does
ACTIVATION_LABELS = {
    "relu": "ReLU",
    "tanh": "tanh",
    "sigmoid": "Sigmoid",
    "linear": "Linear (identity)",
}
ACTIVATION_TIPS = {
    "relu": "ReLU: max(0, x). Learns fast; the boundary is made of straight pieces.",
    "tanh": "tanh: smooth, from −1 to 1; a smooth boundary.",
    "sigmoid": "Sigmoid: smooth, from 0 to 1; it saturates and its gradients vanish.",
    "linear": LINEAR_STRAIGHT,  # made true to the chosen features by linear_words
}
ACTIVATION_TIP = (
    "The hidden units' non-linearity: ReLU learns fast; sigmoid saturates and its gradients vanish."
)


class ModelPanel(QGroupBox):
    changed = Signal()
    kind_shown = Signal(str)  # the model kind now shown, also when set_config shows it

    def __init__(self, config: ModelConfig, parent=None) -> None:
        super().__init__("Model", parent)
        self._regression = False  # the Data panel's problem (show_problem)
        form = QFormLayout(self)
        compact_form(form)
        self._form = form
        self.kind = choice(
            [("Multi-layer perceptron", "mlp"), ("Perceptron", "perceptron")],
            config.kind,
            "The perceptron draws one straight line with the "
            "tutorial's rule; the MLP bends the boundary with hidden layers.",
        )
        self._build_features(config.features)
        self._build_layers()
        self.activation = activation_choice(config.activation)
        self.init = choice(
            [
                ("Auto (He / Xavier)", "auto"),
                ("He", "he"),
                ("Xavier", "xavier"),
                ("Tiny N(0, 1e-4)", "small"),
            ],
            config.init or "auto",
            "Initial weight scale. Auto: He for ReLU, Xavier for tanh and sigmoid; "
            "tiny weights stall learning at chance level.",
        )
        form.addRow("Model", self.kind)
        form.addRow(self.features_row)  # spans the form: a label, then the ticks
        form.addRow(self.layers_row)  # spans the form: a label, then one row per layer
        form.addRow("Activation", self.activation)
        form.addRow("Initialisation", self.init)
        for width in config.hidden:
            self._add_width(width, emit=False)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.features.changed.connect(self._show_words)
        self.features.changed.connect(self.changed)
        self.activation.currentIndexChanged.connect(self.changed)
        self.init.currentIndexChanged.connect(self.changed)
        self._show_what_applies()

    def _build_features(self, features: tuple[str, ...]) -> None:
        """``features_row``: "Input features", then the ticks (features_group.py)."""
        self.features_row = QWidget()
        column = QVBoxLayout(self.features_row)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        self.features_label = QLabel("Input features")
        self.features = FeaturesGroup(features)
        self.features_label.setBuddy(self.features)
        column.addWidget(self.features_label)
        column.addWidget(self.features)

    def _build_layers(self) -> None:
        """``layers_row``: "Hidden layers (widths)" with + and −, then a row per layer."""
        self.layers_row = QWidget()
        column = QVBoxLayout(self.layers_row)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(3)
        header = QHBoxLayout()
        self.layers_label = QLabel("Hidden layers (widths)")
        self.add_layer = QPushButton("+")
        self.remove_layer = QPushButton("−")
        for button in (self.add_layer, self.remove_layer):
            button.setFixedWidth(28)
        self.add_layer.clicked.connect(lambda: self._add_width(NEW_LAYER_WIDTH, emit=True))
        self.remove_layer.clicked.connect(self._remove_width)
        header.addWidget(self.layers_label)
        header.addStretch(1)
        header.addWidget(self.add_layer)
        header.addWidget(self.remove_layer)
        column.addLayout(header)
        self.layer_grid = QGridLayout()
        self.layer_grid.setContentsMargins(12, 0, 0, 0)  # the rows indented under the label
        self.layer_grid.setHorizontalSpacing(6)
        self.layer_grid.setVerticalSpacing(3)
        self.layer_grid.setColumnStretch(4, 1)
        column.addLayout(self.layer_grid)
        self.no_layers = QLabel()  # its words follow the features (_show_words)
        self.no_layers.setWordWrap(True)
        self.no_layers.setIndent(12)
        column.addWidget(self.no_layers)
        self.widths: list[QSpinBox] = []
        self._layer_names: list[QLabel] = []

    def _add_width(self, width: int, emit: bool) -> None:
        if len(self.widths) >= MAX_LAYERS:
            return
        n = len(self.widths) + 1
        name = QLabel(f"Layer {n}")
        box = int_spin(1, MAX_WIDTH, width, WIDTH_TIP.format(n=n))
        box.setSuffix(" units")
        box.setAlignment(Qt.AlignmentFlag.AlignRight)
        box.valueChanged.connect(self.changed)
        name.setBuddy(box)
        row, column = divmod(n - 1, LAYERS_PER_ROW)  # two a row: deep networks stay short
        self.layer_grid.addWidget(name, row, 2 * column)
        self.layer_grid.addWidget(box, row, 2 * column + 1)
        self.widths.append(box)
        self._layer_names.append(name)
        self._show_what_applies()
        if emit:
            self.changed.emit()

    def _drop_last_width(self) -> None:
        for widget in (self.widths.pop(), self._layer_names.pop()):
            self.layer_grid.removeWidget(widget)
            widget.setParent(None)
            widget.deleteLater()

    def _remove_width(self) -> None:
        if self.widths:
            self._drop_last_width()
            self._show_what_applies()
            self.changed.emit()

    def show_problem(self, problem: str) -> None:
        """The perceptron is not offered for regression; without hidden layers an MLP is
        then linear regression, not softmax regression."""
        self._regression = problem == "regression"
        offer_option(self.kind, "perceptron", not self._regression, PERCEPTRON_ONLY_CLASSIFIES)
        self._show_what_applies()

    def _kind_changed(self) -> None:
        self._show_what_applies()
        self.changed.emit()

    def _show_what_applies(self) -> None:
        """Enable the controls the chosen model uses; the others say why they do nothing."""
        none = self._show_words()
        is_mlp = self.kind.currentData() == "mlp"
        count = len(self.widths)
        self.no_layers.setVisible(count == 0)
        layer_widgets = [self.layers_label, self.no_layers, *self._layer_names, *self.widths]
        for widget in layer_widgets:
            widget.setEnabled(is_mlp)
        self.add_layer.setEnabled(is_mlp and count < MAX_LAYERS)
        self.remove_layer.setEnabled(is_mlp and count > 0)
        if is_mlp:
            self.layers_row.setToolTip(LAYERS_TIP)
            self.layers_label.setToolTip(LAYERS_TIP)
            self.no_layers.setToolTip(REMOVE_TIP.format(none=none))
            for n, (name, box) in enumerate(zip(self._layer_names, self.widths, strict=True)):
                name.setToolTip(WIDTH_TIP.format(n=n + 1))
                box.setToolTip(WIDTH_TIP.format(n=n + 1))
            self.add_layer.setToolTip(
                ADD_TIP if count < MAX_LAYERS else f"At most {MAX_LAYERS} hidden layers."
            )
            self.remove_layer.setToolTip(
                REMOVE_TIP.format(none=none) if count else "No hidden layer to remove."
            )
        else:
            for widget in (self.layers_row, *layer_widgets, self.add_layer, self.remove_layer):
                widget.setToolTip(PERCEPTRON_HAS_NO_LAYERS)
        show_applies(
            [self.activation],
            is_mlp and count > 0,
            PERCEPTRON_HAS_NO_ACTIVATION if not is_mlp else NO_LAYER_TO_ACTIVATE,
            self._form,
        )
        show_applies([self.init], is_mlp, PERCEPTRON_STARTS_AT_ZERO, self._form)
        self.features.show_applies(is_mlp, PERCEPTRON_SEES_X1_X2)
        self.features_label.setEnabled(is_mlp)
        self.features_label.setToolTip(self.features.toolTip())
        self.kind_shown.emit(self.kind.currentData())

    def _show_words(self) -> str:
        """Say what a network linear in its inputs draws, true to the features ticked: the
        words under no hidden layer and the linear units' tip. Returns the former."""
        none, linear = linear_words(self.features.chosen(), self._regression)
        self.no_layers.setText(NO_LAYERS.format(none=none))
        index = self.activation.findData("linear")
        if index >= 0:
            self.activation.setItemData(index, linear, Qt.ItemDataRole.ToolTipRole)
            usual = f"{ACTIVATION_TIP} {linear}"  # show_applies restores it when enabled
            self.activation.setProperty("usual_tip", usual)
            if self.activation.isEnabled():
                self.activation.setToolTip(usual)
        return none

    def set_config(self, config: ModelConfig) -> None:
        """Show ``config`` without emitting ``changed``."""
        with blocked(self.kind, self.activation, self.init, *self.widths):
            self.kind.setCurrentIndex(self.kind.findData(config.kind))
            self.activation.setCurrentIndex(self.activation.findData(config.activation))
            self.init.setCurrentIndex(self.init.findData(config.init or "auto"))
        self.features.set_features(config.features)
        while self.widths:
            self._drop_last_width()
        for width in config.hidden:
            self._add_width(width, emit=False)
        self._show_what_applies()

    def config(self) -> ModelConfig:
        init = self.init.currentData()
        kind = self.kind.currentData()
        return ModelConfig(
            kind,
            tuple(b.value() for b in self.widths),
            self.activation.currentData(),
            None if init == "auto" else init,
            self.features.chosen() if kind == "mlp" else DEFAULT_FEATURES,
        )


def linear_words(features: tuple[str, ...], regression: bool) -> tuple[str, str]:
    """(what no hidden layer draws, the linear units' tip) for these features: straight only
    when the features are x1 and x2 as they are, linear in the plane's coordinates."""
    straight = set(features) <= set(DEFAULT_FEATURES)
    if regression:
        if straight:
            return NONE_STRAIGHT_REGRESSION, LINEAR_STRAIGHT_REGRESSION
        return NONE_CURVED_REGRESSION, LINEAR_CURVED_REGRESSION
    return (NONE_STRAIGHT, LINEAR_STRAIGHT) if straight else (NONE_CURVED, LINEAR_CURVED)


def activation_choice(current: str) -> QComboBox:
    """The engine's activations, each named and explained (a new one appears by itself)."""
    tip = ACTIVATION_TIP
    if "linear" in ACTIVATIONS:
        tip += f" {ACTIVATION_TIPS['linear']}"
    box = choice(
        [(ACTIVATION_LABELS.get(name, name.capitalize()), name) for name in ACTIVATIONS],
        current,
        tip,
    )
    for index in range(box.count()):
        tip = ACTIVATION_TIPS.get(box.itemData(index))
        if tip:
            box.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)
    return box
