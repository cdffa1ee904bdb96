"""Safe file reading and atomic file writing.

Reading: only regular files, and never more than a limit, counted while reading (a FIFO or
a device never ends; a file may grow after its size was asked). Writing: a temporary file
beside the target, then a rename, so a reader never sees half a file and a failed write
leaves the old file untouched; the new file keeps the old one's permission bits but never
its setuid, setgid or sticky bit (a new one gets the usual ones: the kernel applies the
umask, which is never changed here), and a symbolic link is written through, not replaced,
where the kernel would follow it. Nothing is replaced that is not a regular file: a
character device (``/dev/null``) and a file with several hard links are written in place; a
FIFO, socket, block device or folder is refused.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import secrets
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

MAX_LINKS = 40  # symbolic links followed in one path, at most (the kernel's limit)
REFUSED_KINDS = {  # never written: a write would block, fail or reach a disk under its files
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFBLK: "a block device (a disk)",
}


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


class RefusedTarget(OSError):
    """A path that is never written: a FIFO, socket, block device or folder, or a symbolic
    link the kernel's protected_symlinks would not follow. Its text is one line."""

    def __str__(self) -> str:
        return str(self.strerror)


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` all at once or not at all (OSError says why).

    A regular file gets a temporary file beside it, renamed over it. A character device
    (``/dev/null``) and a file with several hard links are written in place instead, so the
    device stays a device and the links one file; that write is not atomic. A FIFO, socket,
    block device or folder is refused (RefusedTarget), as is a symbolic link the kernel
    would not follow."""
    target = resolve_for_writing(path)
    found = _existing(target, path)
    if found is not None and _in_place(found):
        _write_in_place(target, found, path, [memoryview(data).cast("B")])
        return
    fd, temporary = _create_beside(target)
    try:
        _write_all(fd, memoryview(data).cast("B"))
        os.fsync(fd)
        closing, fd = fd, -1
        os.close(closing)  # its error counts too: some file systems report a failed write here
        put_in_place(temporary, target, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def put_in_place(
    temporary: str | os.PathLike, target: str | os.PathLike, named: str | os.PathLike
) -> None:
    """Make the complete ``temporary`` file (beside ``target``, from resolve_for_writing)
    the content of ``target`` (``named`` so by the user), by the rules of write_atomic.

    Checked again here, after the long part of the work: a regular file (or none) is
    replaced by a rename, the new one taking the old one's permission bits but never its
    setuid, setgid or sticky bit; a device or a hard-linked file gets the bytes copied in
    and the temporary file is removed. OSError (RefusedTarget) leaves the temporary file."""
    found = _existing(Path(target), named)
    if found is not None and _in_place(found):
        with open(temporary, "rb") as source:
            _write_in_place(Path(target), found, named, iter(lambda: source.read(1 << 20), b""))
        os.unlink(temporary)
        return
    if found is not None:
        os.chmod(temporary, stat.S_IMODE(found.st_mode) & 0o777)
    os.replace(temporary, target)


def resolve_for_writing(path: str | os.PathLike) -> Path:
    """``path`` made absolute with every symbolic link along it replaced by what it names,
    following a link only where the kernel's ``fs.protected_symlinks`` would.

    Resolving in Python (``os.path.realpath``) follows any link, so another user's link in
    /tmp to the user's ``~/.bashrc`` would be written through. The kernel refuses a link in
    a sticky, world-writable folder unless its owner is the folder's owner or the user
    (effective uid); so does this, for every link met (RefusedTarget). As ``realpath``
    does, a part that does not exist is kept as it is."""
    text = os.fsdecode(os.fspath(path))
    if os.name != "posix":  # no such links or owners to check
        return Path(os.path.realpath(text))
    if not os.path.isabs(text):
        text = os.path.join(os.getcwd(), text)
    resolved, pending, links = "/", text.split("/")[::-1], 0
    while pending:
        name = pending.pop()
        if name in ("", "."):
            continue
        if name == "..":
            resolved = os.path.dirname(resolved)
            continue
        candidate = os.path.join(resolved, name)
        try:
            found = os.lstat(candidate)
        except OSError:  # missing (or unreadable): kept as written, the write will say why
            resolved = candidate
            continue
        if not stat.S_ISLNK(found.st_mode):
            resolved = candidate
            continue
        links += 1
        if links > MAX_LINKS:
            raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), os.fspath(path))
        _check_link(candidate, found, resolved)
        link = os.readlink(candidate)
        if link.startswith("/"):
            resolved = "/"
        pending.extend(link.split("/")[::-1])
    return Path(resolved)


def _check_link(link: str, found: os.stat_result, folder: str) -> None:
    """RefusedTarget for a link the kernel's protected_symlinks would not follow."""
    holder = os.stat(folder)
    shared = holder.st_mode & stat.S_ISVTX and holder.st_mode & stat.S_IWOTH
    if shared and found.st_uid not in (holder.st_uid, os.geteuid()):
        raise RefusedTarget(
            errno.EACCES,
            f"{link} is a symlink owned by another user in a shared directory; not followed",
        )


def _existing(target: Path, named: str | os.PathLike) -> os.stat_result | None:
    """The status of the file at ``target`` (None if there is none); RefusedTarget if it is
    of a kind never written (``named`` is the path the user gave)."""
    try:
        found = os.lstat(target)
    except FileNotFoundError:
        return None
    problem = _kind_problem(found, named)
    if problem:
        code = errno.EISDIR if stat.S_ISDIR(found.st_mode) else errno.EPERM
        raise RefusedTarget(code, problem)
    return found


def _kind_problem(found: os.stat_result, named: str | os.PathLike) -> str | None:
    if stat.S_ISDIR(found.st_mode):
        return f"{named} is a folder"
    kind = REFUSED_KINDS.get(stat.S_IFMT(found.st_mode))
    if kind is not None:
        return f"{named} is {kind}, not a file"
    if not (stat.S_ISREG(found.st_mode) or stat.S_ISCHR(found.st_mode)):
        return f"{named} is neither a regular file nor a device"
    return None


def _in_place(found: os.stat_result) -> bool:
    """Whether an existing target is written in place rather than replaced: a character
    device (a rename would put a file where the device was) or a file with several hard
    links (a rename would split them)."""
    return stat.S_ISCHR(found.st_mode) or found.st_nlink > 1


def _write_in_place(
    target: Path, found: os.stat_result, named: str | os.PathLike, chunks: Iterable
) -> None:
    """Write ``chunks`` into the existing ``target`` (found so before): a file is emptied
    first, a device is written as it is. Opened without creating, without following a
    link, and without waiting (a FIFO put there meanwhile is refused, never waited for)."""
    flags = os.O_WRONLY
    for name in ("O_NOFOLLOW", "O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC"):
        flags |= getattr(os, name, 0)
    fd = os.open(target, flags)
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (found.st_dev, found.st_ino) or not _in_place(now):
            raise RefusedTarget(errno.EAGAIN, f"{named} changed while it was being written")
        if flags & getattr(os, "O_NONBLOCK", 0):
            os.set_blocking(fd, True)  # a device that is slow to take bytes is waited for
        if stat.S_ISREG(now.st_mode):
            if stat.S_IMODE(now.st_mode) & ~0o777:
                os.fchmod(fd, stat.S_IMODE(now.st_mode) & 0o777)  # no setuid on new content
            os.ftruncate(fd, 0)
        for chunk in chunks:
            _write_all(fd, memoryview(chunk).cast("B"))
        if stat.S_ISREG(now.st_mode):
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)  # its error counts too, as for a new file


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
    try:
        resolved = resolve_for_writing(path)
        found = _existing(resolved, path)
    except RefusedTarget as error:
        return str(error)
    except OSError:
        found = None  # the write itself will say what is wrong
    if found is not None and _in_place(found):  # written in place: its folder is not touched
        return None if os.access(resolved, os.W_OK) else f"{path} is not writable"
    if not folder.is_dir():
        return f"folder {folder} does not exist"
    if not os.access(folder, os.W_OK):
        return f"folder {folder} is not writable"
    return None
