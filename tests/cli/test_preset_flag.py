"""--preset NAME on the headless commands: the window's ready-made experiments, each one the
very configuration the Presets menu loads, with flags given as well overriding its values; and
the window's opening experiment, copied as a command, learning as it does in the window."""

import re
from pathlib import Path

import pytest

from cli.app import parse, run
from cli.experiment_config import experiment_config, run_config
from model.config import ExperimentConfig
from model.export.command_line import train_command
from model.io.presets import find_preset, opening_config, read_presets
from tests.run_main import Finished, run_main

MAIN = Path(__file__).resolve().parents[2] / "main.py"
MLP_PRESETS = [p.slug for p in read_presets() if p.config.model.kind == "mlp"]
FINAL = re.compile(r"^Final: .*$", re.MULTILINE)


def main_py(*args: str) -> Finished:
    return run_main(*args)


@pytest.mark.parametrize("slug", MLP_PRESETS)
def test_each_command_builds_the_presets_own_configuration(slug):
    config = find_preset(slug).config
    for command in ("train", "landscape"):
        assert run_config(parse([command, "--preset", slug])) == config
    grid = ["grid", "--preset", slug, "--x", "l2=0,0.1", "--y", "depth=1,2"]
    assert run_config(parse(grid)) == config  # the axes vary from there
    compare = parse(["compare", "--preset", slug])  # batch size is what it compares
    assert experiment_config(compare, config.train.batch_size) == config


def test_flags_given_as_well_override_the_preset_wherever_they_stand():
    xor = find_preset("xor").config
    for argv in (
        ["train", "--preset", "xor", "--learning_rate", "0.1"],
        ["train", "--learning_rate=0.1", "--preset", "XOR: why one line is not enough"],
    ):
        assert run_config(parse(argv)) == xor.with_changes(train={"learning_rate": 0.1})
    # a value equal to the command line's default still overrides the preset's
    sgd = run_config(parse(["train", "--preset", "xor", "--optimizer", "sgd"]))
    assert sgd == xor.with_changes(train={"optimizer": "sgd"})
    assert run_config(parse(["train", "--preset", "xor", "--sgd"])).train.batch_size == 1
    assert (
        run_config(parse(["train", "--preset", "xor", "--batch_size", "8"])).train.batch_size == 8
    )


def test_a_preset_with_two_seeds_keeps_both_and_seed_sets_both():
    blobs = find_preset("three-blobs").config
    assert (blobs.data.seed, blobs.train.seed) == (26, 0)  # no train_command can say this
    assert run_config(parse(["train", "--preset", "three-blobs"])) == blobs
    seeded = run_config(parse(["train", "--preset", "three-blobs", "--seed", "5"]))
    assert (seeded.data.seed, seeded.train.seed) == (5, 5)
    assert seeded.model == blobs.model and seeded.data.params == blobs.data.params


def test_a_data_set_given_replaces_the_presets_data_with_its_parameters():
    config = run_config(parse(["train", "--preset", "three-blobs", "--dataset", "circles"]))
    assert config.data.name == "circles" and config.data.params == {}  # no n_classes
    assert config.model == find_preset("three-blobs").config.model
    regression = ["train", "--preset", "regression-multigauss", "--dataset", "moons"]
    assert run_config(parse(regression)).data.problem == "classification"


def test_the_preset_trains_as_the_command_copied_from_it(tmp_path):
    """``train --preset xor`` prints the Final line of the command Copy as command writes
    for that configuration."""
    config = find_preset("xor").config
    by_name = main_py("train", "--preset", "xor", "--max_steps", "3")
    copied = main_py(*train_command(config, 3 * 25, train_points=800))
    assert by_name.returncode == copied.returncode == 0, by_name.stderr + copied.stderr
    assert FINAL.findall(by_name.stdout) == FINAL.findall(copied.stdout)
    assert "75 updates, batch size 32" in by_name.stdout


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["train", "--preset", "nosuch"], "no preset 'nosuch'; the presets are: first-run, "),
        (["grid", "--preset", "x", "--x", "l2=0", "--y", "depth=1"], "--preset: no preset 'x'"),
        (["train", "--preset", "part-1-perceptron"], "trains the perceptron"),
        (["landscape", "--preset"], "expected one argument"),
        (["perceptron", "--preset", "xor"], "not the perceptron on two Gaussians"),
    ],
)
def test_an_unknown_or_unfit_preset_exits_2_with_one_line(argv, words):
    result = main_py(*argv)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"main.py {argv[0]}") and words in lines[0]
    if "nosuch" in argv:
        assert all(preset.slug in lines[0] for preset in read_presets())


def test_the_perceptron_command_runs_the_perceptron_preset_and_flags_override_it(capsys):
    config = find_preset("part-1-perceptron").config
    args = parse(["perceptron", "--preset", "part-1-perceptron"])
    assert (args.mean, args.cov) == (config.data.params["mean"], config.data.params["cov"])
    assert (args.learning_rate, args.seed) == (config.train.learning_rate, config.data.seed)
    overridden = parse(["perceptron", "--mean", "0.5", "--preset", "part-1-perceptron"])
    assert overridden.mean == 0.5 and overridden.cov == config.data.params["cov"]
    assert run(["perceptron", "--preset", "part-1-perceptron"]) == 0
    assert "Bayes-optimal accuracy: 0.9977" in capsys.readouterr().out


def test_without_a_preset_train_keeps_the_course_defaults():
    assert run_config(parse(["train"])) == ExperimentConfig()
    assert opening_config() != ExperimentConfig()  # the window opens elsewhere


def test_the_opening_experiment_copied_as_a_command_reaches_097_within_1500_updates(capsys):
    """The window's first experiment, as Edit > Copy as command writes it after 1500 updates
    (20 s at the default pace), run through the command line."""
    config = opening_config()
    argv = train_command(config, 1500, train_points=800)
    assert argv[-2:] == ["--max_steps", "60"]  # 25 mini-batches of 32 a pass
    assert run_config(parse(argv)) == config
    assert run(argv) == 0
    final = capsys.readouterr().out.strip().splitlines()[-1]
    assert final.startswith("Final: 60 steps (1500 updates, batch size 32)")
    assert float(final.rsplit(" ", 1)[1]) >= 0.97
