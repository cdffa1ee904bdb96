"""File > Check my code…: a student's own modules.py, mlp_numpy.py and perceptron.py checked
module by module (model/checking/), and their MLP and perceptron trained beside the app's.

The window owns one background thread (gui/workers/check_worker.py): the student's code runs
in a process of its own, and waiting for it never holds this window or the main one. It is
made once per main window, and its thread is joined when the main window closes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QThread, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.windows.actions import make_action
from gui.windows.beside_tab import BesideTab
from gui.windows.check_list import CheckList
from gui.workers.check_worker import CheckWorker, TrainingRequest
from model.checking.beside_reference import NotTrainable, mlp_plan
from model.checking.perceptron_beside import perceptron_plan
from model.config import ExperimentConfig
from model.data.datasets import Dataset
from model.limits import CHECK_MEMORY_BYTES, CHECK_SECONDS
from model.training.trainer import build_dataset

SHORTCUT = "Ctrl+K"
TITLE = "Check my code"
RUNS_CODE = (
    "<b>Checking runs the code in the folder.</b> Your files are imported and their classes "
    f"called, in a process of its own (at most {CHECK_SECONDS:g} s a check, "
    f"{CHECK_MEMORY_BYTES / 2**30:g} GB of memory, what it prints captured). Check only code "
    "you would run yourself."
)
WHAT_IS_CHECKED = (
    "The course's files: <tt>modules.py</tt> (Linear, ReLU, SoftMax, CrossEntropy), "
    "<tt>mlp_numpy.py</tt> (MLP) and <tt>perceptron.py</tt> (Perceptron), checked against the "
    "app's reference. Help &gt; Guide &gt; Check my code has the interface."
)
JOIN_MS = 15_000  # at most: the check running when the window closes ends within its limit
CurrentRun = Callable[[], tuple[ExperimentConfig, Dataset | None]]


def current_run(playground) -> tuple[ExperimentConfig, Dataset | None]:
    """The main window's configuration and the data on screen (None if it cannot be made)."""
    config = playground.config
    frame = playground.last_frame
    dataset = frame.dataset if frame is not None else None
    if dataset is None or (dataset.name, dataset.problem) != (
        config.data.name,
        config.data.problem,
    ):
        try:  # a change of data set whose first frame has not come yet
            dataset = build_dataset(config)
        except ValueError:
            dataset = None
    return config, dataset


class CheckCodeWindow(QDialog):
    """The folder, the checks as they finish, and the student's runs beside the reference's."""

    _check = Signal(int, str)  # to the worker's thread: job, folder
    _train = Signal(object)  # a TrainingRequest

    def __init__(self, current: CurrentRun, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"Neural Playground: {TITLE.lower()}")
        self.resize(1180, 900)
        self.current = current
        self._owner = parent
        self.folder: Path | None = None
        self._job = 0
        self._checks_job = 0  # the job whose results the list shows (0: none)
        self._training_job = 0
        warning = QLabel(RUNS_CODE)
        warning.setWordWrap(True)
        warning.setObjectName("runs-code")
        warning.setStyleSheet(
            "QLabel#runs-code { border: 1px solid palette(mid); border-radius: 4px; "
            "padding: 6px; background: palette(alternate-base); }"
        )
        what = QLabel(WHAT_IS_CHECKED)
        what.setWordWrap(True)
        self.folder_label = QLabel("No folder chosen.")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.folder_label.font())
        font.setBold(True)
        self.folder_label.setFont(font)
        self.choose_button = QPushButton("Choose folder…")
        self.choose_button.setToolTip(
            "The folder with your modules.py, mlp_numpy.py, perceptron.py"
        )
        self.choose_button.clicked.connect(self.ask_folder)
        self.again_button = QPushButton("Check again")
        self.again_button.setToolTip("Check the folder again (after you changed your code)")
        self.again_button.clicked.connect(lambda: self.check_folder(self.folder))
        self.again_button.setEnabled(False)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel("Folder:"))
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.choose_button)
        folder_row.addWidget(self.again_button)
        self.checks = CheckList()
        self.checks.stop_requested.connect(self.stop_checks)
        self.beside = BesideTab()
        self.beside.train_requested.connect(self.train_beside)
        self.beside.stop_requested.connect(self.stop_training)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.checks, "Checks")
        self.tabs.addTab(self.beside, "Train mine beside the reference")
        layout = QVBoxLayout(self)
        layout.addWidget(warning)
        layout.addWidget(what)
        layout.addLayout(folder_row)
        layout.addWidget(self.tabs, 1)
        self._start_worker()
        if parent is not None:
            parent.installEventFilter(self)  # its close joins this window's thread

    def _start_worker(self) -> None:
        self.thread = QThread(self)
        self.worker = CheckWorker()
        self.worker.moveToThread(self.thread)
        self._check.connect(self.worker.check)
        self._train.connect(self.worker.train)
        self.worker.result.connect(self._result)
        self.worker.checks_finished.connect(self._checks_finished)
        self.worker.checks_refused.connect(self._checks_refused)
        self.worker.mlp_progress.connect(self._mlp_progress)
        self.worker.perceptron_finished.connect(self._perceptron_finished)
        self.worker.training_finished.connect(self._training_finished)
        self.thread.start()

    def _next_job(self) -> int:
        self._job += 1
        return self._job

    # ----- the folder and its checks -----
    def ask_folder(self) -> bool:
        """Ask for a folder and check it; False if none was chosen."""
        start = str(self.folder) if self.folder is not None else ""
        over = self if self.isVisible() or self._owner is None else self._owner
        path = QFileDialog.getExistingDirectory(
            over, "The folder with your modules.py, mlp_numpy.py and perceptron.py", start
        )
        if not path:
            return False
        self.check_folder(path)
        return True

    def check_folder(self, path: str | Path | None) -> None:
        """Check ``path`` (a folder, or one Python file); the list fills as checks finish."""
        if path is None:
            return
        self.stop_checks(say=False)
        self.stop_training(say=False)
        self.folder = Path(path)
        self.folder_label.setText(str(self.folder))
        self.again_button.setEnabled(True)
        self.beside.set_folder(str(self.folder))
        self.tabs.setCurrentWidget(self.checks)
        self._checks_job = self._next_job()
        self.checks.start(str(self.folder))
        self._check.emit(self._checks_job, str(self.folder))

    def stop_checks(self, say: bool = True) -> None:
        """Stop checking: the list says so at once; the worker ends after the running check."""
        if self._checks_job:
            self.worker.stop(self._checks_job)
            self._checks_job = 0
            if say:
                self.checks.stopped()

    @Slot(int, object, int, int)
    def _result(self, job: int, result, done: int, total: int) -> None:
        if job == self._checks_job:
            self.checks.add(result, done, total)

    @Slot(int, object)
    def _checks_finished(self, job: int, report) -> None:
        if job == self._checks_job:
            self._checks_job = 0
            self.checks.finish(report)

    @Slot(int, str)
    def _checks_refused(self, job: int, why: str) -> None:
        if job == self._checks_job:
            self._checks_job = 0
            self.checks.refuse(why)

    # ----- training beside the reference -----
    def train_beside(self) -> None:
        """Train the student's MLP on the main window's data and their perceptron on the
        Part I data, each beside the reference's run."""
        if self.folder is None:
            return
        self.stop_training(say=False)
        config, dataset = self.current()
        plan, why = None, ""
        if dataset is None:
            why = "The main window's data cannot be made: see its message."
        else:
            try:
                plan = mlp_plan(config, dataset)
            except NotTrainable as error:
                why = f"Your MLP is not trained: {error}."
        if plan is not None:  # the plane shaped to its views, so the image fills them
            plan = replace(plan, aspect=self.beside.reference_plane.aspect())
        perceptron = replace(
            perceptron_plan(config, dataset), aspect=self.beside.perceptron_plane.aspect()
        )
        self._training_job = self._next_job()
        self.beside.start(plan, perceptron, why)
        self._train.emit(TrainingRequest(self._training_job, self.folder, plan, perceptron))

    def stop_training(self, say: bool = True) -> None:
        if self._training_job:
            self.worker.stop(self._training_job)
            self._training_job = 0
            if say:
                self.beside.stopped()

    @Slot(int, object)
    def _mlp_progress(self, job: int, snapshot) -> None:
        if job == self._training_job:
            self.beside.show_mlp(snapshot)

    @Slot(int, object)
    def _perceptron_finished(self, job: int, outcome) -> None:
        if job == self._training_job:
            self.beside.show_perceptron(outcome)

    @Slot(int)
    def _training_finished(self, job: int) -> None:
        if job == self._training_job:
            self._training_job = 0
            self.beside.finish()

    # ----- life -----
    def busy(self) -> bool:
        """Whether checks or a training run are under way (as the window shows them)."""
        return bool(self._checks_job or self._training_job)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        """Closing stops the work; the thread stays for the next time the window opens."""
        self.stop_checks()
        self.stop_training()
        super().closeEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self._owner and event.type() == QEvent.Type.Close:
            self.shutdown()
        return False

    def shutdown(self) -> None:
        """Stop the work and join the thread (the main window is closing)."""
        self.worker.stop(self._job)
        self._checks_job = self._training_job = 0
        if self.thread.isRunning():
            self.thread.quit()
            self.thread.wait(JOIN_MS)


def open_check_code(window) -> CheckCodeWindow | None:
    """Ask for a folder and show its checks, in the main window's one Check my code window
    (made the first time); None if no folder was chosen."""
    dialog = window.findChild(CheckCodeWindow)
    if dialog is None:
        dialog = CheckCodeWindow(lambda: current_run(window.playground), window)
    if not dialog.ask_folder():
        return None
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def check_code_action(window) -> QAction:
    """File > Check my code… (Ctrl+K)."""
    return make_action(
        window,
        "Check my code…",
        QKeySequence(SHORTCUT),
        "Check your own modules.py, mlp_numpy.py and perceptron.py against the reference, and "
        "train them beside it (runs the code in the folder)",
        lambda _=False: open_check_code(window),
    )
