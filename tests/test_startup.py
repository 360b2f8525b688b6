"""Start-up (issue 18): a workbook's check imports only what it runs, and the command line builds only the command
it runs, with the same parser as the whole one. Speed itself is measured in bench/startup.py, not here."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import COMMANDS, parser

EXAMPLE = Path(__file__).resolve().parent.parent / "workbooks" / "examples" / "budget-example-errors.xlsx"
NARRATIVE_ONLY = ("gongkai.core.claims", "gongkai.checks.narrative_assess", "gongkai.checks.narrative_figures")
"""What only a 说明 text needs: its claims, their assessment, the tables' figures."""


def modules_after(code: str) -> set[str]:
    """The gongkai modules a fresh interpreter holds after ``code``."""
    return set(run_python(f"{code}\nimport sys\nprint(' '.join(m for m in sys.modules if m.startswith('gongkai')))").split())


def test_a_workbooks_check_imports_nothing_of_the_narrative() -> None:
    loaded = modules_after(
        "from gongkai.cli import main\n"
        f"assert main(['check', {str(EXAMPLE)!r}, '-q', '--format', 'json', '-o', '/dev/null']) == 1"
    )

    assert "gongkai.checks.narrative" in loaded  # its rules are registered (ids, --select N5)
    assert not set(NARRATIVE_ONLY) & loaded
    assert not {f"gongkai.cli.{c}" for c in COMMANDS if c != "check"} & loaded
    assert "gongkai.write.atomic" in loaded  # the report is written atomically, without the workbook writer
    assert not {"gongkai.write.workbook", "gongkai.fill.layout"} & loaded


def test_a_narrative_check_imports_it_when_it_runs() -> None:
    loaded = modules_after(
        "from gongkai.checks.narrative import assess, Where\n"
        "assert callable(assess) and Where.__name__ == 'Where'"
    )

    assert set(NARRATIVE_ONLY) <= loaded


def _sub(p: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    actions = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
    return actions[0].choices[name]  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", COMMANDS)
def test_one_command_is_built_as_in_the_whole_command_line(name: str) -> None:
    whole, alone = parser(), parser(name)

    assert alone.format_usage() == whole.format_usage()
    assert _sub(alone, name).format_help() == _sub(whole, name).format_help()


def run_python(code: str, **env: str) -> str:
    """What a fresh interpreter prints after ``code``, with ``env`` as the only pydantic setting of its environment."""
    own = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=own | env)
    return out.stdout.strip()


LOADER = "pydantic.plugin._loader"


def test_the_plugin_loader_stand_in_answers_as_pydantics_own_with_plugins_off() -> None:
    """The command line stands in for pydantic's plugin loader when PYDANTIC_DISABLE_PLUGINS turns every plugin off;
    pydantic's own loader must give the same answer (no plugins) from the same call (no arguments), or a pydantic
    upgrade has changed what the stand-in relies on."""
    own = run_python(
        f"import inspect, {LOADER} as real\n"
        "print(len(inspect.signature(real.get_plugins).parameters), tuple(real.get_plugins()))",
        PYDANTIC_DISABLE_PLUGINS="__all__",
    )
    standing_in = run_python(
        "import sys\nfrom gongkai import cli\ncli._no_plugin_loader()\n"
        f"loader = sys.modules[{LOADER!r}]\n"
        "from pydantic import BaseModel\nclass M(BaseModel):\n    a: int\nassert M(a=1).a == 1\n"
        f"print(type(loader).__name__, sys.modules[{LOADER!r}] is loader, 'importlib.metadata' in sys.modules)",
        PYDANTIC_DISABLE_PLUGINS="__all__",
    )

    assert own == "0 ()"
    assert standing_in == "_NoPlugins True False"  # used by pydantic, and importlib.metadata never imported


def test_the_plugin_loader_stand_in_hands_any_other_name_to_the_real_loader() -> None:
    out = run_python(
        "import sys\nfrom gongkai import cli\ncli._no_plugin_loader()\n"
        f"print(sys.modules[{LOADER!r}].PYDANTIC_ENTRY_POINT_GROUP, type(sys.modules[{LOADER!r}]).__name__)",
        PYDANTIC_DISABLE_PLUGINS="__all__",
    )

    assert out == "pydantic module"


def test_no_stand_in_when_plugins_are_on() -> None:
    out = run_python(f"import sys\nfrom gongkai import cli\ncli._no_plugin_loader()\nprint({LOADER!r} in sys.modules)")

    assert out == "False"
