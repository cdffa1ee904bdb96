"""The headless commands: train, perceptron, sweep, compare, landscape, grid, playground and
check.

Each command is a module of this package with ``add_parser(subcommands)``, which declares its
flags, and ``run(args)``, which does the work and returns the exit status; the heavier
modules are imported inside ``run``, so that ``--help`` is quick. Bad flags or values end
with exit status 2 and one line saying what is wrong; Ctrl+C with 130.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cli import check, compare, grid, landscape, perceptron, playground, sweep, train
from cli.flags import OneLineParser, UsageError
from cli.preset_flags import apply_preset, given_flags

# In the order --help lists them.
COMMAND_MODULES = {
    "train": train,
    "landscape": landscape,
    "perceptron": perceptron,
    "sweep": sweep,
    "compare": compare,
    "grid": grid,
    "playground": playground,
    "check": check,
}
COMMANDS = ("train", "perceptron", "sweep", "compare", "landscape", "grid", "playground", "check")


def build_parser() -> OneLineParser:
    """Every command's flags, with the defaults of the course's scripts."""
    parser = OneLineParser(
        prog="main.py",
        description="Neural Playground. Without a command, opens the window "
        "(options: --screenshot PATH [--steps N]).",
    )
    subcommands = parser.add_subparsers(dest="command", parser_class=OneLineParser)
    for module in COMMAND_MODULES.values():
        module.add_parser(subcommands)
    return parser


def commands_help() -> str:
    """The commands with their one-line descriptions, for the window's --help (main.py)."""
    lines = ["commands (headless: no window; main.py COMMAND --help lists each one's options):"]
    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command in action._choices_actions:
                lines.append(f"  {command.dest:<12}{command.help}")
    return "\n".join(lines)


def parse(argv: Sequence[str]) -> argparse.Namespace:
    """The command line's flags, a --preset's values filling those not given."""
    args = build_parser().parse_args(list(argv))
    if getattr(args, "preset", None) is not None:
        apply_preset(args, given_flags(build_parser(), argv))
    return args


def run(argv: Sequence[str]) -> int:
    """Parse and run one headless command; returns the exit status."""
    try:
        args = parse(argv)
        if args.command is None:
            raise UsageError("main.py: name a command: " + ", ".join(COMMANDS))
        return COMMAND_MODULES[args.command].run(args)
    except (UsageError, ValueError) as error:
        print(str(error).splitlines()[0] if str(error) else "invalid input", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
