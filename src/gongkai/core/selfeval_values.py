"""Parsing 自评表 values: 年度指标值 and 实际完成值 (`≥30次`, `53次`, `100%`, `优`, `5万元`, `≤3个月`), met or missed.

Pure helpers for the F4xx 自评表 rules. A value is a comparison sign, a number and a unit, or a qualitative text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Op = Literal["≥", "≤", "=", ">", "<"]

_PREFIX_OPS: tuple[tuple[str, Op], ...] = (
    (">=", "≥"), ("≥", "≥"), ("≧", "≥"), ("大于等于", "≥"), ("大于或等于", "≥"), ("不低于", "≥"), ("不少于", "≥"),
    ("至少", "≥"), ("达到", "≥"), ("<=", "≤"), ("≤", "≤"), ("≦", "≤"), ("小于等于", "≤"), ("小于或等于", "≤"),
    ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("控制在", "≤"), ("=", "="), ("等于", "="),
    (">", ">"), ("大于", ">"), ("高于", ">"), ("超过", ">"), ("<", "<"), ("小于", "<"), ("低于", "<"),
)
_SUFFIX_OPS: tuple[tuple[str, Op], ...] = (
    ("及以上", "≥"), ("以上", "≥"), ("及以下", "≤"), ("以下", "≤"), ("以内", "≤"), ("之内", "≤"),
)
_NATURE: dict[str, Op] = {"≥": "≥", ">=": "≥", "大于等于": "≥", "≤": "≤", "<=": "≤", "小于等于": "≤", "=": "=", "等于": "=", ">": ">", "<": "<"}
_NUMBER = re.compile(r"^([+-]?\d+(?:,\d{3})*(?:\.\d+)?)(.*)$")
_UNIT_ALIASES = {"％": "%", "百分比": "%", "个月": "月", "月份": "月", "人次": "人次", "周": "周", "星期": "周"}
GRADES = {"差": 0, "较差": 0, "中": 1, "一般": 1, "合格": 1, "及格": 1, "良": 2, "良好": 2, "较好": 2, "优": 3, "优秀": 3, "好": 3}
_NEGATIVE = ("未", "没有", "不达", "未达", "不合格", "不满意", "无法", "未完成", "滞后")


@dataclass(frozen=True)
class Value:
    """A parsed 指标值: ``op`` and ``number`` with ``unit`` for a quantitative value, else ``number`` is None."""

    text: str
    op: Op | None = None
    number: Decimal | None = None
    unit: str = ""

    @property
    def quantitative(self) -> bool:
        return self.number is not None

    @property
    def blank(self) -> bool:
        return not self.text


def _clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def unit_of(text: str) -> str:
    """A unit as compared: NFKC, no brackets or spaces, common aliases folded ("％" → "%", "个月" → "月")."""
    u = _clean(text).strip("()（）[]【】")
    return _UNIT_ALIASES.get(u, u)


def parse(text: str | None, nature: str | None = None) -> Value:
    """`≥30次` → (≥, 30, 次); `100%` → (None, 100, %); `3个月以内` → (≤, 3, 月); `优` → qualitative.

    ``nature`` is a separate 指标性质 cell (≥ / ≤ / = / 定性), used when the value carries no sign.
    """
    raw = (text or "").strip()
    s = _clean(raw)
    op: Op | None = None
    for word, sign in _PREFIX_OPS:
        if s.startswith(word):
            op, s = sign, s[len(word):]
            break
    for word, sign in _SUFFIX_OPS:
        if s.endswith(word):
            op, s = op or sign, s[: -len(word)]
            break
    m = _NUMBER.match(s)
    if m is None:
        return Value(raw)
    try:
        number = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return Value(raw)
    unit = unit_of(m.group(2))
    if op is None and nature:
        op = _NATURE.get(_clean(nature))
    return Value(raw, op, number, unit)


def same_unit(target: Value, actual: Value) -> bool:
    """Both quantitative and in the same unit (a bare number on either side counts as the other's unit)."""
    if not (target.quantitative and actual.quantitative):
        return True
    return not target.unit or not actual.unit or target.unit == actual.unit


def met(target: Value, actual: Value, *, reverse: bool = False) -> bool | None:
    """Whether the 实际完成值 meets the 年度指标值; None when that cannot be told (texts that do not compare).

    A quantitative target without a sign is an exact target (=): an actual above or below it misses (TABLES.md,
    自评表: "an unsigned 年度指标值 is an exact target"). ``reverse`` is kept for callers; it no longer changes that.
    A qualitative target is met by the same text or a grade at least as good (优 ≥ 良 ≥ 中 ≥ 差), missed by a
    negative phrase (未完成, 不达标 …).
    """
    if actual.blank or target.blank:
        return None
    if target.quantitative:
        if not actual.quantitative or not same_unit(target, actual):
            return None
        t, a = target.number, actual.number
        assert t is not None and a is not None
        op = target.op or "="
        return {"≥": a >= t, "≤": a <= t, "=": a == t, ">": a > t, "<": a < t}[op]
    t_text, a_text = _clean(target.text), _clean(actual.text)
    if t_text == a_text:
        return True
    if t_text in GRADES and a_text in GRADES:
        return GRADES[a_text] >= GRADES[t_text]
    if any(word in a_text for word in _NEGATIVE) and not any(word in t_text for word in _NEGATIVE):
        return False
    return None
