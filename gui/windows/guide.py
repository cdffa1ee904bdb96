"""The Help guide as a dock, and the About box.

The guide is an HTML file in ``resources`` shown in a QTextBrowser. Links of the form
``control:NAME`` ask the window to show one of the side panel's controls (the dock only emits
``control_requested``; the window decides what showing a control means), ``#anchor`` links move
within the guide and web links open in the system browser.
"""

from __future__ import annotations

import html
import importlib.metadata
import platform
from pathlib import Path

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDockWidget, QMessageBox, QTextBrowser, QWidget

from resources import GUIDE

GUIDE_PATH = GUIDE  # the shipped guide: the default of load_guide and GuideDock
DISTRIBUTION = "neural-playground"
APP_NAME = "Neural Playground"


def load_guide(path: Path = GUIDE_PATH) -> str:
    """The guide's HTML, or a one-line message if the file cannot be read: a missing help
    file should cost the user the help, not the window."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else "unreadable"
        return f"<p>The guide could not be loaded ({html.escape(str(path))}: {reason}).</p>"


class GuideDock(QDockWidget):
    """The guide in a dock, so it can sit beside the views while the user experiments."""

    control_requested = Signal(str)  # the NAME of a clicked control:NAME link

    def __init__(self, parent: QWidget | None = None, path: Path = GUIDE_PATH) -> None:
        super().__init__("Guide", parent)
        self.setObjectName("guide_dock")  # QMainWindow.saveState needs a stable name
        self.browser = QTextBrowser(self)
        # Links are handled here: control: links are not documents to open.
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self._link_clicked)
        self.browser.setHtml(load_guide(path))
        self.setWidget(self.browser)

    def show_section(self, anchor: str) -> None:
        """Show the dock and scroll the guide to ``anchor`` (a name from the HTML)."""
        self.show()
        self.raise_()
        self.browser.scrollToAnchor(anchor)
        # A dock shown just now has not been laid out yet, so the first scroll may be
        # computed for the wrong size: scroll again once the event loop has run.
        QTimer.singleShot(0, self, lambda: self.browser.scrollToAnchor(anchor))

    def _link_clicked(self, url: QUrl) -> None:
        scheme = url.scheme()
        if scheme == "control":
            name = url.path()
            if name:
                self.control_requested.emit(name)
        elif scheme in ("http", "https"):
            QDesktopServices.openUrl(url)
        elif not scheme and not url.path() and url.hasFragment():
            self.browser.scrollToAnchor(url.fragment())


def about_text() -> str:
    """The About box's HTML: what the program is and the versions it runs with, which is what
    a bug report needs."""
    import numpy
    import pyqtgraph
    import PySide6
    from PySide6.QtCore import qVersion

    try:
        version = importlib.metadata.version(DISTRIBUTION)
        metadata = importlib.metadata.metadata(DISTRIBUTION)
        licence = metadata.get("License-Expression") or metadata.get("License")
    except importlib.metadata.PackageNotFoundError:
        version, licence = "development", None
    rows = [
        ("Python", platform.python_version()),
        ("NumPy", numpy.__version__),
        ("PySide6", f"{PySide6.__version__} (Qt {qVersion()})"),
        ("pyqtgraph", pyqtgraph.__version__),
    ]
    lines = "<br>".join(f"{name} {html.escape(str(value))}" for name, value in rows)
    text = (
        f"<h3>{APP_NAME}</h3>"
        f"<p>Version {html.escape(version)}</p>"
        "<p>Watch a perceptron or a multi-layer perceptron, written from scratch in NumPy, "
        "learn to classify two-dimensional data.</p>"
        f"<p>{lines}</p>"
    )
    if licence:
        text += f"<p>Licence: {html.escape(licence)}</p>"
    return text


def show_about(parent: QWidget | None) -> None:
    """The Help menu's About box."""
    QMessageBox.about(parent, f"About {APP_NAME}", about_text())
