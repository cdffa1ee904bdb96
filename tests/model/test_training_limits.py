"""The Trainer over long and bad runs: a divergence is an event, never a history point, and
the history stays bounded (an evenly thinned past, the recent points in full) however long
the run, with the thinning said in the CSV and kept across a saved session."""

import math

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.io.session import load_session, save_session
from model.training.divergence import divergence_cause
from model.training.evaluation import TrainingInterrupted
from model.training.history import HISTORY_LIMIT, thinned_indices
from model.training.trainer import TrainingDiverged, build_trainer


def all_finite(history) -> bool:
    return all(math.isfinite(v) for point in history for v in point.row())


def test_a_run_whose_loss_stops_being_finite_records_no_such_point():
    # Eight layers at SGD rate 1: within a few hundred updates the loss passes a million times
    # its start (it is the true cross-entropy, from the logits), then the gradients overflow.
    config = ExperimentConfig(
        model=ModelConfig(hidden=(20,) * 8), train=TrainConfig(learning_rate=1)
    )
    trainer = build_trainer(config, eval_every=1)
    with pytest.raises(TrainingDiverged, match="no longer a finite number|times its starting"):
        trainer.train(2000)
    assert all_finite(trainer.history)
    assert divergence_cause(trainer) in trainer.stopped_reason


def test_an_evaluation_that_is_not_finite_is_an_event_not_a_point():
    trainer = build_trainer(ExperimentConfig(), eval_every=1)
    trainer.train(5)
    recorded = list(trainer.history)
    trainer.model.linears[0].params["weight"][:] = 1e308  # every activation overflows
    after = trainer.evaluate(force=True)  # what a pause or the final report asks for
    assert math.isnan(after.train_loss)  # reported to the caller ...
    assert trainer.history == recorded  # ... never recorded (nor accuracy as 0.5)
    assert trainer.stopped_reason.startswith("training diverged at update 5 (epoch 5): the loss")
    with pytest.raises(TrainingDiverged):
        trainer.step()


def test_a_loss_that_explodes_but_stays_finite_stops_the_run():
    # lr x L2 = 10: the penalty multiplies the weights by -9 an update. The gradients stay
    # finite for some 150 updates; the loss with its penalty passes a million times its start
    # within a few.
    config = ExperimentConfig(train=TrainConfig(learning_rate=1, l2=10))
    trainer = build_trainer(config, eval_every=1)
    start = trainer.history[0].train_loss + trainer.model.penalty()
    with pytest.raises(TrainingDiverged) as stopped:
        trainer.train(1000)
    message = str(stopped.value)
    assert "over 1,000,000 times its starting value" in message
    assert "L2 penalty is too strong" in message and message == trainer.stopped_reason
    assert trainer.updates < 10  # long before the numbers overflow
    assert np.all(np.isfinite(trainer.model.parameter_pairs()[0][0]))
    assert all_finite(trainer.history)
    assert trainer.model.penalty() > 1e6 * start
    with pytest.raises(TrainingDiverged):
        trainer.step()  # only a reset continues


def test_a_run_is_stopped_the_update_its_loss_passes_a_million_times_its_start():
    # A linear regression at a learning rate just past stable: the loss grows by about 3 % an
    # update, so the run passes the bound finitely and the point before lies just below it.
    config = ExperimentConfig(
        DataConfig("plane", n_samples=200, problem="regression"),
        ModelConfig(hidden=()),
        TrainConfig(learning_rate=0.07, eval_every=1),
    )
    trainer = build_trainer(config)
    bound = 1e6 * max(trainer.history[0].train_loss, 1.0)  # the documented bound
    with pytest.raises(TrainingDiverged, match="grew to"):
        trainer.train(5000)
    below = trainer.history[-1]  # the last point kept: the run went on from there
    crossed = trainer.evaluate()  # the point that stopped it, not kept
    assert crossed.update == below.update + 1 == trainer.updates
    assert 0.95 * bound < below.train_loss <= bound
    assert bound < crossed.train_loss < 1.05 * bound


def test_the_perceptron_is_not_stopped_for_a_growing_criterion():
    # Its rule ignores the weights' scale: on overlapping classes far from 0 the criterion
    # grows past a million with the weights, and nothing is wrong.
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2)) * 10_000
    config = ExperimentConfig(
        DataConfig.custom(X, (rng.random(200) < 0.5).astype(int)),
        ModelConfig(kind="perceptron"),
        TrainConfig(learning_rate=1),
    )
    trainer = build_trainer(config, eval_every=1)
    trainer.train(500)
    assert trainer.stopped_reason is None
    assert max(p.train_loss for p in trainer.history) > 1e6 * max(trainer.history[0].train_loss, 1)


def tiny_config(eval_every: int = 1) -> ExperimentConfig:
    return ExperimentConfig(
        DataConfig("moons", n_samples=20),
        ModelConfig(hidden=(3,)),
        TrainConfig("sgd", 0.01, eval_every=eval_every),
    )


def check_bounded(updates, thinned_before: int, last: int, step: int) -> None:
    """A bounded record of ``last`` updates evaluated every ``step``: both ends, the recent
    points in full, before ``thinned_before`` at most a quarter of the room, evenly spaced."""
    updates = np.asarray(updates)
    assert len(updates) <= HISTORY_LIMIT
    assert updates[0] == 0 and updates[-1] == last
    recent = updates[updates >= thinned_before]
    past = updates[updates < thinned_before]
    assert len(recent) >= HISTORY_LIMIT // 2 and np.all(np.diff(recent) == step)
    assert 2 <= len(past) <= HISTORY_LIMIT // 4 + 1
    gaps = np.diff(past)
    assert gaps.min() > 0 and gaps.max() - gaps.min() <= 2 * step


def test_a_long_run_keeps_a_bounded_history_with_both_ends():
    trainer = build_trainer(tiny_config(eval_every=1))
    trainer.train(2 * HISTORY_LIMIT)
    updates = [p.update for p in trainer.history]
    check_bounded(updates, trainer.history_thinned_before, 2 * HISTORY_LIMIT, 1)
    header, rows = trainer.history_table()
    assert header[-1] == "thinned"
    # The CSV says which rows are from the thinned part.
    assert [row[-1] for row in rows] == [int(u < trainer.history_thinned_before) for u in updates]
    assert rows[0][-1] == 1 and rows[-1][-1] == 0


def test_ten_million_updates_keep_the_same_bound():
    # The Trainer's rule, applied as 10^7 updates (evaluated every 3) arrive in batches.
    updates, thinned_before = np.zeros(1, dtype=np.int64), 0
    step, last = 3, 3 * (10**7 // 3)
    for end in [*range(6000, last, 6000), last]:
        updates = np.concatenate([updates, np.arange(updates[-1] + step, end + 1, step)])
        keep = thinned_indices(updates, HISTORY_LIMIT)
        if keep is not None:
            thinned_before = max(thinned_before, updates[len(updates) - HISTORY_LIMIT // 2])
            updates = updates[keep]
        assert len(updates) <= HISTORY_LIMIT
    check_bounded(updates, thinned_before, last, step)


def test_a_thinned_history_survives_a_saved_session(tmp_path):
    config = tiny_config(eval_every=1)
    original = build_trainer(config)
    original.train(HISTORY_LIMIT + 500)
    assert original.history_thinned
    save_session(tmp_path / "long.npz", config, original)
    _, opened = load_session(tmp_path / "long.npz")
    assert opened.history_thinned_before == original.history_thinned_before
    original.train(3000)
    opened.train(3000)
    assert [p.row()[:6] for p in opened.history] == [p.row()[:6] for p in original.history]
    assert opened.history_table()[1][0][-1] == 1


def test_a_stop_request_interrupts_an_epoch_between_updates():
    config = ExperimentConfig(train=TrainConfig(batch_size=1))
    trainer = build_trainer(config, eval_every=None)
    asked = []

    def stop() -> bool:
        asked.append(True)
        return len(asked) > 5

    trainer.should_stop = stop
    with pytest.raises(TrainingInterrupted):
        trainer.run_epoch()
    assert trainer.updates == 5 and trainer.epochs_completed == 0
    trainer.should_stop = None
    trainer.run_epoch()  # the state was left consistent: the pass goes on where it stopped
    assert trainer.updates == trainer.updates_per_epoch and trainer.epochs_completed == 1


def _large_trainer():
    """Full batch over 6,400 points of 2-256-256-2: large enough to be checked between layers."""
    config = ExperimentConfig(
        data=DataConfig("moons", n_samples=8000), model=ModelConfig(hidden=(256, 256))
    )
    return build_trainer(config, eval_every=None)


def test_a_large_update_stops_between_layers_and_changes_nothing():
    calls = []

    def stop_on_the_fifth_question() -> bool:
        calls.append(1)
        return len(calls) >= 5

    trainer = _large_trainer()
    trainer.should_stop = stop_on_the_fifth_question
    before = trainer.model.parameter_pairs()[0][0].copy()
    with pytest.raises(TrainingInterrupted, match="during an update"):
        trainer.step()
    assert trainer.updates == 0 and len(calls) == 5
    assert np.array_equal(trainer.model.parameter_pairs()[0][0], before)
    trainer.should_stop = None  # asked again, the update is the one it would have been
    trainer.step()
    untouched = _large_trainer()
    untouched.step()
    assert np.array_equal(
        trainer.model.parameter_pairs()[0][0], untouched.model.parameter_pairs()[0][0]
    )


def test_the_checked_pass_gives_the_gradients_of_the_whole_pass():
    trainer = _large_trainer()
    model, d = trainer.model, trainer.dataset
    whole = model.loss_and_gradients(d.X_train, d.y_train)
    grads_whole = model.parameter_pairs()[0][1].copy()
    checked = model.loss_and_gradients(d.X_train, d.y_train, should_stop=lambda: False)
    assert checked == pytest.approx(whole, rel=1e-12)
    assert np.allclose(model.parameter_pairs()[0][1], grads_whole, rtol=1e-10, atol=1e-14)
