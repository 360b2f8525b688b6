"""Performance indicators (绩效指标): the verdicts on one indicator row and on a project's weights. Pure.

The P3xx rules (``checks/indicators.py``) and the Excel functions GK_INDICATOR / GK_WEIGHTS (``xl.py``) both call
these, so a cell formula and ``gongkai check`` can never disagree. Each verdict is a ``Verdict`` with a stable
``key`` (what is wrong), a severity and a short Chinese message; the rules map keys to their rule ids.
Source: TABLES.md "Performance indicators".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .findings import Severity
from .selfeval_values import parse, unit_of
from .text import clean, fold, parse_number

LEVELS: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
"""一级指标 → its 二级指标 (TABLES.md)."""

NATURES = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", "=": "=", "＝": "=", "==": "=", "定性": "定性",
           "定性指标": "定性", "定量": "定量", "定量指标": "定量"}
"""Accepted spellings of 指标性质 → the standard one; 定量 (quantitative) takes its sign from the 指标值."""
OLDER_LEVEL2: dict[tuple[str, str], str] = {
    ("产出指标", "成本指标"): "成本指标已列为一级指标（经济成本指标、社会成本指标、生态环境成本指标）",
    ("产出指标", "经济成本指标"): "成本类指标现列在一级指标「成本指标」下",
    ("产出指标", "社会成本指标"): "成本类指标现列在一级指标「成本指标」下",
    ("产出指标", "生态环境成本指标"): "成本类指标现列在一级指标「成本指标」下",
}
"""(一级, 二级) pairs of older forms: the wording the current list no longer uses (a warning, not an error)."""
VARIANT_LEVEL2: dict[str, str] = {
    "满意度指标": "服务对象满意度指标",
    "服务对象满意度": "服务对象满意度指标",
    "社会公众或服务对象满意度指标": "服务对象满意度指标",
    "社会公众满意度指标": "服务对象满意度指标",
    "群众满意度指标": "服务对象满意度指标",
}
"""Variant spellings of a 二级指标 → the standard name (a warning: standard wording)."""
UNIT_WORDS = frozenset({
    "%", "％", "百分比", "人", "人次", "万人次", "万人", "次", "期", "期次", "家", "个", "户", "件", "天", "日", "月", "个月",
    "年", "周", "小时", "分钟", "万元", "元", "亿元", "千元", "元/人", "元/次", "场", "篇", "份", "台", "辆", "所", "项",
    "批", "册", "万册", "本", "张", "套", "座", "处", "条", "间", "栋", "公里", "千米", "米", "平方米", "万平方米", "亩",
    "公顷", "吨", "立方米", "千瓦时", "度", "课时", "学时", "班", "名", "位", "部", "种", "类", "所次", "户次", "分",
})
"""Unit words a 三级指标 name may end with in brackets ("培训期数(期)"); any other bracketed ending (an alias, an
explanation: "足额保障率(参保率)", "结余率(计算方法为…)") is not a unit."""
NONSTANDARD = {">": "≥", "<": "≤", "大于": "≥", "小于": "≤", "大于等于": "≥", "小于等于": "≤", "等于": "="}
"""Spellings that mean a standard 指标性质 but are not one (a warning, not an error)."""
PERCENT_UNITS = frozenset({"%", "％", "百分比"})
_NAME_UNIT = re.compile(r"[(（]([^()（）]{1,8})[)）]\s*$")


@dataclass(frozen=True)
class Verdict:
    """One thing wrong with an indicator (or a weight total)."""

    key: str
    """What is wrong, stable: "nature_unknown", "nature_nonstandard", "value_not_number", "unit_missing",
    "qualitative_unit", "qualitative_number", "percent_range", "name_unit", "weights_total"."""
    severity: Severity
    message: str


def nature_of(text: str) -> str | None:
    """The standard 指标性质 (≥, ≤, =, 定性) a cell means, standard or not; None when it means none."""
    t = clean(text).replace(" ", "")
    return NATURES.get(t) or NONSTANDARD.get(t)


def number_of(value: str | float | int | Decimal | None) -> tuple[Decimal | None, bool]:
    """(the number, written with a % sign) of an 指标值: 95, "95", "95%", "≥95" → 95; text → (None, False)."""
    if value is None or isinstance(value, bool):
        return None, False
    if isinstance(value, Decimal):
        return value, False
    if isinstance(value, (int, float)):
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(value), False
    s = clean(value).replace(" ", "").lstrip("≥≤=<>＝")
    percent = s.endswith(("%", "％"))
    return parse_number(s[:-1] if percent else s), percent


def unit_in_name(name: str) -> str | None:
    """The unit written at the end of a 三级指标 name: "培训期数(期)" → "期"; None without one, and None when the
    bracket holds no unit word ("足额保障率(参保率)" names the rate twice, it gives no unit)."""
    m = _NAME_UNIT.search(clean(name))
    if m is None:
        return None
    word = m.group(1).strip()
    return word if word in UNIT_WORDS or unit_of(word) in UNIT_WORDS else None


def _same_unit(a: str, b: str) -> bool:
    return unit_of(a) == unit_of(b)


def level2_verdict(level1: str, level2: str) -> tuple[str, str] | None:
    """("older" | "variant" | "unknown" | "foreign", message) for a 二级指标 that is not a standard one of its
    (standard) 一级指标; None when it is. Only "foreign" (a standard 二级 of another 一级) is an error."""
    two = fold(level2)
    allowed = LEVELS[level1]
    if (level1, two) in OLDER_LEVEL2 or (level1, two + "指标") in OLDER_LEVEL2:
        return "older", f"二级指标「{level2}」是旧表的写法：{OLDER_LEVEL2.get((level1, two)) or OLDER_LEVEL2[(level1, two + '指标')]}"
    if two in allowed or two + "指标" in allowed:
        return None
    if two in VARIANT_LEVEL2 and VARIANT_LEVEL2[two] in allowed:
        return "variant", f"二级指标「{level2}」不是规范名称，应写作「{VARIANT_LEVEL2[two]}」"
    owner = next((k for k, v in LEVELS.items() if two in v or two + "指标" in v), None)
    if owner is not None:
        return "foreign", f"二级指标「{level2}」不属于一级指标「{level1}」（它属于{owner}）"
    return "unknown", f"二级指标「{level2}」不在{level1}的二级指标中（应为{'、'.join(allowed)}之一）"


def judge_indicator(
    nature: str | None, value: str | float | int | Decimal | None, unit: str | None, name: str = "", *, has_nature: bool = True,
) -> list[Verdict]:
    """Everything wrong with one indicator row (指标性质, 指标值, 度量单位, 三级指标); [] when it is all right.

    ``has_nature=False``: the form prints no 指标性质 (provincial forms; or a form leaves the cell blank where the
    original merged 定量指标 over a run of rows): the kind follows from the 指标值 — a number, with its sign inside
    or not (``≥95%``, ``=30万元``, ``90.00(度)``), or a blank under a 度量单位, is quantitative, text is qualitative.
    指标性质 定量 likewise takes its sign from the value. The unit may stand in the value (``≥13459.00(平方米)``).
    """
    nature_text = clean(nature or "")
    unit_text = clean(unit or "")
    value_text = "" if value is None else clean(str(value)) if not isinstance(value, (int, float, Decimal)) else str(value)
    out: list[Verdict] = []
    parsed = parse(value_text)
    standard = NATURES.get(nature_text.replace(" ", ""))
    meant = standard or NONSTANDARD.get(nature_text.replace(" ", ""))
    if not has_nature and not nature_text:  # the kind from the value (a blank value under a unit: quantitative)
        meant = standard = "定量" if parsed.quantitative or (not value_text and unit_text) else ("定性" if value_text else None)
    elif meant is None:
        shown = nature_text or "（空）"
        out.append(Verdict("nature_unknown", Severity.ERROR, f"指标性质「{shown}」无效，应为 ≥、≤、= 或 定性"))
    elif standard is None:
        out.append(Verdict("nature_nonstandard", Severity.WARNING, f"指标性质「{nature_text}」不规范，应写作「{meant}」"))
    if parsed.op in (">", "<") and value_text[:1] in "><":
        wanted = {">": "≥", "<": "≤"}[parsed.op]
        out.append(Verdict("value_sign_nonstandard", Severity.WARNING, f"指标值「{value_text}」中的「{parsed.op}」不规范，应写作「{wanted}」"))
    number, percent = number_of(value)
    if number is None and parsed.quantitative:
        number, percent = parsed.number, parsed.unit == "%"
    value_unit = "" if parsed.unit == "%" and percent else parsed.unit
    if meant == "定性":
        if unit_text and has_nature:
            out.append(Verdict("qualitative_unit", Severity.WARNING, f"定性指标不应有度量单位（现为「{unit_text}」）"))
        if number is not None and has_nature and nature_text:
            out.append(Verdict("qualitative_number", Severity.WARNING, f"定性指标的指标值应为文字描述，现为数字 {value_text}"))
    elif meant is not None:
        if number is None:
            shown = value_text or "（空）"
            kind = "定量" if meant == "定量" else f"定量指标（{meant}）"
            out.append(Verdict("value_not_number", Severity.ERROR, f"{kind}的指标值应为数字，现为「{shown}」"))
        if not unit_text and not percent and not value_unit:
            out.append(Verdict("unit_missing", Severity.ERROR, "定量指标缺少度量单位"))
        is_percent = percent or unit_text in PERCENT_UNITS or value_unit in PERCENT_UNITS
        if number is not None and is_percent and not Decimal(0) <= number <= Decimal(100):
            out.append(Verdict("percent_range", Severity.ERROR, f"百分比指标值 {number} 不在 0～100 之间"))
    named = unit_in_name(name)
    stated = unit_text or value_unit or ("%" if percent else "")
    if named and stated and not _same_unit(named, stated):
        out.append(Verdict("name_unit", Severity.ERROR, f"三级指标名称中的单位「{named}」与度量单位「{stated}」不一致"))
    return out


def judge_weights(weights: Iterable[Decimal | None], allowed: Iterable[Decimal]) -> Verdict | None:
    """A project's 权重 must add up to one of the allowed totals (100, or 90 where 10 are kept for 预算执行率)."""
    total = sum((w for w in weights if w is not None), Decimal(0))
    accepted = tuple(allowed)
    if total in accepted:
        return None
    wanted = " 或 ".join(f"{a.normalize():f}" for a in accepted)
    return Verdict("weights_total", Severity.ERROR, f"权重合计为 {total.normalize():f}，应为 {wanted}")
