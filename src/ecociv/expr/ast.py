"""Node types of the cell language (指标值语言): plain frozen dataclasses.

Every node is immutable, hashable and compares by value, so ``parse(s).expr == parse(t).expr``
is meaningful.  Numbers are :class:`decimal.Decimal` (exactness matters downstream: a target
of ``≥90`` must not become ``89.99999``).  Units are canonical strings from ``units.yaml``
(``"%"``, ``"µg/m³"``, ``"m²/人"`` …) or ``None`` when the cell states none.

Comparison operators are ASCII: ``">="``, ``"<="``, ``">"``, ``"<"``, ``"="``.  Where a node
keeps the ``word`` the cell used (``"≥"``, ``"以上"``, ``"不低于"``) it is only for faithful
rendering; meaning lives in ``op``.

Requirement nodes (targets, standard thresholds) and value nodes (baselines, observed values)
form one family: a baseline cell may carry a requirement it claims to meet
(``14.7，完成上级规定的目标任务并持续改善``) and a target cell may carry a value.  Node types
are only ever added, never changed (the JSON form is public, see ``docs/expr.md``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, TypeAlias

Op = Literal[">=", "<=", ">", "<", "="]
TrendDirection = Literal["up", "down", "improve", "stable", "not_down", "not_up"]
TrendStrictness = Literal["each_year", "overall", "non_strict", "tolerance"]
ChangeDirection = Literal["up", "down"]
Measure = Literal["level", "increase", "decrease"]
MilestoneState = Literal["done", "in_progress"]


@dataclass(frozen=True, slots=True)
class Number:
    """A bare number, e.g. ``100``, ``26.5``, ``29.3立方米/万元``.

    As a requirement a bare number means "at least this" for a higher-is-better indicator and
    "at most this" for a lower-is-better one; that direction is knowledge of the indicator
    (``ecociv.assess``), not of the cell.
    """

    value: Decimal
    unit: str | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    """A number with an explicit comparison: ``≥90``, ``90以上``, ``不超过35``, ``<0.17``."""

    op: Op
    value: Decimal
    unit: str | None = None
    word: str | None = None


@dataclass(frozen=True, slots=True)
class Grade:
    """A surface-water quality class (水质类别, GB 3838-2002 §4): Ⅰ=1 … Ⅴ=5, 劣Ⅴ=6.

    ``op`` is ``"<="`` for 达到或优于 (a lower class is better); ``None`` for a bare class.
    """

    level: int
    op: Op | None = None


@dataclass(frozen=True, slots=True)
class Scoped:
    """Alternatives by region class or sub-area: ``市≥95 县≥85``, ``市：100 县：开展``,
    ``城区街道 26.6 涉农街道（镇）31.6``.  Each branch is ``(scope, expr)``; ``scope`` is the
    canonical scope name from ``vocab.yaml`` or, for sub-areas not in the vocabulary, the
    label as written."""

    branches: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    """Either requirement suffices (或)."""

    options: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class AllOf:
    """Every part must hold (且, 并, ；, and ， when it joins clauses)."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Trend:
    """A trend word: 持续提高, 逐年上升, 保持稳定, 不降低, 持续改善 …

    ``direction``: ``up`` / ``down`` / ``not_down`` / ``not_up`` / ``stable``, or ``improve``
    (towards the indicator's better side).  ``strictness`` (documented per word in
    ``vocab.yaml``): ``each_year`` every step moves strictly; ``overall`` the last value is
    strictly beyond the first; ``non_strict`` the last value is not worse than the first;
    ``tolerance`` the change stays within the engine's stability tolerance.
    """

    word: str
    direction: TrendDirection
    strictness: TrendStrictness


@dataclass(frozen=True, slots=True)
class ChangeFromBase:
    """A change relative to a base: ``较2020年下降16%``, ``同比增长0.9%``,
    ``“十三五”累计下降19.6%``, ``下降18.4%``.

    ``op`` is ``None`` when the cell states the amount bare (a requirement then reads it as
    "at least this much in ``direction``").  ``basis`` names a base that is not a year
    (``同比`` = previous year, ``“十三五”累计`` = over the 13th five-year period).
    """

    direction: ChangeDirection
    amount: Decimal
    unit: str | None = "%"
    op: Op | None = None
    base_year: int | None = None
    basis: str | None = None


@dataclass(frozen=True, slots=True)
class AnnualRate:
    """An average annual rate: ``年均下降幅度≥3.5%``, ``年均3.55`` (direction unstated)."""

    direction: ChangeDirection | None
    amount: Decimal
    unit: str | None = "%"
    op: Op | None = None


@dataclass(frozen=True, slots=True)
class ReferenceComparison:
    """A comparison with a reference value the cell does not give: ``高于全省平均值``,
    ``小于等于全省平均值``, ``提高幅度大于全省平均值`` (``measure="increase"``)."""

    op: Op
    reference: str
    measure: Measure = "level"
    word: str | None = None


@dataclass(frozen=True, slots=True)
class Quota:
    """A target assigned from above (上级下达): 完成上级下达任务, 市级下达, 完成上级管控目标 …

    ``phrase`` is the phrase as normalised; all variants mean "meet the assigned quota",
    whose figure must come from the assessment context.
    """

    phrase: str


@dataclass(frozen=True, slots=True)
class Achievement:
    """A stated verdict inside a value cell: ``完成``, ``未完成上级规定的考核任务``,
    ``完成目标任务的90%`` (``met=None``, ``share=90``).  ``of`` is what was (not) achieved."""

    met: bool | None
    of: Expr | None = None
    share: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Milestone:
    """A qualitative action: 制定实施, 有效开展, 全面实施, 建立, 严格执行, 完成创建,
    启动创建, 全面消除黑臭水体 …

    ``kind`` is the canonical action word; ``state`` is ``done`` (已制定实施) or
    ``in_progress`` (正在编制, 启动创建) when the cell states it; ``object`` is what the action
    is applied to, when written (``黑臭水体`` in 全面消除黑臭水体).
    """

    kind: str
    state: MilestoneState | None = None
    object: str | None = None


@dataclass(frozen=True, slots=True)
class Protection:
    """Protection clauses (保护红线要求): ``面积不减少，性质不改变，功能不降低``.

    Each clause is ``(subject, verb)``, e.g. ``("面积", "不减少")``.
    """

    clauses: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Qualitative:
    """A qualitative level with no number: ``不明显`` (外来物种入侵)."""

    word: str


@dataclass(frozen=True, slots=True)
class Absence:
    """``无X``: the thing is absent (``无黑臭水体``, ``无劣V类水体``).  Whether absence meets
    the requirement (an elimination target) is the engine's call."""

    subject: str


@dataclass(frozen=True, slots=True)
class Cumulative:
    """A cumulative figure over several years: ``[25.6]`` (4 years), ``【16.5】`` (5 years),
    as the seed plans' table notes define (带[ ]的数据为4年累计数，带【】的数据为5年累计数)."""

    value: Decimal
    unit: str | None
    years: int


@dataclass(frozen=True, slots=True)
class Items:
    """Per-item values (①②③ or named items such as ``化学需氧量[13.87%]``).

    Each item is ``(label, expr)``; labels are circled numerals (``①``) or the item's name.
    """

    items: tuple[tuple[str, Expr], ...]


@dataclass(frozen=True, slots=True)
class NotApplicable:
    """The indicator does not apply: ``-``, ``/``, ``--``, ``—``, 不适用, 上级未下达 …

    ``word`` is kept so that a table note (``“—”表示……无现状数据``) can reinterpret it.
    """

    word: str


@dataclass(frozen=True, slots=True)
class NoData:
    """The indicator applies but the value is missing: 暂无数据, 未统计, 未开展测算 …"""

    word: str


@dataclass(frozen=True, slots=True)
class Annotated:
    """A value with a note: ``35.2（“十三五”均值）``, or a footnote mark split off a number."""

    expr: Expr
    note: str


@dataclass(frozen=True, slots=True)
class Named:
    """A value labelled by what it measures: ``水质优良率100%``, ``单位GDP能耗同比增长0.9%``."""

    name: str
    expr: Expr


@dataclass(frozen=True, slots=True)
class Series:
    """Values for several years: ``2020-2022年分别为59770、63951、66342``."""

    points: tuple[tuple[int, Expr], ...]


@dataclass(frozen=True, slots=True)
class AtYear:
    """A value stated for another year than the column's: ``2021年为60.9``."""

    year: int
    expr: Expr


@dataclass(frozen=True, slots=True)
class Statement:
    """A value cell that states an actual value and/or a target and/or a verdict:
    ``目标为86.8%，实际为83.3%，未完成上级下达的年度目标``; ``79.5%，未完成上级规定的考核任务``."""

    actual: Expr | None = None
    target: Expr | None = None
    verdict: Achievement | None = None


@dataclass(frozen=True, slots=True)
class Text:
    """Anything the parser could not read, kept verbatim with the reason (never lost)."""

    raw: str
    reason: str


Expr: TypeAlias = (
    Number
    | Comparison
    | Grade
    | Scoped
    | AnyOf
    | AllOf
    | Trend
    | ChangeFromBase
    | AnnualRate
    | ReferenceComparison
    | Quota
    | Achievement
    | Milestone
    | Protection
    | Qualitative
    | Absence
    | Cumulative
    | Items
    | NotApplicable
    | NoData
    | Annotated
    | Named
    | Series
    | AtYear
    | Statement
    | Text
)

NODE_TYPES: tuple[type, ...] = (
    Number,
    Comparison,
    Grade,
    Scoped,
    AnyOf,
    AllOf,
    Trend,
    ChangeFromBase,
    AnnualRate,
    ReferenceComparison,
    Quota,
    Achievement,
    Milestone,
    Protection,
    Qualitative,
    Absence,
    Cumulative,
    Items,
    NotApplicable,
    NoData,
    Annotated,
    Named,
    Series,
    AtYear,
    Statement,
    Text,
)
