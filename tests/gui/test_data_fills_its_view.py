"""The data large in its view: the boundary plot takes the data's shape in the space it has,
true to scale, at every window size, with a bottom dock open, after resizes and for new data;
the loss-landscape map fills its plot; the boundary image is smooth, the perceptron's line a
line."""

import numpy as np
import pytest
from PySide6.QtCore import QRectF

from gui.views.perceptron_marks import line_in_extent
from tests.gui.conftest import boundary_fits_view
from tests.gui.data_span import boundary_fill, span_fraction, units_per_pixel
from tests.gui.running import run_updates

TIMEOUT = 15_000
FILL = 0.55  # DESIGN.md: the data spans at least this much of the visible range, both ways
SIZES = [(800, 600), (1024, 640), (1280, 800), (1920, 1080)]


def settled(qtbot, window) -> None:
    """Waits until the shown frame's grid has the plot area's shape (the worker followed)."""
    qtbot.waitUntil(lambda: boundary_fits_view(window), timeout=TIMEOUT)


def open_dock(qtbot, window, dock_name: str | None) -> None:
    if dock_name is None:
        return
    dock = getattr(window, dock_name)
    dock.show()
    dock.raise_()
    qtbot.waitUntil(lambda: not dock.visibleRegion().isEmpty(), timeout=TIMEOUT)


def assert_filled_true_to_scale(window) -> None:
    fill_x, fill_y = boundary_fill(window)
    assert fill_x >= FILL and fill_y >= FILL, (fill_x, fill_y)
    per_x, per_y = units_per_pixel(window.boundary.plotItem.vb)
    assert per_x == pytest.approx(per_y, rel=0.01)


def assert_inside_widget(window) -> None:
    """Nothing of the plot (axes, colour bar, legend) is cut off by the widget's edges."""
    view = window.boundary
    widget = QRectF(0, 0, view.width(), view.height()).adjusted(-1, -1, 1, 1)
    for item in (view.plotItem, view.legend, view.colour_bar):
        assert widget.contains(item.sceneBoundingRect()), type(item).__name__


@pytest.mark.parametrize("dock_name", [None, "network_dock", "landscape_dock"])
@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
def test_the_data_spans_most_of_the_view_at_every_size(qtbot, window, size, dock_name):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.width() == size[0], timeout=TIMEOUT)
    open_dock(qtbot, window, dock_name)
    settled(qtbot, window)
    assert_filled_true_to_scale(window)
    assert_inside_widget(window)
    # The image covers exactly the visible range: no band of empty colour, none missing.
    x0, x1, y0, y1 = window.playground.last_frame.extent
    (vx0, vx1), (vy0, vy1) = window.boundary.plotItem.vb.viewRange()
    assert np.allclose([x0, x1, y0, y1], [vx0, vx1, vy0, vy1], rtol=1e-3, atol=1e-3)


def test_the_plot_follows_resizes_and_is_centred_in_its_widget(qtbot, window):
    view = window.boundary
    for size in [(1280, 800), (1500, 700), (900, 1000), (1280, 800)]:
        window.resize(*size)
        qtbot.waitUntil(lambda size=size: window.width() == size[0], timeout=TIMEOUT)
        settled(qtbot, window)
        assert_filled_true_to_scale(window)
        plot = view.plotItem.sceneBoundingRect()
        # the spare room lies evenly on both sides
        assert abs(plot.left() - (view.width() - plot.right())) <= 2
        assert abs(plot.top() - (view.height() - plot.bottom())) <= 2


@pytest.mark.parametrize("name", ["gaussians", "circles", "spiral", "plane"])
def test_new_data_gets_its_own_shape(qtbot, window, name):
    window.resize(1280, 800)
    panel = window.data_panel
    if name == "plane":
        panel.problem.setCurrentIndex(panel.problem.findData("regression"))
    else:
        panel.dataset.setCurrentIndex(panel.dataset.findData(name))
    qtbot.waitUntil(lambda: window.playground.last_frame.dataset.name == name, timeout=TIMEOUT)
    settled(qtbot, window)
    assert_filled_true_to_scale(window)


def test_drawn_points_that_stretch_the_data_reshape_the_view(qtbot, window):
    window.resize(1280, 800)
    settled(qtbot, window)
    data = window.playground.last_frame.dataset
    (x_low, x_high), (y_low, y_high) = np.percentile(data.X_all, [0, 100], axis=0).T
    window.draw_tools.toggle.setChecked(True)
    window.boundary.point_clicked.emit((x_low + x_high) / 2, y_high + 3 * (y_high - y_low), False)
    qtbot.waitUntil(
        lambda: len(window.playground.last_frame.dataset.y_all) == len(data.y_all) + 1,
        timeout=TIMEOUT,
    )
    settled(qtbot, window)
    assert_filled_true_to_scale(window)  # now four times as tall: a tall plot


@pytest.mark.parametrize("size", [(1024, 640), (1920, 1080)], ids=["1024x640", "1920x1080"])
def test_the_landscape_map_fills_its_plot(qtbot, window, size):
    window.resize(*size)
    open_dock(qtbot, window, "landscape_dock")
    view = window.landscape_dock.view
    qtbot.waitUntil(lambda: view.landscape is not None, timeout=TIMEOUT)
    landscape = view.landscape
    half_a = (landscape.a[1] - landscape.a[0]) / 2
    half_b = (landscape.b[1] - landscape.b[0]) / 2
    corners = np.array(
        [
            [landscape.a[0] - half_a, landscape.b[0] - half_b],
            [landscape.a[-1] + half_a, landscape.b[-1] + half_b],
        ]
    )
    box = view.map_plot.vb
    fill_x, fill_y = span_fraction(box, corners)
    assert fill_x >= 0.95 and fill_y >= 0.95, (fill_x, fill_y)
    per_x, per_y = units_per_pixel(box)
    assert per_x == pytest.approx(per_y, rel=0.01)
    # the line plot beside it keeps a good share of the width
    assert view.line_plot.width() >= 0.3 * view.width()


def image_steps(window) -> tuple[float, float]:
    """The largest colour step between neighbouring screen pixels of the boundary image, and
    between neighbouring cells of the grid it was made from (points and marks hidden)."""
    view = window.boundary
    hidden = [view.train_item, view.test_item, view.wrong_item, view.line, view.arrow_shaft]
    for item in hidden:
        item.hide()
    try:
        shown = view.grab().toImage()
    finally:
        for item in hidden:
            item.show()
    inside = 8  # pixels: the axes' ticks reach into the plot area
    area = view.plotItem.vb.sceneBoundingRect().toRect().adjusted(inside, inside, -inside, -inside)
    pixels = np.array(
        [
            [shown.pixelColor(x, y).getRgb()[:3] for x in range(area.left(), area.right())]
            for y in range(area.top(), area.bottom(), 7)
        ],
        dtype=float,
    )
    cells = np.asarray(view.last_image, dtype=float)[..., :3]
    pixel_step = np.abs(np.diff(pixels, axis=1)).max()
    cell_step = np.abs(np.diff(cells, axis=1)).max()
    return pixel_step, cell_step


def test_the_boundary_image_is_smooth(qtbot, window):
    window.resize(1280, 800)
    settled(qtbot, window)
    run_updates(qtbot, window, 100)
    window.controls.discrete_toggle.setChecked(True)  # hard class regions: sharp edges
    assert window.boundary.discrete
    settled(qtbot, window)
    frame = window.playground.last_frame
    rows, columns = frame.image.shape[:2]
    x0, x1, y0, y1 = frame.extent
    assert (x1 - x0) / columns == pytest.approx((y1 - y0) / rows, rel=0.05)  # square cells
    pixel_step, cell_step = image_steps(window)
    # Drawn in blocks, neighbouring pixels would jump by a whole cell's step somewhere.
    assert cell_step > 20 and pixel_step < 0.6 * cell_step, (pixel_step, cell_step)


def test_the_perceptron_line_is_drawn_through_its_equation_to_the_edges(qtbot, window):
    window.model_panel.kind.setCurrentIndex(1)  # the perceptron
    qtbot.waitUntil(
        lambda: window.playground.last_frame.perceptron_weights is not None, timeout=TIMEOUT
    )
    run_updates(qtbot, window, 20)
    settled(qtbot, window)
    frame = window.playground.last_frame
    b, w1, w2 = frame.perceptron_weights
    xs, ys = window.boundary.line.getData()
    assert len(xs) == 2 and window.boundary.line.isVisible()
    assert np.allclose(b + w1 * xs + w2 * ys, 0, atol=1e-9 * np.hypot(w1, w2) * 100)
    x0, x1, y0, y1 = frame.extent
    on_edge = np.isclose(xs, x0) | np.isclose(xs, x1) | np.isclose(ys, y0) | np.isclose(ys, y1)
    assert on_edge.all()  # from edge to edge of the image, no further


def test_a_line_outside_the_plane_is_not_drawn():
    extent = (-1.0, 1.0, -1.0, 1.0)
    assert line_in_extent(np.array([-5.0, 1.0, 0.0]), extent) is None  # x1 = 5
    assert line_in_extent(np.array([1.0, 0.0, 0.0]), extent) is None  # no direction
    ends = line_in_extent(np.array([0.0, 1.0, -1.0]), extent)  # the diagonal x1 = x2
    assert np.allclose(sorted(map(tuple, ends)), [(-1, -1), (1, 1)])
