"""Writes never destroy what they write to: a device stays a device, a FIFO, socket or disk
is refused at once, another user's link in a shared folder is not followed, new content
never carries setuid, and hard links stay one file. Run as root these are real nodes
(``mknod``) and real owners (``lchown``); without root the tests that need them skip."""

import errno
import os
import re
import socket
import stat

import numpy as np
import pytest

from cli.app import run
from gui.files.recording_writer import RecordingWriter
from model.io.safe_files import RefusedTarget, check_writable, write_atomic

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="mknod and lchown need root")
OTHER_USER = 12345
TRAIN = ["train", "--max_steps", "2", "--n_samples", "100", "--eval_freq", "2"]


def char_device(path, minor: int):
    """A character device node: minor 3 is a /dev/null, 7 a /dev/full (major 1: memory)."""
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    return path


def run_cli(capsys, *argv: str) -> tuple[int, list[str]]:
    """A command's exit status and the lines it wrote to stderr."""
    status = run(list(argv))
    return status, capsys.readouterr().err.splitlines()


@needs_root
def test_a_character_device_is_written_in_place_and_stays_a_device(tmp_path, capsys):
    null = char_device(tmp_path / "null", 3)
    write_atomic(null, b"x1,x2\n" * 1000)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert run_cli(capsys, *TRAIN, "--csv", str(null)) == (0, [])
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["null"]  # no temporary file left beside it


@needs_root
def test_a_full_device_is_an_error_on_one_line_and_stays_a_device(tmp_path, capsys):
    full = char_device(tmp_path / "full", 7)
    with pytest.raises(OSError) as error:
        write_atomic(full, b"history")
    assert error.value.errno == errno.ENOSPC
    status, lines = run_cli(capsys, *TRAIN, "--csv", str(full))
    assert status == 1 and lines == [f"cannot write {full}: No space left on device"]
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def unix_socket(path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    return server


@pytest.mark.timeout(20)  # a FIFO opened for writing with no reader would wait for ever
@pytest.mark.parametrize(
    "kind, make",
    [
        ("named pipe (FIFO)", lambda path: os.mkfifo(path)),
        ("socket", unix_socket),
        pytest.param(
            "block device (a disk)",
            lambda path: os.mknod(path, stat.S_IFBLK | 0o600, os.makedev(7, 250)),
            marks=needs_root,
        ),
    ],
)
def test_a_fifo_socket_or_disk_is_refused_on_one_line_and_never_replaced(
    tmp_path, capsys, monkeypatch, kind, make
):
    monkeypatch.chdir(tmp_path)  # a short name: a socket's path is limited to 108 bytes
    held = make("node")
    try:
        before = os.lstat("node")
        with pytest.raises(RefusedTarget, match=re.escape(f"node is a {kind}")):
            write_atomic("node", b"data")
        assert check_writable("node").startswith(f"node is a {kind}")
        status, lines = run_cli(capsys, *TRAIN, "--csv", "node")
        assert status == 2 and lines == [f"--csv: cannot write node: node is a {kind}, not a file"]
        after = os.lstat("node")
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode)
        assert os.listdir(".") == ["node"]
    finally:
        if held is not None:
            held.close()


@pytest.fixture
def shared(tmp_path):
    """A sticky, world-writable folder like /tmp, owned by this user, and a file of the
    user's outside it (``victim``) that another user's link could point at."""
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o1777)
    victim = tmp_path / "home" / "bashrc"
    victim.parent.mkdir()
    victim.write_bytes(b"keep")
    return folder, victim


@needs_root
def test_only_links_the_kernel_would_follow_are_followed(shared, capsys):
    folder, victim = shared
    planted = folder / "history.csv"
    planted.symlink_to(victim)
    os.lchown(planted, OTHER_USER, OTHER_USER)
    line = f"{planted} is a symlink owned by another user in a shared directory; not followed"
    with pytest.raises(RefusedTarget) as error:
        write_atomic(planted, b"overwritten")
    assert str(error.value) == line
    status, lines = run_cli(capsys, *TRAIN, "--csv", str(planted))
    assert status == 2 and lines == [f"--csv: cannot write {planted}: {line}"]
    assert victim.read_bytes() == b"keep" and planted.is_symlink()
    assert sorted(os.listdir(folder)) == ["history.csv"]

    # A link met on the way (a folder's) is held to the same rule.
    (folder / "out").symlink_to(victim.parent)
    os.lchown(folder / "out", OTHER_USER, OTHER_USER)
    with pytest.raises(RefusedTarget, match="owned by another user"):
        write_atomic(folder / "out" / "bashrc", b"overwritten")
    assert victim.read_bytes() == b"keep"

    # The user's own link, and one of the folder's owner, are followed as the kernel does.
    own = folder / "own.csv"
    own.symlink_to(victim)
    write_atomic(own, b"mine")
    assert victim.read_bytes() == b"mine" and own.is_symlink()
    os.chown(folder, OTHER_USER, OTHER_USER)
    write_atomic(planted, b"the owner's")
    assert victim.read_bytes() == b"the owner's" and planted.is_symlink()

    # Outside a sticky, world-writable folder anyone's link is written through.
    os.chmod(folder, 0o755)
    os.chown(folder, os.geteuid(), os.getegid())
    write_atomic(folder / "out" / "bashrc", b"through a folder's link")
    assert victim.read_bytes() == b"through a folder's link"


@pytest.mark.parametrize(
    "mode, kept",
    [(0o6755, 0o755), (0o2640, 0o640), (0o1644, 0o644)],
    ids=["setuid and setgid", "setgid", "sticky"],
)
def test_setuid_setgid_and_sticky_never_reach_new_content(tmp_path, capsys, mode, kept):
    path = tmp_path / "history.csv"
    path.write_bytes(b"old")
    os.chmod(path, mode)
    write_atomic(path, b"new")
    assert stat.S_IMODE(os.stat(path).st_mode) == kept and path.read_bytes() == b"new"
    os.chmod(path, mode)
    assert run_cli(capsys, *TRAIN, "--csv", str(path)) == (0, [])
    assert stat.S_IMODE(os.stat(path).st_mode) == kept and path.read_text().startswith("update")


def test_a_file_with_two_hard_links_is_rewritten_in_place(tmp_path, capsys):
    first, second = tmp_path / "history.csv", tmp_path / "copy.csv"
    first.write_bytes(b"old content, longer than the new one")
    os.link(first, second)
    os.chmod(first, 0o6750)
    inode = os.stat(first).st_ino
    write_atomic(first, b"new")
    assert second.read_bytes() == b"new"
    both = os.stat(first), os.stat(second)
    assert all(s.st_ino == inode and s.st_nlink == 2 for s in both)
    assert stat.S_IMODE(both[0].st_mode) == 0o750  # in place too: no setuid on new content
    assert run_cli(capsys, *TRAIN, "--csv", str(second)) == (0, [])
    assert first.read_text().startswith("update") and os.stat(first).st_nlink == 2
    assert sorted(os.listdir(tmp_path)) == ["copy.csv", "history.csv"]


def record(path, frames: int = 3) -> None:
    """A small animated GIF recording, as the window makes one."""
    writer = RecordingWriter(path, 10)
    for k in range(frames):
        writer.add(np.full((8, 8, 3), 40 * k, np.uint8), wait=True)
    writer.finish()


def test_a_recording_keeps_hard_links_one_file_and_drops_setuid(tmp_path):
    film, other = tmp_path / "film.gif", tmp_path / "same.gif"
    film.write_bytes(b"old")
    os.link(film, other)
    record(film)
    assert other.read_bytes()[:6] == b"GIF89a" and os.stat(other).st_nlink == 2
    os.unlink(other)
    os.chmod(film, 0o6755)
    record(film)
    assert stat.S_IMODE(os.stat(film).st_mode) == 0o755
    assert sorted(os.listdir(tmp_path)) == ["film.gif"]


@needs_root
def test_a_recording_leaves_devices_and_others_links_alone(shared, tmp_path):
    null = char_device(tmp_path / "null.gif", 3)
    record(null)
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    folder, victim = shared
    planted = folder / "film.gif"
    planted.symlink_to(victim)
    os.lchown(planted, OTHER_USER, OTHER_USER)
    with pytest.raises(ValueError, match="symlink owned by another user"):
        record(planted)
    assert victim.read_bytes() == b"keep" and sorted(os.listdir(folder)) == ["film.gif"]
