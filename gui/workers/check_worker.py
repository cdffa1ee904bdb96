"""The Check my code window's background work: checking a student's folder (run_checks) and
training their MLP and perceptron beside the reference, in a thread of its own, so that the
window never waits for the student's code.

Every job carries a number. ``stop`` is called directly from the window's thread (not
queued: the worker is busy) and stops every job up to the one given between two checks or
two updates; every signal carries its job's number, so the window can leave out what a
stopped job still sends.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot

from model.checking.beside_reference import MlpBeside, MlpPlan
from model.checking.discovery import NoStudentCode
from model.checking.perceptron_beside import PerceptronPlan, perceptron_beside
from model.checking.report import CheckReport
from model.checking.runner import CheckingFailed, run_checks
from model.checking.training import StudentCodeError

SNAPSHOT_SECONDS = 0.15  # while training, the window's plots are brought up to date this often


@dataclass(frozen=True)
class TrainingRequest:
    """Train the student's code at ``path`` beside the reference: the MLP, then the
    perceptron (either may be None: not asked for)."""

    job: int
    path: Path
    mlp: MlpPlan | None
    perceptron: PerceptronPlan | None


class CheckWorker(QObject):
    """Lives in the window's check thread; one job at a time, in the order asked."""

    result = Signal(int, object, int, int)  # job, CheckResult, done, total
    checks_finished = Signal(int, object)  # job, CheckReport (stopped runs: what was done)
    checks_refused = Signal(int, str)  # job, why nothing could be checked (one line)
    mlp_progress = Signal(int, object)  # job, MlpSnapshot
    perceptron_finished = Signal(int, object)  # job, PerceptronOutcome or a str saying why not
    training_finished = Signal(int)  # job

    def __init__(self) -> None:
        super().__init__()
        self._stopped_through = 0  # jobs up to this number are stopped

    def stop(self, job: int) -> None:
        """Stop jobs up to ``job`` at their next check or update: any thread, directly."""
        self._stopped_through = max(self._stopped_through, job)

    def _stopped(self, job: int) -> bool:
        return job <= self._stopped_through

    @Slot(int, str)
    def check(self, job: int, path: str) -> None:
        """Run every check of the folder, each result sent as it comes."""
        if self._stopped(job):  # stopped before it began
            self.checks_finished.emit(job, CheckReport(()))
            return
        try:
            report = run_checks(
                path,
                progress=lambda result, done, total: self.result.emit(job, result, done, total),
                should_stop=lambda: self._stopped(job),
            )
        except (NoStudentCode, CheckingFailed) as error:
            self.checks_refused.emit(job, str(error))
            return
        except OSError as error:  # the folder went away, or no process could be started
            self.checks_refused.emit(job, f"{path}: {error.strerror or error}")
            return
        self.checks_finished.emit(job, report)

    @Slot(object)
    def train(self, request: TrainingRequest) -> None:
        """The MLP's run, update by update, then the perceptron's."""
        job = request.job
        if request.mlp is not None and not self._stopped(job):
            self._train_mlp(job, request.path, request.mlp)
        if request.perceptron is not None and not self._stopped(job):
            try:
                outcome = perceptron_beside(request.path, request.perceptron)
            except StudentCodeError as error:
                outcome = f"Your perceptron could not be trained: {error}"
            except OSError as error:
                outcome = f"Your perceptron could not be trained: {error.strerror or error}"
            self.perceptron_finished.emit(job, outcome)
        self.training_finished.emit(job)

    def _train_mlp(self, job: int, path: Path, plan: MlpPlan) -> None:
        try:
            run = MlpBeside(path, plan)
        except (StudentCodeError, OSError) as error:
            self.mlp_progress.emit(job, f"Your MLP could not be trained: {_said(error)}")
            return
        try:
            self.mlp_progress.emit(job, run.snapshot(grids=True))
            shown = time.monotonic()
            while run.update < plan.updates:
                if self._stopped(job):
                    self.mlp_progress.emit(job, run.snapshot(grids=True, stopped=True))
                    return
                try:
                    run.step()
                except StudentCodeError as error:
                    said = f"your MLP stopped at update {run.update + 1}: {error}"
                    self.mlp_progress.emit(job, run.snapshot(error=said))
                    return
                if time.monotonic() - shown > SNAPSHOT_SECONDS:
                    self.mlp_progress.emit(job, run.snapshot(grids=True))
                    shown = time.monotonic()
            self.mlp_progress.emit(job, run.snapshot(grids=True, finished=True))
        except StudentCodeError as error:  # drawing its boundary
            self.mlp_progress.emit(job, run.snapshot(error=f"your MLP stopped: {error}"))
        finally:
            run.close()


def _said(error: Exception) -> str:
    if isinstance(error, OSError):
        return str(error.strerror or error)
    return str(error)
