"""TensorFlow Playground links in the window: File > Open Playground link… (Ctrl+Shift+O), a
link pasted (Ctrl+V) or dropped onto the window, and Edit > Copy as Playground link
(Ctrl+Shift+P).

A link opened trains its experiment by Playground's rules (model/playground/trainer.py): the
frames then carry the link's configuration (``rules_of``), and while they do, what cannot
follow those rules is switched off with its reason as the tooltip (sessions, which hold this
app's runs; the configuration as JSON). The loss landscape follows them: its slices are of
Playground's loss over Playground's weights and biases. A bad link is one line naming its
key, and the run on screen goes on as it was.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from gui.windows.actions import make_action
from model.limits import PLAYGROUND_MAX_LINK_CHARS
from model.playground.config import PlaygroundConfig, PlaygroundLinkError
from model.playground.from_experiment import playground_link_for
from model.playground.link import PLAYGROUND_KEYS, link_from_config, parse_link
from model.playground.trainer import PLAYGROUND_RULES, PlaygroundDataset, check_window_link

OPEN_SHORTCUT = "Ctrl+Shift+O"
PASTE_SHORTCUT = "Ctrl+V"
COPY_SHORTCUT = "Ctrl+Shift+P"
MESSAGE_MS = 15_000

CONFIG_REASON = (
    "Not under Playground rules: the link is this run's configuration (Edit > Copy as "
    "Playground link)"
)
EXPERIMENTS_NOTE = (
    "Comparisons over batch size or learning rate, and maps over two of learning rate, batch "
    "size and L2, run this link by Playground's rules; other comparisons and maps train the "
    "panels' settings by this app's rules (its own points, initialisation and batches), not "
    "Playground's."
)
LEFT_RULES = (
    "Left Playground rules: this app's own run of the panels' settings trains now "
    "(File > Open Playground link… goes back)."
)
ERROR_STYLE = "color:#7a1010;"


def rules_of(frame) -> PlaygroundConfig | None:
    """The Playground link's configuration a frame's run follows (None: this app's rules)."""
    dataset = None if frame is None else frame.dataset
    return dataset.rules if isinstance(dataset, PlaygroundDataset) else None


def read_link(text: str) -> PlaygroundConfig:
    """The link's configuration, if the window can run it; PlaygroundLinkError (one line,
    naming the key) otherwise."""
    rules = parse_link(text)
    check_window_link(rules)
    return rules


def looks_like_link(text: str) -> bool:
    """Whether pasted or dropped text is meant as a Playground link: Playground's address,
    or a state (after '#', or alone) with one of Playground's keys. Other text is left to
    whatever else takes it."""
    text = text.strip()
    if not text or len(text) > PLAYGROUND_MAX_LINK_CHARS:
        return False
    page, _, fragment = text.partition("#")
    if "playground.tensorflow.org" in page.lower():
        return True
    if not fragment and "://" in page:
        return False
    keys = {part.split("=")[0] for part in (fragment or page).split("&")}
    return bool(keys & set(PLAYGROUND_KEYS))


class OpenLinkDialog(QDialog):
    """A line for the link; a bad one is named on one line and the dialog stays open."""

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a Playground link")
        self.rules: PlaygroundConfig | None = None
        self.line = QLineEdit(text)
        self.line.setPlaceholderText("https://playground.tensorflow.org/#activation=tanh&…")
        self.line.setMinimumWidth(520)
        self.line.setClearButtonEnabled(True)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A TensorFlow Playground link: the whole address, or only the part after '#'. "
            "Its experiment trains here by Playground's rules: the same points, weights and "
            "losses."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.line)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.line.textEdited.connect(lambda _: self.error.hide())

    def accept(self) -> None:
        try:
            self.rules = read_link(self.line.text())
        except PlaygroundLinkError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        super().accept()


class PlaygroundLinks(QObject):
    """The window's Playground link actions, and what changes while a link's run is shown."""

    def __init__(self, playground, window: QWidget) -> None:
        super().__init__(window)
        self.playground = playground
        self.window = window
        self.rules: PlaygroundConfig | None = None  # the rules of the frame on screen
        self._guarded: list[tuple[QAction, str, str, str]] = []
        self.open_action = make_action(
            window,
            "Open Playground link…",
            QKeySequence(OPEN_SHORTCUT),
            "Train a TensorFlow Playground link's experiment by Playground's rules",
            lambda _=False: self.ask(),
        )
        self.paste_action = make_action(
            window,
            "Paste Playground link",
            QKeySequence(PASTE_SHORTCUT),
            "Open the TensorFlow Playground link on the clipboard",
            lambda _=False: self.paste(),
        )
        self.copy_action = make_action(
            window,
            "Copy as Playground link",
            QKeySequence(COPY_SHORTCUT),
            "Copy the TensorFlow Playground link of this run (of these settings, if "
            "Playground can show them)",
            lambda _=False: self.copy(),
        )
        self.actions = [self.open_action, self.paste_action, self.copy_action]
        playground.frame_ready.connect(self._frame)
        window.setAcceptDrops(True)
        window.installEventFilter(self)

    # ----- opening -----
    def ask(self) -> bool:
        """The dialog; the link typed or pasted into it opens. Returns whether one did."""
        clipboard = QApplication.clipboard().text()
        dialog = OpenLinkDialog(self.window, clipboard if looks_like_link(clipboard) else "")
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted or dialog.rules is None:
                return False
            self.open_rules(dialog.rules)
            return True
        finally:
            dialog.deleteLater()

    def paste(self) -> bool:
        """Ctrl+V on the window: the clipboard's link opens (other text is left alone)."""
        text = QApplication.clipboard().text()
        if not looks_like_link(text):
            self.playground.say(
                "Ctrl+V opens a TensorFlow Playground link; the clipboard holds none.", 6000
            )
            return False
        return self.open_text(text)

    def open_text(self, text: str) -> bool:
        """Open a link; a bad one is one line in the banner and changes nothing."""
        try:
            rules = read_link(text)
        except PlaygroundLinkError as error:
            self.playground.problem.emit(f"Not opened: {error}. The run on screen is unchanged.")
            return False
        self.open_rules(rules)
        return True

    def open_rules(self, rules: PlaygroundConfig) -> None:
        """Train ``rules`` by Playground's rules (the panels show this app's nearest settings)."""
        self.playground.open_playground(rules)
        seed = (
            ""
            if rules.seed_given
            else f" The link has no seed: Playground would draw its own; this run uses "
            f"seed={rules.seed}."
        )
        self.playground.say(
            f"Opened the link under {PLAYGROUND_RULES}; editing a panel leaves them.{seed}",
            MESSAGE_MS,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        """A link dragged from a browser's address bar (or as text) opens when dropped."""
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        text = _dropped_text(event.mimeData())
        if text is None or not looks_like_link(text):
            return False
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if kind == QEvent.Type.Drop:
            self.open_text(text)
        return True

    # ----- copying -----
    def copy(self) -> str | None:
        """Put the link on the clipboard: the shown run's own under Playground's rules, else
        the one of the panels' settings; None, and the reason in the status bar, if
        Playground cannot show them."""
        rules = rules_of(self.playground.last_frame)
        if rules is not None:
            link = link_from_config(rules)
            message = f"Copied this run's Playground link: {link}"
        else:
            try:
                link = playground_link_for(self.playground.config)
            except PlaygroundLinkError as why:
                self.playground.say(f"Nothing copied: {why}.", MESSAGE_MS)
                return None
            message = (
                "Copied the Playground link of these settings (Playground draws its own "
                f"points and weights, so its numbers are its own): {link}"
            )
        QApplication.clipboard().setText(link)
        self.playground.say(message, MESSAGE_MS)
        return link

    # ----- while a link's run is shown -----
    def disable_under_rules(self, action: QAction, reason: str) -> None:
        """``action`` is off, ``reason`` its tooltip, while a run follows Playground's rules."""
        self._guarded.append((action, reason, action.toolTip(), action.statusTip()))

    def note_under_rules(self, action: QAction, note: str) -> None:
        """``note`` in the status bar when ``action`` is used while a link's run is shown."""
        action.triggered.connect(lambda _=False: self.rules and self.playground.say(note, 10_000))

    def _frame(self, frame) -> None:
        rules = rules_of(frame)
        changed = (rules is None) != (self.rules is None)
        self.rules = rules
        if not changed:
            return
        for action, reason, tip, status in self._guarded:
            action.setEnabled(rules is None)
            action.setToolTip(tip if rules is None else reason)
            action.setStatusTip(status if rules is None else reason)
        if rules is None:
            self.playground.say(LEFT_RULES, 8000)


def _dropped_text(mime) -> str | None:
    """The text of a drop that is no file: a browser's link, or plain text."""
    urls = mime.urls()
    if any(url.isLocalFile() for url in urls):
        return None  # a file: the session and data files' own drop
    if mime.hasText() and mime.text().strip():
        return mime.text()
    return urls[0].toString() if urls else None
