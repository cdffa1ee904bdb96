"""Where a student's code is: the course's file names and the class names it accepts.

The folder side (which files to import) runs in the app's process and reads nothing but names;
finding the classes in the imported files runs in the student's process (child.py).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

# The course's files, in the order they are imported: mlp_numpy.py imports modules.py.
STUDENT_FILES = ("modules.py", "perceptron.py", "mlp_numpy.py")
# Each module the checks know, the names a course or a student gives its class, and the file
# the course puts it in.
CLASS_NAMES: dict[str, tuple[str, ...]] = {
    "Linear": ("Linear", "LinearModule", "LinearLayer"),
    "ReLU": ("ReLU", "ReLUModule", "Relu", "ReluModule"),
    "SoftMax": ("SoftMax", "SoftMaxModule", "Softmax", "SoftmaxModule"),
    "CrossEntropy": ("CrossEntropy", "CrossEntropyModule", "CrossEntropyLoss"),
    "MLP": ("MLP", "MLPModule"),
    "Perceptron": ("Perceptron",),
}
MODULES = tuple(CLASS_NAMES)
HOME_FILES = {
    "Linear": "modules.py",
    "ReLU": "modules.py",
    "SoftMax": "modules.py",
    "CrossEntropy": "modules.py",
    "MLP": "mlp_numpy.py",
    "Perceptron": "perceptron.py",
}


class NoStudentCode(ValueError):
    """Nothing to check at the path given: a usage error (exit status 2), said on one line."""


@dataclass(frozen=True)
class StudentFolder:
    """The folder whose code is checked and the files of it that are imported."""

    folder: Path
    files: tuple[str, ...]
    one_file: bool = False  # the path given was one file, which may hold every class


def student_folder(path: str | Path) -> StudentFolder:
    """The course's files in the folder ``path`` (or the one Python file ``path``).

    NoStudentCode if there is no such path or it holds none of the course's files.
    """
    given = Path(path).expanduser()
    if not given.exists():
        raise NoStudentCode(f"{path}: no such file or folder")
    given = given.resolve()
    if given.is_file():
        if given.suffix != ".py":
            raise NoStudentCode(f"{path}: not a Python file (.py)")
        return StudentFolder(given.parent, (given.name,), one_file=True)
    if not given.is_dir():
        raise NoStudentCode(f"{path}: not a file or folder")
    files = tuple(name for name in STUDENT_FILES if (given / name).is_file())
    if not files:
        raise NoStudentCode(
            f"{path}: none of the course's files ({', '.join(STUDENT_FILES)}) is in this folder"
        )
    return StudentFolder(given, files)


def find_classes(imported: dict[str, ModuleType]) -> dict[str, tuple[str, str]]:
    """Each module found -> (file, class name), from the imported files (file name -> module).

    A class counts where it is defined, in its home file first: mlp_numpy.py imports
    LinearModule, which is modules.py's.
    """
    found: dict[str, tuple[str, str]] = {}
    for module, names in CLASS_NAMES.items():
        files = sorted(imported, key=lambda file, module=module: file != HOME_FILES[module])
        for file in files:
            namespace = imported[file]
            name = next((n for n in names if _defined_in(namespace, n)), None)
            if name is not None:
                found[module] = (file, name)
                break
    return found


def _defined_in(namespace: ModuleType, name: str) -> bool:
    value = getattr(namespace, name, None)
    return inspect.isclass(value) and value.__module__ == namespace.__name__
