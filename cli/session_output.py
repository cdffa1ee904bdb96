"""``main.py train --save_session PATH``: the trained run as a session the window opens and
continues."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from cli.flags import UsageError

if TYPE_CHECKING:  # imported by the command itself, when it runs
    from model.config import ExperimentConfig
    from model.training.trainer import Trainer


def check_session_path(path: str | None) -> None:
    """Refuse, before any training, a session path that cannot be written or opened."""
    if path is None:
        return
    from model.io.safe_files import check_writable
    from model.io.session import SUFFIX

    if not path.lower().endswith(SUFFIX):
        raise UsageError(f"--save_session: {path} must end in {SUFFIX}, as sessions do")
    if problem := check_writable(path):
        raise UsageError(f"--save_session: cannot write {path}: {problem}")


def write_session(path: str, config: ExperimentConfig, trainer: Trainer) -> int:
    """Save the run as a session (atomically: a failed write keeps the old file); returns the
    exit status."""
    from model.io.session import save_session

    try:
        save_session(path, config, trainer)
    except OSError as error:
        print(f"cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"Saved the session to {path}: the window opens it (main.py {path}) and continues.")
    return 0
