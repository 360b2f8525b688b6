"""Every file of the hostile corpus gives one clear Chinese message naming it, a non-zero exit, and the batch goes
on — in `gongkai tables`, `check`, `export` and `annotate` — and no input changes by a single byte."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

import corpus
import pytest
from corpus import DAMAGED, UNREADABLE, Case

from gongkai.cli import COMMANDS, main
from gongkai.core.profile import Profile
from gongkai.pipeline import check_file
from gongkai.read import ReadError, read_workbook


def needs(command: str) -> pytest.MarkDecorator:
    present = command in COMMANDS and importlib.util.find_spec(f"gongkai.cli.{command}") is not None
    return pytest.mark.skipif(not present, reason="command not present")


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under a folder, by relative path."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole corpus plus one good workbook, built once."""
    d = tmp_path_factory.mktemp("hostile")
    for case in corpus.ALL:
        case.build(d)
    corpus.good_workbook(d / "good.xlsx")
    return d


@pytest.fixture
def untouched(inputs: Path) -> Iterator[Path]:
    """The corpus folder; after the test, every input must be byte-identical and no file added to it."""
    before = digest(inputs)
    yield inputs
    assert digest(inputs) == before


def path_of(folder: Path, case: Case) -> Path:
    return folder / case.file


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    text = out + err
    assert "Traceback" not in text
    return code, text


# -- the reader -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", UNREADABLE, ids=lambda c: c.name)
def test_reader_refuses_with_a_chinese_message(untouched: Path, case: Case) -> None:
    with pytest.raises(ReadError) as info:
        read_workbook(path_of(untouched, case))

    assert case.fragment is not None and case.fragment in str(info.value)


@pytest.mark.parametrize("case", DAMAGED, ids=lambda c: c.name)
def test_damage_is_reported_as_findings(untouched: Path, case: Case) -> None:
    result = check_file(path_of(untouched, case))

    assert result.status == "ok"
    reading = [(f.where, f.rule) for f in result.findings if f.rule.startswith(("R", "H"))]
    assert reading == list(case.findings)


def test_error_values_are_read_as_the_text_excel_shows(untouched: Path) -> None:
    rows = read_workbook(untouched / "error_values.xlsx")[0].rows

    assert (rows[8][5], rows[9][6]) == ("#REF!", "#DIV/0!")


def test_uncached_formula_finding_names_every_cell(untouched: Path) -> None:
    found = [(f.where, f.rule, f.severity.value, f.message) for f in check_file(untouched / "uncached_formulas.xlsx").findings if f.rule == "R005"]

    assert found == [(
        "表1-2!E6", "R005", "error",
        "「部门支出总表」的公式没有计算结果（请在 Excel 中打开并保存后再检查）：E6、E7、E8、E9、E10",
    )]


def test_macros_are_read_as_data_only(untouched: Path) -> None:
    result = check_file(untouched / "with_macros.xlsm")

    assert (result.status, result.errors, [t.id for t in result.tables]) == ("ok", 0, ["budget.expenditure"])


# -- limits from the profile ----------------------------------------------------------------------------------


def test_profile_cell_limit_refuses_a_workbook_above_it(untouched: Path) -> None:
    result = check_file(untouched / "good.xlsx", Profile(max_cells=20))

    assert (result.status, result.error) == ("unreadable", "工作簿的单元格（从 A1 算起）有 70 个，超过上限 20 个，未读取")


def test_profile_inflated_limit_refuses_a_workbook_above_it(untouched: Path) -> None:
    result = check_file(untouched / "good.xlsx", Profile(max_inflated_mb=0))

    assert result.status == "unreadable"
    assert result.error is not None and "疑似压缩炸弹" in result.error


def test_profile_time_limit_stops_a_slow_file(untouched: Path) -> None:
    """The million-row sheet read with the cell limit raised takes seconds; a 10 ms limit stops it."""
    result = check_file(untouched / "million_rows.xlsx", Profile(max_cells=50_000_000, max_seconds_per_file=0.01))

    assert (result.status, result.error) == ("unreadable", "读取超时：超过 0.01 秒仍未完成，已跳过（文件可能过大或结构异常）")


def test_default_limits_are_safe() -> None:
    p = Profile()

    assert (p.max_inflated_mb, p.max_cells, p.max_seconds_per_file) == (200, 2_000_000, 60.0)


# -- openpyxl parses through defusedxml -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["billion_laughs.xlsx", "billion_laughs_workbook.xlsx", "external_entity.xlsx"])
def test_openpyxl_refuses_entities_through_defusedxml(untouched: Path, name: str) -> None:
    """openpyxl uses defusedxml when it is installed (a gongkai dependency): entities are refused, not expanded."""
    import openpyxl
    import openpyxl.xml
    from defusedxml import EntitiesForbidden

    assert openpyxl.xml.DEFUSEDXML is True
    with pytest.raises(Exception) as info:
        openpyxl.load_workbook(untouched / name)
    chain: list[BaseException] = []
    exc: BaseException | None = info.value
    while exc is not None:
        chain.append(exc)
        exc = exc.__cause__ or exc.__context__
    assert any(isinstance(e, EntitiesForbidden) for e in chain)


# -- the commands ---------------------------------------------------------------------------------------------


SINGLE = tuple(c for c in UNREADABLE if c.name != "million_rows")
"""Per-file command runs skip the slowest file (seconds to scan); the batch runs include it."""


def by_name(files: list[dict[str, object]]) -> dict[str, dict[str, object]]:
    return {Path(str(f["path"])).name: f for f in files}


@needs("tables")
def test_tables_reports_every_bad_file_and_goes_on(untouched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "tables", untouched, "--format", "json")

    files = by_name(json.loads(text)["files"])
    assert code == 2
    for case in UNREADABLE:
        f = files[path_of(untouched, case).name]
        assert f["status"] == "unreadable" and case.fragment in str(f["error"]), case.name
    for name in ("good.xlsx", "with_macros.xlsm", "error_values.xlsx", "uncached_formulas.xlsx", "huge_string.xlsx"):
        assert (files[name]["status"], [t["id"] for t in files[name]["tables"]]) == ("ok", ["budget.expenditure"])  # type: ignore[union-attr]


@needs("tables")
def test_tables_text_names_the_file_and_the_problem(untouched: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, text = run(capsys, "tables", untouched / "zip_bomb.xlsx", untouched / "good.xlsx")

    assert code == 2
    assert f"{untouched / 'zip_bomb.xlsx'}\n  无法读取：文件解压后有 250 MB，超过上限 200 MB，疑似压缩炸弹，未读取" in text
    assert f"{untouched / 'good.xlsx'}：识别出 1 张表" in text


@needs("check")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_check_reports_every_file_and_goes_on(untouched: Path, capsys: pytest.CaptureFixture[str], jobs: str) -> None:
    code, text = run(capsys, "check", untouched, "--format", "json", "--jobs", jobs)

    files = by_name(json.loads(text)["files"])
    assert code == 2
    assert len(files) == len(corpus.ALL) + 1
    for case in UNREADABLE:
        f = files[path_of(untouched, case).name]
        assert f["status"] == "unreadable" and case.fragment in str(f["error"]), case.name
    for case in DAMAGED:
        f = files[path_of(untouched, case).name]
        found = [(f"{x['sheet']}!{x['cell']}", x["rule"]) for x in f["findings"] if x["rule"][0] in "RH"]  # type: ignore[index, union-attr]
        assert found == list(case.findings), case.name
    for name in ("good.xlsx", "with_macros.xlsm"):
        assert (files[name]["status"], files[name]["findings"]) == ("ok", [])
    assert "root:x:0" not in text  # the external entity was never resolved


@needs("check")
@pytest.mark.parametrize("case", SINGLE, ids=lambda c: c.name)
def test_check_one_bad_file_exits_2_with_its_message(untouched: Path, capsys: pytest.CaptureFixture[str], case: Case) -> None:
    path = path_of(untouched, case)

    code, text = run(capsys, "check", path)

    assert code == 2
    assert f"✗ {path}\n  无法读取：" in text and case.fragment in text  # type: ignore[operator]


@needs("export")
def test_export_reports_every_bad_file_and_exports_the_rest(untouched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tidy.csv"

    code, text = run(capsys, "export", untouched, "-o", out)

    assert code == 2
    for case in UNREADABLE:
        path = path_of(untouched, case)
        assert any(line.startswith(str(path)) and case.fragment in line for line in text.splitlines()), case.name  # type: ignore[operator]
    exported = {Path(line.split(",", 1)[0]).name for line in out.read_text(encoding="utf-8-sig").splitlines()[1:]}
    assert {"good.xlsx", "with_macros.xlsm"} <= exported


@needs("export")
def test_export_clean_writes_xlsx_without_macros(untouched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "clean.xlsx"

    code, _ = run(capsys, "export", untouched / "with_macros.xlsm", "--mode", "clean", "-o", out)

    assert code == 0
    assert_plain_xlsx(out)


@needs("annotate")
@pytest.mark.parametrize("case", SINGLE, ids=lambda c: c.name)
def test_annotate_bad_file_exits_2_and_writes_nothing(untouched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case) -> None:
    path = path_of(untouched, case)
    out = tmp_path / "marked.xlsx"

    code, text = run(capsys, "annotate", path, "-o", out)

    assert code == 2
    assert str(path) in text and case.fragment in text  # type: ignore[operator]
    assert list(tmp_path.iterdir()) == []


@needs("annotate")
@pytest.mark.parametrize("case", DAMAGED, ids=lambda c: c.name)
def test_annotate_damaged_file_marks_a_copy(untouched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case) -> None:
    out = tmp_path / "marked.xlsx"

    code, _ = run(capsys, "annotate", path_of(untouched, case), "-o", out)

    assert code == 1
    assert_plain_xlsx(out)


@needs("annotate")
def test_annotate_macro_workbook_writes_xlsx_without_macros(untouched: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "marked.xlsx"

    code, _ = run(capsys, "annotate", untouched / "with_macros.xlsm", "-o", out)

    assert code == 0
    assert_plain_xlsx(out)


def assert_plain_xlsx(path: Path) -> None:
    """An .xlsx with no VBA project and no macro-enabled content type, readable by gongkai."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        types = z.read("[Content_Types].xml")
    assert not [n for n in names if "vba" in n.lower()]
    assert corpus.VBA_CONTENT_TYPE not in types
    assert read_workbook(path)


# -- outputs never land on inputs -------------------------------------------------------------------------------


@pytest.fixture
def own_copy(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    return corpus.good_workbook(d / "budget.xlsx")


def _refuses(capsys: pytest.CaptureFixture[str], target: Path, *argv: str | Path) -> None:
    before = digest(target.parent)
    code, text = run(capsys, *argv)
    assert code == 2, text
    assert digest(target.parent) == before


@needs("annotate")
def test_annotate_refuses_to_write_onto_its_input(own_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _refuses(capsys, own_copy, "annotate", own_copy, "-o", own_copy)


@needs("annotate")
def test_annotate_refuses_the_input_by_another_spelling(own_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    other = own_copy.parent / ".." / own_copy.parent.name / own_copy.name
    _refuses(capsys, own_copy, "annotate", own_copy, "-o", other)


@needs("export")
@pytest.mark.parametrize("mode", ["tidy", "clean"])
def test_export_refuses_to_write_onto_its_input(own_copy: Path, capsys: pytest.CaptureFixture[str], mode: str) -> None:
    _refuses(capsys, own_copy, "export", own_copy, "--mode", mode, "-o", own_copy)


@needs("fill")
def test_fill_refuses_to_write_onto_its_inputs(own_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gongkai.fill.sample import input_sheets, sample_lines
    from gongkai.write.workbook import write_rows

    items = write_rows(input_sheets(sample_lines(1, 1, 12)), own_copy.parent / "lines.xlsx")

    _refuses(capsys, items, "fill", items, "-o", items)
    _refuses(capsys, own_copy, "fill", items, "--template", own_copy, "-o", own_copy)


@needs("annotate")
def test_annotate_in_place_keeps_a_byte_identical_backup(own_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(own_copy, 0o640)
    original = own_copy.read_bytes()

    code, _ = run(capsys, "annotate", own_copy, "--in-place")

    backups = [p for p in own_copy.parent.iterdir() if p != own_copy]
    assert code == 0
    assert [p.read_bytes() == original for p in backups] == [True]
    assert own_copy.read_bytes() != original
    assert stat.S_IMODE(own_copy.stat().st_mode) == 0o640  # the replaced file keeps its permissions


def test_atomic_write_failure_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    from gongkai.write.atomic import atomic_path

    target = tmp_path / "report.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("crash while writing")

    assert (target.read_bytes(), [p.name for p in tmp_path.iterdir()]) == (b"old", ["report.xlsx"])


def test_atomic_write_gives_a_new_file_the_usual_permissions(tmp_path: Path) -> None:
    from gongkai.write.atomic import atomic_path

    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "new.csv") as tmp:
            tmp.write_text("a\n")
    finally:
        os.umask(umask)

    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o644

