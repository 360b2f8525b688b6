"""`gongkai annotate FILE -o OUT.xlsx`: a copy of the workbook with every problem cell marked.

Errors get Excel's "Bad" style, warnings "Neutral", each marked cell a note with its messages, and a `校验结果`
sheet lists the findings with links. The original is never touched; `--in-place` first keeps a backup.
Exit codes as `check`: 0 no errors, 1 errors found (and marked), 2 the file could not be read or written.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from ._common import add_profile, load_profile, refuse


def add(sub: Any) -> None:
    p = sub.add_parser(
        "annotate", help="写出标注了问题单元格的工作簿副本",
        description="校验一个工作簿，并写出副本：错误单元格标为“差”样式（红），警告标为“适中”样式（黄），"
        "每个单元格附批注说明问题，另加「校验结果」工作表列出全部问题并链接到单元格。原文件不会被修改。",
    )
    p.add_argument("file", metavar="FILE", help="要校验的工作簿（.xlsx/.xlsm）")
    p.add_argument("-o", "--output", metavar="OUT.xlsx", help="标注副本的文件名（默认：原文件名加「-校验结果」）")
    p.add_argument("--in-place", action="store_true", help="直接标注原文件（先把原文件备份为 *.bak.xlsx）")
    add_profile(p)
    p.add_argument("--select", metavar="ID,...", help="只运行这些规则（编号或前缀）")
    p.add_argument("--ignore", metavar="ID,...", help="不运行这些规则（编号或前缀）")
    p.add_argument("--show-notes", action="store_true", help="屏幕上也列出提示（舍位误差等）；提示总是列在「校验结果」表中")
    p.set_defaults(run=run)


def backup_path(source: Path) -> Path:
    """The first free `<name>.bak.xlsx`, `<name>.bak2.xlsx`, … beside the source."""
    n = 1
    while True:
        candidate = source.with_name(f"{source.stem}.bak{n if n > 1 else ''}{source.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def run(args: argparse.Namespace) -> int:
    from ..pipeline import check_file
    from ..report.formats import file_text
    from ..write.annotate import MarkError, annotate, same_file
    from ._common import console_encodes, refuse_output
    from .check import _ids, selection_problem, shown_severity

    source = Path(args.file)
    if args.in_place:
        if args.output and not same_file(args.output, source):
            return refuse("--in-place 与 --output 不能同时指定不同的文件")
        target = source
    else:
        target = Path(args.output) if args.output else source.with_name(f"{source.stem}-校验结果.xlsx")
        if same_file(target, source):
            return refuse(f"输出文件不能是原文件 {source}（要直接标注原文件请用 --in-place，会先备份）")
    if not args.in_place and refuse_output(target, [source]):
        return 2
    profile = load_profile(args)
    select, ignore = _ids(args.select) or None, _ids(args.ignore)
    problem = selection_problem(select, ignore, profile)
    if problem:
        return refuse(problem)
    result = check_file(source, profile, select, ignore)
    print(file_text(result, shown_severity(args), plain=not console_encodes("✓✗")))
    if result.status != "ok":
        return 2
    try:
        if args.in_place:
            backup = backup_path(source)
            shutil.copy2(source, backup)
            print(f"原文件已备份为 {backup}", file=sys.stderr)
            annotate(backup, result.findings, source)
        else:
            annotate(source, result.findings, target)
    except (MarkError, OSError) as exc:
        return refuse(str(exc))
    print(f"已写出标注副本：{target}", file=sys.stderr)
    return 1 if result.errors else 0
