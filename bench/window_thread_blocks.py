"""How long the window's thread blocks with about 100,000 points of one's own and a 256-256
network, offscreen: the longest event-loop stall while each action runs, and how long the
action takes to finish.

Run: .venv/bin/python bench/window_thread_blocks.py [--points 100000] [--hidden 256,256]
     [--batch 0] [--before PATH] [--cycles 3] [--profile WORDS]

A 20 ms timer in the window's thread records the gaps between its firings; the longest gap
while an action runs and settles is its stall (20 ms: none; goal < 200 ms), printed with the
processor time the thread had in that gap (the rest it waited: for the GIL, or for other
processes on a busy machine; a quiet phase first shows the machine's noise). The actions:
loading the points from a CSV file, choosing the 256-256 network, starting training,
presentation mode on and off, saving the session, each export (configuration, history,
data, the boundary as PNG), a new configuration while training (the stall, and the
seconds until the first frame of the new network is shown), and closing the window (which
writes the window's remembered settings, the configuration with its points included, to a
settings file of the bench's own, as the app does).

``--before PATH`` runs the same measurements in a subprocess on another checkout of the
project (say, ``git archive HEAD | tar -x -C /tmp/before``) and prints both side by side.
``--cycles N`` opens and closes N windows in one process instead, each training a little on
the same points, and prints the resident memory after each (is a closed window returned?).
``--profile WORDS`` (comma-separated) prints, for each action whose name contains one of
them, the Python stacks a sampling thread saw in the window's thread during its longest
stall (a stack that ends in the event loop is Qt's own work, or a wait for the GIL).
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve()
PROBE_MS = 20
GOAL_MS = 200


def project_root(argv: list[str]) -> Path:
    """The checkout to measure: ``--tree PATH`` (used by ``--before``), else this one."""
    if "--tree" in argv:
        return Path(argv[argv.index("--tree") + 1]).resolve()
    return HERE.parents[1]


ROOT = project_root(sys.argv)
sys.path.insert(0, str(ROOT))


def write_points(path: Path, count: int) -> None:
    """Two noisy moons as x1,x2,label rows: the user's own data file."""
    from sklearn.datasets import make_moons

    X, y = make_moons(count, noise=0.2, random_state=0)
    with open(path, "w") as out:
        out.write("x1,x2,label\n")
        out.writelines(f"{a:.6f},{b:.6f},{k}\n" for (a, b), k in zip(X, y, strict=True))


def quiet_platform_warnings(app) -> None:
    """Qt's offscreen platform says, at every resize, what it does not support."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(mode, context, message: str) -> None:
        if "This plugin does not support" not in message:
            print(message, file=sys.stderr)

    app.message_handler = handler  # kept alive as long as the application
    qInstallMessageHandler(handler)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


class Probe:
    """A 20 ms timer in the window's thread: the longest gap between its firings while an
    action runs, and when a condition first held."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(PROBE_MS)
        self.timer.timeout.connect(self._tick)

    def phase(self, action, done, settle: float, timeout: float) -> tuple[float, float]:
        """Run ``action`` from the event loop; keep turning until ``done()`` has held for
        ``settle`` seconds (or ``timeout`` passed). Returns (longest gap in ms, seconds
        until done (NaN if it never was), the processor time this thread had in that gap,
        in ms: the rest it waited, for the GIL or for other processes)."""
        from PySide6.QtCore import QEventLoop, QTimer

        self.loop = QEventLoop()
        self.done, self.settle, self.timeout = done, settle, timeout
        self.began = self.last = time.perf_counter()
        self.last_cpu = time.thread_time()
        self.longest, self.longest_cpu, self.done_at = 0.0, 0.0, None
        self.longest_span = (self.began, self.began)
        QTimer.singleShot(0, action)
        self.timer.start()
        self.loop.exec()
        self.timer.stop()
        took = float("nan") if self.done_at is None else self.done_at - self.began
        return self.longest * 1000, took, self.longest_cpu * 1000

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        if now - self.last > self.longest:  # and how much of it this thread ran
            self.longest, self.longest_cpu = now - self.last, cpu - self.last_cpu
            self.longest_span = (self.last, now)
        self.last, self.last_cpu = now, cpu
        if self.done_at is None and self.done():
            self.done_at = now
        ended = self.done_at is not None and now - self.done_at >= self.settle
        if ended or now - self.began > self.timeout:
            self.loop.quit()


class StallSampler:
    """Where the window's thread is, every 2 ms, from a thread of its own: the Python
    stacks seen during a stall say what held it (a stack ending in the event loop's
    ``exec`` is Qt's own C++ work, or a wait for the GIL)."""

    def __init__(self, every: float = 0.002, depth: int = 14) -> None:
        self.thread_id, self.every, self.depth = threading.get_ident(), every, depth
        self.samples: list[tuple[float, tuple[str, ...]]] = []
        self.running = True
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while self.running:
            frame = sys._current_frames().get(self.thread_id)
            stack = []
            while frame is not None and len(stack) < self.depth:
                code = frame.f_code
                stack.append(f"{Path(code.co_filename).stem}.{code.co_name}:{frame.f_lineno}")
                frame = frame.f_back
            self.samples.append((time.perf_counter(), tuple(reversed(stack))))
            time.sleep(self.every)

    def report(self, name: str, start: float, end: float, shown: int = 12) -> None:
        """The most frequent stacks between ``start`` and ``end``, to stderr."""
        self.running = False
        self.thread.join()
        inside = [stack for t, stack in self.samples if start <= t <= end]
        print(f"\n{name}: {len(inside)} samples in the longest stall", file=sys.stderr)
        counts = collections.Counter(stack[-7:] for stack in inside)
        for stack, count in counts.most_common(shown):
            print(f"{count:5d}  {' > '.join(stack)}", file=sys.stderr)
        print(file=sys.stderr)


def answer_dialogs(folder: Path) -> dict:
    """Every save dialog answers with a file in ``folder`` named for what it saves."""
    from PySide6.QtWidgets import QInputDialog

    import gui.files.save_dialogs as save_dialogs
    import gui.files.session_files as session_files
    import gui.windows.main_window as main_window

    names = {
        "Save the configuration": "config.json",
        "Save the history": "history.csv",
        "Save the data as CSV": "data.csv",
        "Save the plot as PNG": "boundary.png",
        "Save the session": "session.npz",
    }

    def ask(parent, title, pattern):
        return str(folder / names[title])

    for module in (save_dialogs, session_files, main_window):
        if hasattr(module, "ask_save_path"):
            module.ask_save_path = ask
    QInputDialog.getInt = staticmethod(lambda *args, **kwargs: (1600, True))
    return {title: folder / name for title, name in names.items()}


def measure(points: int, hidden: tuple[int, ...], batch: int | None, profile: str = "") -> dict:
    """Each action's stall; ``profile``: for the actions whose names contain one of its
    comma-separated words, print to stderr where the window's thread was during the longest
    stall (``StallSampler``)."""
    import shiboken6
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gui.app import configure_pyqtgraph
    from gui.windows.main_window import MainWindow
    from model.config import ExperimentConfig

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication([])
    quiet_platform_warnings(app)
    folder = Path(tempfile.mkdtemp(prefix="window-blocks-"))
    data_file = folder / "points.csv"
    write_points(data_file, points)
    paths = answer_dialogs(folder)
    # remembered settings of their own, as the app keeps them (closing writes them)
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(ExperimentConfig(), settings)
    window.controls.speed.setCurrentIndex(window.controls.speed.findData(0.0))  # full speed
    window.resize(1280, 800)
    window.show()
    probe = Probe()
    results: dict = {}
    playground = window.playground

    def record(name: str, action, done, settle: float = 1.0, timeout: float = 300.0) -> None:
        wanted = [part for part in profile.split(",") if part]
        sampler = StallSampler() if any(part in name for part in wanted) else None
        stall, took, ran = probe.phase(action, done, settle, timeout)
        if sampler is not None:
            sampler.report(name, *probe.longest_span)
        results[name] = (stall, took, ran)
        print(
            f"  {name:<36} stall {stall:6.0f} ms (ran {ran:5.0f})   done after {took:6.2f} s",
            flush=True,
        )

    def frame_of(generation: int):
        return lambda: (
            playground.last_frame is not None and playground.last_frame.generation > generation
        )

    def generation() -> int:
        return -1 if playground.last_frame is None else playground.last_frame.generation

    def exists(path: Path):
        return lambda: path.exists()

    record("opening the window", lambda: None, frame_of(-1))
    record("nothing (2 s): the machine's noise", lambda: None, lambda: True, settle=2.0)
    g = generation()
    load = lambda: window.files.load_data(str(data_file))  # noqa: E731
    record(f"loading {points:,} points", load, frame_of(g))
    g = generation()
    changes = {"hidden": hidden}
    train = {"batch_size": batch}

    def choose_network() -> None:
        playground.load_config(playground.config.with_changes(model=changes, train=train))

    record(f"choosing the {'-'.join(map(str, hidden))} network", choose_network, frame_of(g))
    shown = window.frames_drawn
    record(
        "starting training (5 s)",
        window.controls.play_action.trigger,
        lambda: window.frames_drawn > shown,
        settle=5.0,
    )
    presentation = window.presentation.action
    record("presentation mode on", presentation.trigger, lambda: True, settle=2.0)
    record("presentation mode off", presentation.trigger, lambda: True, settle=2.0)
    window.files.path = str(paths["Save the session"])
    record("saving the session", window.files.save_session, exists(paths["Save the session"]))
    record(
        "export: configuration (JSON)",
        window.export_config,
        exists(paths["Save the configuration"]),
    )
    record("export: history (CSV)", window.export_history, exists(paths["Save the history"]))
    record("export: the data (CSV)", window.files.save_data, exists(paths["Save the data as CSV"]))
    record(
        "export: the boundary (PNG)",
        lambda: window.export_png(window.boundary.plotItem),
        exists(paths["Save the plot as PNG"]),
    )
    g = generation()

    def new_configuration() -> None:
        config = playground.config
        widths = tuple(w - 1 for w in config.model.hidden)
        playground.load_config(config.with_changes(model={"hidden": widths}))

    record("a new configuration while training", new_configuration, frame_of(g))
    # as the user closes it (Quit, or the title bar's button): the window goes at once,
    # its threads stop in the background (earlier trees: close waited for them)
    quit_window = getattr(window, "close_without_waiting", window.close)
    closing = getattr(window, "closing", None)

    def closed() -> bool:
        return closing is None or not shiboken6.isValid(closing) or closing.finished

    record("closing the window", quit_window, closed, settle=0.5)
    return {name: list(figures) for name, figures in results.items()}


def cycles(count: int, points: int, hidden: tuple[int, ...], batch: int | None) -> list:
    """Open, train a little, close: the resident memory after each closed window."""
    from PySide6.QtCore import QEvent, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from gui.app import configure_pyqtgraph
    from gui.windows.main_window import MainWindow
    from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
    from model.io.points_file import read_points

    configure_pyqtgraph()
    app = QApplication.instance() or QApplication([])
    quiet_platform_warnings(app)
    folder = Path(tempfile.mkdtemp(prefix="window-cycles-"))
    data_file = folder / "points.csv"
    write_points(data_file, points)
    read = read_points(data_file, "classification")
    config = ExperimentConfig(
        DataConfig.custom(read.X, read.y, read.class_names),
        ModelConfig(hidden=hidden),
        TrainConfig(batch_size=batch),
    )
    figures = [rss_mb()]
    print(f"  before any window: {figures[0]:.0f} MB", flush=True)

    def turn(seconds: float) -> None:
        loop = QEventLoop()
        QTimer.singleShot(int(seconds * 1000), loop.quit)
        loop.exec()

    for cycle in range(count):
        window = MainWindow(config)
        window.controls.speed.setCurrentIndex(window.controls.speed.findData(0.0))
        window.show()
        while window.playground.last_frame is None:
            turn(0.05)
        window.controls.play_action.trigger()
        turn(4.0)
        released = weakref.ref(window)
        window.close()  # as the user closes it: no deleteLater here
        del window
        for _ in range(3):
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            app.processEvents()
        gc.collect()
        turn(0.5)
        figures.append(rss_mb())
        kept = "kept alive" if released() is not None else "released"
        print(f"  after window {cycle + 1}: {figures[-1]:.0f} MB (the window {kept})", flush=True)
    return figures


def run_tree(tree: Path, args: argparse.Namespace) -> dict:
    """The same measurements on another checkout, in a subprocess."""
    command = [sys.executable, str(HERE), "--tree", str(tree), "--json", "-"]
    command += ["--points", str(args.points), "--hidden", args.hidden, "--batch", str(args.batch)]
    command += ["--cycles", str(args.cycles)] if args.cycles else []
    out = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--hidden", default="256,256", help="comma-separated hidden widths")
    parser.add_argument("--batch", type=int, default=0, help="batch size (0: full batch)")
    parser.add_argument("--before", type=Path, help="another checkout, measured first")
    parser.add_argument("--cycles", type=int, default=0, help="open and close N windows")
    parser.add_argument(
        "--profile",
        default="",
        help="where the window's thread was in the longest stall of the actions whose names "
        "contain one of these comma-separated words",
    )
    parser.add_argument("--tree", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    hidden = tuple(int(w) for w in args.hidden.split(",") if w)
    batch = args.batch or None
    before = run_tree(args.before, args) if args.before else None
    if args.json:  # a subprocess of --before: progress to stderr, figures last on stdout
        sys.stdout, real = sys.stderr, sys.stdout
    print(f"{'before' if args.json else 'this tree'} ({ROOT}):", flush=True)
    if args.cycles:
        after: dict | list = cycles(args.cycles, args.points, hidden, batch)
    else:
        after = measure(args.points, hidden, batch, args.profile)
    if args.json:
        print(json.dumps(after), file=real)
        return
    what = f"{args.points:,} points, 2-{'-'.join(map(str, hidden))}-2"
    what += f", batch {batch}" if batch else ", full batch"
    if args.cycles:
        print(f"\nresident memory (MB) over {args.cycles} windows opened and closed, {what}")
        labels = ["before any window", *(f"after window {i + 1}" for i in range(args.cycles))]
        print(f"{'':<20} {'before':>8} {'after':>8}")
        for i, label in enumerate(labels):
            old = f"{before[i]:8.0f}" if before else f"{'':>8}"
            print(f"{label:<20} {old} {after[i]:8.0f}")
        return
    print(f"\nlongest stall of the window's thread in ms (goal < {GOAL_MS}), {what};")
    print("in brackets the processor time the thread had in it, the rest it waited")
    print(f"{'action':<36} {'before':>13} {'after':>13}   done after s (before / after)")
    nothing = (float("nan"),) * 3
    for name, (stall, took, ran) in after.items():
        old_stall, old_took, old_ran = before.get(name, nothing) if before else nothing
        old = f"{old_stall:6.0f} ({old_ran:4.0f})" if before else f"{'':>13}"
        olds = f"{old_took:6.2f} / " if before else ""
        print(f"{name:<36} {old} {stall:6.0f} ({ran:4.0f})   {olds}{took:6.2f}")


if __name__ == "__main__":
    main()
