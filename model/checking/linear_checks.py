"""The checks of the student's Linear: shapes, forward values, the input gradient and the
parameter gradients, each against the reference (``y = x @ W + b``) and against central
differences of ``sum(forward(x) * dout)``, the loss whose gradient ``backward(dout)`` is.

The weight may be stored as (in, out) or as (out, in): a Linear(3, 4) tells which.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model.checking.numeric import (
    DIFFERENCE_TOLERANCE,
    central_differences,
    close,
    factor,
    mismatch,
    near,
    number,
    times,
)
from model.checking.report import Outcome
from model.checking.student import (
    Context,
    StudentError,
    Wrong,
    array,
    call,
    grads_of,
    params_of,
    put,
    shape_text,
)

IN, OUT, BATCH = 3, 4, 32
SEED = 25


def make(
    ctx: Context, n_in: int = IN, n_out: int = OUT, square_in_out: bool = True
) -> tuple[Any, dict, bool]:
    """A student's Linear(n_in, n_out), its params and whether its weight is (in, out) (for a
    square weight: ``square_in_out``)."""
    what = f"Linear({n_in}, {n_out})"
    module = call(what, ctx.classes["Linear"], n_in, n_out)
    params = params_of(module, what)
    weight = np.shape(params["weight"])
    if weight == (n_in, n_out) and (n_in != n_out or square_in_out):
        in_out = True
    elif weight == (n_out, n_in):
        in_out = False
    else:
        raise Wrong(
            f"{what}: params['weight'] has shape {shape_text(weight)}, expected "
            f"{shape_text((n_in, n_out))} or {shape_text((n_out, n_in))}"
        )
    if np.size(params["bias"]) != n_out:  # (4,), (1, 4) or (4, 1): as forward broadcasts it
        raise Wrong(
            f"{what}: params['bias'] has shape {shape_text(np.shape(params['bias']))}, "
            f"expected {shape_text((n_out,))}"
        )
    return module, params, in_out


def set_weights(params: dict, weight: np.ndarray, bias: np.ndarray, in_out: bool) -> None:
    """Put W (in, out) and b into the student's params, stored their way."""
    put(params, "weight", weight if in_out else weight.T)
    put(params, "bias", bias)


def _inputs(n_in: int = IN, n_out: int = OUT) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(SEED)
    weight = rng.normal(size=(n_in, n_out))
    bias = rng.normal(size=n_out)
    x = rng.normal(size=(BATCH, n_in))
    dout = rng.normal(size=(BATCH, n_out))
    return weight, bias, x, dout


def _stored(in_out: bool) -> str:
    return "(in, out)" if in_out else "(out, in)"


def gradient_shape_problem(grads: dict, params: dict, batch: int) -> str | None:
    """What is wrong with the shapes of ``grads`` next to ``params``, or None."""
    for key in ("weight", "bias"):
        got, want = np.shape(grads[key]), np.shape(params[key])
        if got == want or (key == "bias" and np.size(grads[key]) == np.size(params[key])):
            continue
        hint = ""
        if key == "bias" and len(got) == 2 and got[0] == batch:
            hint = ": sum over the batch"
        elif key == "weight" and got == want[::-1]:
            hint = ": store the gradient the way the weight is stored (it is transposed)"
        return (
            f"Linear.backward: grads['{key}'] has shape {shape_text(got)}, expected "
            f"{shape_text(want)}{hint}"
        )
    return None


def shapes(ctx: Context) -> Outcome:
    """Linear(3, 4): its params, forward (32, 3) -> (32, 4), backward and its grads."""
    module, params, in_out = make(ctx)
    _, _, x, dout = _inputs()
    array(call("Linear.forward", module.forward, x), "Linear.forward", (BATCH, OUT))
    backward(ctx, module, dout, in_out)
    problem = gradient_shape_problem(grads_of(module, "Linear.backward"), params, BATCH)
    if problem:
        raise Wrong(problem)
    weight = shape_text(np.shape(params["weight"]))
    return Outcome(
        True, f"weight stored as {weight}, {_stored(in_out)}", facts={"linear_in_out": in_out}
    )


def forward_values(ctx: Context) -> Outcome:
    """forward against x @ W + b, from weights set by the check."""
    module, params, in_out = make(ctx)
    weight, bias, x, _ = _inputs()
    set_weights(params, weight, bias, in_out)
    got = array(call("Linear.forward", module.forward, x), "Linear.forward", (BATCH, OUT))
    expected = x @ weight + bias
    if close(got, expected):
        return Outcome(True, "equal to x @ W + b")
    if close(got, x @ weight):
        raise Wrong("Linear.forward leaves out the bias: it is x @ W + b")
    raise Wrong(f"Linear.forward is not x @ W + b: {mismatch(got, expected)}")


def backward(ctx: Context, module: Any, dout: np.ndarray, in_out: bool) -> np.ndarray:
    """The student's backward on Linear(3, 4); when it raises, what a Linear(4, 4), where
    the same code cannot raise, shows is wrong with it."""
    try:
        return array(call("Linear.backward", module.backward, dout), "Linear.backward", (BATCH, IN))
    except StudentError as error:
        try:
            diagnosis = _square_diagnosis(ctx, in_out)
        except Wrong:
            diagnosis = None
        if diagnosis is None:
            raise
        at = f" at {error.where}" if error.where else ""
        raised = f"with Linear(3, 4) it raises {type(error.error).__name__}{at}"
        raise Wrong(f"{diagnosis}; {raised}") from None


def _square_diagnosis(ctx: Context, in_out: bool) -> str | None:
    module, params, in_out = make(ctx, OUT, OUT, in_out)
    weight, bias, x, dout = _inputs(OUT, OUT)
    set_weights(params, weight, bias, in_out)
    call("Linear.forward", module.forward, x)
    got = array(call("Linear.backward", module.backward, dout), "Linear.backward")
    if got.shape == (BATCH, OUT) and close(got, dout @ weight):
        stored = "dout @ params['weight']" if not in_out else "dout @ params['weight'].T"
        return (
            "Linear.backward uses the weight the wrong way round: for y = x @ W + b the input "
            f"gradient is dout @ W.T (with the weight stored as {_stored(in_out)}: {stored})"
        )
    return None


def input_gradient(ctx: Context) -> Outcome:
    """The gradient backward returns, against dout @ W.T and central differences."""
    module, params, in_out = make(ctx)
    weight, bias, x, dout = _inputs()
    set_weights(params, weight, bias, in_out)
    call("Linear.forward", module.forward, x)
    got = backward(ctx, module, dout, in_out)
    expected = dout @ weight.T

    def loss(xx: np.ndarray) -> float:
        out = array(call("Linear.forward", module.forward, xx.copy()), "Linear.forward")
        return float(np.sum(out * dout))

    numeric = central_differences(loss, x.copy())
    if close(got, expected) and close(got, numeric, DIFFERENCE_TOLERANCE):
        return Outcome(True, "equal to dout @ W.T and to central differences")
    if close(got, numeric, DIFFERENCE_TOLERANCE):
        raise Wrong(
            "Linear.backward agrees with your forward, whose values are wrong (see forward)"
        )
    c = factor(got, expected)
    if c is not None:
        raise Wrong(f"Linear.backward returns {times(c)} the input gradient dout @ W.T")
    raise Wrong(f"Linear.backward's input gradient is not dout @ W.T: {mismatch(got, expected)}")


def parameter_gradients(ctx: Context) -> Outcome:
    """grads['weight'] and grads['bias'] against x.T @ dout, the column sums of dout and
    central differences."""
    module, params, in_out = make(ctx)
    weight, bias, x, dout = _inputs()
    set_weights(params, weight, bias, in_out)
    call("Linear.forward", module.forward, x)
    backward(ctx, module, dout, in_out)
    grads = grads_of(module, "Linear.backward")
    problem = gradient_shape_problem(grads, params, BATCH)
    if problem:
        raise Wrong(problem)
    got = {
        key: array(grads[key], f"grads['{key}']").reshape(np.shape(params[key]))
        for key in ("weight", "bias")
    }
    expected_weight = x.T @ dout
    expected = {
        "weight": expected_weight if in_out else expected_weight.T,
        "bias": dout.sum(axis=0).reshape(np.shape(params["bias"])),
    }

    def loss(_: np.ndarray) -> float:
        out = array(call("Linear.forward", module.forward, x), "Linear.forward")
        return float(np.sum(out * dout))

    for key in ("weight", "bias"):
        formula = "x.T @ dout" if key == "weight" else "dout summed over the batch"
        if not close(got[key], expected[key]):
            c = factor(got[key], expected[key])
            if c is not None and near(c * BATCH, 1.0):
                raise Wrong(
                    f"Linear.backward: grads['{key}'] is {times(c)} {formula} (dout has "
                    f"{BATCH} rows): do not divide by the batch size here, the mean's 1/N "
                    "enters once, in CrossEntropy.backward",
                    number(float(np.max(np.abs(got[key])))),
                    number(float(np.max(np.abs(expected[key])))),
                )
            if c is not None:
                raise Wrong(f"Linear.backward: grads['{key}'] is {times(c)} {formula}")
            raise Wrong(
                f"Linear.backward: grads['{key}'] is not {formula}: "
                f"{mismatch(got[key], expected[key])}"
            )
        numeric = central_differences(loss, np.asarray(params[key]))
        if not close(got[key], numeric, DIFFERENCE_TOLERANCE):
            raise Wrong(
                f"Linear.backward: grads['{key}'] agrees with {formula} but not with your "
                "forward, whose values are wrong (see forward)"
            )
    return Outcome(
        True, "equal to x.T @ dout, the sum of dout over the batch and central differences"
    )
