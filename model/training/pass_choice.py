"""Which of the MLP's two training passes the Trainer runs: the faster one, as measured.

``bench/step_speed.py`` times a Trainer's update (moons, 800 training points, ReLU, SGD)
through the fused pass (model/nn/fused_pass.py) and through the modules one by one (model/nn/modules.py),
the best of 15 short interleaved samples each, on the project's 2-core machine. Six runs:

| network         | batch | fused us  | modules us | modules / fused |
|-----------------|-------|-----------|------------|-----------------|
| 2-20-2          | 1     | 18-28     | 25-42      | 1.43-1.49       |
| 2-20-2          | 32    | 27-42     | 33-51      | 1.22-1.28       |
| 2-20-2          | 800   | 67-97     | 159-211    | 2.15-2.41       |
| 2-64-64-2       | 1     | 33-59     | 44-78      | 1.30-1.36       |
| 2-64-64-2       | 32    | 61-90     | 72-97      | 1.18-1.20 (*)   |
| 2-64-64-2       | 800   | 584-1010  | 760-1347   | 1.28-1.35       |
| 2-128x3-2       | 1     | 98-160    | 129-201    | 1.17-1.31       |
| 2-128x3-2       | 32    | 215-439   | 251-464    | 1.06-1.18       |
| 2-128x3-2       | 800   | 2548-4380 | 2868-5216  | 1.11-1.21       |
| 2-256-256-2     | 1     | 156-259   | 205-318    | 1.17-1.33       |
| 2-256-256-2     | 32    | 372-990   | 428-1254   | 1.15-1.27       |
| 2-256-256-2     | 800   | 4504-7758 | 6350-10245 | 1.32-1.50       |

(*) one run gave 0.80; six reruns of that cell alone gave 1.19-1.21. The microseconds vary
with the other work on the machine; the ratios hardly do.

The fused pass is the faster in every cell: by 1.2 to 2.4 times on the narrow networks, where
Python's per-call cost counts (the module pass makes a dozen new arrays and a one-hot matrix
each update), and by 1.06 to 1.5 times at widths of 128 and 256, where the matrix products,
the same in both passes, take most of the time. Checked beyond the table: 8 x 256 at full batch
on 4,000 points, 1.03; 6 classes through 32-32 tanh at batch 32, 1.12. The fused pass is also
the only one that can be stopped within a layer, which large batches need (``CHECKED_SIZE``).
So the rule is the simplest one: the fused pass for every shape. The module pass remains the
reference the tests check the fused one against, and the pass this benchmark compares with.
"""

from __future__ import annotations

from collections.abc import Sequence


def uses_fused_pass(widths: Sequence[int], batch_size: int) -> bool:
    """Whether an update on ``batch_size`` rows of a network with these ``widths`` (inputs,
    hidden layers, classes) runs the fused pass: always, as measured above. The shape is
    passed so that new measurements would change this function alone."""
    return True
