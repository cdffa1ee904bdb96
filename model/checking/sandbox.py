"""The app's side of the student's process (child.py): start it, send it a command with a time
limit, and when it does not answer in time (or dies), end it, say where it was in the
student's code, and start a new one for what comes next.

StudentProcess keeps a process ready for the student's files: it imports them one by one
(a file that cannot be imported is reported once, with the student's line) and imports them
again whenever the process had to be restarted.
"""

from __future__ import annotations

import multiprocessing
import re
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.checking import child
from model.checking.discovery import StudentFolder
from model.limits import CHECK_MEMORY_BYTES, CHECK_OUTPUT_BYTES, CHECK_SECONDS

GRACE_SECONDS = 5.0  # beyond the limit, for the watchdog's own exit, before the process is killed
OUTPUT_CHARS = 2_000  # of what the student's code printed, kept with a result
TRACE_LINE = re.compile(r'File "(?P<file>.+)", line (?P<line>\d+) in (?P<function>\S+)')


class Stopped(Exception):
    """The student's process did not answer: it ran out of time or died. ``message`` says so
    in the student's terms; ``where`` is the student's line it was at ('modules.py:40')."""

    def __init__(self, message: str, where: str | None, timed_out: bool) -> None:
        super().__init__(message)
        self.message, self.where, self.timed_out = message, where, timed_out


class Refused(Exception):
    """The student's process answered with an error: ``args[0]`` says what."""


@dataclass(frozen=True)
class ImportFailure:
    """A student's file that cannot be imported: the error and the student's line."""

    file: str
    error: str
    where: str | None
    output: str = ""

    def message(self) -> str:
        return f"{self.file} cannot be imported: {self.error}" + (
            f" ({self.where})" if self.where else ""
        )


class Sandbox:
    """One student's process at a time, restarted after it stops."""

    def __init__(self, folder: Path, memory_bytes: int = CHECK_MEMORY_BYTES) -> None:
        self.folder = folder
        self.memory_bytes = memory_bytes
        self._temporary = tempfile.TemporaryDirectory(prefix="np-check-")
        self._starts = 0
        self._carried = ""  # printed by a process that has ended, not yet collected
        self._output = Path(self._temporary.name) / "output-0.txt"
        self._output.touch()
        self._read = 0
        self._trace = Path(self._temporary.name) / "trace.txt"
        self._process: Any = None
        self._connection: Any = None

    @property
    def running(self) -> bool:
        return self._process is not None

    def start(self) -> None:
        """A new student's process: a Python of its own running child.py, its output to a
        file; settings go first through the pipe."""
        # Each process prints to a file of its own, so the output limit holds per process.
        self._carried = self._unread()
        self._starts += 1
        self._output = Path(self._temporary.name) / f"output-{self._starts}.txt"
        self._read = 0
        mine, theirs = multiprocessing.Pipe()
        settings = {
            "folder": str(self.folder),
            "memory_bytes": self.memory_bytes,
            "output_bytes": CHECK_OUTPUT_BYTES,
            "trace_path": str(self._trace),
        }
        root = str(Path(child.__file__).resolve().parents[2])
        code = (
            f"import sys; sys.path.insert(0, {root!r}); "
            f"from model.checking.child import serve; serve({theirs.fileno()})"
        )
        with self._output.open("ab") as output:
            self._process = subprocess.Popen(
                [sys.executable, "-c", code],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=(theirs.fileno(),),
                cwd=self.folder,
            )
        theirs.close()
        self._connection = mine
        mine.send(settings)

    def request(self, command: str, payload: Any = None, seconds: float = CHECK_SECONDS) -> Any:
        """The reply to ``command``; Stopped if the process did not answer within ``seconds``
        (it is then ended), Refused if it answered with an error."""
        if not self.running:
            self.start()
        try:
            self._connection.send((command, payload, seconds))
            answered = self._connection.poll(seconds + GRACE_SECONDS)
            reply = self._connection.recv() if answered else None
        except (EOFError, OSError):
            reply = None
        if reply is None:
            raise self._stopped(seconds)
        kind, value = reply
        if kind == "error":
            raise Refused(value)
        return value

    def output(self) -> str:
        """What the student's code printed since the last call, shortened to OUTPUT_CHARS."""
        text, self._carried = self._carried + self._unread(), ""
        return text if len(text) <= OUTPUT_CHARS else text[: OUTPUT_CHARS - 3] + "..."

    def _unread(self) -> str:
        try:
            with self._output.open("rb") as stream:
                stream.seek(self._read)
                data = stream.read(OUTPUT_CHARS * 4)
                self._read = stream.seek(0, 2)  # the rest, beyond what is kept, is skipped
        except OSError:
            return ""
        return data.decode("utf-8", "replace")

    def _stopped(self, seconds: float) -> Stopped:
        """End the process; why it stopped and where it was in the student's code."""
        process, self._process = self._process, None
        self._connection.close()
        try:
            process.wait(1.0)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        trace = (
            self._trace.read_text(encoding="utf-8", errors="replace")
            if self._trace.exists()
            else ""
        )
        where = self._where(trace)
        at = f" (it was at {where})" if where else ""
        if trace.startswith("Timeout") or process.returncode == -signal.SIGKILL:
            return Stopped(f"did not finish within {seconds:g} s{at}", where, True)
        how = (
            f"signal {-process.returncode}"
            if process.returncode < 0
            else f"exit status {process.returncode}"
        )
        return Stopped(f"crashed the student's process ({how}){at}", where, False)

    def _where(self, trace: str) -> str | None:
        """'modules.py:40 in forward': the innermost frame in the student's folder."""
        for match in TRACE_LINE.finditer(trace):
            path = Path(match["file"])
            try:
                name = path.resolve().relative_to(self.folder).as_posix()
            except (ValueError, OSError):
                continue
            return f"{name}:{match['line']} in {match['function']}"
        return None

    def close(self) -> None:
        """End the process and remove its files."""
        if self._process is not None:
            self._connection.close()  # the process reads the end of the pipe and returns
            try:
                self._process.wait(2.0)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None
        self._temporary.cleanup()


class StudentProcess:
    """The student's files imported in a Sandbox, imported again after every restart."""

    def __init__(
        self,
        code: StudentFolder,
        data: dict[str, Any] | None = None,
        seconds: float = CHECK_SECONDS,
        memory_bytes: int = CHECK_MEMORY_BYTES,
    ) -> None:
        self.code = code
        self.data = data or {}
        self.seconds = seconds
        self.sandbox = Sandbox(code.folder, memory_bytes)
        self.failures: list[ImportFailure] = []
        self._good: list[str] = []
        self.classes: dict[str, tuple[str, str]] = {}

    @property
    def imported_files(self) -> list[str]:
        """The student's files that were imported."""
        return list(self._good)

    def __enter__(self) -> StudentProcess:
        return self

    def __exit__(self, *_: object) -> None:
        self.sandbox.close()

    def open(self) -> None:
        """Import every file; the failures (one per file at fault) and the classes found."""
        for file in self.code.files:
            self._ready()
            try:
                reply = self.sandbox.request("import_file", file, self.seconds)
            except Stopped as stop:
                said = stop.message.split(" (it was at")[0]
                if stop.timed_out:
                    said += ": code at the top level runs on import (put it under "
                    said += "if __name__ == '__main__':)"
                reply = {"error": f"importing it {said}", "where": stop.where}
            output = self.sandbox.output()
            if reply["error"] is None:
                self._good.append(file)
            elif not self._elsewhere(file, reply["where"]):
                self.failures.append(ImportFailure(file, reply["error"], reply["where"], output))
        self._ready()
        self.classes = self.sandbox.request("classes", None, self.seconds)

    def _elsewhere(self, file: str, where: str | None) -> bool:
        """Whether the error is at the line of another file that already failed to import."""
        if where is None:
            return False
        at = where.split(":")[0]
        return at != file and any(failure.file == at for failure in self.failures)

    def _ready(self) -> None:
        """A running process with the good files imported and the data in place."""
        if self.sandbox.running:
            return
        for file in self._good:
            self.sandbox.request("import_file", file, self.seconds)
        self.sandbox.request("setup", self.data, self.seconds)
        self.sandbox.output()

    def set_data(self, data: dict[str, Any]) -> None:
        """The data sets the checks use, in this process and every restarted one."""
        self.data = data
        if self.sandbox.running:
            self.sandbox.request("setup", data, self.seconds)

    def request(self, command: str, payload: Any = None) -> Any:
        """A command in a ready process (Stopped, Refused as Sandbox.request)."""
        self._ready()
        return self.sandbox.request(command, payload, self.seconds)
