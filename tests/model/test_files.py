"""Files are read only when regular and small enough, and written without losing anything."""

import errno
import os
import stat
import threading

import pytest

from model.config import DataConfig, ExperimentConfig
from model.io import session
from model.io.points_file import read_points
from model.io.safe_files import UnreadableFile, read_limited, write_atomic
from model.io.session import SessionError, load_session, save_session
from model.training.trainer import build_trainer
from tests.full_disk import file_size_limit


def test_a_fifo_is_refused_at_once_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    result: list = []
    reader = threading.Thread(target=lambda: result.append(_refusal(read_points, fifo)))
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # unblock the reader so the test run can end, then fail
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO waited for a writer")
    assert "not a regular file" in result[0]


def _refusal(read, path) -> str:
    try:
        read(path)
    except ValueError as error:
        return str(error)
    return ""


def test_devices_and_folders_are_refused(tmp_path):
    assert "not a regular file" in _refusal(read_points, "/dev/zero")
    assert "not a regular file" in _refusal(load_session, "/dev/zero")
    assert "not a regular file" in _refusal(read_points, tmp_path)


def test_the_size_limit_is_counted_while_reading(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"1,2,0\n" * 1000)
    assert len(read_limited(path, 6000)) == 6000
    with pytest.raises(UnreadableFile, match="larger than"):
        read_limited(path, 5999)


def test_a_session_that_would_expand_past_the_limit_is_refused_before_reading(
    tmp_path, monkeypatch
):
    config = ExperimentConfig(data=DataConfig("moons", n_samples=2000))
    path = tmp_path / "run.npz"
    save_session(path, config, build_trainer(config))
    monkeypatch.setattr(session, "MAX_EXPANDED_BYTES", 10_000)
    with pytest.raises(SessionError, match="contents would take"):
        load_session(path)


def test_overwriting_keeps_the_files_permissions(tmp_path):
    path = tmp_path / "shared.csv"
    path.write_text("old")
    os.chmod(path, 0o644)
    write_atomic(path, b"new")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644
    os.chmod(path, 0o444)  # read-only: stays read-only after an explicit save over it
    write_atomic(path, b"newer")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o444 and path.read_bytes() == b"newer"


def test_a_new_file_gets_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.csv", b"x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE(os.stat(tmp_path / "new.csv").st_mode) == 0o644


def test_a_new_file_gets_the_umask_without_the_umask_being_changed(tmp_path, monkeypatch):
    mask = os.umask(0o077)
    try:
        monkeypatch.setattr(os, "umask", lambda _: pytest.fail("the process umask was changed"))
        write_atomic(tmp_path / "private.csv", b"x")
    finally:
        monkeypatch.undo()
        os.umask(mask)
    assert stat.S_IMODE(os.stat(tmp_path / "private.csv").st_mode) == 0o600


def test_a_symbolic_link_is_written_through(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    write_atomic(link, b"new")
    assert link.is_symlink() and target.read_bytes() == b"new"


def test_a_write_that_fails_half_way_keeps_the_old_file(tmp_path):
    path = tmp_path / "keep.csv"
    old = b"x1,x2,label\n0.5,1.5,a\n" * 100
    path.write_bytes(old)
    os.chmod(path, 0o640)
    with file_size_limit(4096), pytest.raises(OSError) as error:  # the disk fills up at 4 kB
        write_atomic(path, b"y" * 100_000)
    assert error.value.errno == errno.EFBIG  # the write itself failed, after 4096 bytes
    assert path.read_bytes() == old and stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.listdir(tmp_path) == ["keep.csv"]  # no temporary left behind


def test_a_new_file_that_cannot_be_written_whole_is_not_left_half_written(tmp_path):
    with file_size_limit(4096), pytest.raises(OSError):
        write_atomic(tmp_path / "new.csv", b"y" * 100_000)
    assert os.listdir(tmp_path) == []
