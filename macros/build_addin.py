"""Put the 公开表 ribbon (macros/customUI.xml) into a gongkai.xlam add-in; reproducible on any OS.

An .xlam's VBA lives in a compiled binary (xl/vbaProject.bin) that only Excel writes, so the VBA part is made once
on Windows (docs/excel.md, "Building the add-in"): ``xlwings quickstart gongkai --addin --ribbon``, set
``PROJECT_NAME = "gongkai"`` in its xlwings module, replace RibbonMyAddin by macros/GongkaiRibbon.bas, save.
This script then writes the ribbon XML into that file, deterministically (fixed timestamps, same member order)::

    python macros/build_addin.py gongkai.xlam -o dist/gongkai.xlam
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CUSTOM_UI = "customUI/customUI.xml"
STAMP = (2025, 1, 1, 0, 0, 0)


def build(base: Path, target: Path, ribbon: Path = HERE / "customUI.xml") -> Path:
    """Copy ``base`` to ``target`` with its ribbon XML replaced by ``ribbon``."""
    xml = ribbon.read_bytes()
    with zipfile.ZipFile(base) as src:
        names = src.namelist()
        if CUSTOM_UI not in names:
            raise SystemExit(f"{base} has no {CUSTOM_UI}: start from `xlwings quickstart gongkai --addin --ribbon`")
        if "xl/vbaProject.bin" not in names:
            raise SystemExit(f"{base} holds no VBA project")
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name in names:
                info = zipfile.ZipInfo(name, STAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, xml if name == CUSTOM_UI else src.read(name))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path, help="the .xlam made on Windows, with GongkaiRibbon imported")
    parser.add_argument("-o", "--output", type=Path, default=Path("dist/gongkai.xlam"))
    args = parser.parse_args(argv)
    print(build(args.base, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
