"""Profiles: a province's settings (tolerance, 权重 total, required tables, header synonyms, rules off), from TOML."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class ProfileError(Exception):
    """A profile that cannot be loaded; the message is in Chinese."""


class Profile(BaseModel):
    """Settings that differ between provinces. Every field has a safe default."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = "default"
    description: str = ""
    rounding_per_part: Decimal = Decimal("0.005")
    """舍位 tolerance per summed part, in the sheet's 金额单位 (0.005 万元 = 50 元)."""
    weight_total: Decimal = Decimal(100)
    """What a project's indicator 权重 add up to: 100, or 90 where 10 points are kept for 预算执行率."""
    weight_totals_allowed: tuple[Decimal, ...] = (Decimal(100), Decimal(90))
    """Totals accepted without a finding (a province may allow both)."""
    required_tables: tuple[str, ...] = ()
    """Table ids a complete workbook must hold (R-rule when missing)."""
    header_synonyms: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    """Extra header spellings, by column key: {"合计": ["合 计", "总额"]}."""
    disabled_rules: tuple[str, ...] = ()
    """Rule ids or prefixes switched off ("P305", "X2")."""
    max_inflated_mb: int = 200
    """Files that unpack to more than this are refused (zip bombs)."""
    max_cells: int = 2_000_000
    """Workbooks with more cells (counted from A1) are refused. Reading costs about 400 bytes and 5 µs per cell
    (1 million: 0.4 GB, 5 s), so the default stays within a clerk's laptop; a real 公开表 workbook has < 100,000."""
    max_seconds_per_file: float = 60.0

    def enabled(self, rule: str) -> bool:
        return not any(rule.startswith(p) for p in self.disabled_rules)


def builtin_profiles() -> list[str]:
    folder = resources.files("gongkai.core") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load(name_or_path: str | Path | None = None) -> Profile:
    """A shipped profile by name ("default", "sichuan") or a TOML file by path."""
    if name_or_path is None:
        name_or_path = "default"
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        text = path.read_text(encoding="utf-8")
    else:
        res = resources.files("gongkai.core") / "profiles" / f"{name_or_path}.toml"
        if not res.is_file():
            raise ProfileError(f"找不到配置「{name_or_path}」：内置配置有 {', '.join(builtin_profiles())}，或给出 .toml 文件路径")
        text = res.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"配置文件格式错误：{exc}") from None
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ProfileError(f"配置内容有误：{problems}") from None
