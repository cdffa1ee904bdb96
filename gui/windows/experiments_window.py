"""The Experiments window: the perceptron sweep, run comparisons and hyperparameter maps,
run in the background.

Each tab (experiments_sweep.py, experiments_compare.py, experiments_map.py) builds its
request and shows its results; this window owns the one background thread they share and
whether it is busy.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QMessageBox, QTabWidget, QVBoxLayout, QWidget

from gui.windows.experiments_compare import CompareTab
from gui.windows.experiments_map import HypergridTab
from gui.windows.experiments_sweep import GridTab
from gui.windows.plot_menu import PlotMenus
from gui.workers.experiment_worker import ExperimentWorker
from gui.workers.map_worker import MapWorker
from model.config import ExperimentConfig
from model.experiments.comparisons import Comparison, PerceptronSweep
from model.limits import THREAD_STOP_SECONDS


class ExperimentsWindow(QWidget):
    """Three tabs; each runs its experiment in the shared background thread."""

    open_configuration = Signal(object)  # an ExperimentConfig to load in the main view

    def __init__(self, base_config: Callable[[], ExperimentConfig], parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Neural Playground: experiments")
        self.resize(1100, 760)
        self.sweep_tab = GridTab()
        self.sweep_tab.open_configuration.connect(self.open_configuration)
        self.compare_tab = CompareTab(base_config)
        self.hypergrid_tab = HypergridTab(base_config)
        self.hypergrid_tab.open_configuration.connect(self.open_configuration)
        tabs = QTabWidget()
        tabs.addTab(self.sweep_tab, "Perceptron sweep")
        tabs.addTab(self.compare_tab, "Compare runs")
        tabs.addTab(self.hypergrid_tab, "Hyperparameter map")
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        self.tabs = tabs
        self.plot_menus = PlotMenus(self)  # right click on a plot: copy or save it
        self._start_worker()

    def _start_worker(self) -> None:
        self.thread = QThread(self)
        self.worker = ExperimentWorker()
        self.worker.moveToThread(self.thread)
        for tab in (self.sweep_tab, self.compare_tab):
            tab.requested.connect(self._started)
            tab.cancel_button.clicked.connect(self.cancel)
        self.sweep_tab.requested.connect(self.worker.run_map)  # queued: the worker's thread
        self.compare_tab.requested.connect(self.worker.run_compare)
        self.worker.grid_progress.connect(self.sweep_tab.show_progress)
        self.worker.grid_finished.connect(self._grid_finished)
        self.worker.compare_progress.connect(self.compare_tab.show_progress)
        self.worker.compare_finished.connect(self._compare_finished)
        self.worker.failed.connect(self._failed)
        self.map_worker = MapWorker()
        self.map_worker.moveToThread(self.thread)
        tab = self.hypergrid_tab
        tab.requested.connect(self._started)
        tab.cancel_button.clicked.connect(self.cancel)
        tab.requested.connect(self.map_worker.run)
        self.map_worker.progress.connect(tab.show_progress)
        self.map_worker.finished.connect(self._hypergrid_finished)
        self.map_worker.failed.connect(self._hypergrid_failed)
        self.thread.start()

    def _busy(self, busy: bool) -> None:
        for tab in (self.sweep_tab, self.compare_tab, self.hypergrid_tab):
            tab.set_busy(busy)

    @Slot(object)
    def _started(self, _request: dict) -> None:
        self._busy(True)

    def cancel(self) -> None:
        """A direct call, not a queued one: the flag is seen while the job runs."""
        self.worker.cancel()
        self.map_worker.cancel()

    @Slot(object)
    def _grid_finished(self, grid: PerceptronSweep) -> None:
        self._busy(False)
        self.sweep_tab.finished(grid)

    @Slot(object, object)
    def _compare_finished(self, comparison: Comparison, thumbnails: dict) -> None:
        self._busy(False)
        self.compare_tab.finished(comparison, thumbnails, self.worker.mode)

    @Slot(object)
    def _hypergrid_finished(self, result) -> None:
        self._busy(False)
        self.hypergrid_tab.finished(result)

    @Slot(str)
    def _hypergrid_failed(self, message: str) -> None:
        self._busy(False)
        self.hypergrid_tab.failed(message)

    @Slot(str)
    def _failed(self, message: str) -> None:
        self._busy(False)
        QMessageBox.warning(self, "Experiment", message)

    def closeEvent(self, event) -> None:
        """Closing only hides the window (it is opened again with Ctrl+E): a running
        experiment is cancelled, the thread stays for the next one."""
        self.cancel()
        super().closeEvent(event)

    def stop_soon(self) -> None:
        """The main window is closing: cancel the experiment and end the thread (no wait)."""
        self.cancel()
        self.thread.quit()

    def shutdown(self) -> None:
        """Stop the background thread for good and wait for it."""
        self.stop_soon()
        self.thread.wait(THREAD_STOP_SECONDS * 1000)
        self.close()
