"""The files the commands write (CSV tables, the landscape's figure): a path that cannot be
written is refused before the work (exit 2, one line); a write that fails afterwards says so
on one line, leaves any old file as it was and makes the exit status 1."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from cli.flags import UsageError


def check_output_path(path: str | None, flag: str = "--csv") -> None:
    """UsageError if ``path`` (given by ``flag``) cannot be written; None is no file."""
    from model.io.safe_files import check_writable

    if path is not None and (problem := check_writable(path)):
        raise UsageError(f"{flag}: cannot write {path}: {problem}")


def write_file(path: str, data: bytes) -> int:
    """Write ``data`` atomically; the exit status (1, said on one line, if it failed)."""
    from model.io.safe_files import write_atomic

    try:
        write_atomic(path, data)
    except OSError as error:
        print(f"cannot write {path}: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0


def write_csv(path: str, header: Sequence[str], rows: list) -> int:
    """Write a table atomically; the exit status, as ``write_file``."""
    from model.io.safe_files import csv_bytes

    return write_file(path, csv_bytes(header, rows))
