"""Checking a student's folder, start to end: the data the checks use, the student's process,
each check in turn with what earlier ones found, and the report.

A check that does not finish in time fails, and so do the module's remaining checks (not run:
their code would loop as well); the process is restarted and the other modules are checked.
A progress callback sees each result as it comes, and ``should_stop`` can end the run between
checks, for a window that shows them one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from model.checking.catalogue import CHECKS
from model.checking.discovery import (
    CLASS_NAMES,
    HOME_FILES,
    MODULES,
    NoStudentCode,
    StudentFolder,
    student_folder,
)
from model.checking.report import IMPORT_CHECK, CheckReport, CheckResult, Outcome
from model.checking.sandbox import Refused, Stopped, StudentProcess
from model.limits import CHECK_MEMORY_BYTES, CHECK_SECONDS

Progress = Callable[[CheckResult, int, int], None]  # a result, how many done, how many in all


class CheckingFailed(RuntimeError):
    """The student's process could not be started or set up: ``args[0]`` says why."""


def check_data() -> dict[str, Any]:
    """The data sets the checks use, made by the app: the course's moons (800 training points)
    and two Gaussians, far apart and overlapping, with the Bayes-optimal accuracy."""
    from model.data.datasets import bayes_accuracy, make_dataset

    moons = make_dataset("moons", seed=0)
    data: dict[str, Any] = {"moons_X": moons.X_train, "moons_labels": moons.y_train}
    for prefix, (n, mean, cov) in {
        "separable": (200, 2.0, 0.25),
        "overlapping": (400, 1.0, 1.0),
    }.items():
        gaussians = make_dataset("gaussians", n_samples=n, mean=mean, cov=cov, seed=0)
        data[f"{prefix}_X"], data[f"{prefix}_labels"] = gaussians.X_train, gaussians.y_train
        data[f"{prefix}_X_test"], data[f"{prefix}_labels_test"] = gaussians.X_test, gaussians.y_test
        data[f"{prefix}_bayes"] = bayes_accuracy(mean, cov)
    return data


def _not_checked(code: StudentFolder, process: StudentProcess) -> dict[str, str]:
    """The modules not checked, with the reason why."""
    unimported = set(code.files) - set(process.imported_files)
    reasons = {}
    for module in MODULES:
        if module in process.classes:
            continue
        home = code.files[0] if code.one_file else HOME_FILES[module]
        if home in unimported:
            reasons[module] = f"{home} cannot be imported"
        elif home not in code.files:
            reasons[module] = f"no {home}"
        else:
            reasons[module] = f"no class {' or '.join(CLASS_NAMES[module])} in {home}"
    return reasons


def run_checks(
    path: str | Path,
    *,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    seconds: float = CHECK_SECONDS,
    memory_bytes: int = CHECK_MEMORY_BYTES,
) -> CheckReport:
    """Check the student's code at ``path`` (a folder of the course's files, or one file).

    NoStudentCode when there is nothing to check there (no such path, none of the files, none
    of the classes); CheckingFailed when the student's process could not be set up.
    ``seconds`` is each check's time limit.
    """
    code = student_folder(path)
    with StudentProcess(code, None, seconds, memory_bytes) as process:
        try:
            process.open()
            if not process.classes and not process.failures:
                names = ", ".join(MODULES)
                raise NoStudentCode(
                    f"{path}: none of the classes {names} is in {', '.join(code.files)}"
                )
            process.set_data(check_data())
        except (Stopped, Refused) as error:
            raise CheckingFailed(f"{path}: the code could not be loaded: {error}") from None
        results = [
            CheckResult(failure.file, IMPORT_CHECK, False, failure.message(), output=failure.output)
            for failure in process.failures
        ]
        checks = [check for check in CHECKS if check.module in process.classes]
        total = len(results) + len(checks)
        for done, result in enumerate(results, 1):
            if progress:
                progress(result, done, total)
        facts: dict[str, Any] = {}
        failed: set[str] = set()
        stuck: dict[str, str] = {}
        for check in checks:
            if should_stop is not None and should_stop():
                break
            output = ""
            if check.module in stuck:
                outcome = Outcome(False, f"not run: {stuck[check.module]}")
            else:
                try:
                    outcome = process.request("check", (check.key, facts, frozenset(failed)))
                except Stopped as stop:
                    outcome = Outcome(False, f"{check.module} {stop.message}")
                    if stop.timed_out:
                        stuck[check.module] = f"an earlier check of {check.module} did not finish"
                except Refused as refused:
                    outcome = Outcome(False, f"could not be checked: {refused}")
                output = process.sandbox.output()
            facts.update(outcome.facts)
            if not outcome.passed:
                failed.add(check.module)
            result = CheckResult(
                check.module,
                check.name,
                outcome.passed,
                outcome.message,
                outcome.yours,
                outcome.reference,
                output,
            )
            results.append(result)
            if progress:
                progress(result, len(results), total)
        return CheckReport(tuple(results), _not_checked(code, process))
