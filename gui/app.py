"""QApplication set-up and main(): parse the window's options, open the main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gui.theme import THEMES
from model.cli import OneLineParser, UsageError


def _options(argv: list[str]) -> argparse.Namespace:
    parser = OneLineParser(prog="main.py", description="Open the Neural Playground window.")
    parser.add_argument(
        "file",
        nargs="?",
        help="a saved session (.npz) to continue, or a data file (.csv of x1,x2,label) to train on",
    )
    parser.add_argument(
        "--screenshot",
        metavar="PATH",
        help="train, save a PNG of the whole window to PATH, and exit",
    )
    parser.add_argument(
        "--steps",
        type=int,
        default=300,
        help="updates to train before the screenshot (default 300)",
    )
    parser.add_argument(
        "--report-startup",
        action="store_true",
        help="print the wall-clock times of the first paint and the first drawn frame, "
        "then exit (used by bench/gui_speed.py)",
    )
    parser.add_argument(
        "--theme",
        choices=THEMES,
        default=None,
        help="light or dark colours (default: as last chosen in View > Theme, else the "
        "desktop's scheme)",
    )
    args = parser.parse_args(argv)
    if args.steps < 0:
        raise UsageError("main.py: --steps must be 0 or more")
    args.opened = _open_file(args.file) if args.file else None
    if args.screenshot:
        from model.files import check_writable

        problem = check_writable(args.screenshot)
        if problem:
            raise UsageError(f"main.py: cannot write {args.screenshot}: {problem}")
    return args


def _open_file(path: str):
    """Read the file named on the command line before any window opens (UsageError if bad).

    Returns ("data", LabelledPoints) or ("session", (configuration, trainer)).
    """
    try:
        if path.lower().endswith(".csv"):
            from model.points_file import read_points

            return "data", read_points(path)
        from model.session import load_session

        return "session", load_session(path)
    except ValueError as error:
        raise UsageError(f"main.py: {error}") from None


def _show_opened(window, path: str, opened) -> None:
    kind, content = opened
    if kind == "data":
        window.files.use_points(path, content)
    else:
        window.files.adopt_session(path, *content)


def configure_pyqtgraph() -> None:
    """White plots, row-major images, and no OpenGL (it fails offscreen)."""
    import pyqtgraph as pg

    pg.setConfigOptions(
        antialias=True,
        background="w",
        foreground="k",
        imageAxisOrder="row-major",
        useOpenGL=False,
    )


def _report_startup(window) -> None:
    """Print when the window first paints and when its first frame is drawn, then close."""
    import time

    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        painted = False

        def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.Paint and not self.painted:
                self.painted = True
                print(f"first paint {time.time():.6f}", flush=True)
            return False

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)

    def frame_drawn() -> None:
        print(f"first frame {time.time():.6f}", flush=True)
        QTimer.singleShot(0, window.close)

    window.first_frame_drawn.connect(frame_drawn)


def main(argv: list[str]) -> int:
    try:
        args = _options(argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        from PySide6.QtWidgets import QApplication

        from gui.main_window import MainWindow
        from gui.settings import app_settings, last_config, stored_theme
        from gui.theme import apply_theme
    except ImportError as error:  # usually a Qt library missing from the system
        print(
            f"main.py: the window cannot start: {error}. See the README for the Debian "
            "packages Qt needs.",
            file=sys.stderr,
        )
        return 2

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Neural Playground")
    # A screenshot or a timing run shows the default experiment, whatever was used last.
    remember = not (args.screenshot or args.report_startup)
    settings = app_settings() if remember else None
    apply_theme(app, args.theme or stored_theme(settings))
    config = last_config(settings) if settings is not None else None
    window = MainWindow(config, settings)
    if args.report_startup:
        _report_startup(window)
    window.show()
    if args.opened is not None:
        _show_opened(window, args.file, args.opened)
    if args.screenshot:
        window.run_for_screenshot(str(Path(args.screenshot)), args.steps)
    return app.exec()
