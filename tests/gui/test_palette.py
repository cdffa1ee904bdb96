"""Each colour that carries a meaning stays apart, for colour-blind eyes too: the class colours
and the misclassified mark, the weight signs, train and test."""

import numpy as np
import pytest

from gui.appearance.colour_vision import MACHADO_2009, lab_as_seen, smallest_difference
from gui.appearance.palette import (
    CLASS_COLOURS,
    MARK_COLOUR,
    NEGATIVE_COLOUR,
    POSITIVE_COLOUR,
    TEST_COLOUR,
    TRAIN_COLOUR,
    boundary_image,
    discrete_image,
    probability_image,
)

AT_A_GLANCE = 15.0  # Delta E; 2.3 is just noticeable
VISIONS = [None, *MACHADO_2009]
# Three classes and the mark: apart for the common (red-green) deficiencies, and as far as
# Okabe-Ito's colours allow for the rare tritanopia.
THREE_CLASSES_APART = {None: 30.0, "deuteranopia": 30.0, "protanopia": 30.0, "tritanopia": 12.0}
COMMONEST_FIRST = ("deuteranopia", "protanopia")  # deutan eyes about 6 % of men, protan 2 %
OKABE_ITO = [
    (0, 114, 178),  # blue
    (230, 159, 0),  # orange
    (0, 158, 115),  # bluish green
    (213, 94, 0),  # vermillion
    (204, 121, 167),  # reddish purple
    (86, 180, 233),  # sky blue
    (240, 228, 66),  # yellow
]


def differences(a, b, deficiency) -> np.ndarray:
    """Delta E of every colour of ``a`` to every colour of ``b`` as seen with ``deficiency``."""
    lab_a = lab_as_seen(np.asarray(a, dtype=float), deficiency)
    lab_b = lab_as_seen(np.asarray(b, dtype=float), deficiency)
    return np.linalg.norm(lab_a[:, None] - lab_b[None], axis=-1)


@pytest.mark.parametrize("deficiency", VISIONS)
def test_three_classes_and_the_mark_are_far_apart_for_every_vision(deficiency):
    markers = [*CLASS_COLOURS[:3], MARK_COLOUR]
    assert smallest_difference(markers, deficiency) >= THREE_CLASSES_APART[deficiency]


@pytest.mark.parametrize("deficiency", VISIONS)
@pytest.mark.parametrize("n_classes", [2, 3, 4, 5, 6])
def test_marker_colours_differ_for_colour_blind_eyes(n_classes, deficiency):
    markers = [*CLASS_COLOURS[:n_classes], MARK_COLOUR]
    assert smallest_difference(markers, deficiency) > AT_A_GLANCE


def test_each_next_class_colour_is_the_best_okabe_ito_has_left():
    """Class k's colour keeps the first k+1 classes (and the mark) furthest apart for deutan
    eyes, the commonest, of every Okabe-Ito colour not yet taken; protan eyes break ties."""
    assert all(colour in OKABE_ITO for colour in CLASS_COLOURS)

    def score(colours):
        markers = [*colours, MARK_COLOUR]
        return tuple(round(smallest_difference(markers, d), 1) for d in COMMONEST_FIRST)

    for k in range(2, len(CLASS_COLOURS)):
        chosen = score(CLASS_COLOURS[: k + 1])
        for other in OKABE_ITO:
            if other not in CLASS_COLOURS[:k]:
                assert score([*CLASS_COLOURS[:k], other]) <= chosen, (k, other)


def test_the_check_fails_the_old_matplotlib_palette():
    """The check can fail: the old orange and green were nearly one colour under protanopia."""
    old = [(31, 119, 180), (255, 127, 14), (44, 160, 44)]
    assert smallest_difference(old, "protanopia") < AT_A_GLANCE
    assert smallest_difference(old) > AT_A_GLANCE  # while normal vision saw them apart


def test_the_check_fails_two_blues_for_three_classes():
    """The order this palette had: blue, orange, sky blue, too close for three classes."""
    blues = [(0, 114, 178), (230, 159, 0), (86, 180, 233), MARK_COLOUR]
    for deficiency in ("deuteranopia", "protanopia"):
        assert smallest_difference(blues, deficiency) < THREE_CLASSES_APART[deficiency]


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


@pytest.mark.parametrize("n_classes", [3, 4, 6])
def test_a_sure_region_takes_its_own_class_colour(n_classes):
    """The blended and the discretised images give class k's region class k's colour (paler
    in the blend), never a neighbour's."""
    sure = np.eye(n_classes)
    blended = boundary_image(sure)[..., :3]
    hard = discrete_image(sure)[..., :3]
    for k in range(n_classes):
        assert tuple(hard[k]) == CLASS_COLOURS[k]
        nearest = differences(blended[k : k + 1], CLASS_COLOURS[:n_classes], None).argmin()
        assert nearest == k
    assert np.array_equal(probability_image(sure), blended)


@pytest.mark.parametrize("deficiency", VISIONS)
def test_weight_signs_are_apart_and_no_class_colour(deficiency):
    signs = [POSITIVE_COLOUR, NEGATIVE_COLOUR]
    assert differences(signs, [*CLASS_COLOURS, MARK_COLOUR], deficiency).min() >= 20
    assert smallest_difference(signs, deficiency) >= 40


@pytest.mark.parametrize("deficiency", VISIONS)
def test_train_and_test_are_apart_and_neither_a_class_nor_a_sign(deficiency):
    splits = [TRAIN_COLOUR, TEST_COLOUR]
    others = [*CLASS_COLOURS, MARK_COLOUR, POSITIVE_COLOUR, NEGATIVE_COLOUR]
    assert differences(splits, others, deficiency).min() >= 20
    assert smallest_difference(splits, deficiency) >= 30


@pytest.mark.parametrize("background", [(255, 255, 255), (30, 31, 34)])
def test_lines_show_on_either_theme(background):
    """Sign and train/test lines are drawn on the plots' white or near-black background."""
    lines = [POSITIVE_COLOUR, NEGATIVE_COLOUR, TRAIN_COLOUR, TEST_COLOUR]
    assert differences(lines, [background], None).min() > 30
