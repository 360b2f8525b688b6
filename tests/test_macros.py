"""macros/: every ribbon button's onAction is a Sub of macros/*.bas taking the ribbon control, every RunPython
target exists in gongkai.xl as a script taking no required argument, and the Lite entry registers them all."""

from __future__ import annotations

import importlib.util
import inspect
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from gongkai import xl

MACROS = Path(__file__).resolve().parents[1] / "macros"
NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}


def subs() -> dict[str, tuple[str, str]]:
    """'Module.Sub' → (parameter list, body) for every Sub in macros/*.bas."""
    out = {}
    for bas in MACROS.glob("*.bas"):
        text = bas.read_text(encoding="utf-8")
        module = re.search(r'^Attribute VB_Name = "(\w+)"', text, re.M).group(1)
        for m in re.finditer(r"^Sub (\w+)\((.*?)\)\s*$(.*?)^End Sub", text, re.M | re.S):
            out[f"{module}.{m.group(1)}"] = (m.group(2), m.group(3))
    return out


def buttons() -> list[ET.Element]:
    root = ET.parse(MACROS / "customUI.xml").getroot()
    return root.findall(".//ui:button", NS)


def test_ribbon_is_the_gongkai_tab() -> None:
    root = ET.parse(MACROS / "customUI.xml").getroot()
    assert [t.get("label") for t in root.findall(".//ui:tab", NS)] == ["公开表"]
    assert [b.get("label") for b in buttons()] == ["校验", "清除标记", "填充", "导出"]
    assert len({b.get("id") for b in buttons()}) == 4


def test_every_ribbon_callback_is_a_sub() -> None:
    found = subs()
    for button in buttons():
        action = button.get("onAction")
        assert action in found, f"{action} is not a Sub in macros/*.bas"
        assert found[action][0] == "control As IRibbonControl"


def test_every_runpython_target_is_a_script_in_gongkai_xl() -> None:
    targets = []
    for _params, body in subs().values():
        for m in re.finditer(r'RunPython "import gongkai\.xl; gongkai\.xl\.(\w+)\(\)"', body):
            targets.append(m.group(1))
    assert targets == ["validate_workbook", "clear_marks", "fill_from_sheet", "export_clean"]
    for name in targets:
        function = getattr(xl, name)
        params = inspect.signature(function).parameters.values()
        assert all(p.default is not inspect.Parameter.empty for p in params), name  # RunPython passes nothing


def test_no_runpython_outside_gongkai_xl() -> None:
    for _params, body in subs().values():
        for call in re.findall(r'RunPython "([^"]*)"', body):
            assert call.startswith("import gongkai.xl; gongkai.xl."), call


def test_config_names_the_udf_module() -> None:
    lines = (MACROS / "gongkai.conf").read_text(encoding="utf-8").splitlines()
    config = dict(re.fullmatch(r'"([^"]+)","([^"]*)"', line).groups() for line in lines)
    assert config["UDF MODULES"] == "gongkai.xl"
    assert {"INTERPRETER_WIN", "INTERPRETER_MAC"} <= set(config)


def test_lite_main_exports_every_script_and_function() -> None:
    spec = importlib.util.spec_from_file_location("lite_main", MACROS / "lite" / "main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(n for n in vars(module) if not n.startswith("_")) == sorted(xl.__all__)
    requirements = (MACROS / "lite" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [r for r in requirements if r and not r.startswith("#")] == ["xlwings==0.37.8", "gongkai"]


def test_build_addin_replaces_only_the_ribbon(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("build_addin", MACROS / "build_addin.py")
    build_addin = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_addin)
    base = Path(importlib.util.find_spec("xlwings").submodule_search_locations[0]) / "quickstart_addin_ribbon.xlam"
    out = build_addin.build(base, tmp_path / "gongkai.xlam")
    again = build_addin.build(base, tmp_path / "again.xlam")
    assert out.read_bytes() == again.read_bytes()  # reproducible
    with zipfile.ZipFile(base) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            expected = (MACROS / "customUI.xml").read_bytes() if name == build_addin.CUSTOM_UI else a.read(name)
            assert b.read(name) == expected, name
    with pytest.raises(SystemExit, match="customUI"):
        build_addin.build(Path(str(base).replace("_ribbon", "")), tmp_path / "x.xlam")
