"""Experiments > Hyperparameter map while the main window shows a run under Playground rules:
over two of learning rate, batch size and L2 each cell and seed is the link with those keys
changed (seed k + 1: the link's seed with -k appended), trained by Playground's rules, and
the tab says so; the same grid runs in this process, in worker processes or on Dask, since a
run is given its link as text."""

import math

import pytest
from PySide6.QtWidgets import QApplication

from gui.windows.experiments_map import NEAREST_SETTINGS
from gui.windows.playground_link import rules_of
from model.experiments.hyperparameter_map import MapSpec, parse_values
from model.experiments.map_placement import run_map
from model.playground.link import parse_link
from model.playground.run import PlaygroundRun
from model.playground.to_experiment import nearest_experiment
from tests.gui.playground_links import XOR_LINK

LINK = XOR_LINK
EPOCHS = 3
TIMEOUT = 30_000


def playgrounds_run(changes: dict[str, str]) -> PlaygroundRun:
    """The link with ``changes`` (Playground's keys) run for EPOCHS epochs by Playground."""
    link = LINK
    for key, value in changes.items():
        link = link.replace(f"&{key}=", f"&{key}={value}&old{key}=")
        link = link if link.count(f"{key}=") > 1 else f"{key}={value}&{link}"
    run = PlaygroundRun.from_link(link)
    for _ in range(EPOCHS):
        run.run_epoch()
    return run


@pytest.fixture
def map_tab(qtbot, window):
    QApplication.clipboard().setText(LINK)
    window.playground_links.paste_action.trigger()
    qtbot.waitUntil(lambda: rules_of(window.playground.last_frame) is not None, timeout=TIMEOUT)
    window.show_experiments()
    window.experiments.tabs.setCurrentIndex(2)
    tab = window.experiments.hypergrid_tab
    tab.jobs = 1  # in the map's thread: one small grid
    return tab


def run_grid(qtbot, tab, x: tuple[str, str], y: tuple[str, str], seeds: int) -> None:
    for box, values, (parameter, text) in (
        (tab.x_parameter, tab.x_values, x),
        (tab.y_parameter, tab.y_values, y),
    ):
        box.setCurrentIndex(box.findData(parameter))
        values.setText(text)
    tab.seeds.setValue(seeds)
    tab.epochs.setValue(EPOCHS)
    tab.run()
    qtbot.waitUntil(
        lambda: tab.run_button.isEnabled() and tab.status.text().startswith(("Done", "Stopped")),
        timeout=TIMEOUT,
    )


def test_each_cell_and_seed_is_the_link_with_its_keys_changed(qtbot, map_tab):
    run_grid(qtbot, map_tab, ("learning_rate", "0.03, 0.3"), ("batch_size", "1, 25"), seeds=2)
    result = map_tab.result
    assert result.complete.all() and result.done == 8 and not result.error
    for (row, column, k), record in result.records.items():
        changes = {
            "learningRate": ("0.03", "0.3")[column],
            "batchSize": ("1", "25")[row],
            "seed": "0.5" if k == 0 else f"0.5-{k}",
        }
        run = playgrounds_run(changes)
        assert record.seed == changes["seed"]
        assert math.isclose(record.train_loss, run.train_loss, rel_tol=0, abs_tol=1e-12)
        assert math.isclose(record.test_loss, run.test_loss, rel_tol=0, abs_tol=1e-12)
        right = (run.predict(run.data.test_points) > 0) == (run.data.test_labels > 0)
        assert record.test_accuracy == pytest.approx(right.mean(), abs=1e-15)
        assert record.epochs == EPOCHS and record.updates == run.updates
    # seed 1 draws other points and weights than the link's seed
    assert result.records[0, 0, 0].test_loss != result.records[0, 0, 1].test_loss
    text = map_tab.status.text()
    assert text.startswith("Done: 8 of 8 runs in this process")
    assert "Under Playground rules" in text and "learningRate and batchSize" in text
    assert "0.5-1" in text
    rows = result.rows()
    assert rows[0][:3] == ["0.03", "1", "0.5"] and rows[1][:3] == ["0.03", "1", "0.5-1"]


def test_an_l2_axis_is_playgrounds_l2_regularization_rate(qtbot, map_tab):
    run_grid(qtbot, map_tab, ("l2", "0, 0.01"), ("learning_rate", "0.1, 0.3"), seeds=1)
    record = map_tab.result.records[1, 1, 0]
    run = playgrounds_run(
        {"regularization": "L2", "regularizationRate": "0.01", "learningRate": "0.3"}
    )
    assert math.isclose(record.test_loss, run.test_loss, rel_tol=0, abs_tol=1e-12)
    assert "regularizationRate (L2) and learningRate" in map_tab.status.text()


def test_another_axis_trains_the_panels_settings_and_says_so(qtbot, map_tab):
    run_grid(qtbot, map_tab, ("learning_rate", "0.03, 0.3"), ("activation", "tanh, relu"), 1)
    assert map_tab.result.spec.rules is None
    assert isinstance(map_tab.result.records[0, 0, 0].seed, int)
    assert NEAREST_SETTINGS in map_tab.status.text()


def test_a_grid_under_playground_rules_is_the_same_in_worker_processes():
    spec = MapSpec(
        nearest_experiment(parse_link(LINK)),
        parse_values("learning_rate", "0.03,0.3"),
        parse_values("batch_size", "5,10"),
        seeds=1,
        epochs=EPOCHS,
        rules=parse_link(LINK),
    )
    assert MapSpec.from_dict(spec.to_dict()).rules == spec.rules  # Save JSON keeps the link
    here, there = run_map(spec, jobs=1), run_map(spec, jobs=2)
    assert "local processes" in there.where
    strip = [[v for i, v in enumerate(row) if i != 10] for row in here.rows()]
    assert [[v for i, v in enumerate(row) if i != 10] for row in there.rows()] == strip


def test_a_batch_playground_refuses_is_one_line_naming_its_key():
    rules = parse_link(LINK)
    spec = MapSpec(
        nearest_experiment(rules),
        parse_values("learning_rate", "0.03"),
        parse_values("batch_size", f"10,{rules.n_train + 1}"),
        seeds=1,
        epochs=EPOCHS,
        rules=rules,
    )
    with pytest.raises(
        ValueError,
        match=f"^learning_rate=0.03, batch_size={rules.n_train + 1}: "
        f"Playground link: batchSize={rules.n_train + 1}: more than",
    ) as error:
        spec.check()
    assert "\n" not in str(error.value)


def test_a_grid_under_playground_rules_is_the_same_on_a_dask_cluster():
    distributed = pytest.importorskip("distributed", reason="pip install -e '.[cluster]'")
    rules = parse_link(LINK)
    spec = MapSpec(
        nearest_experiment(rules),
        parse_values("learning_rate", "0.03,0.3"),
        parse_values("batch_size", "5,10"),
        seeds=2,
        epochs=EPOCHS,
        rules=rules,
    )
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None, protocol="tcp"
    ) as cluster:
        there = run_map(spec, scheduler=cluster.scheduler_address)
    assert there.where.startswith("on the Dask cluster at tcp://127.0.0.1")
    here = run_map(spec, jobs=1)
    strip = [[v for i, v in enumerate(row) if i != 10] for row in here.rows()]
    assert [[v for i, v in enumerate(row) if i != 10] for row in there.rows()] == strip
