"""How many rows a table's header takes, and what each column's header says, row by row.

A header may take up to three rows: a group cell (目标值, 国家指标, 规划指标) over its
sub-headers (2025年 | 2030年, 指标值 | 是否达标).  A row continues the header when the row
above it has gaps (a merged or short row) or a group text repeated over its sub-columns, or
the row itself has holes (cells merged down from above), and every filled cell of it reads
like header text (:func:`reads_like_header`), never like data.

In .docx and .xlsx the spans are known: a covered cell points at its merge origin and the
origin's text stands over every column it covers.  In a Tika text export the horizontal
spans are lost: the upper row simply has fewer cells than the row below.  Which sub-columns
each upper cell owns is then inferred (:func:`spread_row`) from the cell counts and from the
meaning of the sub-headers: an empty lower cell stands under an upper cell of its own (a
vertical merge); a run of sub-headers belongs to one group; a year goes under 现状/基准 when
it is not after the plan's base year and under 目标/规划 when it is; 是否…/完成情况 are
verdicts of the group they sit in (a measured value, or a 国家/省级 requirement); a bare 数值
belongs under a measured value; 国家/省级 split a requirement group.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from itertools import pairwise

from ecociv.ingest.columns import YearContext, header_role, header_year, normalise_header
from ecociv.ingest.document import DocCell, DocTable
from ecociv.ingest.findings import Findings

MAX_HEADER_ROWS = 3
_HEADER_WORD = re.compile(
    r"^(?:(?:19|20)\d{2}年?.*|.*(?:目标|现状|要求|国家|省级|市级|县级|近期|远期|指标值|标准|单位|年度"
    r"|基准|是否|完成|达标|情况|数值|十[一二三四五]五).*)$"
)
_SCOPE_WORD = re.compile(r"国家|省|市级|县级")
_SCOPE_SUB = re.compile(r"^(?:国家|省|市|县)级?$")
_VALUE_SUB = re.compile(r"^(?:数值|数据|值|现值|实际值)$")
_LEAF_ROLES = frozenset({"seq", "name", "unit", "attribute", "domain", "task", "note"})


def reads_like_header(text: str) -> bool:
    """Header words (目标, 现状, 是否…, a year, 国家 …) or a role of the header vocabulary."""
    normal = normalise_header(text)
    return bool(_HEADER_WORD.match(normal)) or header_role([normal])[0] not in ("other",)


def header_row_count(table: DocTable, start: int = 0) -> int:
    """1 to 3: how many rows from *start* the header takes (module docstring)."""
    count = 1
    while count < MAX_HEADER_ROWS and len(table.rows) >= start + count + 2:
        above, below = table.rows[start + count - 1], table.rows[start + count]
        if not _continues_header(above, below):
            break
        count += 1
    return count


def _continues_header(above: list[DocCell], below: list[DocCell]) -> bool:
    texts = [normalise_header(c.text) for c in below if not c.is_merge_continuation]
    filled = [t for t in texts if t]
    if not filled or (len(filled) == len(above) and len(below) == len(above)):
        return False
    gaps_above = len(above) < len(below) or any(
        not c.text.strip() or c.is_merge_continuation for c in above
    )
    texts_above = [c.text.strip() for c in above]
    repeated_group = any(a and a == b for a, b in pairwise(texts_above))
    # cells merged down from the row above; a row filled only from its first cell is a
    # group or title row (一、生态空间, 生态环境质量目标), not a sub-header row
    holes_below = len(filled) < len(texts) and not texts[0]
    return (gaps_above or repeated_group or holes_below) and all(
        reads_like_header(t) for t in filled
    )


def header_parts(
    table: DocTable, header_rows: int, start: int = 0, years: YearContext | None = None
) -> list[tuple[str, ...]]:
    """Each column's header, one text per header row that says something new, top to bottom."""
    rows = table.rows[start : start + header_rows]
    columns: list[list[str]] = [[_origin_text(table, cell)] for cell in rows[0]]
    for row in rows[1:]:
        texts = [_origin_text(table, cell) for cell in row]
        if len(texts) > len(columns):
            above = [next((t for t in reversed(c) if t), "") for c in columns]
            owners = spread_row(above, texts, years or YearContext())
            columns = [[*columns[owner], text] for owner, text in zip(owners, texts, strict=True)]
        else:
            columns = [
                [*column, texts[c] if c < len(texts) else ""] for c, column in enumerate(columns)
            ]
    return [_distinct(column) for column in columns]


def header_texts(parts: Sequence[tuple[str, ...]]) -> list[str]:
    """One header text per column: its rows joined top to bottom."""
    return ["".join(column) for column in parts]


def _origin_text(table: DocTable, cell: DocCell) -> str:
    if cell.merged_into is not None:
        origin_r, origin_c = cell.merged_into
        cell = table.rows[origin_r][origin_c]
    return cell.text.strip()


def _distinct(texts: list[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for text in texts:
        if text and text not in kept:
            kept.append(text)
    return tuple(kept)


def spread_row(upper: Sequence[str], lower: Sequence[str], years: YearContext) -> list[int]:
    """For each lower cell, the index of the upper cell above it (the upper row is short).

    Every upper cell owns a run of at least one lower cell, in order; a run of more than one
    holds only filled sub-headers.  Of the ways to cut the lower row, the one whose groups
    fit their sub-headers best is taken (:func:`_fit`); on a tie, earlier groups take more.
    """
    n, m = len(upper), len(lower)
    base = years.base_year or _first_year(lower)

    @cache
    def best(i: int, j: int) -> tuple[float, tuple[int, ...]] | None:
        if i == n:
            return (0.0, ()) if j == m else None
        found: tuple[float, tuple[int, ...]] | None = None
        for end in range(m - (n - i - 1), j, -1):
            segment = lower[j:end]
            if len(segment) > 1 and not all(segment):
                continue
            rest = best(i + 1, end)
            if rest is None:
                continue
            score = _fit(upper[i], segment, base) + rest[0]
            if found is None or score > found[0]:
                found = (score, (end - j, *rest[1]))
        return found

    result = best(0, 0)
    lengths = result[1] if result is not None else (1,) * (n - 1) + (m - n + 1,)
    return [owner for owner, length in enumerate(lengths) for _ in range(length)]


def _first_year(texts: Sequence[str]) -> int | None:
    found = [header_year(normalise_header(t)) for t in texts]
    known = [y for y in found if y is not None]
    return min(known) if known else None


def _fit(group: str, subs: Sequence[str], base: int | None) -> float:
    """How well *group* stands over the sub-headers *subs* (higher is better)."""
    if len(subs) == 1 and not subs[0]:
        return 0.0
    role, _basis = header_role([group])
    score = 0.0
    for sub in subs:
        sub_role, _ = header_role([sub])
        year = header_year(normalise_header(sub))
        bare = sub_role == "bare_year"
        if role in _LEAF_ROLES:
            score -= 2.0
        elif bare and role in ("baseline", "value") and base is not None and year is not None:
            score += 2.0 if year <= base else -3.0
        elif bare and role == "target" and base is not None and year is not None:
            score += 2.0 if year > base else -3.0
        elif sub_role == "verdict":
            if role in ("baseline", "value") or _SCOPE_WORD.search(group):
                score += 1.0
            elif role != "standard":
                score -= 1.0
        elif _VALUE_SUB.match(normalise_header(sub)):
            score += 1.0 if role in ("baseline", "value") else -1.0
        elif _SCOPE_SUB.match(normalise_header(sub)) and role == "standard":
            score += 2.0
        elif sub_role == "standard" and _SCOPE_WORD.search(group):
            score += 2.0
        elif not group:
            score -= 1.0
    return score


def row_key(row: list[DocCell]) -> tuple[str, ...]:
    """A row's filled texts without layout spaces: how a repeated header row is recognised."""
    return tuple(t for t in (normalise_header(c.text) for c in row) if t)


def header_keys(table: DocTable, header_rows: int) -> set[tuple[str, ...]]:
    """The keys of the table's header rows (a row reprinting one of them is a repeat)."""
    return {row_key(row) for row in table.rows[:header_rows]}


def report_header_repeat(findings: Findings, r: int, row: list[DocCell]) -> None:
    """The ``header_repeat`` diagnostic: a header row reprinted inside the table, left out."""
    findings.add(
        "header_repeat",
        "info",
        "表格中间重复出现的表头行（跨页重印）已略过",
        "a header row repeated inside the table (reprinted after a page break) is left out",
        row=r,
        where=row[0].where,
        text=" | ".join(c.text.strip() for c in row),
    )
