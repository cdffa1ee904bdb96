"""Drawing your own points: the tools and their undo history."""
