"""`gongkai check --text 说明 | --previous 上年文件`: the tables and the 说明 text of each file, one file after another
(`cli.check` hands these runs over; a workbook's check never imports this module)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..pipeline import FileResult


def exit_code(results: list[FileResult]) -> int:
    if any(r.status != "ok" for r in results):
        return 2
    return 1 if any(r.errors for r in results) else 0


def _write(args: argparse.Namespace, results: list[FileResult], streamed: bool, shown: Any) -> None:
    from ..report import formats as report
    from ._common import dump_json, emit

    fmt = args.format
    if fmt == "table":
        if streamed:
            tail = [] if args.quiet else [report.total_text(results)]
            sys.stdout.write("\n".join([*tail, report.failing_text(results)]) + "\n")
        else:
            emit(report.to_text(results, shown, quiet=args.quiet), args.output)
    elif fmt == "json":
        emit(dump_json(report.to_json(results)), args.output)
    elif fmt == "html":
        emit(report.to_html(results, shown=shown), args.output)
    elif fmt == "csv":
        text = report.to_csv(results, shown)
        if args.output:
            from ..write.atomic import atomic_path

            with atomic_path(args.output) as tmp:
                Path(tmp).write_text(text + "\n", encoding="utf-8-sig")
        else:
            sys.stdout.write(text + "\n")
    else:
        from ..report.xlsx_report import write_xlsx

        write_xlsx(results, args.output, shown)
    if args.output:
        print(f"报告已写入 {args.output}", file=sys.stderr)


NARRATIVE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".xlsm", ".xls", ".ods")


def narrative_inputs(args: argparse.Namespace, own_output: Callable[[Path], str | None]) -> list[Path]:
    """The documents and workbooks named, and those under folders named (sorted; lock files and gongkai's outputs
    left out)."""
    out: list[Path] = []
    for p in map(Path, args.paths):
        if p.is_dir():
            out += [
                f for f in sorted(p.rglob("*"))
                if f.is_file() and f.suffix.lower() in NARRATIVE_SUFFIXES and not f.name.startswith(("~$", ".~"))
                and not own_output(f)
            ]
        else:
            out.append(p)
    return out


def run_narrative(
    args: argparse.Namespace, profile: Any, select: tuple[str, ...] | None, ignore: tuple[str, ...], shown: Any,
    own_output: Callable[[Path], str | None],
) -> int:
    """`check --text 说明` / `check --previous 上年文件|auto`: the tables and the 说明 text, one file after another.
    ``shown`` and ``own_output`` are `check`'s (passed in: this module is imported by it, not the other way)."""
    from ..pipeline import check_narrative_file, check_narrative_years
    from ._common import refuse, refuse_output

    paths = narrative_inputs(args, own_output)
    if not paths:
        return refuse("没有找到要检查的文件（.pdf .docx .xlsx .xlsm .xls .ods）")
    auto = (args.previous or "").lower() == "auto"
    if len(paths) != 1 and (args.text or (args.previous and not auto)):
        option = "--text" if args.text else "--previous"
        return refuse(f"{option} 只能配一个要检查的文件（现有 {len(paths)} 个）；多年份的文件夹请用 --previous auto")
    if args.text and auto:
        return refuse("--text 不能与 --previous auto 一起使用")
    if refuse_output(args.output, paths):
        return 2
    if auto:
        results = check_narrative_years(paths, profile, select, ignore)
    else:
        results = [check_narrative_file(paths[0], args.text, None if auto else args.previous, profile, select, ignore)]
    _write(args, results, False, shown)
    if args.annotate_dir:
        _annotate_narrative(paths, results, Path(args.annotate_dir))
    return exit_code(results)


def _annotate_narrative(paths: list[Path], results: list[FileResult], folder: Path) -> None:
    """Annotated copies of the workbooks with errors: marked cells, and the 说明 findings listed in 校验结果 with
    their sentence (a PDF or Word document has no workbook to mark)."""
    from ..batch import annotate_targets
    from ..write.annotate import MarkError, annotate

    for path, result, target in zip(paths, results, annotate_targets(paths, folder), strict=True):
        if result.status != "ok" or not result.errors:
            continue
        if path.suffix.lower() not in (".xlsx", ".xlsm"):
            print(f"未能标注 {path}：只能标注 .xlsx/.xlsm 工作簿", file=sys.stderr)
            continue
        try:
            print(f"已写出标注副本：{annotate(path, result.findings, target)}", file=sys.stderr)
        except (MarkError, OSError) as exc:
            print(f"未能标注 {path}：{exc}", file=sys.stderr)
