"""`gongkai check 公开表.xlsx --text 说明.txt [--previous 上年.xlsx]`: the narrative in the CLI and its reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gongkai.cli import main
from realdata.build import build

HERE = Path(__file__).parent
W25, W24 = "sh-putuo-wanli-2025-dept-budget", "sh-putuo-wanli-2024-dept-budget"


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("narrative-cli")
    return {stem: build(stem, "published", out).path for stem in (W25, W24)}


def text(stem: str) -> str:
    return str(HERE / "texts" / f"{stem}.txt")


def test_text_with_a_workbook_json_report(books: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "r.json"
    code = main(["check", str(books[W25]), "--text", text(W25), "--format", "json", "-o", str(out)])
    assert code == 0  # a wording warning is no error
    report = json.loads(out.read_text(encoding="utf-8"))
    (file,) = report["files"]
    narrative = [f for f in file["findings"] if f["sheet"] == "说明"]
    assert [(f["rule"], f["severity"], f["cell"]) for f in narrative] == [("N506", "warning", "第7页第11段")]
    assert narrative[0]["related"] == ["表5!E49"] and "【20.00万元】" in narrative[0]["message"]
    summary = file["narrative"]
    assert summary["found"] == summary["checked"] + len(summary["unchecked"]) and summary["wrong"] == 1
    assert summary["checked"] >= 50
    reasons = {u["reason"] for u in summary["unchecked"]}
    assert "需要上年的文件（--previous）才能核对" in reasons  # the 比2024年 claims, without last year's file


def test_previous_checks_every_change_on_last_year(books: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(books[W25]), "--text", text(W25), "--previous", str(books[W24]), "--format", "json"])
    assert code == 0
    (file,) = json.loads(capsys.readouterr().out)["files"]
    reasons = {u["reason"] for u in file["narrative"]["unchecked"]}
    assert not any("上年" in r for r in reasons), reasons


def test_table_report_has_the_summary_line(books: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(books[W25]), "--text", text(W25)]) == 0
    out = capsys.readouterr().out
    assert "说明文字：找到 " in out and "说明!第7页第11段" in out and "N506" in out


def test_usage_errors(books: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(books[W25]), str(books[W24]), "--text", text(W25)]) == 2
    assert "--text 只能配一个" in capsys.readouterr().err
    bad = tmp_path / "说明.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8" * 10)
    assert main(["check", str(books[W25]), "--text", str(bad)]) == 2
    assert "说明文字" in capsys.readouterr().out
    assert main(["check", str(books[W25]), "--previous", str(tmp_path / "没有这个文件.pdf")]) == 2
    assert "上年文件" in capsys.readouterr().out


def test_the_user_guides_example_is_real() -> None:
    """The findings docs/使用说明.md quotes for 万里 2023 are what the text gives (cell, rule and the marked figure)."""
    import re

    from narrativekit import run

    guide = (HERE.parents[1] / "docs" / "使用说明.md").read_text(encoding="utf-8")
    section = guide.split("### 5.")[1].split("```text")[1].split("```")[0]
    quoted = re.findall(r"说明!(第\d+页第\d+段)\s+(N5\d\d)\s+\S+\s+「[^【]*【([^】]+)】", section)
    assert len(quoted) == 3
    _, a = run("sh-putuo-wanli-2023-dept-budget")
    found = {(x.claim.where.cell, x.rule, x.claim.figure) for x in a.checks if x.severity is not None}
    assert set(quoted) <= found, set(quoted) - found


def _docx(path: Path, paragraphs: list[str]) -> Path:
    """A minimal Word file: word/document.xml with one w:p per paragraph (what Word writes, less the styles)."""
    import zipfile
    from xml.sax.saxutils import escape

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        zf.writestr("word/document.xml", f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>')
    return path


def test_text_as_word_file_and_annotated_copy(books: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    doc = _docx(tmp_path / "说明.docx", [
        "2025年“三公”经费预算数为37.91万元，比2024年预算减少10万元。其中：",
        "（三）公务接待费13,500万元。比2024年预算持平。",  # 万元 written for 元
    ])
    out = tmp_path / "标注"
    code = main(["check", str(books[W25]), "--text", str(doc), "--annotate-dir", str(out), "--format", "json"])
    assert code == 1
    (file,) = json.loads(capsys.readouterr().out)["files"]
    narrative = [(f["rule"], f["cell"]) for f in file["findings"] if f["sheet"] == "说明"]
    assert narrative == [("N502", "第2段")]
    (copy,) = out.glob("*.xlsx")
    sheet = load_workbook(copy)["校验结果"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    listed = [r for r in rows if r[3] == "说明"]
    assert len(listed) == 1 and "【13,500万元】" in " ".join(str(v) for v in listed[0])
    assert "把元写成了万元" in listed[0][5]


SEEDS = HERE.parents[2] / "shared" / "seeds"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed texts (../shared/seeds) are not on this machine")
@pytest.mark.parametrize("name", ["000_1227bf0c5a14772f", "002_c24137f8d527ec54", "004_44c7e216443bb27f"])
def test_seed_texts_from_another_province(name: str) -> None:
    """Sichuan 说明 texts (no tables to compare with): claims read, each figure inside its sentence, the rest listed."""
    from gongkai.core.claims import extract, paragraphs_from_text

    ex = extract(paragraphs_from_text((SEEDS / f"{name}.txt").read_text(encoding="utf-8")))
    assert len(ex.claims) >= 25
    for c in ex.claims:
        assert c.where.sentence[c.where.start : c.where.end] == c.figure
    shares = [c for c in ex.claims if c.kind == "share"]
    assert all(c.of is not None for c in shares)


def test_a_cut_percentage_agrees() -> None:
    """29.42 ÷ 307.82 = 9.5575%: printed 9.55% (cut) or 9.56% (rounded) both agree; 9.54% does not."""
    from decimal import Decimal

    from gongkai.checks.narrative import ratio_range, within

    lo, hi = ratio_range(Decimal("29.42"), Decimal("0.01"), Decimal("307.82"), Decimal("0.01"))
    assert lo is not None and hi is not None
    step = Decimal("0.01")
    assert within(Decimal("9.55"), step, lo, hi) and within(Decimal("9.56"), step, lo, hi)
    assert not within(Decimal("9.53"), step, lo, hi) and not within(Decimal("9.58"), step, lo, hi)
