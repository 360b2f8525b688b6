"""Architecture: each I/O library is imported only by its edge modules; the core imports none of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "gongkai"
OWNERS = {
    "python_calamine": {"read.py"},
    "openpyxl": {"write.py", "mark.py", "write_report.py"},
    "pandas": {"export.py"},
    "pyarrow": {"export.py"},
    "xlwings": {"xl.py"},
    "rich": {"batch.py", "cli/check.py"},
}
CORE = {"specs.py", "model.py", "text.py", "recognize.py", "findings.py", "amounts.py", "layout.py", "profile.py"}


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    names |= {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module and n.level == 0}
    return {name.split(".")[0] for name in names}


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=lambda p: str(p.relative_to(SRC)))
def test_io_libraries_stay_in_their_edge_modules(path: Path) -> None:
    rel = str(path.relative_to(SRC))
    for lib, owners in OWNERS.items():
        if lib in imported(path):
            assert rel in owners, f"{rel} imports {lib}; only {sorted(owners)} may"


def test_core_modules_exist_and_import_no_io() -> None:
    for name in CORE:
        assert not imported(SRC / name) & set(OWNERS), name
