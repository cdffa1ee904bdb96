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
