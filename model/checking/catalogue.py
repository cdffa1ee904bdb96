"""Every check, in the order they run: a module's own checks before the checks of what is made
of it (an MLP is judged once its Linear, ReLU and SoftMax have been), each named as the line
that reports it names it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from model.checking import (
    activation_checks,
    linear_checks,
    loss_checks,
    mlp_checks,
    perceptron_checks,
)
from model.checking.report import Outcome
from model.checking.student import Context, Wrong, error_text, student_line


@dataclass(frozen=True)
class Check:
    """One check of one module: ``name`` says what is checked."""

    module: str
    name: str
    function: Callable[[Context], Outcome]

    @property
    def key(self) -> str:
        return f"{self.module}: {self.name}"


CHECKS = (
    Check("Linear", "shapes", linear_checks.shapes),
    Check("Linear", "forward, random inputs", linear_checks.forward_values),
    Check("Linear", "backward, input gradient", linear_checks.input_gradient),
    Check("Linear", "backward, weight and bias gradients", linear_checks.parameter_gradients),
    Check("ReLU", "shapes", activation_checks.relu_shapes),
    Check("ReLU", "forward, random inputs", activation_checks.relu_forward),
    Check("ReLU", "forward, all-negative inputs", activation_checks.relu_negative),
    Check("ReLU", "backward", activation_checks.relu_backward),
    Check("SoftMax", "shapes", activation_checks.softmax_shapes),
    Check("SoftMax", "forward, random logits", activation_checks.softmax_forward),
    Check("SoftMax", "forward, logits of 1000", activation_checks.softmax_large),
    Check("SoftMax", "backward", activation_checks.softmax_backward),
    Check("CrossEntropy", "forward, random probabilities", loss_checks.forward_random),
    Check("CrossEntropy", "forward, zero probabilities", loss_checks.forward_zeros),
    Check("CrossEntropy", "backward, with SoftMax.backward", loss_checks.backward),
    Check("MLP", "Linear layers", mlp_checks.layers),
    Check("MLP", "forward", mlp_checks.forward),
    Check("MLP", "backward, every layer's gradients", mlp_checks.backward),
    Check("MLP", "training on moons, update by update", mlp_checks.training),
    Check("Perceptron", "forward", perceptron_checks.forward),
    Check("Perceptron", "first update from zero weights", perceptron_checks.first_update),
    Check("Perceptron", "one epoch of the batch rule", perceptron_checks.one_epoch),
    Check("Perceptron", "training on separable data", perceptron_checks.separable),
    Check("Perceptron", "training on overlapping data", perceptron_checks.overlapping),
)
BY_KEY = {check.key: check for check in CHECKS}


def run_check(key: str, context: Context) -> Outcome:
    """Run one check in the student's process: a failure is an Outcome, never an exception."""
    check = BY_KEY[key]
    try:
        return check.function(context)
    except Wrong as wrong:
        return Outcome(False, wrong.message, yours=wrong.yours, reference=wrong.reference)
    except (Exception, SystemExit) as error:  # what the student's code gave could not be used
        where = student_line(error)
        at = f" ({where})" if where else ""
        return Outcome(
            False, f"{check.module} gave what the check could not use: {error_text(error)}{at}"
        )
