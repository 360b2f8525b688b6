"""Where the time of one `gongkai check` goes, stage by stage, as a ratio to python-calamine's bare load in the same run.

    python bench/stages.py [FILE.xlsx ...] [--repeat N] [--profile] [--json OUT]

Without files it builds the three workbooks of issue 18 into a temporary folder: the largest real workbook of the
corpus (`tests/realdata/build.py`, sh-putuo-wanli-2023-dept-budget, published) and the typical and large synthetic
ones of `bench/run.py`; then the real .xlsx export templates of `tests/realdata/templates/` as the platform made them
(WPS: thousands of empty formatted rows, shared strings, 说明 sheets of prompts), which gongkai's writer never
produces, and the same largest real document in its `exported` variant with its published 说明 in the 编制说明 sheet
(`exported_with_text`): the figures and the text in the platform's own workbook. Stages, each timed on its own input made fresh for every run (a rule memo, the reader's
caches: nothing carried over from a previous run):

* calamine bare load: every sheet's values from A1 and its merged ranges (the floor);
* safety scan: `read.safety.scan_xlsx` on the zip (the byte budget, extents, DTDs, error values, uncached formulas);
* read_workbook: calamine + the scan + every cell as a grid Scalar;
* recognize: grids → Book (tables, rows, typed cells), on the grids read once;
* rules: every rule on a Book recognised afresh before each run (the per-table memo starts empty);
* check_file: the whole check, as `gongkai check` runs it per file;
* check_file, first sight: the same with every value memo emptied first (`forget`: the functools caches of gongkai's
  modules and the amount memo), as for the first workbook a process reads. The other stages run the same workbook
  again and again, so the memos keyed by what a sheet holds (folded labels, figures, codes) are warm, as they are
  for most labels, though not for most figures, in a batch of different departments: the truth lies between.

The collector runs as in `gongkai check` (what the warm-up made frozen, the youngest generation collected every
20,000 allocations), for every stage alike. Times are the minimum over ``--repeat`` runs of CPU time (``time.process_time``: the machine is shared, and other
work inflates wall time unevenly), interleaved so that every stage sees the same load; the load average is printed.
``--profile`` adds a cProfile listing of check_file (top 25 by own time).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import calamine_load  # noqa: E402

from gongkai.cli._common import hold_gc, release_gc  # noqa: E402

LARGEST_REAL = "sh-putuo-wanli-2023-dept-budget"


def workbooks(folder: Path) -> list[tuple[str, Path]]:
    """The largest real workbook and the typical and large synthetic ones, built into ``folder``, written as gongkai
    writes: openpyxl without lxml, as bench/run.py (imported first) sets OPENPYXL_LXML before anything imports
    openpyxl."""
    from run import large, typical
    from tests.realdata.build import TEMPLATES, build, exported_with_text

    real = build(LARGEST_REAL, "published", folder).path
    typical(folder / "typical.xlsx", 0)
    large(folder / "large.xlsx", 0)
    _, filled = exported_with_text(LARGEST_REAL, folder)
    return [
        (f"real: {LARGEST_REAL}", real), ("synthetic typical", folder / "typical.xlsx"), ("synthetic large", folder / "large.xlsx"),
        *((f"real export: {p.stem}", p) for p in sorted(TEMPLATES.glob("*.xlsx"))),
        (f"real export filled: {LARGEST_REAL} with its 说明", filled),
    ]


def stages(path: Path) -> dict[str, tuple[Callable[[], object], Callable[[], object]]]:
    """stage → (prepare, run): ``prepare()`` makes the input outside the timer, ``run(input)`` is timed."""
    import zipfile

    from gongkai import checks
    from gongkai.core.profile import Profile
    from gongkai.pipeline import check_file
    from gongkai.read import read_workbook
    from gongkai.read.safety import scan_xlsx
    from gongkai.recognize import recognize

    sheets = read_workbook(path)
    profile = Profile()

    def scan(z: Any) -> object:
        with z:
            return scan_xlsx(z)

    def first_sight() -> Path:
        forget()
        return path

    return {
        "calamine bare load": (lambda: path, calamine_load),
        "safety scan": (lambda: zipfile.ZipFile(path), scan),
        "read_workbook (calamine + scan + grids)": (lambda: path, read_workbook),
        "recognize": (lambda: sheets, recognize),
        "rules (fresh book each run)": (lambda: recognize(sheets), lambda book: checks.run(book, profile)),
        "check_file (all)": (lambda: path, check_file),
        "check_file, first sight (memos emptied)": (first_sight, check_file),
    }


def forget() -> None:
    """Empty every value memo of gongkai: its modules' (and their classes') functools caches and the amount memo."""
    import functools

    from gongkai.recognize import cells

    for name, module in list(sys.modules.items()):
        if name == "gongkai" or name.startswith("gongkai."):
            for value in list(vars(module).values()):
                found = [value] if not isinstance(value, type) else [getattr(v, "__func__", v) for v in vars(value).values()]
                for f in found:
                    if isinstance(f, functools._lru_cache_wrapper):
                        f.cache_clear()
    for memo, zeros in cells._SCALES.values():
        memo.clear()
        memo[0.0] = zeros[0]  # a constant of the memo, not a figure remembered


def measure(path: Path, repeat: int) -> dict[str, float]:
    """Minimum CPU ms per stage, the stages interleaved run by run."""
    todo = stages(path)
    best = {name: float("inf") for name in todo}
    for prepare, run in todo.values():  # warm-up: imports, the regex cache
        run(prepare())
    hold_gc()
    release_gc()  # the collector as `gongkai check` leaves it (what the warm-up made frozen), for every stage alike
    for _ in range(repeat):
        for name, (prepare, run) in todo.items():
            arg = prepare()
            start = time.process_time()
            run(arg)
            best[name] = min(best[name], (time.process_time() - start) * 1000)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--json", type=Path, help="write the numbers here")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="gongkai-stages-") as tmp:
        books = [(p.name, p) for p in args.files] if args.files else workbooks(Path(tmp))
        load = os.getloadavg()[0]
        results = {name: measure(path, args.repeat) for name, path in books}
        print(f"load average {load:.1f} at start, {os.getloadavg()[0]:.1f} at the end; CPU ms, minimum of {args.repeat} runs\n")
        names = list(next(iter(results.values())))
        print("| stage | " + " | ".join(results) + " |")
        print("|---|" + "---:|" * len(results))
        for stage in names:
            cells = [f"{r[stage]:.1f} ms ({r[stage] / r['calamine bare load']:.2f}x)" for r in results.values()]
            print(f"| {stage} | " + " | ".join(cells) + " |")
        if args.json:
            args.json.write_text(json.dumps({"load": load, "stages": results}, ensure_ascii=False, indent=2), encoding="utf-8")
        if args.profile:
            import cProfile
            import pstats

            from gongkai.pipeline import check_file

            prof = cProfile.Profile()
            prof.enable()
            for _, path in books:
                check_file(path)
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
