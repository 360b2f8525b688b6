"""`gongkai template [--out DIR]`: write the blank templates (the files committed in workbooks/)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def add(sub: Any) -> None:
    p = sub.add_parser(
        "template", help="生成空白公开表模板",
        description="生成空白模板：预算全套（每表一个工作表）、部门收支总表、财政拨款支出预算表（部门经济分类科目）、"
        "部门预算项目支出绩效目标表、决算全套和项目支出绩效自评表。含公式、下拉列表、冻结窗格、打印设置和工作表保护（无密码）。",
    )
    p.add_argument("--out", metavar="DIR", default=None, help="输出文件夹（默认 workbooks；不给出时不覆盖已有文件）")
    p.add_argument("--force", action="store_true", help="覆盖已有的模板文件")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..fill.template import FILES, blank
    from ..write.workbook import write_template

    out = Path(args.out or "workbooks")
    if out.exists() and not out.is_dir():
        print(f"gongkai template：{out} 是文件，应为文件夹", file=sys.stderr)
        return 2
    existing = [out / name for name in FILES if (out / name).exists()]
    if existing and not (args.out or args.force):
        names = "、".join(str(p) for p in existing)
        print(f"gongkai template：{names} 已存在，未覆盖（用 --out 指定文件夹，或加 --force 覆盖）", file=sys.stderr)
        return 2
    for name, (kind, tables) in FILES.items():
        write_template(blank(tables, kind), out / name)
        print(f"已生成 {out / name}（{len(tables)} 张表）")
    return 0
