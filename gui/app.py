"""QApplication set-up and main(): parse the window's options, open the main window.

Nothing here imports Qt at module level, so ``main.py --help`` and a missing Qt library
give one readable answer rather than a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn


class UsageError(Exception):
    """A bad window option: reported on one line, exit status 2, before any window opens."""


class WindowOptionParser(argparse.ArgumentParser):
    """argparse, but an error is one line and no exit (main() reports it with status 2), and
    options are spelt out in full (an abbreviation is refused, not guessed)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message}")


# --size: the smallest window the panels fit in, the largest a 8K screen shows
MIN_SIZE = (800, 600)
MAX_SIZE = (7680, 4320)


def window_size(text: str) -> tuple[int, int]:
    """``1280x800`` -> (1280, 800), within MIN_SIZE and MAX_SIZE (argparse's type)."""
    match = re.fullmatch(r"\s*(\d{1,6})\s*[xX×]\s*(\d{1,6})\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not WIDTHxHEIGHT, such as 1280x800")
    width, height = int(match[1]), int(match[2])
    (low_w, low_h), (high_w, high_h) = MIN_SIZE, MAX_SIZE
    if not (low_w <= width <= high_w and low_h <= height <= high_h):
        raise argparse.ArgumentTypeError(
            f"{text!r} is outside {low_w}x{low_h} to {high_w}x{high_h}"
        )
    return width, height


def window_parser(commands: Sequence[str] = (), commands_help: str = "") -> WindowOptionParser:
    """The window's options; ``main.py`` passes the headless commands' names and their
    one-line descriptions, listed after the options in --help (the window knows no command).

    ImportError if Qt cannot be loaded (the theme names come from the Qt side)."""
    from gui.appearance.theme import THEMES
    from model.io.presets import OPENING_PRESET, read_presets

    command_usage = f"\n       %(prog)s {{{','.join(commands)}}} ..." if commands else ""
    parser = WindowOptionParser(
        prog="main.py",
        usage="%(prog)s [FILE | --preset NAME | --playground URL] [--theme THEME] "
        "[--size WIDTHxHEIGHT]\n"
        "                "
        "[--network] [--landscape] [--presentation]\n"
        "                [--screenshot PATH [--steps N]]\n"
        "                [--record PATH [--steps N] [--fps F] [--every K]\n"
        "                 [--capture boundary|window] [--no-caption]]" + command_usage,
        description="Neural Playground. Without a command, opens the window; with one,\n"
        "runs it headless and prints the results.",
        epilog=commands_help or None,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    window = parser.add_argument_group("window options")
    window.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="a saved session (.npz) to continue, or a data file (.csv of x1,x2,label) to train on",
    )
    slugs = ", ".join(preset.slug for preset in read_presets())
    window.add_argument(
        "--preset",
        metavar="NAME",
        help=f"open a ready-made experiment from the Presets menu: {slugs} "
        "(or its title, in any case). Without it the window opens on the experiment last "
        f"used, or on {OPENING_PRESET}",
    )
    window.add_argument(
        "--playground",
        metavar="URL",
        help="open a TensorFlow Playground link (the whole address or the part after '#'; "
        "quote it, it holds '&') and train its experiment by Playground's rules: its points, "
        "weights and losses (File > Open Playground link…)",
    )
    window.add_argument(
        "--theme",
        choices=THEMES,
        default=None,
        help="light or dark colours (default: as last chosen in View > Theme, else the "
        "desktop's scheme)",
    )
    low, high = (f"{w}x{h}" for w, h in (MIN_SIZE, MAX_SIZE))
    window.add_argument(
        "--size",
        type=window_size,
        metavar="WIDTHxHEIGHT",
        help=f"the window's size in pixels, such as 1280x800 ({low} to {high})",
    )
    window.add_argument(
        "--network",
        action="store_true",
        help="open the Network dock (every neuron's map and every weight)",
    )
    window.add_argument(
        "--landscape",
        action="store_true",
        help="open the Loss landscape dock (the loss around the weights, the path of training)",
    )
    window.add_argument(
        "--presentation",
        action="store_true",
        help="start in presentation mode (View > Presentation mode, F11): full screen, "
        "large text, the epoch counter",
    )
    window.add_argument(
        "--screenshot",
        metavar="PATH",
        help="train, save a PNG of the whole window to PATH, and exit",
    )
    window.add_argument(
        "--steps",
        type=int,
        default=300,
        metavar="N",
        help="updates to train before the screenshot, or while recording (default 300)",
    )
    _recording_options(window)
    window.add_argument(
        "--report-startup",
        action="store_true",
        help="print the wall-clock times of the first paint and the first drawn frame, "
        "then exit (used by bench/gui_speed.py)",
    )
    return parser


def _recording_options(group) -> None:
    """--record and its options: a GIF or MP4 of training, made offscreen for figures."""
    from gui.files.recording_writer import DEFAULT_FPS, FPS_RANGE

    group.add_argument(
        "--record",
        metavar="PATH",
        help="train --steps updates while recording the boundary (or the window) to PATH, "
        "an animated .gif or an .mp4 video, and exit",
    )
    group.add_argument(
        "--fps",
        type=float,
        default=DEFAULT_FPS,
        metavar="F",
        help=f"frames per second of the recording as it plays ({FPS_RANGE[0]} to "
        f"{FPS_RANGE[1]}, default {DEFAULT_FPS})",
    )
    group.add_argument(
        "--every",
        type=int,
        metavar="K",
        help="one frame of the recording every K updates (default: steps / 100, so about "
        "100 frames)",
    )
    group.add_argument(
        "--capture",
        choices=("boundary", "window"),
        default="boundary",
        help="what --record films: the decision boundary view (default) or the whole window",
    )
    group.add_argument(
        "--caption",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="a strip below each frame of --record with the epoch, update, train loss and "
        "test accuracy (MSE for regression) of the state shown (default: on)",
    )


def _check_recording(args: argparse.Namespace) -> None:
    """UsageError for a --record that cannot be made: checked before any window opens."""
    from gui.files.recording_writer import MAX_FRAMES, recording_problem
    from gui.windows.record_command import default_every

    if not args.record:
        return
    if args.screenshot:
        raise UsageError("main.py: --screenshot and --record: choose one")
    if args.every is None:
        args.every = default_every(args.steps)
    if args.every < 1:
        raise UsageError("main.py: --every must be 1 or more")
    frames = args.steps // args.every + 2
    if frames > MAX_FRAMES:
        raise UsageError(
            f"main.py: --record would make about {frames:,} frames, more than the "
            f"{MAX_FRAMES:,} allowed: raise --every"
        )
    problem = recording_problem(args.record, args.fps)
    if problem:
        raise UsageError(f"main.py: --record: {problem}")


def _options(
    argv: list[str], commands: Sequence[str] = (), commands_help: str = ""
) -> argparse.Namespace:
    from model.limits import WINDOW_STEPS_RANGE

    args = window_parser(commands, commands_help).parse_args(argv)
    low, high = WINDOW_STEPS_RANGE
    if not low <= args.steps <= high:
        raise UsageError(f"main.py: --steps must be from {low} to {high:,}, not {args.steps:,}")
    for flag in ("screenshot", "record"):
        _check_file_name(flag, getattr(args, flag))
    args.opened = _open_file(args.file) if args.file else None
    args.preset_found = None
    if args.preset is not None:
        from model.io.presets import find_preset

        if args.opened is not None and args.opened[0] == "session":
            raise UsageError("main.py: a session brings its own settings: drop --preset")
        try:
            args.preset_found = find_preset(args.preset)
        except LookupError as error:
            raise UsageError(f"main.py: --preset: {error}") from None
    args.playground_rules = _playground_rules(args)
    if args.screenshot:
        from model.io.safe_files import check_writable

        if Path(args.screenshot).suffix.lower() != ".png":
            raise UsageError(f"main.py: --screenshot: {args.screenshot}: a screenshot is a .png")

        problem = check_writable(args.screenshot)
        if problem:
            raise UsageError(f"main.py: cannot write {args.screenshot}: {problem}")
    _check_recording(args)
    return args


def _playground_rules(args: argparse.Namespace):
    """--playground's link read (UsageError, one line naming the key, if bad); None without."""
    if args.playground is None:
        return None
    if args.file or args.preset is not None:
        given = "a file" if args.file else "--preset"
        raise UsageError(f"main.py: --playground and {given}: choose one")
    from model.playground.config import PlaygroundLinkError
    from model.playground.link import parse_link
    from model.playground.trainer import check_window_link

    try:
        rules = parse_link(args.playground)
        check_window_link(rules)
        return rules
    except PlaygroundLinkError as error:
        raise UsageError(f"main.py: --playground: {error}") from None


def _check_file_name(flag: str, path: str | None) -> None:
    """UsageError for a --screenshot or --record that names no file: empty, or a folder's
    name ending in a slash (either would open the interactive window and never exit)."""
    if path is None:
        return
    if not path.strip():
        raise UsageError(f"main.py: --{flag} needs a file name")
    if path.endswith(("/", "\\")) or Path(path).name in ("", ".", ".."):
        raise UsageError(f"main.py: --{flag}: {path} names a folder, not a file")


def _open_file(path: str):
    """Read the file named on the command line before any window opens (UsageError if bad).

    Returns ("data", LabelledPoints) or ("session", (configuration, trainer)).
    """
    try:
        if path.lower().endswith(".csv"):
            from model.io.points_file import read_points

            return "data", read_points(path)
        from model.io.session import load_session

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


def apply_window_options(window, args: argparse.Namespace) -> None:
    """--size, --network, --landscape and --presentation, on a window already shown."""
    if args.size is not None:
        window.resize(*args.size)
    if args.network:
        window.network_dock.show()
    if args.landscape:
        window.landscape_dock.show()
        window.landscape_dock.raise_()  # in front of the Network tab
    if args.presentation:
        window.presentation.action.setChecked(True)


def _cannot_start(error: ImportError) -> int:
    print(
        f"main.py: the window cannot start: {error}. See the README for the Debian "
        "packages Qt needs.",
        file=sys.stderr,
    )
    return 2


def main(argv: list[str], commands: Sequence[str] = (), commands_help: str = "") -> int:
    """Open the window with the options in ``argv``; returns the exit status. ``commands``
    and ``commands_help`` are the headless commands, for --help (main.py passes them)."""
    try:
        args = _options(argv, commands, commands_help)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except ImportError as error:  # usually a Qt library missing from the system
        return _cannot_start(error)
    try:
        from PySide6.QtWidgets import QApplication

        from gui.appearance.theme import apply_theme
        from gui.files.settings import app_settings, last_config, stored_theme
        from gui.windows.main_window import MainWindow
        from gui.windows.screenshot import ScreenshotWhenTrained
    except ImportError as error:
        return _cannot_start(error)

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Neural Playground")
    # A screenshot or a timing run shows the opening experiment, whatever was used last;
    # with nothing remembered, the window opens on it too (MainWindow's default).
    remember = not (args.screenshot or args.report_startup or args.record)
    settings = app_settings() if remember else None
    apply_theme(app, args.theme or stored_theme(settings))
    config = last_config(settings) if settings is not None else None
    if args.preset_found is not None:
        config = args.preset_found.config
    window = MainWindow(config, settings)
    if args.report_startup:
        _report_startup(window)
    window.show()
    apply_window_options(window, args)
    if args.opened is not None:
        _show_opened(window, args.file, args.opened)
    if args.playground_rules is not None:
        window.playground_links.open_rules(args.playground_rules)
    if args.screenshot:
        screenshot = ScreenshotWhenTrained(window, str(Path(args.screenshot)), args.steps)
    if args.record:
        return _record(app, window, args)
    status = app.exec()
    window.close()  # closed already: waits for the threads it started, if any still run
    if args.screenshot and not screenshot.written:
        return 1  # it said why on stderr
    return status


def _record(app, window, args: argparse.Namespace) -> int:
    """--record: the run, then its exit status (Ctrl+C leaves no file behind)."""
    import signal

    from gui.windows.record_command import RecordWhenTrained

    window.start_hint.dismiss()  # the film shows training, not what to press
    try:
        recording = RecordWhenTrained(
            window, args.record, args.steps, args.every, args.fps, args.capture, args.caption
        )
    except (OSError, ValueError) as error:
        print(f"main.py: --record: {error}", file=sys.stderr)
        window.close()
        return 1
    signal.signal(signal.SIGINT, lambda *_: window.close())
    app.exec()
    window.close()  # closed already: waits for the threads it started, if any still run
    recording.end_early()
    return recording.exit_code
