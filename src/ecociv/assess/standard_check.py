"""Judge a value against a demonstration-zone standard indicator (``ecociv.standards``).

Applicability first (市/县 level, coastal-only indicators), then the threshold of the
region's class, then the verdict engine.  A threshold or applicability the facts mark
unknown gives ``needs_review`` naming it; it is never guessed.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from ecociv.assess.context import Context
from ecociv.assess.direction import infer_direction
from ecociv.assess.statuses import NEEDS_REVIEW, NOT_APPLICABLE, make
from ecociv.assess.values import Value
from ecociv.assess.verdict import evaluate
from ecociv.expr import ast
from ecociv.expr.parse import parse
from ecociv.model import Verdict
from ecociv.standards.catalog import (
    UNKNOWN,
    Indicator,
    Threshold,
    applies_of,
    get_indicator,
    get_standard,
    thresholds_of,
)

#: A class value meaning "every class not named by another threshold" (其他地区, Zhejiang 其他).
FALLBACK_CLASSES = ("其他地区", "其他")

#: The class dimensions of the standards' data files (``version.dimensions``), named for
#: readers in Chinese and English: a reason never shows the data key itself.
DIMENSION_NAMES = {
    "terrain": ("地形类别", "terrain class"),
    "level": ("行政级别", "administrative level"),
    "city_size": ("城市规模", "city size"),
    "zj_county": ("浙江省县级类别", "Zhejiang county class"),
}
LEVEL_NAMES_EN = {"市": "city", "县": "county"}


def dimension_name(dimension: str, lang: str) -> str:
    zh, en = DIMENSION_NAMES.get(dimension, (dimension, dimension))
    return zh if lang == "zh" else en


@cache
def requirement_of(text: str) -> ast.Expr:
    """The parsed requirement of a threshold (parsed once per distinct text)."""
    return parse(text).expr


def context_for(indicator: Indicator, context: Context) -> Context:
    """*context* with the indicator's name, unit and direction (stated, else inferred)."""
    found = infer_direction(indicator.name)
    return replace(
        context,
        indicator=indicator.name,
        unit=indicator.unit or context.unit,
        better=indicator.direction or found.better,
        share=found.share,
    )


def judge_standard(code: str, value: Value, context: Context) -> Verdict:
    """The verdict of *value* against standard indicator *code* for the region in *context*."""
    indicator = get_indicator(code)
    blocked = _applicability(code, context)
    if blocked is not None:
        return blocked
    chosen = choose_threshold(code, context)
    if isinstance(chosen, Verdict):
        return chosen
    verdict = evaluate(requirement_of(chosen.requirement), value, context_for(indicator, context))
    verdict.inputs = {**verdict.inputs, "standard": code, "evidence": chosen.evidence}
    return verdict


def _applicability(code: str, context: Context) -> Verdict | None:
    applies = applies_of(code)
    if applies is None:
        return None
    if applies.coastal_only and context.coastal is not True:
        if context.coastal is False:
            return make(
                NOT_APPLICABLE,
                "仅适用于沿海地区",
                "applies to coastal areas only",
                inputs={"standard": code},
            )
        return make(
            NEEDS_REVIEW,
            "该指标仅适用于沿海地区，未说明本地区是否沿海",
            "coastal-only indicator; whether the region is coastal is not given",
            missing=["是否沿海 / whether the region is coastal"],
            inputs={"standard": code},
        )
    level = context.classes.get("level")
    if level is None:
        if applies.city is True and applies.county is True:
            return None
        return make(
            NEEDS_REVIEW,
            "适用范围因市、县而异，未说明本地区级别",
            "applicability differs for cities and counties; the region's level is not given",
            missing=["行政级别（市/县） / administrative level"],
            inputs={"standard": code},
        )
    at = applies.at_level(level)
    if at is False:
        return make(
            NOT_APPLICABLE,
            f"该指标不适用于{level}",
            f"not applicable to a {LEVEL_NAMES_EN.get(level, level)}",
            inputs={"standard": code, "evidence": applies.evidence},
        )
    if at == UNKNOWN:
        level_en = LEVEL_NAMES_EN.get(level, level)
        return make(
            NEEDS_REVIEW,
            f"标准数据未说明该指标是否适用于{level}",
            f"the standard's data does not say whether it applies to a {level_en}",
            missing=[f"{level}级适用范围 / applicability to a {level_en}"],
            inputs={"standard": code, "evidence": applies.evidence},
        )
    return None


def choose_threshold(code: str, context: Context) -> Threshold | Verdict:
    """The threshold for the region's classes, or a needs_review verdict saying what is lacking."""
    thresholds = thresholds_of(code)
    if not thresholds:
        return make(
            NEEDS_REVIEW,
            "标准未给出该项的指标值",
            "the standard gives no threshold here",
            missing=["指标值 / threshold"],
            inputs={"standard": code},
        )
    dimensions = get_standard(code.split(".", 1)[0]).version.dimensions
    chosen: Threshold | None = None
    for threshold in thresholds:
        decided = threshold.matches(context.classes)
        if decided is None:
            lacking = sorted(set(threshold.when) - set(context.classes))
            options = "、".join(v for d in lacking for v in dimensions.get(d, ()))
            names_zh = "、".join(dimension_name(d, "zh") for d in lacking)
            names_en = ", ".join(dimension_name(d, "en") for d in lacking)
            return make(
                NEEDS_REVIEW,
                f"指标值因{names_zh}而异（{options}），未说明本地区的{names_zh}",
                f"the threshold depends on the region's {names_en}, which is not given",
                missing=[
                    f"本地区的{dimension_name(d, 'zh')}（{'、'.join(dimensions.get(d, ()))}）"
                    f" / the region's {dimension_name(d, 'en')}"
                    for d in lacking
                ],
                inputs={"standard": code},
            )
        if decided:
            chosen = threshold
            break
    if chosen is None:
        chosen = _fallback(thresholds, context)
    if chosen is None:
        return make(
            NOT_APPLICABLE,
            "标准未对本地区类别规定指标值",
            "no threshold for the region's class",
            inputs={"standard": code, "classes": dict(context.classes)},
        )
    if not chosen.known:
        classes = "、".join(chosen.when.values()) or "全部地区"
        return make(
            NEEDS_REVIEW,
            f"标准数据未给出{classes}的指标值",
            "the standard's data gives no threshold for the region's class",
            missing=[f"{classes}的指标值 / the threshold for the region's class"],
            inputs={"standard": code, "evidence": chosen.evidence},
        )
    return chosen


def _fallback(thresholds: tuple[Threshold, ...], context: Context) -> Threshold | None:
    """The unconditional threshold, or the one for 其他地区 when the class is named elsewhere."""
    for threshold in thresholds:
        if not threshold.when:
            return threshold
        if any(value in FALLBACK_CLASSES for value in threshold.when.values()):
            return threshold
    return None
