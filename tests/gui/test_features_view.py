"""Issue 13 in the window: input features chosen by ticks reach the worker (one at least stays
ticked), each feature is an input tile named in the network diagram, linear units are on the
activation list, and Discretise output shows hard class regions and back."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from gui.appearance.palette import CLASS_COLOURS, MISSING_GREY, discrete_image
from gui.panels.features_group import LAST_ONE
from gui.views.network_layout import plan_layout
from model.config import ExperimentConfig, ModelConfig
from model.nn.features import FEATURE_NAMES, feature_label

TIMEOUT = 10_000


def worker_features(window) -> tuple[str, ...]:
    return window.playground.worker.config.model.features


def tick(window, *names: str) -> None:
    """Click the features ``names`` (each click toggles, as a user's would)."""
    for name in names:
        window.model_panel.features.boxes[name].click()


def test_ticked_features_reach_the_worker_and_the_panel_shows_a_loaded_choice(qtbot, window):
    group = window.model_panel.features
    assert [box.text() for box in group.boxes.values()] == [
        feature_label(name) for name in FEATURE_NAMES
    ]
    assert all(box.toolTip() for box in group.boxes.values())
    tick(window, "x1sq", "x2sq", "x1", "x2")
    qtbot.waitUntil(lambda: worker_features(window) == ("x1sq", "x2sq"), timeout=TIMEOUT)
    assert window.playground.worker.trainer.model.n_inputs == 2
    tick(window, "sinx1")
    qtbot.waitUntil(lambda: worker_features(window) == ("x1sq", "x2sq", "sinx1"), timeout=TIMEOUT)
    window.playground.load_config(ExperimentConfig(model=ModelConfig(features=("x1x2",))))
    assert group.chosen() == ("x1x2",)
    qtbot.waitUntil(lambda: worker_features(window) == ("x1x2",), timeout=TIMEOUT)


def test_the_last_feature_stays_ticked_and_says_why(qtbot, window):
    group = window.model_panel.features
    tick(window, "x2")
    qtbot.waitUntil(lambda: worker_features(window) == ("x1",), timeout=TIMEOUT)
    assert LAST_ONE in group.boxes["x1"].toolTip()
    config = window.playground.config
    tick(window, "x1")  # refused: the network needs an input
    assert group.boxes["x1"].isChecked() and group.chosen() == ("x1",)
    assert "at least one input feature" in window.statusBar().currentMessage()
    assert window.playground.config == config and not window.banner.isVisible()
    tick(window, "x2")
    assert LAST_ONE not in group.boxes["x1"].toolTip()


def test_the_perceptron_greys_the_features_and_uses_x1_x2(qtbot, window):
    panel = window.model_panel
    tick(window, "x1x2")
    panel.kind.setCurrentIndex(panel.kind.findData("perceptron"))
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.kind == "perceptron", timeout=TIMEOUT
    )
    assert worker_features(window) == ("x1", "x2")
    assert not panel.features.isEnabled() and not panel.features_label.isEnabled()
    for box in panel.features.boxes.values():
        assert box.toolTip().startswith("Not used by the perceptron")
    panel.kind.setCurrentIndex(panel.kind.findData("mlp"))  # the choice was kept
    qtbot.waitUntil(lambda: worker_features(window) == ("x1", "x2", "x1x2"), timeout=TIMEOUT)
    assert panel.features.isEnabled()


def test_each_feature_is_an_input_tile_named_at_its_left(qtbot, window):
    if not window.network_dock.isVisible():  # a large window opens it by itself
        window.menu_actions.network_toggle.trigger()
    tick(window, "x1sq", "x2sq", "x1x2", "sinx1", "sinx2")
    view = window.network
    names = ("x1", "x2", "x1²", "x2²", "x1·x2", "sin(x1)", "sin(x2)")
    qtbot.waitUntil(
        lambda: view.snapshot is not None and view.snapshot.widths[0] == 7, timeout=TIMEOUT
    )
    assert view.inputs.texts == names
    assert int(view.plan.cols[0]) == 1  # the inputs stand in one column, however many
    x1sq = view.snapshot.maps[0][2]
    assert x1sq.min() >= 0 and np.allclose(x1sq, view.snapshot.maps[0][0] ** 2)
    for index, (name, item) in enumerate(zip(names, view.inputs.items, strict=True)):
        tile = view.tile_rect(0, index)
        assert item.pos().x() < tile.left() and tile.top() < item.pos().y() < tile.bottom()
        text, target = view.describe_at(tile.center().x(), tile.center().y())
        assert text == f"input {name}" and target == ("node", 0, index)
    view.neuron_hovered.emit(0, 2)  # the big view names the hovered feature too
    assert window.boundary.plotItem.titleLabel.text.startswith("input x1²")
    view.neuron_hovered.emit(-1, -1)


def test_linear_units_are_offered_and_named_in_the_diagram(qtbot, window):
    box = window.model_panel.activation
    index = box.findData("linear")
    assert box.itemText(index) == "Linear (identity)"
    assert "straight boundary" in box.itemData(index, Qt.ItemDataRole.ToolTipRole)
    if not window.network_dock.isVisible():  # a large window opens it by itself
        window.menu_actions.network_toggle.trigger()
    box.setCurrentIndex(index)
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.activation == "linear", timeout=TIMEOUT
    )
    qtbot.waitUntil(lambda: "Hidden 1: 20 linear" in window.network.frame.texts, timeout=TIMEOUT)


def pixmap_colours(window) -> set[tuple[int, int, int]]:
    image = window.boundary.image.pixmap().toImage().convertToFormat(QImage.Format.Format_RGB888)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), -1)
    pixels = rows[:, : 3 * image.width()].reshape(-1, 3)
    return set(map(tuple, np.unique(pixels, axis=0).tolist()))


def test_discretise_shows_pure_class_colours_and_back(qtbot, window):
    boundary, toggle = window.boundary, window.controls.discrete_toggle
    assert not toggle.isChecked() and boundary.colour_bar.isVisible()
    assert len(pixmap_colours(window)) > 10  # probabilities: many shades
    toggle.trigger()
    assert boundary.discrete and not boundary.colour_bar.isVisible()
    assert pixmap_colours(window) <= set(CLASS_COLOURS[:2])
    assert len(pixmap_colours(window)) == 2  # moons: both classes have a region
    update = window.playground.last_frame.update
    window.playground.request_updates.emit(3)  # remembered across frames
    qtbot.waitUntil(lambda: window.playground.last_frame.update >= update + 3, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: boundary._shown is window.playground.last_frame, timeout=TIMEOUT)
    assert pixmap_colours(window) <= set(CLASS_COLOURS[:2])
    toggle.trigger()
    assert not boundary.discrete and boundary.colour_bar.isVisible()
    assert boundary.last_image is window.playground.last_frame.image
    assert len(pixmap_colours(window)) > 10


def test_discrete_image_is_the_most_probable_class_and_grey_without_a_value():
    p = np.array([[[0.2, 0.5, 0.3], [0.9, 0.05, 0.05]], [[np.nan, 0.5, 0.5], [0.0, 0.0, 1.0]]])
    image = discrete_image(p)
    assert image.dtype == np.uint8 and image.shape == (2, 2, 4)
    assert [tuple(int(v) for v in px[:3]) for px in image.reshape(-1, 4)] == [
        CLASS_COLOURS[1],
        CLASS_COLOURS[0],
        MISSING_GREY,
        CLASS_COLOURS[2],
    ]
    assert (image[..., 3] == 255).all()


def test_a_pinned_layer_stands_in_one_column_and_scrolls_if_too_tall():
    free, _ = plan_layout([7, 2], 300, 80, header=20)
    pinned, scrolls = plan_layout([7, 2], 300, 80, header=20, one_column=(0,))
    assert free.cols[0] > 1 and pinned.cols[0] == 1 and pinned.rows[0] == 7
    assert scrolls and pinned.height > 80
    roomy, scrolls = plan_layout([7, 20, 2], 800, 600, header=20, one_column=(0,))
    assert roomy.cols[0] == 1 and not scrolls
    assert roomy.y0[0] + roomy.block_size(0)[1] <= 600
