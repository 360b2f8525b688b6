"""Architecture, by folder: the pure core, the pure recognition and rules above it, one I/O library per edge.

* ``core/`` imports nothing else of gongkai and no I/O library;
* ``recognize/`` and ``checks/`` import only ``core/`` (and themselves);
* each I/O library is imported only by its edge modules; the shells (``pipeline.py``, ``batch.py``, ``xl.py``,
  ``cli/``, ``docs.py``) import anything;
* no import circle among gongkai's modules, counting imports at module level AND inside functions (imports under
  ``if TYPE_CHECKING:`` are not run and are not counted). An import edge goes to the module named; the implicit
  import of a package's ``__init__`` on the way to a submodule is not an edge.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).parents[1] / "src" / "gongkai"
OWNERS = {
    "python_calamine": {"read/xlsx.py"},
    "openpyxl": {"write/workbook.py", "write/annotate.py", "report/xlsx_report.py"},
    "pandas": {"write/export.py"},
    "pyarrow": {"write/export.py"},
    "xlwings": {"xl.py"},
    "rich": {"batch.py", "cli/check.py"},
    "pdfplumber": {"read/pdf.py"},
    "docx": {"read/docx.py"},
    "olefile": {"read/safety.py"},
}
FOLDERS = ("core", "read", "recognize", "checks", "fill", "write", "report", "cli")
SHELLS = {"pipeline.py", "batch.py", "pool.py", "xl.py", "docs.py", "__main__.py", "__init__.py"}
PURE_ABOVE_CORE = ("recognize", "checks")


def module_name(path: Path) -> str:
    parts = ["gongkai", *path.relative_to(SRC).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and (
        (isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING")
        or (isinstance(node.test, ast.Attribute) and node.test.attr == "TYPE_CHECKING")
    )


def _run_imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement that runs (module level or in a function), skipping ``if TYPE_CHECKING:`` blocks."""
    found: list[ast.Import | ast.ImportFrom] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.If) and _type_checking(node):
            todo.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        todo.extend(ast.iter_child_nodes(node))
    return found


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(third-party top-level names, gongkai modules) that the module at ``path`` imports when it runs."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    libraries: set[str] = set()
    internal: set[str] = set()
    for node in _run_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                (internal if a.name.split(".")[0] == "gongkai" else libraries).add(a.name)
            continue
        if node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + ([node.module] if node.module else []))
        elif node.module and node.module.split(".")[0] == "gongkai":
            target = node.module
        else:
            libraries.add((node.module or "").split(".")[0])
            continue
        for a in node.names:  # `from pkg import submodule` imports the submodule
            internal.add(f"{target}.{a.name}" if f"{target}.{a.name}" in MODULES else target)
    return {n.split(".")[0] for n in libraries}, internal


def rel(path: Path) -> str:
    return path.relative_to(SRC).as_posix()


def folder(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FOLDERS else ""


@pytest.mark.parametrize("path", sorted(SRC.rglob("*.py")), ids=rel)
def test_io_libraries_stay_in_their_edge_modules(path: Path) -> None:
    libraries, _ = imports(path)
    for lib, owners in OWNERS.items():
        if lib in libraries:
            assert rel(path) in owners, f"{rel(path)} imports {lib}; only {sorted(owners)} may"


def test_every_module_has_a_room() -> None:
    """A module lives in one of the folders, or is one of the few shells at the top."""
    loose = sorted(rel(p) for p in SRC.glob("*.py") if p.name not in SHELLS)
    assert loose == []


@pytest.mark.parametrize("path", sorted((SRC / "core").rglob("*.py")), ids=rel)
def test_core_imports_no_other_part_of_gongkai_and_no_io(path: Path) -> None:
    libraries, internal = imports(path)
    assert not libraries & set(OWNERS), rel(path)
    assert {m for m in internal if folder(m) != "core"} == set(), rel(path)


@pytest.mark.parametrize(
    "path", sorted(p for f in PURE_ABOVE_CORE for p in (SRC / f).rglob("*.py")), ids=rel
)
def test_recognize_and_checks_import_only_core(path: Path) -> None:
    libraries, internal = imports(path)
    own = rel(path).split("/")[0]
    assert not libraries & set(OWNERS), rel(path)
    assert {m for m in internal if folder(m) not in ("core", own)} == set(), rel(path)


def test_no_import_circle() -> None:
    """The import graph of gongkai's modules (module-level and function-level imports) is acyclic."""
    graph = {name: imports(path)[1] - {name} for name, path in MODULES.items()}
    done: set[str] = set()

    def visit(node: str, trail: list[str]) -> None:
        if node in trail:
            pytest.fail("import circle: " + " → ".join([*trail[trail.index(node):], node]))
        if node in done:
            return
        for nxt in sorted(graph.get(node, ())):
            visit(nxt, [*trail, node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])
    assert "gongkai.core.model" in graph and "gongkai.read" in graph  # the graph is the real one
