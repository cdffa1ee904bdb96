"""Saved work: a whole training session in one NumPy ``.npz`` file.

The file holds the configuration (as JSON text), the data the run trains on, the weights,
the optimizer's state, the shuffling generator's state, the position in the current epoch
and the history, so that a run opened again continues with exactly the numbers it would
have produced. It is written atomically and read without pickles; anything that does not
fit is refused whole with a ``SessionError`` saying what is wrong.
"""

from __future__ import annotations

import io
import json
import math
import os
import zipfile
from pathlib import Path

import numpy as np

from model.config import ExperimentConfig
from model.data.datasets import Dataset
from model.io.safe_files import UnreadableFile, read_limited, write_atomic
from model.limits import MAX_CLASSES, MAX_COORDINATE, MAX_TARGET
from model.training.history import HISTORY_LIMIT, HistoryPoint
from model.training.snapshots import SNAPSHOT_LIMIT
from model.training.trainer import Trainer, TrainerState, build_trainer

FORMAT = "neural-playground-session"
VERSION = 1
SUFFIX = ".npz"
# The largest session the app can make: 100,000 points, 8 x 256 weights with optimizer state,
# and a long history stay well within these.
MAX_FILE_BYTES = 256 * 2**20
MAX_EXPANDED_BYTES = 512 * 2**20
MAX_HISTORY = 2 * HISTORY_LIMIT  # the app keeps at most HISTORY_LIMIT; older files fewer
MAX_SNAPSHOTS = 2 * SNAPSHOT_LIMIT


class SessionError(ValueError):
    """A session file that cannot be opened; the message is one line for the user."""


def session_arrays(config: ExperimentConfig, trainer: Trainer) -> dict[str, np.ndarray]:
    """Everything needed to continue ``trainer`` exactly, as named arrays."""
    d = trainer.dataset
    state = trainer.state()
    history = np.array([p.row() for p in state.history], dtype=np.float64).reshape(-1, 7)
    arrays = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "config": np.array(json.dumps(config.to_dict())),
        "class_names": np.array(json.dumps(list(d.class_names))),
        "n_classes": np.array(d.n_classes),
        "X_train": d.X_train,
        "y_train": d.y_train,
        "X_test": d.X_test,
        "y_test": d.y_test,
        "parameters": state.parameters,
        "counters": np.array(
            [state.updates, state.epochs_completed, state.batch_in_epoch], dtype=np.int64
        ),
        "seconds": np.array(state.seconds),
        "stopped_reason": np.array(state.stopped_reason or ""),
        "rng_state": np.array(json.dumps(state.rng_state)),
        "X_epoch": state.X_epoch,
        "y_epoch": state.y_epoch,
        "history": history,
        "history_thinned_before": np.array(state.history_thinned_before),
    }
    if state.start_loss is not None:  # absent from files written before it was kept
        arrays["start_loss"] = np.array(state.start_loss)
    if state.perceptron_epochs is not None:
        arrays["perceptron_epochs"] = np.array(state.perceptron_epochs)
    for key, value in state.optimizer.items():
        arrays[f"optimizer_{key}"] = value
    if state.snapshots is not None:  # the loss landscape's path (absent from older files)
        arrays["snapshot_updates"] = np.array(state.snapshots[0], dtype=np.int64)
        arrays["snapshots"] = state.snapshots[1]
    if state.initial_parameters is not None:
        arrays["initial_parameters"] = state.initial_parameters
    return arrays


def save_session(path: str | os.PathLike, config: ExperimentConfig, trainer: Trainer) -> None:
    """Write the session to ``path`` all at once (OSError if it cannot be written)."""
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **session_arrays(config, trainer))
    write_atomic(path, buffer.getvalue())


def _text(arrays, key: str) -> str:
    value = arrays[key]
    if value.dtype.kind != "U" or value.shape != ():
        raise SessionError(f"its {key} entry is not text")
    return str(value)


def _read_arrays(path: str | os.PathLike) -> dict[str, np.ndarray]:
    name = Path(path).name
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except UnreadableFile as error:
        raise SessionError(f"{name} was not opened: it {error}") from None
    except OSError as error:
        raise SessionError(f"{name} could not be read: {error.strerror or error}") from None
    if raw[:4] != b"PK\x03\x04":
        raise SessionError(f"{name} is not a Neural Playground session (not an .npz file)")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            # A small file can expand to gigabytes: check the declared sizes before reading.
            # zipfile stops each member at its declared size, so the check holds.
            expanded = sum(member.file_size for member in archive.infolist())
        if expanded > MAX_EXPANDED_BYTES:
            raise SessionError(
                f"{name} was not opened: its contents would take {expanded / 2**20:,.0f} MB, "
                f"more than the {MAX_EXPANDED_BYTES / 2**20:.0f} MB a session may have"
            )
        with np.load(io.BytesIO(raw), allow_pickle=False) as archive:
            return {key: archive[key] for key in archive.files}
    except SessionError:
        raise
    except Exception as error:  # zlib, zipfile, format and OS errors alike: the file is bad
        raise SessionError(f"{name} is damaged or truncated ({error})") from None


def load_session(path: str | os.PathLike) -> tuple[ExperimentConfig, Trainer]:
    """The configuration and a Trainer in exactly the saved state; SessionError otherwise."""
    name = Path(path).name
    arrays = _read_arrays(path)
    try:
        return _restore(arrays)
    except SessionError as error:
        raise SessionError(f"{name} cannot be opened: {error}") from None
    except Exception as error:  # any entry of the wrong kind, shape or range
        what = f"missing entry {error}" if isinstance(error, KeyError) else str(error)
        raise SessionError(f"{name} cannot be opened: {what}") from None


def _restore(arrays: dict[str, np.ndarray]) -> tuple[ExperimentConfig, Trainer]:
    if "format" not in arrays or _text(arrays, "format") != FORMAT:
        raise SessionError("it is not a Neural Playground session")
    version = int(arrays["version"])
    if version < 1:
        raise SessionError(f"its format number {version} is not one this app wrote")
    if version > VERSION:
        raise SessionError(
            f"it was saved by a newer version (format {version}; this reads {VERSION})"
        )
    config = ExperimentConfig.from_dict(json.loads(_text(arrays, "config")))
    dataset = _restore_dataset(arrays, config)
    trainer = build_trainer(config, dataset)
    trainer.restore(_saved_state(arrays, trainer))
    return config, trainer


def _restore_dataset(arrays: dict[str, np.ndarray], config: ExperimentConfig) -> Dataset:
    X_train, X_test = (
        np.ascontiguousarray(arrays[k], dtype=np.float64) for k in ("X_train", "X_test")
    )
    regression = config.data.is_regression  # real targets and no classes (n_classes 0)
    target = np.float64 if regression else np.int64
    y_train, y_test = (np.asarray(arrays[k], dtype=target) for k in ("y_train", "y_test"))
    n_classes = float(arrays["n_classes"])
    if regression and n_classes != 0:
        raise SessionError("its regression data has a number of classes")
    if not regression and (n_classes != int(n_classes) or not 2 <= n_classes <= MAX_CLASSES):
        raise SessionError("its number of classes is not a whole number from 2 to 6")
    n_classes = int(n_classes)
    for X, y in ((X_train, y_train), (X_test, y_test)):
        if X.ndim != 2 or X.shape[1] != 2 or y.shape != (len(X),):
            raise SessionError("its data arrays have the wrong shapes")
        if regression:
            bad = not np.all(np.isfinite(y)) or (len(y) and np.abs(y).max() > MAX_TARGET)
        else:
            bad = len(y) and (y.min() < 0 or y.max() >= n_classes)
        if not np.all(np.isfinite(X)) or bad:
            raise SessionError("its data holds non-finite points or unknown classes")
        if len(X) and np.abs(X).max() > MAX_COORDINATE:
            raise SessionError(f"its data has coordinates beyond +-{MAX_COORDINATE:g}")
    if len(y_train) == 0:
        raise SessionError("it has no training points")
    for array in (X_train, y_train, X_test, y_test):
        array.setflags(write=False)
    names = tuple(json.loads(_text(arrays, "class_names")))
    return Dataset(
        X_train,
        y_train,
        X_test,
        y_test,
        n_classes,
        config.data.name,
        {"seed": config.data.seed},
        names if len(names) == n_classes else (),
        config.data.problem,
    )


def _same_rows(X_a: np.ndarray, y_a: np.ndarray, X_b: np.ndarray, y_b: np.ndarray) -> bool:
    """Whether (X_a, y_a) holds the same labelled points as (X_b, y_b), in any order."""
    a = np.column_stack([X_a, y_a])
    b = np.column_stack([X_b, y_b])
    order_a = np.lexsort(a.T[::-1])
    order_b = np.lexsort(b.T[::-1])
    return bool(np.array_equal(a[order_a], b[order_b]))


def _saved_state(arrays: dict[str, np.ndarray], trainer: Trainer) -> TrainerState:
    """The saved state, checked against ``trainer`` (built from the saved configuration)."""
    parameters = trainer.model.parameter_pairs()[0][0]
    saved = np.asarray(arrays["parameters"], dtype=np.float64)
    if saved.shape != parameters.shape:
        raise SessionError(
            f"its weights ({saved.size} numbers) do not fit the saved network "
            f"({parameters.size} numbers)"
        )
    if not np.all(np.isfinite(saved)):
        raise SessionError("its weights are not all finite numbers")
    optimizer = {
        key.removeprefix("optimizer_"): value
        for key, value in arrays.items()
        if key.startswith("optimizer_")
    }
    for key, value in optimizer.items():
        if key != "t" and np.shape(value) != parameters.shape:
            raise SessionError(f"its optimizer state {key} does not fit the weights")
    updates, epochs, batch_in_epoch = (int(v) for v in arrays["counters"])
    if min(updates, epochs, batch_in_epoch) < 0 or batch_in_epoch >= trainer.updates_per_epoch:
        raise SessionError("its training counters are out of range")
    seconds = float(arrays["seconds"])
    if not (math.isfinite(seconds) and seconds >= 0):
        raise SessionError("its training time is not a finite number of seconds")
    X_epoch, y_epoch = _epoch_order(arrays, trainer)
    history, thinned_before = _history(arrays, trainer.dataset.is_regression)
    start_loss = float(arrays.get("start_loss", math.nan))  # absent from older files
    return TrainerState(
        parameters=saved,
        optimizer=optimizer,
        updates=updates,
        epochs_completed=epochs,
        batch_in_epoch=batch_in_epoch,
        seconds=seconds,
        stopped_reason=_text(arrays, "stopped_reason") or None,
        rng_state=json.loads(_text(arrays, "rng_state")),
        X_epoch=X_epoch,
        y_epoch=y_epoch,
        history=history,
        history_thinned_before=thinned_before,
        start_loss=start_loss if math.isfinite(start_loss) else None,
        perceptron_epochs=int(arrays["perceptron_epochs"])
        if "perceptron_epochs" in arrays
        else None,
        snapshots=_snapshots(arrays, parameters.size, updates),
        initial_parameters=_initial_parameters(arrays, parameters.size),
    )


def _snapshots(
    arrays: dict[str, np.ndarray], size: int, updates: int
) -> tuple[list[int], np.ndarray] | None:
    """The weights at evaluation points, checked (None: a file written before they were)."""
    if "snapshots" not in arrays:
        return None
    rows = np.asarray(arrays["snapshots"], dtype=np.float64)
    at = np.asarray(arrays["snapshot_updates"])
    if rows.ndim != 2 or rows.shape[1] != size or at.shape != (len(rows),) or at.dtype.kind != "i":
        raise SessionError("its recorded weights do not fit the saved network")
    if len(rows) > MAX_SNAPSHOTS or not np.all(np.isfinite(rows)):
        raise SessionError(f"its recorded weights are not at most {MAX_SNAPSHOTS} finite rows")
    if len(at) and (at[0] < 0 or at[-1] > updates or np.any(np.diff(at) <= 0)):
        raise SessionError("its recorded weights' update numbers are out of order or range")
    return [int(u) for u in at], rows


def _initial_parameters(arrays: dict[str, np.ndarray], size: int) -> np.ndarray | None:
    if "initial_parameters" not in arrays:
        return None
    start = np.asarray(arrays["initial_parameters"], dtype=np.float64)
    if start.shape != (size,) or not np.all(np.isfinite(start)):
        raise SessionError("its initial weights do not fit the saved network")
    return start


def _epoch_order(arrays: dict[str, np.ndarray], trainer: Trainer) -> tuple[np.ndarray, np.ndarray]:
    """The current pass's order of the training set: a reordering of it."""
    X_epoch = np.asarray(arrays["X_epoch"], dtype=np.float64)
    y_epoch = np.asarray(arrays["y_epoch"], dtype=trainer.dataset.y_train.dtype)
    X_train, y_train = trainer.dataset.X_train, trainer.dataset.y_train
    if X_epoch.shape != X_train.shape or y_epoch.shape != y_train.shape:
        raise SessionError("its epoch order does not fit its training data")
    if not _same_rows(X_epoch, y_epoch, X_train, y_train):
        raise SessionError("its epoch order is not a reordering of its training data")
    return X_epoch, y_epoch


def _history(arrays: dict[str, np.ndarray], regression: bool) -> tuple[list[HistoryPoint], int]:
    """The saved history and the update before which it was thinned (regression: without
    accuracies, which are NaN)."""
    history = np.asarray(arrays["history"], dtype=np.float64)
    if history.ndim != 2 or history.shape[1] != 7 or len(history) == 0:
        raise SessionError("its history has the wrong shape")
    if len(history) > MAX_HISTORY:
        raise SessionError(f"its history has {len(history):,} points, more than {MAX_HISTORY:,}")
    is_accuracy = np.array([name.endswith("accuracy") for name in HistoryPoint.header()])
    accuracy = history[:, is_accuracy]
    if regression and not np.all(np.isnan(accuracy)):
        raise SessionError("its regression history has accuracies")
    if not np.all(np.isfinite(history[:, ~is_accuracy] if regression else history)):
        raise SessionError("its history holds values that are not finite numbers")
    points = [HistoryPoint(int(row[0]), *(float(v) for v in row[1:])) for row in history]
    thinned_before = float(arrays.get("history_thinned_before", 0))  # absent before thinning
    if not (math.isfinite(thinned_before) and thinned_before >= 0):
        raise SessionError("its history's thinning mark is out of range")
    return points, int(thinned_before)
