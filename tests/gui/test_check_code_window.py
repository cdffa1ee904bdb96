"""File > Check my code…: the checks listed as they finish, and the student's MLP and
perceptron trained beside the reference, on the correct course solution and on typical bugs
(tests/checking_fixtures/)."""

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFileDialog

from gui.windows.check_code_window import SHORTCUT, CheckCodeWindow, current_run
from gui.windows.check_list import FAIL_MARK, PASS_MARK, REFERENCE, YOURS
from gui.windows.garbage_collector import GuiThreadGarbageCollector
from model.checking.beside_reference import AGREEMENT
from model.config import DataConfig, ExperimentConfig, TrainConfig
from model.training.trainer import build_dataset
from tests.checking_fixtures.bugs import BUGS, CORRECT, make_folder

BUG = {bug.name: bug for bug in BUGS}
# The report's own listings: CrossEntropy.backward returns x - y under a mean forward, and
# the perceptron's update is summed over every axis.
REPORTS_BUGS = (
    BUG["cross-entropy gradient of the sum"].changes
    + BUG["perceptron update summed over every axis"].changes
)
CHECKS_SECONDS = 30_000  # ms: a run of the checks takes about 1.5 s on one free core


def open_window(qtbot, config: ExperimentConfig) -> CheckCodeWindow:
    data = build_dataset(config)
    dialog = CheckCodeWindow(lambda: (config, data))
    dialog.garbage = GuiThreadGarbageCollector(dialog)  # as under the main window
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.fixture
def dialog(qtbot):
    dialog = open_window(qtbot, ExperimentConfig())
    yield dialog
    dialog.shutdown()
    dialog.garbage.stop()
    assert not dialog.thread.isRunning()


def checked(qtbot, dialog: CheckCodeWindow, folder) -> list[tuple[str, str, str]]:
    dialog.check_folder(folder)
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=CHECKS_SECONDS)
    return dialog.checks.marks()


def trained(qtbot, dialog: CheckCodeWindow) -> None:
    dialog.tabs.setCurrentWidget(dialog.beside)
    qtbot.mouseClick(dialog.beside.train_button, Qt.MouseButton.LeftButton)
    assert dialog.busy()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=CHECKS_SECONDS)


def test_a_correct_folder_passes_every_check_and_its_runs_lie_on_the_reference(qtbot, dialog):
    assert "Checking runs the code in the folder." in dialog.findChild(object, "runs-code").text()
    marks = checked(qtbot, dialog, CORRECT)
    assert len(marks) == 24
    assert {mark for mark, _, _ in marks} == {PASS_MARK}
    assert {module for _, module, _ in marks} == {
        "Linear",
        "ReLU",
        "SoftMax",
        "CrossEntropy",
        "MLP",
        "Perceptron",
    }
    assert dialog.checks.summary.text() == "All 24 checks pass."
    trained(qtbot, dialog)  # Train mine beside the reference
    beside = dialog.beside
    run = beside.last_mlp
    assert run.finished and run.update == run.total == 200 and run.leaves is None
    for split in ("train", "test"):
        mine, theirs = run.curves[f"yours_{split}"], run.curves[f"reference_{split}"]
        assert len(mine) == 201 and np.max(np.abs(mine - theirs)) < AGREEMENT
    assert run.curves["reference_train"][-1] < run.curves["reference_train"][0]  # it learns
    assert np.allclose(run.yours_grid, run.reference_grid, rtol=0, atol=AGREEMENT)
    assert beside.mlp_verdict.text().startswith("Yours lies on the reference: over 200 updates")
    assert beside.perceptron_verdict.text().startswith("Yours lies on the batch rule")
    assert beside.last_perceptron.leaves is None
    shown = beside.losses.curves["yours_train"].getData()[1]
    assert np.array_equal(shown, run.curves["yours_train"])  # what the plot draws
    assert not beside.losses.marker.isVisible()


def test_the_reports_listings_fail_where_wrong_and_leave_the_reference_from_the_first_update(
    qtbot, dialog, tmp_path
):
    marks = checked(qtbot, dialog, make_folder(tmp_path / "student", REPORTS_BUGS))
    failing = [
        (row, module, message)
        for row, (mark, module, message) in enumerate(marks)
        if mark != PASS_MARK
    ]
    assert {module for _, module, _ in failing} == {"CrossEntropy", "Perceptron"}
    row, _, message = failing[0]
    assert marks[row][0] == FAIL_MARK
    assert "800.0 times the gradient of the loss CrossEntropy.forward returns" in message
    table = dialog.checks.table
    assert table.item(row, YOURS).text() and table.item(row, REFERENCE).text()  # side by side
    assert any("moves every weight by the same amount" in said for _, _, said in failing)
    assert dialog.checks.summary.text().endswith("checks fail, in CrossEntropy, Perceptron.")
    trained(qtbot, dialog)
    beside = dialog.beside
    run = beside.last_mlp
    assert run.finished and run.leaves == 1
    mine, theirs = run.leaving_losses
    assert mine == run.curves["yours_train"][1] and theirs == run.curves["reference_train"][1]
    verdict = beside.mlp_verdict.text()
    assert verdict.startswith(
        f"Yours leaves the reference at update 1: loss {mine:.4g} vs {theirs:.4g}"
    )
    assert beside.losses.marker.isVisible() and beside.losses.marker.value() == 1
    assert "update 1" in beside.losses.plotItem.titleLabel.text
    assert not np.allclose(run.yours_grid, run.reference_grid, rtol=0, atol=0.01)  # visibly
    assert beside.last_perceptron.leaves == 1
    assert beside.perceptron_verdict.text().startswith("Yours leaves the batch rule at epoch 1")


def test_a_folder_without_the_courses_files_is_one_line(qtbot, dialog, tmp_path):
    (tmp_path / "notes.txt").write_text("not code")
    assert checked(qtbot, dialog, tmp_path) == []
    page = QTextDocument()
    page.setHtml(dialog.checks.status.text())
    said = page.toPlainText()
    assert said == (
        f"Nothing was checked: {tmp_path}: none of the course's files (modules.py, "
        "perceptron.py, mlp_numpy.py) is in this folder"
    )


def test_stop_ends_the_students_run_within_a_second(qtbot):
    # 25,000 points: 200 updates of both networks take seconds, so Stop comes mid-run.
    dialog = open_window(
        qtbot, ExperimentConfig(DataConfig(n_samples=25_000), train=TrainConfig(batch_size=None))
    )
    try:
        checked(qtbot, dialog, CORRECT)
        ended = []
        dialog.worker.training_finished.connect(lambda job: ended.append(time.monotonic()))
        dialog.tabs.setCurrentWidget(dialog.beside)
        qtbot.mouseClick(dialog.beside.train_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.beside.last_mlp is not None, timeout=CHECKS_SECONDS)
        qtbot.mouseClick(dialog.beside.stop_button, Qt.MouseButton.LeftButton)
        pressed = time.monotonic()
        assert dialog.beside.status.text() == "Stopped." and not dialog.busy()
        qtbot.waitUntil(lambda: bool(ended), timeout=5_000)
        assert ended[0] - pressed < 1.0
        assert dialog.beside.last_mlp.update < 200
        assert dialog.beside.train_button.isEnabled()
    finally:
        dialog.shutdown()
        dialog.garbage.stop()


def test_file_menu_checks_a_folder_and_trains_on_the_main_windows_data(qtbot, window, monkeypatch):
    action = next(a for a in window.actions() if a.text() == "Check my code…")
    assert action.shortcut().toString() == SHORTCUT
    others = [a for a in window.findChildren(type(action)) if a is not action]
    assert all(SHORTCUT not in a.shortcut().toString().split(", ") for a in others)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *_: str(CORRECT))
    action.trigger()
    dialog = window.findChild(CheckCodeWindow)
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: not dialog.busy(), timeout=CHECKS_SECONDS)
    assert len(dialog.checks.marks()) == 24
    config, data = current_run(window.playground)
    assert config is window.playground.config and data is window.playground.last_frame.dataset
    trained(qtbot, dialog)
    assert f"hidden layers [{config.model.hidden[0]}] with ReLU, on {data.name}" in (
        dialog.beside.mlp_plan_label.text()
    )
    assert dialog.beside.last_mlp.finished and dialog.beside.last_mlp.leaves is None
    window.close()  # joins the window's check thread as well
    assert not dialog.thread.isRunning()
