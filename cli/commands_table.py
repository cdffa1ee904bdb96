"""The headless commands: train, perceptron, sweep, compare, landscape and grid.

Bad flags or values end with exit status 2 and one line saying what is wrong. The flags are
read in cli_args.py; each command runs in cli_commands.py (landscape: cli_landscape.py).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cli.arguments import OneLineParser, UsageError, build_parser
from cli.grid_command import cmd_grid
from cli.landscape_command import cmd_landscape
from cli.run_commands import cmd_compare, cmd_perceptron, cmd_sweep, cmd_train

__all__ = ["COMMANDS", "OneLineParser", "UsageError", "build_parser", "run"]

COMMANDS = ("train", "perceptron", "sweep", "compare", "landscape", "grid")
HANDLERS = {
    "train": cmd_train,
    "perceptron": cmd_perceptron,
    "sweep": cmd_sweep,
    "compare": cmd_compare,
    "landscape": cmd_landscape,
    "grid": cmd_grid,
}


def run(argv: Sequence[str]) -> int:
    """Parse and run one headless command; returns the exit status."""
    try:
        args = build_parser().parse_args(list(argv))
        if args.command is None:
            raise UsageError("main.py: name a command: " + ", ".join(COMMANDS))
        return HANDLERS[args.command](args)
    except (UsageError, ValueError) as error:
        print(str(error).splitlines()[0] if str(error) else "invalid input", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
