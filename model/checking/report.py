"""What checking a student's code found: one result per check, as a line of text, as a record
of the --json file, and the exit status of ``main.py check``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

IMPORT_CHECK = "import"  # the check of a file that cannot be imported


@dataclass(frozen=True)
class Outcome:
    """What one check found, as the student's process sends it back.

    ``facts`` are what later checks need to know (how the weight is stored, how SoftMax and
    CrossEntropy split their gradient); ``yours`` and ``reference`` are the numbers side by
    side, when there are two to show.
    """

    passed: bool
    message: str
    facts: dict[str, Any] = field(default_factory=dict)
    yours: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class CheckResult:
    """One check of one module: ``module`` is the module whose code is at fault when it fails
    (a file name, such as ``modules.py``, for a file that cannot be imported)."""

    module: str
    check: str
    passed: bool
    message: str
    yours: str | None = None
    reference: str | None = None
    output: str = ""  # what the student's code printed during the check

    def line(self) -> str:
        """'PASS  Linear        shapes: ...' or 'FAIL  CrossEntropy  backward: ...'."""
        status = "PASS" if self.passed else "FAIL"
        head = f"{status}  {self.module:<12}  {self.check}"
        if not self.message:
            return head
        return f"{head}: {self.message}"

    def record(self) -> dict[str, Any]:
        """The --json file's object for this check."""
        record: dict[str, Any] = {
            "module": self.module,
            "check": self.check,
            "passed": self.passed,
            "message": self.message,
        }
        for key in ("yours", "reference"):
            if getattr(self, key) is not None:
                record[key] = getattr(self, key)
        if self.output:
            record["output"] = self.output
        return record


@dataclass(frozen=True)
class CheckReport:
    """Every result, in order, and the modules not checked with the reason why."""

    results: tuple[CheckResult, ...]
    not_checked: dict[str, str] = field(default_factory=dict)

    @property
    def all_passed(self) -> bool:
        return all(result.passed for result in self.results)

    def failing_modules(self) -> list[str]:
        """The modules (or files) with a failing check, in the order of their first failure."""
        return list(dict.fromkeys(r.module for r in self.results if not r.passed))

    def summary(self) -> str:
        """The last line: how many checks pass, and which modules fail."""
        total = len(self.results)
        failing = [r for r in self.results if not r.passed]
        if not failing:
            text = f"All {total} checks pass."
        else:
            text = f"{len(failing)} of {total} checks fail, in {', '.join(self.failing_modules())}."
        if self.not_checked:
            grouped: dict[str, list[str]] = {}
            for module, why in self.not_checked.items():
                grouped.setdefault(why, []).append(module)
            reasons = "; ".join(f"{', '.join(ms)} ({why})" for why, ms in grouped.items())
            text += f" Not checked: {reasons}."
        return text

    def lines(self) -> list[str]:
        """One line per check, then the summary."""
        return [result.line() for result in self.results] + [self.summary()]

    def json_bytes(self) -> bytes:
        """The --json file: a list of one object per check."""
        records = [result.record() for result in self.results]
        return (json.dumps(records, indent=2) + "\n").encode("utf-8")

    def exit_status(self) -> int:
        """0 when every check passes, 1 when any fails."""
        return 0 if self.all_passed else 1
