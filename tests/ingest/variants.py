"""A seeded generator of plan-table variants: the same meaning, laid out as real plans do.

:func:`variant` rewrites a semantic table (``variant_tables.py``) with a seeded random choice of

* header synonyms (现状值（2020年）/ 基准值（2020年）/ “十三五”末 / 2020年现状值 …);
* optional columns (单位, 指标属性, 备注; 建设内容, 实施年限, 牵头单位) reordered or dropped;
* one-, two- or three-row headers (目标值 over 2025年 | 2030年; 现状（2020年）over 数值 |
  是否达到国家要求; 指标要求 over 国家 | 省级; a top group over them), the group cell spanning
  its sub-columns or repeated over each of them;
* sub-items inside the name cell (①②, ``1 ``/``2 `` or unmarked lines) or as rows with an
  empty 序号 under their indicator;
* a page break: none, the table split with its header repeated, split with a 续表 caption,
  split with neither (the data rows simply go on), or the header rows reprinted inside the
  table;

and returns the table (or its two parts) as ``fixture_builders.TableSpec``, which
``variant_documents.py`` writes as Tika text, .docx or .xlsx.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from fixture_builders import SpecCell, TableSpec
from variant_tables import BASE, OPTIONAL, Item, Semantic, Sid

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
    headers = header_grid(kept, layout, rng)
    body = body_rows(kept, layout)
    return paginate(kept, headers, body, layout), layout, kept


def header_grid(semantic: Semantic, layout: Layout, rng: random.Random) -> list[list[SpecCell]]:
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


def body_rows(semantic: Semantic, layout: Layout) -> list[list[SpecCell]]:
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


def paginate(semantic: Semantic, headers, body, layout: Layout) -> TableSpec | list[TableSpec]:
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
