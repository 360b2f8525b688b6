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
from .text import clean, parse_number

LEVELS: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
    "成本指标": ("经济成本指标", "社会成本指标", "生态环境成本指标"),
}
"""一级指标 → its 二级指标 (TABLES.md)."""

NATURES = {"≥": "≥", ">=": "≥", "≤": "≤", "<=": "≤", "=": "=", "＝": "=", "==": "=", "定性": "定性"}
"""Accepted spellings of 指标性质 → the standard one."""
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
    """The unit written at the end of a 三级指标 name: "培训期数(期)" → "期"; None without one."""
    m = _NAME_UNIT.search(clean(name))
    return m.group(1).strip() if m else None


def _same_unit(a: str, b: str) -> bool:
    return clean(a).replace(" ", "").replace("％", "%") == clean(b).replace(" ", "").replace("％", "%")


def judge_indicator(nature: str | None, value: str | float | int | Decimal | None, unit: str | None, name: str = "") -> list[Verdict]:
    """Everything wrong with one indicator row (指标性质, 指标值, 度量单位, 三级指标); [] when it is all right."""
    nature_text = clean(nature or "")
    unit_text = clean(unit or "")
    value_text = "" if value is None else clean(str(value)) if not isinstance(value, (int, float, Decimal)) else str(value)
    out: list[Verdict] = []
    standard = NATURES.get(nature_text.replace(" ", ""))
    meant = standard or NONSTANDARD.get(nature_text.replace(" ", ""))
    if meant is None:
        shown = nature_text or "（空）"
        out.append(Verdict("nature_unknown", Severity.ERROR, f"指标性质「{shown}」无效，应为 ≥、≤、= 或 定性"))
    elif standard is None:
        out.append(Verdict("nature_nonstandard", Severity.WARNING, f"指标性质「{nature_text}」不规范，应写作「{meant}」"))
    number, percent = number_of(value)
    if meant == "定性":
        if unit_text:
            out.append(Verdict("qualitative_unit", Severity.WARNING, f"定性指标不应有度量单位（现为「{unit_text}」）"))
        if number is not None:
            out.append(Verdict("qualitative_number", Severity.WARNING, f"定性指标的指标值应为文字描述，现为数字 {value_text}"))
    elif meant is not None:
        if number is None:
            shown = value_text or "（空）"
            out.append(Verdict("value_not_number", Severity.ERROR, f"定量指标（{meant}）的指标值应为数字，现为「{shown}」"))
        if not unit_text and not percent:
            out.append(Verdict("unit_missing", Severity.ERROR, "定量指标缺少度量单位"))
        is_percent = percent or unit_text in PERCENT_UNITS
        if number is not None and is_percent and not Decimal(0) <= number <= Decimal(100):
            out.append(Verdict("percent_range", Severity.ERROR, f"百分比指标值 {number} 不在 0～100 之间"))
    named = unit_in_name(name)
    if named and unit_text and not _same_unit(named, unit_text):
        out.append(Verdict("name_unit", Severity.ERROR, f"三级指标名称中的单位「{named}」与度量单位「{unit_text}」不一致"))
    return out


def judge_weights(weights: Iterable[Decimal | None], allowed: Iterable[Decimal]) -> Verdict | None:
    """A project's 权重 must add up to one of the allowed totals (100, or 90 where 10 are kept for 预算执行率)."""
    total = sum((w for w in weights if w is not None), Decimal(0))
    accepted = tuple(allowed)
    if total in accepted:
        return None
    wanted = " 或 ".join(f"{a.normalize():f}" for a in accepted)
    return Verdict("weights_total", Severity.ERROR, f"权重合计为 {total.normalize():f}，应为 {wanted}")
