"""Run ``main.py`` as a user does, but in the test's own process: the same entry point and exit
status, stdout and stderr captured as text. A process of its own costs about two seconds of
imports a call; tests that need one (a signal, a traceback at interpreter exit, the window)
still start it."""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import main


@dataclass
class Finished:
    """What ``subprocess.run(..., capture_output=True, text=True)`` would have returned."""

    returncode: int
    stdout: str
    stderr: str


def run_main(*args: str, cwd: Path | str | None = None) -> Finished:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.ExitStack() as stack:
        stack.enter_context(contextlib.redirect_stdout(out))
        stack.enter_context(contextlib.redirect_stderr(err))
        stack.enter_context(contextlib.chdir(cwd or os.getcwd()))
        try:
            code = main.main(list(args))
        except SystemExit as exit_:  # argparse's --help
            code = exit_.code if isinstance(exit_.code, int) else 2
    return Finished(code, out.getvalue(), err.getvalue())
