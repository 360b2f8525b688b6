"""Put the 公开表 ribbon (macros/customUI.xml) into a gongkai.xlam add-in; refuses the unmodified xlwings template.

An .xlam's VBA lives in a compiled binary (xl/vbaProject.bin) that only Excel writes, so the VBA part is made once
on Windows (docs/excel.md, "一次性的 Windows 构建步骤"): ``xlwings quickstart gongkai --addin --ribbon``; in its
xlwings module set ``PROJECT_NAME = "gongkai"``; rename the VBA project to gongkai and the sheet ``_myaddin.conf`` to
``_gongkai.conf``; remove RibbonMyAddin and import macros/GongkaiRibbon.bas; run ImportPythonUDFsToAddin; save. This script checks that work
(reading the VBA project's modules, without Excel) and writes the ribbon XML into a copy, deterministically (fixed
timestamps, same member order)::

    python macros/build_addin.py gongkai.xlam -o dist/gongkai.xlam
"""

from __future__ import annotations

import argparse
import io
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CUSTOM_UI = "customUI/customUI.xml"
VBA_PROJECT = "xl/vbaProject.bin"
STAMP = (2025, 1, 1, 0, 0, 0)
PROJECT = "gongkai"
RIBBON_MODULE = "GongkaiRibbon"
TEMPLATE_MODULE = "RibbonMyAddin"
UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
XL_MODULE = HERE.parent / "src" / "gongkai" / "xl.py"


def functions(source: Path = XL_MODULE) -> list[str]:
    """The GK_* cell functions gongkai.xl declares (read as text: this script does not import gongkai)."""
    return re.findall(r"^def (GK_\w+)\(", source.read_text(encoding="utf-8"), re.M)


# ----------------------------------------------------------------------------------------------------------
# reading a VBA project (MS-OVBA) without Excel
# ----------------------------------------------------------------------------------------------------------


def decompress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1: a compressed container (module source, the dir stream) → its bytes."""
    if not data or data[0] != 1:
        raise ValueError("not a compressed VBA container")
    out = bytearray()
    pos = 1
    while pos < len(data):
        header = int.from_bytes(data[pos : pos + 2], "little")
        end = min(pos + (header & 0x0FFF) + 3, len(data))
        pos += 2
        if not header & 0x8000:  # a raw chunk of 4096 bytes
            out += data[pos : pos + 4096]
            pos += 4096
            continue
        start = len(out)
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:  # a literal byte
                    out.append(data[pos])
                    pos += 1
                    continue
                token = int.from_bytes(data[pos : pos + 2], "little")  # a copy from what was decompressed
                pos += 2
                width = max((len(out) - start - 1).bit_length(), 4)
                offset = (token >> (16 - width)) + 1
                for _ in range((token & (0xFFFF >> width)) + 3):
                    out.append(out[-offset])
    return bytes(out)


def vba_project(xlam: Path) -> tuple[str, dict[str, str]]:
    """The VBA project's name and its modules' source (name → text) in an .xlam/.xlsm."""
    import olefile  # type: ignore[import-untyped]  # comes with msoffcrypto-tool (the test extra)

    with zipfile.ZipFile(xlam) as z:
        ole = olefile.OleFileIO(io.BytesIO(z.read(VBA_PROJECT)))
    try:
        directory = decompress(ole.openstream("VBA/dir").read())
        pos, codepage, name = 0, 1252, ""
        streams: list[tuple[bytes, int]] = []  # (stream name, offset of the source in the stream)
        while pos + 6 <= len(directory):
            rid, size = struct.unpack_from("<HI", directory, pos)
            pos += 6
            if rid == 0x0009:  # PROJECTVERSION: its size field says 4, six bytes follow
                size = 6
            data = directory[pos : pos + size]
            pos += size
            if rid == 0x0003:  # PROJECTCODEPAGE
                codepage = struct.unpack("<H", data)[0]
            elif rid == 0x0004:  # PROJECTNAME
                name = data.decode(f"cp{codepage}")
            elif rid == 0x001A:  # MODULESTREAMNAME
                streams.append((data, 0))
            elif rid == 0x0031 and streams:  # MODULEOFFSET
                streams[-1] = (streams[-1][0], struct.unpack("<I", data)[0])
        modules = {}
        for raw, offset in streams:
            module = raw.decode(f"cp{codepage}")
            stream = ole.openstream(f"VBA/{module}").read()
            modules[module] = decompress(stream[offset:]).decode(f"cp{codepage}", "replace")
    finally:
        ole.close()
    return name, modules


def sheet_names(xlam: Path) -> list[str]:
    with zipfile.ZipFile(xlam) as z:
        root = ET.fromstring(z.read("xl/workbook.xml"))
    return [s.get("name", "") for s in root.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet")]


# ----------------------------------------------------------------------------------------------------------
# what a finished gongkai.xlam holds
# ----------------------------------------------------------------------------------------------------------


def callbacks(ribbon: bytes) -> list[str]:
    """The ribbon buttons' onAction macros ("Module.Sub")."""
    return [b.get("onAction", "") for b in ET.fromstring(ribbon).iter(f"{UI}button")]


def problems(project: str, modules: dict[str, str], sheets: list[str], ribbon: bytes,
             reference: str | None = None) -> list[str]:
    """Why a VBA project is not (yet) the gongkai add-in; [] when it is. ``reference``: GongkaiRibbon.bas."""
    reference = reference if reference is not None else (HERE / f"{RIBBON_MODULE}.bas").read_text(encoding="utf-8")
    out = []
    if TEMPLATE_MODULE in modules:
        out.append(f"module {TEMPLATE_MODULE} of the xlwings template is still there: remove it")
    if project != PROJECT:
        out.append(f'the VBA project is named "{project}": rename it to "{PROJECT}"')
    constant = re.search(r'PROJECT_NAME As String = "([^"]*)"', modules.get("xlwings", ""))
    if constant is None:
        out.append("no xlwings module with PROJECT_NAME: start from `xlwings quickstart gongkai --addin --ribbon`")
    elif constant.group(1) != PROJECT:
        out.append(f'PROJECT_NAME is "{constant.group(1)}" in the xlwings module: set it to "{PROJECT}"')
    template_sheets = [s for s in sheets if s.lstrip("_").startswith("myaddin")]
    if template_sheets:
        out.append(f"sheet {template_sheets[0]} of the template: rename it to _{PROJECT}.conf")
    wrapped = {m for text in modules.values() for m in re.findall(r"^Function (GK_\w+)\(", text, re.M)}
    missing = [f for f in functions() if f not in wrapped]
    if missing:
        out.append(f"functions not imported ({', '.join(missing)}): run ImportPythonUDFsToAddin")
    ribbon_code = modules.get(RIBBON_MODULE)
    if ribbon_code is None:
        out.append(f"no module {RIBBON_MODULE}: import macros/{RIBBON_MODULE}.bas")
        return out
    for action in callbacks(ribbon):
        module, _, sub = action.partition(".")
        body = modules.get(module, "")
        if not re.search(rf"^Sub {re.escape(sub)}\(control As IRibbonControl\)", body, re.M):
            out.append(f"the ribbon calls {action}, which is not a Sub(control As IRibbonControl) in the add-in")
    for call in re.findall(r'^\s*RunPython ".*"\s*$', reference, re.M):
        if call.strip() not in (line.strip() for line in ribbon_code.splitlines()):
            out.append(f"{RIBBON_MODULE} differs from macros/{RIBBON_MODULE}.bas (missing: {call.strip()}): re-import it")
    return out


def check(base: Path, ribbon: Path = HERE / "customUI.xml") -> list[str]:
    """problems() of an .xlam file."""
    with zipfile.ZipFile(base) as z:
        names = z.namelist()
    if CUSTOM_UI not in names:
        return [f"no {CUSTOM_UI}: start from `xlwings quickstart gongkai --addin --ribbon`"]
    if VBA_PROJECT not in names:
        return ["no VBA project"]
    project, modules = vba_project(base)
    return problems(project, modules, sheet_names(base), ribbon.read_bytes())


def write(base: Path, target: Path, ribbon: Path = HERE / "customUI.xml") -> Path:
    """Copy ``base`` to ``target`` with its ribbon XML replaced by ``ribbon`` (fixed timestamps and order)."""
    xml = ribbon.read_bytes()
    with zipfile.ZipFile(base) as src:
        target.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for name in src.namelist():
                info = zipfile.ZipInfo(name, STAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, xml if name == CUSTOM_UI else src.read(name))
    return target


def build(base: Path, target: Path, ribbon: Path = HERE / "customUI.xml") -> Path:
    """Check ``base`` (SystemExit naming every problem) and write the add-in."""
    found = check(base, ribbon)
    if found:
        raise SystemExit(f"{base} is not the gongkai add-in yet (docs/excel.md):\n" + "\n".join(f"- {p}" for p in found))
    return write(base, target, ribbon)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("base", type=Path, help="the .xlam made on Windows, with GongkaiRibbon imported")
    parser.add_argument("-o", "--output", type=Path, default=Path("dist/gongkai.xlam"))
    args = parser.parse_args(argv)
    print(build(args.base, args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
