"""The window's command line: a screenshot run, and refusals of bad options."""

import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MAIN), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_screenshot_trains_saves_the_whole_window_and_exits(tmp_path):
    path = tmp_path / "window.png"
    result = run("--screenshot", str(path), "--steps", "25")
    assert result.returncode == 0, result.stderr
    image = QImage(str(path))
    assert not image.isNull() and image.width() >= 800 and image.height() >= 500


def test_bad_window_options_exit_2_with_one_line(tmp_path):
    for args, words in (
        (["--steps", "-1", "--screenshot", str(tmp_path / "a.png")], "--steps"),
        (["--screenshot", "/no/such/folder/a.png"], "does not exist"),
        (["--steps", "many"], "invalid int"),
    ):
        result = run(*args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and words in result.stderr


def test_a_session_named_on_the_command_line_opens(tmp_path):
    from model.config import ExperimentConfig
    from model.io.session import save_session
    from model.training.trainer import build_trainer

    config = ExperimentConfig()
    trainer = build_trainer(config)
    trainer.train(30)
    save_session(tmp_path / "run.npz", config, trainer)
    shot = tmp_path / "window.png"
    result = run(str(tmp_path / "run.npz"), "--screenshot", str(shot), "--steps", "0")
    assert result.returncode == 0, result.stderr
    assert not QImage(str(shot)).isNull()


def test_a_bad_file_on_the_command_line_exits_2_naming_it(tmp_path):
    bad = tmp_path / "points.csv"
    bad.write_text("0,0,0\n1,1\n0,1,0\n1,0,1\n")
    for path, words in (
        (bad, "points.csv was not loaded: line 2: expected 3 columns"),
        (tmp_path / "gone.npz", "gone.npz could not be read"),
    ):
        result = run(str(path))
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("main.py: ")
        assert words in result.stderr


def test_help_lists_the_window_options_and_the_commands():
    result = run("--help")
    assert result.returncode == 0, result.stderr
    for words in (
        "FILE",
        "--preset NAME",
        "--theme",
        "--size WIDTHxHEIGHT",
        "--network",
        "--screenshot PATH",
        "--steps N",
        "spiral-tanh",
        "train",
        "perceptron",
        "sweep",
        "compare",
    ):
        assert words in result.stdout, words
    assert run("-h").stdout == result.stdout


def test_a_preset_opens_at_the_size_asked_for_in_a_screenshot(tmp_path):
    path = tmp_path / "blobs.png"
    result = run(
        "--preset", "Three Blobs", "--size", "1024x700", "--screenshot", str(path), "--steps", "5"
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1024, 700)


def test_bad_preset_and_size_options_exit_2_with_one_line(tmp_path):
    from model.config import ExperimentConfig
    from model.io.session import save_session
    from model.training.trainer import build_trainer

    config = ExperimentConfig()
    save_session(tmp_path / "run.npz", config, build_trainer(config))
    for args, words in (
        (["--preset", "nosuch"], "no preset 'nosuch'; the presets are: first-run, part-1-"),
        (["--preset"], "expected one argument"),
        (["--size", "big"], "'big' is not WIDTHxHEIGHT"),
        (["--size", "100x100"], "outside 800x600 to 7680x4320"),
        (["--size", "1280x99999"], "outside"),
        ([str(tmp_path / "run.npz"), "--preset", "xor"], "drop --preset"),
    ):
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("main.py: ") and words in lines[0], lines


def test_window_options_set_the_size_open_the_network_and_pick_the_preset(qtbot, window):
    from gui.app import _options, apply_window_options

    args = _options(["--size", "900x650", "--network", "--preset", "spiral-TANH"])
    assert args.preset_found.slug == "spiral-tanh" and args.size == (900, 650)
    apply_window_options(window, args)
    qtbot.waitUntil(window.network_dock.isVisible)
    assert (window.width(), window.height()) == (900, 650)
    assert window.menu_actions.network_toggle.isChecked()
    qtbot.waitUntil(lambda: window.playground.last_frame.network is not None, timeout=10_000)


def test_a_screenshot_or_record_that_names_no_file_exits_2_before_any_window(tmp_path):
    for args, words in (
        (["--screenshot", ""], "--screenshot needs a file name"),
        (["--screenshot", "  "], "--screenshot needs a file name"),
        (["--record", ""], "--record needs a file name"),
        (["--record", str(tmp_path / "x.gif") + "/"], "names a folder, not a file"),
        (["--screenshot", str(tmp_path / "shot.png") + "/"], "names a folder, not a file"),
        (["--screenshot", str(tmp_path / "shot.jpg")], "a screenshot is a .png"),
        (["--record", str(tmp_path / "x.gif"), "--steps", "1000000000"], "from 0 to 100,000"),
        (["--screenshot", str(tmp_path / "s.png"), "--steps", "-1"], "from 0 to 100,000"),
    ):
        result = run(*args)
        assert result.returncode == 2, (args, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("main.py: ") and words in lines[0], lines
    assert list(tmp_path.iterdir()) == []


def test_a_screenshot_that_cannot_be_written_exits_1_and_keeps_the_old_file(tmp_path):
    import resource
    import signal

    path = tmp_path / "window.png"
    path.write_bytes(b"the old picture")

    def full_disk() -> None:  # writes past 1 kB fail with EFBIG, as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (1024, resource.RLIM_INFINITY))

    result = subprocess.run(
        [sys.executable, str(MAIN), "--screenshot", str(path), "--steps", "5"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
        preexec_fn=full_disk,
    )
    assert result.returncode == 1, result.stderr
    assert f"could not write the screenshot to {path}" in result.stderr
    assert path.read_bytes() == b"the old picture" and list(tmp_path.iterdir()) == [path]
