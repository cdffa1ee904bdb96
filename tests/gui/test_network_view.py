"""The network view: its shape follows the network, tiles are readable and titled, hover reads
the true weights (fast, for the largest network too), edits are used."""

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from gui.views.network_layout import TILE_MIN
from gui.views.network_view import NetworkView
from gui.windows.main_window import MainWindow
from model.config import ExperimentConfig, ModelConfig
from model.nn.mlp import MLP
from model.nn.network_snapshot import snapshot_network
from model.training.trainer import build_trainer

TIMEOUT = 10_000


def show_network(qtbot, window):
    if not window.network_dock.isVisible():  # a large window opens it by itself
        window.menu_actions.network_toggle.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.network is not None, timeout=TIMEOUT)


def drawn_links(view) -> int:
    return sum(len(segments) for _, segments in view.links.lines.groups)


def test_diagram_matches_the_network_after_every_change_of_layers(qtbot, window):
    show_network(qtbot, window)
    for change, hidden in (
        (lambda: window.model_panel.add_layer.click(), (20, 8)),
        (lambda: window.model_panel.widths[1].setValue(5), (20, 5)),
        (lambda: window.model_panel.remove_layer.click(), (20,)),
        (lambda: window.model_panel.remove_layer.click(), ()),
    ):
        change()
        widths = [2, *hidden, 2]
        qtbot.waitUntil(
            lambda w=widths: (
                window.network.snapshot is not None and window.network.snapshot.widths == w
            ),
            timeout=TIMEOUT,
        )
        view = window.network
        assert list(view.plan.widths) == widths and len(view.columns) == len(widths)
        for layer, units in enumerate(widths):  # one tile per neuron, each image its grid
            rows, cols = int(view.plan.rows[layer]), int(view.plan.cols[layer])
            assert rows * cols >= units > rows * (cols - 1)
            w, h = view.plan.block_size(layer)
            assert view.columns[layer].image.shape[:2] == (h, w)
        assert drawn_links(window.network) == sum(
            a * b for a, b in zip(widths[:-1], widths[1:], strict=True)
        )


def test_hovering_a_link_reports_the_true_weight_and_gradient(qtbot, window):
    show_network(qtbot, window)
    window.controls.step_action.trigger()
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame.update == 1
            and window.playground.last_frame.network is not None
        ),
        timeout=TIMEOUT,
    )
    view = window.network
    (ax, ay), (bx, by) = view.link_ends(1, 7, 1)
    text, target = view.describe_at((ax + bx) / 2, (ay + by) / 2)
    assert target == ("link", 1, 7, 1)
    linear = window.playground.worker.trainer.model.linears[1]
    assert f"weight {linear.params['weight'][7, 1]:.4f}" in text
    assert f"gradient {linear.grads['weight'][7, 1]:.3g}" in text


def test_an_edited_weight_is_used_by_the_next_step(qtbot, window, monkeypatch):
    show_network(qtbot, window)
    monkeypatch.setattr(
        "gui.windows.network_dock.QInputDialog.getDouble", lambda *args: (0.75, True)
    )
    window.network.link_clicked.emit(0, 1, 3)
    weight = window.playground.worker.trainer.model.linears[0].params["weight"]
    qtbot.waitUntil(lambda: weight[1, 3] == 0.75, timeout=TIMEOUT)
    reference = build_trainer(window.playground.config)
    reference.model.linears[0].params["weight"][1, 3] = 0.75
    reference.step()
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 1, timeout=TIMEOUT)
    for mine, theirs in zip(
        window.playground.worker.trainer.model.linears, reference.model.linears, strict=True
    ):
        assert np.array_equal(mine.params["weight"], theirs.params["weight"])


def test_weights_cannot_be_edited_while_playing(qtbot, window, monkeypatch):
    show_network(qtbot, window)
    asked = []
    monkeypatch.setattr(
        "gui.windows.network_dock.QInputDialog.getDouble",
        lambda *args: asked.append(args) or (0.75, True),
    )
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: window.playground.playing, timeout=TIMEOUT)
    window.network.link_clicked.emit(0, 1, 3)
    assert not asked and "Pause" in window.statusBar().currentMessage()


def test_hovering_a_neuron_shows_its_map_in_the_big_view(qtbot, window):
    show_network(qtbot, window)
    window.network.neuron_hovered.emit(1, 4)
    shown = window.boundary.neuron_image
    snapshot = window.network.snapshot
    assert shown is not None and shown.shape == (24, 24, 4)
    activation = snapshot.maps[1][4]
    brightest = np.unravel_index(np.argmax(np.abs(activation)), activation.shape)
    assert tuple(shown[brightest][:3]) != (250, 250, 250)  # coloured where the neuron fires
    assert "hidden layer 1, neuron 5" in window.boundary.plotItem.titleLabel.text
    window.network.neuron_hovered.emit(-1, -1)
    assert window.boundary.neuron_image is None


def test_learning_dynamics_follow_each_layers_norms(qtbot, window):
    window.model_panel.add_layer.click()
    show_network(qtbot, window)
    for expected in (1, 2, 3):
        window.controls.step_action.trigger()
        qtbot.waitUntil(
            lambda e=expected: window.network_dock.dynamics.updates[-1:] == [e], timeout=TIMEOUT
        )
    dynamics = window.network_dock.dynamics
    assert dynamics.norm_plot.getPlotItem().ctrl.logYCheck.isChecked()
    linears = window.playground.worker.trainer.model.linears
    assert len(dynamics.weight_norms[-1]) == len(linears) == 3
    for layer, linear in enumerate(linears):
        assert np.isclose(dynamics.weight_norms[-1][layer], np.linalg.norm(linear.params["weight"]))
        assert np.isclose(dynamics.grad_norms[-1][layer], np.linalg.norm(linear.grads["weight"]))
        x, _ = dynamics._curves[("norm", layer)].getData()
        assert list(x[-3:]) == [1, 2, 3]
        edges, counts = dynamics._curves[("hist", layer)].getData()
        assert counts.sum() == linear.params["weight"].size


def test_hidden_space_shows_the_chosen_layers_activations(qtbot, window):
    window.model_panel.widths[0].setValue(2)  # two units: shown as they are
    window.model_panel.add_layer.click()
    show_network(qtbot, window)
    qtbot.waitUntil(
        lambda: (
            window.network.snapshot is not None and window.network.snapshot.widths == [2, 2, 8, 2]
        ),
        timeout=TIMEOUT,
    )
    window.network_dock.widget().setCurrentWidget(window.network_dock.hidden_space)
    qtbot.waitUntil(lambda: window.network_dock.hidden_space.points is not None, timeout=TIMEOUT)
    model = window.playground.worker.trainer.model
    data = window.playground.worker.trainer.dataset
    assert np.allclose(
        window.network_dock.hidden_space.points, model.hidden_activations(data.X_train)[0]
    )
    assert window.network_dock.hidden_space.axes_label.text() == "shown: units 1 and 2"
    window.network_dock.hidden_space.layer.setValue(2)
    assert "principal components" in window.network_dock.hidden_space.axes_label.text()


def test_an_edited_weight_updates_the_figures_at_once(qtbot, window):
    show_network(qtbot, window)
    before = window.curves.history.last
    window.playground.request_weight.emit(1, 0, 0, 25.0)  # a large weight into the first output
    qtbot.waitUntil(lambda: window.curves.history.last is not before, timeout=TIMEOUT)
    after = window.curves.history.last
    assert after.update == before.update == 0
    assert after.train_loss != before.train_loss


# ----- what a student sees: tile size, titles, space used, hover and click -----


def screen_rect(view, rect: QRectF) -> QRectF:
    """A rectangle in the view's coordinates, in the widget's pixels."""
    box, transform = view.getViewBox(), view.viewportTransform()
    top_left = transform.map(box.mapViewToScene(rect.topLeft()))
    bottom_right = transform.map(box.mapViewToScene(rect.bottomRight()))
    return QRectF(top_left, bottom_right)


def widget_point(view, x: float, y: float) -> QPoint:
    scene = view.getViewBox().mapViewToScene(QPointF(x, y))
    return view.mapFromScene(scene)


def read_out(view) -> str:
    """The hover read-out's text as the user sees it ("" while it is hidden)."""
    readout = view.marks.readout
    return readout.toPlainText() if readout.isVisible() else ""


def move_mouse(view, point: QPoint) -> None:
    """A real mouse move over the view's viewport (what pyqtgraph's scene hears)."""
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(point),
        QPointF(view.viewport().mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(view.viewport(), event)


def large_view(qtbot, hidden=(256,) * 8, size=(1264, 280)) -> tuple[NetworkView, MLP]:
    """A network view alone, the size of the Network dock's diagram in a 1280 x 800 window."""
    mlp = MLP(2, list(hidden), 2, seed=0)
    view = NetworkView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.show_snapshot(snapshot_network(mlp, (-2.0, 3.0, -1.5, 2.0), 24))
    qtbot.waitUntil(lambda: view.plan is not None and view.getViewBox().width() > 1000)
    return view, mlp


def test_tiles_are_readable_and_fill_the_dock_at_the_default_size(qtbot, window):
    assert (window.width(), window.height()) == (1280, 800)
    show_network(qtbot, window)
    view = window.network
    qtbot.waitUntil(lambda: view.plan is not None and view.isVisible(), timeout=TIMEOUT)
    assert view.snapshot.widths == [2, 20, 2]
    # beside the views, a third of the window wide and its whole height
    assert window.network_dock.width() == pytest.approx(0.34 * window.width(), abs=40)
    assert window.network_dock.height() > 0.8 * window.height()
    shown = [
        screen_rect(view, view.tile_rect(layer, index))
        for layer, units in enumerate(view.plan.widths)
        for index in range(units)
    ]
    inside = QRectF(view.viewport().rect())
    for rect in shown:
        assert rect.width() >= 40 and rect.height() >= 40  # on screen, in pixels
        assert inside.contains(rect)  # every tile in sight, none scrolled away
    assert not view.scrolls
    # The diagram spans the widget: little blank on either side or above and below.
    left = min(r.left() for r in shown)
    right = max(r.right() for r in shown)
    top = min(r.top() for r in shown)
    bottom = max(r.bottom() for r in shown)
    # (on the left, the inputs' names: x1, x2)
    assert left < 0.1 * inside.width() and right > 0.95 * inside.width()
    assert bottom - top > 0.6 * inside.height()


def test_layer_titles_name_each_column_and_its_activation(qtbot, window):
    show_network(qtbot, window)
    view = window.network

    def titles() -> list[str]:
        return [t.toPlainText().replace("\n", " ") for t in view.frame.titles]

    assert titles() == ["Input", "Hidden 1: 20 ReLU", "Output: softmax"]
    window.model_panel.add_layer.click()
    window.model_panel.activation.setCurrentIndex(window.model_panel.activation.findData("tanh"))
    qtbot.waitUntil(
        lambda: view.snapshot.widths == [2, 20, 8, 2] and view.snapshot.activation == "tanh",
        timeout=TIMEOUT,
    )
    assert titles() == ["Input", "Hidden 1: 20 tanh", "Hidden 2: 8 tanh", "Output: softmax"]
    for layer, title in enumerate(view.frame.titles):  # each above its own column
        block = view.tile_rect(layer, 0)
        width, _ = view.plan.block_size(layer)
        label = title.mapRectToView(title.boundingRect())
        assert label.bottom() <= block.top()
        assert abs(label.center().x() - (block.left() + width / 2)) < max(width, label.width())


def test_hovering_a_link_of_a_large_network_names_that_link(qtbot):
    mlp = MLP(2, [256] * 8, 2, seed=0)
    weights = mlp.linears[1].params["weight"]  # hidden 1 -> hidden 2: 65,536 links
    weights *= 1e-3  # all faint (not drawn) but one
    view, _ = large_view(qtbot)
    rows = int(view.plan.rows[1])
    source, target = 7 * rows + 20, 3 * rows + 22  # deep in both grids: the view scrolls
    weights[source, target] = -2.5
    view.show_snapshot(snapshot_network(mlp, (-2.0, 3.0, -1.5, 2.0), 24))
    assert view.scrolls
    # A point on the link halfway between the two layers' grids, scrolled into sight.
    (ax, ay), (bx, by) = view.link_ends(1, source, target)
    x = (view.plan.x0[1] + view.plan.block_size(1)[0] + view.plan.x0[2]) / 2
    y = ay + (x - ax) / (bx - ax) * (by - ay)
    view.scrollbar.setValue(int(y - view.getViewBox().height() / 2))
    move_mouse(view, widget_point(view, x, y))
    text = read_out(view)
    assert f"hidden layer 1, neuron {source + 1} → hidden layer 2, neuron {target + 1}" in text
    assert "weight -2.5000" in text
    assert view.describe_at(x, y)[1] == ("link", 1, source, target)
    move_mouse(view, widget_point(view, x, y + 12))  # off the only link drawn there
    assert read_out(view) == ""


def test_a_large_network_shows_every_layer(qtbot, window):
    show_network(qtbot, window)
    window.playground.load_config(ExperimentConfig(model=ModelConfig(hidden=(256,) * 8)))
    view = window.network
    widths = [2, *(256,) * 8, 2]
    qtbot.waitUntil(
        lambda: view.snapshot is not None and view.snapshot.widths == widths, timeout=30_000
    )
    assert len(view.frame.titles) == len(view.columns) == len(widths)
    assert view.frame.titles[4].toPlainText().replace("\n", " ") == "Hidden 4: 256 ReLU"
    inside = QRectF(view.viewport().rect())
    for layer in range(len(widths)):
        first = screen_rect(view, view.tile_rect(layer, 0))
        assert inside.contains(first)  # every layer's first neuron in sight, side by side
        assert first.width() >= TILE_MIN - 0.5
        assert view.columns[layer].image is not None
    # The rest is a scroll away: the last neuron of a hidden layer comes into sight.
    last = view.tile_rect(1, 255)
    view.scrollbar.setValue(view.scrollbar.maximum())
    assert inside.contains(screen_rect(view, last))


def test_hovering_a_tile_shows_that_neuron_once(qtbot, window):
    show_network(qtbot, window)
    view = window.network
    qtbot.waitUntil(lambda: view.plan is not None, timeout=TIMEOUT)
    heard = []
    view.neuron_hovered.connect(lambda layer, index: heard.append((layer, index)))
    centre = view.tile_rect(1, 4).center()
    for dx in (0, 2, 4):  # three moves over the same tile: one signal
        move_mouse(view, widget_point(view, centre.x() + dx, centre.y()))
    assert heard == [(1, 4)]
    assert "hidden layer 1, neuron 5" in read_out(view)
    assert window.boundary.neuron_image is not None
    move_mouse(view, widget_point(view, 2, view.getViewBox().height() - 2))  # a blank corner
    assert heard == [(1, 4), (-1, -1)] and read_out(view) == ""


def test_clicking_a_link_while_paused_edits_that_weight(qtbot, window, monkeypatch):
    show_network(qtbot, window)
    view = window.network
    qtbot.waitUntil(lambda: view.plan is not None, timeout=TIMEOUT)
    monkeypatch.setattr(
        "gui.windows.network_dock.QInputDialog.getDouble", lambda *args: (0.5, True)
    )
    (ax, ay), (bx, by) = view.link_ends(0, 1, 0)  # x2 -> the first hidden neuron
    point = widget_point(view, ax + 0.3 * (bx - ax), ay + 0.3 * (by - ay))
    assert view.describe_at(*view_point(view, point))[1] == ("link", 0, 1, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    weight = window.playground.worker.trainer.model.linears[0].params["weight"]
    qtbot.waitUntil(lambda: weight[1, 0] == 0.5, timeout=TIMEOUT)


def view_point(view, point: QPoint) -> tuple[float, float]:
    mapped = view.getViewBox().mapSceneToView(view.mapToScene(point))
    return mapped.x(), mapped.y()


def test_weights_blowing_up_are_drawn_without_errors(qtbot, window):
    """A run blowing up (huge, infinite or undefined weights and biases) still draws."""
    import dataclasses

    show_network(qtbot, window)
    snapshot = window.network.snapshot
    weights = [w.copy() for w in snapshot.weights]
    biases = [b.copy() for b in snapshot.biases]
    weights[0][0, :3] = [1e308, -np.inf, np.nan]
    biases[0][:3] = [1e308, np.inf, np.nan]
    broken = dataclasses.replace(snapshot, weights=weights, biases=biases)
    window.network.show_snapshot(broken)  # pytest-qt fails the test on any exception
    window.network_dock.dynamics.add(window.playground.last_frame.update + 1, broken)
    window.network_dock.dynamics.add(window.playground.last_frame.update + 2, broken)
    window.network.neuron_hovered.emit(1, 0)
    assert window.network.snapshot is broken


def test_a_perceptron_from_the_start_says_why_there_is_no_diagram(qtbot):
    window = MainWindow(ExperimentConfig(model=ModelConfig(kind="perceptron")))
    qtbot.addWidget(window)
    window.show()
    if not window.network_dock.isVisible():  # a large window opens it by itself
        window.menu_actions.network_toggle.trigger()
    placeholder = window.network.frame.placeholder
    qtbot.waitUntil(placeholder.isVisible, timeout=TIMEOUT)
    assert "perceptron has no hidden layers" in placeholder.toPlainText()
    window.close()


def test_layer_titles_never_overlap_in_a_narrow_column(qtbot, window):
    """A regression's 'Output: predicted value' beside 'Hidden 2: 20 tanh' in the column the
    dock has at 1280 x 800: the titles break onto more lines rather than run into each other."""
    from model.io.presets import find_preset

    window.resize(1280, 800)
    window.playground.load_config(find_preset("regression-multigauss").config)
    show_network(qtbot, window)
    view = window.network
    qtbot.waitUntil(lambda: view.snapshot is not None and view.snapshot.widths[-1] == 1)
    qtbot.waitUntil(lambda: view.width() < 500)
    labels = [t.mapRectToView(t.boundingRect()) for t in view.frame.titles]
    for left, right in zip(labels, labels[1:], strict=False):
        assert left.right() <= right.left(), [t.toPlainText() for t in view.frame.titles]
