"""What ``pip install .`` puts in place, read from pyproject.toml without building: every
package of the app, the files it reads at run time, the command, and every library it
imports. (.ci/check_install builds the wheel and runs it from outside the checkout.)"""

from __future__ import annotations

import ast
import fnmatch
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import resources
from gui.windows.guide import GUIDE_PATH
from model.io.presets import PRESET_FOLDER

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
FIRST_PARTY = {"main", "model", "gui", "cli", "resources"}


def app_sources() -> list[Path]:
    """main.py and every module of the app's packages (not tests/, not bench/)."""
    sources = [ROOT / "main.py"]
    for package in ("model", "gui", "cli", "resources"):
        sources += sorted((ROOT / package).rglob("*.py"))
    return sources


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_distributions() -> set[str]:
    """Every distribution named in dependencies or an extra, and the extras they ask for
    (``dask[distributed]`` installs ``distributed``)."""
    requirements = list(PYPROJECT["project"]["dependencies"])
    for extra in PYPROJECT["project"]["optional-dependencies"].values():
        requirements += extra
    names = set()
    for requirement in requirements:
        match = re.match(r"\s*([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?", requirement)
        names.add(canonical(match.group(1)))
        names.update(canonical(extra) for extra in (match.group(2) or "").split(",") if extra)
    return names


def imported_top_level_names(path: Path) -> set[str]:
    """The top-level modules a file imports, wherever the import statement is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_every_package_of_the_app_is_installed():
    found = SETUPTOOLS["packages"]["find"]
    assert found.get("namespaces") is False
    for source in app_sources():
        folder = source.parent
        if folder == ROOT:
            continue
        dotted = ".".join(folder.relative_to(ROOT).parts)
        # Without __init__.py (namespaces = false) a folder would be left out of the wheel.
        assert (folder / "__init__.py").is_file(), f"{dotted} has no __init__.py"
        assert any(fnmatch.fnmatchcase(dotted, pattern) for pattern in found["include"]), dotted


def test_the_command_is_an_installed_module():
    module, _, function = PYPROJECT["project"]["scripts"]["neural-playground"].partition(":")
    assert module in SETUPTOOLS["py-modules"]
    assert (ROOT / f"{module}.py").is_file()
    assert callable(getattr(__import__(module), function))


def test_the_files_read_at_run_time_are_package_data():
    """The presets and the guide, found through the resources package wherever it is."""
    assert PRESET_FOLDER == resources.PRESETS and GUIDE_PATH == resources.GUIDE
    shipped = SETUPTOOLS["package-data"]["resources"]
    needed = [GUIDE_PATH, *sorted(PRESET_FOLDER.glob("*.json"))]
    assert len(needed) > 1
    for path in needed:
        relative = path.relative_to(resources.FOLDER).as_posix()
        assert any(fnmatch.fnmatchcase(relative, pattern) for pattern in shipped), relative


def test_every_imported_library_is_declared():
    providers = packages_distributions()
    declared = declared_distributions()
    missing = {}
    for source in app_sources():
        for name in imported_top_level_names(source) - FIRST_PARTY:
            if name in sys.stdlib_module_names or name == "__future__":
                continue
            distributions = {canonical(d) for d in providers.get(name, [])}
            if not distributions & declared:
                missing.setdefault(name, source.relative_to(ROOT).as_posix())
    assert not missing, f"imported but not in pyproject.toml (first importer): {missing}"
