"""The student's process: the only place the student's code is imported and called.

It starts with limits on its memory and on what it may print, its output going to a file and
its input empty, the student's folder first on its path (the app's own folder off it), and
a watchdog (faulthandler) that, when a command takes longer than its time limit, writes where
every thread was and ends the process. Then it answers commands from the app until the pipe
closes. Only the standard library is imported before the limits are in place.
"""

from __future__ import annotations

import contextlib
import faulthandler
import importlib
import os
import sys
from pathlib import Path
from typing import Any

# One BLAS thread: the checks' arrays are small, and threads would each reserve memory.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def _limit(memory_bytes: int, output_bytes: int) -> None:
    """At most ``memory_bytes`` of address space, files of at most ``output_bytes``, no core
    dump; only ever lowered."""
    try:
        import resource
        import signal
    except ImportError:  # not on this system (Windows): the time limit still holds
        return
    for kind, value in (
        (resource.RLIMIT_AS, memory_bytes),
        (resource.RLIMIT_FSIZE, output_bytes),
        (resource.RLIMIT_CORE, 0),
    ):
        soft, hard = resource.getrlimit(kind)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        if soft == resource.RLIM_INFINITY or soft > value:
            with contextlib.suppress(ValueError, OSError):  # a system that will not lower it
                resource.setrlimit(kind, (value, hard))
    # Beyond the output limit a write fails (OSError in the student's print), not the process.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _line_buffered() -> None:
    """Output (a file the app reads; the input is empty) written line by line, so what was
    printed before a time-out is in the file."""
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(line_buffering=True)


def _student_path(folder: Path) -> list[str]:
    """The student's folder, then the standard library and installed packages: not the app's
    own checkout (a student's ``import cli`` is then not the app's), not the working folder."""
    app = Path(__file__).resolve().parents[2]
    keep = []
    for entry in sys.path:
        resolved = Path(entry or os.getcwd()).resolve()
        if (
            resolved == app
            and (app / "model" / "checking").is_dir()
            and "-packages" not in app.name
        ):
            continue
        if entry in ("", ".") or resolved == folder:
            continue
        keep.append(entry)
    return [str(folder), *keep]


class Commands:
    """What the app may ask of the student's process, one method per command."""

    def __init__(self, folder: Path) -> None:
        from model.checking.student import set_student_folder

        self.folder = folder
        set_student_folder(folder)
        self.imported: dict[str, Any] = {}
        self.data: dict[str, Any] = {}
        self.run: Any = None

    def import_file(self, file: str) -> dict[str, str | None]:
        """Import one of the student's files; the error and the student's line if it fails."""
        from model.checking.student import error_text, student_line

        try:
            self.imported[file] = importlib.import_module(Path(file).stem)
        except (Exception, SystemExit) as error:
            return {"error": error_text(error), "where": student_line(error)}
        return {"error": None, "where": None}

    def classes(self, _: Any = None) -> dict[str, tuple[str, str]]:
        from model.checking.discovery import find_classes

        return find_classes(self.imported)

    def setup(self, data: dict[str, Any]) -> None:
        self.data = data

    def _context(self, facts: dict[str, Any], failed: frozenset[str]) -> Any:
        from model.checking.discovery import find_classes
        from model.checking.student import Context

        classes = {
            module: getattr(self.imported[file], name)
            for module, (file, name) in find_classes(self.imported).items()
        }
        return Context(classes, dict(facts), frozenset(failed), self.data)

    def check(self, payload: tuple[str, dict[str, Any], frozenset[str]]) -> Any:
        from model.checking.catalogue import run_check

        key, facts, failed = payload
        return run_check(key, self._context(facts, failed))

    def mlp_start(self, payload: dict[str, Any]) -> str:
        """The student's MLP with the given widths and weights, ready to train: the split of
        the loss gradient its backward wants, found against the reference on (X, labels)."""
        from model.checking.corrections import softmax_split
        from model.checking.student_mlp import (
            StudentMLP,
            StudentRun,
            reference_gradients,
            reference_mlp,
            try_splits,
        )

        context = self._context(payload.get("facts", {}), frozenset())
        widths = payload["widths"]
        mlp = StudentMLP(
            context.classes["MLP"],
            widths[0],
            widths[1:-1],
            widths[-1],
            context.facts.get("linear_in_out", True),
        )
        mlp.set_weights(payload["weights"])
        X, labels = payload["X"], payload["labels"]
        expected = reference_gradients(reference_mlp(widths, payload["weights"]), X, labels)
        split, _, _ = try_splits(mlp, X, labels, expected, softmax_split(context.facts))
        mlp.set_weights(payload["weights"])
        own = payload.get("own_loss") and "CrossEntropy" in context.classes
        loss = context.classes["CrossEntropy"]() if own else None
        self.run = StudentRun(mlp, split, loss)
        return split

    def mlp_update(self, payload: tuple[Any, Any, float]) -> tuple[float, list]:
        X, labels, rate = payload
        loss = self.run.update(X, labels, rate)
        return loss, self.run.mlp.weights()

    def mlp_outputs(self, X: Any) -> Any:
        return self.run.mlp.forward(X)

    def perceptron_epochs(self, payload: dict[str, Any]) -> list:
        """The student's Perceptron trained one epoch at a time from zero weights (train with
        max_epochs 1, again and again): its weights, bias first, after each epoch."""
        import numpy as np

        from model.checking import perceptron_checks
        from model.checking.student import Wrong, call

        context = self._context({}, frozenset())
        if "Perceptron" not in context.classes:
            raise Wrong("no Perceptron class was found")
        facts = perceptron_checks.forward(context).facts
        weights = perceptron_checks.Weights(*facts["perceptron_weights"])
        n_inputs = perceptron_checks.N_INPUTS
        current = np.zeros(n_inputs + 1)
        X, y = payload["X"], perceptron_checks.signed(payload["labels"])
        history = []
        for _ in range(payload["epochs"]):
            perceptron = perceptron_checks.make(context, 1, payload["learning_rate"])
            weights.set(perceptron, current)
            call("Perceptron.train", perceptron.train, X.copy(), y.copy())
            current = weights.get(perceptron)
            history.append(current)
        return history


def serve(fd: int) -> None:
    """The student's process, started by sandbox.py with the pipe's end ``fd``: the settings
    come first, then (command, payload, seconds) messages, answered with ("ok", value) or
    ("error", text) until the app closes the pipe."""
    from multiprocessing.connection import Connection

    connection = Connection(fd)
    settings = connection.recv()
    _limit(settings["memory_bytes"], settings["output_bytes"])
    _line_buffered()
    trace = open(settings["trace_path"], "w")  # noqa: SIM115 - open for the process's life
    faulthandler.enable(trace)
    for variable in THREAD_VARIABLES:
        os.environ[variable] = "1"
    sys.dont_write_bytecode = True  # no __pycache__ left in the student's folder
    folder = Path(settings["folder"])
    commands = Commands(folder)
    import model.checking.catalogue  # noqa: F401 - NumPy and the checks, before the path changes

    sys.path[:] = _student_path(folder)
    os.chdir(folder)
    while True:
        try:
            command, payload, seconds = connection.recv()
        except (EOFError, OSError):
            return
        faulthandler.dump_traceback_later(seconds, exit=True, file=trace)
        try:
            reply: tuple[str, Any] = ("ok", getattr(commands, command)(payload))
        except (Exception, SystemExit) as error:
            said = getattr(error, "message", None) or f"{type(error).__name__}: {error}"
            reply = ("error", said)
        finally:
            faulthandler.cancel_dump_traceback_later()
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError):  # beyond the output limit
                stream.flush()
        try:
            connection.send(reply)
        except Exception as error:  # a reply that cannot be pickled
            connection.send(("error", f"{type(error).__name__}: {error}"))
