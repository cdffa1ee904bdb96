"""Light and dark appearance: the Qt palette and the plots' colours, chosen at start.

"system" follows the desktop's colour scheme where Qt can read it (Qt 6.5+), and is light
where it cannot (a bare X server, for instance). A change applies at once: the palette for
widgets, ``restyle_plots`` for the plots already made.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QWidget

THEMES = ("system", "light", "dark")
PLOT_COLOURS = {"light": ("w", "k"), "dark": ((30, 31, 34), (220, 220, 220))}
# A legend on its own box (the boundary view's, below its plot): fill, frame and text.
LEGEND_BOXES = {
    "light": ((255, 255, 255, 235), (160, 160, 160), (20, 20, 20)),
    "dark": ((43, 45, 48, 235), (110, 110, 110), (222, 222, 222)),
}


def resolve(theme: str) -> str:
    """``light`` or ``dark`` for a theme name, asking the desktop for ``system``."""
    if theme in ("light", "dark"):
        return theme
    hints = QGuiApplication.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def _dark_palette() -> QPalette:
    palette = QPalette()
    base, window, text = QColor(30, 31, 34), QColor(43, 45, 48), QColor(222, 222, 222)
    disabled = QColor(120, 120, 120)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, window),
        (QPalette.ColorRole.ToolTipBase, QColor(60, 63, 65)),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, window),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor(255, 90, 90)),
        (QPalette.ColorRole.Link, QColor(110, 170, 255)),
        (QPalette.ColorRole.Highlight, QColor(53, 110, 190)),
        (QPalette.ColorRole.HighlightedText, QColor(255, 255, 255)),
        (QPalette.ColorRole.PlaceholderText, disabled),
    ):
        palette.setColor(role, colour)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


_started_with: dict = {}  # the style and palette Qt chose, to return to from our own


def apply_theme(app: QApplication, theme: str) -> str:
    """Set the palette and the plot colours; returns the resolved ``light`` or ``dark``."""
    import pyqtgraph as pg

    if not _started_with:
        _started_with.update(style=app.style().name(), palette=QPalette(app.palette()))
    resolved = resolve(theme)
    if resolved == "dark":
        app.setStyle("Fusion")
        app.setPalette(_dark_palette())
        _started_with["changed"] = True
    elif resolve("system") == "dark":  # light chosen on a dark desktop: Fusion's light colours
        app.setStyle("Fusion")
        app.setPalette(app.style().standardPalette())
        _started_with["changed"] = True
    elif _started_with.pop("changed", False):  # back to the desktop's own light look
        app.setStyle(_started_with["style"])
        app.setPalette(_started_with["palette"])
    background, foreground = PLOT_COLOURS[resolved]
    pg.setConfigOptions(background=background, foreground=foreground)
    return resolved


def plot_theme() -> str:
    """``light`` or ``dark``: which plot colours are current (pyqtgraph's background)."""
    import pyqtgraph as pg

    return "dark" if pg.mkColor(pg.getConfigOption("background")).lightness() < 128 else "light"


def legend_box() -> dict:
    """``pg.LegendItem`` keywords for a legend on its own box, in the current plot colours."""
    brush, pen, text = LEGEND_BOXES[plot_theme()]
    return {"brush": brush, "pen": pen, "labelTextColor": text}


def _restyle_legend(legend) -> None:
    """A legend on its own box takes the current box colours, its labels redrawn in them."""
    options = legend_box()
    legend.setBrush(options["brush"])
    legend.setPen(options["pen"])
    legend.setLabelTextColor(options["labelTextColor"])
    for _, label in legend.items:
        label.setText(label.text)


def restyle_plots(root: QWidget) -> None:
    """Give the plots already made under ``root`` the current plot colours.

    Backgrounds, axes, titles and legends on their own box follow; text given its own
    colour (read-outs on white) keeps it.
    """
    import pyqtgraph as pg

    background = pg.getConfigOption("background")
    for view in root.findChildren(pg.GraphicsView):
        view.setBackground(background)
        for item in view.scene().items():
            if isinstance(item, pg.AxisItem):
                item.setPen()
                item.setTextPen()
            elif isinstance(item, pg.LegendItem) and item.brush().style() != Qt.BrushStyle.NoBrush:
                _restyle_legend(item)
            elif isinstance(item, pg.LabelItem) and item.opts.get("color") is None:
                item.setText(item.text)
