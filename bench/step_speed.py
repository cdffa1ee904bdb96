"""Microseconds per training update: the project's Trainer against two references, and its
two training passes against each other.

Run: .venv/bin/python bench/step_speed.py [--rounds N] [--passes-only]

First table. Setting: moons, 800 training points x 2 features, one hidden layer of 20 ReLU
units, SGD at lr 0.01, float64. Three implementations, timed in the same process, interleaved
in rounds:
- the project's Trainer (model/training/trainer.py);
- a straightforward NumPy implementation, written here as a course solution usually is:
  one-hot targets, module objects, the loss computed every step, every input gradient;
- scikit-learn's MLPClassifier.partial_fit on the same batches.

Second table: a Trainer's update (the batch's forward and backward pass, then the optimizer's
step) through the fused pass (model/nn/fused_pass.py), which the Trainer runs, and through the
modules one by one (model/nn/modules.py), for several networks and batch sizes on the same data,
interleaved in rounds. Its measurements are in model/nn/fused_pass.py's docstring.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.config import ExperimentConfig, ModelConfig, TrainConfig  # noqa: E402
from model.training.trainer import build_trainer  # noqa: E402

# The networks and batch sizes of the fused-against-modules table (800: full batch).
PASS_NETWORKS = ((20,), (64, 64), (128, 128, 128), (256, 256))
PASS_BATCHES = (1, 32, 800)


class StraightforwardMLP:
    """A plain course-style MLP: Linear, ReLU, Linear, SoftMax, CrossEntropy on one-hot targets."""

    def __init__(self, n_in: int, n_hidden: int, n_out: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.W1 = rng.normal(0, np.sqrt(2 / n_in), (n_in, n_hidden))
        self.b1 = np.zeros(n_hidden)
        self.W2 = rng.normal(0, np.sqrt(2 / (n_hidden + n_out)), (n_hidden, n_out))
        self.b2 = np.zeros(n_out)

    def step(self, x: np.ndarray, y_onehot: np.ndarray, lr: float) -> float:
        # forward
        z1 = x @ self.W1 + self.b1
        h = np.maximum(0, z1)
        z2 = h @ self.W2 + self.b2
        e = np.exp(z2 - z2.max(axis=1, keepdims=True))
        p = e / e.sum(axis=1, keepdims=True)
        loss = -np.sum(y_onehot * np.log(np.clip(p, 1e-12, 1))) / x.shape[0]
        # backward
        dz2 = (p - y_onehot) / x.shape[0]
        dW2 = h.T @ dz2
        db2 = dz2.sum(axis=0)
        dh = dz2 @ self.W2.T
        dz1 = dh * (z1 > 0)
        dW1 = x.T @ dz1
        db1 = dz1.sum(axis=0)
        _dx = dz1 @ self.W1.T
        # SGD
        self.W1 -= lr * dW1
        self.b1 -= lr * db1
        self.W2 -= lr * dW2
        self.b2 -= lr * db2
        return float(loss)


def batch_indices(n: int, batch_size: int, updates: int) -> list[np.ndarray]:
    """Shuffled mini-batches, reshuffled every pass, made before the clock starts."""
    rng = np.random.default_rng(0)
    per_epoch = -(-n // batch_size)
    batches = []
    while len(batches) < updates:
        order = rng.permutation(n)
        batches += [order[i * batch_size : (i + 1) * batch_size] for i in range(per_epoch)]
    return batches[:updates]


def time_trainer(batch_size: int, updates: int) -> float:
    cfg = ExperimentConfig(train=TrainConfig(batch_size=batch_size))
    trainer = build_trainer(cfg, eval_every=None)
    start = time.perf_counter()
    trainer.train(updates)
    return (time.perf_counter() - start) / updates


def time_straightforward(X: np.ndarray, y: np.ndarray, batch_size: int, updates: int) -> float:
    model = StraightforwardMLP(2, 20, 2, seed=0)
    onehot = np.eye(2)[y]
    start = time.perf_counter()
    for idx in batch_indices(len(y), batch_size, updates):
        model.step(X[idx], onehot[idx], 0.01)
    return (time.perf_counter() - start) / updates


def time_sklearn(X: np.ndarray, y: np.ndarray, batch_size: int, updates: int) -> float:
    from sklearn.neural_network import MLPClassifier

    clf = MLPClassifier(
        hidden_layer_sizes=(20,),
        solver="sgd",
        learning_rate_init=0.01,
        momentum=0.0,
        batch_size=batch_size,
        random_state=0,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.partial_fit(X[:batch_size], y[:batch_size], classes=[0, 1])
        start = time.perf_counter()
        for idx in batch_indices(len(y), batch_size, updates):
            clf.partial_fit(X[idx], y[idx])
    return (time.perf_counter() - start) / updates


class PassUpdates:
    """A Trainer's updates, with the pass chosen: its model, optimizer and shuffled batches
    (full batch: the training set's own read-only arrays, as the Trainer hands them on)."""

    def __init__(self, hidden: tuple[int, ...], batch_size: int, fused: bool) -> None:
        config = ExperimentConfig(
            model=ModelConfig(hidden=hidden), train=TrainConfig(batch_size=batch_size)
        )
        trainer = build_trainer(config, eval_every=None)
        self.model, self.optimizer, self.fused = trainer.model, trainer.optimizer, fused
        X, y = trainer.dataset.X_train, trainer.dataset.y_train
        if batch_size >= len(y):
            self.batches = [(X, y)]
        else:
            self.batches = [(X[i], y[i]) for i in batch_indices(len(y), batch_size, 4096)]
        self.next = 0
        self.train(3)  # buffers made, caches warm

    def train(self, updates: int) -> None:
        for _ in range(updates):
            xb, yb = self.batches[self.next]
            self.next = (self.next + 1) % len(self.batches)
            self.model.loss_and_gradients(xb, yb, False, None, self.fused)
            self.optimizer.step(self.model.parameter_pairs())


def time_updates(trainer: PassUpdates, seconds: float) -> float:
    """Seconds per update over at least ``seconds`` (and at least one update)."""
    updates, elapsed, chunk = 0, 0.0, 1
    while elapsed < seconds:
        start = time.perf_counter()
        trainer.train(chunk)
        elapsed += time.perf_counter() - start
        updates += chunk
        chunk *= 2
    return elapsed / updates


def compare_passes(rounds: int, seconds: float) -> None:
    """The fused pass against the modules: the best of ``rounds`` short interleaved samples
    (the minimum is the figure least disturbed by other work on the machine)."""
    print(f"\n{'network':<16}{'batch':>6}{'fused us':>12}{'modules us':>12}{'modules/fused':>15}")
    for hidden in PASS_NETWORKS:
        for batch_size in PASS_BATCHES:
            trainers = {fused: PassUpdates(hidden, batch_size, fused) for fused in (True, False)}
            best = {True: np.inf, False: np.inf}
            for _ in range(rounds):
                for fused, trainer in trainers.items():
                    best[fused] = min(best[fused], time_updates(trainer, seconds))
            name = "-".join(map(str, [2, *hidden, 2]))
            f, m = best[True] * 1e6, best[False] * 1e6
            print(f"{name:<16}{batch_size:>6}{f:>12.1f}{m:>12.1f}{m / f:>15.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds; best is kept")
    parser.add_argument(
        "--pass-rounds", type=int, default=15, help="interleaved samples per pass and setting"
    )
    parser.add_argument("--pass-seconds", type=float, default=0.03, help="length of a sample")
    parser.add_argument("--passes-only", action="store_true", help="only the second table")
    args = parser.parse_args()
    if args.passes_only:
        compare_passes(args.pass_rounds, args.pass_seconds)
        return
    data = build_trainer(ExperimentConfig(), eval_every=None).dataset
    X, y = data.X_train, data.y_train
    print(
        f"{'setting':<22}{'trainer us':>12}{'plain us':>12}{'sklearn us':>12}"
        f"{'trainer/plain':>15}{'trainer/sklearn':>17}"
    )
    for label, batch_size, updates in (("full batch (800)", 800, 2000), ("batch size 1", 1, 20000)):
        best = {"trainer": np.inf, "plain": np.inf, "sklearn": np.inf}
        for _ in range(args.rounds):
            best["trainer"] = min(best["trainer"], time_trainer(batch_size, updates))
            best["plain"] = min(best["plain"], time_straightforward(X, y, batch_size, updates))
            best["sklearn"] = min(
                best["sklearn"], time_sklearn(X, y, batch_size, max(updates // 10, 200))
            )
        t, p, s = (best[k] * 1e6 for k in ("trainer", "plain", "sklearn"))
        print(f"{label:<22}{t:>12.1f}{p:>12.1f}{s:>12.1f}{t / p:>15.2f}{t / s:>17.2f}")
    compare_passes(args.pass_rounds, args.pass_seconds)


if __name__ == "__main__":
    main()
