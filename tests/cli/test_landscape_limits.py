"""``main.py landscape`` bounds its work and says how far it is: a slice of more than
LANDSCAPE_MAX_WORK (points x parameters x training points) is refused on one line naming the
product and the limit, before anything trains; the default and typical runs pass; a slice that
takes a while shows its progress on stderr, in place on a terminal."""

import os
import sys

import pytest

import cli.landscape as landscape
from cli.app import parse, run
from cli.experiment_config import run_config
from cli.landscape import Progress, check_work
from model.limits import LANDSCAPE_MAX_WORK

HUGE = [
    "landscape", "--max_steps", "1", "--dnn_hidden_units", "256,256,256,256,256,256,256,256",
    "--n_samples", "100000", "--resolution", "101",
]  # fmt: skip


def test_a_slice_of_hours_is_refused_on_one_line_naming_the_product_and_the_limit(capsys):
    assert run(HUGE) == 2
    out, err = capsys.readouterr()
    assert out == ""  # refused before it trained: not even train's line
    line = err.strip()
    assert len(line.splitlines()) == 1
    for part in ("10,201 on the grid", "461,826 parameters", "80,000 training points", "3.8e+14"):
        assert part in line
    assert f"{LANDSCAPE_MAX_WORK:.0e}" in line and "--resolution" in line


@pytest.mark.parametrize(
    "flags",
    [
        [],  # the default run
        ["--resolution", "101", "--n_samples", "100000"],  # the finest grid on the most points
        ["--dnn_hidden_units", "256,256,256,256,256,256,256,256", "--n_samples", "1000"],
        ["--dnn_hidden_units", "64,64,64,64,64,64", "--resolution", "101"],
    ],
    ids=["default", "finest grid, most points", "widest network", "deep, finest grid"],
)
def test_the_default_and_typical_runs_are_within_the_limit(flags):
    args = parse(["landscape", *flags])
    check_work(run_config(args), args.resolution)  # raises if refused


class Terminal:
    """A real terminal (a pseudo-terminal pair): what is written to it, as read back."""

    def __init__(self) -> None:
        self.reader, writer = os.openpty()
        self.stream = open(writer, "w", encoding="utf-8")  # noqa: SIM115 (closed below)
        os.set_blocking(self.reader, False)

    def text(self) -> str:
        chunks = []
        while True:
            try:
                chunks.append(os.read(self.reader, 65536))
            except BlockingIOError:
                return b"".join(chunks).decode()

    def close(self) -> None:
        self.stream.close()
        os.close(self.reader)


@pytest.fixture
def terminal():
    tty = Terminal()
    yield tty
    tty.close()


def test_progress_on_a_terminal_is_one_line_rewritten_then_wiped(terminal):
    now = [0.0]
    progress = Progress(200, terminal.stream, clock=lambda: now[0])
    assert terminal.stream.isatty()
    progress(10)  # a quick slice says nothing
    assert terminal.text() == ""
    now[0] = 2.0
    progress(50)
    assert terminal.text() == (
        "\rlandscape: 50 of 200 points computed (25%) in 2 s, about 6 s left\x1b[K"
    )
    now[0] = 2.1
    progress(60)  # not yet the next refresh
    assert terminal.text() == ""
    now[0] = 400.0
    progress(199)
    assert terminal.text().startswith("\rlandscape: 199 of 200 points computed (100%) in 7 min")
    progress.close()
    assert terminal.text() == "\r\x1b[K"  # the result line will stand alone


def test_progress_in_a_log_is_a_whole_line_now_and_then(tmp_path):
    now = [0.0]
    with open(tmp_path / "log", "w+", encoding="utf-8") as log:
        progress = Progress(1000, log, clock=lambda: now[0])
        for now[0], done in ((5.0, 100), (12.0, 300), (15.0, 400), (23.0, 700)):
            progress(done)
        progress.close()
        log.seek(0)
        assert log.read() == (
            "landscape: 300 of 1,000 points computed (30%) in 12 s, about 28 s left\n"
            "landscape: 700 of 1,000 points computed (70%) in 23 s, about 10 s left\n"
        )


def test_a_run_shows_its_progress_on_the_terminal_and_its_result_alone(
    terminal, monkeypatch, capsys
):
    monkeypatch.setattr(landscape, "PROGRESS_QUIET", 0.0)  # every piece: the run is quick
    monkeypatch.setattr(landscape, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(sys, "stderr", terminal.stream)
    assert run(["landscape", "--max_steps", "5", "--n_samples", "200", "--resolution", "3"]) == 0
    shown = terminal.text()
    assert shown.count("\rlandscape: ") >= 2  # the grid, then each of the path's points
    assert "11 of 11 points computed (100%)" in shown  # 9 on the grid, 2 on the path (0 and 5)
    assert shown.endswith("\r\x1b[K")
    out = capsys.readouterr().out
    assert out.startswith("Centre (0, 0)") and len(out.splitlines()) == 1


def test_a_quick_run_writes_nothing_on_stderr(capsys):
    assert run(["landscape", "--max_steps", "2", "--n_samples", "100", "--resolution", "3"]) == 0
    assert capsys.readouterr().err == ""
