"""File > Record in the window, and ``main.py --record`` on the command line: the films made
have the frames and size expected, failures leave no file, and the controls say what runs."""

import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from gui.windows.record_dialog import RecordChoice, RecordDialog, remembered_choice
from tests.full_disk import file_size_limit
from tests.gui.test_recording_writer import mp4_frames

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def gif_frames(path) -> tuple[tuple[int, int], int]:
    with Image.open(path) as gif:
        return gif.size, gif.n_frames


def step_and_grab(qtbot, window, steps: int) -> None:
    """Each step's frame grabbed before the next step (Step pauses: the film waits)."""
    writer = window.recorder.writer  # kept: it is let go when the recording stops
    for _ in range(steps):
        grabbed = writer.accepted
        window.controls.step_action.trigger()
        qtbot.waitUntil(lambda g=grabbed: writer.accepted > g, timeout=10_000)


def test_a_gif_of_the_boundary_has_a_frame_per_step_at_the_views_size(qtbot, window, tmp_path):
    recorder, path = window.recorder, tmp_path / "steps.gif"
    assert recorder.start(RecordChoice(str(path), "boundary", 60))
    assert recorder.writer.accepted == 1  # the view as it was when recording began
    step_and_grab(qtbot, window, 5)
    assert recorder.stop() == path
    view = window.boundary.size()
    assert gif_frames(path) == ((view.width(), view.height()), 6)
    assert "Saved 6 frames" in window.statusBar().currentMessage()
    assert not recorder.recording and window.menu_actions is not None


def test_an_mp4_of_the_whole_window_while_playing(qtbot, window, tmp_path):
    recorder, path = window.recorder, tmp_path / "window.mp4"
    window.resize(1001, 701)  # odd sides: the video's are made even
    qtbot.waitUntil(lambda: window.width() == 1001, timeout=5000)
    assert recorder.start(RecordChoice(str(path), "window", 30))
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: recorder.writer.frames >= 8, timeout=20_000)
    window.controls.play_action.trigger()
    frames = recorder.writer  # kept to read its figures after stopping
    assert recorder.stop() == path
    assert mp4_frames(path)[:2] == ((1002, 702), frames.frames)
    assert frames.peak_frames_held <= 9  # memory: a few frames, not the film


def test_frames_are_grabbed_no_faster_than_the_rate(qtbot, window, tmp_path):
    recorder = window.recorder
    start = time.monotonic()
    recorder.start(RecordChoice(str(tmp_path / "slow.gif"), "boundary", 4))
    window.controls.play_action.trigger()
    qtbot.waitUntil(lambda: recorder.writer.accepted >= 4, timeout=20_000)
    elapsed = time.monotonic() - start
    assert (recorder.writer.accepted - 1) * 0.25 <= elapsed + 0.01
    window.controls.play_action.trigger()
    recorder.stop()


def test_the_button_the_menu_and_the_status_bar_say_it_records(qtbot, window, tmp_path):
    recorder, action = window.recorder, window.recorder.action
    assert action.text() == "Record…" and action.shortcut().toString() == "Ctrl+R"
    assert action in window.menuBar().actions()[0].menu().actions()  # File
    idle_centre = action.icon().pixmap(32, 32).toImage().pixelColor(16, 16)
    recorder.start(RecordChoice(str(tmp_path / "film.gif"), "boundary", 30))
    step_and_grab(qtbot, window, 2)
    qtbot.waitUntil(lambda: "3 frames" in recorder.label.text(), timeout=5000)
    assert recorder.label.isVisible() and " kB" in recorder.label.text()
    assert action.text() == "Stop recording"
    red = action.icon().pixmap(32, 32).toImage().pixelColor(16, 16)
    assert red.red() > 200 and red.green() < 80 and idle_centre.alpha() == 0
    action.trigger()  # Ctrl+R again: stop
    assert not recorder.label.isVisible() and action.text() == "Record…"
    assert gif_frames(tmp_path / "film.gif")[1] == 3


def test_a_full_disk_stops_the_recording_says_so_and_keeps_the_old_file(qtbot, window, tmp_path):
    path = tmp_path / "film.gif"
    path.write_bytes(b"the old film")
    recorder = window.recorder
    with file_size_limit(20_000):
        assert recorder.start(RecordChoice(str(path), "window", 60))
        window.controls.play_action.trigger()
        qtbot.waitUntil(lambda: not recorder.recording, timeout=20_000)
    window.controls.play_action.trigger()
    assert "Recording stopped: could not write" in window.banner.text()
    assert "File too large" in window.banner.text() and "untouched" in window.banner.text()
    assert path.read_bytes() == b"the old film"
    assert [p.name for p in tmp_path.iterdir()] == ["film.gif"]
    assert window.recorder.action.text() == "Record…"


def test_a_recording_that_cannot_start_says_why(qtbot, window, tmp_path):
    for path, words in (
        (tmp_path / "film.avi", "a recording is a .gif"),
        (tmp_path / "gone" / "film.gif", "does not exist"),
    ):
        assert not window.recorder.start(RecordChoice(str(path), "boundary", 15))
        assert "Not recording" in window.banner.text() and words in window.banner.text()
        assert not window.recorder.recording
    assert list(tmp_path.iterdir()) == []


def test_the_frame_limit_stops_and_saves(qtbot, window, tmp_path):
    recorder, path = window.recorder, tmp_path / "capped.gif"
    recorder.max_frames = 3
    recorder.start(RecordChoice(str(path), "boundary", 60))
    step_and_grab(qtbot, window, 2)
    assert not recorder.recording  # stopped with the third frame
    assert "reached the limit of 3 frames" in window.statusBar().currentMessage()
    assert gif_frames(path)[1] == 3


def test_a_resized_window_keeps_the_films_size(qtbot, window, tmp_path):
    path = tmp_path / "resized.gif"
    window.recorder.start(RecordChoice(str(path), "boundary", 60))
    first = window.boundary.size()
    window.resize(900, 640)
    qtbot.waitUntil(lambda: window.boundary.size() != first, timeout=5000)
    step_and_grab(qtbot, window, 2)
    writer = window.recorder.writer
    window.recorder.stop()
    assert gif_frames(path) == ((first.width(), first.height()), writer.frames)
    assert writer.frames >= 3


def test_closing_the_window_completes_the_file(qtbot, window, tmp_path):
    path = tmp_path / "closed.mp4"
    window.recorder.start(RecordChoice(str(path), "boundary", 30))
    step_and_grab(qtbot, window, 3)
    window.close()
    assert mp4_frames(path)[1] == 4
    assert [p.name for p in tmp_path.iterdir()] == ["closed.mp4"]


def test_the_dialog_checks_the_choice_and_remembers_it(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    assert remembered_choice(settings).path.endswith(".gif")
    dialog = RecordDialog(RecordChoice(str(tmp_path / "film.gif"), "window", 20))
    qtbot.addWidget(dialog)
    assert dialog.choice() == RecordChoice(str(tmp_path / "film.gif"), "window", 20)
    dialog.format.setCurrentIndex(dialog.format.findData(".mp4"))
    dialog.format.activated.emit(dialog.format.currentIndex())
    assert dialog.path.text().endswith("film.mp4")
    dialog.path.setText(str(tmp_path / "film.avi"))
    dialog.accept()
    assert dialog.result() == 0 and "A recording is a .gif" in dialog.error.text()
    dialog.path.setText(str(tmp_path / "film.mp4"))
    dialog.accept()
    assert dialog.result() == 1
    from gui.windows.record_dialog import remember_choice

    remember_choice(settings, dialog.choice())
    assert remembered_choice(settings) == RecordChoice(str(tmp_path / "film.mp4"), "window", 20)
    settings.setValue("recording/fps", "many")
    assert remembered_choice(settings).fps == 15


def test_record_asks_in_a_dialog_then_records_what_was_chosen(qtbot, window, tmp_path):
    path = tmp_path / "chosen.mp4"

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RecordDialog)
        dialog.path.setText(str(path))
        dialog.sources.buttons()[1].setChecked(True)  # the whole window
        dialog.record_button.click()

    QTimer.singleShot(0, fill_in)
    window.recorder.action.trigger()  # Ctrl+R: the dialog, modal
    assert window.recorder.recording and window.recorder.choice.source == "window"
    step_and_grab(qtbot, window, 1)
    window.recorder.action.trigger()  # Ctrl+R again: stop
    even = (window.width() + window.width() % 2, window.height() + window.height() % 2)
    assert mp4_frames(path)[:2] == (even, 2)


# ----- the command line -----
def run(*args: str, limit: int | None = None) -> subprocess.CompletedProcess:
    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return subprocess.run(
        [sys.executable, str(MAIN), *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=limited if limit else None,
    )


def test_record_on_the_command_line_trains_records_and_exits(tmp_path):
    path = tmp_path / "moons.gif"
    result = run("--record", str(path), "--steps", "20", "--every", "5", "--fps", "10")
    assert result.returncode == 0, result.stderr
    size, count = gif_frames(path)
    assert count == 5 and 200 < size[0] < 1280  # updates 0, 5, 10, 15, 20; the boundary
    assert f"recorded 5 frames ({size[0]}x{size[1]}" in result.stdout
    path = tmp_path / "xor.mp4"
    result = run(
        "--record", str(path), "--capture", "window", "--preset", "xor", "--size", "900x650",
        "--steps", "20", "--every", "10",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert mp4_frames(path) == ((900, 650), 3, 15)


def test_bad_record_options_exit_2_with_one_line(tmp_path):
    (tmp_path / "folder.gif").mkdir()
    for args, words in (
        (["--record", str(tmp_path / "a.avi")], "a recording is a .gif"),
        (["--record", str(tmp_path / "a.gif"), "--fps", "0"], "from 1 to 60, not 0"),
        (["--record", str(tmp_path / "a.gif"), "--fps", "fast"], "invalid float"),
        (["--record", str(tmp_path / "folder.gif")], "is a folder"),
        (["--record", str(tmp_path / "no" / "a.gif")], "does not exist"),
        (["--record", str(tmp_path / "a.gif"), "--every", "0"], "--every"),
        (["--record", str(tmp_path / "a.gif"), "--capture", "screen"], "invalid choice"),
        (["--record", str(tmp_path / "a.gif"), "--screenshot", str(tmp_path / "a.png")], "one"),
    ):
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("main.py: ") and words in lines[0], lines
    assert [p.name for p in tmp_path.iterdir()] == ["folder.gif"]


def test_a_record_that_cannot_be_written_exits_1_and_keeps_the_old_file(tmp_path):
    path = tmp_path / "film.mp4"
    path.write_bytes(b"the old film")
    result = run("--record", str(path), "--capture", "window", "--steps", "40", limit=20_000)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1 and lines[0].startswith(f"main.py: could not write {path}: ffmpeg")
    assert "File too large" in lines[0]
    assert path.read_bytes() == b"the old film" and len(list(tmp_path.iterdir())) == 1


def test_ctrl_c_during_a_record_leaves_no_file(tmp_path):
    path = tmp_path / "long.gif"
    process = subprocess.Popen(
        [sys.executable, str(MAIN), "--record", str(path), "--steps", "50000", "--every", "10"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.05)  # a subprocess: nothing to wait on but its files
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1 and "interrupted: nothing was written" in err
    assert list(tmp_path.iterdir()) == []
