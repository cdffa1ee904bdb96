"""Start-up never fails because of what was remembered or shipped: a damaged setting, preset or
list of recent files is skipped with one line on stderr, and the window opens."""

import json
import os
import shutil

import pytest
from PySide6.QtCore import QByteArray, QSettings

from gui.files.session_files import RECENT_KEY
from gui.files.settings import CONFIG_KEY, GEOMETRY_KEY, STATE_KEY, last_config, skipped
from gui.windows.main_window import MainWindow
from model.config import DataConfig, ExperimentConfig, TrainConfig
from model.io.presets import MAX_PRESET_BYTES, PRESET_FOLDER, opening_config, read_presets

TIMEOUT = 10_000
DEEP = "[" * 100_000 + "]" * 100_000  # RecursionError in json.loads


def stored(tmp_path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


def open_window(qtbot, settings: QSettings) -> MainWindow:
    """The window as main() opens it: from the remembered configuration and settings."""
    window = MainWindow(last_config(settings), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.playground.last_frame is not None, timeout=TIMEOUT)
    return window


@pytest.mark.parametrize(
    "raw",
    [
        DEEP,
        '{"data": ' * 50_000 + "1" + "}" * 50_000,
        "{not json",
        "[]",
        '{"data": {"seed": 4294967296}}',  # one beyond the largest seed
        '{"train": {"learning_rate": 1e999}}',
        '{"model": {"hidden": [20, 1e400]}}',
        '{"data": {"name": "custom", "points": [[1e308, 0, 0]]}}',
    ],
    ids=["deep-list", "deep-object", "not-json", "list", "seed", "inf", "huge-width", "custom"],
)
def test_a_damaged_remembered_configuration_is_skipped_with_one_line(qtbot, tmp_path, capfd, raw):
    settings = stored(tmp_path)
    settings.setValue(CONFIG_KEY, raw)
    settings.sync()
    window = open_window(qtbot, settings)
    err = capfd.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "last configuration skipped" in err[0], err
    assert window.playground.config == opening_config()  # as with nothing remembered
    window.close()
    assert (
        last_config(stored(tmp_path)) == window.playground.config
    )  # a good one is remembered instead


def test_damaged_layout_and_recent_files_are_skipped_and_the_window_opens(qtbot, tmp_path, capfd):
    settings = stored(tmp_path)
    settings.setValue(GEOMETRY_KEY, QByteArray(b"\x00garbage" * 100))
    settings.setValue(STATE_KEY, QByteArray(b"\xff" * 5000))
    settings.setValue(RECENT_KEY, [str(tmp_path / "a.npz"), "", "x\0y", "z" * 10_000])
    settings.sync()
    window = open_window(qtbot, settings)
    err = capfd.readouterr().err
    assert "window/geometry skipped" in err and "window/state skipped" in err
    assert "3 recent file(s) skipped" in err
    assert window.files.recent == [str(tmp_path / "a.npz")]
    window.files._fill_recent()  # the Open recent menu lists what is left
    assert [a.text() for a in window.files.recent_menu.actions()] == ["a.npz"]
    window.close()

    settings = stored(tmp_path)
    settings.setValue(RECENT_KEY, {"not": "a list"})
    settings.sync()
    window = open_window(qtbot, settings)
    assert window.files.recent == [] and "recent files skipped" in capfd.readouterr().err
    window.close()


def test_the_largest_seed_is_remembered_and_opens_again(qtbot, tmp_path):
    top = 2**32 - 1
    settings = stored(tmp_path)
    config = ExperimentConfig(DataConfig(seed=top), train=TrainConfig(seed=top))
    settings.setValue(CONFIG_KEY, json.dumps(config.to_dict()))
    for _ in range(2):  # opened, closed (saved on quit), opened again
        window = open_window(qtbot, settings)
        assert window.data_panel.seed.value() == top
        assert (
            window.playground.worker.config.data.seed
            == window.playground.worker.config.train.seed
            == top
        )
        window.close()
        settings = stored(tmp_path)
    assert last_config(settings).data.seed == top


def test_broken_presets_are_skipped_with_one_line_each(tmp_path, capfd):
    shutil.copy(PRESET_FOLDER / "01-part-1-perceptron.json", tmp_path / "01-good.json")
    (tmp_path / "02-deep.json").write_text(DEEP)
    (tmp_path / "03-binary.json").write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "04-no-title.json").write_text('{"config": {}}')
    (tmp_path / "05-bad-config.json").write_text('{"title": "x", "config": {"train": 5}}')
    with open(tmp_path / "06-huge.json", "wb") as huge:
        huge.truncate(MAX_PRESET_BYTES + 1)  # sparse: nothing written, too long to read
    os.mkfifo(tmp_path / "07-fifo.json")  # reading it would wait for ever
    (tmp_path / "08-folder.json").mkdir()
    presets = read_presets(tmp_path, report=skipped)  # as the Presets menu reads them
    assert [preset.title for preset in presets] == ["Part I: perceptron on two Gaussians"]
    err = capfd.readouterr().err.strip().splitlines()
    left_out = ["02-deep", "03-binary", "04-no-title", "05-bad-config", "06-huge", "07-fifo"]
    left_out.append("08-folder")
    assert len(err) == len(left_out)
    for line, name in zip(err, left_out, strict=True):
        assert f"preset {name}.json skipped" in line
    assert "nested too deeply" in err[0] and "not a regular file" in err[5]
