"""The stages of one check in machine instructions (valgrind's callgrind), as ratios to python-calamine's bare load.

    python bench/instructions.py [FILE.xlsx ...] [--src DIR] [--stages NAME,...]

Timings on a shared VM move by tens of per cent from one minute to the next; instruction counts do not (the same
count twice, whatever else the machine is doing). For each workbook (default: the three of `bench/stages.py`) and
each stage, the script runs a small program under ``valgrind --tool=callgrind`` twice, doing the stage once and
four times after the same warm-up, and takes a third of the difference: the instructions of one more run of the
stage, start-up and imports cancelled out. Stages: calamine's bare load, read_workbook, recognize, all rules (on a
book recognised outside the difference), check_file. ``--src`` points at another copy of gongkai's ``src`` (an
older commit, for a before/after in one run). The collector runs as in `gongkai check` (`cli._common.release_gc`, called here too:
what the set-up made frozen, the youngest generation collected every 20,000 allocations), so a stage's count does not
include walks over the books the harness holds. Instructions are not time (a Python step costs more cycles than one
of calamine's), so the ratios here are lower than `bench/stages.py`'s; they move only when the code does.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

STAGES = ("calamine bare load", "read_workbook", "recognize", "rules", "check_file")

PROGRAM = """
import sys
sys.path.insert(0, {bench!r})
from pathlib import Path
from run import calamine_load
from gongkai import checks
from gongkai.core.profile import Profile
from gongkai.pipeline import check_file
from gongkai.read import read_workbook
from gongkai.recognize import recognize
stage, path, n = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
profile = Profile()
check_file(path)
calamine_load(path)
sheets = read_workbook(path)
books = [recognize(sheets) for _ in range(4)] if stage == "rules" else []
from gongkai.cli._common import hold_gc, release_gc
hold_gc(); release_gc()  # the collector as `gongkai check` leaves it: imports and prepared books never walked again
for i in range(n):
    if stage == "calamine bare load":
        calamine_load(path)
    elif stage == "read_workbook":
        read_workbook(path)
    elif stage == "recognize":
        recognize(sheets)
    elif stage == "rules":
        checks.run(books[i], profile)
    else:
        check_file(path)
"""


def instructions(program: Path, stage: str, path: Path, runs: int, src: Path) -> int:
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, str(program), stage, str(path), str(runs)],
        capture_output=True, text=True, env=env, check=True,
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if found is None:
        raise SystemExit(f"callgrind printed no count:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def per_run(program: Path, stage: str, path: Path, src: Path) -> float:
    return (instructions(program, stage, path, 4, src) - instructions(program, stage, path, 1, src)) / 3


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--src", type=Path, default=HERE.parent / "src", help="the gongkai sources to measure")
    ap.add_argument("--stages", default=",".join(STAGES), help="which stages (calamine's load is always measured)")
    args = ap.parse_args()
    stages = ["calamine bare load", *(s for s in STAGES if s != "calamine bare load" and s in args.stages.split(","))]
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.files:
            books = [(p.name, p) for p in args.files]
        else:
            from stages import workbooks

            books = workbooks(folder)
        program = folder / "stage.py"
        program.write_text(PROGRAM.format(bench=str(HERE)), encoding="utf-8")
        table = {name: {s: per_run(program, s, path, args.src.resolve()) for s in stages} for name, path in books}
    names = list(table)
    print(f"instructions per run (callgrind), millions (x calamine's bare load); sources: {args.src}\n")
    print("| stage | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for s in stages:
        cells = [f"{table[n][s] / 1e6:.1f} M ({table[n][s] / table[n]['calamine bare load']:.2f}x)" for n in names]
        print(f"| {s} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
