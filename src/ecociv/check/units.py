"""Units: a cell whose unit does not convert to its indicator's unit, a score (``85.66分``) in
a % row, and a share, rate or change (…比例, …率, …下降幅度) whose target is written as a
level (``29µg/m3``)."""

from __future__ import annotations

from ecociv.check.data import vocab
from ecociv.check.findings import Finding
from ecociv.check.kinds import finding
from ecociv.check.view import CheckInput, expr_of, indicator_rows, quantity, unit_of

_VALUE_ROLES = ("baseline", "target", "value", "standard")


def cell_units(data: CheckInput) -> list[Finding]:
    """Each value cell's unit against its row's unit (after canonical spelling)."""
    rates = vocab()["rates"]
    found = []
    for ref in indicator_rows(data.plan):
        row_unit = unit_of(ref.row.unit)
        is_rate = any(word in ref.row.name for word in rates["name_words"])
        for column in ref.table.columns:
            if column.role not in _VALUE_ROLES or column.key not in ref.row.cells:
                continue
            q = quantity(expr_of(ref.row.cells[column.key]))
            if q is None or q.unit is None:
                continue
            if q.unit in vocab()["scores"]["units"] and row_unit is not None and row_unit[0] == "%":
                found.append(
                    finding(
                        "unit.score_as_percent",
                        [ref.location(column.key), ref.location("unit")],
                        {
                            "name": ref.row.name,
                            "value": str(q.value),
                            "table_unit": "%",
                            "text_unit": q.unit,
                        },
                        zh=f"“{ref.row.name}”的单位是 %，单元格却写作 {q.value}{q.unit}（得分）",
                        en=f"“{ref.row.name}” is in % but the cell reads {q.value} {q.unit} (a score)",
                        fix_zh="确定该指标是得分还是百分比，统一单位",
                        fix_en="decide whether the indicator is a score or a percentage and use one unit",
                    )
                )
            elif (
                is_rate
                and q.unit in rates["level_units"]
                and (row_unit is None or row_unit[0] == "%")
            ):
                found.append(
                    finding(
                        "unit.level_for_rate",
                        [ref.location(column.key)],
                        {
                            "name": ref.row.name,
                            "row_unit": ref.row.unit,
                            "cell_unit": q.unit,
                            "value": str(q.value),
                        },
                        zh=f"“{ref.row.name}”是比例或变化幅度（{ref.row.unit or '无单位'}），{' '.join(column.header.split())}却写作 {q.value}{q.unit}（水平值）",
                        en=(
                            f"“{ref.row.name}” is a share or a change ({ref.row.unit or 'no unit'}) but its "
                            f"{column.key} is a level, {q.value} {q.unit}"
                        ),
                        fix_zh="把目标写成幅度（%），或把指标改为浓度等水平指标并改单位",
                        fix_en="state the target as a change in %, or make the indicator a level with that unit",
                    )
                )
            elif row_unit is not None and q.unit != row_unit[0]:
                found.append(
                    finding(
                        "unit.cell_vs_row",
                        [ref.location(column.key), ref.location("unit")],
                        {
                            "name": ref.row.name,
                            "row_unit": row_unit[0],
                            "cell_unit": q.unit,
                            "value": str(q.value),
                        },
                        zh=f"“{ref.row.name}”的单位是 {ref.row.unit}，{' '.join(column.header.split())}却写作 {q.value}{q.unit}",
                        en=f"“{ref.row.name}” is in {ref.row.unit} but its {column.key} reads {q.value} {q.unit}",
                        fix_zh="统一单元格与单位列的单位",
                        fix_en="use the unit of the unit column in the cell",
                    )
                )
    return found


RULES = (cell_units,)
