"""The release assets a clerk needs, from one command, into dist/ (no package index needed to install them).

    python macros/release.py [--out dist] [--base-url https://intranet.example/gongkai] [--xlam gongkai.xlam]

1. builds the wheel and the sdist (``python -m build``) and checks both (``twine check --strict``), and checks that
   the wheel holds every data file of the package (code lists, profiles);
2. writes into ``--out``: the wheel and the sdist; ``gongkai.conf`` (the add-in's settings); the ribbon XML
   ``customUI.xml`` and the VBA module ``GongkaiRibbon.bas``; the xlwings Lite entry ``main.py`` and its
   ``requirements.txt``, which names xlwings and the wheel at ``--base-url`` (where the wheel will be served, e.g.
   an intranet web server that sends CORS headers, see docs/excel.md); the Chinese install guide ``excel.md``;
   ``gongkai.xlam`` when ``--xlam`` names the add-in finished on Windows (macros/build_addin.py checks it first);
   and ``SHA256SUMS``.

Nothing here imports gongkai: it packages the source tree it sits in. Every file is written whole or not at all.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
XLWINGS = "0.37.8"
"""The xlwings the tests run (tests/test_macros.py checks it against the installed one and pyproject.toml)."""
PLACEHOLDER = "https://intranet.example/gongkai"
COPIED = {  # asset name → source
    "gongkai.conf": HERE / "gongkai.conf",
    "customUI.xml": HERE / "customUI.xml",
    "GongkaiRibbon.bas": HERE / "GongkaiRibbon.bas",
    "main.py": HERE / "lite" / "main.py",
    "excel.md": ROOT / "docs" / "excel.md",
}
WRITTEN = ("requirements.txt", "gongkai.xlam", "SHA256SUMS")


def run(*command: str, cwd: Path = ROOT) -> None:
    """Run a tool; on failure print its output's tail and stop."""
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        sys.stderr.write((proc.stdout + proc.stderr)[-4000:])
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(command)}")


def build_dists(into: Path, isolation: bool = True) -> tuple[Path, Path]:
    """``python -m build`` the source tree into ``into``; ``twine check`` both; (wheel, sdist)."""
    run(sys.executable, "-m", "build", "--outdir", str(into), *([] if isolation else ["--no-isolation"]), str(ROOT))
    wheels, sdists = sorted(into.glob("gongkai-*.whl")), sorted(into.glob("gongkai-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise SystemExit(f"expected one wheel and one sdist in {into}, found {[p.name for p in into.iterdir()]}")
    run(sys.executable, "-m", "twine", "check", "--strict", str(wheels[0]), str(sdists[0]))
    return wheels[0], sdists[0]


DATA = ("core/data/*.csv", "core/profiles/*.toml")
"""The package's data files (the code lists and the provincial profiles) that gongkai reads at run time."""


def missing_data(wheel: Path, package: Path = ROOT / "src" / "gongkai") -> list[str]:
    """Data files of the source tree (``DATA``) that the wheel lacks."""
    with zipfile.ZipFile(wheel) as z:
        held = set(z.namelist())
    wanted = [p for pattern in DATA for p in sorted(package.glob(pattern))]
    return [n for n in (f"gongkai/{p.relative_to(package).as_posix()}" for p in wanted) if n not in held]


def requirements(wheel_name: str, base_url: str) -> str:
    """xlwings Lite's requirements.txt: xlwings pinned, gongkai as the wheel's URL (micropip installs a URL)."""
    return (
        "# xlwings Lite：把本文件的内容粘贴到 xlwings Lite 编辑器的 requirements.txt 标签页。\n"
        "# gongkai 的安装包（wheel）放在下面的网址上；该服务器须允许跨域访问（CORS），见 excel.md。\n"
        "# pandas、pydantic 由 Pyodide 提供，openpyxl 等纯 Python 包从软件源安装；python-calamine 在浏览器中不需要。\n"
        f"xlwings=={XLWINGS}\n"
        f"{base_url.rstrip('/')}/{wheel_name}\n"
    )


def _write(path: Path, data: bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, then renamed over it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_assets(wheel: Path, sdist: Path, out: Path, base_url: str, xlam: Path | None = None) -> list[Path]:
    """The clerk's assets in ``out`` (older gongkai wheels and sdists there removed); the files written."""
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("gongkai-*.whl"), *out.glob("gongkai-*.tar.gz")]:
        if old.name not in (wheel.name, sdist.name):
            old.unlink()
    files = {wheel.name: wheel.read_bytes(), sdist.name: sdist.read_bytes()}
    files |= {name: source.read_bytes() for name, source in COPIED.items()}
    files["requirements.txt"] = requirements(wheel.name, base_url).encode("utf-8")
    if xlam is not None:
        sys.path.insert(0, str(HERE))
        import build_addin

        with tempfile.TemporaryDirectory() as tmp:
            files["gongkai.xlam"] = build_addin.build(xlam, Path(tmp) / "gongkai.xlam").read_bytes()
    elif (out / "gongkai.xlam").exists():
        (out / "gongkai.xlam").unlink()  # an add-in of an earlier release must not pass for this one's
    files["SHA256SUMS"] = "".join(f"{hashlib.sha256(d).hexdigest()}  {n}\n" for n, d in sorted(files.items())).encode()
    for name, data in files.items():
        _write(out / name, data)
    return [out / name for name in files]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the assets go (default dist/)")
    parser.add_argument("--base-url", default=os.environ.get("GONGKAI_WHEEL_BASE_URL", PLACEHOLDER),
                        help="the URL the wheel will be served from, for Lite's requirements.txt "
                             "(default $GONGKAI_WHEEL_BASE_URL, else a placeholder)")
    parser.add_argument("--xlam", type=Path, help="the gongkai.xlam finished on Windows (see macros/build_addin.py)")
    parser.add_argument("--no-isolation", action="store_true", help="build with the installed setuptools")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        wheel, sdist = build_dists(Path(tmp), isolation=not args.no_isolation)
        lacking = missing_data(wheel)
        if lacking:
            raise SystemExit(f"the wheel lacks package data: {lacking} (see [tool.setuptools.package-data])")
        written = write_assets(wheel, sdist, args.out, args.base_url, args.xlam)
    for path in written:
        print(f"{path.stat().st_size:>9}  {path}")
    if args.base_url == PLACEHOLDER:
        print(f"note: requirements.txt points at the placeholder {PLACEHOLDER}; pass --base-url", file=sys.stderr)
    if args.xlam is None:
        print("note: no gongkai.xlam (it is finished once on Windows: docs/excel.md); pass --xlam", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
