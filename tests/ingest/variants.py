"""A seeded generator of plan-table variants: the same meaning, laid out as real plans do.

A *semantic table* (:class:`Semantic`) holds what a table means: its columns as semantic ids
(``("target", 2025)``, ``("standard", "national")``, ``("verdict", "national")`` …) and its
rows as texts by id, indicators with their sub-items.  It is made here for a synthetic plan
(:func:`synthetic_tables`, a fictional county) or taken from a plan read from a seed
(:func:`semantic_from_plan`).  :func:`variant` rewrites it with a seeded random choice of

* header synonyms (现状值（2020年）/ 基准值（2020年）/ “十三五”末 / 2020年现状值 …);
* optional columns (单位, 指标属性, 备注; 建设内容, 实施年限, 牵头单位) reordered or dropped;
* one-, two- or three-row headers (目标值 over 2025年 | 2030年; 现状（2020年）over 数值 |
  是否达到国家要求; a top group over both), the group cell spanning its sub-columns or
  repeated over each of them;
* sub-items inside the name cell (①②, ``1 ``/``2 `` or unmarked lines) or as rows with an
  empty 序号 under their indicator;
* a page break: none, the table split with its header repeated, split with a 续表 caption,
  split with neither (the data rows simply go on), or the header rows reprinted inside the
  table;

and returns an outline that ``fixture_builders`` writes as .docx, Tika text or .xlsx.
:func:`meaning` projects a read-back table onto what must not change.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from fixture_builders import SpecCell, TableSpec

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


# --------------------------------------------------------------------------- header synonyms


def _synonyms(sid: Sid) -> list[str]:
    """Header texts real plans use for *sid* (``docs/plan-json.md``, the role tables)."""
    role = sid[0]
    arg = sid[1] if len(sid) > 1 else None
    fixed = {
        "domain": ["领域", "指标类别", "类别", "建设领域"],
        "task": ["任务", "重点任务", "准则层"],
        "seq": ["序号", "编号"],
        "name": ["指标名称", "指标", "具体指标", "评价指标"],
        "unit": ["单位", "计量单位"],
        "attribute": ["指标属性", "属性", "指标类型"],
        "note": ["备注", "说明"],
        "category": ["类别", "分类", "领域"],
        "content": ["建设内容", "主要建设内容", "建设内容及规模", "工作任务"],
        "period": ["实施年限", "建设期限", "起止年限"],
        "investment": ["投资概算（万元）", "总投资（万元）", "投资估算（万元）"],
        "lead_units": ["牵头单位", "责任单位"],
    }
    if role in fixed:
        return fixed[role]
    if role == "project_name":
        return ["项目名称", "工程名称"]
    if role == "standard":
        word = {"national": "国家", "provincial": "省级"}.get(arg, "")
        return [f"{word}指标要求", f"{word}考核指标要求", f"{word}标准值"]
    if role == "verdict":
        word = {"national": "国家", "provincial": "省级"}.get(arg, "")
        return [f"是否达到{word}要求", f"{word}达标情况", f"是否达到{word}标准"]
    if role == "completion":
        return ["完成情况", "是否完成", "达标情况"]
    if role == "baseline":
        return [
            f"现状值（{arg}年）",
            f"{arg}年现状值",
            f"基准值（{arg}年）",
            f"基期值({arg})",
            f"现状（{arg}年）",
        ]
    if role == "target":
        return [
            f"{arg}年目标值",
            f"目标值（{arg}年）",
            f"规划值（{arg}年）",
            f"{arg}年",
            f"预期目标（{arg}）",
        ]
    if role == "value":
        return [f"{arg}年", f"{arg}年实际值"]
    if role == "target_of_review":
        return [f"{arg}年目标值", f"目标值（{arg}年）", f"{arg}年规划目标"]
    raise KeyError(sid)


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


# --------------------------------------------------------------------------- variants


@dataclass(frozen=True)
class Layout:
    """The choices of one variant (printed when a variant fails)."""

    seed: int
    header_rows: int
    repeat_groups: bool
    subitems: str  # circled (①②) | digits (1 , 2 ) | plain (aligned lines) | rows
    page_break: str  # none | repeat | continued | bare | reprint
    order: tuple[Sid, ...]


def variant(
    semantic: Semantic, seed: int, *, drop: bool = True
) -> tuple[TableSpec | list[TableSpec], Layout, Semantic]:
    """A rewritten table (or the two parts of a split one), its layout and the meaning it keeps."""
    rng = random.Random(seed)
    columns = list(semantic.columns)
    optional = [c for c in columns if c in OPTIONAL]
    if drop and optional and rng.random() < 0.5:
        for sid in rng.sample(optional, rng.randint(1, len(optional))):
            columns.remove(sid)
    movable = [i for i, c in enumerate(columns) if c in OPTIONAL]
    shuffled = [columns[i] for i in movable]
    rng.shuffle(shuffled)
    for i, sid in zip(movable, shuffled, strict=True):
        columns[i] = sid
    kept = Semantic(semantic.kind, semantic.caption, columns, semantic.items, semantic.notes)
    layout = Layout(
        seed=seed,
        header_rows=rng.choice([1, 2, 2, 3]) if semantic.kind != "project" else 1,
        repeat_groups=rng.random() < 0.3,
        subitems=rng.choice(["circled", "digits", "plain", "rows", "rows"]),
        page_break=rng.choice(["none", "none", "repeat", "continued", "bare", "reprint"]),
        order=tuple(columns),
    )
    headers = _header_grid(kept, layout, rng)
    body = _body(kept, layout)
    return _paginate(kept, headers, body, layout), layout, kept


def _header_grid(semantic: Semantic, layout: Layout, rng: random.Random) -> list[list[SpecCell]]:
    """One to three header rows; a group cell spans (or is repeated over) its sub-columns."""
    leaves = [rng.choice(_synonyms(sid)) for sid in semantic.columns]
    groups = _groups(semantic.columns) if layout.header_rows > 1 else []
    if not groups:
        return [[SpecCell(text) for text in leaves]]
    sub = {i: text for i, text in enumerate(leaves)}
    for start, end, _group, subs in groups:
        for k, i in enumerate(range(start, end)):
            sub[i] = subs[k]
    rows = [
        _grouped_row(len(leaves), groups, layout.repeat_groups),
        [SpecCell(sub[i]) for i in range(len(leaves))],
    ]
    for i, text in enumerate(leaves):
        if not any(s <= i < e for s, e, _, _ in groups):
            rows[0][_grid_index(rows[0], i)] = SpecCell(text, vmerge="restart")
            rows[1][i] = SpecCell("", vmerge="continue")
    if layout.header_rows == 3:
        top = _top_group(groups, len(leaves), layout.repeat_groups, rows)
        if top is not None:
            rows.insert(0, top)
    return rows


_SCOPE_WORDS = {"national": "国家", "provincial": "省级"}


def _groups(columns: list[Sid]) -> list[tuple[int, int, str, list[str]]]:
    """Runs of columns that plans head with one group cell: (start, end, group text, subs)."""
    found = []
    targets = [i for i, c in enumerate(columns) if c[0] == "target"]
    if len(targets) >= 2 and targets == list(range(targets[0], targets[-1] + 1)):
        years = [columns[i][1] for i in targets]
        found.append((targets[0], targets[-1] + 1, "目标值", [f"{y}年" for y in years]))
    base = [i for i, c in enumerate(columns) if c[0] == "baseline"]
    if base:
        i = base[0]
        end = i + 1
        while end < len(columns) and columns[end][0] == "verdict":
            end += 1
        if end > i + 1:
            words = [_SCOPE_WORDS.get(c[1], "") for c in columns[i + 1 : end]]
            subs = ["数值", *(f"是否达到{word}要求" for word in words)]
            found.append((i, end, f"现状（{columns[i][1]}年）", subs))
    standards = [i for i, c in enumerate(columns) if c[0] == "standard"]
    if len(standards) >= 2 and standards == list(range(standards[0], standards[-1] + 1)):
        words = [_SCOPE_WORDS.get(columns[i][1], "") for i in standards]
        found.append((standards[0], standards[-1] + 1, "指标要求", words))
    return sorted(found)


def _grouped_row(width: int, groups, repeat: bool) -> list[SpecCell]:
    row: list[SpecCell] = []
    i = 0
    while i < width:
        group = next((g for g in groups if g[0] == i), None)
        if group is None:
            row.append(SpecCell(""))
            i += 1
        elif repeat:
            row.extend(SpecCell(group[2]) for _ in range(group[0], group[1]))
            i = group[1]
        else:
            row.append(SpecCell(group[2], span=group[1] - group[0]))
            i = group[1]
    return row


def _grid_index(row: list[SpecCell], column: int) -> int:
    col = 0
    for n, cell in enumerate(row):
        if col == column:
            return n
        col += cell.span
    raise IndexError(column)


def _top_group(
    groups, width: int, repeat: bool, rows: list[list[SpecCell]]
) -> list[SpecCell] | None:
    """A third header row on top: 规划期指标 over every grouped column (the others merged down)."""
    start, end = groups[0][0], groups[-1][1]
    if any(g[0] < start or g[1] > end for g in groups) or any(
        not any(s <= i < e for s, e, _, _ in groups) for i in range(start, end)
    ):
        return None
    top: list[SpecCell] = []
    outside: list[SpecCell] = []
    col = 0
    for cell in rows[0]:
        if col == start:
            group = SpecCell("规划期指标", span=1 if repeat else end - start)
            top.extend([group] * (end - start) if repeat else [group])
        elif not start <= col < end:
            top.append(SpecCell(cell.text, vmerge="restart"))
            outside.append(cell)
        col += cell.span
    # Tika prints a row as its cells; two short rows whose cells add up to the table's width
    # read as one row cut by an empty paragraph (ecociv.ingest.tika), a layout no reader can
    # tell apart: no top row then (a known limit).
    if len(top) + len(rows[0]) == width:
        return None
    for cell in outside:
        cell.text, cell.vmerge = "", "continue"
    return top


def _body(semantic: Semantic, layout: Layout) -> list[list[SpecCell]]:
    """The body rows; group columns (领域, 任务, 类别) merged down over equal or empty cells."""
    rows: list[list[str]] = []
    for item in semantic.items:
        if item.subitems and layout.subitems == "rows":
            rows.append([item.cells.get(sid, "") for sid in semantic.columns])
            for sub in item.subitems:
                rows.append([sub.get(sid, "") for sid in semantic.columns])
        else:
            rows.append([_in_cell(item, sid, layout.subitems) for sid in semantic.columns])
    cells = [[SpecCell(text) for text in row] for row in rows]
    grouped = [i for i, sid in enumerate(semantic.columns) if sid in _MERGED_DOWN]
    for c in grouped:
        run = 0
        for r in range(1, len(rows)):
            if not rows[r][c] or rows[r][c] == rows[run][c]:
                cells[r][c] = SpecCell("", vmerge="continue")
                cells[run][c].vmerge = "restart"
            else:
                run = r
    return cells


_MERGED_DOWN = {("domain",), ("task",), ("category",)}
_SUB_SIDS = {("unit",), ("baseline", BASE), ("target", 2025), ("target", 2030)}


def _in_cell(item: Item, sid: Sid, style: str) -> str:
    """A cell of an indicator with its sub-items written inside (①② lines, ``1 ``/``2 ``
    lines, or unmarked lines in the same order), or a cell they share."""
    if not item.subitems:
        return item.cells.get(sid, "")
    if sid != ("name",) and sid not in _SUB_SIDS:
        return item.cells.get(sid, "")
    marks = {
        "circled": [f"{c}" for c in "①②③④⑤⑥⑦⑧⑨"],
        "digits": [f"{n} " for n in range(1, 10)],
    }.get(style, [""] * 9)
    lines = [f"{marks[k]}{s.get(sid, '')}" for k, s in enumerate(item.subitems)]
    return "\n".join([item.cells[sid], *lines] if sid == ("name",) else lines)


def _paginate(semantic: Semantic, headers, body, layout: Layout) -> TableSpec | list[TableSpec]:
    """The table whole, with its header reprinted inside, or cut in two parts (page break).

    The cut never falls between an indicator and its sub-item rows; the first row after a
    cut or a reprinted header starts its group cells afresh (a merge does not cross it).
    """
    notes = list(semantic.notes)
    seq = semantic.columns.index(("seq",)) if ("seq",) in semantic.columns else None
    cut = max(1, len(body) // 2)
    while seq is not None and cut < len(body) and not body[cut][seq].text:
        cut += 1
    if layout.page_break == "none" or cut >= len(body):
        return TableSpec(semantic.caption, [*headers, *body], notes)
    rest = [_restarted(row) if r == 0 else row for r, row in enumerate(body[cut:])]
    copied = [[SpecCell(c.text, c.span, c.vmerge) for c in row] for row in headers]
    if layout.page_break == "reprint":
        return TableSpec(semantic.caption, [*headers, *body[:cut], *copied, *rest], notes)
    first = TableSpec(semantic.caption, [*headers, *body[:cut]])
    if layout.page_break == "repeat":
        return [first, TableSpec("", [*copied, *rest], notes)]
    if layout.page_break == "bare":
        return [first, TableSpec("", rest, notes)]
    number = re.match(r"^\s*(表\s*\S+?)\s", semantic.caption)
    return [first, TableSpec(f"续{number.group(1) if number else '表'}", rest, notes)]


def _restarted(row: list[SpecCell]) -> list[SpecCell]:
    return [
        SpecCell(c.text, c.span, "restart" if c.vmerge == "continue" else c.vmerge) for c in row
    ]


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


# --------------------------------------------------------------------------- documents


def outline(tables: list[TableSpec | list[TableSpec]], base_year: int) -> list[tuple]:
    """A plan document holding *tables* (a split table as its parts, one after the other)."""
    items: list[tuple] = [
        ("heading", 1, f"{REGION}生态文明建设规划（{base_year + 1}—2030年）"),
        ("paragraph", f"规划基准年为{base_year}年，规划期限为{base_year + 1}—2030年。"),
    ]
    for table in tables:
        for part in table if isinstance(table, list) else [table]:
            items.append(("table", part))
        items.append(("paragraph", "以上为本节表格。"))
    return items


def write_variant_xlsx(path, items: list[tuple]) -> None:
    """The plan as a workbook: the base-year sentence on a sheet of its own, each table on its
    own sheet, the parts of a split table one under the other with a blank row between."""
    import openpyxl
    from fixture_builders import _write_xlsx_grid

    book = openpyxl.Workbook()
    first = book.active
    first.title = "说明"
    first.cell(row=1, column=1, value=next(i[1] for i in items if i[0] == "paragraph"))
    sheet, row = None, 1
    for item in items:
        if item[0] != "table":
            sheet = None
            continue
        spec = item[1]
        if sheet is None:
            sheet, row = book.create_sheet(f"表{len(book.sheetnames)}"), 1
        else:
            row += 1  # the blank row of the page break
        if spec.caption:
            sheet.cell(row=row, column=1, value=spec.caption)
            row += 1
        _write_xlsx_grid(sheet, spec, first_row=row)
        row += len(spec.rows)
        for note in spec.notes:
            sheet.cell(row=row, column=1, value=note)
            row += 1
    book.save(str(path))


_TEMPLATE: list[bytes] = []


def write_variant_docx(path, items: list[tuple]) -> None:
    """The plan as a .docx written straight as WordprocessingML (ECMA-376 §17.4: ``w:gridSpan``
    for a horizontal merge, ``w:vMerge`` restart/continue for a vertical one), in the package
    of python-docx's default template; the same Word structure ``write_plan_docx`` builds,
    without its per-merge cost."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    import docx

    if not _TEMPLATE:
        buffer = io.BytesIO()
        docx.Document().save(buffer)
        _TEMPLATE.append(buffer.getvalue())

    def paragraph(text: str, style: str | None = None) -> str:
        props = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f'<w:p>{props}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'

    def table(spec: TableSpec) -> str:
        grid = "".join("<w:gridCol/>" for _ in range(spec.n_cols))
        rows = []
        for row in spec.rows:
            cells = []
            for cell in row:
                props = f'<w:gridSpan w:val="{cell.span}"/>' if cell.span > 1 else ""
                if cell.vmerge:
                    props += (
                        f'<w:vMerge w:val="{cell.vmerge}"/>'
                        if cell.vmerge == "restart"
                        else "<w:vMerge/>"
                    )
                lines = cell.text.split("\n") if cell.vmerge != "continue" else [""]
                body = "".join(paragraph(line) for line in lines)
                cells.append(f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>")
            rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
        return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"

    body = []
    for item in items:
        if item[0] == "heading":
            body.append(paragraph(item[2], f"Heading{item[1]}"))
        elif item[0] == "paragraph":
            body.append(paragraph(item[1]))
        else:
            spec = item[1]
            body.append(paragraph(spec.caption))
            body.append(table(spec))
            body.extend(paragraph(note) for note in spec.notes)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{''.join(body)}</w:body></w:document>"
    )
    with zipfile.ZipFile(io.BytesIO(_TEMPLATE[0])) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = (
                xml.encode("utf-8") if info.filename == "word/document.xml" else source.read(info)
            )
            out.writestr(info, data)
