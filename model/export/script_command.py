"""The exported scripts' command line, the same text in the NumPy and the PyTorch script:
``--predict`` reads a points file as the app reads one and writes the predictions; without
arguments the script prints its test figure.

A stand-alone script cannot import the app, so the app's limits (model/limits.py) are written
into it as numbers, and its grammar of numbers is a small copy of the app's: Python's float()
less the digit separator, finite, within the app's coordinates (model/io/points_file.py; the
tests check the two agree). A file it cannot use is one line naming the file and the line,
and exit status 2, never a traceback or a wait: only regular files are opened to read
(O_NONBLOCK, so that a FIFO does not block the open), and no more than the limit is read.
"""

from __future__ import annotations

from string import Template

from model.limits import MAX_COORDINATE, MAX_CSV_FIELD_CHARS, MAX_POINTS_FILE_BYTES

# The scripts' command line, the same for NumPy and PyTorch: ``$points`` turns the flat array
# of x1, x2 read from a CSV into the script's array type; ``$chunk`` points are predicted and
# written at a time (whole slices of ROWS, so the outputs are those of one pass over all).
CLASSIFIER_MAIN = Template("""
CHUNK = $chunk  # points predicted at a time (whole slices of inference): bounded memory


def _predictions(X):
    \"\"\"Each point of X with its predicted class and the class probabilities, as CSV rows:
    CHUNK points predicted at a time, a thousand of them made text at a time.\"\"\"
    for start in range(0, len(X), CHUNK):
        part = X[start : start + CHUNK]
        p = predict_proba(part)
        k = p.argmax(1)
        for i in range(0, len(part), 1000):
            s = slice(i, i + 1000)
            for (x1, x2), c, row in zip(part[s].tolist(), k[s].tolist(), p[s].tolist()):
                yield [repr(x1), repr(x2), CLASS_NAMES[c], *map(repr, row)]


def main(argv):
    if argv[:1] == ["--predict"] and len(argv) in (2, 3):
        try:
            X = $points.reshape(-1, 2)
        except InputError as error:
            print(error, file=sys.stderr)
            return 2
        header = ["x1", "x2", "class", *(f"p({name})" for name in CLASS_NAMES)]
        return _write_rows(argv[2] if len(argv) == 3 else None, header, _predictions(X))
    if argv:
        print(f"usage: {sys.argv[0]} [--predict points.csv [predictions.csv]]", file=sys.stderr)
        return 2
    if len(Y_TEST) == 0:
        print("no test points were exported")
        return 0
    correct = int((predict(X_TEST) == Y_TEST).sum())
    n = len(Y_TEST)
    print(f"test accuracy {correct / n:.4f} ({correct} of {n} test points)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
""")

REGRESSION_MAIN = Template("""
CHUNK = $chunk  # points predicted at a time (whole slices of inference): bounded memory


def _predictions(X):
    \"\"\"Each point of X with its predicted value, as CSV rows: CHUNK points predicted at a
    time, a thousand of them made text at a time.\"\"\"
    for start in range(0, len(X), CHUNK):
        part = X[start : start + CHUNK]
        values = predict(part)
        for i in range(0, len(part), 1000):
            s = slice(i, i + 1000)
            for (x1, x2), value in zip(part[s].tolist(), values[s].tolist()):
                yield [repr(x1), repr(x2), repr(value)]


def main(argv):
    if argv[:1] == ["--predict"] and len(argv) in (2, 3):
        try:
            X = $points.reshape(-1, 2)
        except InputError as error:
            print(error, file=sys.stderr)
            return 2
        header = ["x1", "x2", "value"]
        return _write_rows(argv[2] if len(argv) == 3 else None, header, _predictions(X))
    if argv:
        print(f"usage: {sys.argv[0]} [--predict points.csv [predictions.csv]]", file=sys.stderr)
        return 2
    if len(Y_TEST) == 0:
        print("no test points were exported")
        return 0
    residual = predict(X_TEST) - Y_TEST
    n = len(Y_TEST)
    print(f"test mean squared error {float(residual @ residual) / n:.6f} ({n} test points)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
""")

PREDICT_CHUNK = 65_536  # about this many points are predicted and written at a time


def main_code(regression: bool, points: str, rows: int) -> str:
    """The script's ``main`` and its ``__main__`` call; ``rows`` is the network's slice of
    inference, of which each chunk of points is a whole number."""
    chunk = rows * max(1, PREDICT_CHUNK // max(1, rows))
    return (REGRESSION_MAIN if regression else CLASSIFIER_MAIN).substitute(
        points=points, chunk=chunk
    )


def reading_code() -> str:
    """The scripts' reader of points files, with the app's limits (model/limits.py) written
    in: a stand-alone script reads a file as the app reads one."""
    return (
        "# A points file is read as Neural Playground reads one: a regular file of at most\n"
        "# MAX_FILE_BYTES, UTF-8, fields of at most MAX_FIELD_CHARS characters, and x1, x2\n"
        "# finite numbers within +-MAX_COORDINATE.\n"
        f"MAX_FILE_BYTES = {MAX_POINTS_FILE_BYTES!r}\n"
        f"MAX_FIELD_CHARS = {MAX_CSV_FIELD_CHARS!r}\n"
        f"MAX_COORDINATE = {MAX_COORDINATE!r}\n" + READING_CODE
    )


READING_CODE = '''

class InputError(ValueError):
    """A file that --predict cannot use: the message is one line naming it (and the line)."""


def _shown(text, width=40):
    """Text from a file, fit for a one-line message: quoted, escaped, cut when long."""
    text = text.strip()
    return repr(text if len(text) <= width else text[: width - 3] + "...")


def _file_name(path):
    return path if path.isprintable() else repr(path)


def _read_bytes(path):
    """The bytes of the regular file at ``path``, at most MAX_FILE_BYTES of them, counted
    while reading: a FIFO or a device may never end, and a file may grow while it is read."""
    name = _file_name(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)  # O_NONBLOCK: a FIFO without a writer does not wait
    except OSError as error:
        raise InputError(f"{name}: cannot be read: {error.strerror or error}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{name}: is not a regular file")
        too_large = f"{name}: is larger than the {MAX_FILE_BYTES / 2**20:.0f} MB allowed"
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(too_large)
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise InputError(too_large)
    except OSError as error:
        raise InputError(f"{name}: cannot be read: {error.strerror or error}") from None
    finally:
        os.close(fd)


def _text(raw, name):
    """The file's text: UTF-8, with or without a byte-order mark."""
    if raw.startswith(b"\\xef\\xbb\\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\\n", 0, error.start) + 1
        byte = raw[error.start]
        raise InputError(
            f"{name}: line {line}: byte 0x{byte:02x} is not UTF-8 text (save the file as UTF-8)"
        ) from None


def _number(text):
    """The number ``text`` writes, read as the app reads numbers in a file, or None: Python's
    float() (spaces around it, 1e5, .5, -0), less the digit separator: 1_0 is not ten. nan
    and inf are numbers here; a coordinate refuses them as not finite."""
    if "_" in text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _coordinate_problem(name, text):
    """Why ``text`` is not a coordinate the app would read, or None."""
    value = _number(text)
    if value is None:
        return f"{name} {_shown(text)} is not a number"
    if not math.isfinite(value):
        return f"{name} is {_shown(text)}, not a finite number"
    if abs(value) > MAX_COORDINATE:
        return f"{name} is {_shown(text)}, beyond +-{MAX_COORDINATE:g}"
    return None


def _lines(text):
    """The lines of ``text``, each with its \\n, one at a time (as io.StringIO splits them,
    without its copy of four bytes a character)."""
    start = 0
    while start < len(text):
        end = text.find("\\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


def _read_points(path):
    """The x1, x2 of every row of the CSV file at ``path``, one after the other, as float64:
    a first line whose x1 and x2 are not numbers is a header, and further columns (a label,
    a target) are left out. InputError, naming the file and the line, for anything else."""
    name = _file_name(path)
    reader = csv.reader(_lines(_text(_read_bytes(path), name)))
    points, first = array.array("d"), True
    previous = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line carries nothing
            header = first and len(fields) >= 2
            header = header and _number(fields[0]) is None and _number(fields[1]) is None
            first = False
            if header:
                continue
            if len(fields) < 2:
                problem = f"expected at least 2 columns (x1,x2), got {len(fields)}"
            else:
                problem = _coordinate_problem("x1", fields[0])
                problem = problem or _coordinate_problem("x2", fields[1])
            if problem:
                raise InputError(f"{name}: line {reader.line_num}: {problem}")
            points.append(float(fields[0]))
            points.append(float(fields[1]))
    except csv.Error as error:
        raise InputError(f"{name}: line {reader.line_num}: {error}") from None
    finally:
        csv.field_size_limit(previous)
    if not points:
        raise InputError(f"{name}: has no points (rows of x1,x2)")
    return points


def _write_rows(path, header, rows):
    """The rows as CSV, to the file at ``path`` or (no path) to the screen; numbers are
    written with repr, which reads back as the same float64. The exit status: 0, or 1 with
    one line when the file cannot be written."""
    try:
        handle = open(path, "w", newline="", encoding="utf-8") if path else sys.stdout
        try:
            writer = csv.writer(handle, lineterminator="\\n")
            writer.writerow(header)
            writer.writerows(rows)
        finally:
            if path:
                handle.close()
    except OSError as error:
        if not path and isinstance(error, BrokenPipeError):
            # the screen's reader stopped (``| head``): say nothing, and flush nothing at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return 1
        where = _file_name(path) if path else "the screen"
        print(f"{where}: could not be written: {error.strerror or error}", file=sys.stderr)
        return 1
    return 0
'''


def usage_text(filename: str, regression: bool) -> str:
    """The docstring's part on running the script, the same for both libraries."""
    if regression:
        figure, out = "the mean squared error", "its predicted value"
    else:
        figure, out = "the accuracy", "its predicted class and the class probabilities"
    return (
        f"Run it to print {figure} on the test points stored in it:\n\n"
        f"    python {filename}\n"
        f"    python {filename} --predict points.csv [predictions.csv]\n\n"
        "--predict reads x1,x2 rows (a header line and further columns are allowed) and writes "
        f"each point with {out}, to the second file or to the screen. It reads a file as "
        f"Neural Playground does: a UTF-8 file of at most {MAX_POINTS_FILE_BYTES / 2**20:.0f} MB "
        f"whose x1 and x2 are finite numbers within +-{MAX_COORDINATE:g}; anything else is "
        "refused in one line naming the file and the line (exit status 2)."
    )
