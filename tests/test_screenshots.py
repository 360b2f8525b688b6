"""docs/screenshots.py, which regenerates the user guide's images: it makes exactly the images the guide shows,
every one of them is in docs/images/ (and nothing else is), and its terminal capture is the real, coloured CLI output."""

from __future__ import annotations

import importlib.util
import re
import shutil
from pathlib import Path
from types import ModuleType

import pytest

DOCS = Path(__file__).parents[1] / "docs"
GUIDE = DOCS / "使用说明.md"


def screenshots() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", DOCS / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def referenced() -> list[str]:
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))


def test_the_script_makes_exactly_the_images_the_guide_shows_and_each_exists() -> None:
    refs = referenced()
    assert all(ref.startswith("images/") for ref in refs), refs
    names = [ref.removeprefix("images/") for ref in refs]
    assert sorted(screenshots().IMAGES) == sorted(set(names))
    missing = [n for n in names if not (DOCS / "images" / n).is_file()]
    assert missing == []
    unused = sorted(p.name for p in (DOCS / "images").iterdir() if p.name not in names)
    assert unused == []  # an image the guide no longer shows is deleted, not left behind


def test_terminal_text_becomes_aligned_html_wrapped_like_a_terminal() -> None:
    shots = screenshots()
    html = shots.ansi_html("\x1b[1;31m错误\x1b[0m a≠b " + "表" * 6, columns=12)
    assert '<span style="color:#f0716a;font-weight:bold;"><span class="w2">错</span><span class="w2">误</span></span>' in html
    assert '<span class="w1"><i>≠</i></span>' in html  # ≠ is one column, as gongkai counts it
    # 错误 (4) + " a≠b " (5) + 表 (2) = 11 columns; the next 表 would pass 12, so the line wraps there
    assert html.count("\n") == 1 and html.index("\n") > html.index("≠")
    assert html.split("\n")[1].count('class="w2"') == 5


def test_the_terminal_capture_is_the_real_coloured_check_output(tmp_path: Path) -> None:
    pytest.importorskip("pty")
    from gongkai.cli._common import width
    from gongkai.core.findings import Severity
    from gongkai.pipeline import check_file

    shots = screenshots()
    book = tmp_path / shots.WORKBOOK
    shutil.copyfile(shots.EXAMPLES / "budget-example-errors.xlsx", book)
    result = check_file(book)

    text = shots.on_terminal(["check", book.name], tmp_path, columns=100)

    assert "\x1b[1;31m✗\x1b[0m" in text  # coloured, as on a terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
    errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
    assert f"{errors} 个错误，{warnings} 个警告" in plain
    for f in result.findings:
        assert re.search(rf"{re.escape(f.where)} +{f.rule}", plain), f.where
    assert max(width(line) for line in plain.splitlines()) <= 100  # fitted to COLUMNS (CJK two columns)


def test_the_guide_states_the_counts_its_screenshots_show() -> None:
    """The guide says how many errors and warnings the example has; the screenshots show the real count."""
    from gongkai.core.findings import Severity
    from gongkai.pipeline import check_file

    result = check_file(screenshots().EXAMPLES / "budget-example-errors.xlsx")
    said = re.findall(r"(\d+) 个错误、(\d+) 个警告", GUIDE.read_text(encoding="utf-8"))
    assert len(said) >= 2  # the introduction and the caption of the check output
    assert set(said) == {(str(result.count(Severity.ERROR)), str(result.count(Severity.WARNING)))}
    rows = re.search(r"!\[「校验结果」工作表[^\]]*?(\d+) 个问题", GUIDE.read_text(encoding="utf-8"))
    assert rows is not None and int(rows[1]) == len(result.findings)  # one row of the 校验结果 sheet each
