"""Regression in the window: the Problem choice reaches the training thread, the boundary view
shows the predicted value on a diverging blue-white-orange scale with the targets on it, the
curves show the mean squared error without accuracy, and the other tools follow."""

import csv

import numpy as np
import pytest

from gui.appearance.colour_vision import MACHADO_2009, lab_as_seen
from gui.appearance.value_colours import VALUE_LABEL, point_colours, value_image
from gui.files.export import export_csv
from model.io.points_file import read_points

TIMEOUT = 15_000
AT_A_GLANCE = 15.0  # CIELAB Delta E, as tests/gui/test_palette.py checks the class colours


def choose_problem(qtbot, window, problem: str) -> None:
    panel = window.data_panel
    panel.problem.setCurrentIndex(panel.problem.findData(problem))
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame is not None
            and window.playground.last_frame.dataset.problem == problem
        ),
        timeout=TIMEOUT,
    )


def train(qtbot, window, updates: int) -> None:
    start = window.playground.last_frame.update
    window.playground.request_updates.emit(updates)
    qtbot.waitUntil(lambda: window.playground.last_frame.update == start + updates, timeout=TIMEOUT)


def shown_pixel(window, row: int, column: int) -> np.ndarray:
    """The RGB the boundary view's image item holds at grid cell (row, column)."""
    colour = window.boundary.image.pixmap().toImage().pixelColor(column, row)
    return np.array([colour.red(), colour.green(), colour.blue()])


def test_choosing_regression_trains_plane_and_draws_the_predicted_value(qtbot, window):
    choose_problem(qtbot, window, "regression")
    config = window.playground.worker.config
    assert config.data.problem == "regression" and config.data.name == "plane"
    assert window.data_panel.dataset.currentData() == "plane"
    listed = [
        window.data_panel.dataset.itemData(i) for i in range(window.data_panel.dataset.count())
    ]
    assert listed == ["plane", "multigauss"]
    train(qtbot, window, 300)
    frame = window.playground.last_frame
    assert frame.probabilities is None and frame.values.shape == frame.image.shape[:2]
    assert frame.predictions_train.dtype.kind == "f"
    # Where the prediction is largest the image is orange, where smallest blue, through white.
    low, high = frame.dataset.value_range()
    assert -low == high > 0
    top = np.unravel_index(np.argmax(frame.values), frame.values.shape)
    bottom = np.unravel_index(np.argmin(frame.values), frame.values.shape)
    assert frame.values[top] > 0.8 * high and frame.values[bottom] < 0.8 * low
    red, _, blue = shown_pixel(window, *top)
    assert red > blue + 80  # orange
    red, _, blue = shown_pixel(window, *bottom)
    assert blue > red + 80  # blue
    middle = np.unravel_index(np.argmin(np.abs(frame.values)), frame.values.shape)
    assert shown_pixel(window, *middle).min() > 230  # near 0: white
    bar = window.boundary.colour_bar
    assert bar.isVisible() and bar.getAxis("left").labelText == VALUE_LABEL
    assert tuple(bar.levels()) == pytest.approx((low, high))
    # The points carry their targets on the same scale; nothing is "misclassified".
    brushes = window.boundary.train_item.data["brush"]
    expected = point_colours(frame.dataset.y_train, (low, high))
    assert [b.color().getRgb() for b in brushes[:20]] == [tuple(c) for c in expected[:20]]
    assert len(window.boundary.wrong_item.data) == 0
    legend = " ".join(label.text for _, label in window.boundary.legend.items)
    assert "its target" in legend and "misclassified" not in legend and "class" not in legend


def test_regression_curves_show_the_mean_squared_error_and_no_accuracy(qtbot, window, tmp_path):
    choose_problem(qtbot, window, "regression")
    curves = window.curves
    qtbot.waitUntil(lambda: not curves.accuracy_plot.isVisible(), timeout=TIMEOUT)
    assert "mean squared error" in curves.loss_plot.plotItem.titleLabel.text
    train(qtbot, window, 300)
    curves._redraw()
    test_loss = curves.history.column("test_loss")
    assert len(test_loss) > 10 and np.all(np.isfinite(test_loss))
    assert test_loss[-1] < 0.1 * test_loss[0] and test_loss[-1] < 0.05
    assert np.all(np.isnan(curves.history.column("test_accuracy")))  # kept, not dropped
    window._status_time = 0.0
    window.playground.request_step.emit()
    qtbot.waitUntil(lambda: "MSE" in window.status.text(), timeout=TIMEOUT)
    assert "acc" not in window.status.text()
    header, rows = curves.history.table()  # the History CSV export
    assert header[4:6] == ["train_accuracy", "test_accuracy"] and np.isnan(rows[-1][5])
    export_csv(tmp_path / "history.csv", header, rows)
    with (tmp_path / "history.csv").open() as file:
        written = list(csv.DictReader(file))
    assert len(written) == len(rows) and written[-1]["test_accuracy"] == "nan"
    assert float(written[-1]["test_loss"]) == rows[-1][3]

    choose_problem(qtbot, window, "classification")
    qtbot.waitUntil(lambda: curves.accuracy_plot.isVisible(), timeout=TIMEOUT)
    assert curves.loss_plot.plotItem.titleLabel.text == "Loss (cross-entropy)"
    assert window.playground.worker.config.data.name == "gaussians"
    assert window.boundary.colour_bar.getAxis("left").labelText == "P(class 1)"
    assert window.draw_tools.toggle.isEnabled()


def test_the_perceptron_and_regression_are_never_offered_together(qtbot, window):
    kinds, problems = window.model_panel.kind, window.data_panel.problem

    def offered(box, value: str) -> bool:
        return box.model().item(box.findData(value)).isEnabled()

    assert offered(kinds, "perceptron") and offered(problems, "regression")
    choose_problem(qtbot, window, "regression")
    assert not offered(kinds, "perceptron")
    tip = kinds.model().item(kinds.findData("perceptron")).toolTip()
    assert "only classifies" in tip
    assert not window.draw_tools.toggle.isEnabled()
    assert "classification" in window.draw_tools.toggle.toolTip()
    choose_problem(qtbot, window, "classification")
    kinds.setCurrentIndex(kinds.findData("perceptron"))
    qtbot.waitUntil(
        lambda: window.playground.worker.config.model.kind == "perceptron", timeout=TIMEOUT
    )
    assert not offered(problems, "regression") and offered(kinds, "perceptron")
    assert "only classifies" in problems.model().item(problems.findData("regression")).toolTip()


def test_regression_frames_draw_with_the_network_dock_open(qtbot, window):
    if not window.network_dock.isVisible():  # a large window opens it by itself
        window.menu_actions.network_toggle.trigger()
    choose_problem(qtbot, window, "regression")
    train(qtbot, window, 50)
    qtbot.waitUntil(
        lambda: window.network.snapshot is not None and window.network.snapshot.widths[-1] == 1,
        timeout=TIMEOUT,
    )
    snapshot = window.network.snapshot
    assert snapshot.maps[-1].shape[0] == 1  # one output tile: the predicted value
    titles = [t.toPlainText().replace("\n", " ") for t in window.network.frame.titles]
    assert titles[-1] == "Output: predicted value"
    last = len(snapshot.widths) - 1
    assert window.network.neuron_name(last, 0) == "output (predicted value)"
    window.network.neuron_hovered.emit(last, 0)
    assert window.boundary.neuron_image is not None
    assert "predicted value" in window.boundary.plotItem.titleLabel.text
    values, _ = window.network.neuron_scale(last, 0)
    assert values[0] == -values[1] < 0  # a value, on a scale centred on 0
    window.network.neuron_hovered.emit(-1, -1)
    assert window.boundary.colour_bar.getAxis("left").labelText == VALUE_LABEL
    space = window.network_dock.hidden_space  # the points coloured by target there too
    window.network_dock.widget().setCurrentWidget(space)
    qtbot.waitUntil(lambda: space.points is not None, timeout=TIMEOUT)
    assert len(space.target_item.data) == len(window.playground.last_frame.dataset.y_train)
    assert all(len(item.data) == 0 for item in space.point_items)


def test_a_csv_of_targets_loads_for_regression_and_saves_them_back(qtbot, window, tmp_path):
    choose_problem(qtbot, window, "regression")
    rng = np.random.default_rng(1)
    X = rng.uniform(-3, 3, size=(40, 2))
    targets = 0.5 * X[:, 0] - X[:, 1] ** 2 / 4
    path = tmp_path / "targets.csv"
    with path.open("w", newline="") as file:
        csv.writer(file).writerows([["x1", "x2", "target"], *np.column_stack([X, targets])])
    window.files.load_data(str(path))
    qtbot.waitUntil(lambda: window.playground.last_frame.dataset.name == "custom", timeout=TIMEOUT)
    data = window.playground.last_frame.dataset
    assert data.is_regression and sorted(data.y_all) == pytest.approx(sorted(targets))
    assert window.data_panel.problem.currentData() == "regression"
    saved = tmp_path / "saved.csv"
    from model.io.points_file import write_points

    write_points(saved, window.files.current_points())
    assert saved.read_text().splitlines()[0] == "x1,x2,target"
    back = read_points(saved, "regression")
    assert sorted(back.y) == pytest.approx(sorted(targets))


def test_class_labels_loaded_for_regression_are_refused_saying_why(
    qtbot, window, monkeypatch, tmp_path
):
    said = []
    monkeypatch.setattr(
        "gui.files.session_files.QMessageBox.warning",
        lambda _parent, _title, text: said.append(text),
    )
    choose_problem(qtbot, window, "regression")
    path = tmp_path / "labels.csv"
    path.write_text("x1,x2,label\n0,0,red\n1,0,blue\n0,1,red\n1,1,blue\n")
    before = window.playground.config
    window.files.load_data(str(path))
    qtbot.waitUntil(lambda: bool(said), timeout=TIMEOUT)
    assert len(said) == 1 and "choose Classification" in said[0]
    assert window.playground.config == before


def test_a_comparison_on_regression_is_refused_with_a_reason(qtbot, window, monkeypatch):
    said = []
    monkeypatch.setattr(
        "gui.windows.experiments_compare.QMessageBox.warning",
        lambda _parent, _title, text: said.append(text),
    )
    choose_problem(qtbot, window, "regression")
    window.show_experiments()
    tab = window.experiments.compare_tab
    tab.run()
    assert len(said) == 1 and "Classification" in said[0]
    assert tab.comparison is None


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
def test_the_value_scale_ends_stay_apart_for_colour_blind_eyes(deficiency):
    ends = value_image(np.array([-1.0, 0.0, 1.0]), (-1.0, 1.0))[:, :3].astype(int)
    lab = lab_as_seen(ends, deficiency)
    assert np.linalg.norm(lab[0] - lab[2]) > AT_A_GLANCE  # negative and positive
    assert min(np.linalg.norm(lab[1] - lab[0]), np.linalg.norm(lab[1] - lab[2])) > AT_A_GLANCE
    targets = point_colours(np.array([-1.0, 1.0]), (-1.0, 1.0))[:, :3].astype(int)
    seen = lab_as_seen(targets, deficiency)
    assert np.linalg.norm(seen[0] - seen[1]) > 2 * AT_A_GLANCE


def test_discretised_regression_shows_the_sign_of_the_prediction(qtbot, window):
    choose_problem(qtbot, window, "regression")
    train(qtbot, window, 100)
    boundary = window.boundary
    boundary.set_discrete(True)
    frame = window.playground.last_frame
    low, high = frame.dataset.value_range()
    signs = value_image(np.array([low, 0.0, high]), (low, high))[:, :3]
    shown = np.array(boundary.last_image)[..., :3].reshape(-1, 3)
    assert {tuple(c) for c in shown.tolist()} <= {tuple(c) for c in signs.tolist()}
    assert not boundary.colour_bar.isVisible()
    boundary.set_discrete(False)
    assert boundary.last_image is frame.image and boundary.colour_bar.isVisible()


def test_the_regression_preset_learns_visibly_within_300_updates():
    from model.io.presets import find_preset
    from model.training.trainer import build_trainer

    trainer = build_trainer(find_preset("regression-multigauss").config)
    trainer.train(300)
    first, last = trainer.history[0].test_loss, trainer.history[-1].test_loss
    assert first > 0.3 and last < 0.01  # what README promises


def test_the_guide_explains_regression_and_links_the_problem_choice(window):
    from gui.windows.guide import GUIDE_PATH

    text = GUIDE_PATH.read_text(encoding="utf-8")
    assert '<a name="regression">' in text and 'href="#regression"' in text
    assert "mean squared error" in text and "no accuracy" in text
    assert window.side.control_widget("problem") is window.data_panel.problem
    assert 'href="control:problem"' in text


def test_a_regression_session_reopens_as_regression(qtbot, window, tmp_path):
    choose_problem(qtbot, window, "regression")
    window.data_panel.dataset.setCurrentIndex(window.data_panel.dataset.findData("multigauss"))
    qtbot.waitUntil(
        lambda: window.playground.last_frame.dataset.name == "multigauss", timeout=TIMEOUT
    )
    train(qtbot, window, 20)
    path = tmp_path / "run.npz"
    window.playground.save_session(str(path))
    qtbot.waitUntil(path.exists, timeout=TIMEOUT)
    choose_problem(qtbot, window, "classification")
    assert window.files.open_session(str(path))
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame.values is not None
            and window.playground.last_frame.update == 20
        ),
        timeout=TIMEOUT,
    )
    assert window.data_panel.problem.currentData() == "regression"
    assert window.data_panel.dataset.currentData() == "multigauss"
    assert not window.curves.accuracy_plot.isVisible()
