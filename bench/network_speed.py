"""Frame rate with the network view open, and how long a mouse move over the diagram takes.

Run: .venv/bin/python bench/network_speed.py [--seconds 8] [--hover-only]

Hover: for 2-20-2 and for the largest network the panels allow (eight hidden layers of 256,
458,752 links), a network view the size of the Network dock's diagram in a 1280 x 800 window
gets real mouse-move events at random points and at points on drawn links; prints the
median, 99th percentile and worst time per move (goal: under 5 ms), hit test and read-out
included.

Frames: plays moons at full speed offscreen with the Network dock shown, for 2-20-2 and for
2-32x6-2 (six hidden layers of 32), and prints frames drawn per second (goal: at least 20),
the 99th-percentile event-loop stall and training updates per second for each.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from gui_speed import window_run  # noqa: E402

from model.config import ExperimentConfig, ModelConfig  # noqa: E402

DOCK_DIAGRAM = (1264, 280)  # the diagram's size in pixels, Network dock open, 1280 x 800 window


def hover_times(hidden: tuple[int, ...], moves: int = 1000) -> dict[str, np.ndarray]:
    """Milliseconds per mouse move over a view of ``2-hidden-2``: at random points, and on
    drawn links (the hit test's slow path: distances to the links of one or two gaps)."""
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from gui.app import configure_pyqtgraph
    from gui.views.network_view import NetworkView
    from model.nn.mlp import MLP
    from model.nn.network_snapshot import snapshot_network

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication([])
    view = NetworkView()
    view.resize(*DOCK_DIAGRAM)
    view.show()
    app.processEvents()
    view.show_snapshot(snapshot_network(MLP(2, list(hidden), 2, seed=0), (-2, 3, -1.5, 2), 24))
    app.processEvents()
    box, viewport = view.getViewBox(), view.viewport()
    rng = np.random.default_rng(0)
    width, height = box.width(), box.height()
    random_points = np.column_stack([rng.uniform(0, width, moves), rng.uniform(0, height, moves)])
    segments = np.concatenate([s for _, s in view.links.drawn if len(s)])
    chosen = segments[rng.integers(0, len(segments), moves)]
    along = rng.uniform(0.1, 0.9, (moves, 1))
    link_points = chosen[:, 0] + along * (chosen[:, 1] - chosen[:, 0])
    link_points = link_points[(link_points[:, 1] > 0) & (link_points[:, 1] < height)]

    def timed(points: np.ndarray) -> np.ndarray:
        times = []
        for x, y in points:
            local = view.mapFromScene(box.mapViewToScene(QPointF(x, y)))
            event = QMouseEvent(
                QEvent.Type.MouseMove,
                QPointF(local),
                QPointF(viewport.mapToGlobal(local)),
                Qt.MouseButton.NoButton,
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
            )
            began = time.perf_counter()
            QApplication.sendEvent(viewport, event)
            times.append(time.perf_counter() - began)
        return np.array(times) * 1e3

    result = {"random points": timed(random_points), "on links": timed(link_points)}
    view.close()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--hover-only", action="store_true", help="skip the frame-rate runs")
    args = parser.parse_args()
    print(f"hover, view of {DOCK_DIAGRAM[0]} x {DOCK_DIAGRAM[1]} pixels: ms per mouse move")
    print(f"{'network':<26}{'where':<16}{'median':>8}{'p99':>8}{'worst':>8}")
    for hidden in ((20,), (256,) * 8):
        name = "2-" + "-".join(map(str, hidden)) + "-2" if len(hidden) < 3 else "2-256x8-2"
        for where, ms in hover_times(hidden).items():
            print(
                f"{name:<26}{where:<16}{np.median(ms):>8.2f}{np.percentile(ms, 99):>8.2f}"
                f"{ms.max():>8.2f}"
            )
    print("goal: under 5 ms per move for every network")
    if args.hover_only:
        return
    print()
    print(f"{'network':<26}{'frames/s':>10}{'stall p99 ms':>14}{'updates/s':>11}")
    for hidden in ((20,), (32,) * 6):
        config = ExperimentConfig(model=ModelConfig(hidden=hidden))
        result = window_run(config, args.seconds, network=True)
        name = "2-" + "-".join(map(str, hidden)) + "-2"
        print(
            f"{name:<26}{result['fps']:>10.1f}{result['stall_p99']:>14.1f}"
            f"{result['updates_per_s']:>11.0f}"
        )
    print("goal: at least 20 frames per second for both")


if __name__ == "__main__":
    main()
