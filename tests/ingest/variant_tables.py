"""Semantic tables: what an indicator, review or project table means, apart from its layout.

A *semantic table* (:class:`Semantic`) holds its columns as semantic ids (``("target", 2025)``,
``("standard", "national")``, ``("verdict", "national")`` …) and its rows as texts by id,
indicators with their sub-items.  It is made here for a synthetic plan (:func:`synthetic_tables`,
a fictional county) or taken from a plan read from a seed (:func:`semantic_from_plan`);
``variants.py`` lays it out in many ways, and :func:`meaning` projects a read-back table onto
what must not change.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from ecociv.model import IndicatorRow, PlanTable, ProjectRow

Sid = tuple[Any, ...]  # a semantic column id: ("name",), ("target", 2025), ("verdict", "national")
OPTIONAL = {("unit",), ("attribute",), ("note",), ("content",), ("period",), ("lead_units",)}


@dataclass
class Item:
    """An indicator (or project) row: texts by semantic id; sub-items with their own texts."""

    cells: dict[Sid, str]
    subitems: list[dict[Sid, str]] = field(default_factory=list)


@dataclass
class Semantic:
    kind: str  # indicator | review | project
    caption: str
    columns: list[Sid]
    items: list[Item]
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- synthetic plan

REGION = "云溪县"  # fictional
BASE = 2020


def synthetic_tables(rng: random.Random) -> list[Semantic]:
    """An indicator, a review and a project table of a fictional county, figures drawn by *rng*."""
    return [_synthetic_indicators(rng), _synthetic_review(rng), _synthetic_projects(rng)]


def _synthetic_indicators(rng: random.Random) -> Semantic:
    columns: list[Sid] = [
        ("domain",), ("seq",), ("name",), ("unit",), ("attribute",), ("standard", "national"),
        ("standard", "provincial"), ("baseline", BASE), ("verdict", "national"),
        ("verdict", "provincial"), ("target", 2025), ("target", 2030), ("note",),
    ]  # fmt: skip
    names = ["森林覆盖率", "生态环境状况指数", "集中式饮用水水源地水质达标率", "城镇污水处理率",
             "绿色出行比例", "生活垃圾分类覆盖率", "公众对生态文明建设的满意度"]  # fmt: skip
    domains = ["生态空间", "生态环境", "生态生活"]
    items = []
    for n, name in enumerate(names, start=1):
        threshold = rng.randint(50, 90)
        value = threshold + rng.choice([-3, 2, 5])
        cells = {
            ("domain",): domains[(n - 1) * len(domains) // len(names)],
            ("seq",): str(n),
            ("name",): name,
            ("unit",): "%",
            ("attribute",): rng.choice(["约束性", "参考性"]),
            ("standard", "national"): f"≥{threshold}",
            ("baseline", BASE): str(value),
            ("standard", "provincial"): f"≥{threshold + 2}",
            ("verdict", "national"): "是" if value >= threshold else "否",
            ("verdict", "provincial"): rng.choice(["√", "是"]) if value >= threshold + 2 else "否",
            ("target", 2025): f"≥{max(value, threshold) + 1}",
            ("target", 2030): f"≥{max(value, threshold) + 2}",
            ("note",): rng.choice(["", "统计公报", "监测数据"]),
        }
        items.append(Item(cells))
    # an indicator with two measures (sub-items), the requirement shared by both
    good, fine = rng.randint(80, 90), rng.randint(25, 34)
    parent = {
        ("domain",): domains[1],
        ("seq",): str(len(names) + 1),
        ("name",): "环境空气质量",
        ("attribute",): "约束性",
        ("standard", "national"): "完成上级规定的考核任务",
    }
    subitems = [
        {("name",): "优良天数比例", ("unit",): "%", ("baseline", BASE): str(good),
         ("target", 2025): str(good + 2), ("target", 2030): str(good + 3)},
        {("name",): "细颗粒物（PM2.5）浓度", ("unit",): "μg/m3", ("baseline", BASE): str(fine),
         ("target", 2025): str(fine - 2), ("target", 2030): str(fine - 3)},
    ]  # fmt: skip
    items.insert(2, Item(parent, subitems))
    for seq, item in enumerate(items, start=1):
        item.cells[("seq",)] = str(seq)
    caption = f"表1 {REGION}国家生态文明建设示范区建设指标"
    return Semantic("indicator", caption, columns, items)


def _synthetic_review(rng: random.Random) -> Semantic:
    columns: list[Sid] = [
        ("name",),
        ("value", 2015),
        ("value", 2020),
        ("target_of_review", 2020),
        ("completion",),
    ]
    items = []
    for name in [
        "空气质量优良天数比例",
        "地表水达到或好于Ⅲ类水体比例",
        "森林覆盖率",
        "单位GDP能耗下降率",
    ]:
        target = rng.randint(60, 90)
        value = target + rng.choice([-4, 1, 3])
        cells = {
            ("name",): name,
            ("value", 2015): str(target - 6),
            ("value", 2020): str(value),
            ("target_of_review", 2020): f"≥{target}",
            ("completion",): "完成" if value >= target else "未完成",
        }
        items.append(Item(cells))
    return Semantic("review", "表2 “十三五”规划主要指标完成情况", columns, items)


def _synthetic_projects(rng: random.Random) -> Semantic:
    columns: list[Sid] = [("category",), ("seq",), ("project_name",), ("content",), ("period",),
                          ("investment",), ("lead_units",)]  # fmt: skip
    items = []
    for n in range(1, 7):
        start = rng.choice([2021, 2022, 2023])
        cells = {
            ("category",): ["生态保护修复", "污染防治"][n > 3],
            ("seq",): str(n),
            (
                "project_name",
            ): f"云溪{['湿地', '河道', '矿山', '污水管网', '垃圾转运站', '扬尘监控'][n - 1]}工程",
            ("content",): f"建设规模{n * 3}公里",
            ("period",): f"{start}-{start + rng.randint(1, 4)}",
            ("investment",): str(rng.randint(100, 9000)),
            ("lead_units",): rng.choice(["县生态环境分局", "县水利局、各乡镇"]),
        }
        items.append(Item(cells))
    return Semantic("project", "表3 重点工程项目", columns, items)


# --------------------------------------------------------------------------- from a read plan

_PROJECT_SIDS = {"category", "seq", "content", "period", "investment", "lead_units"}


def semantic_from_plan(table: PlanTable) -> Semantic | None:
    """The semantic table of a table read from a plan (seeds), or None for other kinds."""
    if table.kind == "project":
        return _projects_from_plan(table)
    if table.kind not in ("indicator", "review"):
        return None
    sids: dict[str, Sid] = {}
    for column in table.columns:
        sid = column_sid(table.kind, column.role, column.year, column.scope, column.header)
        if sid is None or sid in sids.values():
            return None
        sids[column.key] = sid
    items = []
    for row in table.rows:
        assert isinstance(row, IndicatorRow)
        cells = {sids[k]: c.text for k, c in row.cells.items() if k in sids}
        for role, value in (("domain", row.domain), ("task", row.task)):
            if (role,) in sids.values():
                cells[(role,)] = value or ""
        items.append(Item(cells))
    caption = table.caption or "表 指标"
    return Semantic(table.kind, caption, list(sids.values()), items, list(table.notes))


def _projects_from_plan(table: PlanTable) -> Semantic | None:
    roles = [c.role for c in table.columns]
    if not {"name", "investment"} <= set(roles) or len(set(roles)) != len(roles):
        return None
    if not set(roles) <= _PROJECT_SIDS | {"name"}:
        return None
    sids = {c.key: (("project_name",) if c.role == "name" else (c.role,)) for c in table.columns}
    items = []
    for row in table.rows:
        assert isinstance(row, ProjectRow)
        cells = {sids[k]: c.text for k, c in row.cells.items() if k in sids}
        if ("category",) in sids.values():
            cells[("category",)] = row.category or ""
        items.append(Item(cells))
    return Semantic("project", table.caption or "重点项目表", list(sids.values()), items)


def column_sid(
    kind: str, role: str, year: int | None, scope: str | None, header: str
) -> Sid | None:
    """The semantic id of a read column (what :func:`meaning` compares)."""
    if role in ("domain", "task", "seq", "name", "unit", "attribute", "note"):
        return (role,)
    if role == "standard":
        return ("standard", scope)
    if role == "baseline":
        return ("baseline", year)
    if role == "target":
        return ("target_of_review", year) if kind == "review" else ("target", year)
    if role == "value":
        return ("value", year)
    if role == "verdict":
        return ("completion",) if kind == "review" else ("verdict", scope)
    return None


# --------------------------------------------------------------------------- meaning


def _canonical(text: str) -> str:
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    out = []
    for line in lines:
        try:
            out.append(format(Decimal(line).normalize(), "f"))
        except InvalidOperation:
            out.append(line)
    return "\n".join(out)


def meaning(table: PlanTable, keep: set[Sid] | None = None) -> dict[str, Any]:
    """What a read table means: kind, column ids, verdict links, and rows by column id."""
    sids = {}
    for column in table.columns:
        sid = column_sid(table.kind, column.role, column.year, column.scope, column.header)
        if table.kind == "project":
            sid = ("project_name",) if column.role == "name" else (column.role,)
        sids[column.key] = sid
    wanted = set(sids.values()) if keep is None else keep
    links = sorted(
        (str(sids[c.key]), tuple(str(sids.get(k)) for k in c.compares))
        for c in table.columns
        if c.role == "verdict" and sids[c.key] in wanted
    )
    rows = []
    for row in table.rows:
        if isinstance(row, ProjectRow):
            period = (row.period_start, row.period_end) if ("period",) in wanted else None
            leads = len(row.lead_units) if ("lead_units",) in wanted else None
            rows.append(
                (
                    row.seq,
                    row.name,
                    tuple(row.category_path),
                    period,
                    row.investment_wan_yuan,
                    leads,
                )
            )
        elif isinstance(row, IndicatorRow):
            rows.append(_indicator_meaning(row, sids, wanted))
    return {
        "kind": table.kind,
        "columns": sorted(str(s) for s in set(sids.values()) & wanted),
        "links": links,
        "rows": rows,
    }


_GROUPS = {("domain",), ("task",), ("name",), ("seq",), ("attribute",)}


def _indicator_meaning(row: IndicatorRow, sids: dict[str, Sid], wanted: set[Sid]) -> Any:
    def cells(r: IndicatorRow) -> tuple:
        return tuple(sorted(
            (str(sids[k]), _canonical(c.text)) for k, c in r.cells.items()
            if k in sids and sids[k] in wanted and sids[k] not in _GROUPS
        ))  # fmt: skip

    head = (
        row.seq,
        row.domain if ("domain",) in wanted else None,
        row.task if ("task",) in wanted else None,
        row.name,
        row.attribute if ("attribute",) in wanted else None,
    )
    if row.subitems:
        return (*head, tuple((s.seq, s.name, cells(s)) for s in row.subitems))
    return (*head, cells(row))
