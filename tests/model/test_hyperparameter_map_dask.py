"""Hyperparameter maps on a real Dask cluster (distributed.LocalCluster, two workers in this
process): the same CSV as a local run, row for row; Cancel; a cluster lost mid-grid."""

import csv
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from model.config import ExperimentConfig
from model.experiments.hyperparameter_map import MapSpec, parse_axis
from model.experiments.map_placement import run_map

distributed = pytest.importorskip(
    "distributed", reason="the cluster extra: pip install -e '.[cluster]'"
)

MAIN = Path(__file__).resolve().parents[2] / "main.py"
SMALL = ExperimentConfig().with_changes(data={"n_samples": 200})
FLAGS = ["--x", "learning_rate=0.01,0.3", "--y", "batch_size=10,full", "--seeds", "2"]
FLAGS += ["--max_steps", "3", "--n_samples", "200"]


def grid(epochs: int = 3, seeds: int = 2) -> MapSpec:
    axes = parse_axis("learning_rate=0.01,0.3"), parse_axis("batch_size=10,full")
    return MapSpec(SMALL, *axes, seeds=seeds, epochs=epochs)


def without_seconds(rows):
    return [[str(v) for i, v in enumerate(row) if i != 10] for row in rows]


def cluster(protocol: str | None = None):
    """Two single-threaded workers in this process (over TCP when another process uses it)."""
    options = {"protocol": protocol} if protocol else {}
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=False,
        dashboard_address=None,
        **options,
    )


def main_py(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(MAIN), *args], capture_output=True, text=True, timeout=180
    )


def test_the_cluster_csv_matches_the_local_one_row_for_row(tmp_path):
    local, remote = tmp_path / "local.csv", tmp_path / "cluster.csv"
    with cluster("tcp") as dask_cluster:
        done = main_py("grid", *FLAGS, "--csv", str(remote), "--scheduler",
                       dask_cluster.scheduler_address)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "on the Dask cluster at tcp://" in done.stdout and "(2 workers)" in done.stdout
    done = main_py("grid", *FLAGS, "--csv", str(local), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    rows = {}
    for path in (local, remote):
        with path.open() as handle:
            rows[path] = list(csv.reader(handle))
    assert rows[local][0] == rows[remote][0]
    assert len(rows[local]) == len(rows[remote]) == 1 + 8
    assert without_seconds(rows[remote]) == without_seconds(rows[local])


def test_cancel_on_the_cluster_returns_at_once_with_the_finished_runs():
    spec = grid(epochs=40, seeds=3)
    seen = []
    with cluster() as dask_cluster:
        started = time.perf_counter()
        result = run_map(
            spec,
            scheduler=dask_cluster.scheduler_address,
            on_record=lambda r, rec: seen.append(rec),
            should_cancel=lambda: bool(seen),
        )
        assert time.perf_counter() - started < 15
    assert result.cancelled and 1 <= result.done < spec.total_runs and result.error is None


def test_a_cluster_lost_mid_grid_gives_one_message_and_keeps_the_finished_runs():
    spec = grid(epochs=30, seeds=3)
    whole = {tuple(row[:3]): row for row in without_seconds(run_map(spec, jobs=1).rows())}
    dask_cluster = cluster()
    closing = []

    def close_after_two(result, _record):
        if result.done >= 2 and not closing:
            closing.append(threading.Thread(target=dask_cluster.close))
            closing[0].start()

    started = time.perf_counter()
    result = run_map(spec, scheduler=dask_cluster.scheduler_address, on_record=close_after_two)
    assert time.perf_counter() - started < 30
    closing[0].join(30)
    assert result.error is not None and not result.cancelled
    assert result.error.startswith(f"lost the Dask cluster at {dask_cluster.scheduler_address}")
    assert "the finished runs are kept" in result.error and "\n" not in result.error
    assert 2 <= result.done < spec.total_runs
    kept = without_seconds(result.rows())
    assert len(kept) == result.done
    for row in kept:
        assert whole[tuple(row[:3])] == row
