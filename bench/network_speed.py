"""Frame rate with the network view open, for a small and a large network.

Run: .venv/bin/python bench/network_speed.py [--seconds 8]

Plays moons at full speed offscreen with the Network dock shown, for 2-20-2 and for
2-32x6-2 (six hidden layers of 32), and prints frames drawn per second (goal: at least 20),
the 99th-percentile event-loop stall and training updates per second for each.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gui_speed import window_run  # noqa: E402

from model.config import ExperimentConfig, ModelConfig  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    print(f"{'network':<26}{'frames/s':>10}{'stall p99 ms':>14}{'updates/s':>11}")
    for hidden in ((20,), (32,) * 6):
        config = ExperimentConfig(model=ModelConfig(hidden=hidden))
        result = window_run(config, args.seconds, network=True)
        name = "2-" + "-".join(map(str, hidden)) + "-2"
        print(
            f"{name:<26}{result['fps']:>10.1f}{result['stall_p99']:>14.1f}"
            f"{result['updates_per_s']:>11.0f}"
        )
    print("goal: at least 20 frames per second for both")


if __name__ == "__main__":
    main()
