"""``main.py landscape``, run as a user runs it: its centre is train's final loss, its files
say so, its figure is a real picture of the map and the path, a failed write keeps the older
file, and bad flags are one line."""

import io
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from cli.app import run
from cli.landscape_figure import DPI, END_COLOUR, FIGURE_INCHES, LandscapePicture, direction_labels
from tests.full_disk import file_size_limit
from tests.run_main import run_main

ROOT = Path(__file__).resolve().parents[2]
FIGURE_PIXELS = (round(FIGURE_INCHES[0] * DPI), round(FIGURE_INCHES[1] * DPI))
SMALL_RUN = ["--max_steps", "5", "--n_samples", "200", "--resolution", "11"]


def final_train_loss(output: str) -> str:
    return output.split("train loss ")[1].split(",")[0].split(" ")[0]


@pytest.mark.parametrize(
    "flags",
    [
        ["--max_steps", "30", "--eval_freq", "7", "--n_samples", "300"],
        ["--max_steps", "12", "--batch_size", "32", "--n_samples", "200", "--optimizer", "adam"],
        ["--max_steps", "20", "--problem", "regression", "--n_samples", "200"],
    ],
    ids=["full batch", "mini-batch adam", "regression"],
)
def test_landscape_centre_is_trains_final_loss_and_the_files_say_so(tmp_path, flags):
    def main(*argv: str) -> str:
        done = run_main(*argv, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        return done.stdout

    train = main("train", *flags).splitlines()[-1]
    grid, path, png = tmp_path / "grid.csv", tmp_path / "path.csv", tmp_path / "map.png"
    landscape = main(
        "landscape", *flags, "--resolution", "11", "--span", "0.5",
        "--csv", str(grid), "--path_csv", str(path), "--png", str(png),
    )  # fmt: skip
    assert len(landscape.splitlines()) == 1 and "variance" in landscape
    assert final_train_loss(landscape) == final_train_loss(train)
    rows = np.loadtxt(grid, delimiter=",", skiprows=1)
    assert rows.shape == (121, 3)
    centre = rows[(rows[:, 0] == 0) & (rows[:, 1] == 0)]
    assert len(centre) == 1 and f"{centre[0, 2]:.6f}" == final_train_loss(train)
    walk = np.loadtxt(path, delimiter=",", skiprows=1)
    assert walk[0, 0] == 0 and tuple(walk[-1, 1:3]) == (0.0, 0.0)
    assert walk[-1, 3] == centre[0, 2]
    assert Image.open(png).size == FIGURE_PIXELS


@pytest.mark.parametrize(
    "flags",
    [
        ["--resolution", "1"],
        ["--resolution", "4"],
        ["--resolution", "103"],
        ["--resolution", "x"],
        ["--span", "0"],
        ["--span", "0.001"],
        ["--span", "101"],
        ["--span", "nan"],
        ["--plane", "hessian"],
        ["--csv", "/no/such/folder/grid.csv"],
        ["--png", "/no/such/folder/map.png"],
    ],
)
def test_landscape_refuses_bad_flags_with_one_line(capsys, flags):
    assert run(["landscape", "--max_steps", "1", *flags]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1


def test_the_figure_is_a_picture_of_the_map_with_the_path_on_it(tmp_path, capsys):
    png = tmp_path / "map.png"
    assert run(["landscape", *SMALL_RUN, "--png", str(png)]) == 0, capsys.readouterr().err
    image = Image.open(io.BytesIO(png.read_bytes()))
    assert image.format == "PNG" and image.size == FIGURE_PIXELS
    pixels = np.asarray(image.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(pixels, axis=0)) > 500  # a colour map, not a flat picture
    vermillion = tuple(int(END_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
    assert np.all(pixels == vermillion, axis=1).sum() > 20  # the final weights' star


def test_a_figure_that_cannot_be_written_keeps_the_older_file(tmp_path, capsys):
    png = tmp_path / "map.png"
    assert run(["landscape", *SMALL_RUN, "--png", str(png)]) == 0
    older = png.read_bytes()
    capsys.readouterr()
    with file_size_limit(len(older) // 4):  # the disk fills while the figure is written
        status = run(["landscape", *SMALL_RUN, "--learning_rate", "0.5", "--png", str(png)])
    err = capsys.readouterr().err
    assert status == 1 and len(err.strip().splitlines()) == 1 and "cannot write" in err
    assert png.read_bytes() == older
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]  # no temporary left


def test_the_axes_name_each_direction_and_its_share_of_the_path():
    path = np.array([[3.0, 1.0], [2.0, -1.0], [1.0, 1.0], [0.0, 0.0]])
    picture = LandscapePicture(
        a=np.linspace(-1, 1, 5),
        b=np.linspace(-1, 1, 5),
        loss=np.ones((5, 5)),
        path=path,
        updates=[0, 10, 20, 30],
        plane="pca",
        explained=0.9,
        loss_name="cross-entropy",
        run="moons",
    )
    first, second = direction_labels(picture)
    shares = 0.9 * np.var(path, axis=0) / np.var(path, axis=0).sum()
    assert first == f"direction 1 (PCA, {shares[0]:.0%} of the path's variance)".replace("%", " %")
    assert second.startswith("direction 2 (PCA, ")
    random = direction_labels(replace(picture, plane="random", explained=None))
    assert random == (
        "direction 1 (random, filter-normalised)",
        "direction 2 (random, filter-normalised)",
    )
