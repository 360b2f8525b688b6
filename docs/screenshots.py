"""Regenerate every screenshot of the user guide (docs/使用说明.md) from real gongkai output.

    .venv/bin/python docs/screenshots.py            # all images into docs/images/
    .venv/bin/python docs/screenshots.py 校验-终端.png 规则说明.png    # only these

Each image in ``IMAGES`` is made from a fresh run on the shipped examples (``workbooks/examples/``), in a throwaway
folder where the errors example is copied as 预算公开表.xlsx (the name the guide uses):

- terminal output (``gongkai check``, ``gongkai rules --explain``): the real CLI runs on a pseudo-terminal, so its
  colours and its wrapping to ``COLUMNS`` are what a clerk sees; the ANSI text becomes an HTML page (every character
  as wide as the CLI counts it) that headless Chromium photographs;
- the HTML report: the file ``gongkai check --format html`` writes, photographed by headless Chromium;
- workbooks (the annotated copy, a filled workbook, a blank template): LibreOffice prints them to PDF (as
  tests/test_printing.py does), ``pdftoppm`` renders the page that holds the sheet, cropped to what is printed.

Needs chromium (or google-chrome), LibreOffice (soffice), poppler-utils (pdftoppm, pdftotext) and Pillow (installed
with pdfplumber). The images are whole-file rewrites; nothing else is touched. A test (tests/test_screenshots.py)
checks that ``IMAGES`` lists exactly the images the guide references.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "images"
EXAMPLES = ROOT / "workbooks" / "examples"
WORKBOOK = "预算公开表.xlsx"  # what the guide calls the errors example
COLUMNS = 130  # the terminal the check output is fitted to (the 说明 column wraps)
DPI = 110  # workbook pages: readable cell text, small files

# --- running gongkai ------------------------------------------------------------------------------------


def gongkai_argv() -> list[str]:
    """The installed CLI next to this interpreter (the venv's), else ``python -m gongkai``."""
    exe = Path(sys.executable).with_name("gongkai")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "gongkai"]


def run(args: Sequence[str], cwd: Path) -> None:
    done = subprocess.run([*gongkai_argv(), *args], cwd=cwd, capture_output=True, text=True, timeout=600)
    if done.returncode not in (0, 1):  # 1: errors found, which the examples are made to have
        raise SystemExit(f"gongkai {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")


def on_terminal(args: Sequence[str], cwd: Path, columns: int = COLUMNS) -> str:
    """What ``gongkai ARGS`` prints to a colour terminal ``columns`` wide (stdout a pty; stderr, the progress bar, not)."""
    import fcntl  # POSIX only, like the pseudo-terminal
    import pty
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI")}
    env.update(COLUMNS=str(columns), TERM="xterm-256color", GONGKAI_NO_PROGRESS="1", PYTHONIOENCODING="utf-8")
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*gongkai_argv(), *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=slave, stderr=err, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 1 << 16)
            except OSError:  # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        code = proc.wait(timeout=600)
        if code not in (0, 1):
            err.seek(0)
            raise SystemExit(f"gongkai {' '.join(args)} failed ({code}):\n{err.read().decode('utf-8', 'replace')}")
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


# --- terminal text → HTML → PNG -------------------------------------------------------------------------

PALETTE = {"31": "#f0716a", "32": "#4ec98f", "33": "#e5c07b", "36": "#56b6c2"}
TERMINAL_CSS = """
html,body{margin:0;padding:0;background:#fff}
.win{display:inline-block;background:#1e1e1e;color:#d4d4d4;border-radius:6px;overflow:hidden;margin:0}
.bar{background:#3c3c3c;color:#ccc;font:13px "DejaVu Sans","WenQuanYi Zen Hei",sans-serif;padding:7px 12px}
pre{margin:0;padding:12px 16px 16px;font:15px/1.4 "WenQuanYi Zen Hei Mono","DejaVu Sans Mono",monospace}
.w1,.w2{display:inline-block;text-align:center;overflow:visible}.w1{width:1ch}.w1 i{font:inherit;font-style:normal;font-family:"DejaVu Sans Mono",monospace}.w2{width:2ch}
.prompt{color:#9cdcfe}
"""


def ansi_html(text: str, columns: int = COLUMNS) -> str:
    """ANSI SGR text as HTML spans; every non-ASCII character boxed as wide as gongkai counts it (CJK two columns),
    so the columns line up exactly as in a terminal whatever fallback font draws the glyph. A line longer than
    ``columns`` wraps where a terminal would wrap it."""
    if str(ROOT / "src") not in sys.path:  # run from a checkout without gongkai installed
        sys.path.insert(0, str(ROOT / "src"))
    from gongkai.cli._common import width

    out: list[str] = []
    colour, bold, col = None, False, 0
    for piece in re.split(r"(\x1b\[[0-9;]*m)", text):
        code = re.fullmatch(r"\x1b\[([0-9;]*)m", piece)
        if code:
            for p in (code.group(1) or "0").split(";"):
                if p in ("", "0"):
                    colour, bold = None, False
                elif p == "1":
                    bold = True
                elif p in PALETTE:
                    colour = PALETTE[p]
            continue
        if not piece:
            continue
        chars = []
        for ch in piece:
            w = 0 if ch == "\n" else width(ch)
            if col + w > columns:
                chars.append("\n")
                col = 0
            col = 0 if ch == "\n" else col + w
            glyph = f"<i>{html.escape(ch)}</i>" if w == 1 else html.escape(ch)  # a narrow glyph for ≠ and …
            chars.append(html.escape(ch) if ord(ch) < 128 else f'<span class="w{w}">{glyph}</span>')
        style = (f"color:{colour};" if colour else "") + ("font-weight:bold;" if bold else "")
        joined = "".join(chars)
        out.append(f'<span style="{style}">{joined}</span>' if style else joined)
    return "".join(out)


def terminal_page(command: str, output: str) -> str:
    body = f'<span class="prompt">$</span> {ansi_html(command)}\n{ansi_html(output.rstrip())}'
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><style>{TERMINAL_CSS}</style></head><body>'
        f'<div class="win"><div class="bar">{html.escape(command)}</div><pre>{body}</pre></div></body></html>'
    )


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    raise SystemExit("headless Chromium is needed (apt-get install chromium)")


def photograph(page: Path, png: Path, size: tuple[int, int]) -> None:
    """Headless Chromium's screenshot of ``page`` in a window of ``size`` pixels."""
    subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
         f"--window-size={size[0]},{size[1]}", f"--screenshot={png}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )


def terminal_png(command: str, output: str, png: Path, work: Path) -> None:
    page = work / (png.stem + ".html")
    page.write_text(terminal_page(command, output), encoding="utf-8")
    shot = work / png.name
    photograph(page, shot, (1800, 2400))
    crop(shot, png, margin=0)  # the white page around the terminal window goes


# --- images ---------------------------------------------------------------------------------------------


def crop(src: Path, dest: Path, *, margin: int = 12, height: int | None = None, width: int | None = None) -> None:
    """Cut ``src`` to its non-white content (at most ``height`` by ``width`` pixels of it from its top left, ending on a
    table border), framed by ``margin`` white pixels; write the PNG to ``dest`` (a palette of at most 256 colours keeps it small)."""
    from PIL import Image, ImageChops, ImageOps

    with Image.open(src) as img:
        rgb = img.convert("RGB")
    box = ImageChops.difference(rgb, Image.new("RGB", rgb.size, (255, 255, 255))).getbbox()
    if box is None:
        raise SystemExit(f"{src.name} is blank")
    left, upper, right, lower = box
    grey = rgb.convert("L").point(lambda v: 255 if v < 160 else 0)  # ink: text and cell borders
    if height is not None and upper + height < lower:  # end on the table's last whole row (a border line)
        lower = _last_line(grey, upper + height, upper, lambda y: grey.crop((left, y, right, y + 1)), right - left)
    if width is not None and left + width < right:  # end on the border of the last whole column
        right = _last_line(grey, left + width, left, lambda x: grey.crop((x, upper, x + 1, lower)), lower - upper)
    rgb = ImageOps.expand(rgb.crop((left, upper, right, lower)), border=margin, fill=(255, 255, 255))
    colours = rgb.getcolors(256)
    image = rgb.quantize(256) if colours is None else rgb.convert("P", palette=Image.Palette.ADAPTIVE, colors=len(colours))
    tmp = dest.with_name(dest.name + ".tmp")
    image.save(tmp, format="PNG", optimize=True)
    os.replace(tmp, dest)


def _last_line(grey: object, start: int, stop: int, strip: Callable[[int], object], length: int) -> int:
    """The last position at or before ``start`` whose strip is mostly ink (a border drawn across the table)."""
    for pos in range(start, stop, -1):
        if (strip(pos).histogram()[255] or 0) > 0.6 * length:  # type: ignore[attr-defined]
            return pos + 1
    return start


def pdf_of(workbook: Path, work: Path) -> Path:
    """LibreOffice's print of ``workbook`` (every sheet, its own page setup) as PDF."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise SystemExit("LibreOffice is needed (apt-get install libreoffice-calc)")
    profile = work / "lo-profile"
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(workbook)],
        check=True, capture_output=True, timeout=600,
    )
    return work / (workbook.stem + ".pdf")


def page_png(
    pdf: Path, holds: Callable[[str], bool], png: Path, work: Path, *, dpi: int = DPI,
    height: float | None = None, width: float | None = None,
) -> None:
    """Render the first page of ``pdf`` whose text ``holds`` at ``dpi``, cropped to its print (at most ``height`` by
    ``width`` points of it, from the top left)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    number = next((i + 1 for i, t in enumerate(text.split("\f")) if holds(t)), None)
    if number is None:
        raise SystemExit(f"{png.name}: no page of {pdf.name} holds the sheet")
    stem = work / png.stem
    subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-png", "-singlefile", str(pdf), str(stem)], check=True)
    px = dpi / 72
    crop(
        stem.with_suffix(".png"), png, margin=round(8 * px),
        height=None if height is None else round(height * px), width=None if width is None else round(width * px),
    )


# --- the guide's images ---------------------------------------------------------------------------------


def check_terminal(work: Path, png: Path) -> None:
    terminal_png(f"gongkai check {WORKBOOK}", on_terminal(["check", WORKBOOK], work), png, work)


def rules_explain(work: Path, png: Path) -> None:
    terminal_png("gongkai rules --explain S101", on_terminal(["rules", "--explain", "S101"], work), png, work)


def html_report(work: Path, png: Path) -> None:
    run(["check", WORKBOOK, "--format", "html", "-o", "校验报告.html"], work)
    shot = work / png.name
    photograph(work / "校验报告.html", shot, (1400, 1500))
    crop(shot, png, margin=16, height=1400)


def annotated(work: Path) -> Path:
    copy = work / "预算公开表-校验结果.xlsx"
    if not copy.exists():
        run(["annotate", WORKBOOK, "-o", copy.name], work)
    return copy


def _pdf(workbook: Path, work: Path) -> Path:
    pdf = work / (workbook.stem + ".pdf")
    return pdf if pdf.exists() else pdf_of(workbook, work)


def results_sheet(work: Path, png: Path) -> None:
    pdf = _pdf(annotated(work), work)
    page_png(pdf, lambda t: "相关单元格" in t and "序号" in t, png, work)


def red_cells(work: Path, png: Path) -> None:
    """The top of 表2-1 in the annotated copy: the red 小计 of rows 6 to 8 (H8 typed over its formula)."""
    pdf = _pdf(annotated(work), work)
    title = "财政拨款支出预算表（部门经济分类科目）"
    page_png(pdf, lambda t: title in t, png, work, dpi=150, height=165, width=440)


def filled(work: Path, png: Path) -> None:
    """表1 of the workbook filled from the example line items: 收入总计 equal to 支出总计."""
    out = work / "填好的公开表.xlsx"
    run(["fill", str(EXAMPLES / "line-items.xlsx"), "-o", out.name], work)
    page_png(_pdf(out, work), lambda t: t.lstrip().startswith("表1\n") and "部门收支总表" in t, png, work)


def template(work: Path, png: Path) -> None:
    folder = work / "模板"
    run(["template", "--out", str(folder)], work)
    page_png(_pdf(folder / "budget-set.xlsx", work), lambda t: "三公" in t and "经费支出预算表" in t and "表3-3" in t, png, work)


IMAGES: dict[str, Callable[[Path, Path], None]] = {
    "校验-终端.png": check_terminal,
    "规则说明.png": rules_explain,
    "校验报告-html.png": html_report,
    "标注-校验结果表.png": results_sheet,
    "标注-标红的单元格.png": red_cells,
    "填报-部门收支总表.png": filled,
    "模板-三公经费表.png": template,
}
"""Every image docs/使用说明.md shows, and how it is made (tests/test_screenshots.py: the same set as the guide's)."""


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("names", nargs="*", help=f"images to make (default all): {', '.join(IMAGES)}")
    p.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs (default docs/images)")
    args = p.parse_args(argv)
    unknown = [n for n in args.names if n not in IMAGES]
    if unknown:
        p.error(f"unknown images {unknown}; known: {list(IMAGES)}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-shots-") as tmp:
        work = Path(tmp)
        shutil.copyfile(EXAMPLES / "budget-example-errors.xlsx", work / WORKBOOK)
        for name in args.names or IMAGES:
            IMAGES[name](work, args.out / name)
            with contextlib.suppress(OSError):
                print(f"{name}: {(args.out / name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
