"""How low a check written in Python could go: the leanest walk over a workbook's rows, as a ratio to calamine.

    python bench/floor.py [FILE.xlsx ...] [--repeat N]

Without files it builds the three workbooks of `bench/stages.py`. On the grids `read_workbook` gives, it times:

* a lean row walk: per row, its texts folded (remembered) and its float amounts typed through the amount memo, a
  kind told from the first text, one tuple kept: what any recogniser must do at least once per row;
* ten column-sum passes over the walked rows (a sum of every amount column of every item row, ten times): about
  what the sum rules of one check must do at least.

Both are lower bounds, not designs: no header is matched, no code spelled, no form read, no finding made. They say
how much of issue 18's 3x could be left for all of that if recognition and the rules were rewritten around them
(README § Performance). CPU time, minimum of ``--repeat`` runs, calamine's bare load timed in the same run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from run import calamine_load  # noqa: E402
from stages import workbooks  # noqa: E402

from gongkai.core.grid import Sheet  # noqa: E402
from gongkai.core.text import fold  # noqa: E402
from gongkai.read import read_workbook  # noqa: E402
from gongkai.recognize.cells import amount, amount_memo  # noqa: E402

Walked = list[tuple[str, str, list[tuple[int, str]], dict[int, Decimal]]]


def lean_walk(sheets: list[Sheet]) -> Walked:
    """Every row once: folded texts, typed float amounts, a kind, one tuple."""
    folded = lru_cache(maxsize=None)(fold)
    one = Decimal(1)
    memo, _ = amount_memo(one)
    out: Walked = []
    for sheet in sheets:
        for row in sheet.rows:
            texts = [(c, folded(v)) for c, v in enumerate(row) if v.__class__ is str]
            amounts = {c: memo.get(v) or amount(v, one) for c, v in enumerate(row) if v.__class__ is float}
            first = texts[0][1] if texts else ""
            kind = "total" if first in ("合计", "总计") else "item" if amounts else "text"
            out.append((kind, first, texts, amounts))
    return out


def sum_passes(rows: Walked, passes: int = 10) -> None:
    """``passes`` sums of every amount column over the item rows."""
    for _ in range(passes):
        totals: dict[int, Decimal] = {}
        for kind, _, _, amounts in rows:
            if kind == "item":
                for c, a in amounts.items():
                    totals[c] = totals.get(c, 0) + a


def best(run: Callable[[], object], repeat: int) -> float:
    fastest = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        fastest = min(fastest, time.process_time() - start)
    return fastest * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-floor-") as tmp:
        books = [(p.name, p) for p in args.files] if args.files else workbooks(Path(tmp))
        print("| workbook | cells | rows | calamine bare load | read_workbook | lean row walk | ten sum passes | read + walk + sums |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name, path in books:
            sheets = read_workbook(path)
            walked = lean_walk(sheets)
            cells = sum(1 for s in sheets for r in s.rows for v in r if v is not None)
            load = best(lambda p=path: calamine_load(p), args.repeat)
            read = best(lambda p=path: read_workbook(p), args.repeat)
            walk = best(lambda s=sheets: lean_walk(s), args.repeat)
            sums = best(lambda w=walked: sum_passes(w), args.repeat)
            ratios = [f"{x:.2f} ms ({x / load:.2f}x)" for x in (read, walk, sums)]
            print(f"| {name} | {cells:,} | {sum(len(s.rows) for s in sheets):,} | {load:.2f} ms | " + " | ".join(ratios) + f" | {(read + walk + sums) / load:.2f}x |")


if __name__ == "__main__":
    main()
