"""Start-up: the cold `gongkai` a clerk's 校验 button waits for, process start to exit, against a bare interpreter.

    python bench/startup.py [--runs N] [--file WORKBOOK] [--imports] [--json OUT]

Fresh processes, interleaved run by run (every command sees the same load), median and minimum of ``--runs``:

* ``python -c pass``: the interpreter alone (the floor);
* ``python -c "import gongkai.pipeline"``: the check path's imports;
* ``gongkai --help``;
* ``gongkai check FILE -q`` with bytecode (as installed: ``__pycache__`` written and current);
* the same from source: run with ``python -B`` (PYTHONDONTWRITEBYTECODE), so every gongkai module is compiled
  again in every run while the standard library and the other packages keep their bytecode.

gongkai runs from two copies of its sources in a temporary folder (on PYTHONPATH): one whose ``__pycache__`` the
warm-up run writes, one that never has any. The checkout's own ``__pycache__`` is neither used nor touched (this
workplace sets PYTHONDONTWRITEBYTECODE, so a checkout run is always from source).

FILE defaults to workbooks/examples/budget-example.xlsx. ``--imports`` adds the modules that cost the most to import
in one ``gongkai check FILE`` (``python -X importtime``, own time, from the bytecode run). Prints a markdown table for
the README with the date and the load average.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "workbooks" / "examples" / "budget-example.xlsx"
TARGETS = {"help": 150.0, "check (from source)": 400.0}


def commands(python: str, script: str, sample: Path, tmp: Path) -> dict[str, tuple[list[str], dict[str, str]]]:
    """name → (argv, extra environment)."""
    plain = {"PYTHONPATH": str(source_copy(tmp / "bytecode"))}
    from_source = {"PYTHONPATH": str(source_copy(tmp / "source")), "PYTHONDONTWRITEBYTECODE": "1"}
    return {
        "python -c pass": ([python, "-c", "pass"], plain),
        "import gongkai.pipeline": ([python, "-c", "import gongkai.pipeline"], plain),
        "help": ([python, script, "--help"], plain),
        "check (bytecode)": ([python, script, "check", str(sample), "-q"], plain),
        "check (from source)": ([python, "-B", script, "check", str(sample), "-q"], from_source),
    }


def source_copy(folder: Path) -> Path:
    """gongkai's package copied into ``folder`` without any ``__pycache__``; the folder to put on PYTHONPATH."""
    shutil.copytree(ROOT / "src" / "gongkai", folder / "gongkai", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return folder


def measure(cmds: dict[str, tuple[list[str], dict[str, str]]], runs: int) -> dict[str, dict[str, float]]:
    base = {**os.environ, "GONGKAI_NO_PROGRESS": "1"}
    for name in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE", "PYTHONPATH"):
        base.pop(name, None)
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for argv, extra in cmds.values():  # warm-up: the OS file cache, the checkout's bytecode
        subprocess.run(argv, capture_output=True, env={**base, **extra}, check=False)
    for _ in range(runs):
        for name, (argv, extra) in cmds.items():
            start = time.perf_counter()
            subprocess.run(argv, capture_output=True, env={**base, **extra}, check=False)
            times[name].append((time.perf_counter() - start) * 1000)
    return {k: {"median_ms": statistics.median(v), "min_ms": min(v)} for k, v in times.items()}


def imports(python: str, script: str, sample: Path, env: dict[str, str], top: int = 15) -> list[tuple[str, float]]:
    """The modules with the largest own import time in one ``gongkai check`` (ms)."""
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONPYCACHEPREFIX", "PYTHONDONTWRITEBYTECODE")}
    out = subprocess.run(
        [python, "-X", "importtime", script, "check", str(sample), "-q"], capture_output=True, text=True, check=False,
        env={**base, **env, "GONGKAI_NO_PROGRESS": "1"},
    )
    rows = []
    for line in out.stderr.splitlines():
        if line.startswith("import time:") and "|" in line and "self" not in line:
            own, _, name = line.removeprefix("import time:").split("|")
            rows.append((name.strip(), int(own) / 1000))
    return sorted(rows, key=lambda r: -r[1])[:top]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--file", type=Path, default=EXAMPLE)
    ap.add_argument("--imports", action="store_true", help="also list the costliest imports of one check")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    args = ap.parse_args()

    python = sys.executable
    script = shutil.which("gongkai", path=str(Path(python).parent)) or str(Path(python).with_name("gongkai"))
    with tempfile.TemporaryDirectory(prefix="gongkai-startup-") as tmp:
        cmds = commands(python, script, args.file.resolve(), Path(tmp))
        load = os.getloadavg()[0]
        result = measure(cmds, args.runs)
        load_end = os.getloadavg()[0]
        slow = imports(python, script, args.file.resolve(), cmds["check (bytecode)"][1]) if args.imports else []

    today = datetime.date.today().isoformat()
    print(f"{today}, {os.cpu_count()} cores, load average {load:.1f} at start and {load_end:.1f} at the end; "
          f"fresh processes, median (min) of {args.runs}, `{args.file.name}`\n")
    print("| cold start | median ms | min ms | target |")
    print("|---|---:|---:|---|")
    for name, r in result.items():
        target = TARGETS.get(name)
        verdict = (f"≤ {target:.0f} ms {'✓' if r['median_ms'] <= target else '✗'}") if target else ""
        label = f"`gongkai {name}`" if name.startswith(("help", "check")) else f"`{name}`"
        label = label.replace("`gongkai help`", "`gongkai --help`").replace(" (", "` (").replace(")`", ")")
        print(f"| {label} | {r['median_ms']:.0f} | {r['min_ms']:.0f} | {verdict} |")
    if slow:
        print("\nCostliest imports of one check (own time, ms): " + ", ".join(f"{n} {ms:.1f}" for n, ms in slow))
    if args.json:
        args.json.write_text(json.dumps({"date": today, "load": [load, load_end], "runs": args.runs, "cold": result,
                                         "imports": slow}, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
