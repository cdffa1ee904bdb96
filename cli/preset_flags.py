"""``--preset NAME`` for the commands that train one experiment (train, landscape, compare, grid
and perceptron): one of the window's ready-made experiments (model/io/presets.py) as the
command line's starting point, so ``main.py train --preset xor`` trains what Presets > XOR
shows and ``main.py perceptron --preset part-1-perceptron`` what Part I shows.

Every experiment flag the user leaves out takes the preset's value; a flag given as well,
wherever it stands, overrides it (``--preset xor --learning_rate 0.1``). ``--dataset`` or
``--data`` replaces the preset's data set with its size, noise and parameters. The run's
length and output flags are the command's own.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from functools import cache

from cli.experiment_config import DATA_PARAMETERS
from cli.flags import UsageError
from model.config import ExperimentConfig
from model.data.datasets import CUSTOM
from model.io.presets import Preset, find_preset, read_presets

# The flags that describe the data set, left to the command line as a whole when one is given.
DATA_CHOICE = ("dataset", "data")


@cache
def _names() -> str:
    return ", ".join(preset.slug for preset in read_presets())


def add_preset_flag(parser: argparse.ArgumentParser) -> None:
    """--preset NAME, listing the shipped presets."""
    parser.add_argument(
        "--preset",
        metavar="NAME",
        default=None,
        help=f"start from a ready-made experiment of the window's Presets menu ({_names()}); "
        "the flags given as well override its values",
    )


def given_flags(parser: argparse.ArgumentParser, argv: Sequence[str]) -> set[str]:
    """The destinations of the flags ``argv`` names itself, not left to their defaults:
    ``argv`` parsed again with every default suppressed (argparse's own reading, so
    ``--flag=value`` counts as well). ``parser`` is a fresh copy: its defaults are changed."""
    for action in _all_actions(parser):
        action.default = argparse.SUPPRESS
    return set(vars(parser.parse_args(list(argv)))) - {"command"}


def _all_actions(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    actions = []
    for action in parser._actions:
        actions.append(action)
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                actions.extend(_all_actions(sub))
    return actions


def apply_preset(args: argparse.Namespace, given: set[str]) -> None:
    """Fill every experiment flag of ``args`` not in ``given`` with ``args.preset``'s value.

    UsageError (exit status 2, one line) for an unknown name, listing the presets, and for a
    preset no flag can describe: the perceptron, or points of its own.
    """
    command = f"main.py {args.command}"
    try:
        preset = find_preset(args.preset, report=_say_skipped)
    except LookupError as error:
        raise UsageError(f"{command}: --preset: {error}") from None
    config = preset.config
    if args.command == "perceptron":
        _apply_perceptron_preset(args, given, preset, command)
        return
    if config.model.kind != "mlp":
        raise UsageError(
            f"{command}: preset {preset.slug} trains the perceptron, and this command the "
            "multi-layer perceptron: open it in the window (main.py --preset "
            f"{preset.slug})"
        )
    values = {**_data_values(config, preset, command, given), **_model_and_training(config)}
    if "sgd" in given:  # batch size 1: the preset's batch would be a second batch size
        values.pop("batch_size")
    for dest, value in values.items():
        # compare and grid have no --eval_every flag, yet record as the preset does
        if dest not in given and (hasattr(args, dest) or dest == "eval_every"):
            setattr(args, dest, value)
    if "seed" not in given:  # --seed sets both; a preset may hold two
        args.train_seed = config.train.seed


def _apply_perceptron_preset(
    args: argparse.Namespace, given: set[str], preset: Preset, command: str
) -> None:
    """The perceptron command's flags from a perceptron preset on two Gaussians."""
    config = preset.config
    if config.model.kind != "perceptron" or config.data.name != "gaussians":
        raise UsageError(
            f"{command}: preset {preset.slug} is not the perceptron on two Gaussians: run it "
            f"with main.py train --preset {preset.slug}"
        )
    values = {
        "mean": config.data.params.get("mean", args.mean),
        "cov": config.data.params.get("cov", args.cov),
        "learning_rate": config.train.learning_rate,
        "seed": config.data.seed,
    }
    for dest, value in values.items():
        if dest not in given:
            setattr(args, dest, value)


def _data_values(
    config: ExperimentConfig, preset: Preset, command: str, given: set[str]
) -> dict[str, object]:
    data = config.data
    values: dict[str, object] = {"seed": data.seed}
    if any(flag in given for flag in DATA_CHOICE):
        return values  # the command line chose the data set, and so its problem
    if data.name == CUSTOM:
        raise UsageError(
            f"{command}: preset {preset.slug} trains on points of its own: open it in the "
            "window and save them as CSV for --data"
        )
    values.update(
        problem=data.problem,
        dataset=data.name,
        n_samples=data.n_samples,
        noise=data.noise,
        train_fraction=data.train_fraction,
    )
    values.update({key: data.params.get(key) for key in DATA_PARAMETERS})
    return values


def _model_and_training(config: ExperimentConfig) -> dict[str, object]:
    model, train = config.model, config.train
    return {
        "dnn_hidden_units": list(model.hidden),
        "activation": model.activation,
        "init": model.init,
        "features": model.features,
        "optimizer": train.optimizer,
        "learning_rate": train.learning_rate,
        "l2": train.l2,
        "l1": train.l1,
        "batch_size": train.batch_size,
        "eval_every": train.eval_every,
    }


def _say_skipped(what: str, why: str) -> None:
    print(f"main.py: {what} skipped: {why}", file=sys.stderr)
