"""The Loss landscape dock: opened, frames carry a slice centred on the model's loss; it draws
offscreen, follows a step and a run; the perceptron and regression work; closed, work stops."""

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig

TIMEOUT = 20_000


def landscape_of(window):
    frame = window.playground.last_frame
    return None if frame is None else window.landscape_dock.view.landscape


def open_view(qtbot, window) -> None:
    window.menu_actions.landscape_toggle.trigger()
    qtbot.waitUntil(lambda: window.landscape_dock.shows_update(0), timeout=TIMEOUT)


def centre_loss(landscape) -> float:
    return float(landscape.loss[len(landscape.b) // 2, len(landscape.a) // 2])


def test_the_centre_is_the_current_training_loss_and_a_step_moves_it(qtbot, window):
    open_view(qtbot, window)
    dock = window.landscape_dock
    first = dock.view.landscape
    assert first.a[len(first.a) // 2] == 0 and first.b[len(first.b) // 2] == 0
    assert np.isfinite(first.loss).all() and first.loss.shape == (41, 41)
    assert centre_loss(first) == pytest.approx(window.curves.history.last.train_loss, rel=1e-9)
    assert dock.view.image.image is not None  # drawn
    assert "plane" in dock.caption.text()
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: dock.shows_update(1), timeout=TIMEOUT)
    second = dock.view.landscape
    assert centre_loss(second) == pytest.approx(window.curves.history.last.train_loss, rel=1e-9)
    assert centre_loss(second) != centre_loss(first)
    assert len(second.path) == len(first.path) + 1  # the path gained the new point
    assert np.allclose(second.path[-1], 0.0, atol=1e-9)  # now: the centre
    assert second.line is not None and second.line.t[0] == 0 and second.line.t[-1] == 1
    assert second.line.train[-1] == pytest.approx(centre_loss(second), rel=1e-6)
    x, _ = dock.view.path.getData()
    assert len(x) == len(second.path)


def test_the_map_follows_a_run_and_reads_the_loss_under_the_mouse(qtbot, window):
    open_view(qtbot, window)
    dock = window.landscape_dock
    window.playground.request_updates.emit(300)
    qtbot.waitUntil(lambda: dock.shows_update(300), timeout=TIMEOUT)
    landscape = dock.view.landscape
    assert landscape.plane == "pca" and 0 < landscape.explained <= 1
    assert "variance captured" in dock.caption.text()
    assert len(landscape.path) >= 3
    text = dock.view.describe_at(0.0, 0.0)
    assert text == f"(a, b) = (0, 0): loss {centre_loss(landscape):.4g}"
    dock.plane.setCurrentIndex(dock.plane.findData("random"))
    qtbot.waitUntil(
        lambda: dock.view.landscape.plane == "random" and dock.shows_update(300), timeout=TIMEOUT
    )
    assert "Random" in dock.caption.text()
    dock.resolution.setValue(21)
    qtbot.waitUntil(lambda: dock.view.landscape.loss.shape == (21, 21), timeout=TIMEOUT)


@pytest.mark.parametrize(
    "config",
    [
        ExperimentConfig(model=ModelConfig(kind="perceptron")),
        ExperimentConfig(data=DataConfig(name="plane", problem="regression")),
    ],
    ids=["perceptron", "regression"],
)
def test_the_perceptron_and_regression_have_a_landscape(qtbot, window, config):
    window.playground.load_config(config)
    qtbot.waitUntil(lambda: window.playground.last_frame.generation > 0, timeout=TIMEOUT)
    window.controls.step_action.trigger()
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 1, timeout=TIMEOUT)
    window.menu_actions.landscape_toggle.trigger()
    dock = window.landscape_dock
    qtbot.waitUntil(lambda: dock.shows_update(1), timeout=TIMEOUT)
    loss = window.curves.history.last.train_loss
    assert centre_loss(dock.view.landscape) == pytest.approx(loss, rel=1e-9, abs=1e-12)


def test_closing_the_view_stops_the_work(qtbot, window):
    open_view(qtbot, window)
    window.menu_actions.landscape_toggle.trigger()
    job = window.playground.worker.landscape
    qtbot.waitUntil(lambda: not job.request.shown, timeout=TIMEOUT)
    window.playground.request_updates.emit(200)
    qtbot.waitUntil(lambda: window.playground.last_frame.update == 200, timeout=TIMEOUT)
    assert window.playground.last_frame.landscape is None
    assert job._slice is None


def test_a_slow_slice_shows_the_whole_map_coarse_then_sharp(qtbot, window):
    """A network whose slice takes seconds: previews fill the map from a coarse lattice,
    the caption says how much is computed, then the whole slice replaces them."""
    window.playground.load_config(ExperimentConfig(model=ModelConfig(hidden=(64,) * 4)))
    qtbot.waitUntil(lambda: window.playground.last_frame.generation > 0, timeout=TIMEOUT)
    previews = []
    window.playground.frame_ready.connect(
        lambda frame: (
            frame.landscape is not None
            and not frame.landscape.complete
            and previews.append(frame.landscape)
        )
    )
    window.menu_actions.landscape_toggle.trigger()
    dock = window.landscape_dock
    qtbot.waitUntil(lambda: any(p.preview is not None for p in previews), timeout=TIMEOUT)
    if not dock.shows_update(0):
        assert "Sharpening" in dock.caption.text()
    coarse = next(p for p in previews if p.preview is not None)
    assert np.isfinite(coarse.preview).all() and np.isnan(coarse.loss).any()
    assert 0 < coarse.progress < 1
    qtbot.waitUntil(lambda: dock.shows_update(0), timeout=60_000)
    assert "Sharpening" not in dock.caption.text()
    assert np.isfinite(dock.view.landscape.loss).all()


def test_training_shares_the_processor_with_the_window(window):
    """BLAS threads that spin beside a painting window slow both: training gets the other
    cores (gui/workers/sharing.py), set once the worker has started, for NumPy's BLAS."""
    from threadpoolctl import threadpool_info

    from gui.workers.sharing import blas_threads

    pools = threadpool_info()
    blas = [p for p in pools if p["user_api"] == "blas" and "numpy" in p["filepath"]]
    assert blas and all(pool["num_threads"] == blas_threads() for pool in blas)


def test_the_bottom_docks_are_tabs_that_leave_the_views_room(qtbot, window):
    """Network and Loss landscape share the bottom as tabs; the one opened comes to the front,
    and on a small window the boundary and curves keep their height."""
    window.resize(1024, 640)
    window.menu_actions.network_toggle.trigger()
    window.menu_actions.landscape_toggle.trigger()
    dock = window.landscape_dock
    network = window.network_dock
    in_front = lambda d: d.isVisible() and not d.visibleRegion().isEmpty()  # noqa: E731
    qtbot.waitUntil(lambda: in_front(dock) and not in_front(network))
    assert window.tabifiedDockWidgets(dock) == [network]
    job = window.playground.worker.landscape
    qtbot.waitUntil(lambda: dock.seen and job.request.shown)
    qtbot.waitUntil(lambda: window.boundary.height() >= 250, timeout=TIMEOUT)
    window.menu_actions.network_toggle.trigger()  # closed: the landscape alone
    window.menu_actions.network_toggle.trigger()  # opened again: to the front
    qtbot.waitUntil(lambda: in_front(network) and not in_front(dock))
    qtbot.waitUntil(lambda: not job.request.shown)  # behind its tab: no work
