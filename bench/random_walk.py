"""The suite's random walk through the window, long: 3 seeds x 1,500 actions by default.

Run: .venv/bin/python bench/random_walk.py [--actions 1500] [--seeds 0,1,2]

Each seed runs tests/gui/test_random_actions.py in a pytest process of its own (offscreen,
no per-test time limit), so that one seed's failure or crash leaves the others to run. Prints
each seed's outcome and wall time, then the total; exits 1 if any seed failed, and then
prints the end of that seed's report (the exceptions, the last actions and dialogs). The
default suite runs the same walk short (120 actions x 2 seeds): it is in the suite's time
budget, this is not.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WALK = "tests/gui/test_random_actions.py"
REPORT_LINES = 60  # of a failed seed's report


def run_seed(seed: int, actions: int) -> tuple[bool, float, str]:
    """(passed, seconds, pytest's report) of one seed's walk."""
    env = dict(
        os.environ,
        NP_RANDOM_ACTIONS=str(actions),
        NP_RANDOM_SEEDS=str(seed),
        QT_QPA_PLATFORM="offscreen",
    )
    command = [sys.executable, "-m", "pytest", "-n", "0", "-q", "-p", "no:cacheprovider"]
    command += ["--timeout=0", WALK]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    report = "\n".join(
        line for line in (done.stdout + done.stderr).splitlines() if "QtWarningMsg" not in line
    )
    return done.returncode == 0, seconds, report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=1500, help="actions per seed")
    parser.add_argument("--seeds", default="0,1,2", help="comma-separated seeds")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = float("nan")
    print(f"random walk: {len(seeds)} seeds x {args.actions} actions (load average {load:.1f})")
    total, failed = 0.0, []
    for seed in seeds:
        passed, seconds, report = run_seed(seed, args.actions)
        total += seconds
        print(f"seed {seed}: {'passed' if passed else 'FAILED'} in {seconds:.0f} s", flush=True)
        if not passed:
            failed.append(seed)
            print("\n".join(report.splitlines()[-REPORT_LINES:]))
    print(f"total {total:.0f} s ({total / 60:.1f} min); failed seeds: {failed or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
