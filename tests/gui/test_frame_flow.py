"""Frames from the training thread, seen as the window sees them: through the playground
(``gui.controller``) and its worker, with no main window in between.

Two promises of the design: at most one frame is in flight (a window that has not
acknowledged is sent nothing more, while training goes on), and every frame is made of fresh
arrays (a queued signal passes a reference: a reused buffer would be drawn while the worker
overwrites it).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from gui.controller import Playground
from gui.workers.frames import Frame
from model.config import ExperimentConfig, ModelConfig

TIMEOUT = 20_000
STALL_MS = 500  # how long the stalled window watches: the worker sends ~27 frames a second
MIN_PROGRESS = 100  # updates done while stalled (the default run does thousands a second)


class Receiver:
    """The window's end of the playground: it keeps every frame and acknowledges each one
    when ``acknowledging``, else only when told to (a window stalled in painting)."""

    def __init__(self, playground: Playground, acknowledging: bool) -> None:
        self.playground = playground
        self.acknowledging = acknowledging
        self.frames: list[Frame] = []
        playground.frame_ready.connect(self.receive)

    def receive(self, frame: Frame) -> None:
        self.frames.append(frame)
        if self.acknowledging:
            self.acknowledge()

    def acknowledge(self) -> None:
        self.playground.frame_drawn()


@pytest.fixture
def run_worker():
    """The real playground (worker and thread, wired as the window uses them) without a
    window; shut down after the test as closing the window does."""
    running = []

    def run(config: ExperimentConfig, acknowledging: bool) -> Receiver:
        playground = Playground(config, show_config=lambda c: c, split_settings=lambda: (0.8, 0))
        receiver = Receiver(playground, acknowledging)
        running.append(playground)
        playground.start(updates_per_second=0.0)
        return receiver

    yield run
    for playground in running:
        playground.shutdown()
        thread = playground.thread
        stopped = not thread.isRunning()
        if not stopped:  # never leave a running QThread to be destroyed: that aborts
            thread.quit()
            thread.wait()
        assert stopped, "the worker's thread did not end after interrupt and stop"


def stays_false(qtbot, condition, ms: int) -> bool:
    """Whether ``condition`` stays false for ``ms`` while the event loop runs (queued frames
    are delivered meanwhile); returns as soon as it turns true."""
    try:
        qtbot.waitUntil(condition, timeout=ms)
    except qtbot.TimeoutError:
        return True
    return False


def test_a_stalled_window_has_one_frame_outstanding_while_training_goes_on(qtbot, run_worker):
    receiver = run_worker(ExperimentConfig(), acknowledging=False)
    frames = receiver.frames
    qtbot.waitUntil(lambda: len(frames) == 1, timeout=TIMEOUT)  # the frame of the fresh run
    assert frames[0].update == 0 and not frames[0].playing

    # at full speed; the first frame is still not acknowledged
    receiver.playground.request_play.emit()
    assert stays_false(qtbot, lambda: len(frames) > 1, STALL_MS), (
        f"{len(frames)} frames sent to a window that acknowledged none"
    )
    receiver.acknowledge()
    qtbot.waitUntil(lambda: len(frames) == 2, timeout=TIMEOUT)  # the held-back frame, at once
    assert frames[1].playing
    progress = frames[1].update - frames[0].update
    assert progress >= MIN_PROGRESS, f"only {progress} updates while the window was stalled"

    # Stalled again, on a frame sent while playing: still nothing more until acknowledged.
    assert stays_false(qtbot, lambda: len(frames) > 2, STALL_MS), (
        f"{len(frames) - 1} frames outstanding after one acknowledgement"
    )
    receiver.playground.request_pause.emit()  # the paused state is held back too, not lost
    assert stays_false(qtbot, lambda: len(frames) > 2, 100)
    receiver.acknowledge()
    qtbot.waitUntil(lambda: len(frames) == 3, timeout=TIMEOUT)
    progress = frames[2].update - frames[1].update
    assert progress >= MIN_PROGRESS, f"only {progress} updates while stalled again"
    assert not frames[2].playing


def array_fields(value, path: str = "frame"):
    """Every ndarray reachable from ``value`` through dataclass fields, lists, tuples and
    dicts, with where it was found: a field added to Frame later is covered too."""
    if isinstance(value, np.ndarray):
        yield path, value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from array_fields(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from array_fields(item, f"{path}[{i}]")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from array_fields(item, f"{path}[{key!r}]")


def read_only(array: np.ndarray) -> bool:
    """Nobody can write it: neither the array nor any array it is a view of."""
    while isinstance(array, np.ndarray):
        if array.flags.writeable:
            return False
        array = array.base
    return True


def shared_buffers(earlier: Frame, later: Frame) -> list[str]:
    """Pairs of arrays of two frames that share memory, unless both are read-only (the
    dataset's arrays: never edited, so safe to share, as frames.py says)."""
    before = list(array_fields(earlier))
    shared = []
    for path, array in array_fields(later):
        for old_path, old in before:
            if np.shares_memory(array, old) and not (read_only(array) and read_only(old)):
                shared.append(f"{old_path} and {path}")
    return shared


MLP = ExperimentConfig()
PERCEPTRON = ExperimentConfig(model=ModelConfig(kind="perceptron"))
EVERY_FRAME = ["probabilities", "image", "predictions_train", "predictions_test"]


@pytest.mark.parametrize(
    ("config", "network", "expected"),
    [
        (MLP, True, [*EVERY_FRAME, "network.weights[0]", "network.maps[1]"]),
        (PERCEPTRON, False, [*EVERY_FRAME, "perceptron_weights", "perceptron_update.gradient"]),
    ],
    ids=["mlp-with-network-view", "perceptron"],
)
def test_no_two_frames_share_a_buffer(qtbot, run_worker, config, network, expected):
    receiver = run_worker(config, acknowledging=True)
    frames = receiver.frames
    qtbot.waitUntil(lambda: len(frames) >= 1, timeout=TIMEOUT)
    if network:
        receiver.playground.request_network.emit(True)
    # paused frames: evaluated, network and perceptron update
    receiver.playground.request_step.emit()
    receiver.playground.request_step.emit()
    qtbot.waitUntil(lambda: frames[-1].update == 2, timeout=TIMEOUT)
    for _ in range(20):  # frames while playing, then a paused one, until a few were playing
        target = frames[-1].update + 2000
        receiver.playground.request_updates.emit(2000)
        qtbot.waitUntil(
            lambda target=target: frames[-1].update == target and not frames[-1].playing,
            timeout=TIMEOUT,
        )
        if sum(frame.playing for frame in frames) >= 3:
            break
    receiver.playground.request_step.emit()
    qtbot.waitUntil(lambda: frames[-1].update == target + 1, timeout=TIMEOUT)

    found = {path.removeprefix("frame.") for frame in frames for path, _ in array_fields(frame)}
    missing = [name for name in expected if name not in found]
    assert not missing, f"no frame carried {missing}: the check would see nothing"
    assert sum(frame.playing for frame in frames) >= 3
    # The one just before first, then every earlier one: the window may keep showing part of
    # an earlier frame (a network snapshot stays drawn while frames come without one).
    for k, later in enumerate(frames[1:], start=1):
        for j in reversed(range(k)):
            shared = shared_buffers(frames[j], later)
            assert not shared, f"frames {j} and {k} of {updates(frames)} share {shared}"


def updates(frames: list[Frame]) -> list[str]:
    return [f"{frame.update}{'' if frame.playing else 'p'}" for frame in frames]
