"""File → result: read, recognise, check. Never raises for a bad file and never prints.

The shells (cli, xl, batch) call these; a broken file becomes a FileResult with status "unreadable".
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .core.findings import Finding, Severity
from .core.model import Book, Table
from .core.profile import Profile
from .read import SUFFIXES, Limits, ReadError, read_workbook
from .read.safety import TimeLimitExceeded, time_limit
from .recognize import recognize

Status = Literal["ok", "unreadable"]


class TableInfo(BaseModel):
    """What `gongkai tables` reports of one recognised table."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    sheet: str
    header_rows: tuple[int, int]
    first_row: int | None
    last_row: int | None
    data_rows: int
    columns: dict[str, str]
    unmapped: tuple[str, ...]
    missing: tuple[str, ...] = ()

    @classmethod
    def of(cls, t: Table) -> TableInfo:
        return cls(
            id=t.id, title=t.title, sheet=t.sheet, header_rows=t.header_rows, first_row=t.first_row,
            last_row=t.data_last_row, data_rows=len({r.number for r in t.rows}), columns=t.columns, unmapped=t.unmapped, missing=t.missing,
        )


class FileResult(BaseModel):
    """The outcome for one file: what was recognised and found, or why it could not be read."""

    path: str
    status: Status = "ok"
    error: str | None = None
    tables: list[TableInfo] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    seconds: float = 0.0

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)


NO_TABLE = "没有识别出任何公开表（请确认表名，如「部门收支总表」，写在表头上方）"


def limits_of(profile: Profile) -> Limits:
    return Limits(max_inflated_bytes=profile.max_inflated_mb * 1024 * 1024, max_cells=profile.max_cells)


def load_book(path: str | Path, profile: Profile | None = None) -> Book:
    """Read and recognise one workbook; ReadError (Chinese message) when it is not one, or holds no 公开表."""
    profile = profile or Profile()
    try:
        with time_limit(profile.max_seconds_per_file):
            book = recognize(read_workbook(path, limits_of(profile)), profile.header_synonyms)
    except TimeLimitExceeded:
        raise ReadError(f"读取超时：超过 {profile.max_seconds_per_file:g} 秒仍未完成，已跳过（文件可能过大或结构异常）") from None
    if not book.tables and not book.problems:
        raise ReadError(NO_TABLE)
    return book


def inspect_file(path: str | Path, profile: Profile | None = None) -> FileResult:
    """What `gongkai tables` shows: the tables recognised in one file, and the reading (R) findings."""
    start = time.perf_counter()
    try:
        book = load_book(path, profile)
    except ReadError as exc:
        return FileResult(path=str(path), status="unreadable", error=str(exc), seconds=time.perf_counter() - start)
    return FileResult(
        path=str(path), tables=[TableInfo.of(t) for t in book.tables], findings=check_book(book, profile, select=["R"]),
        seconds=time.perf_counter() - start,
    )


def check_book(book: Book, profile: Profile | None = None, select: Iterable[str] | None = None, ignore: Iterable[str] = ()) -> list[Finding]:
    from . import checks

    return checks.run(book, profile, select, ignore)


def check_file(
    path: str | Path, profile: Profile | None = None, select: Iterable[str] | None = None, ignore: Iterable[str] = ()
) -> FileResult:
    """Read, recognise and check one file. Unreadable files are reported, never raised."""
    start = time.perf_counter()
    try:
        book = load_book(path, profile)
    except ReadError as exc:
        return FileResult(path=str(path), status="unreadable", error=str(exc), seconds=time.perf_counter() - start)
    findings = check_book(book, profile, select, ignore)
    return FileResult(
        path=str(path), tables=[TableInfo.of(t) for t in book.tables], findings=findings,
        seconds=time.perf_counter() - start,
    )


def expand(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and workbooks found under folders named (recursively, sorted); Excel lock files skipped."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUFFIXES and not f.name.startswith(("~$", ".~")):
                    yield f
        else:
            yield p
