"""The scheduling core stays pure: standard library only, so it runs and tests without Django."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import appointments.scheduling

PACKAGE_DIR = Path(appointments.scheduling.__file__).parent
MODULES = sorted(PACKAGE_DIR.rglob("*.py"))


def imported_top_level_names(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_package_has_modules_to_check() -> None:
    assert len(MODULES) >= 5


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_a_module_imports_only_the_standard_library(path: Path) -> None:
    # Relative imports (level > 0) stay inside the package and are skipped above.
    outside = imported_top_level_names(path) - sys.stdlib_module_names
    assert outside == set(), f"{path.name} imports {sorted(outside)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_a_module_never_imports_django(path: Path) -> None:
    assert "django" not in imported_top_level_names(path)


def test_the_checker_notices_a_third_party_import(tmp_path: Path) -> None:
    module = tmp_path / "impure.py"
    module.write_text("import os\nfrom django.db import models\nimport hypothesis.strategies\n")
    assert imported_top_level_names(module) - sys.stdlib_module_names == {"django", "hypothesis"}
