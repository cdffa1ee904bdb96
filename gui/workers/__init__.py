"""Work off the GUI thread: training and experiment workers, and the frames they send."""
