"""Full-result snapshots of the real corpus, the shipped workbooks and the benchmark workbooks (issue 18).

Every input is read, recognised and checked; its snapshot holds everything a change to the reader or the rules
could move: each table with every row and every typed cell (address, raw value, value, text-number and bad
flags), the reading problems, and the check's full result (tables, findings with messages and severities,
locations, the 说明 report). `tests/test_snapshot.py` asserts them identical; a change that means to move a
finding regenerates them and shows the difference in review:

    .venv/bin/python -m tests.snapshot --write          # all inputs
    .venv/bin/python -m tests.snapshot --write NAME ...  # only those (names as in tests/snapshot/)
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
FOLDER = HERE / "snapshot"
for p in (HERE, ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

Maker = Callable[[Path], Path]


def inputs() -> Iterator[tuple[str, Maker]]:
    """(snapshot name, make(tmp) → the file to check), every input in a stable order."""
    from realdata.build import VARIANTS, build

    for doc in sorted((HERE / "realdata" / "json").glob("*.json")):
        for variant in VARIANTS:
            yield f"corpus-{doc.stem}-{variant}", (lambda tmp, s=doc.stem, v=variant: build(s, v, tmp).path)
    for pdf in sorted((HERE / "realdata" / "documents").glob("*.pdf")):
        yield f"pdf-{pdf.stem}", (lambda tmp, p=pdf: p)
    for book in sorted((ROOT / "workbooks").rglob("*.xlsx")):
        name = book.relative_to(ROOT / "workbooks").with_suffix("").as_posix().replace("/", "-")
        yield f"workbook-{name}", (lambda tmp, p=book: p)
    for kind in ("typical", "large"):
        for seed in (0, 1, 2):
            yield f"bench-{kind}-{seed}", (lambda tmp, k=kind, s=seed: _bench(tmp, k, s))


def _bench(tmp: Path, kind: str, seed: int) -> Path:
    import run

    path = tmp / f"{kind}-{seed}.xlsx"
    getattr(run, kind)(path, seed)
    return path


def _plain(v: Any) -> Any:
    if isinstance(v, Decimal):
        return f"D:{v}"
    if isinstance(v, float):
        return f"F:{v!r}"
    return v


def _cell(c: Any) -> list[Any] | None:
    if c is None:
        return None
    return [c.sheet, c.ref, _plain(c.raw), _plain(c.value), c.as_text, c.bad]


def _row(r: Any) -> dict[str, Any]:
    return {
        "number": r.number, "kind": r.kind, "code": r.code, "code_cell": _cell(r.code_cell), "label": r.label,
        "label_cell": _cell(r.label_cell), "unit": r.unit, "unit_name": r.unit_name, "project": r.project,
        "project_code": r.project_code, "side": r.side, "item": r.item,
        "cells": {k: _cell(c) for k, c in r.cells.items()},
    }


def book_dump(book: Any) -> dict[str, Any]:
    """Every table, row and typed cell of a Book, and its reading problems."""
    tables = []
    for t in book.tables:
        tables.append({
            "id": t.id, "title": t.title, "sheet": t.sheet, "title_ref": t.title_ref, "number": t.number,
            "department": t.department, "money_unit": t.money_unit, "unit_printed": t.unit_printed,
            "header_rows": list(t.header_rows), "columns": t.columns, "unmapped": list(t.unmapped),
            "missing": list(t.missing), "fields": {k: _cell(c) for k, c in t.fields.items()},
            "empty_note": t.empty_note, "last_row": t.last_row, "rounding": _plain(t.rounding),
            "rows": [_row(r) for r in t.rows],
        })
    problems = [[p.rule, p.message, p.sheet, p.ref, p.table] for p in book.problems]
    return {"sheets": list(book.sheets), "tables": tables, "problems": problems}


def snapshot(path: Path) -> dict[str, Any]:
    """The book as recognised and the check's whole result, with nothing that varies run to run."""
    from gongkai.pipeline import DOCUMENT_SUFFIXES, check_file, load_book, load_document
    from gongkai.read import ReadError

    try:
        book = load_document(path)[0] if path.suffix.lower() in DOCUMENT_SUFFIXES else load_book(path)
        recognised: dict[str, Any] | str = book_dump(book)
    except ReadError as exc:
        recognised = f"unreadable: {exc}"
    result = check_file(path).model_dump(mode="json", exclude={"seconds", "path"}, exclude_defaults=True)  # a new empty field moves nothing
    return {"book": recognised, "check": result}


def path_of(name: str) -> Path:
    return FOLDER / f"{name}.json.gz"


def load(name: str) -> dict[str, Any]:
    return json.loads(gzip.decompress(path_of(name).read_bytes()).decode("utf-8"))  # type: ignore[no-any-return]


def normalised(data: dict[str, Any]) -> dict[str, Any]:
    """As stored: through JSON (tuples become lists)."""
    return json.loads(json.dumps(data, ensure_ascii=False))  # type: ignore[no-any-return]


def write(name: str, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    path_of(name).write_bytes(gzip.compress(text, compresslevel=9, mtime=0))


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """The path of the first place two JSON values differ, with both sides, or None."""
    if type(a) is not type(b):
        return f"{where}: {a!r} != {b!r}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}/{k}: only in {'new' if k in a else 'golden'}"
            d = first_difference(a[k], b[k], f"{where}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            d = first_difference(x, y, f"{where}[{i}]")
            if d:
                return d
        return None if len(a) == len(b) else f"{where}: {len(a)} items != {len(b)}"
    return None if a == b else f"{where}: {a!r} != {b!r}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="write the snapshots (else compare)")
    ap.add_argument("names", nargs="*")
    args = ap.parse_args()
    FOLDER.mkdir(exist_ok=True)
    changed = 0
    with tempfile.TemporaryDirectory(prefix="gongkai-snapshot-") as tmp:
        for name, make in inputs():
            if args.names and name not in args.names:
                continue
            data = normalised(snapshot(make(Path(tmp))))
            if args.write:
                write(name, data)
                continue
            diff = first_difference(data, load(name)) if path_of(name).exists() else "no snapshot"
            if diff:
                changed += 1
                print(f"{name}: {diff}")
    if not args.write:
        print(f"{changed} changed")


if __name__ == "__main__":
    main()
