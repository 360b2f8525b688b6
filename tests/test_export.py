"""`gongkai export`: tidy data in xlsx/csv/parquet, clean workbooks, the changes log, and the safety rules."""

from __future__ import annotations

import builtins
import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from gongkai.cli import main
from gongkai.pipeline import load_book
from gongkai.write.clean import clean_book
from gongkai.write.export import (
    CHANGE_COLUMNS,
    PARQUET_MISSING,
    TIDY_COLUMNS,
    ExportError,
    tidy_frame,
    tidy_records,
    write_frame,
)
from test_clean import write_twins


@pytest.fixture(scope="module")
def twins(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return write_twins(tmp_path_factory.mktemp("twins"), 3)


def test_tidy_xlsx_of_two_files_is_one_frame_with_the_file_column(twins: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean, messy = twins
    out = tmp_path / "tidy.xlsx"
    assert main(["export", str(clean), str(messy), "-o", str(out)]) == 0
    frame = pd.read_excel(out, dtype=object, engine="openpyxl")
    assert tuple(frame.columns) == TIDY_COLUMNS
    half = len(tidy_records(load_book(clean), "x"))
    assert list(frame["文件"]) == [str(clean)] * half + [str(messy)] * half
    a, b = (frame[frame["文件"] == str(p)].drop(columns=["文件", "来源"]).reset_index(drop=True) for p in (clean, messy))
    pd.testing.assert_frame_equal(a, b)
    assert f"{2 * half} 行 → {out}" in capsys.readouterr().out


def test_tidy_csv_keeps_amounts_exact_and_sources(twins: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _ = twins
    out = tmp_path / "tidy.csv"
    assert main(["export", str(clean), "-o", str(out)]) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    book = load_book(clean)
    table = book.get("budget.expenditure")
    assert table is not None
    first = rows[0]
    assert (first["表"], first["科目名称"], first["行类型"], first["列"], first["来源"]) == ("budget.expenditure", "合计", "合计", "合计", f"{table.sheet}!E6")
    assert Decimal(first["金额"]) == table.rows[0].amount("合计")
    items = [r for r in rows if r["表"] == "budget.expenditure" and r["科目编码"] == "2080505"]
    assert [(r["单位代码"], r["单位名称"], r["列"]) for r in items] == [
        (u, n, c) for u, n in (("101001", "某某市医疗保障局(本级)"), ("101002", "某某市医疗保障事务中心")) for c in ("合计", "基本支出", "项目支出")
    ]
    indicators = [r for r in rows if r["表"] == "budget.project_targets" and r["行类型"] == "指标"]
    assert len(indicators) == 20
    first_indicator = indicators[0]
    assert {k: first_indicator[k] for k in ("一级指标", "三级指标", "指标性质", "指标值", "指标数值", "度量单位", "权重", "指标方向性")} == {
        "一级指标": "产出指标", "三级指标": "培训期数(期)", "指标性质": "≥", "指标值": "3", "指标数值": "3", "度量单位": "期",
        "权重": "20.0", "指标方向性": "正向指标",
    }
    assert first_indicator["项目名称"].startswith("医保信息化建设项目") and first_indicator["项目编码"]
    sided = [r for r in rows if r["表"] == "budget.summary"]
    assert {r["收支"] for r in sided} == {"收入", "支出"} and all(r["栏目"] for r in sided if r["收支"] == "收入")


def test_parquet_holds_decimal_amounts(twins: tuple[Path, Path], tmp_path: Path) -> None:
    clean, _ = twins
    out = tmp_path / "tidy.parquet"
    assert main(["export", str(clean), "-o", str(out), "--format", "parquet"]) == 0
    table = pq.read_table(out)
    assert str(table.schema.field("金额").type).startswith("decimal128")
    amounts = [a for a in table.column("金额").to_pylist() if a is not None]
    expected = [r["金额"] for r in tidy_records(load_book(clean), "x") if r["金额"] is not None]
    assert amounts == expected


def test_parquet_without_pyarrow_says_how_to_install(twins: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    real_import = builtins.__import__

    def no_pyarrow(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(ExportError, match="pip install"):
        write_frame(tidy_frame([]), tmp_path / "x.parquet", "parquet")
    assert main(["export", str(twins[0]), "-o", str(tmp_path / "y.parquet")]) == 2
    assert PARQUET_MISSING in capsys.readouterr().err
    assert not (tmp_path / "y.parquet").exists()
    assert [p.name for p in tmp_path.iterdir()] == []  # no temporary file left behind


def test_clean_mode_writes_a_workbook_and_the_changes_log(twins: tuple[Path, Path], tmp_path: Path) -> None:
    _, messy = twins
    out, log = tmp_path / "clean.xlsx", tmp_path / "changes.csv"
    assert main(["export", str(messy), "-o", str(out), "--mode", "clean", "--changes", str(log)]) == 0
    with log.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == CHANGE_COLUMNS
    kinds = {r["修改"] for r in rows}
    assert {"文本型数字转为数值", "金额单位换算为万元", "去除多余空格和换行"} <= kinds
    # every number stored as text in the messy workbook is in the log, at its cell
    book = load_book(messy)
    as_text = {c.where for t in book.tables for r in t.rows for c in r.cells.values() if c.as_text}
    logged = {f"{r['工作表']}!{r['单元格']}" for r in rows if r["修改"] == "文本型数字转为数值"}
    assert as_text and logged == as_text
    # the 元 sheet: every amount converted
    basic = book.get("budget.general_basic")
    assert basic is not None and basic.money_unit == "元"
    converted = {f"{r['工作表']}!{r['单元格']}" for r in rows if r["修改"] == "金额单位换算为万元"}
    assert converted == {c.where for r in basic.rows for c in r.cells.values() if c.amount is not None}
    again = load_book(out)
    assert [t.id for t in again.tables] == [t.id for t in book.tables]
    assert all(t.money_unit == "万元" for t in again.tables)


def test_clean_mode_with_several_files_writes_a_folder(twins: tuple[Path, Path], tmp_path: Path) -> None:
    clean, messy = twins
    other = tmp_path / "in" / "other.xlsx"
    other.parent.mkdir()
    other.write_bytes(messy.read_bytes())
    log = tmp_path / "changes.xlsx"
    assert main(["export", str(clean), str(other), "-o", str(tmp_path / "out"), "--mode", "clean", "--changes", str(log)]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["clean.xlsx", "other.xlsx"]
    frame = pd.read_excel(log, sheet_name="改动", dtype=str, engine="openpyxl")
    counts = frame["文件"].value_counts().to_dict()
    assert counts == {str(p): len([c for ct in clean_book(load_book(p)) for c in ct.changes]) for p in (clean, other)}
    assert counts[str(other)] > 100


def test_never_overwrites_an_input(twins: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, messy = twins
    copy = tmp_path / "m.xlsx"
    copy.write_bytes(messy.read_bytes())
    before = copy.read_bytes()
    assert main(["export", str(copy), "-o", str(copy), "--mode", "clean"]) == 2
    assert main(["export", str(copy), "-o", str(tmp_path / "t.csv"), "--changes", str(copy)]) == 2
    assert copy.read_bytes() == before
    assert "不会覆盖输入" in capsys.readouterr().err


def test_usage_errors(twins: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean, _ = twins
    assert main(["export", str(clean), "-o", str(tmp_path / "x.csv"), "--mode", "clean"]) == 2
    assert "clean 模式只能输出 xlsx" in capsys.readouterr().err
    assert main(["export", str(clean), "-o", str(tmp_path / "x.csv"), "--changes", str(tmp_path / "c.txt")]) == 2
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook")
    assert main(["export", str(broken), str(clean), "-o", str(tmp_path / "t.csv")]) == 2
    err = capsys.readouterr().err
    assert "broken.xlsx：无法读取" in err
    assert (tmp_path / "t.csv").exists()  # the readable file is still exported
