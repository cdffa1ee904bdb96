"""Hyperparameter maps: the grid's spelling and limits, seeds, runs in this process and in
worker processes (the same numbers). The command line's grid: tests/cli/test_grid_command.py."""

import math
import time

import numpy as np
import pytest

from model.config import ExperimentConfig
from model.experiments.hyperparameter_map import MapSpec, parse_axis
from model.experiments.map_placement import run_map
from model.experiments.map_runs import MapResult, map_tasks, run_task
from model.training.trainer import build_trainer

SMALL = ExperimentConfig().with_changes(data={"n_samples": 200})  # 160 training points


def spec(x="learning_rate=0.01,0.3", y="batch_size=10,full", seeds=2, epochs=3, base=SMALL):
    return MapSpec(base, parse_axis(x), parse_axis(y), seeds, epochs)


def without_seconds(rows):
    return [[str(v) for i, v in enumerate(row) if i != 10] for row in rows]


@pytest.mark.parametrize(
    ("text", "parameter", "values"),
    [
        ("learning_rate=0.001,0.01,0.1", "learning_rate", (0.001, 0.01, 0.1)),
        ("batch_size=1, 10, full", "batch_size", (1, 10, None)),
        ("hidden=10-10,none,50", "hidden", ((10, 10), (), (50,))),
        ("depth=0,1,3", "depth", (0, 1, 3)),
        ("activation=relu,tanh", "activation", ("relu", "tanh")),
        ("l2=0,0.01", "l2", (0.0, 0.01)),
        ("init=he,small", "init", ("he", "small")),
    ],
)
def test_axes_are_read_as_written(text, parameter, values):
    axis = parse_axis(text)
    assert axis.parameter == parameter and axis.values == values
    assert parse_axis(str(axis)) == axis  # the CSV's and the JSON's spelling reads back


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("learning_rate", "NAME=VALUES"),
        ("lr=0.1", "is not one of learning_rate"),
        ("batch_size=1,,2", "an entry is empty"),
        ("learning_rate=" + ",".join(str(i) for i in range(1, 22)), "at most 20 values"),
        ("l2=0.1,0.1", "listed twice"),
        ("learning_rate=fast", "learning_rate: 'fast' is not a number"),
        ("learning_rate=nan", "finite"),
        ("activation=relu,swish", "is not one of"),
        ("batch_size=2.5", "not a whole number"),
    ],
)
def test_bad_axes_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_axis(text)


@pytest.mark.parametrize(
    ("grid", "message"),
    [
        (spec(x="l2=0", y="l2=0.1"), "different parameters"),
        (spec(x="depth=1,9"), "depth must be from 0 to 8"),
        (spec(y="batch_size=10,161"), "larger than the 160 training points"),
        (spec(x="learning_rate=0.01,1000"), "learning_rate must be"),
        (spec(x="noise=0.1", base=SMALL.with_changes(data={"name": "gaussians"})), "noise"),
        (spec(seeds=0), "seeds must be from 1 to 100"),
        (spec(seeds=101), "seeds must be from 1 to 100"),
        (spec(epochs=100_001), "epochs must be from 1 to 100,000"),
        (
            spec(x="l2=" + ",".join(f"{i / 100}" for i in range(20)), y="depth=" + "0,1,2,3,4"),
            None,
        ),
        (
            MapSpec(
                SMALL,
                parse_axis("l2=" + ",".join(f"{i / 100}" for i in range(20))),
                parse_axis("learning_rate=" + ",".join(f"{i / 100}" for i in range(1, 21))),
                seeds=6,
            ),
            "2,400 runs; at most 2,000",
        ),
        (spec(base=SMALL.with_changes(model={"kind": "perceptron"})), "trains the MLP"),
    ],
)
def test_grid_limits_are_checked_before_any_run(grid, message):
    if message is None:
        grid.check()  # 100 cells x 3 seeds: within the limits
        return
    with pytest.raises(ValueError, match=message):
        grid.check()


def test_regression_is_refused():
    base = ExperimentConfig.from_dict(
        {"data": {"name": "plane", "problem": "regression"}, "model": {}, "train": {}}
    )
    with pytest.raises(ValueError, match="classification"):
        spec(base=base).check()


def test_depth_repeats_the_width_of_its_cell():
    grid = spec(x="hidden=5,30", y="depth=0,1,3")
    assert grid.cell_config(2, 1).model.hidden == (30, 30, 30)
    assert grid.cell_config(0, 0).model.hidden == ()
    assert spec(x="depth=2", y="l2=0").cell_config(0, 0).model.hidden == (20, 20)


def test_per_seed_the_same_weights_wherever_the_shapes_allow():
    grid = spec(x="learning_rate=0.01,0.3", y="hidden=20,10-10", seeds=2)
    weights = {
        (row, column, k): build_trainer(grid.cell_config(row, column, k)).initial_parameters
        for row in range(2)
        for column in range(2)
        for k in range(2)
    }
    for row in range(2):
        for k in range(2):  # learning rates differ, shapes agree: the very same weights
            assert np.array_equal(weights[row, 0, k], weights[row, 1, k])
        assert not np.array_equal(weights[row, 0, 0], weights[row, 0, 1])  # seeds differ
    assert weights[0, 0, 0].shape != weights[1, 0, 0].shape  # 20 against 10-10: no match
    assert grid.cell_config(1, 0, 1).train.seed == SMALL.train.seed + 1


def test_every_run_gets_the_same_data_but_noise_changes_it():
    grid = spec(x="learning_rate=0.01,0.3", y="batch_size=10,full", seeds=2)
    tasks = map_tasks(grid)
    assert all(task.dataset is tasks[0].dataset for task in tasks)
    noisy = spec(x="noise=0.05,0.3", y="batch_size=10,full")
    tasks = map_tasks(noisy)
    by_noise = {task.config.data.noise: task.dataset for task in tasks}
    assert len(by_noise) == 2
    assert not np.array_equal(by_noise[0.05].X_train, by_noise[0.3].X_train)
    assert all(task.dataset is by_noise[task.config.data.noise] for task in tasks)


def test_a_run_records_its_final_figures_and_when_it_reached_the_target():
    grid = spec(x="learning_rate=0.3", y="batch_size=10", seeds=1, epochs=5)
    task = map_tasks(grid)[0]
    record = run_task(task)
    trainer = build_trainer(task.config, task.dataset, eval_every=None)
    for _ in range(5):
        trainer.run_epoch()
    final = trainer.evaluate()
    assert record.test_accuracy == final.test_accuracy and record.test_loss == final.test_loss
    assert record.updates == trainer.updates == 5 * 16 and record.epochs == 5
    assert record.updates_to_target is not None and record.updates_to_target % 16 == 0
    assert record.diverged_at is None and record.seed == SMALL.train.seed


def test_a_diverged_run_says_so_and_has_no_score():
    base = SMALL.with_changes(train={"l2": 0.1})
    result = run_map(spec(x="learning_rate=50", y="batch_size=full", seeds=1, base=base), jobs=1)
    record = next(iter(result.records.values()))
    assert record.diverged_at is not None
    assert math.isnan(record.value("test_accuracy")) and math.isfinite(record.seconds)
    assert result.diverged()[0, 0] == 1 and np.isnan(result.mean("test_accuracy")[0, 0])


def test_mean_and_spread_over_seeds():
    grid = spec(seeds=3)
    result = run_map(grid, jobs=1)
    accuracies = result.values("test_accuracy")
    assert accuracies.shape == (2, 2, 3) and not np.isnan(accuracies).any()
    assert np.allclose(result.mean("test_accuracy"), accuracies.mean(axis=2))
    assert np.allclose(result.spread("test_accuracy"), accuracies.std(axis=2))
    assert result.complete.all() and result.where == "in this process"


def test_local_processes_give_the_same_rows_as_this_process():
    grid = spec()
    serial = run_map(grid, jobs=1)
    parallel = run_map(grid, jobs=2)
    assert parallel.where == "in 2 local processes" and not parallel.error
    assert len(serial.rows()) == 8
    assert without_seconds(parallel.rows()) == without_seconds(serial.rows())
    header = serial.header()
    assert header[:3] == ["learning_rate", "batch_size", "seed"] and header[10] == "seconds"


def test_a_grid_runs_after_a_comparison_used_the_worker_processes():
    from model.experiments.parallel_comparisons import compare_runs_parallel

    compare_runs_parallel(SMALL, "batch_size", [10, 20], 2)  # the same reusable executor
    grid = spec(seeds=1)
    result = run_map(grid, jobs=2)
    assert result.error is None and result.done == 4
    compare_runs_parallel(SMALL, "batch_size", [10, 20], 2)  # and the other way round


def test_cancel_keeps_the_finished_runs():
    grid = spec(x="learning_rate=0.01,0.03,0.1,0.3", y="batch_size=1,2", seeds=3, epochs=20)
    seen = []
    started = time.perf_counter()
    result = run_map(
        grid, jobs=2, on_record=lambda r, rec: seen.append(rec), should_cancel=lambda: bool(seen)
    )
    assert time.perf_counter() - started < 15
    assert result.cancelled and 1 <= result.done < grid.total_runs
    tasks = {(t.row, t.column, t.seed_index): t for t in map_tasks(grid)}
    for key, record in result.records.items():  # what was kept is what a whole run gives
        again = run_task(tasks[key])
        assert (record.test_loss, record.updates) == (again.test_loss, again.updates)


def test_cancel_reaches_a_run_in_a_worker_process():
    from loky import get_reusable_executor

    from model.experiments.map_runs import run_tasks
    from model.experiments.worker_cancel import spawned_manager
    from model.training.evaluation import TrainingInterrupted

    endless = map_tasks(spec("learning_rate=0.01", "batch_size=1", seeds=1, epochs=100_000))
    executor = get_reusable_executor(max_workers=2)
    with spawned_manager() as manager:
        cancel = manager.Event()
        future = executor.submit(run_tasks, endless, cancel)
        cancel.set()
        try:
            assert isinstance(future.exception(timeout=60), TrainingInterrupted)
        finally:
            if not future.done():  # the run never stopped: not left to the next test
                executor.shutdown(kill_workers=True)


def test_grid_spec_round_trips_through_json():
    grid = spec(x="hidden=10-10,none", y="batch_size=10,full")
    again = MapSpec.from_dict(grid.to_dict())
    assert again == grid
    with pytest.raises(ValueError):
        MapSpec.from_dict({"x": {}})


def test_partial_results_aggregate_only_what_finished():
    grid = spec(seeds=2)
    full = run_map(grid, jobs=1)
    partial = MapResult(grid, {k: v for k, v in list(full.records.items())[:3]})
    assert partial.counts().sum() == 3 and partial.complete.sum() == 1
    assert len(partial.rows()) == 3
