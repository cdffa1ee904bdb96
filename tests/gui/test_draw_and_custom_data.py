"""Drawing and the user's own data under quick hands: an edit made before the window has
caught up with a change, the own data in the Experiments window, and what a failed
experiment says. Each was found by a long random walk through the window."""

import numpy as np
import pytest

from gui.views.dynamics_view import HISTOGRAM_BINS, weight_histogram
from gui.workers.experiment_worker import failure_text
from model.data.datasets import CLASSIFICATION, REGRESSION

TIMEOUT = 15_000


def choose_problem(window, problem: str) -> None:
    panel = window.data_panel
    panel.problem.setCurrentIndex(panel.problem.findData(problem))


def latest_frame(qtbot, window, condition):
    playground = window.playground
    qtbot.waitUntil(
        lambda: playground.last_frame is not None and condition(playground.last_frame),
        timeout=TIMEOUT,
    )
    return playground.last_frame


def test_a_point_drawn_just_after_leaving_regression_waits_for_the_chosen_data_set(qtbot, window):
    choose_problem(window, REGRESSION)
    latest_frame(qtbot, window, lambda f: f.dataset.is_regression)
    choose_problem(window, CLASSIFICATION)
    chosen = window.playground.config.data
    # The click comes before the classification data's first frame: the plane still shows
    # the regression's points, whose targets are no classes. It is not taken, and says why.
    assert window.playground.last_frame.dataset.is_regression
    window.draw_tools.toggle.setChecked(True)
    window.draw_tools.picker.setCurrentIndex(2)
    window.boundary.point_clicked.emit(0.25, -0.5, False)
    assert "on its way" in window.statusBar().currentMessage()
    assert window.playground.config.data == chosen
    # Once the chosen data set shows, the same click joins it.
    latest_frame(qtbot, window, lambda f: f.dataset.name == chosen.name)
    window.boundary.point_clicked.emit(0.25, -0.5, False)
    frame = latest_frame(qtbot, window, lambda f: f.dataset.name == "custom")
    n = chosen.n_samples
    assert len(frame.dataset.y_all) == n + 1
    assert frame.dataset.n_classes == 3  # the chosen data set's two classes and the new one
    added = np.all(np.isclose(frame.dataset.X_all, [0.25, -0.5]), axis=1)
    assert added.sum() == 1 and frame.dataset.y_all[added][0] == 2
    assert window.data_panel.problem.currentData() == CLASSIFICATION
    assert window.banner.isHidden()


def test_a_comparison_runs_on_the_users_own_points(qtbot, window, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "gui.windows.experiments_window.QMessageBox.warning",
        lambda parent, title, text: shown.append(text),
    )
    window.draw_tools.toggle.setChecked(True)
    window.boundary.point_clicked.emit(0.5, 0.5, False)
    latest_frame(qtbot, window, lambda f: f.dataset.name == "custom")
    window.show_experiments()
    tab = window.experiments.compare_tab
    tab.force_parallel = False  # one process: the test stays light
    tab.values.setText("10, 100")
    tab.epochs.setValue(2)
    tab.run()
    qtbot.waitUntil(lambda: tab.comparison is not None or bool(shown), timeout=TIMEOUT)
    assert shown == []
    assert [run.label for run in tab.comparison.runs] == ["batch_size=10", "batch_size=100"]
    assert all(len(run.history) == 3 for run in tab.comparison.runs)  # untrained + 2 epochs


@pytest.mark.parametrize(
    ("action", "error"),
    [("The comparison", KeyError("custom")), ("The perceptron sweep", IndexError(3))],
)
def test_an_internal_error_says_which_action_failed_never_a_bare_repr(action, error):
    text = failure_text(action, error)
    assert text.startswith(f"{action} stopped on an internal error")
    assert "unchanged" in text
    assert text != str(error) and str(error) not in text


def test_a_refusal_keeps_its_own_words():
    assert failure_text("The comparison", ValueError("batch_size must be at least 1")) == (
        "batch_size must be at least 1"
    )


@pytest.mark.parametrize(
    "weights",
    [[1e10, 1e10 + 1e-5], [1e150, 1e150], [1e200, 1.0000000001e200], [-3e170, -3e170, 2.0]],
)
def test_the_weight_histogram_of_large_nearly_equal_weights_has_distinct_bins(weights):
    counts, edges = weight_histogram(np.array(weights))
    assert len(edges) == HISTOGRAM_BINS + 1 and np.all(np.diff(edges) > 0)
    assert counts.sum() == len(weights)
