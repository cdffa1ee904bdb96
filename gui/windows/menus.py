"""The main window's menu bar: every action, with its shortcut, in one place.

The actions themselves (and their slots) belong to the window and its helpers; this only
arranges them into File, Edit, Run, View, Experiments, Presets and Help.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QToolBar

from gui.files.presets import read_presets
from gui.windows.guide import show_about


def build_menu_bar(window, toolbar: QToolBar) -> None:
    """Fill ``window``'s menu bar; the Network toggle also goes on ``toolbar``."""
    file_menu = window.menuBar().addMenu("&File")
    for action in (window.files.open_action, window.files.save_action, window.files.save_as_action):
        file_menu.addAction(action)
    file_menu.addMenu(window.files.recent_menu)
    file_menu.addSeparator()
    file_menu.addAction(window.files.load_data_action)
    file_menu.addAction(window.files.save_data_action)
    file_menu.addSeparator()
    export = file_menu.addMenu("&Export")
    for text, slot in (
        ("Configuration as JSON…", window.export_config),
        ("History as CSV…", window.export_history),
        ("Decision boundary as PNG…", lambda: window.export_png(window.boundary.plotItem)),
        ("Loss plot as PNG…", lambda: window.export_png(window.curves.loss_plot.plotItem)),
        ("Accuracy plot as PNG…", lambda: window.export_png(window.curves.accuracy_plot.plotItem)),
    ):
        export.addAction(text, slot)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    window.experiments_action = window.make_action(
        "Experiments…",
        QKeySequence("Ctrl+E"),
        "The perceptron grid and run comparisons",
        window.show_experiments,
    )
    run_menu = window.menuBar().addMenu("&Run")
    for action in (
        window.play_action,
        window.step_action,
        window.epoch_action,
        window.reset_action,
    ):
        run_menu.addAction(action)
    run_menu.addSeparator()
    window.slower_action = window.make_action(
        "Slower",
        QKeySequence("["),
        "One step slower (the speed box)",
        lambda: window.speed_by(-1),
    )
    window.faster_action = window.make_action(
        "Faster",
        QKeySequence("]"),
        "One step faster (the speed box)",
        lambda: window.speed_by(1),
    )
    run_menu.addAction(window.slower_action)
    run_menu.addAction(window.faster_action)
    edit_menu = window.menuBar().addMenu("&Edit")
    edit_menu.addAction(window.draw_tools.undo_action)
    edit_menu.addAction(window.draw_tools.redo_action)
    edit_menu.addSeparator()
    edit_menu.addAction(window.draw_tools.toggle)
    edit_menu.addAction(window.draw_tools.clear_action)
    edit_menu.addSeparator()
    window.copy_actions = []
    for text, shortcut, view in (
        ("Copy decision boundary", "Ctrl+C", window.boundary),
        ("Copy loss plot", "Ctrl+Shift+C", window.curves.loss_plot),
        ("Copy accuracy plot", "Ctrl+Alt+C", window.curves.accuracy_plot),
    ):
        action = window.make_action(
            text,
            QKeySequence(shortcut),
            f"{text} to the clipboard as an image",
            lambda _=False, v=view: window.copy_to_clipboard(v),
        )
        edit_menu.addAction(action)
        window.copy_actions.append(action)
    view_menu = window.menuBar().addMenu("&View")
    view_menu.addAction(window.test_toggle)
    window.epochs_axis_action = window.make_action(
        "Curves against epochs",
        QKeySequence("X"),
        "Plot the curves against epochs instead of updates",
        lambda checked: window.x_axis.setCurrentIndex(1 if checked else 0),
    )
    window.epochs_axis_action.setCheckable(True)
    window.x_axis.currentIndexChanged.connect(
        lambda index: window.epochs_axis_action.setChecked(index == 1)
    )
    view_menu.addAction(window.epochs_axis_action)
    window.fit_action = window.make_action(
        "Fit boundary to data",
        QKeySequence("Home"),
        "Show the whole data extent again after zooming (mouse wheel) or panning (drag)",
        window.boundary.fit_to_data,
    )
    view_menu.addAction(window.fit_action)
    view_menu.addMenu(window.theme_menu)
    window.network_toggle = window.network_dock.toggleViewAction()
    window.network_toggle.setShortcut(QKeySequence("N"))
    window.network_toggle.setToolTip("Show the network: every neuron's map and every weight (N)")
    window.addAction(window.network_toggle)
    view_menu.addAction(window.network_toggle)
    toolbar.addAction(window.network_toggle)
    experiments_menu = window.menuBar().addMenu("E&xperiments")
    experiments_menu.addAction(window.experiments_action)
    presets_menu = window.menuBar().addMenu("&Presets")
    window.preset_actions = []
    presets_menu.setToolTipsVisible(True)
    for preset in read_presets():
        action = presets_menu.addAction(preset.title)
        tip = f"{preset.description} " if preset.description else ""
        action.setStatusTip(f"{tip}Loads this experiment (training restarts).")
        # rich text, so that Qt wraps a long description
        action.setToolTip(
            f"<p>{html.escape(preset.description)}</p>"
            f"<p>From the command line: <tt>main.py --preset {preset.slug}</tt></p>"
        )
        action.triggered.connect(lambda _=False, c=preset.config: window.load_config(c))
        window.preset_actions.append(action)
    help_menu = window.menuBar().addMenu("&Help")
    window.guide_action = window.guide.toggleViewAction()
    window.guide_action.setText("&Guide")
    window.guide_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    window.guide_action.setToolTip(
        "The perceptron rule, backpropagation and batch size, with formulas (F1)"
    )
    window.addAction(window.guide_action)
    help_menu.addAction(window.guide_action)
    for title, anchor in (
        ("The perceptron rule", "perceptron"),
        ("Backpropagation, module by module", "backprop"),
        ("Batch size and optimizers", "batch"),
        ("Reading the views", "views"),
    ):
        help_menu.addAction(title, lambda a=anchor: window.guide.show_section(a))
    help_menu.addSeparator()
    help_menu.addAction("&About Neural Playground", lambda: show_about(window))
