"""Neural Playground: ``python main.py`` opens the window; ``main.py COMMAND`` runs headless."""

from __future__ import annotations

import sys

HEADLESS = ("train", "perceptron", "sweep", "compare", "-h", "--help")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in HEADLESS:
        from model.cli import run

        return run(argv)
    from gui.app import main as gui_main

    return gui_main(argv)


if __name__ == "__main__":
    sys.exit(main())
