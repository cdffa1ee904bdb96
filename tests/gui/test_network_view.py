"""The network view: its shape follows the network, hover reads true weights, edits are used."""

import numpy as np

from model.training import build_trainer

TIMEOUT = 10_000


def show_network(qtbot, window):
    window.network_toggle.trigger()
    qtbot.waitUntil(lambda: window.last_frame.network is not None, timeout=TIMEOUT)


def drawn_links(view) -> int:
    lengths = [
        0 if item.getData()[0] is None else len(item.getData()[0]) for item in view.link_items
    ]
    return sum(lengths) // 2


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
        heights = [item.image.shape[0] for item in window.network.columns]
        assert heights == [30 * (units - 1) + 24 for units in widths]  # one tile per neuron
        assert drawn_links(window.network) == sum(
            a * b for a, b in zip(widths[:-1], widths[1:], strict=True)
        )


def test_hovering_a_link_reports_the_true_weight_and_gradient(qtbot, window):
    show_network(qtbot, window)
    window.step_action.trigger()
    qtbot.waitUntil(
        lambda: window.last_frame.update == 1 and window.last_frame.network is not None,
        timeout=TIMEOUT,
    )
    view = window.network
    (ax, ay), (bx, by) = view.link_ends(1, 7, 1)
    text, target = view.describe_at((ax + bx) / 2, (ay + by) / 2)
    assert target == ("link", 1, 7, 1)
    linear = window.worker.trainer.model.linears[1]
    assert f"weight {linear.params['weight'][7, 1]:.4f}" in text
    assert f"gradient {linear.grads['weight'][7, 1]:.3g}" in text


def test_an_edited_weight_is_used_by_the_next_step(qtbot, window, monkeypatch):
    show_network(qtbot, window)
    monkeypatch.setattr("gui.main_window.QInputDialog.getDouble", lambda *args: (0.75, True))
    window.network.link_clicked.emit(0, 1, 3)
    weight = window.worker.trainer.model.linears[0].params["weight"]
    qtbot.waitUntil(lambda: weight[1, 3] == 0.75, timeout=TIMEOUT)
    reference = build_trainer(window.config)
    reference.model.linears[0].params["weight"][1, 3] = 0.75
    reference.step()
    window.step_action.trigger()
    qtbot.waitUntil(lambda: window.last_frame.update == 1, timeout=TIMEOUT)
    for mine, theirs in zip(
        window.worker.trainer.model.linears, reference.model.linears, strict=True
    ):
        assert np.array_equal(mine.params["weight"], theirs.params["weight"])


def test_weights_cannot_be_edited_while_playing(qtbot, window, monkeypatch):
    show_network(qtbot, window)
    asked = []
    monkeypatch.setattr(
        "gui.main_window.QInputDialog.getDouble", lambda *args: asked.append(args) or (0.75, True)
    )
    window.play_action.trigger()
    qtbot.waitUntil(lambda: window.playing, timeout=TIMEOUT)
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
        window.step_action.trigger()
        qtbot.waitUntil(lambda e=expected: window.dynamics.updates[-1:] == [e], timeout=TIMEOUT)
    dynamics = window.dynamics
    assert dynamics.norm_plot.getPlotItem().ctrl.logYCheck.isChecked()
    linears = window.worker.trainer.model.linears
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
    window.network_dock.widget().setCurrentWidget(window.hidden_space)
    qtbot.waitUntil(lambda: window.hidden_space.points is not None, timeout=TIMEOUT)
    model = window.worker.trainer.model
    data = window.worker.trainer.dataset
    assert np.allclose(window.hidden_space.points, model.hidden_activations(data.X_train)[0])
    assert window.hidden_space.axes_label.text() == "shown: units 1 and 2"
    window.hidden_space.layer.setValue(2)
    assert "principal components" in window.hidden_space.axes_label.text()


def test_an_edited_weight_updates_the_figures_at_once(qtbot, window):
    show_network(qtbot, window)
    before = window.curves.history.last
    window.request_weight.emit(1, 0, 0, 25.0)  # a large weight into the first output
    qtbot.waitUntil(lambda: window.curves.history.last is not before, timeout=TIMEOUT)
    after = window.curves.history.last
    assert after.update == before.update == 0
    assert after.train_loss != before.train_loss
