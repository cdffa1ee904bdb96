"""The parts of ``main.py train`` that make a command line reproduce a window's run: each
data set's own parameters, a length in updates as well as in epochs, and the session the
window opens and continues."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cli.arguments import UsageError
from model.data.datasets import EXTRA_PARAMS

if TYPE_CHECKING:  # imported by the command itself, when it runs
    from model.config import ExperimentConfig
    from model.training.trainer import Trainer

PARAMETERS = tuple(dict.fromkeys(key for params in EXTRA_PARAMS.values() for key in params))


def data_parameters(args: argparse.Namespace, name: str) -> dict[str, float]:
    """The data set parameters given (--mean, --n_classes, ...), each one ``name`` has;
    ``name`` is a data set, or the flag that replaces one (--data)."""
    given = {key: getattr(args, key) for key in PARAMETERS if getattr(args, key, None) is not None}
    own = EXTRA_PARAMS.get(name, {})
    foreign = [f"--{key}" for key in given if key not in own]
    if foreign:
        users = {key: [n for n, p in EXTRA_PARAMS.items() if key in p] for key in given}
        key = foreign[0][2:]
        where = f"{name} has none" if not own else f"{name}'s are --{', --'.join(own)}"
        raise UsageError(
            f"main.py {args.command}: {foreign[0]} is a parameter of "
            f"{' and '.join(users[key])} ({where})"
        )
    return given


def epoch_sizes(updates_per_epoch: int, max_steps: int, max_updates: int | None) -> list[int]:
    """Updates in each step of a run: ``max_steps`` whole epochs, or ``max_updates`` updates
    cut into epochs (the last one maybe partial)."""
    if max_updates is None:
        return [updates_per_epoch] * max_steps
    whole, rest = divmod(max_updates, updates_per_epoch)
    return [updates_per_epoch] * whole + ([rest] if rest else [])


def epoch_label(epoch: float) -> str:
    """3.52 for a pass under way, as the window's status line writes it; 3 for a whole one."""
    return f"{epoch:.3f}".rstrip("0").rstrip(".")


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
