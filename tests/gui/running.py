"""Driving a real window's run from a test: more updates, then paused, waited for."""


def run_updates(qtbot, window, updates: int, timeout: int = 20_000) -> None:
    """``updates`` more updates at full speed; returns once the window shows them, paused."""
    target = window.playground.last_frame.update + updates
    window.playground.request_updates.emit(updates)
    qtbot.waitUntil(
        lambda: (
            window.playground.last_frame.update == target
            and not window.playground.last_frame.playing
        ),
        timeout=timeout,
    )
