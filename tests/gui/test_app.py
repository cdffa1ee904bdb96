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
    from model.session import save_session
    from model.training import build_trainer

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
