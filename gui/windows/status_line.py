"""The status bar's permanent line: where the run is and its latest figures."""

from __future__ import annotations

from gui.workers.frames import Frame
from model.playground.trainer import PLAYGROUND_RULES, PlaygroundDataset
from model.training.history import HistoryPoint


def status_text(frame: Frame, last: HistoryPoint | None) -> str:
    """``epoch 2.125   update 17   train loss ... acc ...   test loss ... acc ...   N updates/s``;
    a regression has no accuracy: ``train MSE ...   test MSE ...``. A run under Playground's
    rules says so first, and names its loss as Playground does (``Training loss``, ``Test
    loss``: the mean of half the squared error)."""
    regression = frame.dataset is not None and frame.dataset.is_regression
    playground = isinstance(frame.dataset, PlaygroundDataset)
    figures = ""
    if last is not None and playground:
        figures = f"   Training loss {last.train_loss:.4f}   Test loss {last.test_loss:.4f}"
        if not regression:
            figures += f"   acc {last.train_accuracy:.3f} / {last.test_accuracy:.3f}"
    elif last is not None and regression:
        figures = f"   train MSE {last.train_loss:.4g}   test MSE {last.test_loss:.4g}"
    elif last is not None:
        figures = (
            f"   train loss {last.train_loss:.4f}  acc {last.train_accuracy:.3f}   "
            f"test loss {last.test_loss:.4f}  acc {last.test_accuracy:.3f}"
        )
    rate = f"   {frame.updates_per_second:,.0f} updates/s" if frame.playing else ""
    epoch = f"{frame.epoch:.3f}".rstrip("0").rstrip(".")  # 300, or 2.125 mid-epoch
    rules = f"{PLAYGROUND_RULES}   " if playground else ""
    return f"{rules}epoch {epoch}   update {frame.update}{figures}{rate}"
