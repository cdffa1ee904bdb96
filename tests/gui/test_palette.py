"""The class colours and the misclassified mark stay apart for colour-blind eyes."""

import numpy as np
import pytest

from gui.appearance.colour_vision import MACHADO_2009, lab_as_seen, smallest_difference
from gui.appearance.palette import CLASS_COLOURS, MARK_COLOUR, boundary_image

AT_A_GLANCE = 15.0  # Delta E; 2.3 is just noticeable


@pytest.mark.parametrize("deficiency", [None, *MACHADO_2009])
@pytest.mark.parametrize("n_classes", [2, 3, 6])
def test_marker_colours_differ_for_colour_blind_eyes(n_classes, deficiency):
    markers = [*CLASS_COLOURS[:n_classes], MARK_COLOUR]
    assert smallest_difference(markers, deficiency) > AT_A_GLANCE


def test_the_check_fails_the_old_matplotlib_palette():
    """The check can fail: the old orange and green were nearly one colour under protanopia."""
    old = [(31, 119, 180), (255, 127, 14), (44, 160, 44)]
    assert smallest_difference(old, "protanopia") < AT_A_GLANCE
    assert smallest_difference(old) > AT_A_GLANCE  # while normal vision saw them apart


def test_simulation_keeps_grey_grey():
    grey = np.array([[128, 128, 128]])
    for deficiency in MACHADO_2009:
        assert np.allclose(lab_as_seen(grey, deficiency), lab_as_seen(grey), atol=0.5)


def test_two_class_boundary_image_runs_from_class_0_through_white_to_class_1():
    p1 = np.array([0.0, 0.5, 1.0])
    image = boundary_image(np.stack([1 - p1, p1], axis=-1))[..., :3].astype(int)
    assert image[1].min() >= 250  # white where unsure
    lab = lab_as_seen(image, "deuteranopia")
    assert np.linalg.norm(lab[0] - lab[2]) > AT_A_GLANCE  # the two sides still differ
