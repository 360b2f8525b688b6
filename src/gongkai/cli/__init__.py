"""The `gongkai` command: argparse subcommands, one module each; heavy libraries are imported only when used.

Exit codes: 0 no errors; 1 errors found; 2 bad usage or a file that could not be read.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from .. import __version__

COMMANDS = ("tables", "check", "annotate", "rules", "template", "fill", "export")
"""Subcommand modules in this package; each has ``add(subparsers)`` and ``run(args) -> int``."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gongkai",
        description="部门预算/决算公开表：识别、勾稽校验、填表与导出。",
        epilog="退出码：0 无错误；1 发现错误；2 用法错误或有文件无法读取。",
    )
    p.add_argument("--version", action="version", version=f"gongkai {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:  # a command still being written in this checkout
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        module.add(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script exits with it)."""
    p = parser()
    args = p.parse_args(argv)
    if not getattr(args, "command", None):
        p.print_help()
        return 2
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
