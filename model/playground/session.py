"""A session of a run under Playground's rules: its link and how far it went, replayed.

Everything in a Playground run is drawn from its seed (the points, their shuffle, the initial
weights) and its training has no randomness of its own, so the link and the update count
hold the whole run: opening the session trains the link's run again to that update and it
continues with exactly the losses it would have had. The session file (model/io/session.py)
keeps this as one optional JSON entry, ``playground``:
``{"link": ..., "updates": N, "evaluated": [...]}``; ``evaluated`` lists the updates within an
epoch at which the window asked for the figures (a pause, a step), so that the replayed
history holds the same points (its training times are the replay's own).

A run whose weights were typed in, or whose learning rate changed after its start, is not
its link's run any more: it is refused with one line when saved.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from model.limits import MAX_RUN_UPDATES, PLAYGROUND_EPOCHS_RANGE
from model.numbers import bound_text
from model.playground.link import link_from_config, parse_link
from model.playground.trainer import PlaygroundTrainer, check_window_link
from model.training.evaluation import TrainingInterrupted
from model.training.history import HISTORY_LIMIT
from model.training.trainer import TrainingDiverged

ENTRY = "playground"  # the session file's entry
MAX_REPLAY_EPOCHS = PLAYGROUND_EPOCHS_RANGE[1]  # main.py playground's longest run
MAX_EVALUATED = 2 * HISTORY_LIMIT  # the session file's own bound on history points


def replay_limit(updates_per_epoch: int) -> int:
    """The most updates a session may replay: ``main.py playground``'s longest run."""
    return min(MAX_RUN_UPDATES, MAX_REPLAY_EPOCHS * updates_per_epoch)


@dataclass(frozen=True)
class PlaygroundSession:
    """What a session file keeps of a run under Playground's rules."""

    link: str
    updates: int
    evaluated: tuple[int, ...] = ()

    @classmethod
    def of(cls, trainer: PlaygroundTrainer) -> PlaygroundSession:
        """The session of ``trainer`` as it is now; ValueError (one line) if replaying its
        link would not give it."""
        if trainer.edited is not None:
            raise ValueError(
                f"{trainer.edited}, so its link no longer replays it (Reset, or open the link "
                "again, to save)"
            )
        limit = replay_limit(trainer.updates_per_epoch)
        if trainer.updates > limit:
            raise ValueError(
                f"a run under Playground rules is saved as its link and replayed when opened: "
                f"this one is past {MAX_REPLAY_EPOCHS:,} epochs ({trainer.updates:,} of at most "
                f"{limit:,} updates)"
            )
        evaluated = tuple(
            point.update
            for point in trainer.history
            if point.epoch != int(point.epoch)  # within an epoch: asked for by the window
        )
        return cls(link_from_config(trainer.rules), trainer.updates, evaluated)

    def to_json(self) -> str:
        return json.dumps(
            {"link": self.link, "updates": self.updates, "evaluated": list(self.evaluated)}
        )

    @classmethod
    def from_json(cls, text: str) -> PlaygroundSession:
        """The entry as written; ValueError (one line) for anything else."""
        raw = json.loads(text)
        if not isinstance(raw, dict) or not isinstance(raw.get("link"), str):
            raise ValueError("its Playground entry (playground) holds no link")
        updates = raw.get("updates")
        if type(updates) is not int or not 0 <= updates <= MAX_RUN_UPDATES:
            raise ValueError(
                "its Playground entry's update count is not a whole number from 0 to "
                f"{bound_text(MAX_RUN_UPDATES)}"
            )
        evaluated = raw.get("evaluated", [])
        if (
            not isinstance(evaluated, list)
            or len(evaluated) > MAX_EVALUATED
            or not all(type(u) is int and 0 < u <= updates for u in evaluated)
            or any(b <= a for a, b in zip(evaluated, evaluated[1:], strict=False))
        ):
            raise ValueError(
                f"its Playground entry's evaluated updates are not at most {MAX_EVALUATED:,} "
                f"increasing whole numbers from 1 to {updates:,}"
            )
        return cls(raw["link"], updates, tuple(evaluated))

    def checked(self) -> PlaygroundSession:
        """This session, once its link reads and its length may be replayed; ValueError (one
        line) otherwise. Cheap: opening a file checks it; the replay is the worker's."""
        rules = parse_link(self.link)  # PlaygroundLinkError names the key
        check_window_link(rules)
        limit = replay_limit(rules.updates_per_epoch)
        if self.updates > limit:
            raise ValueError(
                f"its Playground run is {self.updates:,} updates long, more than the "
                f"{limit:,} ({MAX_REPLAY_EPOCHS:,} epochs) a session may replay"
            )
        return self

    def replay(self, should_stop: Callable[[], bool] | None = None) -> PlaygroundTrainer | None:
        """The link's run trained again to the saved update (the history's points at the
        same updates), or None if ``should_stop`` cut it short; ValueError (one line) for a
        bad link, a count too long to replay, or a run that no longer gets there."""
        self.checked()
        trainer = PlaygroundTrainer(parse_link(self.link), should_stop=should_stop)
        try:
            for stop in self.evaluated:
                trainer.train(stop - trainer.updates)
                trainer.evaluate()
            trainer.train(self.updates - trainer.updates)
        except TrainingDiverged:
            pass  # a diverged run stops where it diverged, as it did when saved
        except TrainingInterrupted:  # the window closed, or asked for something else
            return None
        if trainer.updates != self.updates:
            raise ValueError(
                f"its Playground run diverges at update {trainer.updates:,}, before the saved "
                f"update {self.updates:,}"
            )
        return trainer
