"""Safe file reading and atomic file writing.

Reading: only regular files, and never more than a limit, counted while reading (a FIFO or
a device never ends; a file may grow after its size was asked). Writing: a temporary file
beside the target, then a rename, so a reader never sees half a file and a failed write
leaves the old file untouched; the new file keeps the old one's permissions (a new one gets
the usual ones: the kernel applies the umask, which is never changed here), and a symbolic
link is written through, not replaced.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import secrets
import stat
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


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once or not at all (OSError says why)."""
    target = Path(os.path.realpath(path))  # through a symbolic link, to the file it names
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None  # a new file: 0o666 less the umask, as the kernel creates it
    fd, temporary = _create_beside(target)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        _write_all(fd, memoryview(data).cast("B"))
        os.fsync(fd)
        closing, fd = fd, -1
        os.close(closing)  # its error counts too: some file systems report a failed write here
        os.replace(temporary, target)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _create_beside(target: Path) -> tuple[int, Path]:
    """A new, empty temporary file in the target's folder (its descriptor and path), never
    one that already exists: created with 0o666, less the umask the kernel applies."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {target}")


def _write_all(fd: int, data: memoryview) -> None:
    """Every byte of ``data``: a write may take fewer than it was given (a disk filling up),
    so each one's count is checked and the rest written again."""
    while data:
        written = os.write(fd, data)
        if written <= 0:
            raise OSError(f"nothing was written ({len(data)} bytes were left)")
        data = data[written:]


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
