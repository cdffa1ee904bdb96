"""The Help guide dock and the About text."""

import importlib.metadata
import re

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMainWindow, QWidget

from gui.windows import guide
from gui.windows.guide import GUIDE_PATH, GuideDock, about_text

SECTIONS = ("perceptron", "backprop", "batch", "features", "landscape", "views")


def anchor_names(dock: GuideDock) -> set[str]:
    """Every <a name=...> the browser's document knows, as scrollToAnchor sees them."""
    names: set[str] = set()
    block = dock.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            names.update(it.fragment().charFormat().anchorNames())
            it += 1
        block = block.next()
    return names


@pytest.fixture
def dock(qtbot):
    window = QMainWindow()
    window.setCentralWidget(QWidget())
    guide = GuideDock(window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, guide)
    guide.hide()
    qtbot.addWidget(window)
    window.resize(400, 300)
    window.show()
    yield guide
    window.close()


def test_guide_loads_with_sections_and_formulas(dock):
    assert dock.objectName() == "guide_dock"
    assert dock.windowTitle() == "Guide"
    assert set(SECTIONS) <= anchor_names(dock)
    text = dock.browser.toPlainText()
    assert "w ← w − η g" in text  # the perceptron update, entities rendered
    assert "&" not in text and "<" not in text  # no raw HTML or unresolved entities


def test_control_link_emits_its_name(qtbot, dock):
    with qtbot.waitSignal(dock.control_requested, timeout=1000) as blocker:
        dock.browser.anchorClicked.emit(QUrl("control:learning_rate"))
    assert blocker.args == ["learning_rate"]


def test_anchor_link_scrolls_within_the_guide(qtbot, dock):
    dock.show()
    bar = dock.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    dock.browser.anchorClicked.emit(QUrl("#views"))
    assert bar.value() > 0


def test_show_section_shows_the_dock_and_scrolls(qtbot, dock):
    assert not dock.isVisible()
    dock.show_section("batch")
    assert dock.isVisible()
    bar = dock.browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.value() > 0)


def test_every_control_link_names_a_control_of_the_window(window):
    html = GUIDE_PATH.read_text(encoding="utf-8")
    names = re.findall(r'href\s*=\s*["\']control:([^"\']*)["\']', html)
    assert names, "the guide links no control"
    assert [name for name in set(names) if window.side.control_widget(name) is None] == []


def test_missing_guide_shows_a_message(qtbot, tmp_path):
    dock = GuideDock(path=tmp_path / "absent.html")
    qtbot.addWidget(dock)
    text = dock.browser.toPlainText()
    assert "could not be loaded" in text
    assert len(text.splitlines()) == 1


def test_about_text_names_the_app_and_numpy():
    text = about_text()
    assert "Neural Playground" in text
    assert "NumPy" in text
    assert "PySide6" in text and "pyqtgraph" in text


def test_web_links_open_outside(monkeypatch, dock):
    opened = []
    monkeypatch.setattr(guide.QDesktopServices, "openUrl", lambda url: opened.append(url))
    received = []
    dock.control_requested.connect(received.append)
    dock.browser.anchorClicked.emit(QUrl("https://numpy.org/"))
    assert opened == [QUrl("https://numpy.org/")]
    assert received == []


def test_about_without_installed_metadata(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(guide.importlib.metadata, "version", missing)
    assert "development" in about_text()


def test_show_about_uses_the_about_box(monkeypatch):
    shown = []
    monkeypatch.setattr(
        guide.QMessageBox, "about", lambda parent, title, text: shown.append((title, text))
    )
    guide.show_about(None)
    assert shown == [("About Neural Playground", about_text())]


def test_the_guide_says_how_l1_differs_from_tensorflow_playground():
    """The app's L1 is the subgradient sign(w); Playground zeroes a weight that crosses 0, so
    the same rate gives different networks: a student comparing the two must be told."""
    text = re.sub(r"<[^>]+>|\s+", " ", GUIDE_PATH.read_text(encoding="utf-8"))
    assert "subgradient" in text and "TensorFlow Playground" in text
    assert "crosses zero to exactly 0" in text
