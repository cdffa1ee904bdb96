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
import os
import zipfile
from pathlib import Path

import numpy as np

from model.config import ExperimentConfig
from model.data.datasets import Dataset
from model.io.safe_files import UnreadableFile, read_limited, write_atomic
from model.io.stored_entries import (
    REAL,
    WHOLE,
    SessionError,
    real,
    real_array,
    same_kinds,
    whole,
    whole_array,
    within_weight_limit,
)
from model.limits import (
    MAX_CLASSES,
    MAX_COORDINATE,
    MAX_DIVERGED_WEIGHT,
    MAX_LOSS,
    MAX_RUN_SECONDS,
    MAX_RUN_UPDATES,
    MAX_TARGET,
    MAX_WEIGHT,
)
from model.playground.session import ENTRY as PLAYGROUND_ENTRY
from model.playground.session import PlaygroundSession
from model.playground.trainer import PlaygroundTrainer
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


def session_arrays(
    config: ExperimentConfig, trainer: Trainer | PlaygroundTrainer | PlaygroundSession
) -> dict[str, np.ndarray]:
    """Everything needed to continue ``trainer`` exactly, as named arrays. A run under
    Playground's rules is its link and update count (model/playground/session.py): the
    optional ``playground`` entry, with the panels' configuration beside it."""
    if isinstance(trainer, PlaygroundTrainer):
        trainer = PlaygroundSession.of(trainer)
    if isinstance(trainer, PlaygroundSession):
        return {
            "format": np.array(FORMAT),
            "version": np.array(VERSION),
            "config": np.array(config.to_json()),
            PLAYGROUND_ENTRY: np.array(trainer.to_json()),
        }
    d = trainer.dataset
    state = trainer.state()
    history = np.array([p.row() for p in state.history], dtype=np.float64).reshape(-1, 7)
    arrays = {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "config": np.array(config.to_json()),
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


def save_session(
    path: str | os.PathLike,
    config: ExperimentConfig,
    trainer: Trainer | PlaygroundTrainer | PlaygroundSession,
) -> None:
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


def load_session(
    path: str | os.PathLike,
) -> tuple[ExperimentConfig, Trainer | PlaygroundSession]:
    """The configuration and a Trainer in exactly the saved state, or for a run under
    Playground's rules the checked PlaygroundSession whose ``replay()`` gives it; SessionError
    otherwise."""
    name = Path(path).name
    arrays = _read_arrays(path)
    try:
        return _restore(arrays)
    except SessionError as error:
        raise SessionError(f"{name} cannot be opened: {error}") from None
    except Exception as error:  # any entry of the wrong kind, shape or range
        what = f"missing entry {error}" if isinstance(error, KeyError) else str(error)
        raise SessionError(f"{name} cannot be opened: {what}") from None


def _restore(
    arrays: dict[str, np.ndarray],
) -> tuple[ExperimentConfig, Trainer | PlaygroundSession]:
    if "format" not in arrays or _text(arrays, "format") != FORMAT:
        raise SessionError("it is not a Neural Playground session")
    stored = arrays["version"]
    if stored.shape != () or stored.dtype.kind not in WHOLE:
        raise SessionError("its format number (version) is not a whole number")
    version = int(stored)
    if version < 1:
        raise SessionError(f"its format number {version} is not one this app wrote")
    if version > VERSION:
        raise SessionError(
            f"it was saved by a newer version (format {version}; this reads {VERSION})"
        )
    config = _config(arrays)
    if PLAYGROUND_ENTRY in arrays:  # absent from files of this app's own runs
        # checked here; replayed by whoever runs it (the window's worker, in its thread)
        return config, PlaygroundSession.from_json(_text(arrays, PLAYGROUND_ENTRY)).checked()
    dataset = _restore_dataset(arrays, config)
    trainer = build_trainer(config, dataset)
    trainer.restore(_saved_state(arrays, trainer))
    return config, trainer


def _config(arrays: dict[str, np.ndarray]) -> ExperimentConfig:
    """The saved configuration. ``from_dict`` reads text such as "0.1" as a box would; the
    app writes numbers as numbers, so a setting stored as text is refused."""
    raw = json.loads(_text(arrays, "config"))
    config = ExperimentConfig.from_dict(raw)
    same_kinds(raw, config.to_dict(), "configuration")
    return config


def _restore_dataset(arrays: dict[str, np.ndarray], config: ExperimentConfig) -> Dataset:
    X_train, X_test = (
        np.ascontiguousarray(real_array(arrays, k, f"points ({k})")) for k in ("X_train", "X_test")
    )
    regression = config.data.is_regression  # real targets and no classes (n_classes 0)
    y_train, y_test = (
        real_array(arrays, k, f"targets ({k})")
        if regression
        else whole_array(arrays, k, f"class labels ({k})")
        for k in ("y_train", "y_test")
    )
    low = 0 if regression else 2
    n_classes = whole(arrays, "n_classes", "number of classes (n_classes)", low, MAX_CLASSES)
    if regression and n_classes != 0:
        raise SessionError("its regression data has a number of classes")
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
    names = json.loads(_text(arrays, "class_names"))
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise SessionError("its class names (class_names) are not a list of text")
    return Dataset(
        X_train,
        y_train,
        X_test,
        y_test,
        n_classes,
        config.data.name,
        {"seed": config.data.seed},
        tuple(names) if len(names) == n_classes else (),
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
    saved = real_array(arrays, "parameters", "weights (parameters)")
    if saved.shape != parameters.shape:
        raise SessionError(
            f"its weights ({saved.size} numbers) do not fit the saved network "
            f"({parameters.size} numbers)"
        )
    if not np.all(np.isfinite(saved)):
        raise SessionError("its weights are not all finite numbers")
    stopped_reason = _text(arrays, "stopped_reason") or None
    # A diverged run's failed update may have left far larger weights, never updated again.
    limit = MAX_WEIGHT if stopped_reason is None else MAX_DIVERGED_WEIGHT
    within_weight_limit(saved, "weights (parameters)", limit)
    updates, epochs, batch_in_epoch = _counters(arrays, trainer.updates_per_epoch)
    seconds = arrays["seconds"]
    if not (
        seconds.shape == ()
        and seconds.dtype.kind in REAL
        and 0 <= float(seconds) <= MAX_RUN_SECONDS
    ):
        raise SessionError(
            f"its training time (seconds) is not a finite number of seconds from 0 to "
            f"{MAX_RUN_SECONDS:g}"
        )
    X_epoch, y_epoch = _epoch_order(arrays, trainer)
    history, thinned_before = _history(arrays, trainer.dataset.is_regression, updates, epochs)
    return TrainerState(
        parameters=saved,
        optimizer=_optimizer_state(arrays, parameters.shape, updates),
        updates=updates,
        epochs_completed=epochs,
        batch_in_epoch=batch_in_epoch,
        seconds=float(seconds),
        stopped_reason=stopped_reason,
        rng_state=_rng_state(arrays),
        X_epoch=X_epoch,
        y_epoch=y_epoch,
        history=history,
        history_thinned_before=thinned_before,
        start_loss=real(arrays, "start_loss", "start loss (start_loss)", 0.0, MAX_LOSS)
        if "start_loss" in arrays  # absent from older files
        else None,
        perceptron_epochs=whole(
            arrays,
            "perceptron_epochs",
            "perceptron's epoch count (perceptron_epochs)",
            0,
            MAX_RUN_UPDATES,
        )
        if "perceptron_epochs" in arrays
        else None,
        snapshots=_snapshots(arrays, parameters.size, updates),
        initial_parameters=_initial_parameters(arrays, parameters.size),
    )


def _counters(arrays: dict[str, np.ndarray], updates_per_epoch: int) -> tuple[int, int, int]:
    """Updates, completed epochs and the position in the current epoch."""
    counters = arrays["counters"]
    if counters.shape != (3,) or counters.dtype.kind not in WHOLE:
        raise SessionError("its training counters (counters) are not three whole numbers")
    updates, epochs, batch_in_epoch = (int(v) for v in counters)
    if not 0 <= updates <= MAX_RUN_UPDATES:
        raise SessionError(
            f"its training counters are out of range: {updates:,} updates, where a run "
            f"makes 0 to {MAX_RUN_UPDATES:,}"
        )
    if not 0 <= epochs <= updates:  # every epoch, even one cut short, has an update
        raise SessionError(
            f"its training counters are out of range: {epochs:,} epochs in {updates:,} updates"
        )
    if not 0 <= batch_in_epoch < updates_per_epoch:
        raise SessionError(
            f"its training counters are out of range: update {batch_in_epoch:,} of an epoch "
            f"of {updates_per_epoch:,}"
        )
    return updates, epochs, batch_in_epoch


def _optimizer_state(
    arrays: dict[str, np.ndarray], shape: tuple[int, ...], updates: int
) -> dict[str, np.ndarray]:
    """The optimizer's arrays (velocities, Adam's moments m and v) and Adam's step count t."""
    state = {}
    for entry in arrays:
        if not entry.startswith("optimizer_"):
            continue
        key = entry.removeprefix("optimizer_")
        what = f"optimizer state {key!r}"
        if key == "t":  # Adam's steps since its moments were last reset: at most the updates
            state[key] = np.array(whole(arrays, entry, what, 0, updates))
            continue
        value = real_array(arrays, entry, what)
        if value.shape != shape:
            raise SessionError(f"its optimizer state {key} does not fit the weights")
        if not np.all(np.isfinite(value)):
            raise SessionError(f"its {what} holds numbers that are not finite")
        if key.startswith("v_") and np.any(value < 0):  # a mean of squared gradients
            raise SessionError(f"its {what} has negative values")
        state[key] = value
    return state


def _rng_state(arrays: dict[str, np.ndarray]) -> dict:
    """The shuffling generator's state: PCG64's, with its numbers in their ranges (NumPy
    would truncate an increment of 1.5 and keep a flag of 5)."""
    state = json.loads(_text(arrays, "rng_state"))
    inner = state.get("state") if isinstance(state, dict) else None
    if not isinstance(inner, dict) or state.get("bit_generator") != "PCG64":
        raise SessionError("its shuffling state (rng_state) is not a PCG64 generator's")
    for record, key, bits in ((inner, "state", 128), (inner, "inc", 128), (state, "uinteger", 32)):
        value = record.get(key)
        if type(value) is not int or not 0 <= value < 2**bits:
            raise SessionError(
                f"its shuffling state's {key!r} is not a whole number below 2^{bits}"
            )
    if state.get("has_uint32") not in (0, 1) or type(state.get("has_uint32")) is not int:
        raise SessionError("its shuffling state's 'has_uint32' is not 0 or 1")
    if inner["inc"] % 2 == 0:
        raise SessionError("its shuffling state's 'inc' is even, as no PCG64 increment is")
    return state


def _snapshots(
    arrays: dict[str, np.ndarray], size: int, updates: int
) -> tuple[list[int], np.ndarray] | None:
    """The weights at evaluation points, checked (None: a file written before they were)."""
    if "snapshots" not in arrays:
        return None
    rows = real_array(arrays, "snapshots", "recorded weights (snapshots)")
    at = np.asarray(arrays["snapshot_updates"])
    if rows.ndim != 2 or rows.shape[1] != size or at.shape != (len(rows),) or at.dtype.kind != "i":
        raise SessionError("its recorded weights do not fit the saved network")
    if len(rows) > MAX_SNAPSHOTS or not np.all(np.isfinite(rows)):
        raise SessionError(f"its recorded weights are not at most {MAX_SNAPSHOTS} finite rows")
    within_weight_limit(rows, "recorded weights (snapshots)")
    if len(at) and (at[0] < 0 or at[-1] > updates or np.any(np.diff(at) <= 0)):
        raise SessionError("its recorded weights' update numbers are out of order or range")
    return [int(u) for u in at], rows


def _initial_parameters(arrays: dict[str, np.ndarray], size: int) -> np.ndarray | None:
    if "initial_parameters" not in arrays:
        return None
    start = real_array(arrays, "initial_parameters", "initial weights (initial_parameters)")
    if start.shape != (size,) or not np.all(np.isfinite(start)):
        raise SessionError("its initial weights do not fit the saved network")
    within_weight_limit(start, "initial weights (initial_parameters)")
    return start


def _epoch_order(arrays: dict[str, np.ndarray], trainer: Trainer) -> tuple[np.ndarray, np.ndarray]:
    """The current pass's order of the training set: a reordering of it."""
    X_epoch = real_array(arrays, "X_epoch", "epoch order's points (X_epoch)")
    if trainer.dataset.is_regression:
        y_epoch = real_array(arrays, "y_epoch", "epoch order's targets (y_epoch)")
    else:
        y_epoch = whole_array(arrays, "y_epoch", "epoch order's class labels (y_epoch)")
    X_train, y_train = trainer.dataset.X_train, trainer.dataset.y_train
    if X_epoch.shape != X_train.shape or y_epoch.shape != y_train.shape:
        raise SessionError("its epoch order does not fit its training data")
    if not _same_rows(X_epoch, y_epoch, X_train, y_train):
        raise SessionError("its epoch order is not a reordering of its training data")
    return X_epoch, y_epoch


def _history(
    arrays: dict[str, np.ndarray], regression: bool, updates: int, epochs: int
) -> tuple[list[HistoryPoint], int]:
    """The saved history and the update before which it was thinned (regression: without
    accuracies, which are NaN), each column within what the run's counters allow."""
    history = real_array(arrays, "history", "history's figures (history)")
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
    at, epoch, losses, seconds = history[:, 0], history[:, 1], history[:, [2, 4]], history[:, 6]
    if np.any(at != np.round(at)) or at.min() < 0 or at.max() > updates:
        raise SessionError(
            f"its history's update numbers are not whole numbers from 0 to {updates:,}"
        )
    if np.any(np.diff(at) <= 0):
        raise SessionError("its history's update numbers do not increase")
    if epoch.min() < 0 or epoch.max() > epochs + 1:
        raise SessionError(f"its history's epochs are not from 0 to {epochs + 1:,}")
    if losses.min() < 0 or losses.max() > MAX_LOSS:  # cross-entropy, squared error, criterion
        raise SessionError(f"its history's losses are not numbers from 0 to {MAX_LOSS:g}")
    if not regression and (accuracy.min() < 0 or accuracy.max() > 1):
        raise SessionError("its history's accuracies are not from 0 to 1")
    if seconds.min() < 0 or seconds.max() > MAX_RUN_SECONDS:
        raise SessionError(
            f"its history's training times are not from 0 to {MAX_RUN_SECONDS:g} seconds"
        )
    points = [HistoryPoint(int(row[0]), *(float(v) for v in row[1:])) for row in history]
    thinned_before = 0  # absent from files written before the history was thinned
    if "history_thinned_before" in arrays:
        thinned_before = whole(
            arrays,
            "history_thinned_before",
            "history's thinning mark (history_thinned_before)",
            0,
            updates,
        )
    return points, thinned_before
