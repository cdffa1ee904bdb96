"""Sweeps and comparisons: progress, cancelling, and like-for-like runs."""

import contextlib

import numpy as np

from model.config import ExperimentConfig
from model.experiments.comparisons import compare_runs, perceptron_sweep, perceptron_test_accuracy


def test_grid_reports_progress_and_bayes_accuracy():
    calls = []
    grid = perceptron_sweep([20, 0.02], [1], n_seeds=2, progress=lambda d, t: calls.append((d, t)))
    assert calls[-1] == (4, 4) and len(calls) == 4
    assert grid.complete.all()
    assert grid.mean_accuracy[0, 0] == 1.0
    assert grid.bayes[0, 0] == 1.0 and abs(grid.bayes[1, 0] - 0.5) < 0.02
    assert grid.accuracies[1, 0, 1] == perceptron_test_accuracy(0.02, 1, seed=1)


def test_grid_cancel_keeps_finished_cells():
    done = []
    grid = perceptron_sweep(
        [2, 1],
        [1, 0.5],
        n_seeds=1,
        progress=lambda d, t: done.append(d),
        should_cancel=lambda: len(done) >= 3,
    )
    assert grid.cancelled
    assert grid.complete.sum() == 3 and not np.isnan(grid.accuracies[1, 0, 0])


def test_compare_uses_the_same_data_and_initial_weights():
    comparison = compare_runs(ExperimentConfig(), "batch_size", [10, 800], max_epochs=3)
    first, second = comparison.runs
    assert first.history[0] == second.history[0]  # same data, same starting weights
    assert [p.epoch for p in first.history] == [0, 1, 2, 3]
    assert first.final.update == 240 and second.final.update == 3
    assert len(comparison.rows()) == 8
    assert comparison.rows()[0][:2] == ["batch_size", 10]


def test_compare_can_be_cancelled():
    count = []
    comparison = compare_runs(
        ExperimentConfig(),
        "learning_rate",
        [0.1, 0.01],
        max_epochs=5,
        progress=lambda d, t: count.append(d),
        should_cancel=lambda: len(count) >= 2,
    )
    assert comparison.cancelled and len(comparison.runs) == 1


def test_a_comparison_is_cancelled_within_an_epoch():
    asked = []

    def should_cancel():  # the Trainer asks between updates: yes from the 100th question on
        asked.append(1)
        return len(asked) >= 100

    config = ExperimentConfig().with_changes(train={"batch_size": 1})  # 800 updates an epoch
    comparison = compare_runs(config, "learning_rate", [0.1, 0.01], 5, should_cancel=should_cancel)
    assert comparison.cancelled and len(comparison.runs) == 1
    assert [p.update for p in comparison.runs[0].history] == [0]  # the first epoch not finished


def test_cancel_reaches_parallel_runs_while_they_train():
    """Cancel once both worker processes have reported: each run stops long before its last
    epoch, and the call returns only when every run has said it stopped."""
    from model.experiments.parallel_comparisons import compare_runs_parallel

    reported: set[int] = set()
    max_epochs = 20_000  # seconds of training each
    comparison = compare_runs_parallel(
        ExperimentConfig(),
        "learning_rate",
        [0.1, 0.01],
        max_epochs,
        on_update=lambda c, thumbnails: reported.update(thumbnails),
        should_cancel=lambda: len(reported) == 2,
    )
    assert comparison.cancelled
    for run in comparison.runs:
        assert 1 <= run.final.epoch < max_epochs


def test_parallel_runs_give_the_same_curves_as_serial_runs():
    from model.experiments.parallel_comparisons import compare_runs_parallel

    config = ExperimentConfig()
    serial = compare_runs(config, "learning_rate", [0.1, 0.01], max_epochs=3)
    updates = []
    parallel = compare_runs_parallel(
        config,
        "learning_rate",
        [0.1, 0.01],
        max_epochs=3,
        on_update=lambda c, t: updates.append(sorted(t)),
    )
    for a, b in zip(serial.runs, parallel.runs, strict=True):
        assert [p.row()[:-1] for p in a.history] == [p.row()[:-1] for p in b.history]
    assert updates[-1] == [0, 1]  # both runs sent thumbnails


def test_parallel_only_where_no_run_dominates():
    from model.config import TrainConfig
    from model.experiments.parallel_comparisons import worth_parallel

    def configs(values, batch):
        return [
            ExperimentConfig(train=TrainConfig(learning_rate=v, batch_size=batch)) for v in values
        ]

    assert worth_parallel(configs([0.1, 0.03, 0.01, 0.003], 1), 800, 30, cores=2)
    assert not worth_parallel(configs([0.1, 0.01], None), 800, 30, cores=2)  # too little work
    assert not worth_parallel(configs([0.1, 0.03, 0.01, 0.003], 1), 800, 30, cores=1)
    batch_sizes = [ExperimentConfig(train=TrainConfig(batch_size=b)) for b in (1, 10, 50, 200)]
    assert not worth_parallel(batch_sizes, 800, 100, cores=2)  # batch size 1 is most of it


def test_a_run_whose_loss_explodes_is_labelled_as_stopped_serial_and_parallel():
    from model.config import TrainConfig
    from model.experiments.parallel_comparisons import compare_runs_parallel
    from model.training.trainer import TrainingDiverged, build_trainer

    config = ExperimentConfig(train=TrainConfig(learning_rate=1, l2=10))  # explodes, finite
    probe = build_trainer(config, eval_every=1)
    with contextlib.suppress(TrainingDiverged):
        probe.train(100)
    last = probe.updates  # full batch: the explosion shows in the evaluation of this epoch
    for compare in (compare_runs, compare_runs_parallel):
        comparison = compare(config, "learning_rate", [1.0, 0.001], max_epochs=last)
        exploding, calm = comparison.runs
        assert exploding.stopped_reason and "over 1,000,000 times" in exploding.stopped_reason
        assert calm.stopped_reason is None
        assert all(np.isfinite(p.train_loss) for p in exploding.history)
