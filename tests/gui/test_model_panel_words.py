"""The Model panel's words are true to the picture: without hidden layers (or with linear
units) the boundary is straight only on x1 and x2; on x1², x2² it is a circle, and the panel
says the boundary is linear in the chosen features and curved in the plane."""

from PySide6.QtCore import Qt

from gui.panels.model_panel import ModelPanel
from gui.panels.settings_column import SettingsColumn
from model.config import DataConfig, ExperimentConfig, ModelConfig
from model.io.presets import find_preset


def linear_tip(panel: ModelPanel) -> str:
    box = panel.activation
    return box.itemData(box.findData("linear"), Qt.ItemDataRole.ToolTipRole)


def test_no_hidden_layer_on_x1_x2_is_a_straight_boundary(qtbot):
    panel = ModelPanel(ModelConfig(hidden=()))
    qtbot.addWidget(panel)
    assert panel.no_layers.text() == "None: softmax regression, a straight boundary."
    assert "straight boundary" in linear_tip(panel)
    panel.show_problem("regression")
    assert panel.no_layers.text() == "None: linear regression, a tilted plane."


def test_the_circles_preset_is_not_called_straight(qtbot):
    """The preset a student opens to see a circle drawn without any hidden layer."""
    column = SettingsColumn(find_preset("circles-features").config)
    qtbot.addWidget(column)
    panel = column.panels()[1]
    column.show()
    assert panel.no_layers.isVisible()
    words = panel.no_layers.text()
    assert "straight" not in words
    assert "linear in the chosen features" in words and "curved in the plane" in words
    assert "straight" not in panel.no_layers.toolTip()
    assert "curved in the plane" in linear_tip(panel)
    assert "curved in the plane" in panel.activation.property("usual_tip")


def test_ticking_features_changes_the_words_at_once(qtbot):
    panel = ModelPanel(ModelConfig(hidden=()))
    qtbot.addWidget(panel)
    panel.features.boxes["x1sq"].click()  # x1, x2 and x1²: no longer linear in the plane
    assert "curved in the plane" in panel.no_layers.text()
    assert "curved in the plane" in linear_tip(panel)
    panel.features.boxes["x1sq"].click()
    assert panel.no_layers.text().endswith("a straight boundary.")
    panel.features.boxes["x2"].click()  # x1 alone: a vertical line, still straight
    assert panel.features.chosen() == ("x1",)
    assert panel.no_layers.text().endswith("a straight boundary.")
    assert "straight boundary" in linear_tip(panel)


def test_regression_on_chosen_features_is_a_curved_surface(qtbot):
    config = ExperimentConfig(
        DataConfig("plane", problem="regression"),
        ModelConfig(hidden=(4,), activation="linear", features=("sinx1", "x2")),
    )
    column = SettingsColumn(config)
    qtbot.addWidget(column)
    panel = column.panels()[1]
    assert "tilted plane" not in linear_tip(panel)
    assert "linear in the chosen features" in linear_tip(panel)
    assert "linear in the chosen features" in panel.activation.toolTip()  # enabled: the tip
    panel.remove_layer.click()
    assert panel.no_layers.text() == (
        "None: linear regression, linear in the chosen features, a curved surface over the plane."
    )
