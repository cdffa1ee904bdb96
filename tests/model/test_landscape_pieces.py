"""The loss landscape in pieces: every piece is a bounded tile of work that can stop and go on
later and still give the numbers of one pass; the grid fills coarse to fine; the path's
principal directions come from the running Gram matrix, equal to a fresh computation."""

import numpy as np
import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig
from model.landscape.batch_loss import TILE_PRODUCTS, BatchLoss, LossEvaluation
from model.landscape.order import coarse_to_fine, nearest_on_lattice
from model.landscape.slices import (
    LineEvaluator,
    SliceEvaluator,
    flat_parameters,
    line_losses,
    pca_plane,
    random_plane,
)
from model.training.snapshots import WeightSnapshots
from model.training.trainer import build_trainer


def trainer_for(hidden, n_samples=200, updates=30):
    config = ExperimentConfig(DataConfig("moons", n_samples=n_samples), ModelConfig(hidden=hidden))
    trainer = build_trainer(config)
    trainer.train(updates)
    return trainer


@pytest.mark.parametrize("resolution", [3, 5, 21, 41, 101])
def test_the_grid_is_computed_coarse_to_fine_each_point_once(resolution):
    order, levels = coarse_to_fine(resolution)
    assert sorted(order) == list(range(resolution**2))
    middle = (resolution // 2) * resolution + resolution // 2
    assert middle in order[: levels[0][1]]  # the centre comes with the first lattice
    assert levels[-1] == (1, resolution**2)
    assert [stride for stride, _ in levels] == sorted((s for s, _ in levels), reverse=True)


def test_a_preview_fills_every_cell_from_the_last_whole_lattice_then_is_the_truth():
    trainer = trainer_for((8,))
    centre = flat_parameters(trainer.model)
    plane = random_plane(trainer.model, np.random.default_rng(1))
    evaluator = SliceEvaluator(trainer.model, trainer.dataset, centre, plane, 1.0, 41)
    while evaluator.level < 1:
        evaluator.advance(0.0)
    assert not evaluator.done and np.isnan(evaluator.loss).any()
    preview = evaluator.preview()
    assert np.isfinite(preview).all()  # the whole map shows, blurred
    computed = evaluator.computed
    assert np.array_equal(preview[computed], evaluator.loss[computed])
    nearest = nearest_on_lattice(41, 8)
    from_lattice = evaluator.loss[np.ix_(nearest, nearest)]
    assert np.array_equal(preview[~computed], from_lattice[~computed])
    whole = SliceEvaluator(trainer.model, trainer.dataset, centre, plane, 1.0, 41).compute()
    evaluator.compute()
    assert np.array_equal(evaluator.loss, whole) and evaluator.preview() is evaluator.loss


def test_a_large_network_is_evaluated_a_bounded_tile_at_a_time_and_resumes_exactly():
    trainer = trainer_for((256,) * 3, n_samples=400, updates=2)
    model, data = trainer.model, trainer.dataset
    batch = BatchLoss(model, data.X_train, data.y_train)
    products = sum(a * b for a, b in zip(model.widths[:-1], model.widths[1:], strict=True))
    assert batch.batch * batch.rows * products <= TILE_PRODUCTS
    assert batch.rows < len(data.y_train)  # one point is several tiles
    centre = flat_parameters(model)
    plane = random_plane(model, np.random.default_rng(2))
    coefficients = np.array([[1.0, 0.0, 0.0], [1.0, 0.3, -0.2], [1.0, -0.5, 0.5]])
    basis = np.stack([centre, plane.d1, plane.d2])
    pieces = LossEvaluation(model, data.X_train, data.y_train, coefficients, basis)
    pieces.advance(0.0)
    assert pieces.finished == 0  # stopped inside the first point's rows
    calls = 1
    while not pieces.advance(0.0):
        calls += 1
    assert calls >= 3 * (len(data.y_train) // batch.rows)
    assert np.allclose(pieces.values, batch.losses(coefficients @ basis), rtol=1e-12, atol=0)


def test_a_line_in_pieces_is_the_line_at_once():
    trainer = trainer_for((8, 8))
    start, end = trainer.initial_parameters, flat_parameters(trainer.model)
    line = LineEvaluator(trainer.model, trainer.dataset, start, end, points=31)
    while not line.advance(0.0):
        pass
    for test, values in ((False, line.train), (True, line.test)):
        t, expected = line_losses(trainer.model, trainer.dataset, start, end, test, points=31)
        assert np.array_equal(t, line.t) and np.array_equal(values, expected)


def test_a_stopped_slice_stops_between_tiles_and_goes_on_where_it_was():
    trainer = trainer_for((16,))
    centre = flat_parameters(trainer.model)
    plane = random_plane(trainer.model, np.random.default_rng(3))
    make = lambda: SliceEvaluator(trainer.model, trainer.dataset, centre, plane, 1.0, 11)  # noqa: E731
    stopped = make()
    assert not stopped.advance(10.0, should_stop=lambda: True)
    assert stopped.progress == 0.0
    assert np.array_equal(stopped.compute(), make().compute())


def test_the_running_gram_matrix_equals_a_fresh_one_after_thinning_and_loading():
    rng = np.random.default_rng(4)
    walk = np.cumsum(rng.normal(scale=0.01, size=(60, 30)), axis=0) + rng.normal(size=30)
    snapshots = WeightSnapshots(30, limit=12)
    for update, row in enumerate(walk):
        snapshots.record(update * 5, row)
    snapshots.record(295, walk[-1] + 0.5)  # the same update again: replaced
    updates, rows, gram = snapshots.view()
    moved = rows - rows[0]
    assert 3 <= len(updates) <= 12 and np.allclose(gram, moved @ moved.T, rtol=1e-9, atol=1e-12)
    with pytest.raises(ValueError):
        rows[0, 0] = 1.0  # a read-only view
    loaded = WeightSnapshots(30, limit=12)
    loaded.load(updates, rows)
    assert np.allclose(loaded.view()[2], gram, rtol=1e-9, atol=1e-12)
    with_gram = pca_plane(rows, walk[-1], gram)
    fresh = pca_plane(rows, walk[-1])
    assert with_gram.explained == pytest.approx(fresh.explained, rel=1e-9)
    assert abs(with_gram.d1 @ fresh.d1) == pytest.approx(1.0, abs=1e-9)
    assert np.allclose(np.abs(with_gram.path), np.abs(fresh.path), atol=1e-9)


def test_the_trainers_path_and_gram_matrix_go_together():
    trainer = trainer_for((8,), updates=80)
    updates, rows, gram = trainer.snapshots.view()
    assert updates == trainer.weight_snapshots[0]
    assert np.array_equal(rows, trainer.weight_snapshots[1])
    moved = rows - rows[0]
    assert np.allclose(gram, moved @ moved.T, rtol=1e-9, atol=1e-12)
