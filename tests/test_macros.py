"""macros/: every ribbon button's onAction is a Sub of macros/*.bas taking the ribbon control, every RunPython
target exists in gongkai.xl as a script taking no required argument, and the Lite entry registers them all."""

from __future__ import annotations

import hashlib
import importlib.metadata
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


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, MACROS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEMPLATE = Path(importlib.util.find_spec("xlwings").submodule_search_locations[0]) / "quickstart_addin_ribbon.xlam"
"""What `xlwings quickstart NAME --addin --ribbon` copies: the custom add-in template of the installed xlwings."""


def test_lite_main_exports_every_script_and_function() -> None:
    module = load("lite/main")
    assert sorted(n for n in vars(module) if not n.startswith("_")) == sorted(xl.__all__)


def test_lite_requirements_name_the_tested_xlwings_and_the_wheel_url() -> None:
    release = load("release")
    assert importlib.metadata.version("xlwings") == release.XLWINGS  # what the tests ran
    pins = re.findall(r'"xlwings==([^"]+)"', (MACROS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert pins and all(re.fullmatch(p.replace(".", r"\.").replace("*", r"\d+"), release.XLWINGS) for p in pins)
    text = release.requirements("gongkai-1.2.3-py3-none-any.whl", "https://intra.example/pkg/")
    lines = [r for r in text.splitlines() if r and not r.startswith("#")]
    assert lines == [f"xlwings=={release.XLWINGS}", "https://intra.example/pkg/gongkai-1.2.3-py3-none-any.whl"]


def test_release_writes_every_asset_into_dist(tmp_path: Path) -> None:
    """write_assets with the two distributions standing in as files: each asset is there, copied or written, and
    SHA256SUMS lists them; an older wheel is removed, and so is an add-in of an earlier release."""
    release = load("release")
    built = tmp_path / "built"
    built.mkdir()
    wheel, sdist = built / "gongkai-9.0-py3-none-any.whl", built / "gongkai-9.0.tar.gz"
    wheel.write_bytes(b"wheel bytes")
    sdist.write_bytes(b"sdist bytes")
    out = tmp_path / "dist"
    out.mkdir()
    (out / "gongkai-8.0-py3-none-any.whl").write_bytes(b"old")
    (out / "gongkai.xlam").write_bytes(b"old add-in")
    written = release.write_assets(wheel, sdist, out, "https://intra.example/gongkai")
    names = {p.name for p in written}
    assert names == {wheel.name, sdist.name, *release.COPIED, "requirements.txt", "SHA256SUMS"}
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    for name, source in release.COPIED.items():
        assert (out / name).read_bytes() == source.read_bytes()
    assert "https://intra.example/gongkai/gongkai-9.0-py3-none-any.whl" in (out / "requirements.txt").read_text(encoding="utf-8")
    sums = dict(reversed(line.split("  ")) for line in (out / "SHA256SUMS").read_text().splitlines())
    assert set(sums) == names - {"SHA256SUMS"}
    assert sums[wheel.name] == hashlib.sha256(b"wheel bytes").hexdigest()
    with pytest.raises(SystemExit, match="not the gongkai add-in"):  # an unfinished add-in stops the release
        release.write_assets(wheel, sdist, out, "https://intra.example/gongkai", TEMPLATE)


def test_vba_modules_are_read_from_the_template() -> None:
    build_addin = load("build_addin")
    project, modules = build_addin.vba_project(TEMPLATE)
    assert project == "MyAddin"
    assert sorted(modules) == ["Dictionary", "RibbonMyAddin", "Sheet2", "ThisWorkbook", "xlwings"]
    assert modules["RibbonMyAddin"].startswith('Attribute VB_Name = "RibbonMyAddin"')
    assert "Sub RunMain(control As IRibbonControl)" in modules["RibbonMyAddin"]
    assert 'Public Const PROJECT_NAME As String = "myaddin"' in modules["xlwings"]
    assert build_addin.sheet_names(TEMPLATE) == ["_myaddin.conf"]


def test_build_addin_refuses_the_unmodified_template(tmp_path: Path) -> None:
    build_addin = load("build_addin")
    with pytest.raises(SystemExit) as refused:
        build_addin.build(TEMPLATE, tmp_path / "gongkai.xlam")
    text = str(refused.value)
    for problem in ("RibbonMyAddin", 'named "MyAddin"', 'PROJECT_NAME is "myaddin"', "_myaddin.conf",
                    "functions not imported", "no module GongkaiRibbon"):
        assert problem in text
    assert not (tmp_path / "gongkai.xlam").exists()
    with pytest.raises(SystemExit, match="customUI"):
        build_addin.build(Path(str(TEMPLATE).replace("_ribbon", "")), tmp_path / "x.xlam")


def xl_functions() -> list:
    return [getattr(xl, n) for n in xl.__all__ if n.startswith("GK_")]


def test_build_addin_knows_the_functions_of_gongkai_xl() -> None:
    assert sorted(load("build_addin").functions()) == sorted(f.__name__ for f in xl_functions())


def test_the_template_finished_by_the_docs_steps_passes() -> None:
    """The template's modules after the steps of docs/excel.md: nothing left to fix; each step undone, one problem."""
    build_addin = load("build_addin")
    _, modules = build_addin.vba_project(TEMPLATE)
    ribbon = (MACROS / "customUI.xml").read_bytes()
    done = dict(modules)
    del done["RibbonMyAddin"]
    done["GongkaiRibbon"] = (MACROS / "GongkaiRibbon.bas").read_text(encoding="utf-8")
    done["xlwings"] = modules["xlwings"].replace('PROJECT_NAME As String = "myaddin"', 'PROJECT_NAME As String = "gongkai"')
    assert [p for p in build_addin.problems("gongkai", done, ["_gongkai.conf"], ribbon) if "not imported" in p] == [
        f"functions not imported ({', '.join(build_addin.functions())}): run ImportPythonUDFsToAddin"]
    done["xlwings_udfs"] = "".join(f"Function {f.__name__}(a, Optional b)\nEnd Function\n" for f in xl_functions())
    assert build_addin.problems("gongkai", done, ["_gongkai.conf"], ribbon) == []
    stale = {**done, "GongkaiRibbon": done["GongkaiRibbon"].replace("gongkai.xl.clear_marks()", "gongkai.xl.clear()")}
    assert len(build_addin.problems("gongkai", stale, ["_gongkai.conf"], ribbon)) == 1
    renamed = {**done, "GongkaiRibbon": done["GongkaiRibbon"].replace("Sub GongkaiFill(", "Sub Fill(")}
    assert [p for p in build_addin.problems("gongkai", renamed, [], ribbon) if "GongkaiRibbon.GongkaiFill" in p]
    assert len(build_addin.problems("VBAProject", done, ["_gongkai.conf"], ribbon)) == 1


def test_build_addin_writes_only_the_ribbon_reproducibly(tmp_path: Path) -> None:
    build_addin = load("build_addin")
    out = build_addin.write(TEMPLATE, tmp_path / "gongkai.xlam")
    again = build_addin.write(TEMPLATE, tmp_path / "again.xlam")
    assert out.read_bytes() == again.read_bytes()  # reproducible
    with zipfile.ZipFile(TEMPLATE) as a, zipfile.ZipFile(out) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            expected = (MACROS / "customUI.xml").read_bytes() if name == build_addin.CUSTOM_UI else a.read(name)
            assert b.read(name) == expected, name


def test_install_guide_names_every_release_asset_and_the_current_wheel() -> None:
    guide = (MACROS.parent / "docs" / "excel.md").read_text(encoding="utf-8")
    release = load("release")
    for name in [*release.COPIED, *release.WRITTEN]:
        assert f"`{name}`" in guide, name
    version = re.search(r'^version = "([^"]+)"', (MACROS.parent / "pyproject.toml").read_text(encoding="utf-8"), re.M)[1]
    assert set(re.findall(r"gongkai-([\d.]+)-py3-none-any\.whl", guide)) == {version}
    for route in ("## 一、Windows + 本机 Python", "## 二、xlwings Lite", "## 三、WPS 用户", "## 四、一次性的 Windows 构建步骤"):
        assert route in guide
