"""Cell text: normalising labels, folding for matching, parsing codes and numbers.

Pure functions; the reader, the rules and the export all use these so a label is cleaned one way only.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

_SPACE = re.compile(r"\s+")
_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef“”‘’"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』`")
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
)
# how people write 其中 before an item: "其中：", "其中:"
_QIZHONG = re.compile(r"^其中[:：]?")


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """A label as a person meant it: NFKC forms, no line breaks, no spaces inside Chinese text.

    "基本工 资" -> "基本工资"; "机关事\\n业单位" -> "机关事业单位"; "（一）" -> "(一)".
    """
    text = unicodedata.normalize("NFKC", text)
    if _SPACE.search(text) is None:  # most labels: nothing for the three passes below to do
        return text
    text = _SPACE_NEAR_CJK.sub("", text)
    return _SPACE.sub(" ", text).strip()


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """The key two labels are compared by: clean(), no spaces, no quotes, half-width brackets."""
    return clean(text).replace(" ", "").translate(_QUOTES)  # clean() leaves single spaces only


@lru_cache(maxsize=1 << 14)
def strip_ordinal(text: str) -> str:
    """Drop a leading "一、" / "(一)" / "1." / "其中：" from a folded label."""
    text = _QIZHONG.sub("", text)
    return _ORDINAL.sub("", text)


_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def parse_number(text: str) -> Decimal | None:
    """A number written as text ("1,672.81", "１２３.４", " -5 "), or None when it is not one."""
    s = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    negative = False
    if s.startswith("(") and s.endswith(")"):  # accountants' negative
        s, negative = s[1:-1], True
    if not _NUMBER.match(s):
        return None
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex admits only valid literals
        return None
    return -value if negative else value


def shown(value: object) -> str:
    """A cell value as text, the way a sheet shows it: None → "", 208.0 → "208"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


CENT = Decimal("0.01")


def to_decimal(value: float | int) -> Decimal:
    """A float read from a sheet as an exact decimal, via its shortest repr (0.1 -> 0.1, not 0.1000000000000000055)."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


_CODE_SEP = re.compile(r"[\s.\-_·/]")
_LEADING_CODE = re.compile(r"^[\[【(（]?(\d{3,})[\]】)）]?\s*[-—－_:：、.]?\s*(.*)$", re.S)


@lru_cache(maxsize=1 << 14)
def parse_code(text: str) -> str | None:
    """A 科目编码 as digits: "208 05 05", "208.05.05", "2080505" -> "2080505"; None if not a code."""
    s = _CODE_SEP.sub("", unicodedata.normalize("NFKC", text))
    return s if s.isdigit() and 3 <= len(s) <= 7 else None


@lru_cache(maxsize=1 << 14)
def split_leading_code(text: str) -> tuple[str | None, str]:
    """("2080505", "行政单位离退休") from "2080505 行政单位离退休" or "[101001]某某局"; (None, text) otherwise."""
    m = _LEADING_CODE.match(clean(text))
    if m and m.group(2):
        return m.group(1), m.group(2).strip()
    return None, clean(text)


_PROJECT = re.compile(r"^([0-9A-Za-z](?:[0-9A-Za-z]|\s(?=[0-9A-Za-z])){5,})\s*[-—－_:：]\s*(.+)$", re.S)


@lru_cache(maxsize=1 << 14)
def split_project(text: str) -> tuple[str | None, str]:
    """("51110021T000000123456", "医保信息化建设") from "51110021T000000123456-医保信息化建设", also when a line break or a
    space split the code ("51110021T0000 00123456-…")."""
    cleaned = clean(text)
    m = _PROJECT.match(cleaned)
    if m and any(ch.isdigit() for ch in m.group(1)):
        return _SPACE.sub("", m.group(1)), m.group(2).strip()
    return None, cleaned


def quote(value: object, limit: int = 40) -> str:
    """A cell's content for a message: at most ``limit`` characters ("很长的文字…（共 10485760 字）")."""
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else f"{text[:limit]}…（共 {len(text)} 字）"
