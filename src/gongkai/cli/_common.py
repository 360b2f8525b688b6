"""Helpers the subcommands share: printing, output files, profile loading."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, cols: int) -> str:
    return text + " " * max(cols - width(text), 0)


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """A plain aligned text table (no dependency; fine in any terminal and in logs)."""
    cols = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(str(h), c) for h, c in zip(header, cols, strict=True)).rstrip()]
    lines.append("  ".join("-" * c for c in cols))
    lines += ["  ".join(pad(str(v), c) for v, c in zip(r, cols, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def dump_json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def emit(text: str, output: str | None) -> None:
    """Print, or write atomically to ``output``."""
    if output:
        from ..write.workbook import atomic_path

        with atomic_path(output) as tmp:
            Path(tmp).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


def add_profile(p: argparse.ArgumentParser) -> None:
    p.add_argument("--profile", metavar="NAME|FILE", default=None, help="配置：内置名称（default、sichuan）或 .toml 文件")


def load_profile(args: argparse.Namespace) -> Any:
    from ..core.profile import ProfileError, load

    try:
        return load(args.profile)
    except ProfileError as exc:
        print(f"gongkai: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
