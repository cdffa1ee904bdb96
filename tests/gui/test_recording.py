"""File > Record in the window, and ``main.py --record`` on the command line: the films made
have the frames and size expected, failures leave no file, and the controls say what runs."""

import math
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import imageio_ffmpeg
import numpy as np
import shiboken6
from PIL import Image
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from gui.windows.frame_caption import caption_text
from gui.windows.frame_grab import fills_view
from gui.windows.record_command import RecordWhenTrained
from gui.windows.record_dialog import RecordChoice, RecordDialog, remembered_choice
from gui.workers.frames import Frame
from model.training.history import HistoryPoint
from tests.full_disk import file_size_limit
from tests.gui.running import run_updates
from tests.gui.test_recording_writer import decoded_gif, mp4_frames

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def gif_frames(path) -> tuple[tuple[int, int], int]:
    with Image.open(path) as gif:
        return gif.size, gif.n_frames


def decoded_mp4(path) -> list[np.ndarray]:
    reader = imageio_ffmpeg.read_frames(str(path))
    width, height = next(reader)["size"]
    return [np.frombuffer(data, np.uint8).reshape(height, width, 3) for data in reader]


def background_share(frame: np.ndarray, colour: np.ndarray, area=np.s_[:, :]) -> float:
    """The fraction of ``area`` within a few levels of ``colour`` (video blurs it a little)."""
    return float((np.abs(frame[area].astype(int) - colour) <= 6).all(axis=2).mean())


def most_common_colour(frame: np.ndarray) -> np.ndarray:
    colours, counts = np.unique(frame.reshape(-1, 3), axis=0, return_counts=True)
    return colours[counts.argmax()].astype(int)


def plot_area(window):
    """Rows and columns of the boundary view's plot area within a grab of the view."""
    box = window.boundary.plotItem.vb
    rect = window.boundary.mapFromScene(box.sceneBoundingRect()).boundingRect()
    return np.s_[rect.top() + 2 : rect.bottom() - 2, rect.left() + 2 : rect.right() - 2]


def shape_not_told(qtbot, window) -> None:
    """The window resized, its new plot area's shape kept from the worker: the frames go on
    being made for the old shape, and leave blank strips beside the boundary image."""
    window.boundary.aspect_changed.disconnect(window.playground.request_aspect)
    window.resize(900, 640)
    qtbot.waitUntil(lambda: not fills_view(window.boundary, window.playground.last_frame))


def tell_the_shape(window) -> None:
    box = window.boundary.plotItem.vb
    window.boundary.aspect_changed.connect(window.playground.request_aspect)
    window.playground.request_aspect.emit(box.width() / box.height())


def step_and_grab(qtbot, window, steps: int) -> None:
    """Each step's frame grabbed before the next step (Step pauses: the film waits)."""
    writer = window.recorder.writer  # kept: it is let go when the recording stops
    for _ in range(steps):
        grabbed = writer.accepted
        window.controls.step_action.trigger()
        qtbot.waitUntil(lambda g=grabbed: writer.accepted > g, timeout=10_000)


def test_a_gif_of_the_boundary_has_a_frame_per_step_at_the_views_size(qtbot, window, tmp_path):
    recorder, path = window.recorder, tmp_path / "steps.gif"
    assert recorder.start(RecordChoice(str(path), "boundary", 60, caption=False))
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
    assert recorder.start(RecordChoice(str(path), "window", 30, caption=False))
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


def test_the_film_starts_with_a_frame_whose_boundary_fills_the_view(qtbot, window, tmp_path):
    """A frame made for another shape of the view (before the layout settled, or before a
    resize reached the worker) is not filmed: the first frame is as complete as the last."""
    shape_not_told(qtbot, window)
    recorder, path = window.recorder, tmp_path / "settled.gif"
    assert recorder.start(RecordChoice(str(path), "boundary", 60, caption=False))
    writer = recorder.writer
    run_updates(qtbot, window, 1)  # drawn, with blank strips: not filmed
    assert writer.accepted == 0
    tell_the_shape(window)
    qtbot.waitUntil(lambda: writer.accepted == 1, timeout=10_000)
    assert fills_view(window.boundary, window.playground.last_frame)
    step_and_grab(qtbot, window, 3)
    area = plot_area(window)
    assert recorder.stop() == path
    frames = decoded_gif(path)
    assert len(frames) == 4 and {frame.shape for frame in frames} == {frames[0].shape}
    background = frames[0][0, 0].astype(int)  # the view's own, beside the axes
    first, last = (background_share(frames[k], background, area) for k in (0, -1))
    assert last < 0.1 and abs(first - last) < 0.05, (first, last)


def test_each_frame_carries_the_figures_it_was_drawn_with(qtbot, window, tmp_path):
    """The caption below each frame: the epoch, update, loss and accuracy of the frame the
    window drew, as its status line and curves show them."""
    recorder, path = window.recorder, tmp_path / "captioned.gif"
    assert recorder.start(RecordChoice(str(path), "boundary", 60))
    step_and_grab(qtbot, window, 3)
    frame, last = window.playground.last_frame, window.curves.history.last
    assert last.update == frame.update == 3
    text = recorder.figures.text()
    assert text == caption_text(frame, last)
    assert "update 3" in text and f"train loss {last.train_loss:.4f}" in text
    assert f"test accuracy {last.test_accuracy:.1%}" in text
    view = window.boundary.size()
    assert recorder.stop() == path
    frames = decoded_gif(path)
    assert len(frames) == 4
    height, width = frames[0].shape[:2]
    assert width == view.width() and 14 < height - view.height() < 60  # the strip below
    strips = [frame[view.height() + 2 :] for frame in frames]
    text_pixels = (strips[-1].astype(int).sum(axis=2) < 3 * 110).mean()
    assert 0.01 < text_pixels < 0.4  # dark letters on the strip's own colour
    assert not np.array_equal(strips[0], strips[-1])  # update 0 and update 3
    still = np.s_[: view.height() - 40, :40]  # the left axis: one palette, the same colours
    assert np.array_equal(frames[0][still], frames[-1][still])


def test_the_caption_reads_the_figures_of_its_frame():
    def frame(update=340, epoch=12.5, stopped=False, regression=False) -> Frame:
        data = SimpleNamespace(is_regression=regression)
        extent = (0.0, 1.0, 0.0, 1.0)
        return Frame(0, update, epoch, False, [], None, None, extent, dataset=data, stopped=stopped)

    point = HistoryPoint(340, 12.5, 0.23154, 0.875, 0.31, 0.9125, 1.0)
    assert caption_text(frame(), point) == (
        "epoch 12.5  \u00b7  update 340  \u00b7  train loss 0.2315  \u00b7  test accuracy 91.2%"
    )
    no_test = HistoryPoint(340, 12.5, 0.23154, 0.875, math.nan, math.nan, 1.0)
    assert caption_text(frame(), no_test).endswith("train accuracy 87.5%")
    regression = HistoryPoint(8, 2.0, 0.012345, math.nan, 0.02, math.nan, 1.0)
    assert caption_text(frame(8, 2.0, regression=True), regression) == (
        "epoch 2  \u00b7  update 8  \u00b7  train MSE 0.01235  \u00b7  test MSE 0.02"
    )
    assert caption_text(frame(0, 0.0), None) == "epoch 0  \u00b7  update 0"
    assert caption_text(frame(1_500, 60.0, stopped=True), None).endswith(
        "update 1,500  \u00b7  diverged"
    )


def test_record_command_films_from_the_first_frame_that_fills_the_view(qtbot, window, tmp_path):
    """``--record`` waits for the window's paint and a frame made for the view's shape."""
    shape_not_told(qtbot, window)
    path = tmp_path / "command.gif"
    recording = RecordWhenTrained(window, str(path), 4, 2, 15, caption=False)
    recording.patience.setInterval(600_000)  # never: this test tells the shape itself
    qtbot.waitUntil(recording.patience.isActive, timeout=10_000)  # a frame came, did not fit
    assert recording.writer.accepted == 0
    area = plot_area(window)
    tell_the_shape(window)
    # done: it closes, and a closed window deletes itself
    qtbot.waitUntil(lambda: not shiboken6.isValid(window) or not window.isVisible(), timeout=20_000)
    assert recording.exit_code == 0
    frames = decoded_gif(path)
    assert len(frames) == 3  # updates 0, 2 and 4
    background = frames[0][0, 0].astype(int)
    first, last = (background_share(frames[k], background, area) for k in (0, -1))
    assert last < 0.1 and abs(first - last) < 0.05, (first, last)


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
    window.recorder.start(RecordChoice(str(path), "boundary", 60, caption=False))
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
    assert remembered_choice(settings).caption
    dialog = RecordDialog(RecordChoice(str(tmp_path / "film.gif"), "window", 20))
    qtbot.addWidget(dialog)
    assert dialog.choice() == RecordChoice(str(tmp_path / "film.gif"), "window", 20)
    dialog.caption.setChecked(False)
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
    assert remembered_choice(settings) == RecordChoice(
        str(tmp_path / "film.mp4"), "window", 20, caption=False
    )
    settings.setValue("recording/fps", "many")
    assert remembered_choice(settings).fps == 15


def test_record_asks_in_a_dialog_then_records_what_was_chosen(qtbot, window, tmp_path):
    path = tmp_path / "chosen.mp4"

    def fill_in() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RecordDialog)
        dialog.path.setText(str(path))
        dialog.sources.buttons()[1].setChecked(True)  # the whole window
        assert dialog.caption.isChecked()  # on unless turned off
        dialog.caption.setChecked(False)
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
    frames = decoded_gif(path)  # captioned: a strip of dark letters at the bottom
    assert {frame.shape for frame in frames} == {(size[1], size[0], 3)}
    assert ((frames[-1][-14:].astype(int).sum(axis=2) < 3 * 110).mean()) > 0.01
    view = np.s_[: size[1] * 4 // 5, :]  # the boundary view, above the caption
    background = frames[0][0, 0].astype(int)
    first, last = (background_share(frames[k], background, view) for k in (0, -1))
    assert abs(first - last) < 0.05, (first, last)  # the first frame is no emptier
    path = tmp_path / "xor.mp4"
    result = run(
        "--record", str(path), "--capture", "window", "--preset", "xor", "--size", "900x650",
        "--steps", "20", "--every", "10", "--no-caption",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert mp4_frames(path) == ((900, 650), 3, 15)
    frames = decoded_mp4(path)
    colour = most_common_colour(frames[-1])
    first, last = (background_share(frames[k], colour) for k in (0, -1))
    assert abs(first - last) < 0.05, (first, last)


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
