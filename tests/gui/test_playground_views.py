"""A run under TensorFlow Playground's rules in the window's views as any other: the loss
landscape (Playground's loss over Playground's weights, its centre the train loss Playground
reports) and the network diagram (Playground's one output node, tanh for a classifier)."""

import numpy as np
from PySide6.QtWidgets import QApplication

from gui.windows.landscape_dock import PLAYGROUND_LOSS
from gui.windows.playground_link import rules_of
from model.playground.run import PlaygroundRun
from tests.gui.running import run_updates

CIRCLE = (
    "https://playground.tensorflow.org/#activation=tanh&batchSize=10&dataset=circle&"
    "learningRate=0.03&regularizationRate=0&noise=0&networkShape=4,2&seed=0.80664&"
    "percTrainData=50&x=true&y=true&problem=classification"
)
EPOCHS = 3
TIMEOUT = 20_000


def open_link(qtbot, window, link: str) -> None:
    QApplication.clipboard().setText(link)
    window.playground_links.paste_action.trigger()
    qtbot.waitUntil(lambda: rules_of(window.playground.last_frame) is not None, timeout=TIMEOUT)


def centre(landscape) -> float:
    return float(landscape.loss[len(landscape.b) // 2, len(landscape.a) // 2])


def test_the_landscape_of_a_link_is_playgrounds_loss_centred_on_its_train_loss(qtbot, window):
    open_link(qtbot, window, CIRCLE)
    reference = PlaygroundRun.from_link(CIRCLE)
    run_updates(qtbot, window, EPOCHS * reference.updates_per_epoch)
    for _ in range(EPOCHS):
        reference.run_epoch()
    toggle = window.menu_actions.landscape_toggle
    assert toggle.isEnabled()
    toggle.trigger()
    dock = window.landscape_dock
    dock.resolution.setValue(5)
    update = window.playground.last_frame.update
    qtbot.waitUntil(
        lambda: dock.shows_update(update) and dock.view.landscape.loss.shape == (5, 5),
        timeout=TIMEOUT,
    )
    assert dock.isVisible()  # opening a link no longer closes it
    landscape = dock.view.landscape
    assert landscape.plane == "pca"  # the path of EPOCHS + 1 snapshots of Playground's weights
    assert abs(centre(landscape) - reference.train_loss) <= 1e-12 * reference.train_loss
    assert np.isfinite(landscape.loss).all()
    assert f"{PLAYGROUND_LOSS} {reference.train_loss:.4g}" in dock.caption.text()
    # When paused, the line from the initial weights follows: Playground's epoch-0 losses.
    qtbot.waitUntil(
        lambda: dock.view.landscape is not None and dock.view.landscape.line is not None,
        timeout=TIMEOUT,
    )
    line = dock.view.landscape.line
    _, train_0, test_0 = reference.history[0]
    assert abs(line.train[0] - train_0) <= 1e-12 * train_0
    assert abs(line.test[0] - test_0) <= 1e-12 * test_0
    assert abs(line.train[-1] - reference.train_loss) <= 1e-12 * reference.train_loss


def show_network(qtbot, window) -> None:
    if not window.network_dock.isVisible():  # a large window opens it by itself
        window.menu_actions.network_toggle.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.network is not None, timeout=TIMEOUT)


def test_the_diagram_of_a_playground_classifier_has_its_one_tanh_output(qtbot, window):
    show_network(qtbot, window)
    open_link(qtbot, window, CIRCLE)
    run_updates(qtbot, window, 40)
    view = window.network
    qtbot.waitUntil(
        lambda: view.snapshot is not None and view.snapshot.widths == [2, 4, 2, 1],
        timeout=TIMEOUT,
    )
    assert view.frame.texts == ["Input", "Hidden 1: 4 tanh", "Hidden 2: 2 tanh", "Output: tanh"]
    assert view.neuron_name(3, 0) == "output (tanh: its sign is the class)"  # its read-out
    assert len(view.columns) == 4
    # Its output tile is Playground's output over the plane, its weights Playground's own.
    reference = PlaygroundRun.from_link(CIRCLE)
    reference.step(40)

    def agrees(snapshot) -> bool:
        x0, x1, y0, y1 = snapshot.extent
        corners = np.array([[x0, y0], [x1, y1]])
        tile = snapshot.maps[-1][0]
        return (
            np.array_equal(snapshot.weights[-1][:, 0], reference.network.W[-1][0])
            and snapshot.biases[-1].tolist() == reference.network.b[-1].tolist()
            and np.allclose([tile[0, 0], tile[-1, -1]], reference.predict(corners), atol=1e-12)
        )

    assert agrees(view.snapshot)
    # A weight typed on its one output link is Playground's weight to its output node.
    window.playground.set_weight(2, 1, 0, 0.75)
    reference.network.W[-1][0, 1] = 0.75
    qtbot.waitUntil(lambda: view.snapshot.weights[-1][1, 0] == 0.75, timeout=TIMEOUT)
    assert agrees(view.snapshot)
    assert view.frame.texts[-1] == "Output: tanh" and view.snapshot.widths[-1] == 1


def test_a_playground_regression_keeps_its_predicted_value():
    """The label words of the diagram's layers (gui/views/network_frame.py)."""
    from gui.views.network_frame import layer_titles

    assert layer_titles([2, 3, 1], "relu")[-1] == "Output: predicted value"
    assert layer_titles([2, 3, 2], "relu")[-1] == "Output: softmax"
    assert layer_titles([2, 3, 1], "relu", "tanh")[-1] == "Output: tanh"
