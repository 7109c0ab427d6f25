"""Prices and coefficients as versioned, sourced, year-stamped data; and the deflator.

A price set (``data/prices/*.yaml`` or a bureau's own YAML file in the same schema) lists every
unit price and coefficient a method needs: its value, unit, the year of its price level, for a
price the valuation method it belongs to (``kind``), its source and marker (P primary text read,
S secondary source, R recollection).  Nothing is a hidden constant: a result lists every entry
it used.  A :class:`Deflator` (a price index by year, given by the user) brings prices of other
years to the accounting year's price level, so that a series is at constant prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ecociv.errors import ConfigError, InputError
from ecociv.gep.catalog import catalog
from ecociv.gep.units import scale

MARKERS = {
    "P": ("原文已读", "primary text read"),
    "S": ("二手资料", "secondary source"),
    "R": ("未经核实的回忆", "unverified recollection"),
}


@dataclass(frozen=True, slots=True)
class Price:
    """One price or coefficient: ``per_canonical`` is its value in 万元 (or the coefficient's
    canonical unit) per canonical unit of quantity."""

    key: str
    zh: str
    value: Decimal
    unit: str
    canonical_unit: str
    per_canonical: Decimal
    year: int | None
    kind: str | None
    source: str
    marker: str

    @property
    def is_price(self) -> bool:
        return self.canonical_unit.startswith("万元/")

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "zh": self.zh,
            "value": float(self.value),
            "unit": self.unit,
            "year": self.year,
            "kind": self.kind,
            "source": self.source,
            "marker": self.marker,
        }


@dataclass(frozen=True)
class PriceSet:
    code: str
    zh: str
    en: str
    version: int
    entries: dict[str, Price]
    name: str

    def get(self, key: str, needed_by: str) -> Price:
        price = self.entries.get(key)
        if price is None:
            raise ConfigError(
                f"价格集 {self.code} 缺少 {key}（{needed_by} 需要）",
                f"price set {self.code} lacks {key} (needed by {needed_by})",
                where=self.name,
            )
        return price


DEFAULT_PRICE_SET = "ganzi_2010"
"""The price set used when none is named (GZ 表3, every entry sourced)."""


def packaged_price_sets() -> list[str]:
    folder = resources.files("ecociv").joinpath("gep/data/prices")
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def load_price_set(ref: str | Path) -> PriceSet:
    """A packaged price set by code, or a price-set YAML file by path."""
    if isinstance(ref, Path) or str(ref).endswith((".yaml", ".yml")):
        name = str(ref)
        try:
            text = Path(ref).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"无法读取价格集：{exc}", f"cannot read the price set: {exc}", where=name
            ) from None
    elif ref in packaged_price_sets():
        name = f"gep/data/prices/{ref}.yaml"
        text = resources.files("ecociv").joinpath(name).read_text(encoding="utf-8")
    else:
        raise ConfigError(
            f"未知价格集 {ref}（可用：{packaged_price_sets()}，或给出 YAML 文件路径）",
            f"unknown price set {ref} (known: {packaged_price_sets()}, or give a YAML file path)",
        )
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"价格集不是有效的 YAML：{exc}", f"the price set is not valid YAML: {exc}", where=name
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ConfigError(
            "价格集须含 entries 列表", "a price set needs an entries list", where=name
        )
    entries = [_price(e, f"{name} #{i + 1}") for i, e in enumerate(data["entries"])]
    keys = [p.key for p in entries]
    if len(set(keys)) != len(keys):
        raise ConfigError("价格集中键重复", "a key repeats in the price set", where=name)
    return PriceSet(
        code=str(data.get("code") or name),
        zh=str(data.get("zh", "")),
        en=str(data.get("en", "")),
        version=int(data.get("version", 1)),
        entries={p.key: p for p in entries},
        name=name,
    )


def _price(raw: Any, where: str) -> Price:
    if not isinstance(raw, dict):
        raise ConfigError(f"条目不是映射：{raw}", f"the entry is not a mapping: {raw}", where=where)
    missing = [
        k for k in ("key", "zh", "value", "unit", "source", "marker") if raw.get(k) in (None, "")
    ]
    if missing:
        raise ConfigError(f"缺少字段 {missing}", f"fields {missing} are missing", where=where)
    try:
        value = Decimal(str(raw["value"]))
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0:
        raise ConfigError(
            f"{raw['key']} 的数值 {raw['value']!r} 应为非负数",
            f"the value {raw['value']!r} of {raw['key']} must be a non-negative number",
            where=where,
        )
    unit = scale(str(raw["unit"]))
    if unit is None:
        raise ConfigError(
            f"{raw['key']} 的单位 {raw['unit']} 未知",
            f"{raw['key']} has an unknown unit {raw['unit']}",
            where=where,
        )
    if raw["marker"] not in MARKERS:
        raise ConfigError(
            f"marker 只能是 {sorted(MARKERS)}",
            f"marker must be one of {sorted(MARKERS)}",
            where=where,
        )
    kind = raw.get("kind")
    if unit.is_price and (raw.get("year") is None or kind not in catalog().valuation_methods):
        raise ConfigError(
            f"价格 {raw['key']} 须注明价格年份（year）和所属核算方法（kind）",
            f"price {raw['key']} needs the year of its price level and its valuation method (kind)",
            where=where,
        )
    return Price(
        key=str(raw["key"]),
        zh=str(raw["zh"]),
        value=value,
        unit=str(raw["unit"]),
        canonical_unit=unit.canonical,
        per_canonical=value * unit.factor,
        year=int(raw["year"]) if raw.get("year") is not None else None,
        kind=kind,
        source=str(raw["source"]),
        marker=str(raw["marker"]),
    )


@dataclass(frozen=True)
class Deflator:
    """A price index by year (any base); ``factor(a, b)`` moves a price of year *a* to year *b*."""

    index: dict[int, Decimal]
    source: str

    def factor(self, from_year: int, to_year: int) -> Decimal:
        for year in (from_year, to_year):
            if year not in self.index:
                raise InputError(
                    f"价格指数缺少 {year} 年（平减需要 {from_year} → {to_year}）",
                    f"the price index lacks the year {year} (needed to deflate {from_year} → {to_year})",
                    where=self.source,
                )
        return self.index[to_year] / self.index[from_year]
