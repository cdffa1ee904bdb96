"""The main window: composition of panels, views and the training worker's wiring."""

from __future__ import annotations

import sys
import time

from PySide6.QtCore import QSettings, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QInputDialog,
    QLabel,
    QMainWindow,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.appearance.theme_menu import ThemeMenu
from gui.drawing.draw_tools import DrawTools
from gui.files.export import export_config_json, export_image_png
from gui.files.save_dialogs import ask_save_path, save_csv, save_or_warn, save_plot_png
from gui.files.session_files import SessionFiles
from gui.files.settings import restore_window, save_window
from gui.panels.data_panel import DataPanel
from gui.panels.model_panel import ModelPanel
from gui.panels.training_panel import TrainingPanel
from gui.views.boundary import BoundaryView
from gui.views.curves import CurvesView
from gui.views.dynamics_view import DynamicsView
from gui.views.hidden_space_view import HiddenSpaceView
from gui.views.network_view import NetworkView
from gui.windows.experiments_window import ExperimentsWindow
from gui.windows.guide import GuideDock
from gui.windows.menus import build_menu_bar
from gui.windows.plot_menu import PlotMenus, copy_image
from gui.workers.frames import Frame
from gui.workers.worker import TrainingWorker
from model.config import DataConfig, ExperimentConfig
from model.datasets import CUSTOM

STATUS_SECONDS = 0.2
PROBLEM_STYLE = "background:#fde2e1; color:#7a1010; padding:6px; border:1px solid #e0a0a0;"
NOTICE_STYLE = "background:#e3effa; color:#0d3a66; padding:6px; border:1px solid #a8c8e8;"
SPEEDS = [
    ("1 update/s", 1.0),
    ("5 updates/s", 5.0),
    ("20 updates/s", 20.0),
    ("75 updates/s", 75.0),
    ("300 updates/s", 300.0),
    ("1000 updates/s", 1000.0),
    ("As fast as possible", 0.0),
]
# The pace a student can watch: the default experiment's first 1500 updates take 20 s.
DEFAULT_SPEED = 75.0


class MainWindow(QMainWindow):
    request_config = Signal(object)
    request_restart = Signal(object)  # a configuration to start afresh with
    request_play = Signal()
    request_pause = Signal()
    request_step = Signal()
    request_epoch = Signal()
    request_reset = Signal()
    request_speed = Signal(float)
    request_updates = Signal(int)
    request_ack = Signal()
    request_stop = Signal()
    request_network = Signal(bool)
    request_weight = Signal(int, int, int, float)
    request_aspect = Signal(float)  # the boundary view's width / height
    first_frame_drawn = Signal()

    def __init__(
        self, config: ExperimentConfig | None = None, settings: QSettings | None = None
    ) -> None:
        """``settings``: where layout, recent files and the last configuration are kept
        (None: nothing is remembered, as in tests of a single window)."""
        super().__init__()
        self.settings = settings
        self.setWindowTitle("Neural Playground")
        self.resize(1280, 800)
        self.config = config or ExperimentConfig()
        self.playing = False
        self.last_frame: Frame | None = None
        self.frames_drawn = 0
        self._generation = -1
        self._screenshot: tuple[str, int] | None = None
        self.experiments: ExperimentsWindow | None = None
        self._status_time = 0.0
        self._network_sized = False
        try:
            self._build_panels()
            self.config = self._panel_config()  # explicit sizes and noise, as panels show them
            dropped = ""
        except (ValueError, TypeError, OverflowError) as error:  # a remembered setting
            self.config = ExperimentConfig()
            self._build_panels()
            self.config = self._panel_config()
            dropped = f"The last settings could not be shown ({error}): the defaults are used."
        self._build_views()
        self._build_actions()
        self._build_status()
        if dropped:
            print(f"Neural Playground: {dropped}", file=sys.stderr)
            self.statusBar().showMessage(dropped, 15_000)
        self._start_worker()
        self.plot_menus = PlotMenus(self)
        self.setAcceptDrops(True)  # a session (.npz) or data file (.csv) dropped opens
        if settings is not None:
            restore_window(self, settings)

    # ----- construction -----
    def _build_panels(self) -> None:
        self.data_panel = DataPanel(self.config.data)
        self.model_panel = ModelPanel(self.config.model)
        self.training_panel = TrainingPanel(self.config.train)
        column = QWidget()
        layout = QVBoxLayout(column)
        for panel in (self.data_panel, self.model_panel, self.training_panel):
            layout.addWidget(panel)
            panel.changed.connect(self._panels_changed)
        self.model_panel.kind_shown.connect(self.training_panel.show_model_kind)
        self.training_panel.show_model_kind(self.config.model.kind)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setMinimumWidth(300)
        self.side = scroll

    def _build_views(self) -> None:
        self.boundary = BoundaryView()
        self.boundary.aspect_changed.connect(self.request_aspect)
        self.curves = CurvesView()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        views = QSplitter(Qt.Orientation.Horizontal)
        views.addWidget(self.boundary)
        views.addWidget(self.curves)
        views.setSizes([620, 420])
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(views, 1)
        outer = QSplitter(Qt.Orientation.Horizontal)
        outer.addWidget(self.side)
        outer.addWidget(right)
        outer.setSizes([320, 960])
        self.setCentralWidget(outer)
        self.network = NetworkView()
        self.network.setToolTip(
            "Hover a neuron or a link to read it; click a link while paused to type a new weight"
        )
        self.network.link_clicked.connect(self._edit_weight)
        self.network.neuron_hovered.connect(self._show_neuron)
        self.network_dock = QDockWidget("Network", self)
        self.network_dock.setObjectName("network-dock")
        self.dynamics = DynamicsView()
        network_tabs = QTabWidget()
        network_tabs.addTab(self.network, "Diagram")
        network_tabs.addTab(self.dynamics, "Learning dynamics")
        self.hidden_space = HiddenSpaceView()
        network_tabs.addTab(self.hidden_space, "Hidden space")
        self.network_dock.setWidget(network_tabs)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.network_dock)
        self.network_dock.hide()
        self.network_dock.visibilityChanged.connect(self._network_shown)
        self.guide = GuideDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guide)
        self.guide.hide()
        self.guide.control_requested.connect(self.focus_control)

    def make_action(self, text: str, shortcut, tip: str, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{tip} ({QKeySequence(shortcut).toString()})")
        action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.play_action = self.make_action(
            "Play", Qt.Key.Key_Space, "Play or pause training", self.toggle_play
        )
        self.step_action = self.make_action(
            "Step", Qt.Key.Key_Right, "One update (one mini-batch)", self.request_step.emit
        )
        self.epoch_action = self.make_action(
            "Epoch",
            QKeySequence("Shift+Right"),
            "Complete the current pass over the training set",
            self.request_epoch.emit,
        )
        self.reset_action = self.make_action(
            "Reset", Qt.Key.Key_R, "New initial weights from the seed; curves cleared", self.reset
        )
        self.quit_action = self.make_action("Quit", QKeySequence("Ctrl+Q"), "Quit", self.close)
        self.speed = QComboBox()
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.speed.setCurrentIndex(self.speed.findData(DEFAULT_SPEED))
        self.speed.setToolTip(
            "Updates per second while playing: 75/s lets you watch the boundary move; for "
            "long runs choose As fast as possible ([ and ] step slower and faster)"
        )
        self.speed.currentIndexChanged.connect(
            lambda: self.request_speed.emit(float(self.speed.currentData()))
        )
        self.x_axis = QComboBox()
        self.x_axis.addItem("x: updates", "update")
        self.x_axis.addItem("x: epochs", "epoch")
        self.x_axis.setToolTip("Plot the curves against updates or against epochs")
        self.x_axis.currentIndexChanged.connect(
            lambda: self.curves.set_x_axis(self.x_axis.currentData())
        )
        self.test_toggle = QAction("Test points", self)
        self.test_toggle.setCheckable(True)
        self.test_toggle.setChecked(True)
        self.test_toggle.setShortcut(QKeySequence("T"))
        self.test_toggle.setToolTip("Show the test points (hollow squares) (T)")
        self.test_toggle.toggled.connect(self._toggle_test)
        toolbar = self.addToolBar("Training")
        toolbar.setObjectName("training-toolbar")
        for action in (self.play_action, self.step_action, self.epoch_action, self.reset_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(self.speed)
        toolbar.addWidget(self.x_axis)
        toolbar.addAction(self.test_toggle)
        self.theme_menu = ThemeMenu(self, self.settings)
        self.draw_tools = DrawTools(self)
        toolbar.addSeparator()
        toolbar.addAction(self.draw_tools.toggle)
        toolbar.addWidget(self.draw_tools.picker)
        toolbar.addAction(self.draw_tools.clear_action)
        self.files = SessionFiles(self, self.settings)
        build_menu_bar(self, toolbar)

    def speed_by(self, steps: int) -> None:
        index = min(max(self.speed.currentIndex() + steps, 0), self.speed.count() - 1)
        self.speed.setCurrentIndex(index)
        self.statusBar().showMessage(f"Speed: {self.speed.currentText()}", 3000)

    def _build_status(self) -> None:
        self.status = QLabel()
        # no stretch: a temporary message (showMessage) needs the room on the left
        self.statusBar().addPermanentWidget(self.status)

    def _start_worker(self) -> None:
        self.thread = QThread(self)
        self.worker = TrainingWorker(self.config)
        self.worker.set_speed(float(self.speed.currentData()))  # before it has a thread
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.start)
        # The QThread object lives here, in the GUI thread, which is blocked in wait() at
        # shutdown: quit() must be called directly from the worker thread.
        self.worker.finished.connect(self.thread.quit, Qt.ConnectionType.DirectConnection)
        self.worker.frame_ready.connect(self.show_frame)
        self.worker.refused.connect(self._refused)
        self.request_config.connect(self.worker.set_config)
        self.request_restart.connect(self.worker.restart_with)
        self.request_play.connect(self.worker.play)
        self.request_pause.connect(self.worker.pause)
        self.request_step.connect(self.worker.step_update)
        self.request_epoch.connect(self.worker.step_epoch)
        self.request_reset.connect(self.worker.reset)
        self.request_speed.connect(self.worker.set_speed)
        self.request_updates.connect(self.worker.run_updates)
        self.request_ack.connect(self.worker.acknowledge)
        self.request_stop.connect(self.worker.stop)
        self.request_network.connect(self.worker.set_network_view)
        self.request_weight.connect(self.worker.set_weight)
        self.request_aspect.connect(self.worker.set_view_aspect)
        self.files.request_open.connect(self.worker.open_session)
        self.files.request_save.connect(self.worker.save_session)
        self.worker.saved.connect(self.files.saved)
        self.thread.start()

    # ----- user actions -----
    def toggle_play(self) -> None:
        (self.request_pause if self.playing else self.request_play).emit()

    def reset(self) -> None:
        self.banner.hide()
        self.request_reset.emit()

    def _toggle_test(self, show: bool) -> None:
        self.boundary.set_show_test(show)
        if self.last_frame is not None:
            self.boundary.show_frame(self.last_frame)

    def _panels_changed(self) -> None:
        try:
            data = self.data_panel.config()
            waiting = False
        except ValueError as error:
            if self.draw_tools.pending is None:
                self.show_problem(str(error))
                return
            # Drawn points wait (too few to train on): they stay, with their undo history;
            # a Model or Training change applies to the data trained last meanwhile.
            data, waiting = self.config.data, True
        try:
            config = ExperimentConfig(
                data,
                self.model_panel.config(),
                self.training_panel.config(self.data_panel.seed.value()),
            )
        except ValueError as error:
            self.show_problem(str(error))
            return
        if not waiting:
            self.end_drawing_wait()
        only_own_points = config.data.name == CUSTOM and (config.model, config.train) == (
            self.config.model,
            self.config.train,
        )
        rebuild = (
            not only_own_points
            and (config.data != self.config.data or config.model != self.config.model)
            or (
                config.train.learning_rate == self.config.train.learning_rate
                and config.train != self.config.train
            )
        )
        self.config = config
        if rebuild:
            self.statusBar().showMessage(
                "New network: the change needs fresh weights, so training restarted at update 0.",
                6000,
            )
        if not waiting:  # else the note on the points still missing stays
            self.banner.hide()
        self.request_config.emit(config)

    def _panel_config(self) -> ExperimentConfig:
        return ExperimentConfig(
            self.data_panel.config(),
            self.model_panel.config(),
            self.training_panel.config(self.data_panel.seed.value()),
        )

    def run_for_screenshot(self, path: str, updates: int) -> None:
        """Train ``updates`` updates, save a PNG of the window once drawn, then quit."""
        self._screenshot = (path, updates)
        QTimer.singleShot(300, lambda: self.request_updates.emit(updates))

    def _show_config(self, config: ExperimentConfig) -> None:
        """Put ``config`` into the panels without triggering a rebuild per field; the
        window's configuration is then what they show (left-out sizes and parameters at
        their defaults, explicit), so touching a control changes only that control."""
        for panel, part in (
            (self.data_panel, config.data),
            (self.model_panel, config.model),
            (self.training_panel, config.train),
        ):
            panel.set_config(part)
        self.config = self._panel_config()

    def load_config(self, config: ExperimentConfig) -> None:
        """Show and train ``config`` (from the experiments window, for instance)."""
        self.end_drawing_wait()
        self._show_config(config)
        self.banner.hide()
        self.request_config.emit(self.config)
        self.raise_()
        self.activateWindow()

    @Slot(str, object)
    def _refused(self, message: str, config_in_force: ExperimentConfig) -> None:
        """The worker could not build that network: say why and show what still runs."""
        self._show_config(config_in_force)
        self.show_problem(f"Not applied: {message}. The previous settings stay in force.")

    def show_problem(self, message: str) -> None:
        self.banner.setStyleSheet(PROBLEM_STYLE)
        self.banner.setText(message)
        self.banner.show()

    def show_notice(self, message: str) -> None:
        """A note on what to do next, not an error."""
        self.banner.setStyleSheet(NOTICE_STYLE)
        self.banner.setText(message)
        self.banner.show()

    def set_training_enabled(self, enabled: bool) -> None:
        for action in (self.play_action, self.step_action, self.epoch_action, self.reset_action):
            action.setEnabled(enabled)

    def apply_data(self, data: DataConfig, restart: bool = False) -> None:
        """Train on other data: drawn points go on with the same network, a loaded file
        (``restart``) starts a fresh one."""
        self.end_drawing_wait()
        self.config = ExperimentConfig(data, self.config.model, self.config.train)
        self.data_panel.set_config(data)
        self.banner.hide()
        (self.request_restart if restart else self.request_config).emit(self.config)

    def end_drawing_wait(self) -> None:
        """Points held back for being too few give way to data that can train."""
        if self.draw_tools.pending is not None:
            self.draw_tools.pending = None
            self.set_training_enabled(True)
            if self.last_frame is not None:
                self.boundary.show_frame(self.last_frame)

    def show_loaded_config(self, config: ExperimentConfig) -> None:
        """An opened session's configuration, in the panels, without rebuilding anything."""
        self.end_drawing_wait()
        self.banner.hide()
        self._show_config(config)

    def control_widget(self, name: str) -> QWidget | None:
        """The side-panel control a ``control:NAME`` guide link names, or None."""
        panels = (self.data_panel, self.model_panel, self.training_panel)
        attribute = {"hidden": "layers_row"}.get(name, name)
        widget = next((getattr(p, attribute) for p in panels if hasattr(p, attribute)), None)
        return widget if isinstance(widget, QWidget) else None

    def focus_control(self, name: str) -> None:
        """Scroll the side panels to the control a guide link names and focus it."""
        widget = self.control_widget(name)
        if widget is None or not widget.isVisibleTo(self):
            self.statusBar().showMessage(
                "That control is hidden for the current data set or model.", 4000
            )
            return
        self.side.ensureWidgetVisible(widget)
        widget.setFocus()
        self.statusBar().showMessage(widget.toolTip(), 8000)

    def copy_to_clipboard(self, view) -> None:
        copy_image(view)
        self.statusBar().showMessage("Copied to the clipboard as an image.", 4000)

    # ----- frames -----
    @Slot(object)
    def show_frame(self, frame: Frame) -> None:
        try:
            if frame.generation != self._generation:
                self._generation = frame.generation
                self.curves.clear()
                self.dynamics.clear()
            self.curves.add_points(
                frame.new_points, now=not frame.playing, thinned_before=frame.history_thinned_before
            )
            if self.draw_tools.pending is None:  # else the points being drawn stay shown
                self.boundary.show_frame(frame)
            if frame.perceptron_weights is not None and self.network.snapshot is not None:
                self.network.clear_snapshot()  # a perceptron: no network diagram to show
                self.boundary.show_neuron(None)
            if frame.network is not None:
                self.network.live = frame.playing
                self.network.show_snapshot(frame.network)
                self.dynamics.add(frame.update, frame.network)
                self.hidden_space.show_snapshot(frame.network, frame.dataset, frame.extent)
            self._show_state(frame)
            self.last_frame = frame
            self.frames_drawn += 1
            if self.frames_drawn == 1:
                self.first_frame_drawn.emit()
        finally:
            self.request_ack.emit()
        self._maybe_screenshot(frame)

    def _show_state(self, frame: Frame) -> None:
        loss_title = (
            "Loss (perceptron criterion)"
            if frame.perceptron_weights is not None
            else "Loss (cross-entropy)"
        )
        if self.curves.loss_plot.plotItem.titleLabel.text != loss_title:
            self.curves.loss_plot.setTitle(loss_title)
        self.playing = frame.playing
        # Only real changes: each QAction change re-lays out the toolbar and menus.
        text = "Pause" if frame.playing else "Play"
        if self.play_action.text() != text:
            self.play_action.setText(text)
        enabled = not frame.stopped and self.draw_tools.pending is None
        for action in (self.play_action, self.step_action, self.epoch_action):
            if action.isEnabled() != enabled:
                action.setEnabled(enabled)
        if frame.message:
            self.show_problem(f"Paused: {frame.message}")
        elif frame.notice:
            self.show_notice(frame.notice)
        if self.draw_tools.pending is not None:
            return  # figures of points no longer shown: the draw tools' line stays
        now = time.monotonic()
        if frame.playing and now - self._status_time < STATUS_SECONDS:
            return  # while playing, the status line changes five times a second, not 26
        self._status_time = now
        last = self.curves.history.last
        figures = ""
        if last is not None:
            figures = (
                f"   train loss {last.train_loss:.4f}  acc {last.train_accuracy:.3f}   "
                f"test loss {last.test_loss:.4f}  acc {last.test_accuracy:.3f}"
            )
        rate = f"   {frame.updates_per_second:,.0f} updates/s" if frame.playing else ""
        epoch = f"{frame.epoch:.3f}".rstrip("0").rstrip(".")  # 300, or 2.125 mid-epoch
        self.status.setText(f"epoch {epoch}   update {frame.update}{figures}{rate}")

    def _maybe_screenshot(self, frame: Frame) -> None:
        if self._screenshot is None:
            return
        path, updates = self._screenshot
        if (frame.update >= updates or frame.stopped) and not frame.playing:
            self._screenshot = None
            QTimer.singleShot(200, lambda: self._save_and_quit(path))

    def _save_and_quit(self, path: str) -> None:
        try:
            export_image_png(self.grab(), path)
        except OSError as error:
            self.show_problem(f"Could not write the screenshot: {error}")
            print(f"could not write the screenshot to {path}: {error}", file=sys.stderr)
        self.close()

    def _show_neuron(self, layer: int, index: int) -> None:
        if layer < 0:
            if self.boundary.neuron_image is not None:
                self.boundary.show_neuron(None)
            return
        snapshot = self.network.snapshot
        if snapshot is None:
            return
        values, colours = self.network.neuron_scale(layer, index)
        self.boundary.show_neuron(
            self.network.neuron_map(layer, index),
            self.network.neuron_name(layer, index),
            extent=snapshot.extent,
            values=values,
            colour_map=colours,
        )

    def _network_shown(self, shown: bool) -> None:
        """Ask for network snapshots only while the dock is shown; open it at 40 % height."""
        if shown and not self._network_sized:
            self._network_sized = True
            self.resizeDocks(
                [self.network_dock], [int(self.height() * 0.4)], Qt.Orientation.Vertical
            )
        self.request_network.emit(shown)

    def _edit_weight(self, layer: int, source: int, target: int) -> None:
        snapshot = self.network.snapshot
        if self.playing or snapshot is None:
            self.statusBar().showMessage("Pause (Space) to edit a weight.", 4000)
            return
        value, ok = QInputDialog.getDouble(
            self,
            "Edit weight",
            f"Weight from {self.network.neuron_name(layer, source)} to "
            f"{self.network.neuron_name(layer + 1, target)}:",
            float(snapshot.weights[layer][source, target]),
            -1e6,
            1e6,
            4,
        )
        if ok:
            self.request_weight.emit(layer, source, target, value)

    def show_experiments(self) -> None:
        if self.experiments is None:
            self.experiments = ExperimentsWindow(lambda: self.config, self)
            self.experiments.open_configuration.connect(self.load_config)
        self.experiments.show()
        self.experiments.raise_()

    def export_config(self) -> None:
        if path := ask_save_path(self, "Save the configuration", "JSON files (*.json)"):
            save_or_warn(self, lambda: export_config_json(path, self.config))

    def export_history(self) -> None:
        save_csv(self, "Save the history", *self.curves.history.table())  # notes thinning

    def export_png(self, plot_item) -> None:
        save_plot_png(self, plot_item)

    # ----- files dropped on the window -----
    def dragEnterEvent(self, event) -> None:
        if self._dropped_path(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        path = self._dropped_path(event)
        if path is not None:
            event.acceptProposedAction()
            self.files.open_recent(path)  # a session or a CSV, by its suffix

    @staticmethod
    def _dropped_path(event) -> str | None:
        urls = event.mimeData().urls()
        if len(urls) != 1 or not urls[0].isLocalFile():
            return None
        path = urls[0].toLocalFile()
        return path if path.lower().endswith((".npz", ".csv")) else None

    def closeEvent(self, event) -> None:
        if self.settings is not None:
            save_window(self, self.settings)
        if self.experiments is not None:
            self.experiments.shutdown()
        if self.thread.isRunning():
            self.worker.interrupt()  # directly: the worker thread may be busy for seconds
            self.request_stop.emit()
            self.thread.wait(10_000)
        super().closeEvent(event)
