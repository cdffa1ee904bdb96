"""Every limit and default a user can reach, owned here once: the configuration records
(model/config.py), the data sets, the engine, the command line and the window all read them.

A range is (low, high), both allowed. Beyond a limit the work would take days, the memory
would run out or a view could no longer show the value, so it is refused before anything runs.
"""

# The data: points, classes, coordinates and targets.
MAX_SAMPLES = 100_000
MAX_CLASSES = 6
MAX_COORDINATE = 1e6
MAX_TARGET = 1e6  # the largest regression target of the user's own points, as for coordinates
# A file of points (the user's own data, the points an exported script predicts): its bytes,
# and the characters of one CSV field (the csv module's default, which the app's reader keeps).
MAX_POINTS_FILE_BYTES = 50_000_000
MAX_CSV_FIELD_CHARS = 131_072

# The network and its training.
MAX_LAYERS = 8
MAX_WIDTH = 256
MAX_BATCH = 100_000
# Each number's allowed range, (low, high) inclusive: the panels' boxes use these same limits,
# so whatever a configuration holds, a box can show, and whatever a box holds is valid.
SAMPLES_RANGE = (4, MAX_SAMPLES)
NOISE_RANGE = (0.0, 5.0)
TRAIN_FRACTION_RANGE = (0.05, 0.95)
SEED_RANGE = (0, 2**32 - 1)  # NumPy's and scikit-learn's seeds
LEARNING_RATE_RANGE = (1e-6, 100.0)
PENALTY_RANGE = (0.0, 10.0)  # L2 and L1
BATCH_RANGE = (1, MAX_BATCH)
EVAL_EVERY_RANGE = (1, 1_000_000)

# How long a run is and how many runs an experiment makes: beyond these the work would take
# days or the memory would run out, so the command line, the Experiments window and the
# experiments themselves refuse more before anything runs.
MAX_EPOCHS = 100_000  # a run's epochs: train's --max_steps, compare's, a map's, the perceptron's
EPOCHS_RANGE = (1, MAX_EPOCHS)
# --steps of the window's --screenshot and --record: train's limit (its --max_steps epochs)
WINDOW_STEPS_RANGE = (0, MAX_EPOCHS)
UPDATES_RANGE = (0, 10_000_000)  # a run's length in updates (a run stopped mid-epoch)
SEED_COUNT_RANGE = (1, 100)  # seeds per cell of a perceptron sweep or a hyperparameter map
MAX_VALUES = 20  # values in one list: a map's axis, a sweep's means, the compared batch sizes
MAX_RUNS = 2_000  # a hyperparameter map's cells x seeds
JOBS_RANGE = (1, 256)  # local worker processes of a hyperparameter map
TARGET_ACCURACY_RANGE = (0.01, 1.0)  # the test accuracy a map times the first reaching of

# The numbers of a saved session (model/io/session.py): beyond these no run of the app made
# them, and a file holding them is refused. The window trains without an end, so a run's
# length is bounded far above the command line's: a year at 30,000 updates a second, still
# exact as float64. Weights: a least-squares fit of targets up to MAX_TARGET on points
# 1e-6 apart needs 1e12 (a fit of 2e6 * x1 is an ordinary session); up to here the landscape's
# Gram matrix of 460,000 weights stays far from overflow (1e155 broke its eigenproblem).
# Losses: a regression run stops at 1e6 times its start, at most about 1e19 on points and
# targets within 1e6; 1e30 stays within float32, as the curves may draw it.
MAX_RUN_UPDATES = 10**12  # updates, epochs and the perceptron's epochs of one run
MAX_RUN_SECONDS = 1e9  # a run's training time (about 32 years)
MAX_WEIGHT = 1e12  # a weight's magnitude: the current, initial and recorded weights
# A diverged run keeps whatever weights its failed update left (1e102 within 4 updates at a
# learning rate of 0.1 on targets of 1e6), and never updates them again; the landscape's
# planes and slices still hold at 1e100 and fail (LinAlgError) at 1e300.
MAX_DIVERGED_WEIGHT = 1e100
MAX_LOSS = 1e30  # a loss in the history, and the loss at the start

# The loss landscape's slice (model/landscape/slices.py), as the window's dock and
# ``main.py landscape`` ask for it: grid points per side (odd, so that the centre is on the
# grid: the window offers only odd numbers, the command line refuses an even one) and how far
# the slice reaches along each direction.
LANDSCAPE_RESOLUTION_RANGE = (3, 101)
LANDSCAPE_RESOLUTION_DEFAULT = 41
LANDSCAPE_SPAN_RANGE = (0.01, 100.0)
LANDSCAPE_SPAN_DEFAULT = 1.0
# ``main.py landscape`` refuses a slice whose points (the grid and at most the whole path) x
# parameters x training points exceed this, about one multiply-add each. Measured: 9.6e11
# (8 x 256 units, 800 training points, a 51 x 51 grid) took 86 s of one core and 171 MB at
# most, the grid being computed in tiles. The default run is 1.5e8; 8 x 256 units on 1,000
# points at the default grid 41 x 41 is 6.3e11.
LANDSCAPE_MAX_WORK = 10**12

# A Dask scheduler's address (``main.py grid --scheduler``, the Hyperparameter map's box):
# tcp:// or tls://, a host name of at most DNS's 253 characters (63 a label), and a port.
SCHEDULER_PORT_RANGE = (1, 65_535)
MAX_SCHEDULER_HOST = 253
MAX_SCHEDULER_LABEL = 63

# A TensorFlow Playground link (model/playground/link.py; ``main.py playground``): what a link
# may ask for. Playground's own buttons stop at 6 hidden layers of 8 neurons, its menus offer
# learning rates 0.00001 to 10 and regularization rates 0 to 10, its sliders train fractions
# 10 to 90 % and batch sizes 1 to 30; a link may go beyond the controls within these limits.
PLAYGROUND_MAX_HIDDEN_LAYERS = 6
PLAYGROUND_WIDTH_RANGE = (1, 8)
PLAYGROUND_MAX_LEARNING_RATE = 100.0  # above 0
PLAYGROUND_REGULARIZATION_RATE_RANGE = (0.0, 100.0)
PLAYGROUND_TRAIN_PERCENT_RANGE = (1.0, 99.0)  # percTrainData; both splits keep a point
PLAYGROUND_BATCH_RANGE = (1, 1_200)  # at most the training points (Playground's largest set)
PLAYGROUND_MAX_SEED_CHARS = 1_000
PLAYGROUND_MAX_LINK_CHARS = 20_000
PLAYGROUND_EPOCHS_RANGE = (0, MAX_EPOCHS)  # main.py playground --epochs; 0: the start only
PLAYGROUND_EPOCHS_DEFAULT = 100

# The window's frames (gui/workers/frame_maker.py): at most this many of the data's points are
# predicted for a frame and drawn on the boundary view (a fixed sample, the same for every
# frame of a data set); the history's loss and accuracy still cover every point. 100,000
# points through a 256-256 network took a second a frame, and drawing them held the window.
FRAME_POINTS = 5_000
# How long a closing window waits for a thread it started to stop (a training thread stops
# between two updates, one of which may take a second) before it goes on regardless.
THREAD_STOP_SECONDS = 10

# Checking a student's own modules (model/checking/, ``main.py check``): the student's code runs
# in a process of its own, each check within CHECK_SECONDS (an endless loop fails that check and
# the others still run), within CHECK_MEMORY_BYTES of address space (RLIMIT_AS; NumPy with one
# BLAS thread takes about 100 MB of it before any array) and writing at most CHECK_OUTPUT_BYTES
# of printed output (a print in an endless loop cannot fill the disk).
CHECK_SECONDS = 5.0
CHECK_MEMORY_BYTES = 2 * 2**30
CHECK_OUTPUT_BYTES = 1_000_000
