"""The performance evaluation indicator set (绩效评价指标体系), read from
``data/performance.yaml`` and checked at load.

Basis: 财政部《项目支出绩效评价管理办法》(财预〔2020〕10号) — first-level indicators 投入/决策,
过程, 产出, 效益; a score out of 100; grades 优 (≥90), 良 (80–<90), 中 (60–<80), 差 (<60).
The weights, second-level indicators and guides are ecociv's defaults (see the data file).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ecociv.store.errors import ValidationError

TOTAL = 100.0
WHERE = "projects/data/performance.yaml"


@dataclass(frozen=True)
class Indicator:
    code: str
    zh: str
    en: str
    points: float
    guide: str
    dimension: str


@dataclass(frozen=True)
class Dimension:
    code: str
    zh: str
    en: str
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Grade:
    code: str
    zh: str
    en: str
    min: float


@dataclass(frozen=True)
class IndicatorSet:
    version: str
    source: str
    dimensions: tuple[Dimension, ...]
    grades: tuple[Grade, ...]

    @property
    def indicators(self) -> dict[str, Indicator]:
        return {i.code: i for d in self.dimensions for i in d.indicators}

    def grade(self, total: float) -> Grade:
        """The band holding *total* (bands are ordered from the highest minimum down to 0)."""
        return next(g for g in self.grades if total >= g.min)


def _bad(zh: str, en: str, where: str) -> ValidationError:
    return ValidationError(zh, en, where=f"{WHERE}/{where}")


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(f"{where} 须为数字", f"{where} must be a number", where)
    if value <= 0:
        raise _bad(f"{where} 须大于 0", f"{where} must be above 0", where)
    return float(value)


def _text(item: dict[str, Any], key: str, where: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{where} 缺少 {key}", f"{where} has no {key}", f"{where}/{key}")
    return value.strip()


def parse(data: Any) -> IndicatorSet:
    """An :class:`IndicatorSet` from the loaded YAML, or a :class:`ValidationError` naming the
    item at fault (weights that do not sum to 100, points that do not sum to their dimension's
    weight, a duplicate code, grade bands out of order)."""
    if not isinstance(data, dict):
        raise _bad("指标体系须为映射", "the indicator set must be a mapping", "")
    version, source = _text(data, "version", "version"), _text(data, "source", "source")
    seen: set[str] = set()
    dimensions = []
    for n, raw in enumerate(data.get("dimensions") or []):
        where = f"dimensions[{n}]"
        code = _text(raw, "code", where)
        where = f"dimensions/{code}"
        if code in seen:
            raise _bad(f"代码 {code} 重复", f"duplicate code {code}", where)
        seen.add(code)
        weight = _number(raw.get("weight"), f"{where}/weight")
        indicators = []
        for m, item in enumerate(raw.get("indicators") or []):
            icode = _text(item, "code", f"{where}/indicators[{m}]")
            iwhere = f"{where}/{icode}"
            if icode in seen:
                raise _bad(f"代码 {icode} 重复", f"duplicate code {icode}", iwhere)
            seen.add(icode)
            indicators.append(
                Indicator(
                    icode,
                    _text(item, "zh", iwhere),
                    _text(item, "en", iwhere),
                    _number(item.get("points"), f"{iwhere}/points"),
                    _text(item, "guide", iwhere),
                    code,
                )
            )
        if not indicators:
            raise _bad(f"{where} 没有二级指标", f"{where} has no indicators", where)
        points = sum(i.points for i in indicators)
        if not math.isclose(points, weight):
            raise _bad(
                f"二级指标分值合计 {points:g}，与权重 {weight:g} 不符",
                f"the indicators' points sum to {points:g}, not the weight {weight:g}",
                where,
            )
        dimensions.append(
            Dimension(
                code, _text(raw, "zh", where), _text(raw, "en", where), weight, tuple(indicators)
            )
        )
    if not dimensions:
        raise _bad("没有一级指标", "no dimensions", "dimensions")
    weights = sum(d.weight for d in dimensions)
    if not math.isclose(weights, TOTAL):
        raise _bad(
            f"一级指标权重合计 {weights:g}，应为 100",
            f"the dimensions' weights sum to {weights:g}, not 100",
            "dimensions",
        )
    return IndicatorSet(version, source, tuple(dimensions), _grades(data.get("grades")))


def _grades(raw: Any) -> tuple[Grade, ...]:
    grades: list[Grade] = []
    for n, item in enumerate(raw or []):
        where = f"grades[{n}]"
        code = _text(item, "code", where)
        low = item.get("min")
        if isinstance(low, bool) or not isinstance(low, int | float) or not 0 <= low <= TOTAL:
            raise _bad(
                f"等级 {code} 的下限须为 0 至 100", f"grade {code}: min must be 0 to 100", where
            )
        if grades and low >= grades[-1].min:
            raise _bad(
                f"等级 {code} 的下限须低于上一等级",
                f"grade {code}: min must be below the last",
                where,
            )
        grades.append(Grade(code, _text(item, "zh", where), _text(item, "en", where), float(low)))
    if not grades or grades[-1].min != 0:
        raise _bad("等级须从高到低排列并以 0 分为最低下限", "grades must end with min 0", "grades")
    return tuple(grades)


@cache
def indicator_set() -> IndicatorSet:
    text = resources.files("ecociv.projects").joinpath("data/performance.yaml").read_text("utf-8")
    return parse(yaml.safe_load(text))
