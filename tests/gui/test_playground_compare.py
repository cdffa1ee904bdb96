"""Experiments > Compare while the main window shows a run under Playground rules: over batch
size or learning rate each run is the link with that key changed, trained by Playground's
rules (Playground's losses after every epoch, accuracy by the output's sign, a boundary each),
and the tab says so; a value Playground refuses is one line naming its key; over another
setting the panels' nearest settings train by this app's rules, and the tab says that."""

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from gui.windows.experiments_compare import NEAREST_SETTINGS
from gui.windows.playground_link import rules_of
from model.playground.link import parse_link
from model.playground.run import PlaygroundRun
from tests.gui.playground_links import XOR_LINK

LINK = XOR_LINK
EPOCHS = 3
TIMEOUT = 30_000


@pytest.fixture
def compare_tab(qtbot, window):
    QApplication.clipboard().setText(LINK)
    window.playground_links.paste_action.trigger()
    qtbot.waitUntil(lambda: rules_of(window.playground.last_frame) is not None, timeout=TIMEOUT)
    window.show_experiments()
    window.experiments.tabs.setCurrentIndex(1)
    return window.experiments.compare_tab


def compare(qtbot, tab, parameter: str, values: str) -> dict:
    """Run the comparison; the thumbnails the worker sent with the finished result."""
    finished: dict = {}
    tab.window().worker.compare_finished.connect(
        lambda comparison, thumbnails: finished.update(thumbnails)
    )
    tab.parameter.setCurrentIndex(tab.parameter.findData(parameter))
    tab.values.setText(values)
    tab.epochs.setValue(EPOCHS)
    tab.run()
    qtbot.waitUntil(
        lambda: tab.comparison is not None and tab.run_button.isEnabled(), timeout=TIMEOUT
    )
    return finished


def playgrounds_epochs(key: str, value: str) -> list[tuple[int, float, float]]:
    run = PlaygroundRun.from_link(LINK.replace(f"{key}=", f"{key}={value}&old{key}="))
    for _ in range(EPOCHS):
        run.run_epoch()
    return run.history


@pytest.mark.parametrize(
    ("parameter", "key", "values"),
    [("learning_rate", "learningRate", ("0.03", "0.3")), ("batch_size", "batchSize", ("1", "25"))],
)
def test_runs_are_the_link_with_the_key_changed_by_playgrounds_rules(
    qtbot, compare_tab, parameter, key, values
):
    thumbnails = compare(qtbot, compare_tab, parameter, ", ".join(values))
    comparison = compare_tab.comparison
    assert [str(run.value) for run in comparison.runs] == list(values)
    for run, value in zip(comparison.runs, values, strict=True):
        reference = playgrounds_epochs(key, value)
        shown = [(round(p.epoch), p.train_loss, p.test_loss) for p in run.history]
        assert np.allclose(shown, reference, rtol=0, atol=1e-15)
        assert 0 <= run.final.test_accuracy <= 1 and not run.stopped_reason
    # The sign's accuracy: the boundary where Playground's output is 0.
    run = PlaygroundRun.from_link(LINK.replace(f"{key}=", f"{key}={values[1]}&old{key}="))
    for _ in range(EPOCHS):
        run.run_epoch()
    right = (run.predict(run.data.test_points) > 0) == (run.data.test_labels > 0)
    assert comparison.runs[1].final.test_accuracy == pytest.approx(right.mean(), abs=1e-15)
    assert sorted(thumbnails) == [0, 1] and compare_tab.view.table.rowCount() == 2
    text = compare_tab.status.text()
    assert text.startswith("Done, under Playground rules.") and key in text


def test_a_batch_playground_refuses_is_one_line_naming_its_key(qtbot, compare_tab, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(
        "gui.windows.experiments_compare.QMessageBox.warning",
        lambda parent, title, text: shown.append(text),
    )
    n_train = parse_link(LINK).n_train
    compare_tab.parameter.setCurrentIndex(compare_tab.parameter.findData("batch_size"))
    compare_tab.values.setText(f"10, {n_train + 1}")
    compare_tab.run()
    assert len(shown) == 1 and "\n" not in shown[0]
    assert shown[0].startswith(f"Playground link: batchSize={n_train + 1}")
    assert compare_tab.comparison is None and compare_tab.run_button.isEnabled()


def test_another_setting_trains_the_panels_settings_and_says_so(qtbot, compare_tab):
    compare(qtbot, compare_tab, "activation", "tanh, relu")
    assert compare_tab.status.text().startswith("Done, in ")
    assert NEAREST_SETTINGS in compare_tab.status.text()
    assert [run.value for run in compare_tab.comparison.runs] == ["tanh", "relu"]
