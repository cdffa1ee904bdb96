"""The main window's menu bar: every action, with its shortcut, in one place.

The actions of the window's helpers (files, drawing, run controls) are theirs; this makes
the window's own (experiments, copy, fit, network, presets, guide), arranges every action
into File, Edit, Run, View, Experiments, Presets and Help, and returns the ones it made.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from gui.files.settings import skipped
from gui.windows.actions import make_action
from gui.windows.check_code_window import check_code_action
from gui.windows.guide import show_about
from gui.windows.playground_link import (
    CONFIG_REASON,
    EXPERIMENTS_NOTE,
)
from model.io.presets import read_presets


@dataclass
class MenuActions:
    """The actions the menu bar made, for the window to keep (and tests to trigger)."""

    experiments: QAction
    fit: QAction
    network_toggle: QAction
    guide: QAction
    landscape_toggle: QAction | None = None
    copy: list[QAction] = field(default_factory=list)
    presets: list[QAction] = field(default_factory=list)


def build_menu_bar(window, toolbar: QToolBar) -> MenuActions:
    """Fill ``window``'s menu bar; the Network toggle also goes on ``toolbar``."""
    bar = window.menuBar()
    controls, files, draw = window.controls, window.files, window.draw_tools
    file_menu = bar.addMenu("&File")
    _add(file_menu, files.open_action, files.save_action, files.save_as_action)
    file_menu.addMenu(files.recent_menu)
    links = window.playground_links  # TensorFlow Playground links: open, paste, copy
    file_menu.addAction(links.open_action)
    file_menu.addSeparator()
    _add(file_menu, files.load_data_action, files.save_data_action)
    file_menu.addSeparator()
    export = file_menu.addMenu("&Export")
    export.setToolTipsVisible(True)  # a choice switched off says why
    exports = {}
    for text, slot in (
        ("Configuration as JSON…", window.export_config),
        ("History as CSV…", window.export_history),
        ("Decision boundary as PNG…", lambda: window.export_png(window.boundary.plotItem)),
        ("Loss plot as PNG…", lambda: window.export_png(window.curves.loss_plot.plotItem)),
        ("Accuracy plot as PNG…", lambda: window.export_png(window.curves.accuracy_plot.plotItem)),
        ("Loss landscape as PNG…", window.landscape_dock.export_png),
        ("Loss landscape as CSV…", window.landscape_dock.export_csv),
    ):
        exports[text] = export.addAction(text, slot)
    export.addSeparator()
    _add(export, *window.code_export.actions)  # the network as a Python or PyTorch script
    file_menu.addAction(window.recorder.action)  # Record… / Stop recording (Ctrl+R)
    file_menu.addAction(check_code_action(window))  # Check my code… (Ctrl+K)
    file_menu.addSeparator()
    file_menu.addAction(
        make_action(window, "Quit", QKeySequence("Ctrl+Q"), "Quit", window.close_without_waiting)
    )
    run_menu = bar.addMenu("&Run")
    _add(run_menu, *controls.training_actions)
    run_menu.addSeparator()
    _add(run_menu, controls.slower_action, controls.faster_action)
    edit_menu = bar.addMenu("&Edit")
    _add(edit_menu, draw.undo_action, draw.redo_action)
    edit_menu.addSeparator()
    _add(edit_menu, draw.toggle, draw.clear_action)
    edit_menu.addSeparator()
    copy = []
    for text, shortcut, view in (
        ("Copy decision boundary", "Ctrl+C", window.boundary),
        ("Copy loss plot", "Ctrl+Shift+C", window.curves.loss_plot),
        ("Copy accuracy plot", "Ctrl+Alt+C", window.curves.accuracy_plot),
    ):
        copy.append(
            make_action(
                window,
                text,
                QKeySequence(shortcut),
                f"{text} to the clipboard as an image",
                lambda _=False, v=view: window.copy_to_clipboard(v),
            )
        )
    _add(edit_menu, *copy)
    edit_menu.addAction(window.copy_command.action)  # the main.py command line of this run
    edit_menu.addSeparator()
    _add(edit_menu, links.paste_action, links.copy_action)
    view_menu = bar.addMenu("&View")
    _add(view_menu, controls.test_toggle, controls.discrete_toggle, controls.epochs_axis_action)
    fit = make_action(
        window,
        "Fit boundary to data",
        QKeySequence("Home"),
        "Show the whole data extent again after zooming (mouse wheel) or panning (drag)",
        window.boundary.fit_to_data,
    )
    view_menu.addAction(fit)
    view_menu.addMenu(window.theme_menu)
    view_menu.addAction(window.presentation.action)  # F11: full screen, large, Esc leaves
    network_toggle = _dock_toggle(
        window,
        view_menu,
        toolbar,
        window.network_dock,
        "N",
        "Show the network: every neuron's map and every weight",
    )
    landscape_toggle = _dock_toggle(
        window,
        view_menu,
        toolbar,
        window.landscape_dock,
        "L",
        "Show the loss around the weights and the path of training",
    )
    landscape_toggle.setIconText("Landscape")  # on the toolbar; the menu names it in full
    view_menu.addAction(window.curves.log_action)  # also the loss plot's "log" button
    experiments = make_action(
        window,
        "Experiments…",
        QKeySequence("Ctrl+E"),
        "The perceptron sweep and run comparisons",
        window.show_experiments,
    )
    bar.addMenu("E&xperiments").addAction(experiments)
    presets = _presets_menu(bar.addMenu("&Presets"), window.playground.load_config)
    # What a run under Playground's rules cannot do says why (gui/windows/playground_link.py).
    file_menu.setToolTipsVisible(True)
    view_menu.setToolTipsVisible(True)
    links.disable_under_rules(exports["Configuration as JSON…"], CONFIG_REASON)
    links.note_under_rules(experiments, EXPERIMENTS_NOTE)
    guide = _help_menu(window, bar.addMenu("&Help"))
    return MenuActions(experiments, fit, network_toggle, guide, landscape_toggle, copy, presets)


def _dock_toggle(window, menu: QMenu, toolbar: QToolBar, dock, key: str, tip: str) -> QAction:
    """A dock's show/hide action, with its key, in the View menu and on the toolbar."""
    toggle = dock.toggleViewAction()
    toggle.setShortcut(QKeySequence(key))
    toggle.setToolTip(f"{tip} ({key})")
    window.addAction(toggle)
    menu.addAction(toggle)
    toolbar.addAction(toggle)
    return toggle


def _add(menu: QMenu, *actions: QAction) -> None:
    for action in actions:
        menu.addAction(action)


def _presets_menu(menu: QMenu, load) -> list[QAction]:
    actions = []
    menu.setToolTipsVisible(True)
    for preset in read_presets(report=skipped):  # a broken file: one line on stderr
        action = menu.addAction(preset.title)
        tip = f"{preset.description} " if preset.description else ""
        action.setStatusTip(f"{tip}Loads this experiment (training restarts).")
        # rich text, so that Qt wraps a long description
        action.setToolTip(
            f"<p>{html.escape(preset.description)}</p>"
            f"<p>From the command line: <tt>main.py --preset {preset.slug}</tt></p>"
        )
        action.triggered.connect(lambda _=False, c=preset.config: load(c))
        actions.append(action)
    return actions


def _help_menu(window, menu: QMenu) -> QAction:
    """The guide's toggle, its sections and About; returns the toggle."""
    guide = window.guide.toggleViewAction()
    guide.setText("&Guide")
    guide.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    guide.setToolTip("The perceptron rule, backpropagation and batch size, with formulas (F1)")
    window.addAction(guide)
    menu.addAction(guide)
    for title, anchor in (
        ("The perceptron rule", "perceptron"),
        ("Backpropagation, module by module", "backprop"),
        ("Batch size and optimizers", "batch"),
        ("Input features and linear units", "features"),
        ("Reading the views", "views"),
        ("TensorFlow Playground links", "playground"),
    ):
        menu.addAction(title, lambda a=anchor: window.guide.show_section(a))
    menu.addSeparator()
    menu.addAction("&About Neural Playground", lambda: show_about(window))
    return guide
