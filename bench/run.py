"""Benchmark: `gongkai check` against python-calamine's bare load, an openpyxl reading and frictionless.

    python bench/run.py [--files N] [--speedup-files N] [--large N] [--sample N] [--dir DIR] [--json OUT]

Generates a corpus with `gongkai.sample` (typical: the 15-sheet budget workbook; large: the same plus a 2,000-row
预算明细 sheet), then measures in one run, on the same files, one core each:

* gongkai: `pipeline.check_file` (read + recognise + every rule), per file;
* calamine: python-calamine's bare load of every sheet (values from A1 + merged ranges): the floor for any reader;
* openpyxl: `load_workbook(data_only=True)` and every value of every sheet plus merged ranges (what a hand-written
  checker needs: cached values and merges), and its `read_only=True` mode (fast, but without merged cells);
* frictionless: `validate` of every sheet of the workbook (if installed: `pip install "frictionless[excel]"`);

then the typical corpus through `gongkai check DIR --format json -o FILE` in a fresh process: ``--speedup-files`` of
them on 1 and 2 cores (the speed-up), and all ``--files`` on every core (wall time; the parent's and the largest
worker's peak RSS, the parent streaming the report), and the cold start of `gongkai --help` and `gongkai check FILE`
against `python -c pass`.
Prints a markdown table (for the README) and writes the raw numbers as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if "--frictionless-child" not in sys.argv:  # (frictionless reads in its own venv, as it would by itself)
    os.environ.setdefault("OPENPYXL_LXML", "False")  # the corpus written as gongkai writes: openpyxl without lxml

HERE = Path(__file__).resolve().parent
TARGETS = {
    "ratio_calamine": 3.0, "vs_openpyxl": 30.0, "speedup_2": 1.8, "rss_mib": 60.0, "help_ms": 150.0, "check_ms": 400.0,
    "parent_mib": 150.0, "batch_s": 120.0,
}


# --- corpus ----------------------------------------------------------------------------------------------


def typical(path: Path, seed: int) -> None:
    from gongkai.fill.sample import sample_workbook

    sample_workbook(path, seed, units=3, lines=160)


def large(path: Path, seed: int) -> None:
    """The typical workbook plus a 2,000-row 预算明细 sheet (the line items the tables were composed from)."""
    from gongkai.fill.compose_budget import compose_book
    from gongkai.fill.layout import SheetPlan, lay_out
    from gongkai.fill.sample import input_sheets, sample_lines
    from gongkai.write.workbook import write_plans

    plans = [lay_out(d) for d in compose_book(sample_lines(seed, 3, 160)).tables]
    detail = SheetPlan("预算明细")
    rows = input_sheets(sample_lines(seed, 3, 2000))["预算明细"]
    for r, row in enumerate(rows[:2001], start=1):
        for c, value in enumerate(row):
            if value is not None:
                detail.put(r, c, value)
    write_plans([*plans, detail], path)


def corpus(folder: Path, kind: str, files: int, distinct: int) -> list[Path]:
    """``files`` workbooks: ``distinct`` generated ones (different seeds), copied round-robin."""
    folder.mkdir(parents=True, exist_ok=True)
    make = typical if kind == "typical" else large
    originals = []
    for seed in range(min(distinct, files)):
        p = folder / f"{kind}-{seed:04d}.xlsx"
        if not p.exists():
            make(p, seed)
        originals.append(p)
    paths = list(originals)
    for i in range(len(originals), files):
        p = folder / f"{kind}-{i:04d}.xlsx"
        if not p.exists():
            shutil.copyfile(originals[i % len(originals)], p)
        paths.append(p)
    return paths


def shape(path: Path) -> dict[str, int]:
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(path))
    cells = merged = 0
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        cells += sum(1 for row in sheet.to_python(skip_empty_area=False) for v in row if v not in ("", None))
        merged += len(sheet.merged_cell_ranges or [])
    return {"sheets": len(book.sheet_names), "cells": cells, "merged": merged, "kib": path.stat().st_size // 1024}


# --- readers ---------------------------------------------------------------------------------------------


def calamine_load(path: Path) -> None:
    import python_calamine as pc

    book = pc.CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        sheet.to_python(skip_empty_area=False)
        _ = sheet.merged_cell_ranges
    book.close()


def gongkai_check(path: Path) -> None:
    from gongkai.pipeline import check_file

    result = check_file(path)
    assert result.status == "ok", result.error


def openpyxl_full(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        _ = [row for row in ws.iter_rows(values_only=True)]
        _ = list(ws.merged_cells.ranges)
    wb.close()


def openpyxl_read_only(path: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True, read_only=True)
    for ws in wb.worksheets:
        _ = [row for row in ws.iter_rows(values_only=True)]
    wb.close()


def frictionless_validate(path: Path) -> None:
    import python_calamine as pc
    from frictionless import Dialect, Resource, formats, validate

    names = pc.CalamineWorkbook.from_path(str(path)).sheet_names
    for name in names:
        dialect = Dialect(controls=[formats.ExcelControl(sheet=name, preserve_formatting=False)])
        # a relative path with a basepath: frictionless refuses absolute paths as "not safe"
        report = validate(Resource(path=path.name, basepath=str(path.parent), format="xlsx", dialect=dialect))
        assert report.tasks[0].stats.get("rows"), report.flatten(["type", "note"])[:3]


FRICTIONLESS_VENV = HERE / ".venv-frictionless"
"""frictionless lives in its own venv, so its dependencies (xlsxwriter changes pandas' default writer) stay out of
the project's: ``python -m venv bench/.venv-frictionless``, then
``bench/.venv-frictionless/bin/pip install "frictionless[excel]" python-calamine``."""


def frictionless_python() -> str | None:
    """An interpreter that can import frictionless: this one, or the benchmark's own venv."""
    candidates = [sys.executable, str(FRICTIONLESS_VENV / "bin" / "python"), str(FRICTIONLESS_VENV / "Scripts" / "python.exe")]
    for exe in candidates:
        if Path(exe).exists() and subprocess.run([exe, "-c", "import frictionless"], capture_output=True).returncode == 0:
            return exe
    return None


def frictionless_ms(exe: str, paths: Sequence[Path]) -> dict[str, float]:
    out = subprocess.run(
        [exe, __file__, "--frictionless-child", *map(str, paths)], check=True, capture_output=True, text=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def interleaved_ms(funcs: dict[str, Callable[[Path], None]], paths: Sequence[Path], repeat: int) -> dict[str, dict[str, float]]:
    """Median, mean and least milliseconds per file of each reader (after one warm-up call each), the readers taking
    turns file by file so that each sees the machine at the same moment (this VM's speed moves by tens of per cent
    from one minute to the next); each reader's ``ratio`` is the median, over every (file, run), of its time against
    the first reader's time on that file in that run."""
    for func in funcs.values():
        func(paths[0])
    times: dict[str, list[float]] = {name: [] for name in funcs}
    for _ in range(repeat):
        for p in paths:
            for name, func in funcs.items():
                start = time.perf_counter()
                func(p)
                times[name].append((time.perf_counter() - start) * 1000)
    floor = next(iter(times.values()))
    return {
        name: {"median_ms": statistics.median(t), "mean_ms": statistics.fmean(t), "min_ms": min(t), "files": len(t),
               "ratio": statistics.median(a / b for a, b in zip(t, floor, strict=True))}
        for name, t in times.items()
    }


def per_file_ms(func: Callable[[Path], None], paths: Sequence[Path], repeat: int = 1) -> dict[str, float]:
    """One reader's `interleaved_ms` (no ratio: it would be against itself)."""
    (alone,) = interleaved_ms({"reader": func}, paths, repeat).values()
    del alone["ratio"]
    return alone


# --- batch in a fresh process ----------------------------------------------------------------------------


def peak_rss_kib() -> int:
    """This process's peak resident memory (KiB): VmHWM, which starts afresh at exec (getrusage's ru_maxrss keeps
    the peak of the process that forked us: the benchmark's own, here), or ru_maxrss where there is no /proc."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def batch_child(folder: str, jobs: int) -> None:
    """Run in a fresh interpreter: `gongkai check FOLDER --format json -o REPORT` (the report written as results
    arrive) as this process's own command line, as the console script runs it (`cli.main()` then tunes its
    start-up); print JSON timings, the peak RSS of this process (the parent) and of its largest worker, and the
    parent's own CPU time (what it takes from the workers' cores)."""
    start = time.perf_counter()
    from gongkai.cli import main as cli

    with tempfile.TemporaryDirectory(prefix="gongkai-batch-") as tmp:
        report = Path(tmp) / "report.json"
        sys.argv = ["gongkai", "check", folder, "--format", "json", "-o", str(report), "-q", "--jobs", str(jobs)]
        code = cli()
        wall = time.perf_counter() - start
        parent = peak_rss_kib()
        own = resource.getrusage(resource.RUSAGE_SELF)
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        summary = json.loads(report.read_text(encoding="utf-8"))["summary"]
    print(json.dumps({
        "jobs": jobs, "files": summary["files"], "exit": code, "seconds": wall, "parent_rss_kib": parent,
        "worker_rss_kib": workers if jobs > 1 else parent, "load": os.getloadavg()[0],
        "parent_cpu_s": own.ru_utime + own.ru_stime,
    }))


def batch(folder: Path, jobs: int) -> dict[str, Any]:
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, __file__, "--batch-child", str(folder), str(jobs)], check=True, capture_output=True, text=True,
        env={**os.environ, "GONGKAI_NO_PROGRESS": "1"},
    )
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load_start": load}


def cold_start(sample: Path, runs: int = 15) -> dict[str, Any]:
    """Fresh processes, hyperfine-style (interleaved, median and min of ``runs``): a bare interpreter, `gongkai
    --help`, and `gongkai check FILE` on one typical workbook (process start to exit)."""
    exe = shutil.which("gongkai") or str(Path(sys.executable).with_name("gongkai"))
    gongkai = [exe] if Path(exe).exists() else [sys.executable, "-m", "gongkai"]
    cmds = {
        "python": [sys.executable, "-c", "pass"], "help": [*gongkai, "--help"], "check": [*gongkai, "check", str(sample), "-q"],
    }
    times: dict[str, list[float]] = {k: [] for k in cmds}
    env = {**os.environ, "GONGKAI_NO_PROGRESS": "1"}
    load = os.getloadavg()[0]
    for _ in range(runs):
        for key, cmd in cmds.items():
            start = time.perf_counter()
            subprocess.run(cmd, capture_output=True, env=env)
            times[key].append((time.perf_counter() - start) * 1000)
    out: dict[str, Any] = {"load": load}
    for key, values in times.items():
        out[key] = {"median_ms": statistics.median(values), "min_ms": min(values)}
    return out


# --- report ----------------------------------------------------------------------------------------------


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def markdown(r: dict[str, Any]) -> str:
    lines = [f"Machine: {r['machine']}", ""]
    for kind in ("typical", "large"):
        if kind not in r["readers"]:
            continue
        s = r["shape"][kind]
        lines.append(
            f"**{kind}** workbook: {s['sheets']} sheets, {s['cells']:,} filled cells, {s['merged']} merged ranges, "
            f"{s['kib']} KiB"
        )
    lines += ["", "| reader, one core | typical ms/file | typical workbooks/s | large ms/file | large workbooks/s | x calamine (typical; gongkai: median of per-file ratios, interleaved) |",
              "|---|---:|---:|---:|---:|---:|"]
    names = {
        "calamine": "python-calamine bare load (floor)", "gongkai": "**gongkai check** (read + recognise + all rules)",
        "openpyxl": "openpyxl `data_only=True` (values + merged cells)", "openpyxl_ro": "openpyxl `read_only=True` (no merged cells)",
        "frictionless": "frictionless validate (every sheet)",
    }
    floor = r["readers"]["typical"]["calamine"]["median_ms"]
    for key, label in names.items():
        t = r["readers"]["typical"].get(key)
        if t is None:
            continue
        lg = r["readers"].get("large", {}).get(key)
        lines.append(
            f"| {label} | {t['median_ms']:.1f} | {1000 / t['median_ms']:.1f} | "
            + (f"{lg['median_ms']:.1f} | {1000 / lg['median_ms']:.1f}" if lg else "- | -")
            + f" | {t.get('ratio', t['median_ms'] / floor):.1f}x |"
        )
    lines += ["", "| batch: typical corpus (`gongkai check DIR --format json -o FILE`) | files | wall s | workbooks/s | speed-up "
              "| parent CPU ms/file | parent peak RSS | worker peak RSS | load at start |",
              "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    one = {b["files"]: b for b in r["batch"] if b["jobs"] == 1}
    for b in r["batch"]:
        base = one.get(b["files"])
        speed = f"{base['seconds'] / b['seconds']:.2f}x" if base else "-"
        where = f"{b['jobs']} worker processes" if b["jobs"] > 1 else "in process"
        lines.append(
            f"| `--jobs {b['jobs']}` ({where}) | {b['files']:,} | {b['seconds']:.1f} | {b['files'] / b['seconds']:.1f} | {speed} | "
            f"{1000 * b['parent_cpu_s'] / max(b['files'], 1):.2f} | {b['parent_rss_kib'] / 1024:.1f} MiB | {b['worker_rss_kib'] / 1024:.1f} MiB | {b['load_start']:.1f} |"
        )
    c = r["cold_start"]
    lines += ["", f"Cold start, fresh processes (median / min of {r.get('cold_runs', 15)}, load {c['load']:.1f}): "
              f"`python -c pass` {c['python']['median_ms']:.0f} / {c['python']['min_ms']:.0f} ms; `gongkai --help` "
              f"{c['help']['median_ms']:.0f} / {c['help']['min_ms']:.0f} ms; `gongkai check` one typical workbook "
              f"{c['check']['median_ms']:.0f} / {c['check']['min_ms']:.0f} ms."]
    t = r["readers"]["typical"]
    ratio = t["gongkai"]["ratio"]
    vs = t["openpyxl"]["median_ms"] / t["gongkai"]["median_ms"]
    pairs = [(one[b["files"]]["seconds"] / b["seconds"]) for b in r["batch"] if b["jobs"] == 2 and b["files"] in one]
    two = pairs[0] if pairs else None
    big = max(r["batch"], key=lambda b: (b["files"], b["jobs"]))
    rss = max(b["worker_rss_kib"] for b in r["batch"] if b["jobs"] > 1) / 1024 if any(b["jobs"] > 1 for b in r["batch"]) else 0
    parent = max(b["parent_rss_kib"] for b in r["batch"]) / 1024
    checks = [
        ("check ≤ 3 x calamine's bare load (typical)", f"{ratio:.1f}x", ratio <= TARGETS["ratio_calamine"]),
        ("≥ 30 x faster than the openpyxl reading", f"{vs:.1f}x", vs >= TARGETS["vs_openpyxl"]),
        ("≥ 1.8 x speed-up on 2 cores", f"{two:.2f}x" if two else "-", bool(two and two >= TARGETS["speedup_2"])),
        (f"5,000 typical workbooks ≤ 2 minutes (`--jobs {big['jobs']}`, from {big['files']:,} files)",
         f"{big['seconds'] * 5000 / max(big['files'], 1):.0f} s", big["seconds"] * 5000 / max(big["files"], 1) <= TARGETS["batch_s"]),
        ("≤ 60 MiB peak RSS per worker", f"{rss:.1f} MiB", 0 < rss <= TARGETS["rss_mib"]),
        ("parent peak RSS ≤ 150 MiB", f"{parent:.1f} MiB", parent <= TARGETS["parent_mib"]),
        ("cold `gongkai check FILE` ≤ 400 ms", f"{c['check']['median_ms']:.0f} ms", c["check"]["median_ms"] <= TARGETS["check_ms"]),
        ("`gongkai --help` ≤ 150 ms", f"{c['help']['median_ms']:.0f} ms", c["help"]["median_ms"] <= TARGETS["help_ms"]),
    ]
    lines += ["", "| target (issues 7, 18) | measured | met |", "|---|---:|:---:|"]
    lines += [f"| {name} | {value} | {'yes' if ok else '**no**'} |" for name, value, ok in checks]
    if not r.get("frictionless_installed"):
        lines += ["", "frictionless was not installed (see FRICTIONLESS_VENV in bench/run.py to include it)."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--files", type=int, default=200, help="typical workbooks in the batch corpus (default 200)")
    ap.add_argument("--speedup-files", type=int, default=None, help="files for the --jobs 1 against --jobs 2 run (default: --files)")
    ap.add_argument("--large", type=int, default=20, help="large workbooks (default 20)")
    ap.add_argument("--distinct", type=int, default=10, help="distinct generated workbooks per kind (default 10)")
    ap.add_argument("--sample", type=int, default=10, help="files measured with the slow readers (default 10)")
    ap.add_argument("--dir", type=Path, help="corpus folder (default: a temporary folder, removed afterwards)")
    ap.add_argument("--json", type=Path, help="write the raw numbers here")
    ap.add_argument("--batch-child", nargs=2, metavar=("FOLDER", "JOBS"), help=argparse.SUPPRESS)
    ap.add_argument("--frictionless-child", nargs="+", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.frictionless_child:
        print(json.dumps(per_file_ms(frictionless_validate, args.frictionless_child)))
        return 0
    if args.batch_child:
        batch_child(args.batch_child[0], int(args.batch_child[1]))
        return 0

    workdir = args.dir or Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        return _run(args, workdir)
    finally:
        if args.dir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, workdir: Path) -> int:
    import platform

    start = time.perf_counter()
    print(f"generating the corpus in {workdir} …", file=sys.stderr)
    paths = {
        "typical": corpus(workdir / "typical", "typical", args.files, args.distinct),
        "large": corpus(workdir / "large", "large", args.large, min(args.distinct, args.large)),
    }
    friction = frictionless_python()
    result: dict[str, Any] = {
        "machine": (
            f"{platform.processor() or platform.machine()}, {cores()} cores, Python {platform.python_version()}, "
            f"load average {os.getloadavg()[0]:.1f} at start (other work on the machine skews every number)"
        ),
        "shape": {k: shape(v[0]) for k, v in paths.items()},
        "readers": {}, "batch": [], "frictionless_installed": bool(friction),
    }
    for kind, files in paths.items():
        distinct = files[: args.distinct]
        slow = distinct[: args.sample]
        print(f"{kind}: one core …", file=sys.stderr)
        readers: dict[str, dict[str, float]] = {
            **interleaved_ms({"calamine": calamine_load, "gongkai": gongkai_check}, distinct, repeat=5),
            "openpyxl": per_file_ms(openpyxl_full, slow),
            "openpyxl_ro": per_file_ms(openpyxl_read_only, slow),
        }
        if friction:
            readers["frictionless"] = frictionless_ms(friction, slow[: max(2, len(slow) // 2)])
        result["readers"][kind] = readers
    few = min(args.speedup_files or args.files, args.files)
    if few < args.files:
        small = workdir / "typical-few"
        small.mkdir(exist_ok=True)
        for p in paths["typical"][:few]:
            if not (small / p.name).exists():
                os.link(p, small / p.name)
    runs = [(few, 1), (few, 2)] + ([(args.files, cores())] if few < args.files else [])
    if cores() > 2 and few == args.files:
        runs.append((few, cores()))
    for files, jobs in runs:
        print(f"batch: {files} files, --jobs {jobs} …", file=sys.stderr)
        result["batch"].append(batch(workdir / ("typical" if files == args.files else "typical-few"), jobs))
    result["cold_start"] = cold_start(paths["typical"][0])
    result["seconds"] = time.perf_counter() - start
    text = markdown(result)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
