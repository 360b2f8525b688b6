"""gongkai.safety on literal XML: the extent calamine would allocate, error values, uncached formulas; the time limit."""

from __future__ import annotations

import pytest

from gongkai.read.safety import SheetScan, TimeLimitExceeded, col_index, scan_sheet_xml, time_limit


def sheet(body: str) -> bytes:
    return f'<worksheet xmlns="x"><dimension ref="A1"/><sheetData>{body}</sheetData></worksheet>'.encode()


def test_extent_counts_from_a1_to_the_farthest_reference() -> None:
    scan = scan_sheet_xml(sheet('<row r="3"><c r="B3"><v>1</v></c><c r="AA3"><v>2</v></c></row><row r="9"><c r="C9"/></row>'))

    assert (scan.rows, scan.cols, scan.cells) == (9, 27, 243)


def test_one_far_cell_is_the_whole_sheet() -> None:
    scan = scan_sheet_xml(sheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))

    assert (scan.rows, scan.cols) == (1048576, 16384)


def test_cells_without_references_count_as_one_line() -> None:
    """41 cells and 2 rows without r=: 43 columns, on the safe side (calamine places them 40 + 1 wide)."""
    scan = scan_sheet_xml(sheet("<row>" + "<c><v>1</v></c>" * 40 + "</row><row><c><v>1</v></c></row>"))

    assert (scan.rows, scan.cols) == (2, 43)


def test_an_empty_sheet_has_no_cells() -> None:
    assert scan_sheet_xml(sheet("")) == SheetScan()


def test_error_values_are_found_with_their_text() -> None:
    scan = scan_sheet_xml(sheet(
        '<row r="2"><c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="C2" s="1" t="e"><v>#REF!</v></c>'
        '<c r="D2" t="n"><v>3</v></c><c r="E2" t="s"><v>0</v></c></row>'
    ))

    assert scan.errors == [(1, 1, "#DIV/0!"), (1, 2, "#REF!")]


def test_formulas_without_results_are_found_and_empty_string_results_are_not() -> None:
    scan = scan_sheet_xml(sheet(
        '<row r="4"><c r="A4"><f>SUM(B4:C4)</f><v /></c><c r="B4"><f>1+1</f></c><c r="C4"><f>1+1</f><v>2</v></c>'
        '<c r="D4" t="str"><f>IF(1,"","x")</f><v></v></c><c r="E4" s="2"><f t="shared" si="0"/></c>'
        '<c r="F4"><x:f>1</x:f><x:v></x:v></c></row>'
    ))

    assert scan.uncached == [(3, 0), (3, 1), (3, 4), (3, 5)]


def test_prefixed_elements_are_read_too() -> None:
    scan = scan_sheet_xml(b'<x:sheetData><x:row r="2"><x:c r="C2" t="e"><x:v>#N/A</x:v></x:c></x:row></x:sheetData>')

    assert (scan.rows, scan.cols, scan.errors) == (2, 3, [(1, 2, "#N/A")])


def test_column_letters() -> None:
    assert [col_index(x) for x in ("A", "Z", "AA", "XFD", b"B")] == [0, 25, 26, 16383, 1]


def test_time_limit_interrupts_a_busy_loop() -> None:
    with pytest.raises(TimeLimitExceeded), time_limit(0.05):
        while True:
            pass


def test_no_time_limit_when_none_or_zero() -> None:
    for seconds in (None, 0):
        with time_limit(seconds):
            total = sum(range(1000))
    assert total == 499500


def test_an_outer_alarm_is_left_alone() -> None:
    """Inside batch.py's own per-file alarm, time_limit does not replace it."""
    import signal

    fired: list[int] = []
    previous = signal.signal(signal.SIGALRM, lambda signum, frame: fired.append(signum))
    signal.setitimer(signal.ITIMER_REAL, 30)
    try:
        with time_limit(0.01):
            pass
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- the quick scan (sheets as Excel writes them) and the careful one --------------------------------------


def excel_sheet(body: str, dimension: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="x"><dimension ref="'
        f'{dimension}"/><sheetViews/><sheetData>{body}</sheetData><pageMargins/></worksheet>'
    ).encode()


EXCEL_BODY = (
    '<row r="1" spans="1:3"><c r="A1" s="1" t="s"><v>0</v></c><c r="C1" s="2"/></row>'
    '<row r="2"><c r="A2"><f>SUM(B2:C2)</f><v>3</v></c><c r="B2"><f>1+1</f></c><c r="C2" t="e"><v>#REF!</v></c></row>'
    '<row r="12"><c r="B12" t="n"><v>7</v></c></row>'
)


def test_the_quick_scan_reads_an_excel_sheet_as_the_careful_scan_does() -> None:
    from gongkai.read.safety import _quick, careful_scan

    data = excel_sheet(EXCEL_BODY, "A1:C12")
    quick, careful = _quick(data), careful_scan(data)

    assert quick is not None
    assert quick == careful == SheetScan(rows=12, cols=3, errors=[(1, 2, "#REF!")], uncached=[(1, 1)])


@pytest.mark.parametrize("dimension", ["A1:C11", "A1:B12", "A1", "A1:C9"])
def test_a_dimension_that_understates_the_sheet_is_not_trusted(dimension: str) -> None:
    assert (scan_sheet_xml(excel_sheet(EXCEL_BODY, dimension)).rows, scan_sheet_xml(excel_sheet(EXCEL_BODY, dimension)).cols) == (12, 3)


FAR = "XFD1048576"


@pytest.mark.parametrize("cell", [
    f'<c r="{FAR.lower()}"><v>1</v></c>',  # lower case
    f"<c r='{FAR}'><v>1</v></c>",  # single quotes
    f'<c r = "{FAR}"><v>1</v></c>',  # spaces around =
    f'<c\nr="{FAR}"><v>1</v></c>',  # a line break before the attribute
    f'<c r="A7" r="{FAR}"><v>1</v></c>',  # a second reference: calamine takes the last
    f'<c r="A7"\tr = \'{FAR}\'><v>1</v></c>',
    f'<c r="A7"r="{FAR}"><v>1</v></c>',  # no space between attributes
    f'<c r="A7" s=">" r="{FAR}"><v>1</v></c>',  # a ">" inside a value is no tag end
    f'<c r="A7" s="&lt;" t="><" r="{FAR}"><v>1</v></c>',
    f'<c r="A07" r="{FAR}"/>',
    f'<x:c r="{FAR}"><x:v>1</x:v></x:c>',  # a namespace prefix
])
def test_a_far_reference_is_found_in_any_spelling_calamine_accepts(cell: str) -> None:
    """Each of these made calamine allocate 17 billion cells and abort the process."""
    scan = scan_sheet_xml(excel_sheet(f'<row r="7">{cell}</row><row r="8"><c r="C8"><v>1</v></c></row>', "A1:C8"))

    assert (scan.rows, scan.cols) == (1048576, 16384)


def test_stray_r_attributes_do_not_hide_cells_without_a_reference() -> None:
    """Twenty cells without r= placed one after another, and twenty r= on other elements to even the count."""
    body = '<row r="5">' + "<c><v>1</v></c>" * 20 + "</row>" + '<x r="1"/>' * 20
    scan = scan_sheet_xml(excel_sheet(body, "A1:A5"))

    assert scan.cols >= 20


def test_a_prefixed_r_attribute_is_not_a_reference() -> None:
    """calamine reads only the attribute named r; x:r is another attribute."""
    scan = scan_sheet_xml(excel_sheet(f'<row r="3"><c r="B3" x:r="{FAR}"><v>1</v></c></row>', "A1:B3"))

    assert (scan.rows, scan.cols) == (3, 2)


# --- cells the quick scan reads on their own, and what a row's reference moves -----------------------------

EXCEL_ROWS = (
    '<row r="1" spans="1:3" x14ac:dyDescent="0.25"><c r="A1" s="1" t="s"><v>0</v></c><c r="C1" s="2"/></row>'
    '<row r="2" spans="1:3" x14ac:dyDescent="0.25">{cell}<c r="C2" t="n"><v>1</v></c></row>'
    '<row r="12" spans="1:3" x14ac:dyDescent="0.25"><c r="B12" t="n"><v>7</v></c></row>'
)


@pytest.mark.parametrize(("cell", "errors", "uncached"), [
    ('<c r="B2" t="e" s="1"><v>#N/A</v></c>', [(1, 1, "#N/A")], []),  # the type before the style
    ('<c r="B2" s="1" t="e" vm="1"><v>#SPILL!</v></c>', [(1, 1, "#SPILL!")], []),  # an attribute Excel 365 adds
    ('<c r="B2" s="3" t="e"><f>1/0</f><v>#DIV/0!</v></c>', [(1, 1, "#DIV/0!")], []),
    ('<c r="B2" cm="1"><f t="array" ref="B2">SEQUENCE(1)</f></c>', [], [(1, 1)]),
    ('<c r="B2" s="1" t="e"/>', [], []),  # an error cell without a value has no text to report
    ('<c r="B2" s="1" x:r="XFD1048576"><v>1</v></c>', [], []),  # x:r is no reference
])
def test_unusual_cells_of_an_excel_sheet_are_read_by_the_quick_scan_as_by_the_careful_one(
    cell: str, errors: list[tuple[int, int, str]], uncached: list[tuple[int, int]],
) -> None:
    from gongkai.read.safety import _quick, careful_scan

    data = excel_sheet(EXCEL_ROWS.format(cell=cell), "A1:C12")
    quick = _quick(data)

    assert quick is not None
    assert quick == careful_scan(data) == SheetScan(rows=12, cols=3, errors=errors, uncached=uncached)


def test_attributes_spelled_in_a_text_are_no_attributes() -> None:
    """The careful scan counts every r= it sees (on the safe side); the quick one reads only cell tags."""
    from gongkai.read.safety import _quick, careful_scan

    data = excel_sheet(EXCEL_ROWS.format(cell='<c r="B2" t="inlineStr"><is><t>t="e" r="XFD1"</t></is></c>'), "A1:C12")

    assert _quick(data) == SheetScan(rows=12, cols=3)
    assert careful_scan(data).cols == 16384


def test_an_error_cell_without_a_value_does_not_take_the_next_cells_value() -> None:
    scan = scan_sheet_xml(sheet('<row r="1"><c r="A1" t="e"/><c r="B1" t="e"><v>#N/A</v></c><c r="C1"><v>5</v></c></row>'))

    assert scan.errors == [(0, 1, "#N/A")]


def test_the_usual_layouts_take_the_quick_scan() -> None:
    """Excel's (shared strings, spans, x14ac on rows) and openpyxl's (inline strings): one pass, no careful scan."""
    from gongkai.read.safety import _quick

    openpyxl_rows = '<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>&#34920;1</t></is></c></row><row r="2"><c r="B2" t="n"><v>1.5</v></c></row>'

    assert _quick(excel_sheet(EXCEL_ROWS.format(cell='<c r="B2" s="4"><v>3</v></c>'), "A1:C12")) is not None
    assert _quick(excel_sheet(openpyxl_rows, "A1:B2")) == SheetScan(rows=2, cols=2)


def test_empty_cells_as_pythons_xml_writer_closes_them_pass_in_the_one_pattern() -> None:
    """openpyxl without lxml (how gongkai writes its workbooks) closes an empty styled cell with " />": the cell
    pattern passes over it like Excel's "/>" instead of handing each such cell to the per-cell look."""
    from gongkai.read.safety import _dimension_patterns

    _, cells, _ = _dimension_patterns(b"C", b"3", False)
    for closing in ("/>", " />"):
        row = f'<row r="3"><c r="A3" s="3"{closing}<c r="B3" s="1" t="n"><v>1.5</v></c><c r="C3" s="3"{closing}</row>'
        assert cells.findall(row.encode()) == [b"3", b"3", b"3"], closing  # b"": a cell to look at


ROW_SPELLINGS = ['<row r="{n}" r="1048570"', '<row spans="1:7" r="1048570"', '<row r = "1048570"', "<row\tr='1048570'"]


@pytest.mark.parametrize("row", ROW_SPELLINGS)
@pytest.mark.parametrize("cells_have_references", [True, False])
def test_the_extent_covers_what_calamine_allocates_whatever_the_rows_say(tmp_path, row: str, cells_have_references: bool) -> None:
    """calamine places a cell by its own r=, and by its row's r (the first, in any spelling) only when it has none:
    the scan's extent is never smaller than the grid calamine builds."""
    import re
    import zipfile

    import python_calamine
    from corpus import SHEET, good_workbook, rezip

    from gongkai.read.safety import scan_xlsx

    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        data = re.sub(rb'<row r="(\d+)"', lambda m: row.format(n=m[1].decode()).encode(), data, count=1)
        return data if cells_have_references else re.sub(rb'<c r="[A-Z]+1"', b"<c", data)

    path = rezip(good_workbook(tmp_path / "good.xlsx"), tmp_path / "rows.xlsx", change)
    with zipfile.ZipFile(path) as z:
        scan = next(iter(scan_xlsx(z).values()))
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    grid = book.get_sheet_by_index(0).to_python(skip_empty_area=False)

    assert scan.rows >= len(grid) and scan.cols >= max(map(len, grid))


def ods_rows(*rows: str) -> bytes:
    return (
        '<office:document-content><office:body><office:spreadsheet><table:table table:name="t">'
        + "".join(rows) + "</table:table></office:spreadsheet></office:body></office:document-content>"
    ).encode()


NUMBER = '<table:table-cell office:value-type="float" office:value="1"/>'
EMPTY_ROWS = '<table:table-row table:number-rows-repeated="1048000"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>'


@pytest.mark.parametrize(("rows", "cells"), [
    (['<table:table-row><table:table-cell table:number-columns-repeated="2"/>' + NUMBER + "</table:table-row>"], 3),
    ([f"<table:table-row>{NUMBER}</table:table-row>", EMPTY_ROWS], 1),  # LibreOffice's trailing styled rows: empty
    ([f"<table:table-row>{NUMBER}</table:table-row>", EMPTY_ROWS, f"<table:table-row>{NUMBER}</table:table-row>"], 1_048_002),
    (['<table:table-row table:number-rows-repeated="5"><table:table-cell office:value-type="float" office:value="1" '
      'table:number-columns-repeated="4"/></table:table-row>'], 20),
    (['<table:table-row><table:table-cell table:number-columns-repeated="99999"/>' + NUMBER + "</table:table-row>"], 16_384),
    (["<table:table-row/>", f"<table:table-row>{NUMBER}</table:table-row>", "<table:table-row><table:table-cell/></table:table-row>"], 2),
])
def test_ods_cells_count_what_calamine_expands(rows: list[str], cells: int) -> None:
    """Rows and cells repeated up to the last one with content, from the first row to the last with content (the
    grid is padded from A1), capped as calamine caps them (16,384 columns)."""
    from gongkai.read.safety import ods_cells

    assert ods_cells(ods_rows(*rows)) == cells


@pytest.mark.parametrize("rows", [
    '<table:table-row><table:table-cell table:number-columns-repeated="3"/>' + NUMBER + "</table:table-row>" + EMPTY_ROWS,
    '<table:table-row table:number-rows-repeated="7"><table:table-cell/>' + NUMBER + "</table:table-row>"
    '<table:table-row table:number-rows-repeated="3"/><table:table-row><table:table-cell office:value-type="string">'
    "<text:p>x</text:p></table:table-cell></table:table-row>",
    '<table:table-row><table:covered-table-cell table:number-columns-repeated="5"/><table:table-cell table:formula="of:=1"/></table:table-row>',
])
def test_ods_cells_are_never_fewer_than_calamine_reads(tmp_path, rows: str) -> None:
    import zipfile

    import python_calamine
    from corpus import ods

    from gongkai.read.safety import scan_ods

    path = ods(tmp_path / "t.ods", rows)
    with zipfile.ZipFile(path) as z:
        bound = scan_ods(z)
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)

    assert bound >= len(grid) * max(map(len, grid))


@pytest.mark.parametrize("cells", [[(0, 0, 1.0)], [(0, 0, 1.0), (2, 3, 7.5)], [(5, 2, 1.0), (1, 4, 2.0), (9, 0, 3.0)]])
def test_xls_cells_are_never_fewer_than_calamine_reads(tmp_path, cells: list[tuple[int, int, float]]) -> None:
    """The .xls scan counts every cell calamine places, from the first to the last (here from A1, as calamine's
    grid from A1 is padded)."""
    import python_calamine
    from corpus import xls

    from gongkai.read.safety import scan_xls

    path = xls(tmp_path / "t.xls", cells, (0, max(r for r, _, _ in cells) + 1, 0, max(c for _, c, _ in cells) + 1))
    grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)

    assert scan_xls(path.read_bytes())[0] >= len(grid) * max(map(len, grid)) > 0
    assert [v for row in grid for v in row if v != ""] == [v for _, _, v in sorted(cells)]


@pytest.mark.parametrize("cells", [[(0, 0, 1.0)], [(0, 0, 1.0), (2, 3, 7.5)], [(5, 2, 1.0), (1, 4, 2.0), (9, 0, 3.0)]])
def test_xlsb_cells_are_never_fewer_than_calamine_reads(tmp_path, cells: list[tuple[int, int, float]]) -> None:
    import zipfile

    import python_calamine
    from corpus import xlsb

    from gongkai.read.safety import scan_xlsb

    path = xlsb(tmp_path / "t.xlsb", cells)
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    grid = sheet.to_python(skip_empty_area=True)
    with zipfile.ZipFile(path) as z:
        bound = scan_xlsb(z)

    assert bound >= len(grid) * max(map(len, grid)) > 0
    assert sorted(v for row in grid for v in row if v != "") == sorted(v for _, _, v in cells)


def test_an_xls_whose_dimensions_claim_a_whole_sheet_is_read(tmp_path) -> None:
    """Excel writes DIMENSIONS as the used range, formatted cells included: a sheet formatted to its last row and
    column claims 65536 rows by 256 columns for a few values. calamine reserves address space for them, not memory, so the
    file is read; only a claim beyond an Excel 97-2003 sheet is refused."""
    from corpus import xls

    from gongkai.read import read_workbook

    path = xls(tmp_path / "formatted.xls", [(0, 0, 1.0), (3, 2, 2.0)], (0, 65_536, 0, 256))
    sheets = read_workbook(path)

    assert [v for row in sheets[0].rows for v in row if v is not None] == [1.0, 2.0]


def test_thousands_of_empty_formatted_rows_take_the_one_pass_scan(tmp_path) -> None:
    """WPS and Excel write every formatted row, empty or not (the real 上海 export templates: 3,381 rows for 21 with
    cells), and count them into the dimension: the one-pass scan vouches for such a sheet, with the careful scan's
    extent, instead of handing it to the careful scan (20 ms for the template's 17 sheets, four times calamine's load)."""
    import re
    import zipfile

    from corpus import SHEET, good_workbook, rezip

    from gongkai.read.safety import _quick, careful_scan

    def change(name: str, data: bytes) -> bytes:
        if name != SHEET:
            return data
        rows = b"".join(b'<row r="%d" ht="22.5" customHeight="1"/>' % r for r in range(11, 3382))
        data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:G3381"', data)
        return data.replace(b"</sheetData>", rows + b"</sheetData>")

    path = rezip(good_workbook(tmp_path / "good.xlsx"), tmp_path / "formatted.xlsx", change)
    with zipfile.ZipFile(path) as z:
        xml = z.read(SHEET)
    quick, careful = _quick(xml), careful_scan(xml)

    assert quick is not None
    assert (quick.rows, quick.cols, quick.errors, quick.uncached) == (careful.rows, careful.cols, careful.errors, careful.uncached) == (3381, 7, [], [])


def test_an_xls_with_thousands_of_row_records_is_scanned_alike(tmp_path) -> None:
    """Exports write a ROW record per formatted row (20,479 of them in the real 上海 unit template): the scan passes
    over their runs in one step each and counts the same cells, and calamine reads the file."""
    import python_calamine
    from corpus import xls

    from gongkai.read.safety import scan_xls

    cells = [(0, 0, 1.0), (2, 3, 7.5)]
    plain = xls(tmp_path / "plain.xls", cells, (0, 3000, 0, 4))
    rows = xls(tmp_path / "rows.xls", cells, (0, 3000, 0, 4), formatted_rows=3000)
    grid = python_calamine.CalamineWorkbook.from_path(str(rows)).get_sheet_by_index(0).to_python()

    assert scan_xls(rows.read_bytes()) == scan_xls(plain.read_bytes()) == (12, 12_000)
    assert [v for row in grid for v in row if v != ""] == [1.0, 7.5]
