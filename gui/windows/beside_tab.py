"""The Check my code window's "Train mine beside the reference" tab: the student's MLP and
perceptron trained on the same data, from the same weights and with the same batches as the
app's reference, shown side by side, and one sentence each saying whether (and from which
update) they differ."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gui.views.beside_plots import (
    PLANE_INK,
    PlanePlot,
    accuracy_plot,
    boundary_lines,
    loss_plot,
    perceptron_line,
    perceptron_regions,
    who_pen,
)
from model.checking.beside_reference import MlpPlan, MlpSnapshot, mlp_verdict
from model.checking.perceptron_beside import PerceptronOutcome, PerceptronPlan, perceptron_verdict

HOW_TO_READ = (
    "How to read the plots: the reference is a wide, pale line and yours a dashed line on "
    "top of it. Where your code is right, your dashes run exactly along the middle of the "
    "reference's line; where it is wrong, they leave it."
)


def _label(bold: bool = False) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if bold:
        font = QFont(label.font())
        font.setBold(True)
        label.setFont(font)
    return label


class BesideTab(QWidget):
    """The button, the progress, and for the MLP and the perceptron a verdict and plots."""

    train_requested = Signal()
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.train_button = QPushButton("Train mine beside the reference")
        self.train_button.setToolTip(
            "Train your MLP on the main window's data and your perceptron on two Gaussians, "
            "beside the app's own, from the same starting weights"
        )
        self.train_button.clicked.connect(self.train_requested)
        self.stop_button = QPushButton("Stop")
        self.stop_button.clicked.connect(self.stop_requested)
        self.progress = QProgressBar()
        self.progress.setFormat("update %v of %m")
        self.status = _label()
        self.how_to_read = _label()
        self.how_to_read.setText(HOW_TO_READ)
        top = QHBoxLayout()
        top.addWidget(self.train_button)
        top.addWidget(self.progress, 1)
        top.addWidget(self.stop_button)
        # The MLP: both boundaries and both sets of loss curves.
        self.mlp_plan_label = _label()
        self.mlp_verdict = _label(bold=True)
        self.reference_plane = PlanePlot("Reference")
        self.yours_plane = PlanePlot("Yours, over the reference's boundary")
        self.losses = loss_plot()
        mlp_box = QGroupBox("Your MLP (mlp_numpy.py with modules.py) on the main window's data")
        mlp_plots = QHBoxLayout()
        for plot in (self.reference_plane, self.yours_plane, self.losses):
            plot.setMinimumSize(240, 220)
            mlp_plots.addWidget(plot, 1)
        mlp_layout = QVBoxLayout(mlp_box)
        mlp_layout.addWidget(self.mlp_verdict)
        mlp_layout.addWidget(self.mlp_plan_label)
        mlp_layout.addLayout(mlp_plots, 1)
        # The perceptron: its line beside the batch rule's.
        self.perceptron_plan_label = _label()
        self.perceptron_verdict = _label(bold=True)
        self.perceptron_plane = PlanePlot("The lines after the last epoch")
        self.accuracy = accuracy_plot()
        perceptron_box = QGroupBox("Your perceptron (perceptron.py) on the Part I data")
        perceptron_plots = QHBoxLayout()
        for plot in (self.perceptron_plane, self.accuracy):
            plot.setMinimumSize(240, 200)
            perceptron_plots.addWidget(plot, 1)
        perceptron_plots.addStretch(1)  # the two plots as wide as the MLP's first two
        perceptron_layout = QVBoxLayout(perceptron_box)
        perceptron_layout.addWidget(self.perceptron_verdict)
        perceptron_layout.addWidget(self.perceptron_plan_label)
        perceptron_layout.addLayout(perceptron_plots, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.how_to_read)
        layout.addWidget(mlp_box, 3)
        layout.addWidget(perceptron_box, 2)
        self.last_mlp: MlpSnapshot | None = None
        self.last_perceptron: PerceptronOutcome | None = None
        self._perceptron_plan: PerceptronPlan | None = None
        self.running = False
        self.set_folder(None)

    # ----- state -----
    def set_folder(self, path: str | None) -> None:
        """A folder to train from (None: none chosen yet); what was shown is cleared."""
        self._folder = path
        self.set_running(False)
        self.progress.hide()
        self.status.setText(
            "Choose a folder first." if path is None else "Press the button to train yours."
        )
        self.clear()

    def clear(self) -> None:
        self.last_mlp = None
        self.last_perceptron = None
        for label in (
            self.mlp_verdict,
            self.mlp_plan_label,
            self.perceptron_verdict,
            self.perceptron_plan_label,
        ):
            label.clear()
        for plane in (self.reference_plane, self.yours_plane, self.perceptron_plane):
            plane.set_image(None)
            plane.clear_lines()
        self.losses.clear_curves()
        self.accuracy.clear_curves()

    def set_running(self, running: bool) -> None:
        self.running = running
        self.stop_button.setEnabled(running)
        self.stop_button.setVisible(running)
        self.train_button.setEnabled(not running and self._folder is not None)

    def start(self, mlp: MlpPlan | None, perceptron: PerceptronPlan | None, why: str) -> None:
        """A run begins: what each side trains on (``why``: why the MLP cannot, if so)."""
        self.clear()
        self.set_running(True)
        self.progress.setVisible(mlp is not None)
        self.progress.setRange(0, mlp.updates if mlp is not None else 1)
        self.progress.setValue(0)
        self.status.setText("Starting your code in a process of its own …")
        if mlp is not None:
            text = mlp.describe()
            if mlp.notes:
                text += " The course's MLP has ReLU and plain gradient descent, so: "
                text += "; ".join(mlp.notes) + "."
            self.mlp_plan_label.setText(text)
            for plane in (self.reference_plane, self.yours_plane):
                plane.set_points(mlp.dataset, mlp.extent())
        else:
            self.mlp_verdict.setText(why)
        self._perceptron_plan = perceptron
        if perceptron is not None:
            self.perceptron_plan_label.setText(perceptron.describe())
            self.perceptron_plane.set_points(perceptron.dataset, perceptron.extent())

    def finish(self) -> None:
        """The run is over (not stopped): say so."""
        self.set_running(False)
        self.status.setText("Done. Train again after changing your code or the main window.")

    def stopped(self) -> None:
        """Stopped by the student: said at once, whatever the worker still sends."""
        self.set_running(False)
        self.status.setText("Stopped.")
        if self.last_mlp is not None and not self.last_mlp.finished:
            self.mlp_verdict.setText(
                f"Stopped at update {self.last_mlp.update}. {mlp_verdict(self.last_mlp)}"
            )

    # ----- results -----
    def show_mlp(self, snapshot: MlpSnapshot | str) -> None:
        """The run so far, or a line saying why the student's MLP could not be trained."""
        if isinstance(snapshot, str):
            self.mlp_verdict.setText(snapshot)
            return
        self.last_mlp = snapshot
        if not (snapshot.finished or snapshot.error or snapshot.stopped):
            self.status.setText("Training both …")
        self.progress.setRange(0, snapshot.total)
        self.progress.setValue(snapshot.update)
        verdict = mlp_verdict(snapshot)
        if snapshot.error:
            verdict = f"{verdict} Then {snapshot.error}"
        self.mlp_verdict.setText(verdict)
        self.losses.set_curves(snapshot.curves)
        leaves = snapshot.leaves
        self.losses.mark(leaves, f"Loss: yours leaves the reference at update {leaves}")
        if snapshot.reference_grid is None:
            return
        colour = PLANE_INK
        theirs = boundary_lines(snapshot.reference_grid, snapshot.extent)
        yours = boundary_lines(snapshot.yours_grid, snapshot.extent)
        self.reference_plane.set_image(snapshot.reference_grid)
        self.yours_plane.set_image(snapshot.yours_grid)
        self.reference_plane.set_line("reference", *theirs, who_pen(colour, False))
        self.yours_plane.set_line("reference", *theirs, who_pen(colour, False))
        self.yours_plane.set_line("yours", *yours, who_pen(colour, True))

    def show_perceptron(self, outcome: PerceptronOutcome | str) -> None:
        """The perceptrons' lines and accuracies, or a line saying why yours could not run."""
        if isinstance(outcome, str) or self._perceptron_plan is None:
            self.perceptron_verdict.setText(str(outcome))
            return
        self.last_perceptron = outcome
        plan = self._perceptron_plan
        self.perceptron_verdict.setText(perceptron_verdict(outcome, plan))
        plane = self.perceptron_plane
        plane.set_image(perceptron_regions(outcome.reference[-1], outcome.extent))
        for name, weights in (("reference", outcome.reference), ("yours", outcome.yours)):
            line = perceptron_line(weights[-1], outcome.extent)
            plane.set_line(name, *line, who_pen(PLANE_INK, name == "yours"))
        self.accuracy.set_curves(outcome.accuracy)
        at = outcome.leaves
        self.accuracy.mark(at, f"Test accuracy: yours leaves at epoch {at}")
