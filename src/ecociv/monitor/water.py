"""Surface-water quality classes (地表水水质类别) per GB 3838-2002 and the 2011 evaluation method.

The limits are data (``data/water_gb3838.yaml``, GB 3838-2002 表1); the rules are those of
《地表水环境质量评价办法（试行）》(环办〔2011〕22号):

* a parameter's class is the best class whose limit it meets ("≤" limits; DO "≥"; pH 6–9);
  a value meeting none is 劣Ⅴ类 (class 6 here); TP has separate lake/reservoir limits and TN
  is classed for lakes and reservoirs only (GB 3838-2002 表1 第8、9项);
* a section's class is the worst class among the evaluated parameters (single-factor method),
  which are Table 1 without water temperature, TN and fecal coliform;
* 超标倍数 = (C − S_Ⅲ) / S_Ⅲ against the class Ⅲ limit, for upper-limit parameters;
* main pollutants (主要污染指标) of a section worse than class Ⅲ: the three worst parameters,
  cyanide and heavy metals first, ties broken by 超标倍数;
* period values are arithmetic means of the samples; a region's Ⅰ-Ⅲ类比例 and 劣Ⅴ类比例 are
  shares of its sections, and its grade follows the basin rule (≥ 5 sections: by the shares;
  fewer: the mean concentrations classed as one section).

Two implementations share the data: small scalar functions (the reference, used in tests) and
Ibis expressions (:func:`evaluate`) that run unchanged on DuckDB and Spark.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Literal

import ibis
import ibis.expr.types as ir
import pandas as pd
import yaml

WORSE_THAN_V = 6
NO_REGION = "all"  # sections without a region code are summarised together under this code
MEAN_DECIMALS = 10  # period means are rounded here so float noise never crosses a limit
Period = Literal["year", "quarter", "month", "all"]
Ranking = Literal["class", "multiple"]


@dataclass(frozen=True)
class Parameter:
    """One GB 3838-2002 Table 1 item: its limits per class and how the method treats it."""

    code: str
    name: str
    unit: str
    kind: Literal["max", "min", "range", "none"]
    limits: tuple[Decimal, ...] = ()
    lake_limits: tuple[Decimal, ...] = ()
    bounds: tuple[Decimal, Decimal] | None = None
    applies_to: frozenset[str] = frozenset({"river", "lake"})
    aliases: tuple[str, ...] = ()
    source: str = ""
    in_section_class: bool = True
    has_multiple: bool = True
    priority: bool = False

    def limits_for(self, water_type: str) -> tuple[Decimal, ...]:
        return self.lake_limits if water_type == "lake" and self.lake_limits else self.limits


@dataclass(frozen=True)
class WaterStandard:
    parameters: dict[str, Parameter]
    class_labels: tuple[str, ...]
    grades: dict[int, str]
    main_count: int
    min_sections_for_ratio: int
    ratio_grades: tuple[dict, ...]
    source: str

    def label(self, water_class: int | None) -> str | None:
        return None if water_class is None else self.class_labels[water_class - 1]


@cache
def load_gb3838() -> WaterStandard:
    """GB 3838-2002 表1 and the evaluation method's rules, from the packaged YAML."""
    text = resources.files("ecociv.monitor").joinpath("data/water_gb3838.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    rules = data["evaluation"]
    excluded = set(rules["not_in_section_class"])
    no_multiple = set(rules["no_exceedance_multiple"])
    priority = set(rules["main_pollutants"]["priority"])

    def decimals(values) -> tuple[Decimal, ...]:
        return tuple(Decimal(str(v)) for v in values or ())

    parameters = {
        code: Parameter(
            code=code,
            name=item["name"],
            unit=item["unit"],
            kind=item["kind"],
            limits=decimals(item.get("limits")),
            lake_limits=decimals(item.get("lake_limits")),
            bounds=decimals(item["range"]) if "range" in item else None,  # type: ignore[arg-type]
            applies_to=frozenset(item.get("applies_to", ("river", "lake"))),
            aliases=tuple(item.get("aliases", ())),
            source=item["source"],
            in_section_class=code not in excluded and item["kind"] != "none",
            has_multiple=code not in no_multiple and item["kind"] == "max",
            priority=code in priority,
        )
        for code, item in data["parameters"].items()
    }
    return WaterStandard(
        parameters=parameters,
        class_labels=tuple(data["classes"]),
        grades={int(k): v for k, v in rules["grades"]["values"].items()},
        main_count=int(rules["main_pollutants"]["count"]),
        min_sections_for_ratio=int(rules["basin"]["min_sections_for_ratio_method"]),
        ratio_grades=tuple(rules["basin"]["ratio_grades"]),
        source=data["source"],
    )


# --------------------------------------------------------------------------- scalar reference


def _exact(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-MEAN_DECIMALS))


def parameter_class(code: str, value: float | None, water_type: str) -> int | None:
    """Class 1–6 (6 = 劣Ⅴ) of one value, or ``None`` when the item has no class here.

    GB 3838-2002 表1: the best class whose limit the value meets; DO is "≥"; pH 6–9 for
    every class; TP uses the lake/reservoir limits for lakes; TN is classed for lakes only.
    """
    p = load_gb3838().parameters[code]
    if value is None or p.kind == "none" or water_type not in p.applies_to:
        return None
    c = _exact(value)
    if p.kind == "range":
        assert p.bounds is not None
        return 1 if p.bounds[0] <= c <= p.bounds[1] else WORSE_THAN_V
    limits = p.limits_for(water_type)
    for index, limit in enumerate(limits, start=1):
        if (c <= limit) if p.kind == "max" else (c >= limit):
            return index
    return WORSE_THAN_V


def exceedance_multiple(code: str, value: float | None, water_type: str) -> float | None:
    """超标倍数 (C − S_Ⅲ)/S_Ⅲ when the value exceeds class Ⅲ, else ``None`` (评价办法)."""
    p = load_gb3838().parameters[code]
    if value is None or not p.has_multiple or water_type not in p.applies_to:
        return None
    limit = p.limits_for(water_type)[2]
    c = _exact(value)
    return float((c - limit) / limit) if c > limit else None


def evaluated(code: str, water_type: str, *, lake_tn_in_section_class: bool = False) -> bool:
    """Whether *code* enters the section class (the 21 items; TN for lakes if asked)."""
    p = load_gb3838().parameters[code]
    if code == "tn" and water_type == "lake" and lake_tn_in_section_class:
        return True
    return p.in_section_class and water_type in p.applies_to


def section_class(
    values: Mapping[str, float | None], water_type: str, *, lake_tn_in_section_class: bool = False
) -> int | None:
    """Worst class among the evaluated parameters (single-factor method), ``None`` if none."""
    classes = [
        parameter_class(code, value, water_type)
        for code, value in values.items()
        if evaluated(code, water_type, lake_tn_in_section_class=lake_tn_in_section_class)
    ]
    known = [c for c in classes if c is not None]
    return max(known) if known else None


def main_pollutants(
    values: Mapping[str, float | None],
    water_type: str,
    *,
    ranking: Ranking = "class",
    lake_tn_in_section_class: bool = False,
) -> list[str]:
    """Codes of the main pollutants (主要污染指标) of a section, at most three.

    Parameters worse than class Ⅲ; cyanide and heavy metals first; then by class and
    超标倍数 (``ranking="class"``, the method's order) or by 超标倍数 alone (``"multiple"``).
    """
    std = load_gb3838()
    candidates = []
    for code, value in values.items():
        if not evaluated(code, water_type, lake_tn_in_section_class=lake_tn_in_section_class):
            continue
        water_class = parameter_class(code, value, water_type)
        if water_class is None or water_class <= 3:
            continue
        multiple = exceedance_multiple(code, value, water_type)
        has = float(multiple is not None)
        order = (float(water_class), has, multiple or 0.0)
        if ranking == "multiple":
            order = (has, multiple or 0.0, float(water_class))
        candidates.append(((float(std.parameters[code].priority), *order), code))
    candidates.sort(key=lambda item: (tuple(-x for x in item[0]), item[1]))
    return [code for _, code in candidates[: std.main_count]]


def grade(water_class: int | None) -> str | None:
    """Qualitative grade of a section: 优 / 良好 / 轻度污染 / 中度污染 / 重度污染."""
    return None if water_class is None else load_gb3838().grades[water_class]


def ratio_grade(share_i_iii: float, share_worse_v: float) -> str:
    """Grade of a river or basin with ≥ 5 sections from its class shares [%] (评价办法)."""
    for row in load_gb3838().ratio_grades:
        if "min_i_iii" in row and share_i_iii < row["min_i_iii"]:
            continue
        if "max_worse_v" in row and share_worse_v >= row["max_worse_v"]:
            continue
        return row["grade"]
    raise AssertionError("the last ratio grade has no condition")


# --------------------------------------------------------------------------- Ibis


@dataclass(frozen=True)
class WaterOptions:
    """Named choices where the method leaves room (see docs/monitoring.md)."""

    period: Period = "year"
    ranking: Ranking = "class"
    lake_tn_in_section_class: bool = False


@dataclass(frozen=True)
class WaterResult:
    parameters: ir.Table  # section × period × parameter: mean, class, 超标倍数
    sections: ir.Table  # section × period: class, grade, main pollutants
    regions: ir.Table  # region × period: shares, grade


def evaluate(samples: ir.Table, options: WaterOptions | None = None) -> WaterResult:
    """All water results from canonical samples (``section_id``, ``water_type``, ``date``,
    ``parameter``, ``value``; optional ``region_code``) — engine-agnostic Ibis."""
    options = options or WaterOptions()
    means = period_means(samples, options.period)
    classed = classify(means, options)
    sections = section_classes(classed, options)
    return WaterResult(classed, sections, region_summary(means, sections, options))


def period_means(samples: ir.Table, period: Period = "year") -> ir.Table:
    """Arithmetic mean of the samples of each section, period and parameter (评价办法 数据统计)."""
    if "region_code" not in samples.columns:
        samples = samples.mutate(region_code=ibis.null(str))
    samples = samples.mutate(region_code=samples.region_code.fill_null(NO_REGION))
    date = samples.date
    labels = {
        "year": date.year().cast(str),
        "quarter": date.year().cast(str) + "Q" + date.quarter().cast(str),
        "month": date.year().cast(str) + "-" + date.month().cast(str).lpad(2, "0"),
        "all": ibis.literal("all"),
    }
    keys = ["region_code", "section_id", "water_type", "period", "parameter"]
    return (
        samples.filter(samples.value.notnull())
        .mutate(period=labels[period])
        .group_by(keys)
        .agg(value=lambda t: t.value.mean().round(MEAN_DECIMALS), samples=lambda t: t.count())
    )


def limits_table(options: WaterOptions) -> ir.Table:
    """GB 3838-2002 表1 as a small table: one row per parameter and water type."""
    std = load_gb3838()
    rows = []
    for p in std.parameters.values():
        for water_type in ("river", "lake"):
            limits: list[float | None] = [float(x) for x in p.limits_for(water_type)] or [None] * 5
            in_class = p.in_section_class or (
                p.code == "tn" and water_type == "lake" and options.lake_tn_in_section_class
            )
            rows.append(
                {
                    "parameter": p.code,
                    "water_type": water_type,
                    "parameter_name": p.name,
                    "kind": p.kind if water_type in p.applies_to else "none",
                    **{f"limit_{i + 1}": limits[i] for i in range(5)},
                    "low": float(p.bounds[0]) if p.bounds else None,
                    "high": float(p.bounds[1]) if p.bounds else None,
                    "evaluated": bool(in_class and water_type in p.applies_to),
                    "has_multiple": p.has_multiple and water_type in p.applies_to,
                    "priority": p.priority,
                }
            )
    return ibis.memtable(pd.DataFrame(rows))


def classify(means: ir.Table, options: WaterOptions) -> ir.Table:
    """Add ``water_class`` (1–6), ``class_iii_limit``, ``exceedance_multiple``, ``evaluated``,
    ``priority`` and ``parameter_name`` by joining the limits of GB 3838-2002 表1."""
    limits = limits_table(options)
    j = means.left_join(limits, ["parameter", "water_type"]).select(
        means, *[limits[c] for c in limits.columns if c not in ("parameter", "water_type")]
    )
    v = j.value
    steps = [j[f"limit_{i}"] for i in range(1, 6)]
    upper = ibis.cases(*[(v <= limit, i) for i, limit in enumerate(steps, 1)], else_=WORSE_THAN_V)
    lower = ibis.cases(*[(v >= limit, i) for i, limit in enumerate(steps, 1)], else_=WORSE_THAN_V)
    in_range = ibis.ifelse(v.between(j.low, j.high), 1, WORSE_THAN_V)
    water_class = ibis.cases(
        (v.isnull(), ibis.null(int)),
        (j.kind == "max", upper),
        (j.kind == "min", lower),
        (j.kind == "range", in_range),
        else_=ibis.null(int),
    )
    limit_iii = ibis.ifelse(j.kind == "none", ibis.null(float), j.limit_3)
    multiple = ibis.ifelse(
        j.has_multiple.fill_null(False) & (v > j.limit_3),
        (v - j.limit_3) / j.limit_3,
        ibis.null(float),
    )
    return j.mutate(
        water_class=water_class,
        class_iii_limit=limit_iii,
        exceedance_multiple=multiple,
        evaluated=j.evaluated.fill_null(False),
        priority=j.priority.fill_null(False),
    ).drop(
        "kind", "limit_1", "limit_2", "limit_3", "limit_4", "limit_5", "low", "high", "has_multiple"
    )


def section_classes(classed: ir.Table, options: WaterOptions) -> ir.Table:
    """Section × period: ``water_class``, ``class_label``, ``grade``, ``main_pollutants``."""
    std = load_gb3838()
    keys = ["region_code", "section_id", "water_type", "period"]
    evaluated_rows = classed.filter(classed.evaluated & classed.water_class.notnull())
    worst = evaluated_rows.group_by(keys).agg(
        water_class=lambda t: t.water_class.max(), parameters=lambda t: t.count()
    )
    main = _main_pollutants(evaluated_rows, keys, options, std)
    joined = worst.left_join(main, keys).select(worst, main.main_pollutants)
    return joined.mutate(
        class_label=_label_expr(joined.water_class, std),
        grade=_grade_expr(joined.water_class, std),
        meets_iii=joined.water_class <= 3,
        main_pollutants=joined.main_pollutants.fill_null(""),
    ).order_by(keys)


def _main_pollutants(
    rows: ir.Table, keys: list[str], options: WaterOptions, std: WaterStandard
) -> ir.Table:
    candidates = rows.filter(rows.water_class > 3)
    priority = candidates.priority
    multiple = candidates.exceedance_multiple
    by_class = [
        ibis.desc(candidates.water_class),
        ibis.desc(multiple.notnull()),
        ibis.desc(multiple),
    ]
    if options.ranking == "multiple":
        by_class = [by_class[1], by_class[2], by_class[0]]
    order = [ibis.desc(priority), *by_class, candidates.parameter]
    rank = ibis.row_number().over(group_by=[candidates[k] for k in keys], order_by=order)
    ranked = candidates.mutate(rank=rank).filter(lambda t: t.rank < std.main_count)
    picks = {
        f"p{i}": lambda t, i=i: t.parameter_name.max(where=t.rank == i)
        for i in range(std.main_count)
    }
    wide = ranked.group_by(keys).agg(**picks)
    text = wide.p0
    for i in range(1, std.main_count):
        nxt = wide[f"p{i}"]
        text = text + ibis.ifelse(nxt.isnull(), "", "、" + nxt.fill_null(""))
    return wide.select(*keys, main_pollutants=text)


def _label_expr(water_class: ir.IntegerValue, std: WaterStandard) -> ir.StringValue:
    return ibis.cases(
        *[(water_class == i, label) for i, label in enumerate(std.class_labels, start=1)],
        else_=ibis.null(str),
    )


def _grade_expr(water_class: ir.IntegerValue, std: WaterStandard) -> ir.StringValue:
    return ibis.cases(*[(water_class == i, g) for i, g in std.grades.items()], else_=ibis.null(str))


def region_summary(means: ir.Table, sections: ir.Table, options: WaterOptions) -> ir.Table:
    """Region × period: section counts, Ⅰ-Ⅲ类比例 and 劣Ⅴ类比例 [%], and the basin grade.

    With fewer than five sections the grade comes from the mean concentration of each
    parameter over the sections, classed as one section (lake limits only when every section
    is a lake or reservoir); with five or more from the class shares (评价办法).
    """
    std = load_gb3838()
    keys = ["region_code", "period"]
    counts = sections.group_by(keys).agg(
        sections=lambda t: t.count(),
        sections_i_iii=lambda t: (t.water_class <= 3).cast("int64").sum(),
        sections_worse_v=lambda t: (t.water_class == WORSE_THAN_V).cast("int64").sum(),
        all_lakes=lambda t: (t.water_type == "lake").cast("int64").min(),
    )
    counts = counts.mutate(
        share_i_iii=counts.sections_i_iii * 100.0 / counts.sections,
        share_worse_v=counts.sections_worse_v * 100.0 / counts.sections,
    )
    pooled = means.group_by([*keys, "parameter"]).agg(value=lambda t: t.value.mean())
    pooled = pooled.join(counts.select(*keys, "all_lakes"), keys)
    pooled = pooled.mutate(
        section_id=pooled.region_code,
        water_type=ibis.ifelse(pooled.all_lakes == 1, "lake", "river"),
        value=pooled.value.round(MEAN_DECIMALS),
    ).drop("all_lakes")
    pooled_class = section_classes(classify(pooled, options), options).select(
        *keys, mean_class=lambda t: t.water_class
    )
    out = counts.left_join(pooled_class, keys).select(counts, pooled_class.mean_class)
    share_grade = _ratio_grade_expr(out.share_i_iii, out.share_worse_v, std)
    few = out.sections < std.min_sections_for_ratio
    return out.mutate(
        grade=ibis.ifelse(few, _grade_expr(out.mean_class, std), share_grade),
        grade_method=ibis.ifelse(few, "mean_concentration", "class_shares"),
    ).order_by(keys)


def _ratio_grade_expr(share_i_iii, share_worse_v, std: WaterStandard) -> ir.StringValue:
    steps = []
    for row in std.ratio_grades:
        condition = ibis.literal(True)
        if "min_i_iii" in row:
            condition &= share_i_iii >= row["min_i_iii"]
        if "max_worse_v" in row:
            condition &= share_worse_v < row["max_worse_v"]
        steps.append((condition, row["grade"]))
    return ibis.cases(*steps)
