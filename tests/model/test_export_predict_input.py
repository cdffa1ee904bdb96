"""What an exported script's ``--predict FILE`` does with a file it cannot use: exit 2 and one
line on stderr naming the file (and the line, for a bad row), never a traceback, never a hang,
never unbounded memory; and the numbers it accepts are the ones the app reads in a points file.

The reader is the same text in the NumPy and the PyTorch script (model/export/script_command.py),
so it is tested through the NumPy script; the PyTorch script's cases run where torch can be
imported (see export_runs.py).
"""

import csv
import importlib.util
import io
import math
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from model.config import DataConfig, ExperimentConfig, ModelConfig, TrainConfig
from model.export.scripts import export_trainer
from model.io.points_file import parse_points
from model.limits import MAX_COORDINATE, MAX_CSV_FIELD_CHARS, MAX_POINTS_FILE_BYTES
from model.numbers import parse_number
from model.training.trainer import build_trainer
from tests.model.export_runs import NO_TORCH, torch_python

TORCH = torch_python()
needs_torch = pytest.mark.skipif(TORCH is None, reason=NO_TORCH)
TIMEOUT = 20  # seconds: a script that waits on a FIFO is killed, and the test fails
MEMORY = 2 * 2**30  # the NumPy script's address space: reading without end fails fast
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

GOOD = "x1,x2,label\n0.5,0.25,a\n\n-1,2,b\n"  # a header, a blank line, a further column


@pytest.fixture(scope="module")
def scripts(tmp_path_factory) -> dict[str, Path]:
    """The exported scripts, made once: a classifier (NumPy and PyTorch), a regression and a
    perceptron (NumPy)."""
    folder = tmp_path_factory.mktemp("scripts")
    configs = {
        "classifier": ExperimentConfig(),
        "regression": ExperimentConfig(
            DataConfig("multigauss", problem="regression"),
            ModelConfig("mlp", (4,)),
            TrainConfig("adam", 0.05),
        ),
        "perceptron": ExperimentConfig(
            DataConfig("gaussians"), ModelConfig("perceptron"), TrainConfig("sgd", 0.01)
        ),
    }
    paths = {}
    for name, config in configs.items():
        trainer = build_trainer(config)
        trainer.train(3)
        paths[name] = folder / f"{name}.py"
        export_trainer("numpy", trainer, paths[name])
        if name == "classifier":
            paths["torch"] = folder / "classifier_torch.py"
            export_trainer("torch", trainer, paths["torch"])
    return paths


@pytest.fixture(scope="module")
def script_module(scripts):
    """The NumPy script imported, as a user may import it: its reading functions."""
    spec = importlib.util.spec_from_file_location("exported_classifier", scripts["classifier"])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(script: Path, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess:
    limit = _limit_memory if python == sys.executable else None
    return subprocess.run(
        [python, str(script), *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=script.parent,
        env={**os.environ, **ONE_THREAD},  # BLAS threads' buffers stay within MEMORY
        preexec_fn=limit,
    )


def refused(result: subprocess.CompletedProcess, path: Path | str, *words: str) -> str:
    """The one line of a refusal (exit 2): it names the file and holds ``words``."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    line = lines[0]
    assert str(path) in line
    for word in words:
        assert word in line
    return line


def write(path: Path, data: str | bytes) -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


# Files the script cannot use: each one line, exit 2.


def _missing(folder: Path) -> tuple[Path, tuple[str, ...]]:
    return folder / "no such file.csv", ("No such file",)


def _directory(folder: Path) -> tuple[Path, tuple[str, ...]]:
    (folder / "points").mkdir()
    return folder / "points", ("not a regular file",)


def _fifo(folder: Path) -> tuple[Path, tuple[str, ...]]:
    os.mkfifo(folder / "pipe.csv")  # no writer: opening it plainly waits for ever
    return folder / "pipe.csv", ("not a regular file",)


def _device(folder: Path) -> tuple[Path, tuple[str, ...]]:
    return Path("/dev/zero"), ("not a regular file",)  # endless bytes


def _too_large(folder: Path) -> tuple[Path, tuple[str, ...]]:
    path = folder / "large.csv"
    with path.open("wb") as handle:  # sparse: no disk used
        handle.truncate(MAX_POINTS_FILE_BYTES + 1)
    return path, ("larger than",)


def _latin1(folder: Path) -> tuple[Path, tuple[str, ...]]:
    text = "x1,x2,label\n0,0,a\n1,1,caf\u00e9\n"
    return write(folder / "latin1.csv", text.encode("latin-1")), ("UTF-8", "line 3")


def _long_field(folder: Path) -> tuple[Path, tuple[str, ...]]:
    return write(folder / "long.csv", "0,0,a\n1,1," + "b" * 200_000 + "\n"), ("line 2",)


def _no_points(folder: Path) -> tuple[Path, tuple[str, ...]]:
    return write(folder / "empty.csv", "x1,x2\n\n"), ("no points",)


BAD_FILES = {
    "missing": _missing,
    "directory": _directory,
    "fifo": _fifo,
    "/dev/zero": _device,
    "over the size limit": _too_large,
    "Latin-1": _latin1,
    "a 200 kB field": _long_field,
    "no points": _no_points,
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_file_that_cannot_be_used_is_one_line_and_exit_2(scripts, tmp_path, case):
    path, words = BAD_FILES[case](tmp_path)
    refused(run(scripts["classifier"], "--predict", str(path)), path, *words)


# Rows that are no finite numbers in the app's grammar: the line is named.

BAD_ROWS = {
    "nan": ("x1,x2\n0,0\nnan,1\n", "line 3", "x1"),
    "inf": ("0,0\n1,-inf\n", "line 2", "x2"),
    "1_0": ("0,0\n\n1_0,1\n", "line 3", "x1"),
    "1e400": ("0,0\n1e400,1\n", "line 2", "x1"),
    "beyond the app's coordinates": ("0,0\n1e7,1\n", "line 2", "beyond"),
    "one column": ("0,0\n1\n", "line 2", "2 columns"),
    "a word after the first line": ("0,0\nzero,1\n", "line 2", "'zero'"),
}


@pytest.mark.parametrize("case", list(BAD_ROWS))
def test_a_bad_row_names_its_line(script_module, tmp_path, capsys, case):
    """Run in this process (the script imported, its main called as the command line calls
    it), to keep the many cases quick; the subprocess runs below check the same end to end."""
    text, line, word = BAD_ROWS[case]
    path = write(tmp_path / "points.csv", text)
    out = tmp_path / "predictions.csv"
    status = script_module.main(["--predict", str(path), str(out)])
    captured = capsys.readouterr()
    result = subprocess.CompletedProcess([], status, captured.out, captured.err)
    refused(result, path, line, word)
    assert not out.exists()  # nothing is predicted from a file taken in part


@pytest.mark.parametrize("kind", ["classifier", "regression", "perceptron"])
def test_every_kind_of_script_names_the_bad_line(scripts, tmp_path, kind):
    path = write(tmp_path / "points.csv", "x1,x2\n0,0\n\ninf,1\n")
    refused(run(scripts[kind], "--predict", str(path)), path, "line 4", "inf")


@needs_torch
@pytest.mark.parametrize("case", ["fifo", "Latin-1", "a 200 kB field"])
def test_the_torch_script_refuses_the_same_way(scripts, tmp_path, case):
    path, words = BAD_FILES[case](tmp_path)
    refused(run(scripts["torch"], "--predict", str(path), python=TORCH), path, *words)
    bad = write(tmp_path / "nan.csv", "0,0\nnan,1\n")
    refused(run(scripts["torch"], "--predict", str(bad), python=TORCH), bad, "line 2")


def test_a_good_file_is_still_read_as_before(scripts, tmp_path):
    """A header, a blank line, further columns and a byte-order mark are all fine."""
    path = write(tmp_path / "points.csv", "\ufeff" + GOOD)
    result = run(scripts["classifier"], "--predict", str(path))
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0][:3] == ["x1", "x2", "class"]
    assert [row[:2] for row in rows[1:]] == [["0.5", "0.25"], ["-1.0", "2.0"]]
    for row in rows[1:]:
        assert math.isclose(sum(float(p) for p in row[3:]), 1.0)


def test_an_output_that_cannot_be_written_is_one_line_and_exit_1(scripts, tmp_path):
    path = write(tmp_path / "points.csv", GOOD)
    result = run(scripts["classifier"], "--predict", str(path), str(tmp_path))
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert str(tmp_path) in result.stderr and "could not be written" in result.stderr


# The grammar: the script reads a number exactly as the app does.

# fmt: off
TRICKY = [
    "1_0", "0_1", "1__0", "_1", "1_", "1e5", "1E5", " 2 ", "\t3\n", "nan", "NaN", "-nan",
    "inf", "-inf", "Infinity", "-infinity", "1e400", "-1e400", "1e-400", "0x10", "0b1", "1j",
    "True", "\uff11\uff12", "\u0661\u0662", "\u0661e\u0663", "+1", "-.5", ".5e-3", "1.", ".",
    "", "  ", "1 2", "1e", "e5", "--1", "+-1", "\xa01\xa0", "1\x00", "+0", "-0", "0001",
    "1.5e+3", "1e6", "-1e6", "1000000.0000001", "1e7", "1,5",
]
# fmt: on


def _parse_number_reads(text: str) -> bool:
    try:
        parse_number(text)
    except ValueError:
        return False
    return True


def _app_file_reads(text: str) -> bool:
    """Whether the app's own points reader takes ``text`` as a point's x1."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(
        [["0", "0", "a"], [text, "0", "a"], ["1", "1", "b"], ["2", "2", "b"]]
    )
    try:
        parse_points(buffer.getvalue())
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("text", TRICKY)
def test_the_scripts_grammar_is_the_apps(script_module, text):
    """parse_number's numbers (finite, Python's float syntax), less the digit separator that a
    file never means (model/io/points_file.py), within the app's coordinates."""
    number = script_module._number(text)
    finite = number is not None and math.isfinite(number)
    if "_" in text:
        assert number is None  # 1_0 is not ten in a file
    else:
        assert finite == _parse_number_reads(text)
        if finite:
            assert number == parse_number(text)
    problem = script_module._coordinate_problem("x1", text)
    assert (problem is None) == _app_file_reads(text)
    assert problem is None or "\n" not in problem


def test_the_script_bakes_the_apps_limits(scripts):
    """The stand-alone script holds the app's numbers (model/limits.py), not its own."""
    text = scripts["classifier"].read_text(encoding="utf-8")
    assert f"MAX_FILE_BYTES = {MAX_POINTS_FILE_BYTES!r}" in text
    assert f"MAX_FIELD_CHARS = {MAX_CSV_FIELD_CHARS!r}" in text
    assert f"MAX_COORDINATE = {MAX_COORDINATE!r}" in text
