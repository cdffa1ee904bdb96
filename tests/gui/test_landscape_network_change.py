"""The network changes while paused with the Loss landscape open: the slice of the old
network is dropped, never mixed with the new one (its line was built from the new initial
weights and the old centre, and raised on every tick), and the landscape the next frame
brings is the new network's slice."""

import sys
from dataclasses import replace

import numpy as np
import pytest

from gui.workers.landscape_work import LandscapeRequest
from gui.workers.worker import TrainingWorker
from model.config import DataConfig, ExperimentConfig, ModelConfig

TIMEOUT = 20_000


@pytest.fixture
def exceptions(monkeypatch):
    """Uncaught exceptions anywhere, the training thread's slots included."""
    caught = []
    monkeypatch.setattr(sys, "excepthook", lambda kind, value, tb: caught.append(value))
    return caught


def centre_loss(landscape) -> float:
    return float(landscape.loss[len(landscape.b) // 2, len(landscape.a) // 2])


def test_a_new_network_while_a_paused_slice_is_under_way_gets_its_own_slice(qtbot, exceptions):
    """The worker driven here, in the test's thread, so the order is certain: its frame is
    still in flight (not acknowledged) when the network changes, so no frame restarts the
    slice, and the slice of the old network finishes its grid after the change."""
    config = ExperimentConfig(data=DataConfig("moons", n_samples=200))
    worker = TrainingWorker(config)
    frames = []
    worker.frame_ready.connect(frames.append)
    worker.start()  # the first frame goes out and waits for its acknowledgement
    worker.landscape.set_request(LandscapeRequest(shown=True, resolution=5))  # paused: starts
    worker.set_config(replace(config, model=ModelConfig(hidden=(7, 5))))
    new = worker.trainer
    assert new.model.widths == [2, 7, 5, 2]
    job = worker.landscape
    try:
        qtbot.waitUntil(
            lambda: bool(exceptions) or (job._unsent is not None and job._unsent.line is not None),
            timeout=TIMEOUT,
        )
        assert exceptions == []
        worker.acknowledge()  # the view drew the first frame: the next one goes out
        landscape = frames[-1].landscape
        assert frames[-1].generation == worker.generation == 2
        assert landscape.complete and landscape.loss.shape == (5, 5)
        assert np.isfinite(landscape.loss).all()
        assert centre_loss(landscape) == new.history[-1].train_loss  # the new network's
        assert landscape.line.train[0] == pytest.approx(centre_loss(landscape), rel=1e-9)
    finally:
        worker.stop()
    assert exceptions == []
