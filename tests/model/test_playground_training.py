"""A TensorFlow Playground link's run: its initial weights exactly Playground's, its reported
train and test loss after each of 60 epochs, its final weights, dead links and decision
boundary as Playground's own code gives them (fixtures from
tests/playground_reference/make_reference.js; docs/playground.md says how to remake them)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from model.playground.link import parse_link
from model.playground.run import PlaygroundRun
from tests.playground_reference.fixtures import FOLDER, NAMES, fixture, grid_points


@pytest.fixture(scope="module")
def trained():
    """Each reference link run for its epochs once, shared by this module's tests."""
    runs = {}

    def get(name):
        if name not in runs:
            run = PlaygroundRun.from_link(fixture(name)["fragment"])
            for _ in range(fixture(name)["epochs"]):
                run.run_epoch()
            runs[name] = run
        return runs[name]

    return get


@pytest.mark.parametrize("name", NAMES)
def test_the_initial_weights_are_playgrounds_exactly(name):
    run = PlaygroundRun.from_link(fixture(name)["fragment"])
    assert run.initial_weights == fixture(name)["initial"]
    assert run.weights() == fixture(name)["initial"]


@pytest.mark.parametrize("name", NAMES)
def test_every_epochs_losses_are_playgrounds(trained, name):
    """Playground's reported train and test loss (the mean of half the squared error) at
    epoch 0 and after each of 60 epochs, to 1e-6 relative (measured: about 1e-14)."""
    run = trained(name)
    expected = np.array(fixture(name)["losses"], dtype=float)
    assert [epoch for epoch, _, _ in run.history] == list(range(len(expected)))
    got = np.array([(train, test) for _, train, test in run.history])
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=0)


@pytest.mark.parametrize("name", NAMES)
def test_the_trained_network_is_playgrounds(trained, name):
    """The final weights, the links L1 killed, and the output over the boundary grid."""
    run = trained(name)
    for mine, theirs in zip(run.weights(), fixture(name)["final"], strict=True):
        np.testing.assert_allclose(
            mine["W"], np.array(theirs["W"]).reshape(np.shape(mine["W"])), rtol=0, atol=1e-9
        )
        np.testing.assert_allclose(mine["b"], theirs["b"], rtol=0, atol=1e-9)
    assert run.network.dead_links == fixture(name)["dead_links"]
    grid = fixture(name)["grid"]
    np.testing.assert_allclose(
        run.predict(np.array(grid_points(grid))), grid["output"], rtol=0, atol=1e-9
    )


def test_l1_kills_links_and_they_stay_dead(trained):
    """A link whose weight L1 carries across 0 is 0 from then on, while the others move."""
    assert trained("xor_tanh_l1_dead_links").network.dead_links == 42
    run = PlaygroundRun.from_link(fixture("xor_tanh_l1_dead_links")["fragment"])
    for _ in range(3):
        run.run_epoch()
    dead = [~alive for alive in run.network.alive]
    assert run.network.dead_links == 33  # more die later: 42 after epoch 13
    before = [W.copy() for W in run.network.W]
    for _ in range(10):
        run.run_epoch()
    assert run.network.dead_links == 42
    assert all((W[d] == 0).all() for W, d in zip(run.network.W, dead, strict=True))
    assert any((W[~d] != b[~d]).any() for W, b, d in zip(run.network.W, before, dead, strict=True))


def test_an_update_at_a_time_is_the_same_run_as_an_epoch_at_a_time():
    """step(1) again and again (as the window will play it) is run_epoch's run exactly; an
    epoch is complete at its last update, the rest of its points carried into the next."""
    link = fixture("spiral_all_features_l1")["fragment"]  # 150 points, batches of 7: 3 carried
    by_epoch, by_update = PlaygroundRun.from_link(link), PlaygroundRun.from_link(link)
    assert by_epoch.updates_per_epoch == 21
    for _ in range(3):
        by_epoch.run_epoch()
    for k in range(63):
        assert by_update.epoch == k // 21 and by_update.updates_in_epoch == k % 21
        by_update.step(1)
    assert (by_update.epoch, by_update.updates) == (3, 63)
    assert by_update.history == by_epoch.history
    assert by_update.weights() == by_epoch.weights()


def test_losses_mid_epoch_and_a_partial_epoch_finished():
    link = fixture("circle_tanh_issue")["fragment"]
    run = PlaygroundRun.from_link(link)
    start = run.losses()
    run.step(10)
    assert run.epoch == 0 and run.updates_in_epoch == 10 and len(run.history) == 1
    assert run.losses() != start
    train, test = run.run_epoch()  # the rest of epoch 1
    assert run.epoch == 1 and run.updates == 25
    expected = fixture("circle_tanh_issue")["losses"][1]
    np.testing.assert_allclose((train, test), expected, rtol=1e-12)
    assert (run.train_loss, run.test_loss) == (train, test)


def test_the_boundary_of_a_classifier_is_tanh_and_of_a_regression_the_target():
    classifier = PlaygroundRun.from_link(fixture("circle_tanh_issue")["fragment"])
    grid = np.stack(np.meshgrid(np.linspace(-6, 6, 9), np.linspace(-6, 6, 9)), -1).reshape(-1, 2)
    out = classifier.predict(grid)
    assert out.shape == (81,) and ((out > -1) & (out < 1)).all()
    regression = PlaygroundRun.from_link(fixture("reg_plane_linear")["fragment"])
    assert regression.predict([[0.0, 0.0]]).shape == (1,)


def test_a_diverging_run_goes_on_as_playground_does():
    run = PlaygroundRun(parse_link("problem=regression&learningRate=10&networkShape=8,8&seed=1"))
    for _ in range(20):
        run.run_epoch()
    assert not np.isfinite(run.history[-1][1])
    assert run.epoch == 20


PLAYGROUND_BUILD = os.environ.get("PLAYGROUND_BUILD")


@pytest.mark.skipif(
    not (PLAYGROUND_BUILD and shutil.which("node")),
    reason="Playground's compiled code is not here: set PLAYGROUND_BUILD to the build folder "
    "(docs/playground.md) and put node on PATH to remake the fixtures and compare",
)
def test_the_fixtures_are_what_playgrounds_code_makes_now(tmp_path):
    """With Playground's code at hand, its fixtures are made anew and must equal those
    stored (so a stored fixture cannot drift from Playground's code)."""
    script = FOLDER / "make_reference.js"
    subprocess.run(
        ["node", str(script), PLAYGROUND_BUILD, str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    for name in NAMES:
        assert json.loads(Path(tmp_path, f"{name}.json").read_text()) == fixture(name)
