"""File > Export > Python script and PyTorch script: the file the window writes is the network
being trained, predicting what the window shows."""

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from tests.full_disk import file_size_limit
from tests.model.export_runs import (
    NO_TORCH,
    run_script,
    script_predictions,
    torch_python,
)


@pytest.fixture
def warnings(monkeypatch):
    """The texts of warning dialogs, answered at once instead of waiting for a click."""
    shown: list[str] = []
    monkeypatch.setattr(
        "gui.files.code_export.QMessageBox.warning", lambda parent, title, text: shown.append(text)
    )
    return shown


@pytest.fixture
def choose(monkeypatch):
    """Answer the save dialog with a path of the test's choosing."""

    def answer(path) -> None:
        monkeypatch.setattr("gui.files.save_dialogs.ask_save_path", lambda *args: str(path))

    return answer


def paused_after(qtbot, window, updates: int):
    """``updates`` more updates, then paused: the frame of that state."""
    target = window.playground.last_frame.update + updates
    window.playground.request_updates.emit(updates)
    qtbot.waitUntil(
        lambda: (f := window.playground.last_frame).update == target and not f.playing,
        timeout=10_000,
    )
    return window.playground.last_frame


def exported(qtbot, window, action) -> tuple[str, str, str]:
    action.trigger()
    qtbot.waitUntil(lambda: window.code_export.last_result is not None, timeout=10_000)
    return window.code_export.last_result


def export_texts(window) -> list[str]:
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    export = next(a.menu() for a in file_menu.actions() if a.text() == "&Export")
    return [a.text() for a in export.actions()]


def test_file_export_offers_both_scripts(window):
    texts = export_texts(window)
    assert "Python script…" in texts and "PyTorch script…" in texts
    assert "only to run" in window.code_export.torch_action.toolTip()


def test_python_script_is_the_network_the_window_shows(qtbot, window, choose, tmp_path):
    frame = paused_after(qtbot, window, 40)
    choose(tmp_path / "moons")  # ".py" is added
    kind, path, problem = exported(qtbot, window, window.code_export.numpy_action)
    assert (kind, path, problem) == ("numpy", str(tmp_path / "moons.py"), "")
    assert "Exported the network" in window.statusBar().currentMessage()
    X, y = frame.dataset.X_test, frame.dataset.y_test
    names, _ = script_predictions(tmp_path / "moons.py", X)
    assert [int(n) for n in names] == frame.predictions_test.tolist()
    accuracy = float(np.mean(frame.predictions_test == y))
    assert run_script(tmp_path / "moons.py").startswith(f"test accuracy {accuracy:.4f} (")


def test_exporting_while_playing_takes_one_consistent_state(qtbot, window, choose, tmp_path):
    window.playground.request_play.emit()
    qtbot.waitUntil(lambda: window.playground.last_frame.update > 20, timeout=10_000)
    choose(tmp_path / "playing.py")
    assert exported(qtbot, window, window.code_export.numpy_action)[2] == ""
    assert run_script(tmp_path / "playing.py").startswith("test accuracy ")


def test_the_perceptron_is_exported_too(qtbot, window, choose, tmp_path):
    config = ExperimentConfig(
        DataConfig("gaussians"), ModelConfig("perceptron"), TrainConfig("sgd", 0.01)
    )
    window.playground.load_config(config)
    qtbot.waitUntil(
        lambda: window.playground.last_frame.perceptron_weights is not None, timeout=10_000
    )
    frame = paused_after(qtbot, window, 5)
    choose(tmp_path / "perceptron.py")
    assert exported(qtbot, window, window.code_export.numpy_action)[2] == ""
    names, _ = script_predictions(tmp_path / "perceptron.py", frame.dataset.X_test)
    assert [int(n) for n in names] == frame.predictions_test.tolist()


def test_a_folder_is_refused_with_a_dialog(window, warnings, tmp_path):
    assert not window.code_export.export("numpy", str(tmp_path))
    assert warnings and "is a folder" in warnings[0]


def test_a_failed_write_says_so_and_keeps_the_old_file(qtbot, window, warnings, tmp_path):
    paused_after(qtbot, window, 3)
    path = tmp_path / "net.py"
    path.write_text("old")
    with file_size_limit(4000):
        window.code_export.export("numpy", str(path))
        qtbot.waitUntil(lambda: window.code_export.last_result is not None, timeout=10_000)
    assert window.code_export.last_result[2].startswith("The network was not exported")
    assert warnings == [window.code_export.last_result[2]]
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["net.py"]


def test_pytorch_script_prints_the_python_scripts_line(qtbot, window, choose, tmp_path):
    python = torch_python()
    if python is None:
        pytest.skip(NO_TORCH)
    paused_after(qtbot, window, 30)
    for name, action in (
        ("net.py", window.code_export.numpy_action),
        ("net_torch.py", window.code_export.torch_action),
    ):
        choose(tmp_path / name)
        assert exported(qtbot, window, action)[2] == ""
    assert "needs PyTorch" in window.statusBar().currentMessage()
    line = run_script(tmp_path / "net_torch.py", python=python)
    assert line.startswith("test accuracy ") and line == run_script(tmp_path / "net.py")
