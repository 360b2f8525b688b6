"""Workbook files → grids of cached values and merged ranges. The only module that imports python-calamine.

A grid is indexed from A1 (row 0 = Excel row 1), so a grid position is an Excel address.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..core.grid import Scalar, Sheet, to_scalar
from .safety import (
    XLS_SHEET_CELLS,
    FalseCount,
    HostileXml,
    SheetScan,
    ZipMembers,
    scan_ods,
    scan_xls,
    scan_xlsb,
    scan_xlsx,
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
ZIP_ERRORS = (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, struct.error, NotImplementedError, RuntimeError)
"""What Python's zipfile raises on a damaged archive (bad CRC, bad deflate data, unknown method, encrypted part)."""


class ReadError(Exception):
    """A file that cannot be read as a workbook; the message is for the clerk, in Chinese."""


def read_head(path: Path, n: int) -> tuple[int, bytes]:
    """A file's size and its first ``n`` bytes; ReadError in Chinese when it cannot be opened (every reader's first
    step: workbooks, PDF and Word documents)."""
    try:
        size = path.stat().st_size
        with path.open("rb") as f:
            return size, f.read(n)
    except FileNotFoundError:
        raise ReadError("找不到文件") from None
    except IsADirectoryError:
        raise ReadError("这是文件夹，不是文件") from None
    except OSError as exc:
        raise ReadError(f"无法打开文件：{exc.strerror or exc}") from None


@dataclass(frozen=True)
class Limits:
    """Safety limits for files from strangers (zip bombs, giant sheets)."""

    max_inflated_bytes: int = 200 * 1024 * 1024
    max_cells: int = 2_000_000


_PLAIN = frozenset({float, str, int})
"""What nearly every row holds: numbers and text (calamine's "" for an empty cell)."""


def _row(values: Sequence[object]) -> list[Scalar]:
    """A row of calamine values as Scalars; floats and non-empty text (nearly every cell) pass untouched."""
    if _PLAIN.issuperset(map(type, values)):  # a row of numbers and text: only "" becomes None
        return [None if v == "" else v for v in values]  # type: ignore[misc]
    return [
        v if (t := type(v)) is float or (t is str and v) or t is int else None if v == "" else to_scalar(v)  # type: ignore[misc]
        for v in values
    ]


def _check_container(path: Path, head: bytes, limits: Limits) -> dict[str, SheetScan]:
    if not head:
        raise ReadError("文件是空的（0 字节），不是 Excel 工作簿")
    if head.startswith(ZIP_MAGIC):
        try:
            z = zipfile.ZipFile(path)
        except (*ZIP_ERRORS,) as exc:
            raise ReadError(f"文件已损坏（压缩包不完整）：{exc}") from None
        with z:
            return _check_zip(z, limits)
    if head.startswith(OLE_MAGIC):  # .xls, or an encrypted .xlsx (calamine tells which)
        size = path.stat().st_size
        if size > limits.max_inflated_bytes:
            raise ReadError(f"文件有 {size // (1024 * 1024)} MB，超过上限 {limits.max_inflated_bytes // (1024 * 1024)} MB，未读取")
        try:
            cells, reserved = scan_xls(path.read_bytes())
        except (ValueError, *ZIP_ERRORS) as exc:  # what calamine would read there, the scan could not vouch for
            raise ReadError(f"文件已损坏（Excel 97-2003 文件的结构有误）：{str(exc)[:200]}") from None
        if reserved > XLS_SHEET_CELLS:
            raise ReadError(
                f"工作表声明的范围有 {reserved:,} 个单元格，超出 Excel 97-2003 工作表的大小（65536 行、256 列）："
                "文件已损坏或是恶意构造的，未读取"
            )
        if cells > limits.max_cells:
            raise ReadError(_too_many_cells(limits, cells))
        return {}
    if head.lstrip()[:1] == b"<":
        return {}  # SpreadsheetML / HTML saved as .xls: calamine decides
    raise ReadError("文件不是 Excel 工作簿（可能是改了扩展名的文本、PDF 或图片）")


def _check_zip(z: zipfile.ZipFile, limits: Limits) -> dict[str, SheetScan]:
    """The declared sizes against the byte budget, then the scan of every part (`safety.scan_xlsx`, `scan_ods`,
    `scan_xlsb`, on the zip's members found once)."""
    infos = z.infolist()
    if not any(i.filename.startswith(("xl/", "content.xml")) for i in infos):
        raise ReadError("文件是压缩包，但不是 Excel 或 ODS 工作簿")
    inflated = sum(i.file_size for i in infos)
    if inflated > limits.max_inflated_bytes:
        raise ReadError(
            f"文件解压后有 {inflated // (1024 * 1024)} MB，超过上限 {limits.max_inflated_bytes // (1024 * 1024)} MB，"
            "疑似压缩炸弹，未读取"
        )
    try:
        members = ZipMembers.of(z)
        scans = scan_xlsx(z, members)
        cells = sum(s.cells for s in scans.values()) + scan_ods(z, members) + scan_xlsb(z, members)  # whatever the name says
    except HostileXml as exc:
        raise ReadError(f"文件中的 {exc} 含有 XML 实体声明（DOCTYPE/ENTITY），可能是恶意构造的文件，未读取") from None
    except FalseCount as exc:
        raise ReadError(
            f"文件中的 {exc.part} 声明有 {exc.declared:,} 个字符串，实际只有 {exc.actual:,} 个：文件已损坏或是恶意构造的，未读取"
        ) from None
    except (*ZIP_ERRORS,) as exc:  # bad CRC, sizes that lie, bad deflate data
        raise ReadError(f"文件已损坏（压缩包内容有误）：{str(exc)[:200]}") from None
    if cells > limits.max_cells:
        raise ReadError(_too_many_cells(limits, cells))
    return scans


def _too_many_cells(limits: Limits, cells: int | None = None) -> str:
    count = f"有 {cells:,} 个，" if cells else ""
    return f"工作簿的单元格（从 A1 算起）{count}超过上限 {limits.max_cells:,} 个，未读取"


def _panic(exc: BaseException) -> ReadError:
    """A panic inside calamine as a ReadError (pyo3's PanicException derives from BaseException); anything else is
    raised again as it is (KeyboardInterrupt, the time limit)."""
    if type(exc).__name__ != "PanicException":
        raise exc
    return ReadError(f"文件已损坏，读取时出错：{str(exc)[:200]}")


def read_workbook(path: str | Path, limits: Limits | None = None) -> list[Sheet]:
    """Read every worksheet's cached values and merged ranges; raise ReadError with a Chinese message."""
    import python_calamine as pc  # here, not at the top: xlwings Lite (Pyodide) has no calamine, yet needs Sheet

    path = Path(path)
    limits = limits or Limits()
    _, head = read_head(path, 8)
    scans = _check_container(path, head, limits)
    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError:
        raise ReadError("工作簿有密码保护（已加密），请先取消密码再检查") from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as exc:
        text = str(exc)
        if "ncrypt" in text or "assword" in text:
            raise ReadError("工作簿有密码保护（已加密），请先取消密码再检查") from None
        raise ReadError(f"文件已损坏或不是受支持的工作簿格式：{text[:200]}") from None
    except BaseException as exc:  # calamine panicked while opening it (an .xls's sheet beyond its stream)
        raise _panic(exc) from None
    sheets: list[Sheet] = []
    cells = merged_cells = 0
    try:
        for meta in book.sheets_metadata:
            if str(meta.typ) not in ("SheetTypeEnum.WorkSheet", "WorkSheet"):
                continue
            sheet = book.get_sheet_by_name(meta.name)
            cells += (sheet.end[0] + 1) * (sheet.end[1] + 1) if sheet.end else 0  # the grid is padded from A1
            if cells > limits.max_cells:
                raise ReadError(_too_many_cells(limits, cells))
            rows = [_row(row) for row in sheet.to_python(skip_empty_area=False)]
            merged = [(a[0], a[1], b[0], b[1]) for a, b in (sheet.merged_cell_ranges or [])]
            merged_cells += sum((r1 - r0 + 1) * (c1 - c0 + 1) for r0, c0, r1, c1 in merged)
            if merged_cells > limits.max_cells:  # openpyxl (annotate) makes one object per merged cell
                raise ReadError(f"合并单元格的范围过大（共 {merged_cells:,} 个单元格），超过上限 {limits.max_cells:,} 个，未读取")
            hidden = str(meta.visible) not in ("SheetVisibleEnum.Visible", "Visible")
            scan = scans.get(meta.name)
            for r, c, error in scan.errors if scan else ():  # calamine reads "#REF!" as empty: show it
                if r < len(rows) and c < len(rows[r]) and rows[r][c] is None:
                    rows[r][c] = error
            for (r, c), text in scan.texts.items() if scan else ():  # "=30万元" saved as a formula: its text
                if r < len(rows) and c < len(rows[r]) and rows[r][c] is None:
                    rows[r][c] = text
            sheets.append(Sheet(meta.name, rows, merged, hidden, scan.uncached if scan else []))
    except pc.PasswordError:
        raise ReadError("工作簿有密码保护（已加密），请先取消密码再检查") from None
    except (pc.CalamineError, pc.ZipError, pc.XmlError, ValueError, OSError) as exc:  # OSError: the zip's checksums
        if "larger than its declared" in str(exc):
            raise ReadError("文件解压后的大小与声明不符，疑似压缩炸弹，未读取") from None
        if "checksum" in str(exc):
            raise ReadError("文件已损坏（压缩包中的数据与校验值不符）") from None
        raise ReadError(f"文件已损坏，无法读取工作表：{str(exc)[:200]}") from None
    except MemoryError:
        raise ReadError(_too_many_cells(limits)) from None
    except BaseException as exc:
        raise _panic(exc) from None
    finally:
        book.close()
    if not sheets:
        raise ReadError("工作簿里没有工作表")
    return sheets
