"""Data of the user's own, saved sessions, remembered settings, clipboard and guide links."""

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QContextMenuEvent, QDragEnterEvent, QDropEvent, QPalette
from PySide6.QtWidgets import QApplication

from gui.files.settings import last_config
from gui.windows.main_window import MainWindow
from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.io.points_file import read_points


@pytest.fixture
def warnings(monkeypatch):
    """The texts of warning dialogs, answered at once instead of waiting for a click."""
    shown: list[str] = []
    for module in ("gui.files.session_files", "gui.files.save_dialogs"):
        monkeypatch.setattr(
            f"{module}.QMessageBox.warning", lambda parent, title, text: shown.append(text)
        )
    return shown


def frame_after(qtbot, window, condition):
    qtbot.waitUntil(
        lambda: window.playground.last_frame is not None and condition(window.playground.last_frame)
    )
    return window.playground.last_frame


def test_drawn_points_change_the_data_and_training_goes_on(qtbot, window):
    window.playground.request_step.emit()
    frame_after(qtbot, window, lambda f: f.update == 1)
    before = len(window.playground.last_frame.dataset.y_all)
    window.draw_tools.toggle.setChecked(True)
    window.draw_tools.picker.setCurrentIndex(1)
    window.boundary.point_clicked.emit(2.5, -0.5, False)
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == before + 1)
    assert frame.dataset.name == "custom"
    assert window.data_panel.dataset.currentData() == "custom"
    added = np.all(np.isclose(frame.dataset.X_all, [2.5, -0.5]), axis=1)
    assert added.sum() == 1 and frame.dataset.y_all[added][0] == 1
    assert frame.update == 1  # the same network, not a new one
    window.boundary.point_clicked.emit(2.49, -0.49, True)  # right click: nearest goes
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == before)
    assert not np.any(np.all(np.isclose(frame.dataset.X_all, [2.5, -0.5]), axis=1))
    window.playground.request_step.emit()
    frame_after(qtbot, window, lambda f: f.update == 2)


def test_a_click_in_drawing_mode_reaches_the_data(qtbot, window):
    window.draw_tools.toggle.setChecked(True)
    before = len(window.playground.last_frame.dataset.y_all)
    box = window.boundary.plotItem.vb
    scene_point = box.mapViewToScene(QPointF(0.5, 0.25))
    view_point = window.boundary.mapFromScene(scene_point)
    qtbot.mouseClick(window.boundary.viewport(), Qt.MouseButton.LeftButton, pos=view_point)
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == before + 1)
    distances = np.hypot(*(frame.dataset.X_all - [0.5, 0.25]).T)
    assert distances.min() < 0.05


def test_clear_waits_for_enough_points_then_trains_on_them(qtbot, window):
    window.draw_tools.clear()
    assert not window.controls.play_action.isEnabled()
    assert "at least 4 points" in window.banner.text()
    for k, (x, y) in enumerate([(0, 0), (1, 1), (0, 1), (1, 0)]):
        window.draw_tools.picker.setCurrentIndex(k % 2)
        window.boundary.point_clicked.emit(float(x), float(y), False)
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 4)
    assert frame.dataset.n_classes == 2
    assert window.controls.play_action.isEnabled()
    assert window.banner.isHidden()


def test_bad_csv_is_refused_and_the_current_data_stays(qtbot, window, warnings, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("x1,x2,label\n0,0,a\n1,one,b\n0,1,a\n1,0,b\n")
    before = window.playground.last_frame.dataset
    window.files.load_data(str(bad))
    qtbot.waitUntil(lambda: bool(warnings))  # read in a pool thread, then refused
    assert "bad.csv was not loaded: line 3: x2 'one' is not a number" in warnings[0]
    assert window.playground.config.data.name == "moons"
    window.playground.request_step.emit()
    assert frame_after(qtbot, window, lambda f: f.update == 1).dataset is before


def test_loaded_csv_trains_and_saves_back(qtbot, window, tmp_path):
    good = tmp_path / "mine.csv"
    rows = [
        f"{x},{y},{'in' if x * x + y * y < 1 else 'out'}" for x in range(-3, 4) for y in (-1, 0, 2)
    ]
    good.write_text("\n".join(rows) + "\n")
    window.files.load_data(str(good))
    frame = frame_after(qtbot, window, lambda f: f.dataset.name == "custom")
    assert frame.dataset.label_names() == ("in", "out")
    assert len(frame.dataset.y_all) == len(rows) and frame.update == 0
    window.playground.request_epoch.emit()
    assert frame_after(qtbot, window, lambda f: f.update == 1).dataset.name == "custom"
    out = tmp_path / "saved.csv"
    from model.io.points_file import write_points

    write_points(out, window.files.current_points())
    back = read_points(out)
    assert back.class_names == ("in", "out") and len(back.y) == len(rows)


def test_saved_session_opens_to_the_same_numbers(qtbot, window, warnings, tmp_path):
    config = ExperimentConfig(train=TrainConfig("adam", 0.01, batch_size=32, eval_every=5))
    window.playground.load_config(config)
    config = (
        window.playground.config
    )  # as the panels show it: the data set's size and noise explicit
    window.playground.request_updates.emit(45)
    frame_after(qtbot, window, lambda f: f.update == 45 and not f.playing)
    path = tmp_path / "run.npz"
    with qtbot.waitSignal(window.playground.worker.saved, timeout=10_000) as saved:
        window.playground.save_session(str(path))
    assert saved.args == [str(path), ""]
    window.playground.request_updates.emit(10)
    reference = frame_after(qtbot, window, lambda f: f.update == 55 and not f.playing)
    expected = window.curves.history.rows()

    window.playground.request_reset.emit()
    frame_after(qtbot, window, lambda f: f.update == 0)
    assert window.files.open_session(str(path))
    frame_after(qtbot, window, lambda f: f.update == 45)
    assert window.playground.config == config
    window.playground.request_updates.emit(10)
    frame_after(qtbot, window, lambda f: f.update == 55 and not f.playing)
    assert window.curves.history.rows() == expected
    assert reference.dataset is not None and not warnings


def test_a_damaged_session_is_refused_and_nothing_changes(qtbot, window, warnings, tmp_path):
    damaged = tmp_path / "run.npz"
    damaged.write_bytes(b"PK\x03\x04 not really a zip file")
    window.playground.request_step.emit()
    generation = frame_after(qtbot, window, lambda f: f.update == 1).generation
    assert not window.files.open_session(str(damaged))
    assert "damaged or truncated" in warnings[0] and "Nothing was changed" in warnings[0]
    window.playground.request_step.emit()
    assert frame_after(qtbot, window, lambda f: f.update == 2).generation == generation


def test_layout_configuration_and_recent_files_return_after_a_restart(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    config = ExperimentConfig(data=DataConfig("circles", n_samples=300))
    first = MainWindow(config, settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)  # inside the offscreen screen (800 x 600)
    first.menu_actions.network_toggle.trigger()
    first.files.remember(str(tmp_path / "a.npz"))
    qtbot.waitUntil(lambda: first.playground.last_frame is not None)
    first.close()

    assert last_config(settings) == first.playground.config
    second = MainWindow(last_config(settings), settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: second.playground.last_frame is not None)
    assert (
        second.playground.config.data.name == "circles"
        and second.playground.config.data.n_samples == 300
    )
    assert (second.width(), second.height()) == (760, 560)
    assert second.network_dock.isVisible()
    assert second.files.recent == [str((tmp_path / "a.npz").resolve())]
    second.close()


def test_a_plot_is_copied_to_the_clipboard(qtbot, window):
    QApplication.clipboard().clear()
    window.menu_actions.copy[1].trigger()
    image = QApplication.clipboard().image()
    assert not image.isNull()
    assert image.width() == window.curves.loss_plot.grab().width()


def test_help_menu_opens_the_guide_at_a_section(qtbot, window):
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    batch = next(a for a in menus["Help"].actions() if a.text() == "Batch size and optimizers")
    window.guide.resize(400, 300)
    batch.trigger()
    assert window.guide.isVisible()
    bar = window.guide.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)


def test_guide_links_lead_to_their_controls(qtbot, window):
    window.menu_actions.guide.trigger()
    assert window.guide.isVisible()
    window.guide.control_requested.emit("batch_size")
    assert window.training_panel.batch_size.hasFocus() or (
        QApplication.focusWidget() is window.training_panel.batch_size
    )


def test_right_click_on_any_plot_offers_copy(qtbot, window):
    views = window.plot_menus.views
    for view in (
        window.boundary,
        window.curves.loss_plot,
        window.network,
        window.network_dock.dynamics,
    ):
        assert any(v is view or view.isAncestorOf(v) for v in views)
    QApplication.clipboard().clear()

    def choose_copy() -> None:
        menu = QApplication.activePopupWidget()
        menu.actions()[0].trigger()  # "Copy image"
        menu.close()

    QTimer.singleShot(0, choose_copy)  # runs inside the menu's own event loop
    viewport = window.curves.accuracy_plot.viewport()
    point = QPoint(20, 20)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, viewport.mapToGlobal(point))
    QApplication.sendEvent(viewport, event)
    assert QApplication.clipboard().image().width() == window.curves.accuracy_plot.grab().width()


def test_right_click_while_drawing_removes_instead_of_opening_the_menu(qtbot, window):
    window.draw_tools.toggle.setChecked(True)
    data = window.playground.last_frame.dataset
    target = data.X_train[0]
    scene_point = window.boundary.plotItem.vb.mapViewToScene(QPointF(*target))
    view_point = window.boundary.mapFromScene(scene_point)
    viewport = window.boundary.viewport()
    qtbot.mouseClick(viewport, Qt.MouseButton.RightButton, pos=view_point)
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == len(data.y_all) - 1)
    assert not np.any(np.all(frame.dataset.X_all == target, axis=1))

    def close_any_menu() -> None:  # were a menu to open, this closes it
        if QApplication.activePopupWidget() is not None:
            QApplication.activePopupWidget().close()

    QTimer.singleShot(0, close_any_menu)
    assert window.plot_menus.show_menu(window.boundary, QPoint(5, 5)) is False
    QApplication.processEvents()  # the unused closer runs now
    window.draw_tools.toggle.setChecked(False)
    QTimer.singleShot(0, close_any_menu)
    assert window.plot_menus.show_menu(window.boundary, QPoint(5, 5)) is True


def test_loading_a_file_after_clear_ends_the_wait(qtbot, window, tmp_path):
    window.draw_tools.clear()
    assert not window.controls.play_action.isEnabled()
    good = tmp_path / "four.csv"
    good.write_text("0,0,a\n1,1,b\n0,1,a\n1,0,b\n2,2,b\n")
    window.files.load_data(str(good))
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 5)
    assert window.controls.play_action.isEnabled() and window.playground.pending is None
    shown = window.boundary.train_item.data
    assert len(shown) == len(frame.dataset.y_train)


def test_a_file_the_model_cannot_take_leaves_the_run_alone(qtbot, window, warnings, tmp_path):
    perceptron = ModelConfig(kind="perceptron")
    window.playground.load_config(ExperimentConfig(data=DataConfig("gaussians"), model=perceptron))
    frame_after(qtbot, window, lambda f: f.perceptron_weights is not None)
    window.playground.request_updates.emit(5)
    frame_after(qtbot, window, lambda f: f.update == 5 and not f.playing)
    three = tmp_path / "three.csv"
    three.write_text("".join(f"{k},{k % 3},{k % 3}\n" for k in range(9)))
    window.files.load_data(str(three))
    qtbot.waitUntil(lambda: bool(warnings))
    assert "perceptron separates 2" in warnings[0]
    window.playground.request_step.emit()
    frame = frame_after(qtbot, window, lambda f: f.update == 6)
    assert frame.dataset.name == "gaussians"


def test_theme_switches_widgets_and_plots_at_once(qtbot, window):
    app = QApplication.instance()
    try:
        window.theme_menu.choose("dark")
        assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
        assert window.curves.loss_plot.backgroundBrush().color().lightness() < 80
        axis = window.curves.loss_plot.getPlotItem().getAxis("left")
        assert axis.textPen().color().lightness() > 180
    finally:
        window.theme_menu.choose("light")
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 180
    assert window.curves.loss_plot.backgroundBrush().color().lightness() > 240
    assert axis.textPen().color().lightness() < 80


def test_a_data_file_dropped_on_the_window_loads(qtbot, window, tmp_path):
    good = tmp_path / "dropped.csv"
    good.write_text("0,0,a\n1,1,b\n0,1,a\n1,0,b\n2,2,b\n3,3,b\n")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(good))])
    point = QPointF(200, 200)
    actions = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point.toPoint(), actions, mime, buttons, keys)
    enter.ignore()  # events start accepted; the window must accept this one itself
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(point, actions, mime, buttons, keys))
    frame = frame_after(qtbot, window, lambda f: len(f.dataset.y_all) == 6)
    assert frame.dataset.label_names() == ("a", "b")
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "notes.txt"))])
    refused = QDragEnterEvent(point.toPoint(), actions, mime, buttons, keys)
    refused.ignore()
    QApplication.sendEvent(window, refused)
    assert not refused.isAccepted()
