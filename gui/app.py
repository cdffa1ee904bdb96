"""Application entry point. Until the window lands, runs the default experiment headless."""

from __future__ import annotations


def main(argv: list[str]) -> int:
    from model.cli import run

    return run(["train", *argv])
