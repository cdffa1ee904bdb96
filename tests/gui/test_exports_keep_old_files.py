"""A write that fails half-way (a full disk, a file-size limit) keeps the old file and says so."""

import pytest
from PySide6.QtGui import QImage

from gui.files.export import export_image_png, export_plot_png
from gui.windows.screenshot import ScreenshotWhenTrained
from tests.full_disk import file_size_limit


def test_a_png_that_cannot_be_written_whole_leaves_the_old_file(qtbot, window, tmp_path):
    path = tmp_path / "boundary.png"
    export_plot_png(window.boundary.plotItem, path, width=400)
    before = path.read_bytes()
    assert before.startswith(b"\x89PNG")
    with file_size_limit(2000), pytest.raises(OSError):
        export_plot_png(window.boundary.plotItem, path, width=1600)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["boundary.png"]  # no temporary left


def test_an_image_that_cannot_be_encoded_is_refused(tmp_path):
    path = tmp_path / "empty.png"
    with pytest.raises(OSError, match="could not be encoded"):
        export_image_png(QImage(), path)
    assert not path.exists()


def test_a_failed_screenshot_says_so_and_keeps_the_old_file(qtbot, window, tmp_path, capsys):
    path = tmp_path / "window.png"
    path.write_bytes(b"old screenshot")
    with file_size_limit(2000):
        ScreenshotWhenTrained(window, str(path), 0).save_and_quit()
    assert path.read_bytes() == b"old screenshot"
    assert "could not write the screenshot" in capsys.readouterr().err
