"""How the training thread shares the processor with the window's thread.

Painting holds Python's GIL and training needs it: a short switch interval lets the window
paint between NumPy calls. OpenBLAS, by default, runs a thread per core that spins while it
waits for work; next to a window painting, on a small machine, that made updates of a
6-layer network 2.4 times slower and pieces of the loss landscape 9 times longer
(bench/landscape_speed.py). So BLAS gets the cores the window does not use, at least one.
"""

from __future__ import annotations

import os
import sys

from threadpoolctl import threadpool_limits

SWITCH_INTERVAL = 0.0005  # seconds: Python's default is 0.005


def blas_threads() -> int:
    """The BLAS threads training may use: every core but the window's, at least one."""
    return max(1, (os.cpu_count() or 1) - 1)


def share_the_processor() -> None:
    """Set the switch interval and the BLAS threads for the whole process."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    threadpool_limits(limits=blas_threads(), user_api="blas")
