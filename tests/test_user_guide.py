"""The Chinese user guide (docs/使用说明.md): it exists, covers the four tasks, and its screenshots are real PNGs."""

from __future__ import annotations

import re
from pathlib import Path

from gongkai.cli import parser

DOCS = Path(__file__).parents[1] / "docs"
GUIDE = DOCS / "使用说明.md"


def test_the_guide_covers_install_the_four_tasks_excel_wps_and_rounding_notes() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for heading in ("安装", "校验", "标注", "填报", "导出", "Excel", "WPS", "常见问题", "舍位"):
        assert heading in text, heading
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    assert cjk > 1500  # written in Chinese, not translated headings over English


def test_every_screenshot_exists_and_is_a_png() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", GUIDE.read_text(encoding="utf-8"))
    assert len(images) >= 6
    for rel in images:
        data = (DOCS / rel).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", rel
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width >= 600 and height >= 200, (rel, width, height)


def test_every_command_the_guide_names_exists() -> None:
    commands = set(re.findall(r"`gongkai ([a-z]+)", GUIDE.read_text(encoding="utf-8")))
    commands |= set(re.findall(r"^gongkai ([a-z]+)", GUIDE.read_text(encoding="utf-8"), re.M))
    known = set(parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert {"check", "annotate", "fill", "export", "rules", "template"} <= commands <= known, commands - known


def test_the_developer_docs_cite_files_that_exist() -> None:
    """Paths the README, CONTRIBUTING and the generated references cite (TABLES.md included) are in the repository."""
    root = DOCS.parent
    cited = []
    for doc in (root / "README.md", root / "CONTRIBUTING.md", DOCS / "rules.md", DOCS / "tables.md"):
        text = doc.read_text(encoding="utf-8")
        cited += [(doc, ref) for ref in re.findall(r"`((?:src|tests|docs|workbooks|bench|macros)/[^`\s]+)`", text)]
        cited += [(doc, ref) for ref in re.findall(r"\]\(([^)#:\s]+)\)", text)]
        if "TABLES.md" in text:
            cited.append((doc, "docs/TABLES.md"))
    made = [(d, ref) for d, ref in cited if any(part.startswith(".") and part not in (".", "..") for part in ref.split("/"))]
    missing = [
        (d.name, ref) for d, ref in cited
        if (d, ref) not in made and not ((d.parent / ref).exists() or (root / ref).exists())
    ]  # made: folders a command creates (bench/.venv-frictionless)
    assert len(cited) > 10
    assert missing == []
