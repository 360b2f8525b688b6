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
