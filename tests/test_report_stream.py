"""report/stream.py: each streaming writer writes exactly what its in-memory twin in formats.py writes."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from tests.realdata.build import build

from gongkai.cli._common import dump_json
from gongkai.core.findings import Severity
from gongkai.pipeline import FileResult, check_file
from gongkai.report import formats
from gongkai.report.stream import CsvWriter, HtmlWriter, InOrder, JsonWriter, TextWriter, Totals

STEMS = ("sh-putuo-wanli-2023-dept-budget", "chongqing-shapingba-2017-gpb-final")


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> list[FileResult]:
    """Real check results: published and messy builds of two documents, and a file that is no workbook."""
    folder = tmp_path_factory.mktemp("stream")
    paths = [build(stem, variant, folder).path for stem in STEMS for variant in ("published", "messy")]
    (folder / "broken.xlsx").write_bytes(b"not a workbook")
    out = [check_file(p) for p in [*paths, folder / "broken.xlsx"]]
    assert sum(len(r.findings) for r in out) > 20 and out[-1].status == "unreadable"
    return out


def streamed(writer_of, results: list[FileResult]) -> str:
    out = io.StringIO()
    writer, totals = writer_of(out), Totals()
    for r in results:
        writer.add(r)
        totals.add(r)
    writer.close(totals)
    return out.getvalue()


@pytest.mark.parametrize("count", [0, 1, None])
def test_json_is_the_in_memory_json(results: list[FileResult], count: int | None) -> None:
    some = results[:count]
    text = streamed(JsonWriter, some)

    assert text == dump_json(formats.to_json(some)) + "\n"
    assert json.loads(text)["summary"]["files"] == len(some)


def test_json_keeps_line_separators_inside_quoted_text(results: list[FileResult]) -> None:
    """A cell text with U+2028, U+2029 or U+0085 quoted in a message stays inside its JSON string (splitting the
    entry into lines at them made the report invalid JSON)."""
    first = results[0]
    odd = first.findings[0].model_copy(update={"message": "甲\u2028乙\u2029丙\x85丁"})
    some = [first.model_copy(update={"findings": [odd, *first.findings[1:]]})]
    text = streamed(JsonWriter, some)

    assert text == dump_json(formats.to_json(some)) + "\n"
    assert json.loads(text)["files"][0]["findings"][0]["message"] == "甲\u2028乙\u2029丙\x85丁"


@pytest.mark.parametrize("shown", [Severity.NOTE, Severity.WARNING])
def test_csv_is_the_in_memory_csv(results: list[FileResult], shown: Severity) -> None:
    assert streamed(lambda out: CsvWriter(out, shown), results) == formats.to_csv(results, shown) + "\n"


@pytest.mark.parametrize(("shown", "quiet"), [(Severity.NOTE, False), (Severity.WARNING, True)])
def test_text_is_the_in_memory_text(results: list[FileResult], shown: Severity, quiet: bool) -> None:
    assert streamed(lambda out: TextWriter(out, shown, quiet), results) == formats.to_text(results, shown, quiet=quiet) + "\n"


@pytest.mark.parametrize(("shown", "count"), [(Severity.NOTE, None), (Severity.WARNING, None), (Severity.NOTE, 0)])
def test_html_is_the_in_memory_page(results: list[FileResult], shown: Severity, count: int | None) -> None:
    some, when = results[:count], dt.datetime(2026, 11, 23, 9, 30)
    page = streamed(lambda out: HtmlWriter(out, shown=shown, generated=when), some)

    assert page == formats.to_html(some, shown=shown, generated=when) + "\n"


def test_the_html_writer_leaves_no_temporary_files(results: list[FileResult]) -> None:
    writer = HtmlWriter(io.StringIO())
    folder = writer.folder
    writer.add(results[0])
    writer.close(Totals())

    assert not Path(folder).exists()


def test_totals_say_what_the_in_memory_report_says(results: list[FileResult]) -> None:
    many = results * 6  # more failing files than the last line names
    totals = Totals()
    for r in many:
        totals.add(r)

    assert (totals.summary(), totals.total_text(), totals.failing_text()) == (
        formats.summary(many), formats.total_text(many), formats.failing_text(many)
    )
    assert Totals().failing_text() == formats.failing_text([])


def test_results_pass_on_in_input_order() -> None:
    seen: list[str] = []
    order = InOrder(lambda r: seen.append(r.path))
    for index in (2, 0, 3, 1, 4):
        order.add(index, FileResult(path=str(index)))

    assert seen == ["0", "1", "2", "3", "4"] and order.held == 0


def test_many_waiting_results_are_held_pickled_and_pass_on_unchanged() -> None:
    from gongkai.core.findings import Finding, Severity
    from gongkai.report.stream import KEPT_AS_OBJECTS

    seen: list[FileResult] = []
    order = InOrder(seen.append)
    n = KEPT_AS_OBJECTS * 3
    made = {
        i: FileResult(path=str(i), findings=[Finding(rule="S101", severity=Severity.ERROR, table="budget.summary", sheet="表1", cell=f"B{i + 1}", message="合计不符")])
        for i in range(n)
    }
    for i in range(1, n):  # the first file is the slow one: every other result waits
        order.add(i, made[i])
    assert sum(isinstance(v, bytes) for v in order.waiting.values()) == n - 1 - KEPT_AS_OBJECTS
    order.add(0, made[0])

    assert [r.path for r in seen] == [str(i) for i in range(n)] and order.held == 0
    assert seen == [made[i] for i in range(n)]
