"""Training: optimizer, learning rate (applies live), batch size, penalties, evaluation.

The perceptron's rule has no penalty term, so L2 and L1 are disabled for it (tooltips say why);
the optimizer, learning rate, batch size and evaluation all apply to it as to the MLP.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QWidget

from gui.panels.widgets import blocked, choice, compact_form, int_spin, log_spin, show_applies
from model.config import TrainConfig
from model.limits import BATCH_RANGE, EVAL_EVERY_RANGE, LEARNING_RATE_RANGE, PENALTY_RANGE

PERCEPTRON_HAS_NO_PENALTY = (
    "Not used by the perceptron: its rule has no penalty term. L2 and L1 apply to the "
    "multi-layer perceptron's weights."
)


class TrainingPanel(QGroupBox):
    changed = Signal()

    def __init__(self, config: TrainConfig, parent=None) -> None:
        super().__init__("Training", parent)
        form = QFormLayout(self)
        compact_form(form)
        self._form = form
        self.optimizer = choice(
            [("SGD", "sgd"), ("SGD + momentum", "momentum"), ("Adam", "adam")],
            config.optimizer,
            "How gradients become steps: momentum smooths them, Adam scales "
            "each weight's step by its gradient history.",
        )
        self.learning_rate = log_spin(
            *LEARNING_RATE_RANGE,
            config.learning_rate,
            "Step size. Too small: slow; too large: the loss jumps "
            "or diverges. Applies immediately, without a reset.",
        )
        self.batch_size = int_spin(
            BATCH_RANGE[0] - 1,  # 0, one below the smallest batch, shows "Full batch"
            BATCH_RANGE[1],
            config.batch_size or 0,
            "Samples per update. 1 is SGD (noisy, many updates per "
            "epoch); Full uses every training point (one smooth update "
            "per epoch).",
            special="Full batch",
        )
        self.l2 = log_spin(
            *PENALTY_RANGE,
            config.l2,
            "L2 penalty (weight decay): pulls weights towards zero for a smoother boundary.",
        )
        self.l1 = log_spin(
            *PENALTY_RANGE,
            config.l1,
            "L1 penalty: pushes small weights to exactly zero, a sparser network.",
        )
        self.eval_every = int_spin(
            *EVAL_EVERY_RANGE,
            config.eval_every,
            "Add a point to the curves every N updates: small N costs training speed.",
        )
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.learning_rate)
        form.addRow("Batch size", self.batch_size)
        # L2 and L1 share a row (short names, small numbers): the column stays short
        self.penalties = QWidget()
        penalties = QHBoxLayout(self.penalties)
        penalties.setContentsMargins(0, 0, 0, 0)
        self.l1_label = QLabel("L1")
        self.l1_label.setBuddy(self.l1)
        penalties.addWidget(self.l2, 1)
        penalties.addWidget(self.l1_label)
        penalties.addWidget(self.l1, 1)
        form.addRow("L2", self.penalties)
        self.l2_label = form.labelForField(self.penalties)
        self.l2_label.setBuddy(self.l2)
        form.addRow("Evaluate every", self.eval_every)
        self.optimizer.currentIndexChanged.connect(self.changed)
        for box in (self.learning_rate, self.batch_size, self.l2, self.l1, self.eval_every):
            box.valueChanged.connect(self.changed)

    def show_model_kind(self, kind: str) -> None:
        """Enable the controls ``kind`` (mlp or perceptron) uses; the others say why not."""
        applies = kind == "mlp"
        show_applies([self.l2, self.l1], applies, PERCEPTRON_HAS_NO_PENALTY)
        for label in (self.l2_label, self.l1_label):
            label.setEnabled(applies)
            label.setToolTip("" if applies else PERCEPTRON_HAS_NO_PENALTY)

    def set_config(self, config: TrainConfig) -> None:
        """Show ``config`` without emitting ``changed``."""
        with blocked(
            self.optimizer, self.learning_rate, self.batch_size, self.l2, self.l1, self.eval_every
        ):
            self.optimizer.setCurrentIndex(self.optimizer.findData(config.optimizer))
            self.learning_rate.setValue(config.learning_rate)
            self.batch_size.setValue(config.batch_size or 0)
            self.l2.setValue(config.l2)
            self.l1.setValue(config.l1)
            self.eval_every.setValue(config.eval_every)

    def config(self, seed: int) -> TrainConfig:
        return TrainConfig(
            self.optimizer.currentData(),
            self.learning_rate.value(),
            self.batch_size.value() or None,
            self.l2.value(),
            self.l1.value(),
            self.eval_every.value(),
            seed,
        )
