"""``main.py train --export_script PATH`` and ``--export_torch PATH``: the trained network as
code (model/export/numpy_script.py, model/export/torch_script.py).

A path that cannot be written is refused before training (exit 2, one line), not after
minutes of it; a write that fails afterwards says so on one line, leaves any old file as it
was and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from cli.flags import UsageError
from model.io.safe_files import check_writable

if TYPE_CHECKING:
    from model.training.trainer import Trainer

EXPORT_FLAGS = (("export_script", "numpy"), ("export_torch", "torch"))


def check_export_paths(args: argparse.Namespace) -> None:
    """UsageError for an export path that cannot be written (checked before training)."""
    for flag, _ in EXPORT_FLAGS:
        path = getattr(args, flag, None)
        if path is None:
            continue
        if not path:
            raise UsageError(f"main.py {args.command}: --{flag} needs the path of a .py file")
        if problem := check_writable(path):
            raise UsageError(f"--{flag}: cannot write {path}: {problem}")


def write_exports(args: argparse.Namespace, trainer: Trainer) -> int:
    """Write the scripts asked for; 1 if one could not be written (said on one line)."""
    from model.export.scripts import export_trainer

    status = 0
    for flag, kind in EXPORT_FLAGS:
        path = getattr(args, flag, None)
        if not path:
            continue
        try:
            export_trainer(kind, trainer, path)
        except (OSError, ValueError) as error:
            print(f"--{flag}: not written: {error}", file=sys.stderr)
            status = 1
    return status
