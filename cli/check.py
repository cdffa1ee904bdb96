"""``main.py check PATH``: a student's own course modules (modules.py, mlp_numpy.py,
perceptron.py) checked module by module against the app's reference, one line per check as
it finishes, and a last line saying which modules fail. Exit status 0 when every check
passes, 1 when any fails, 2 when there is nothing to check at PATH."""

from __future__ import annotations

import argparse
import sys

from cli.flags import UsageError
from cli.output_files import check_output_path, write_file

RUNS_CODE = (
    "Checking runs the code in the folder: its files are imported and their classes called, "
    "in a process of its own with a time limit per check and a memory limit, its output "
    "captured. Check only code you would run yourself."
)


def add_parser(subcommands: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """The ``check`` subcommand and its flags."""
    check = subcommands.add_parser(
        "check",
        help="check your own course modules against the reference (runs the code in PATH)",
        description="Check a student's own Linear, ReLU, SoftMax, CrossEntropy (modules.py), "
        "MLP (mlp_numpy.py) and Perceptron (perceptron.py) against the app's reference: "
        "shapes, forward values, every backward pass, a short training run. " + RUNS_CODE,
    )
    check.add_argument(
        "path",
        metavar="PATH",
        help="a folder with the course's files (modules.py, mlp_numpy.py, perceptron.py), "
        "or one Python file",
    )
    check.add_argument(
        "--json",
        default=None,
        metavar="OUT",
        help="also write the results to this file: a list of objects with module, check, "
        "passed and message",
    )
    return check


def run(args: argparse.Namespace) -> int:
    """Check, printing each line as its check finishes; the exit status."""
    from model.checking.discovery import NoStudentCode
    from model.checking.runner import CheckingFailed, run_checks

    check_output_path(args.json, "--json")
    try:
        report = run_checks(
            args.path, progress=lambda result, _done, _total: print(result.line(), flush=True)
        )
    except NoStudentCode as error:
        raise UsageError(f"main.py check: {error}") from None
    except CheckingFailed as error:
        print(f"main.py check: {error}", file=sys.stderr)
        return 1
    print(report.summary())
    status = report.exit_status()
    if args.json:
        status = write_file(args.json, report.json_bytes()) or status
    return status
