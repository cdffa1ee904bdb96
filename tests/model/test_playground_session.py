"""A session of a run under Playground's rules: saved as its link and update count, opened by
replaying the link, it continues with exactly the losses of a run never interrupted; what the
file may hold is checked and refused in one line."""

import io
import json
import zipfile

import numpy as np
import pytest

from model.io.session import SessionError, load_session, save_session, session_arrays
from model.limits import MAX_RUN_UPDATES
from model.playground.link import parse_link
from model.playground.session import MAX_REPLAY_EPOCHS, PlaygroundSession
from model.playground.to_experiment import nearest_experiment
from model.playground.trainer import PlaygroundTrainer
from model.training.trainer import build_trainer
from tests.playground_reference.fixtures import fixture

CIRCLE = fixture("circle_tanh_issue")["fragment"]
REGRESSION = fixture("reg_gauss_relu_l1_squares")["fragment"]


def figures(trainer: PlaygroundTrainer) -> list[tuple]:
    """Every history point's figures but its training time."""
    return [(p.update, p.epoch, *p.row()[2:6]) for p in trainer.history]


def weights(trainer: PlaygroundTrainer) -> list[np.ndarray]:
    network = trainer.run.network
    return [*network.W, *network.b]


@pytest.mark.parametrize("link", [CIRCLE, REGRESSION])
def test_a_reopened_run_continues_with_the_uninterrupted_runs_losses(tmp_path, link):
    rules = parse_link(link)
    per_epoch = rules.updates_per_epoch
    saved = PlaygroundTrainer(rules)
    saved.train(per_epoch + 3)
    saved.evaluate()  # paused within an epoch: the window asked for the figures there
    saved.train(per_epoch + 2)
    path = tmp_path / "playground.npz"
    save_session(path, nearest_experiment(rules), saved)

    config, session = load_session(path)
    assert config == nearest_experiment(rules)
    assert isinstance(session, PlaygroundSession)  # checked; the worker's thread replays it
    opened = session.replay()
    assert isinstance(opened, PlaygroundTrainer)
    assert opened.rules == parse_link(link) and opened.updates == saved.updates
    assert figures(opened) == figures(saved)
    for ours, theirs in zip(weights(opened), weights(saved), strict=True):
        assert np.array_equal(ours, theirs)
    assert np.array_equal(opened.model.parameter_pairs()[0][0], saved.model.parameter_pairs()[0][0])

    uninterrupted = PlaygroundTrainer(rules)
    uninterrupted.train(per_epoch + 3)
    uninterrupted.evaluate()
    uninterrupted.train(per_epoch + 2 + 3 * per_epoch + 1)
    opened.train(3 * per_epoch + 1)
    opened.evaluate(), uninterrupted.evaluate()
    assert figures(opened) == figures(uninterrupted)
    assert opened.run.history == uninterrupted.run.history


def test_the_file_holds_the_link_and_the_update_count_and_old_sessions_still_open(tmp_path):
    rules = parse_link(CIRCLE)
    trainer = PlaygroundTrainer(rules)
    trainer.train(7)
    arrays = session_arrays(nearest_experiment(rules), trainer)
    entry = json.loads(str(arrays["playground"]))
    assert parse_link(entry["link"]) == parse_link(CIRCLE)
    assert entry["updates"] == 7 and entry["evaluated"] == []

    # A run by this app's rules is saved as before, without the entry, and opens as before.
    config = nearest_experiment(rules)
    own = build_trainer(config)
    own.train(5)
    assert "playground" not in session_arrays(config, own)
    save_session(tmp_path / "own.npz", config, own)
    _, opened = load_session(tmp_path / "own.npz")
    assert not isinstance(opened, PlaygroundTrainer) and opened.updates == 5


def playground_file(tmp_path, **entry) -> str:
    """A Playground session whose entry has ``entry``'s values."""
    rules = parse_link(CIRCLE)
    arrays = session_arrays(nearest_experiment(rules), PlaygroundTrainer(rules))
    arrays["playground"] = np.array(json.dumps({**json.loads(str(arrays["playground"])), **entry}))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    path = tmp_path / "changed.npz"
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"link": CIRCLE.replace("networkShape=4,2", "networkShape=4,9")}, "networkShape=4,9"),
        ({"link": 5}, "holds no link"),
        ({"updates": -1}, "update count is not a whole number"),
        ({"updates": 2.5}, "update count is not a whole number"),
        ({"updates": MAX_RUN_UPDATES + 1}, "update count is not a whole number"),
        ({"updates": 10**9}, "a session may replay"),
        ({"updates": 10, "evaluated": [5, 3]}, "evaluated updates"),
        ({"updates": 10, "evaluated": [11]}, "evaluated updates"),
        ({"link": CIRCLE.replace("x=true", "x=false").replace("y=true", "y=false")}, "no input"),
    ],
)
def test_a_bad_playground_entry_is_refused_in_one_line(tmp_path, entry, words):
    with pytest.raises(SessionError) as refused:
        load_session(playground_file(tmp_path, **entry))
    message = str(refused.value)
    assert words in message and "\n" not in message
    assert message.startswith("changed.npz cannot be opened: ")


def test_the_replay_is_bounded_by_the_longest_playground_run(tmp_path):
    per_epoch = parse_link(CIRCLE).updates_per_epoch
    with pytest.raises(SessionError, match=f"{MAX_REPLAY_EPOCHS:,} epochs"):
        load_session(playground_file(tmp_path, updates=MAX_REPLAY_EPOCHS * per_epoch + 1))


def test_a_run_with_a_typed_weight_is_refused_at_save_in_one_line():
    trainer = PlaygroundTrainer(parse_link(CIRCLE))
    trainer.train(4)
    assert trainer.set_weight(0, 0, 0, 0.25)
    with pytest.raises(ValueError, match="a weight was typed in at update 4") as refused:
        PlaygroundSession.of(trainer)
    assert "\n" not in str(refused.value)


def test_the_written_file_is_small(tmp_path):
    """The link and a count, not the points and weights."""
    rules = parse_link(REGRESSION)
    trainer = PlaygroundTrainer(rules)
    trainer.train(30)
    path = tmp_path / "small.npz"
    save_session(path, nearest_experiment(rules), trainer)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == [
            "config.npy",
            "format.npy",
            "playground.npy",
            "version.npy",
        ]
