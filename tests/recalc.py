"""LibreOffice headless recalculation for tests: one `soffice --convert-to xlsx` call for many workbooks.

The throwaway profile sets OOXMLRecalcMode=0 so LibreOffice recalculates every formula on load, even when the
file carries cached values (our filled workbooks do); see shared/design/xlwings-and-excel-testing.md §4.3 and §4.4.
Use `recalculated(paths, outdir)` from a session fixture; it skips the test when soffice is absent.

`office(profile)` starts a headless LibreOffice listening on a private pipe (and always shuts it down), `clerk(pipe,
jobs)` drives it through UNO with tests/lo_clerk.py, run by the system Python of Debian's python3-uno (`uno_python`
skips the test when it is missing): what a clerk does in the program, not only what the file says.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

XCU = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def recalculated(paths: Sequence[Path], outdir: Path, profile: Path) -> list[Path]:
    """Convert every workbook in one LibreOffice run (recalculating all formulas); return the converted paths."""
    exe = soffice()
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(XCU, encoding="utf-8")
    outdir.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in paths]
    assert len(set(names)) == len(names), "workbooks converted together need distinct file names"
    subprocess.run(
        [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx", "--outdir", str(outdir), *map(str, paths)],
        check=True, capture_output=True, timeout=300,
    )
    out = [outdir / p.name for p in paths]
    missing = [p.name for p in out if not p.exists()]
    assert not missing, f"LibreOffice did not convert {missing}"
    return out


UNO_PYTHON = "/usr/bin/python3"
"""Debian's python3-uno installs the `uno` module for the system Python only; the project venv cannot import it."""
CLERK = Path(__file__).with_name("lo_clerk.py")


def uno_python() -> str:
    """The Python that can drive LibreOffice through UNO; skips the test without soffice or python3-uno."""
    soffice()
    if not Path(UNO_PYTHON).exists() or subprocess.run([UNO_PYTHON, "-c", "import uno"], capture_output=True).returncode != 0:
        pytest.skip("python3-uno is not installed (apt-get install python3-uno): LibreOffice cannot be driven through UNO")
    return UNO_PYTHON


def _alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


@contextmanager
def office(profile: Path) -> Iterator[str]:
    """A headless LibreOffice with its own profile, listening on a private pipe; yields the pipe's name.

    soffice runs in a process group of its own (oosplash and soffice.bin), which is terminated on the way out,
    then killed if it has not gone within 30 seconds: no LibreOffice outlives the test.
    """
    uno_python()
    name = f"gongkai-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    proc = subprocess.Popen(
        [soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--invisible", "--nologo", "--norestore",
         "--nodefault", "--nolockcheck", f"--accept=pipe,name={name};urp;StarOffice.ComponentContext"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    try:
        yield name
    finally:
        group = proc.pid  # start_new_session: the group id is the leader's pid, and lives while any member does
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with suppress(ProcessLookupError):
                os.killpg(group, sig)
            deadline = time.monotonic() + 30
            while _alive(group) and time.monotonic() < deadline:
                with suppress(subprocess.TimeoutExpired):
                    proc.wait(0.2)
            if not _alive(group):
                break
        with suppress(subprocess.TimeoutExpired):
            proc.wait(5)


def clerk(pipe: str, jobs: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run tests/lo_clerk.py's jobs against the LibreOffice on `pipe`; one result per job."""
    done = subprocess.run(
        [uno_python(), str(CLERK), pipe], input=json.dumps(list(jobs), ensure_ascii=False),
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
