"""Model: perceptron or MLP, the hidden layers as an editable list, activation, initialisation."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QPushButton, QWidget

from gui.panels.widgets import blocked, choice, int_spin
from model.config import MAX_LAYERS, MAX_WIDTH, ModelConfig


class ModelPanel(QGroupBox):
    changed = Signal()

    def __init__(self, config: ModelConfig, parent=None) -> None:
        super().__init__("Model", parent)
        form = QFormLayout(self)
        self.kind = choice(
            [("Multi-layer perceptron", "mlp"), ("Perceptron", "perceptron")],
            config.kind,
            "The perceptron draws one straight line with the "
            "tutorial's rule; the MLP bends the boundary with hidden layers.",
        )
        self.layers_row = QWidget()
        self.layers_box = QHBoxLayout(self.layers_row)
        self.layers_box.setContentsMargins(0, 0, 0, 0)
        self.widths: list = []
        self.add_layer = QPushButton("+")
        self.add_layer.setToolTip(
            "Add a hidden layer: deeper networks can bend the boundary "
            "more, and are harder to train."
        )
        self.remove_layer = QPushButton("−")
        self.remove_layer.setToolTip(
            "Remove the last hidden layer (none left: softmax regression, a straight boundary)."
        )
        for button in (self.add_layer, self.remove_layer):
            button.setFixedWidth(28)
        self.add_layer.clicked.connect(lambda: self._add_width(8, emit=True))
        self.remove_layer.clicked.connect(self._remove_width)
        self.layers_box.addWidget(self.add_layer)
        self.layers_box.addWidget(self.remove_layer)
        self.layers_box.addStretch(1)
        for width in config.hidden:
            self._add_width(width, emit=False)
        self.activation = choice(
            [("ReLU", "relu"), ("tanh", "tanh"), ("Sigmoid", "sigmoid")],
            config.activation,
            "The hidden units' non-linearity: ReLU "
            "learns fast; sigmoid saturates and its gradients vanish.",
        )
        self.init = choice(
            [
                ("Automatic (He / Xavier)", "auto"),
                ("He", "he"),
                ("Xavier", "xavier"),
                ("Tiny N(0, 1e-4)", "small"),
            ],
            config.init or "auto",
            "Initial weight scale: He suits ReLU, Xavier suits tanh and sigmoid; "
            "tiny weights stall learning at chance level.",
        )
        form.addRow("Model", self.kind)
        form.addRow("Hidden layers", self.layers_row)
        form.addRow("Activation", self.activation)
        form.addRow("Initialisation", self.init)
        self._form = form
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.activation.currentIndexChanged.connect(self.changed)
        self.init.currentIndexChanged.connect(self.changed)
        self._kind_changed(emit=False)

    def _add_width(self, width: int, emit: bool) -> None:
        if len(self.widths) >= MAX_LAYERS:
            return
        box = int_spin(1, MAX_WIDTH, width, "Units in this hidden layer.")
        box.setFixedWidth(56)
        box.valueChanged.connect(self.changed)
        self.layers_box.insertWidget(len(self.widths), box)
        self.widths.append(box)
        self._update_buttons()
        if emit:
            self.changed.emit()

    def _remove_width(self) -> None:
        if self.widths:
            box = self.widths.pop()
            box.setParent(None)
            box.deleteLater()
            self._update_buttons()
            self.changed.emit()

    def _update_buttons(self) -> None:
        self.add_layer.setEnabled(len(self.widths) < MAX_LAYERS)
        self.remove_layer.setEnabled(bool(self.widths))

    def _kind_changed(self, *_args, emit: bool = True) -> None:
        is_mlp = self.kind.currentData() == "mlp"
        for widget in (self.layers_row, self.activation, self.init):
            self._form.setRowVisible(widget, is_mlp)
        if emit:
            self.changed.emit()

    def set_config(self, config: ModelConfig) -> None:
        """Show ``config`` without emitting ``changed``."""
        with blocked(self):
            with blocked(self.kind, self.activation, self.init):
                self.kind.setCurrentIndex(self.kind.findData(config.kind))
                self.activation.setCurrentIndex(self.activation.findData(config.activation))
                self.init.setCurrentIndex(self.init.findData(config.init or "auto"))
            while self.widths:
                self.widths.pop().deleteLater()
            for width in config.hidden:
                self._add_width(width, emit=False)
            self._update_buttons()
            self._kind_changed(emit=False)

    def config(self) -> ModelConfig:
        init = self.init.currentData()
        return ModelConfig(
            self.kind.currentData(),
            tuple(b.value() for b in self.widths),
            self.activation.currentData(),
            None if init == "auto" else init,
        )
