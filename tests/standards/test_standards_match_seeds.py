"""The matcher on the indicator names of the seed plans (read through ingest at test time).

Seed 003 follows the 2021 revision (43 rows), seed 000 prints the 2019 national table
(40 rows) and the Zhejiang 2019 table (49 rows): every row must match the standard indicator
with the same 序号, confidently; every ①②③ sub-item must match an item of that indicator.
"""

from __future__ import annotations

import pytest

from ecociv.ingest.api import load_plan
from ecociv.standards.catalog import get_standard
from ecociv.standards.matcher import match

pytestmark = pytest.mark.seeds


@pytest.mark.parametrize(
    ("seed", "table", "version", "rows"),
    [("003", 0, "nat2021", 43), ("000", 0, "nat2019", 40), ("000", 1, "zj2019", 49)],
)
def test_every_row_matches_its_standard_indicator(
    seed_path, seed: str, table: int, version: str, rows: int
) -> None:
    plan_table = load_plan(seed_path(seed)).tables[table]
    assert len(plan_table.rows) == rows
    standard = get_standard(version)
    for row in plan_table.rows:
        found = match(row.name, version)
        assert found.indicator is not None and str(found.indicator.seq) == row.seq, (
            row.seq,
            row.name,
            found,
        )
        assert found.confidence >= 0.9, (row.name, found.reason)
        items = {item.code for item in standard.by_code[found.indicator.code].items}
        for sub in row.subitems:
            item = match(sub.name, version)
            assert item.indicator is not None and (item.indicator.code in items or not items), (
                sub.name,
                item,
            )
