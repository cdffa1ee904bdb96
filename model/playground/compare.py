"""Runs that differ in one setting of a Playground link, each trained by Playground's rules:
the Experiments window's comparison while the shown run follows them.

Every run is the link with that one key changed (``batchSize`` or ``learningRate``), so all
of them have the link's points and initial weights, which both keys leave alone (the seeded
stream draws the points, the shuffle and the weights before any training). Their histories
are PlaygroundTrainer's: Playground's loss (the mean of half the squared error) after every
epoch, and an accuracy by the output's sign.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from model.experiments.comparisons import Cancel, Comparison, RunResult
from model.playground.config import PlaygroundConfig
from model.playground.link import link_from_config, parse_link
from model.playground.trainer import PlaygroundTrainer
from model.training.evaluation import TrainingInterrupted
from model.training.trainer import TrainingDiverged

PLAYGROUND_COMPARABLE = {"batch_size": "batchSize", "learning_rate": "learningRate"}


def rules_with(rules: PlaygroundConfig, parameter: str, value: object) -> PlaygroundConfig:
    """The link of ``rules`` with one key changed, read back as a pasted link is (a value
    Playground would refuse: PlaygroundLinkError naming the key; another parameter:
    ValueError)."""
    if parameter not in PLAYGROUND_COMPARABLE:
        raise ValueError(
            f"under Playground rules the runs compared differ in "
            f"{' or '.join(n.replace('_', ' ') for n in PLAYGROUND_COMPARABLE)}, not "
            f"{parameter.replace('_', ' ')}"
        )
    return parse_link(link_from_config(replace(rules, **{parameter: value})))


def compare_playground(
    rules: PlaygroundConfig,
    parameter: str,
    values: Sequence[object],
    max_epochs: int,
    should_cancel: Cancel = None,
    observe: Callable[[int, PlaygroundTrainer], None] | None = None,
    result_holder: dict | None = None,
) -> Comparison:
    """One PlaygroundRun per value for ``max_epochs`` epochs (Playground's step button), as
    ``compare_runs`` reports: ``observe(run_index, trainer)`` after every epoch, the result in
    ``result_holder["comparison"]`` as soon as it exists, cancelled or diverged runs kept so
    far."""
    runs = [rules_with(rules, parameter, value) for value in values]  # all checked first
    comparison = Comparison(parameter, [])
    if result_holder is not None:
        result_holder["comparison"] = comparison
    for value, run_rules in zip(values, runs, strict=True):
        trainer = PlaygroundTrainer(run_rules, should_stop=should_cancel)
        run = RunResult(parameter, value, trainer.history)
        comparison.runs.append(run)
        for _ in range(max_epochs):
            if should_cancel is not None and should_cancel():
                comparison.cancelled = True
                return comparison
            try:
                trainer.run_epoch()
            except TrainingInterrupted:
                comparison.cancelled = True
                return comparison
            except TrainingDiverged as error:
                run.stopped_reason = str(error)
                break
            if observe is not None:
                observe(len(comparison.runs) - 1, trainer)
    return comparison
