"""Safe file reading and atomic file writing.

Reading: only regular files, and never more than a limit, counted while reading (a FIFO or
a device never ends; a file may grow after its size was asked). Writing: a temporary file
beside the target, then a rename, so a reader never sees half a file and a failed write
leaves the old file untouched; the new file keeps the old one's permissions, and a symbolic
link is written through, not replaced.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path


class UnreadableFile(ValueError):
    """A file that is not read at all: not a regular file, or larger than allowed."""


def read_limited(path: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them.

    UnreadableFile (its message completes "it ...", e.g. "is not a regular file") for a
    FIFO, device or folder, or a file over the limit; OSError when it cannot be opened.
    """
    # O_NONBLOCK: opening a FIFO without a writer would otherwise wait for ever.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UnreadableFile("is not a regular file")
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise UnreadableFile(f"is larger than the {_size(limit)} allowed")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _size(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.0f} MB" if n_bytes >= 2**20 else f"{n_bytes / 1024:.0f} kB"


def _new_file_mode() -> int:
    """The permissions an ordinary new file gets here: 0o666 less the umask."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once or not at all (OSError says why)."""
    target = Path(os.path.realpath(path))  # through a symbolic link, to the file it names
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _new_file_mode()
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def write_csv_atomic(
    path: str | os.PathLike, header: Sequence[str], rows: Iterable[Sequence]
) -> None:
    write_atomic(path, csv_bytes(header, rows))


def check_writable(path: str | os.PathLike) -> str | None:
    """Why ``path`` cannot be written, or None: checked before long work, not after it."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        return f"{path} is a folder"
    if not folder.is_dir():
        return f"folder {folder} does not exist"
    if not os.access(folder, os.W_OK):
        return f"folder {folder} is not writable"
    return None
