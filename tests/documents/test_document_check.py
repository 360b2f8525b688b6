"""`gongkai check` on published documents: reports that say where a finding is printed, batches of documents and
bad documents, and `gongkai text`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import badpdf
import pytest
from doccorpus import DOCUMENTS

from gongkai import batch
from gongkai.cli import main
from gongkai.pipeline import check_file, expand
from gongkai.report.formats import CSV_COLUMNS, to_csv, to_html, to_json, to_text

SEEDED = DOCUMENTS / "sh-putuo-czj-2024-final-SEEDED.pdf"
REAL = DOCUMENTS / "sh-putuo-czj-2025-dept-budget.pdf"
SANGONG = "第15页「财政拨款“三公”经费支出决算表」"


@pytest.fixture(scope="module")
def seeded() -> object:
    return check_file(SEEDED, ignore=("N",))


def test_json_names_page_table_row_and_column(seeded: object) -> None:
    files = to_json([seeded])["files"]  # type: ignore[list-item]
    by_rule = {f["rule"]: f for f in files[0]["findings"] if f["severity"] == "error"}
    assert by_rule["R008"]["location"] == {
        "page": 15, "table": 7, "title": "财政拨款“三公”经费支出决算表", "row": "", "column": "", "text": SANGONG,
    }
    assert by_rule["R008"]["sheet"] and by_rule["R008"]["cell"]  # the grid address is still there
    assert by_rule["R004"]["location"] is None  # the missing table is printed nowhere
    assert all("location" in f for f in files[0]["findings"])


def test_a_cell_finding_is_located_by_its_row_and_column(tmp_path: Path) -> None:
    """A figure changed in a real table (the 2025 收入预算总表's 行政运行 line, 合计 column): the report names the
    page, the table, the printed row and the printed column."""
    from gongkai.read.document import Document, sheets
    from gongkai.read.pdf import read_pdf

    doc: Document = read_pdf(REAL)
    table = doc.tables[1]
    r = next(i for i, row in enumerate(table.grid) if row[3] == "行政运行")
    table.grid[r][4] = "16,231,940.80"  # 100 元 more than its parts
    from gongkai.pipeline import check_book, locations
    from gongkai.recognize import recognize

    book = recognize(sheets(doc))
    findings = [f for f in check_book(book) if f.severity == "error"]
    where = locations(doc, book, findings)
    texts = {where[f.where].text for f in findings if f.where in where}
    assert f"第{table.row_pages[r]}页「2025年部门收入预算总表」 行政运行 / 合计" in texts


def test_csv_and_text_name_the_place(seeded: object) -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv([seeded]))))  # type: ignore[list-item]
    assert tuple(rows[0]) == CSV_COLUMNS
    r008 = next(r for r in rows if r["规则"] == "R008")
    assert (r008["页"], r008["表序号"], r008["位置"]) == ("15", "7", SANGONG)
    text = to_text([seeded])  # type: ignore[list-item]
    assert SANGONG in text and "（整个文件）" in text
    assert SANGONG in to_html([seeded])  # type: ignore[list-item]


def test_a_workbook_report_is_unchanged() -> None:
    result = check_file(Path(__file__).parents[2] / "workbooks/examples/budget-example-errors.xlsx")
    assert result.errors and not result.locations
    entry = to_json([result])["files"][0]
    assert all("location" not in f for f in entry["findings"])
    assert all(r["位置"] == "" for r in csv.DictReader(io.StringIO(to_csv([result]))))


def bad_documents(folder: Path) -> dict[str, str]:
    """One of each bad input of issue 16 §5, with the message each must give."""
    folder.mkdir()
    badpdf.scanned_pdf(REAL, folder / "扫描件.pdf", page=8)
    badpdf.encrypted_pdf(folder / "加密.pdf")
    badpdf.truncated_pdf(REAL, folder / "损坏.pdf", 0.5)
    badpdf.pages_of(REAL, folder / "无表格.pdf", [0, 1, 2, 3])
    badpdf.many_pages_pdf(folder / "两千页.pdf", 2000)
    (folder / "改名的.docx").write_bytes(b"not a word file at all")
    return {
        "扫描件.pdf": "这个 PDF 没有文字层（可能是扫描件），无法读取表格；请提供可复制文字的 PDF 或原始工作簿",
        "加密.pdf": "这个 PDF 有打开密码（已加密），无法读取；请先取消密码，或提供未加密的 PDF",
        "损坏.pdf": "PDF 文件不完整（结尾缺失，可能下载或复制中断），无法读取；请重新获取完整的文件",
        "无表格.pdf": "这个 PDF 里没有找到表格（没有可读取的公开表）；请确认文件是部门预算或决算公开文件",
        "两千页.pdf": "这个 PDF 有 2,000 页，超过上限 500 页，未读取",
        "改名的.docx": "文件不是 Word 文档（.docx）（可能是改了扩展名的其他文件）",
    }


@pytest.mark.parametrize("pool", [False, True])
def test_a_batch_goes_on_past_bad_documents(
    tmp_path: Path, pool: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "公开文件"
    wanted = bad_documents(folder)
    (folder / "好的.pdf").write_bytes(REAL.read_bytes())
    assert {p.name for p in expand([folder])} == {*wanted, "好的.pdf"}
    if pool:  # the process pool, as for a large batch of workbooks
        monkeypatch.setattr(batch, "IN_PROCESS_BELOW", 1)
    code = main(["check", str(folder), "--jobs", "2", "--format", "json", "--ignore", "N"])
    out, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in out + err
    files = {Path(f["path"]).name: f for f in json.loads(out)["files"]}
    assert {name: f["error"] for name, f in files.items() if f["status"] != "ok"} == wanted
    good = files["好的.pdf"]
    assert good["status"] == "ok" and len(good["tables"]) == 9


def test_text_prints_the_narrative_with_its_pages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["text", str(REAL)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "—— 第 1 页 ——"
    assert "一、部门主要职能" in lines and "—— 第 3 页 ——" in lines
    assert lines.index("—— 第 3 页 ——") < lines.index("\u3000\u3000上海市普陀区财政局是上海市普陀区人民政府组成部门。")
    assert "单位：元" not in out and "22,186,440.80" not in out  # the tables are left out


def test_text_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["text", str(REAL), "--format", "json"]) == 0
    paragraphs = json.loads(capsys.readouterr().out)
    assert paragraphs[0]["page"] == 1
    assert {"page": 3, "heading": False, "text": "上海市普陀区财政局是上海市普陀区人民政府组成部门。"} in paragraphs
    assert [p["page"] for p in paragraphs] == sorted(p["page"] for p in paragraphs)


def test_text_of_a_word_document(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("docx")
    from docxbuild import INTRO, TEXT, build_docx

    path = build_docx("sh-putuo-wanli-2025-dept-budget", tmp_path / "a.docx")
    assert main(["text", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert INTRO in lines and "\u3000\u3000" + TEXT in lines and not any("页 ——" in ln for ln in lines)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("表.xlsx", b"PK", "表.xlsx：无法读取："),
        ("说明.txt", b"text", "只能读取 PDF、Word（.docx）公开文件或工作簿，说明.txt 都不是"),
        ("坏.pdf", b"%PDF-1.4 nothing", "无法读取：PDF 文件不完整"),
        ("没有.pdf", None, "无法读取：找不到文件"),
    ],
)
def test_text_refuses_in_chinese(
    tmp_path: Path, name: str, content: bytes | None, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    assert main(["text", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_the_profiles_inflation_limit_holds_for_documents(tmp_path: Path) -> None:
    """`max_inflated_mb` of a profile caps what a document may inflate to, as it caps a workbook."""
    from gongkai.core.profile import Profile

    bomb = badpdf.bomb_pdf(tmp_path / "bomb.pdf", inflated_mb=8)  # 8 MB of spaces: under the reader's own caps
    assert check_file(bomb).error == "这个 PDF 没有任何文字，无法读取表格"
    assert check_file(bomb, Profile(max_inflated_mb=4)).error == (
        "文件中的数据解压后超过上限（单个对象 4 MB，全部 4 MB），疑似压缩炸弹，未读取"
    )
