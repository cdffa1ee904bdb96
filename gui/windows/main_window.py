"""The main window: where the panels, views, docks and menus sit, and how they are wired.

What is trained, and every command that changes it, belongs to the playground
(``gui.controller``); the window draws its frames and says what it reports.

A closed window deletes itself, and with it everything it made: its menus, actions and
panels hold it through connections Python's collector cannot see, so a window closed but
not deleted stayed alive, with its trainer and data (three windows opened and closed in one
process: 246, 677, 1,074 and 1,464 MB).
"""

from __future__ import annotations

import sys
import time

import shiboken6
from PySide6.QtCore import QSettings, Qt, Signal, Slot
from PySide6.QtWidgets import QLabel, QMainWindow, QSplitter, QVBoxLayout, QWidget

from gui.appearance.theme import restyle_plots
from gui.appearance.theme_menu import ThemeMenu
from gui.controller import Playground
from gui.drawing.draw_tools import DrawTools
from gui.files.code_export import CodeExport
from gui.files.export import export_config_json
from gui.files.save_dialogs import (
    FileWrites,
    ask_save_path,
    save_csv,
    save_in_background,
    save_plot_png,
)
from gui.files.session_files import SessionFiles
from gui.files.settings import STATE_KEY, restore_window, save_window
from gui.panels.settings_column import SettingsColumn
from gui.views.boundary import BoundaryView
from gui.views.curves import CurvesView
from gui.windows.bottom_docks import share_bottom_area
from gui.windows.copy_command import CopyCommand
from gui.windows.experiments_window import ExperimentsWindow
from gui.windows.garbage_collector import GuiThreadGarbageCollector
from gui.windows.guide import GuideDock
from gui.windows.landscape_dock import LandscapeDock
from gui.windows.menus import build_menu_bar
from gui.windows.network_dock import OPEN_FROM_SIZE, NetworkDock
from gui.windows.playground_link import PlaygroundLinks, rules_of
from gui.windows.plot_menu import PlotMenus, copy_image
from gui.windows.presentation import Presentation
from gui.windows.recording import Recorder
from gui.windows.run_controls import RunControls
from gui.windows.start_hint import StartHint
from gui.windows.status_line import status_text
from gui.windows.views_area import ViewsArea
from gui.windows.window_closing import WindowClosing
from gui.workers.frames import Frame
from model.config import ExperimentConfig
from model.io.presets import opening_config

STATUS_SECONDS = 0.2
PROBLEM_STYLE = "background:#fde2e1; color:#7a1010; padding:6px; border:1px solid #e0a0a0;"
NOTICE_STYLE = "background:#e3effa; color:#0d3a66; padding:6px; border:1px solid #a8c8e8;"


class MainWindow(QMainWindow):
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
        self.frames_drawn = 0
        self._generation = -1
        self.experiments: ExperimentsWindow | None = None
        self._status_time = 0.0
        self._network_sized = False
        try:
            self.side = SettingsColumn(config or opening_config())  # none remembered
            config = self.side.config()  # explicit sizes and noise, as the panels show them
            dropped = ""
        except (ValueError, TypeError, OverflowError) as error:  # a remembered setting
            self.side = SettingsColumn(ExperimentConfig())
            config = self.side.config()
            dropped = f"The last settings could not be shown ({error}): the defaults are used."
        self.data_panel, self.model_panel, self.training_panel = self.side.panels()
        self.garbage = GuiThreadGarbageCollector(self)  # never in the training thread
        self.closing = WindowClosing(self, self._threads_stopped, self._finish_closing)
        self.playground = Playground(config, self.side.show_config, self.side.split_settings, self)
        self._build_views()
        self._build_tools()
        self._connect()
        if dropped:
            print(f"Neural Playground: {dropped}", file=sys.stderr)
            self.statusBar().showMessage(dropped, 15_000)
        self.playground.start(self.controls.updates_per_second())
        self.plot_menus = PlotMenus(self)
        self.files.open_dropped_files(self)  # a session (.npz) or data file (.csv)
        # The diagram opens with a large window, until someone shows or hides it.
        self._network_auto = settings is None or not settings.contains(STATE_KEY)
        self._network_wanted: bool | None = None  # the size's last decision
        if settings is not None:
            restore_window(self, settings)  # a remembered layout decides
        self._fit_network_to_size()

    # ----- construction -----
    def _build_views(self) -> None:
        self.boundary = BoundaryView()
        self.curves = CurvesView()
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        views = ViewsArea(self.boundary, self.curves)
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
        # The Network column beside the views runs the window's full height, above a bottom dock.
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.network_dock = NetworkDock(self.playground, self)
        self.network = self.network_dock.network
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.network_dock)
        self.network_dock.hide()
        self.landscape_dock = LandscapeDock(self.playground, self)
        share_bottom_area(self, [self.network_dock, self.landscape_dock])
        self.guide = GuideDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guide)
        self.tabifyDockWidget(self.network_dock, self.guide)  # one column, two tabs
        self.guide.hide()
        self.status = QLabel()
        # no stretch: a temporary message (showMessage) needs the room on the left
        self.statusBar().addPermanentWidget(self.status)

    def _build_tools(self) -> None:
        self.controls = RunControls(self.playground, self)
        self.start_hint = StartHint(self.playground, self.controls.play_action, self.boundary)
        self.theme_menu = ThemeMenu(self, self.settings)
        self.draw_tools = DrawTools(self.playground, self.boundary, self)
        self.files = SessionFiles(self.playground, self, self.settings)
        self.code_export = CodeExport(self.playground, self)  # File > Export > scripts
        self.copy_command = CopyCommand(self.playground, self)  # Edit > Copy as command
        # File > Open Playground link…, Ctrl+V or a drop of one, Edit > Copy as Playground link
        self.playground_links = PlaygroundLinks(self.playground, self)
        self.presentation = Presentation(self)  # View > Presentation mode
        self.addActions([*self.draw_tools.actions, *self.files.actions])
        # File > Record and its toolbar button: the boundary or the whole window, as it trains
        self.recorder = Recorder(
            self.playground, {"boundary": self.boundary, "window": self}, self, self.settings
        )
        self.statusBar().addPermanentWidget(self.recorder.label)
        toolbar = self.addToolBar("Training")
        toolbar.setObjectName("training-toolbar")
        self.controls.fill(toolbar)
        toolbar.addSeparator()
        toolbar.addAction(self.draw_tools.toggle)
        picker = toolbar.addWidget(self.draw_tools.picker)  # shown while drawing: room to spare
        picker.setVisible(self.draw_tools.toggle.isChecked())
        self.draw_tools.toggle.toggled.connect(picker.setVisible)
        toolbar.addAction(self.draw_tools.clear_action)
        toolbar.addSeparator()
        self.recorder.put_on(toolbar)
        self.menu_actions = build_menu_bar(self, toolbar)

    def _connect(self) -> None:
        playground, side = self.playground, self.side
        side.config_edited.connect(playground.edit_config)
        side.data_missing.connect(playground.edit_without_data)
        side.refused.connect(self.show_problem)
        playground.frame_ready.connect(self.show_frame)
        playground.problem.connect(self.show_problem)
        playground.notice.connect(self.show_notice)
        playground.banner_cleared.connect(self.banner.hide)
        playground.message.connect(self.statusBar().showMessage)
        playground.points_held.connect(self._points_held)
        playground.hold_ended.connect(self._hold_ended)
        self.boundary.aspect_changed.connect(playground.request_aspect)
        self.controls.x_axis_chosen.connect(self.curves.set_x_axis)
        self.controls.test_points_shown.connect(self._toggle_test)
        self.controls.discrete_shown.connect(self.boundary.set_discrete)
        self.network_dock.neuron_shown.connect(self._show_neuron)
        self.network_dock.visibilityChanged.connect(self._network_shown)
        self.guide.control_requested.connect(self.focus_control)
        self.theme_menu.applied.connect(self._theme_applied)
        self.model_panel.kind_shown.connect(lambda _: self._fit_network_to_size())
        self.network_dock.toggleViewAction().triggered.connect(self._network_chosen)
        # the data sets' pictures once training has loaded what making a data set needs
        self.first_frame_drawn.connect(self.data_panel.draw_thumbnails)
        self.files.title_changed.connect(self.setWindowTitle)
        self.recorder.problem.connect(self.show_problem)

    # ----- what the playground reports -----
    def show_problem(self, message: str) -> None:
        self.banner.setStyleSheet(PROBLEM_STYLE)
        self.banner.setText(message)
        self.banner.show()

    def show_notice(self, message: str) -> None:
        """A note on what to do next, not an error."""
        self.banner.setStyleSheet(NOTICE_STYLE)
        self.banner.setText(message)
        self.banner.show()

    def _points_held(self, X, y) -> None:
        self.boundary.show_pending(X, y)
        self.side.show_own_points()
        self.controls.set_training_enabled(False)
        # the figures of the data trained before would describe points no longer shown
        plural = "s" if len(y) != 1 else ""
        self.status.setText(f"{len(y)} point{plural} of your own: too few to train on")

    def _hold_ended(self) -> None:
        self.controls.set_training_enabled(True)
        if self.playground.last_frame is not None:
            self.boundary.show_frame(self.playground.last_frame)

    @Slot(object)
    def show_frame(self, frame: Frame) -> None:
        try:
            if frame.generation != self._generation:
                self._generation = frame.generation
                self.curves.clear()
                self.network_dock.clear()
            self.curves.add_points(
                frame.new_points, now=not frame.playing, thinned_before=frame.history_thinned_before
            )
            waiting = self.playground.pending is not None
            if not waiting:  # else the points being drawn stay shown
                self.boundary.show_frame(frame)
            self.network_dock.show_frame(frame)
            self._show_state(frame, waiting)
            self.frames_drawn += 1
            if self.frames_drawn == 1:
                self.first_frame_drawn.emit()
        finally:
            self.playground.frame_drawn()

    def _show_state(self, frame: Frame, waiting: bool) -> None:
        regression = frame.dataset is not None and frame.dataset.is_regression
        playground = rules_of(frame) is not None  # Playground's loss, by its rules
        self.curves.name_loss(frame.perceptron_weights is not None, regression, playground)
        self.controls.follow(frame, waiting)
        if frame.message:
            self.show_problem(f"Paused: {frame.message}")
        elif frame.notice:
            self.show_notice(frame.notice)
        if waiting:
            return  # figures of points no longer shown: the draw tools' line stays
        now = time.monotonic()
        if frame.playing and now - self._status_time < STATUS_SECONDS:
            return  # while playing, the status line changes five times a second, not 26
        self._status_time = now
        self.status.setText(status_text(frame, self.curves.history.last))

    # ----- views -----
    def _toggle_test(self, show: bool) -> None:
        self.boundary.set_show_test(show)
        if self.playground.last_frame is not None:
            self.boundary.show_frame(self.playground.last_frame)

    def _show_neuron(self, overlay: dict | None) -> None:
        if overlay is not None:
            self.boundary.show_neuron(**overlay)
        elif self.boundary.neuron_image is not None:
            self.boundary.show_neuron(None)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit_network_to_size(resized=True)

    def _fit_network_to_size(self, resized: bool = False) -> None:
        """Open the Network dock on a large window and close it on a small one (or for the
        perceptron, which has no diagram), until someone else shows or hides it; while
        closed, it moves to where it would open. Only a change of the decision shows or
        hides it: a resize that crosses no threshold never undoes anyone's choice."""
        dock = self.network_dock
        if self._network_auto:
            large = self.width() >= OPEN_FROM_SIZE[0] and self.height() >= OPEN_FROM_SIZE[1]
            wanted = large and self.model_panel.kind.currentData() == "mlp"
            if wanted != self._network_wanted:
                self._network_wanted = wanted  # first: _network_shown tells it apart
                if not wanted:
                    dock.hide()
                dock.place(self, self.landscape_dock)
                if wanted:
                    dock.show()  # sized as it opens (_network_shown)
                return
            if wanted and resized and dock.isVisible():
                dock.open_at_size(self)  # a larger window, a wider diagram
        dock.place(self, self.landscape_dock)  # only while closed

    def _network_chosen(self) -> None:
        """Shown or hidden by the student (the toggle): theirs from now on."""
        self._network_auto = False

    def _network_shown(self, shown: bool) -> None:
        """Ask for network snapshots only while the dock is shown; open it at its size."""
        if self._network_auto and self.network_dock.isHidden() == self._network_wanted:
            self._network_auto = False  # shown or hidden by someone else: theirs now
        if shown and not self._network_sized:
            self._network_sized = True
            self.network_dock.open_at_size(self)
        if not shown and self.network_dock.isHidden():
            self._network_sized = False  # placed again when closed: sized again when opened
        self.playground.request_network.emit(shown)

    def _theme_applied(self, theme: str, resolved: str) -> None:
        for root in (self, self.experiments):
            if root is not None:
                restyle_plots(root)
        self.statusBar().showMessage(f"Theme: {theme} ({resolved} colours).", 4000)

    def focus_control(self, name: str) -> None:
        """Scroll the side panels to the control a guide link names and focus it."""
        widget = self.side.control_widget(name)
        if widget is None or not widget.isVisibleTo(self):
            self.statusBar().showMessage(
                "That control is hidden for the current data set or model.", 4000
            )
            return
        self.side.ensureWidgetVisible(widget)
        widget.setFocus()
        self.statusBar().showMessage(widget.toolTip(), 8000)

    # ----- menu commands -----
    def copy_to_clipboard(self, view) -> None:
        copy_image(view)
        self.statusBar().showMessage("Copied to the clipboard as an image.", 4000)

    def show_experiments(self) -> None:
        if self.experiments is None:
            self.experiments = ExperimentsWindow(lambda: self.playground.config, self)
            self.experiments.open_configuration.connect(self._open_configuration)
        self.experiments.show()
        self.experiments.raise_()

    def _open_configuration(self, config: ExperimentConfig) -> None:
        self.playground.load_config(config)
        self.raise_()
        self.activateWindow()

    def export_config(self) -> None:
        if path := ask_save_path(self, "Save the configuration", "JSON files (*.json)"):
            config = self.playground.config  # written as it is now, in a pool thread
            save_in_background(self, path, lambda: export_config_json(path, config))

    def export_history(self) -> None:
        save_csv(self, "Save the history", *self.curves.history.table())  # notes thinning

    def export_png(self, plot_item) -> None:
        save_plot_png(self, plot_item)

    def closeEvent(self, event) -> None:
        """The window goes at once; its threads are asked to stop, and ``self.closing``
        finishes once they have (the training thread may be inside a long update)."""
        if self.closing.started is None:
            if self.settings is not None:
                save_window(self, self.settings, self.playground.config)
            self.recorder.finish_on_close()  # a valid file, not half of one
            if self.experiments is not None:
                self.experiments.stop_soon()
            self.playground.stop_soon()
            self.files.reads.stop_soon()  # a data file still being read is not used
            self.closing.begin()
        super().closeEvent(event)

    def _threads_stopped(self) -> bool:
        return (
            self.playground.stopped()
            and (self.experiments is None or not self.experiments.thread.isRunning())
            and not self.files.reads.busy()
            and not any(writes.busy() for writes in self.findChildren(FileWrites))
        )

    def _finish_closing(self) -> None:
        """Wait for what is still running (nothing, once the threads have stopped), then
        let everything the window made go with it."""
        if self.experiments is not None:
            self.experiments.shutdown()
        self.playground.shutdown()
        self.files.reads.stop()
        for writes in self.findChildren(FileWrites):
            writes.wait()  # exports asked for are written whole
        self.garbage.stop()
        self.deleteLater()

    def close(self) -> bool:
        """Close and wait until every thread the window started has stopped (the app
        before it exits, tests); the title bar's button and Quit do not wait. A window
        closed and deleted already stays so (pytest-qt closes each widget it was given,
        after the test may have closed it)."""
        if not shiboken6.isValid(self):
            return False
        closed = super().close()
        if closed:
            self.closing.finish()
        return closed

    def close_without_waiting(self) -> bool:
        """Quit: the window goes at once, its threads stop in the background."""
        return shiboken6.isValid(self) and super().close()

    def deleteLater(self) -> None:  # noqa: N802 (Qt's name)
        if shiboken6.isValid(self):
            super().deleteLater()
