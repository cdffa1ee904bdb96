"""The windows and their menus."""
