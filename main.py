"""Neural Playground: ``python main.py`` opens the window; ``main.py COMMAND`` runs headless.

``main.py --help`` lists both: the window's options and the headless commands.
"""

from __future__ import annotations

import sys

HELP = ("-h", "--help")


def _help() -> int:
    """The window's options and the commands; only the commands if Qt cannot load."""
    from cli.app import COMMANDS, commands_help, run

    try:
        from gui.app import window_parser

        parser = window_parser(COMMANDS, commands_help())
    except ImportError:
        return run(["--help"])
    parser.print_help()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from cli.app import COMMANDS

    if argv and argv[0] in COMMANDS:
        from cli.app import run

        return run(argv)
    if argv and argv[0] in HELP:
        return _help()
    from cli.app import commands_help
    from gui.app import main as gui_main

    return gui_main(argv, COMMANDS, commands_help())


if __name__ == "__main__":
    sys.exit(main())
