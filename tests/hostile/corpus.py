"""A corpus of hostile and broken workbooks, generated on demand (nothing binary is committed).

Each entry builds one file in a folder and says what gongkai must answer: an unreadable file with a Chinese
message (``fragment``), or a readable file whose damage is reported as findings (``rule`` at ``cell``).
Used by tests/hostile/test_corpus.py, tests/test_fuzz.py and bench/fuzz.py.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from gongkai.core.specs import spec
from gongkai.fill.layout import TableData, lay_out
from gongkai.write.workbook import write_plans

SHEET = "xl/worksheets/sheet1.xml"
ROWS: list[dict[str, str | int | float | Decimal | None]] = [
    {"科目名称": "合计", "合计": 10, "基本支出": 4, "项目支出": 6},
    {"类": "201", "科目名称": "一般公共服务支出", "合计": 10, "基本支出": 4, "项目支出": 6},
    {"类": "201", "款": "03", "科目名称": "政府办公厅（室）及相关机构事务", "合计": 10, "基本支出": 4, "项目支出": 6},
    {"类": "201", "款": "03", "项": "01", "科目名称": "行政运行", "合计": 4, "基本支出": 4, "项目支出": 0},
    {"类": "201", "款": "03", "项": "02", "科目名称": "一般行政管理事务", "合计": 6, "基本支出": 0, "项目支出": 6},
]
"""部门支出总表 (表1-2), consistent: header rows 4-5, data rows 6-10, columns A-C 类款项, D 名称, E 合计, F 基本, G 项目."""


def good_workbook(path: Path, rows: list[dict[str, str | int | float | Decimal | None]] | None = None) -> Path:
    """A consistent 部门支出总表, as the template lays it out."""
    return write_plans([lay_out(TableData(spec("budget.expenditure"), rows or ROWS))], path)


def rezip(
    source: Path, target: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str | zipfile.ZipInfo, bytes] | None = None,
) -> Path:
    """Copy an .xlsx part by part; ``change`` returns new bytes for a part (None drops it)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = change(info.filename, src.read(info))
            if data is not None:
                out.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            out.writestr(name, data)
    return target


def _set_cell(xml: bytes, ref: str, cell: bytes) -> bytes:
    """Replace the <c r="ref"> element of a sheet's XML (it must exist)."""
    new, n = re.subn(rb'<c r="' + ref.encode() + rb'"[^>]*?(?:/>|>.*?</c>)', cell, xml, count=1, flags=re.S)
    assert n == 1, ref
    return new


def _sheet_only(change: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes]:
    return lambda name, data: change(data) if name == SHEET else data


# -- files that are not workbooks at all -------------------------------------------------------------


def not_a_zip(d: Path) -> Path:
    p = d / "not_a_zip.xlsx"
    p.write_bytes(bytes(range(256)) * 8)
    return p


def empty(d: Path) -> Path:
    p = d / "empty.xlsx"
    p.write_bytes(b"")
    return p


def text_renamed(d: Path) -> Path:
    p = d / "text_renamed.xlsx"
    p.write_text("部门支出总表\n合计,基本支出,项目支出\n10,4,6\n", encoding="utf-8")
    return p


def pdf_renamed(d: Path) -> Path:
    p = d / "pdf_renamed.xlsx"
    p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return p


def docx_renamed(d: Path) -> Path:
    """A zip, but a Word document."""
    p = d / "docx_renamed.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return p


def truncated(d: Path) -> Path:
    good = good_workbook(d / "_good_for_truncated.xlsx").read_bytes()
    (d / "_good_for_truncated.xlsx").unlink()
    p = d / "truncated.xlsx"
    p.write_bytes(good[: len(good) // 2])
    return p


# -- zip and XML attacks ----------------------------------------------------------------------------------


def _bomb_sheet(d: Path, name: str, megabytes: int) -> Path:
    """The good workbook whose sheet XML carries ``megabytes`` of blanks: a tiny file that inflates hugely."""
    good = good_workbook(d / f"_good_{name}")
    p = d / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename != SHEET:
                out.writestr(info.filename, data)
                continue
            head, tail = data.split(b"</sheetData>")
            part = zipfile.ZipInfo(SHEET)
            part.compress_type = zipfile.ZIP_DEFLATED
            with out.open(part, "w") as w:
                w.write(head)
                block = b" " * (1 << 20)
                for _ in range(megabytes):
                    w.write(block)
                w.write(b"</sheetData>" + tail)
    good.unlink()
    return p


def zip_bomb(d: Path) -> Path:
    """~250 KB on disk, 250 MB inflated: above the 200 MB default limit."""
    return _bomb_sheet(d, "zip_bomb.xlsx", 250)


def lying_zip(d: Path) -> Path:
    """A sheet that inflates to 40 MB while its headers declare 2 KB (defeats a size check that trusts them)."""
    p = _bomb_sheet(d, "lying_zip.xlsx", 40)
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z:
        offset = z.getinfo(SHEET).header_offset
    struct.pack_into("<I", data, offset + 22, 2000)  # local header: uncompressed size
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # central directory entries
        n = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + n]) == SHEET.encode():
            struct.pack_into("<I", data, at + 24, 2000)
        at = data.find(b"PK\x01\x02", at + 4)
    p.write_bytes(bytes(data))
    return p


LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode() for i in range(1, 10)
    )
    + b"]>\n"
)
"""The billion laughs: nine levels of ten references, 10^9 "lol"s once expanded."""


def _with_doctype(xml: bytes, doctype: bytes, text_ref: bytes) -> bytes:
    body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", xml)
    return doctype + _set_cell(body, "D6", b'<c r="D6" t="inlineStr"><is><t>' + text_ref + b"</t></is></c>")


def billion_laughs(d: Path) -> Path:
    good = good_workbook(d / "_good_laughs.xlsx")
    p = rezip(good, d / "billion_laughs.xlsx", _sheet_only(lambda x: _with_doctype(x, LAUGHS, b"&lol9;")))
    good.unlink()
    return p


def billion_laughs_workbook(d: Path) -> Path:
    """The laughs in xl/workbook.xml, which every reader parses first (the entity named as the sheet's name)."""
    good = good_workbook(d / "_good_laughs_wb.xlsx")

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            body = re.sub(rb"^<\?xml[^>]*\?>\s*", b"", data)
            return LAUGHS + re.sub(rb'<sheet name="[^"]*"', b'<sheet name="&lol9;"', body, count=1)
        return data

    p = rezip(good, d / "billion_laughs_workbook.xlsx", change)
    good.unlink()
    return p


def external_entity(d: Path) -> Path:
    """XXE: an entity that would pull /etc/passwd into a cell."""
    good = good_workbook(d / "_good_xxe.xlsx")
    doctype = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    p = rezip(good, d / "external_entity.xlsx", _sheet_only(lambda x: _with_doctype(x, doctype, b"&xxe;")))
    good.unlink()
    return p


def encrypted(d: Path) -> Path:
    """A real password-protected workbook (ECMA-376 agile encryption, as Excel writes it)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    good = good_workbook(d / "_good_encrypted.xlsx")
    p = d / "encrypted.xlsx"
    with good.open("rb") as src, p.open("wb") as out:
        OOXMLFile(src).encrypt("密码123", out)
    good.unlink()
    return p


# -- too big -------------------------------------------------------------------------------------------------


_FAR = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'


def far_cell(d: Path) -> Path:
    """One value at XFD1048576 besides the table: calamine would allocate 17 billion cells."""
    good = good_workbook(d / "_good_far.xlsx")
    p = rezip(good, d / "far_cell.xlsx", _sheet_only(lambda x: x.replace(b"</sheetData>", _FAR)))
    good.unlink()
    return p


def _far_sheet(
    d: Path, name: str, part: str | zipfile.ZipInfo, target: bytes | None = None, encode: Callable[[bytes], bytes] = bytes,
) -> Path:
    """The far cell's worksheet stored as ``part`` (a name, or a ZipInfo with its extra fields) instead of
    xl/worksheets/sheet1.xml (the relationship then points at ``target``): a name calamine finds, though the scan's
    plain reading of the names would not."""
    good = good_workbook(d / f"_good_{name}.xlsx")

    def change(entry: str, data: bytes) -> bytes | None:
        if entry == SHEET:
            return None
        if entry == "xl/_rels/workbook.xml.rels" and target is not None:
            return re.sub(rb'Target="[^"]*sheet1\.xml"', b'Target="' + target + b'"', data)
        return data

    with zipfile.ZipFile(good) as z:
        sheet = encode(z.read(SHEET).replace(b"</sheetData>", _FAR))
    p = rezip(good, d / f"{name}.xlsx", change, extra={part: sheet})
    good.unlink()
    return p


def relocated_far_cell(d: Path) -> Path:
    """The far cell in a worksheet stored outside xl/worksheets/: calamine follows the relationship to it."""
    return _far_sheet(d, "relocated_far_cell", "xl/data/table.xml", b"data/table.xml")


def upper_case_far_cell(d: Path) -> Path:
    """The far cell's worksheet named in capitals: calamine's zip lookup ignores case."""
    return _far_sheet(d, "upper_case_far_cell", "XL/WORKSHEETS/SHEET1.XML")


def backslash_far_cell(d: Path) -> Path:
    """The far cell's worksheet named with backslashes: calamine reads them as slashes."""
    return _far_sheet(d, "backslash_far_cell", "xl\\worksheets\\sheet1.xml")


def dotted_far_cell(d: Path) -> Path:
    """The far cell's worksheet named xl/../table.xml, as the relationship "../table.xml" reads to calamine."""
    return _far_sheet(d, "dotted_far_cell", "xl/../table.xml", b"../table.xml")


def utf16_far_cell(d: Path) -> Path:
    """The far cell in a worksheet written in UTF-16: no byte pattern of UTF-8 XML is in it."""
    return _far_sheet(d, "utf16_far_cell", "xl/data/table.xml", b"data/table.xml", lambda x: x.decode().encode("utf-16"))


def twin_far_cell(d: Path) -> Path:
    """The table's worksheet and, after it, a twin named in other capitals with the far cell: calamine reads the
    later one."""
    good = good_workbook(d / "_good_twin.xlsx")
    with zipfile.ZipFile(good) as z:
        sheet = z.read(SHEET).replace(b"</sheetData>", _FAR)
    p = rezip(good, d / "twin_far_cell.xlsx", lambda _, data: data, extra={"XL/worksheets/sheet1.xml": sheet})
    good.unlink()
    return p


def moved_workbook_far_cell(d: Path) -> Path:
    """The whole workbook moved from xl/ to book/ (``_rels/.rels`` points calamine there), the far cell in its sheet."""
    good = good_workbook(d / "_good_moved.xlsx")
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(d / "moved_workbook_far_cell.xlsx", "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info).replace(b"/xl/", b"/book/")
            if info.filename == "_rels/.rels":
                data = data.replace(b'Target="xl/', b'Target="book/')
            if info.filename == SHEET:
                data = data.replace(b"</sheetData>", _FAR)
            out.writestr(re.sub(r"^xl/", "book/", info.filename), data)
        out.writestr("xl/readme.xml", b"<readme/>")  # a folder xl/ all the same
    good.unlink()
    return d / "moved_workbook_far_cell.xlsx"


def utf8_named_far_cell(d: Path) -> Path:
    """The far cell's worksheet under a name in UTF-8 without the zip's UTF-8 flag: Python reads the name as CP437,
    calamine's zip reader as UTF-8."""
    placeholder, name = b"ABCDEFGHI", "表一二".encode()  # the same length
    p = _far_sheet(d, "utf8_named_far_cell", "xl/data/ABCDEFGHI.xml", b"data/" + name + b".xml")
    p.write_bytes(p.read_bytes().replace(placeholder, name))
    return p


def unicode_path_far_cell(d: Path) -> Path:
    """The far cell's worksheet named xl/data/x.xml, with an Info-ZIP Unicode Path field renaming it xl/data/表.xml
    (calamine's zip reader takes that name, Python's does not)."""
    plain, named = b"xl/data/x.xml", "xl/data/表.xml".encode()
    field = struct.pack("<B", 1) + struct.pack("<I", zlib.crc32(plain)) + named
    info = zipfile.ZipInfo(plain.decode())
    info.extra = struct.pack("<HH", 0x7075, len(field)) + field
    info.compress_type = zipfile.ZIP_DEFLATED
    return _far_sheet(d, "unicode_path_far_cell", info, b"data/" + "表".encode() + b".xml")


def ods(path: Path, rows: str) -> Path:
    """An OpenDocument spreadsheet of one table: a title row, then ``rows`` (content.xml's table rows)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
        '<office:spreadsheet><table:table table:name="表1-2"><table:table-row><table:table-cell office:value-type="string">'
        f"<text:p>部门支出总表</text:p></table:table-cell></table:table-row>{rows}</table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return path


def ods_wide_rows(d: Path) -> Path:
    """20,000 rows with one number in column 16,001 each (16 KB): calamine stores 320 million cells while reading."""
    row = '<table:table-row><table:table-cell table:number-columns-repeated="16000"/><table:table-cell office:value-type="float" office:value="1"/></table:table-row>'
    return ods(d / "ods_wide_rows.ods", row * 20_000)


def ods_repeated_rows(d: Path) -> Path:
    """One row of 1,000 numbers repeated a million times: a billion cells (calamine refused it in English)."""
    row = '<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/></table:table-row>'
    return ods(d / "ods_repeated_rows.ods", row)


def _cfb(stream: bytes, name: str = "Workbook") -> bytes:
    """A compound file (OLE2, 512-byte sectors) holding one stream, padded to 4096 bytes so that it lies in the
    regular sectors, not the mini stream."""
    stream = stream.ljust(max(4096, -(-len(stream) // 512) * 512), b"\0")
    n = len(stream) // 512
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [2 + i + 1 for i in range(n - 1)] + [0xFFFFFFFE]  # FAT, directory, the stream
    fat_sector = struct.pack("<128I", *(fat + [0xFFFFFFFF] * (128 - len(fat))))

    def entry(label: str, kind: int, start: int, size: int, child: int = 0xFFFFFFFF) -> bytes:
        encoded = (label + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child)
                + b"\0" * 36 + struct.pack("<IIIH", start, size, 0, 0)[:10]).ljust(128, b"\0")

    root = entry("Root Entry", 5, 0xFFFFFFFE, 0, child=1)
    directory = (root + entry(name, 2, 2, len(stream))).ljust(512, b"\0")
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0) + struct.pack("<109I", 0, *[0xFFFFFFFF] * 108)
    )
    return header + fat_sector + directory + stream


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def xls(
    path: Path, cells: list[tuple[int, int, float]], dimensions: tuple[int, int, int, int] | None = None,
    sheet_at: int | None = None, formatted_rows: int = 0,
) -> Path:
    """An Excel 97-2003 workbook of one sheet 表1-2, written record by record (BIFF8): numbers at (row, column), and
    a DIMENSIONS record (first row, row after the last, first column, column after the last; from the cells
    unless given); ``sheet_at``: where the workbook says the sheet begins, if not where it does;
    ``formatted_rows``: that many ROW records first, as exports write one per formatted row."""
    rows, cols = [r for r, _, _ in cells], [c for _, c, _ in cells]
    first, after, left, right = dimensions or (min(rows), max(rows) + 1, min(cols), max(cols) + 1)
    sheet = (
        _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0, 0, 0, 0))
        + _record(0x0200, struct.pack("<IIHHH", first, after, left, right, 0))
        + b"".join(_record(0x0208, struct.pack("<HHHHHHI", r, 0, 0, 0x0118, 0, 0, 0x0100)) for r in range(formatted_rows))
        + b"".join(_record(0x0203, struct.pack("<HHHd", r, c, 0, v)) for r, c, v in cells)
        + _record(0x000A)
    )
    name = "表1-2".encode("utf-16-le")

    def book(at: int) -> bytes:  # BOF, the sheet's BoundSheet8 (its BOF at ``at``), EOF
        bound = struct.pack("<IBBBB", at, 0, 0, len(name) // 2, 1) + name
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)) + _record(0x0085, bound) + _record(0x000A)

    path.write_bytes(_cfb(book(len(book(0)) if sheet_at is None else sheet_at) + sheet))
    return path


def _xlsb_record(kind: int, data: bytes = b"") -> bytes:
    """An .xlsb record: its type and length in 7-bit groups, then its data."""
    head = bytes([kind]) if kind < 0x80 else bytes([(kind & 0x7F) | 0x80, kind >> 7])
    n, length = len(data), bytearray()
    while True:
        length.append((n & 0x7F) | (0x80 if n >> 7 else 0))
        n >>= 7
        if not n:
            return head + bytes(length) + data


def xlsb(path: Path, cells: list[tuple[int, int, float]]) -> Path:
    """An Excel binary workbook of one sheet 表1-2, written record by record: numbers (BrtCellReal) at (row, column)."""
    def wide(text: str) -> bytes:
        return struct.pack("<I", len(text)) + text.encode("utf-16-le")

    sheets = _xlsb_record(0x009C, struct.pack("<II", 0, 1) + wide("rId1") + wide("表1-2"))
    book = _xlsb_record(0x0083) + _xlsb_record(0x008F) + sheets + _xlsb_record(0x0090) + _xlsb_record(0x0084)
    rows: dict[int, list[tuple[int, float]]] = {}
    for r, c, v in cells:
        rows.setdefault(r, []).append((c, v))
    data = b"".join(
        _xlsb_record(0x0000, struct.pack("<I", r) + b"\0" * 8) + b"".join(_xlsb_record(0x0005, struct.pack("<IId", c, 0, v)) for c, v in found)
        for r, found in sorted(rows.items())
    )
    sheet = _xlsb_record(0x0081) + _xlsb_record(0x0094, b"\0" * 16) + _xlsb_record(0x0091) + data + _xlsb_record(0x0092) + _xlsb_record(0x0082)
    rel = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("_rels/.rels", f'{rel}<Relationship Id="rId1" Type="{kind}officeDocument" Target="xl/workbook.bin"/></Relationships>')
        z.writestr("xl/workbook.bin", book)
        z.writestr("xl/_rels/workbook.bin.rels", f'{rel}<Relationship Id="rId1" Type="{kind}worksheet" Target="worksheets/sheet1.bin"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.bin", sheet)
    return path


def xlsb_far_cell(d: Path) -> Path:
    """An .xlsb with a number at A1 and one at row 2²⁰ + 1, column 2³²: calamine would allocate 4.5 million billion cells."""
    return xlsb(d / "xlsb_far_cell.xlsb", [(0, 0, 1.0), (0x0010_0000, 0xFFFF_FFF0, 2.0)])


def xls_truncated(d: Path) -> Path:
    """An .xls cut after 3,000 bytes: its compound file's sectors end early."""
    p = xls(d / "xls_truncated.xls", [(0, 0, 1.0)])
    p.write_bytes(p.read_bytes()[:3000])
    return p


def xls_sheet_beyond_stream(d: Path) -> Path:
    """An .xls whose BoundSheet8 record places its sheet past the end of the workbook stream: calamine panicked
    (and the panic escaped as a Python traceback)."""
    return xls(d / "xls_sheet_beyond_stream.xls", [(0, 0, 1.0)], sheet_at=18_476)


def xls_far_cell(d: Path) -> Path:
    """An .xls with a number at A1 and one at row 65,536, column 65,536 (BIFF8 stores both as 16 bits), its
    DIMENSIONS record saying A1 only: calamine would allocate 4.3 billion cells."""
    return xls(d / "xls_far_cell.xls", [(0, 0, 1.0), (0xFFFF, 0xFFFF, 2.0)], (0, 1, 0, 1))


def xls_claimed_rows(d: Path) -> Path:
    """An .xls whose DIMENSIONS record claims 2³¹ rows by 255 columns for two numbers: calamine reserves room for
    that many cells when it opens the file."""
    return xls(d / "xls_claimed_rows.xls", [(0, 0, 1.0), (1, 0, 2.0)], (0, 0x7FFFFFFF, 0, 0xFF))


def xls_inverted_rows(d: Path) -> Path:
    """An .xls whose DIMENSIONS record ends before it begins (rows 10 to 5): calamine's subtraction wraps to
    4 billion rows."""
    return xls(d / "xls_inverted_rows.xls", [(0, 0, 1.0)], (10, 5, 0, 1))


def million_rows(d: Path) -> Path:
    """The table followed by 1,000,000 numbered rows (7 million cells from A1: above the 2 million limit)."""
    good = good_workbook(d / "_good_million.xlsx")
    rows = b"".join(b'<row r="%d"><c r="E%d"><v>%d</v></c></row>' % (i, i, i) for i in range(11, 1_000_011))
    p = rezip(good, d / "million_rows.xlsx", _sheet_only(lambda x: x.replace(b"</sheetData>", rows + b"</sheetData>")))
    good.unlink()
    return p


def _false_strings(d: Path, name: str, part: str = "xl/sharedStrings.xml", before: bytes = b"", attrs: bytes = b"") -> Path:
    """A shared-string table stored as ``part`` that declares 4 billion strings and holds one (``before``: what
    precedes its sst tag; ``attrs``: attributes before its counts)."""
    good = good_workbook(d / f"_good_{name}.xlsx")
    sst = (
        b'<?xml version="1.0" encoding="UTF-8"?>' + before + b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        + attrs + b' count="1" uniqueCount="4000000000"><si><t>x</t></si></sst>'
    )

    def change(entry: str, data: bytes) -> bytes:
        if entry == "xl/_rels/workbook.xml.rels":
            rel = b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            return data.replace(b"</Relationships>", rel + b"</Relationships>")
        if entry == "[Content_Types].xml":
            kind = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
            return data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + kind + b'"/></Types>')
        return data

    p = rezip(good, d / f"{name}.xlsx", change, extra={part: sst})
    good.unlink()
    return p


def false_string_count(d: Path) -> Path:
    """A shared-string table that declares 4 billion strings and holds one: calamine would reserve 96 GB."""
    return _false_strings(d, "false_string_count")


def late_false_string_count(d: Path) -> Path:
    """The same after a 6 KB comment: calamine reserves at the first sst tag, however far into the part."""
    return _false_strings(d, "late_false_string_count", before=b"<!--" + b"x" * 6000 + b"-->")


def decoy_false_string_count(d: Path) -> Path:
    """The same after a comment holding an honest sst tag, and with a ">" in a quoted value before the counts."""
    return _false_strings(d, "decoy_false_string_count", before=b'<!-- <sst uniqueCount="1"> -->', attrs=b' note="a>b"')


def upper_case_false_string_count(d: Path) -> Path:
    """The same stored as XL/SHAREDSTRINGS.XML: calamine's zip lookup ignores case."""
    return _false_strings(d, "upper_case_false_string_count", part="XL/SHAREDSTRINGS.XML")


def huge_merge(d: Path) -> Path:
    """A merged range from A20 to XFD1048576: openpyxl (annotate) would create 17 billion cell objects."""
    good = good_workbook(d / "_good_merge.xlsx")
    merge = b'<mergeCells count="1"><mergeCell ref="A20:XFD1048576"/></mergeCells>'

    def change(xml: bytes) -> bytes:
        xml = re.sub(rb"<mergeCells.*?</mergeCells>", b"", xml, flags=re.S)
        return xml.replace(b"</sheetData>", b"</sheetData>" + merge)

    p = rezip(good, d / "huge_merge.xlsx", _sheet_only(change))
    good.unlink()
    return p


# -- readable, with damage that must be reported -------------------------------------------------------------


def uncached_formulas(d: Path) -> Path:
    """Totals written as formulas by a program: no cached results, so calamine reads them as empty."""
    rows = [dict(r) for r in ROWS]
    for i, r in enumerate(rows):
        r["合计"] = f"=F{6 + i}+G{6 + i}"
    return good_workbook(d / "uncached_formulas.xlsx", rows)


def error_values(d: Path) -> Path:
    """#REF! and #DIV/0! cached in amount cells (calamine alone reads them as empty)."""
    good = good_workbook(d / "_good_errors.xlsx")

    def change(xml: bytes) -> bytes:
        xml = _set_cell(xml, "F9", b'<c r="F9" t="e"><f>#REF!+1</f><v>#REF!</v></c>')
        return _set_cell(xml, "G10", b'<c r="G10" t="e"><f>1/0</f><v>#DIV/0!</v></c>')

    p = rezip(good, d / "error_values.xlsx", _sheet_only(change))
    good.unlink()
    return p


BIG = "巨" * (10 * 1024 * 1024 // 3)
"""A 10 MB string (UTF-8)."""


def huge_string(d: Path) -> Path:
    """A 10 MB string in an amount cell."""
    good = good_workbook(d / "_good_huge.xlsx")
    cell = b'<c r="G7" t="inlineStr"><is><t>' + BIG.encode() + b"</t></is></c>"
    p = rezip(good, d / "huge_string.xlsx", _sheet_only(lambda x: _set_cell(x, "G7", cell)))
    good.unlink()
    return p


def mislabelled(d: Path) -> Path:
    """The title of 部门支出总表 over headers that are not its headers."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "表1-2"
    ws["A1"] = spec("budget.expenditure").title
    ws.append(["项目", "金额", "备注"])
    ws.append(["办公费", 10, "按季度"])
    ws.append(["差旅费", 5, None])
    p = d / "mislabelled.xlsx"
    wb.save(p)
    return p


VBA_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def with_macros(d: Path) -> Path:
    """A .xlsm holding a vbaProject.bin with an auto-run macro's name in it (never executed, never copied)."""
    good = good_workbook(d / "_good_vba.xlsx")

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            data = data.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml", VBA_CONTENT_TYPE)
            return data.replace(b"<Default ", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Default ', 1)
        if name == "xl/_rels/workbook.xml.rels":
            rel = b'<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>'
            return data.replace(b"</Relationships>", rel + b"</Relationships>")
        return data

    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + b'Sub Workbook_Open()\r\n Shell "calc.exe"\r\nEnd Sub\r\n'
    p = rezip(good, d / "with_macros.xlsm", change, extra={"xl/vbaProject.bin": vba})
    good.unlink()
    return p


@dataclass(frozen=True)
class Case:
    """One corpus file and what gongkai must say about it."""

    build: Callable[[Path], Path]
    fragment: str | None = None
    """Part of the Chinese message for an unreadable file."""
    findings: tuple[tuple[str, str], ...] = ()
    """(cell, rule) that a readable file must be reported with (``gongkai check`` exits 1)."""

    suffix: str = ".xlsx"

    @property
    def name(self) -> str:
        return self.build.__name__

    @property
    def file(self) -> str:
        """The file's name in the corpus folder."""
        return self.name + self.suffix


UNREADABLE = (
    Case(not_a_zip, "文件不是 Excel 工作簿"),
    Case(empty, "文件是空的"),
    Case(text_renamed, "文件不是 Excel 工作簿"),
    Case(pdf_renamed, "文件不是 Excel 工作簿"),
    Case(docx_renamed, "不是 Excel 或 ODS 工作簿"),
    Case(truncated, "文件已损坏"),
    Case(zip_bomb, "疑似压缩炸弹"),
    Case(lying_zip, "文件已损坏"),
    Case(billion_laughs, "XML 实体声明"),
    Case(billion_laughs_workbook, "XML 实体声明"),
    Case(external_entity, "XML 实体声明"),
    Case(encrypted, "密码保护"),
    Case(far_cell, "超过上限"),
    Case(relocated_far_cell, "超过上限"),
    Case(upper_case_far_cell, "超过上限"),
    Case(backslash_far_cell, "超过上限"),
    Case(dotted_far_cell, "超过上限"),
    Case(utf16_far_cell, "超过上限"),
    Case(twin_far_cell, "超过上限"),
    Case(moved_workbook_far_cell, "超过上限"),
    Case(utf8_named_far_cell, "超过上限"),
    Case(unicode_path_far_cell, "超过上限"),
    Case(million_rows, "超过上限"),
    Case(ods_wide_rows, "超过上限", suffix=".ods"),
    Case(ods_repeated_rows, "超过上限", suffix=".ods"),
    Case(xlsb_far_cell, "超过上限", suffix=".xlsb"),
    Case(xls_truncated, "文件已损坏", suffix=".xls"),
    Case(xls_sheet_beyond_stream, "文件已损坏", suffix=".xls"),
    Case(xls_far_cell, "超过上限", suffix=".xls"),
    Case(xls_claimed_rows, "超出 Excel 97-2003 工作表的大小", suffix=".xls"),
    Case(xls_inverted_rows, "超出 Excel 97-2003 工作表的大小", suffix=".xls"),
    Case(false_string_count, "声明有 4,000,000,000 个字符串，实际只有 1 个"),
    Case(late_false_string_count, "声明有 4,000,000,000 个字符串，实际只有 1 个"),
    Case(upper_case_false_string_count, "声明有 4,000,000,000 个字符串，实际只有 1 个"),
    Case(decoy_false_string_count, "声明有 4,000,000,000 个字符串，实际只有 1 个"),
    Case(huge_merge, "合并单元格的范围过大"),
)
DAMAGED = (
    Case(uncached_formulas, findings=(("表1-2!E6", "R005"),)),
    Case(error_values, findings=(("表1-2!F9", "H002"), ("表1-2!G10", "H002"))),
    Case(huge_string, findings=(("表1-2!G7", "H002"),)),
    Case(mislabelled, findings=(("表1-2!A1", "R001"),)),
)
READABLE = (Case(with_macros, suffix=".xlsm"),)
ALL = UNREADABLE + DAMAGED + READABLE
