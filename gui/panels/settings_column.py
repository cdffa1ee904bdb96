"""The Data, Model and Training panels in one scrolling column that speaks in checked
configurations: a change is sent as an ExperimentConfig, or as the reason it cannot be one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from gui.panels.data_panel import DataPanel
from gui.panels.model_panel import ModelPanel
from gui.panels.training_panel import TrainingPanel
from model.config import ExperimentConfig

# Pixels: two fields share some rows, and with a vertical scroll bar (a small window, eight
# layers) the panels still need no horizontal one.
MIN_WIDTH = 316


class SettingsColumn(QScrollArea):
    config_edited = Signal(object)  # a checked ExperimentConfig
    data_missing = Signal(str, object, object)  # why the data cannot train; model, training
    refused = Signal(str)  # why the settings cannot work together

    def __init__(self, config: ExperimentConfig) -> None:
        """Raises ValueError (or TypeError) if ``config`` cannot be shown."""
        super().__init__()
        self.data_panel = DataPanel(config.data)
        self.model_panel = ModelPanel(config.model)
        self.training_panel = TrainingPanel(config.train)
        column = QWidget()
        layout = QVBoxLayout(column)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        for panel in self.panels():
            layout.addWidget(panel)
            panel.changed.connect(self._edited)
        self.model_panel.kind_shown.connect(self.training_panel.show_model_kind)
        self.training_panel.show_model_kind(config.model.kind)
        # Each of the two refuses what the other's choice cannot work with: the perceptron
        # only classifies (model/config.py), so neither side offers that combination.
        self.model_panel.kind_shown.connect(self.data_panel.show_model_kind)
        self.data_panel.problem_shown.connect(self.model_panel.show_problem)
        self.data_panel.show_model_kind(config.model.kind)
        self.model_panel.show_problem(config.data.problem)
        layout.addStretch(1)
        self.setWidget(column)
        self.setWidgetResizable(True)
        self.setMinimumWidth(MIN_WIDTH)

    def panels(self) -> tuple[DataPanel, ModelPanel, TrainingPanel]:
        return self.data_panel, self.model_panel, self.training_panel

    def config(self) -> ExperimentConfig:
        """What the panels show; ValueError if that is not a configuration."""
        return ExperimentConfig(
            self.data_panel.config(),
            self.model_panel.config(),
            self.training_panel.config(self.split_settings()[1]),
        )

    def show_config(self, config: ExperimentConfig) -> ExperimentConfig:
        """Put ``config`` into the panels without a change signal per field; returns it as
        they show it (left-out sizes and parameters at their defaults, explicit), so that
        touching a control changes only that control."""
        for panel, part in zip(
            self.panels(), (config.data, config.model, config.train), strict=True
        ):
            panel.set_config(part)
        return self.config()

    def split_settings(self) -> tuple[float, int]:
        """(train fraction, seed): how any data set, drawn points too, is split."""
        return self.data_panel.split_settings()

    def show_own_points(self) -> None:
        self.data_panel.show_own_points()

    def control_widget(self, name: str) -> QWidget | None:
        """The control a ``control:NAME`` guide link names, or None."""
        attribute = {"hidden": "layers_row"}.get(name, name)
        panel = next((p for p in self.panels() if hasattr(p, attribute)), None)
        widget = getattr(panel, attribute, None)
        return widget if isinstance(widget, QWidget) else None

    def _edited(self) -> None:
        try:
            data = self.data_panel.config()
            why = ""
        except ValueError as error:
            data, why = None, str(error)
        try:
            model = self.model_panel.config()
            train = self.training_panel.config(self.split_settings()[1])
            if data is not None:
                config = ExperimentConfig(data, model, train)
        except ValueError as error:
            self.refused.emit(str(error))
            return
        if data is None:
            self.data_missing.emit(why, model, train)
        else:
            self.config_edited.emit(config)
