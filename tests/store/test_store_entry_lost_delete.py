"""Issue 18 #4: a stale bulk-entry template never brings back a value deleted since download.

The upload is compared with what was downloaded, deletes included: a value that was in the
template and is gone from the store — or gone and entered again by someone — is a conflict,
every such cell is reported, and nothing is saved.
"""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session
from store_builders import ADMIN, make_plan

from ecociv.store.errors import ValidationError
from ecociv.store.services import observations, plans
from ecociv.store.services.entry_template import ENTRY_SHEET, entry_template, read_entry_template

YEARS = [2021, 2022]


@pytest.fixture
def stored(tree: Session):
    """Values for the first three indicators of the plan in 2021 and 2022 (six cells)."""
    version = plans.import_plan(tree, ADMIN, make_plan(), region_code="990101")
    codes = [indicator.code for indicator in version.indicators[:3]]
    for code in codes:
        for year, text in zip(YEARS, ("30", "29"), strict=True):
            observations.save_observation(
                tree, "west", region_code="990101", indicator_code=code, year=year, text=text
            )
    tree.commit()
    return version.plan_id, codes


def _edit(template: bytes, cells: dict[str, object]) -> bytes:
    workbook = load_workbook(io.BytesIO(template))
    for ref, value in cells.items():
        workbook[ENTRY_SHEET][ref] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _delete(tree: Session, code: str, year: int) -> None:
    current = observations.get_observation(tree, "990101", code, year)
    observations.delete_observation(
        tree, "east", region_code="990101", indicator_code=code, year=year,
        expected_version=current.version,
    )  # fmt: skip


@pytest.mark.parametrize(
    "deleted",
    [[(0, 2021)], [(1, 2022)], [(0, 2021), (2, 2022)], [(0, 2021), (1, 2021), (2, 2021)]],
    ids=str,
)
def test_an_unchanged_stale_template_does_not_resurrect_deleted_values(
    tree: Session, stored, deleted
) -> None:
    plan_id, codes = stored
    template = entry_template(tree, plan_id, YEARS, "990101")
    for index, year in deleted:
        _delete(tree, codes[index], year)
    tree.commit()

    preview = read_entry_template(tree, "west", template, apply=False)
    conflicts = {(c.indicator_code, c.year) for c in preview.cells if c.status == "conflict"}
    assert conflicts == {(codes[index], year) for index, year in deleted}
    with pytest.raises(ValidationError) as refused:
        read_entry_template(tree, "west", template)
    assert len(refused.value.problems) == len(deleted)
    tree.rollback()
    for index, year in deleted:
        assert (
            observations.list_observations(
                tree, "990101", indicator_codes=[codes[index]], years=[year]
            )
            == []
        )


def test_a_value_deleted_and_entered_again_since_download_is_a_conflict(
    tree: Session, stored
) -> None:
    plan_id, codes = stored
    template = _edit(entry_template(tree, plan_id, YEARS, "990101"), {"F2": 31})
    _delete(tree, codes[0], 2021)
    observations.save_observation(
        tree, "east", region_code="990101", indicator_code=codes[0], year=2021, text="28"
    )
    tree.commit()
    preview = read_entry_template(tree, "west", template, apply=False)
    assert [c.status for c in preview.cells if c.indicator_code == codes[0] and c.year == 2021] == [
        "conflict"
    ]
    assert observations.get_observation(tree, "990101", codes[0], 2021).text == "28"


def test_a_changed_cell_whose_value_was_deleted_is_a_conflict_too(tree: Session, stored) -> None:
    plan_id, codes = stored
    template = _edit(entry_template(tree, plan_id, YEARS, "990101"), {"G3": 27})
    _delete(tree, codes[1], 2022)
    tree.commit()
    preview = read_entry_template(tree, "west", template, apply=False)
    assert {(c.indicator_code, c.year): c.status for c in preview.cells}[
        (codes[1], 2022)
    ] == "conflict"


def test_a_value_new_since_download_is_still_entered(tree: Session, stored) -> None:
    plan_id, codes = stored
    _delete(tree, codes[0], 2021)
    tree.commit()
    template = _edit(entry_template(tree, plan_id, YEARS, "990101"), {"F2": 31})
    result = read_entry_template(tree, "west", template)
    assert result.applied
    assert observations.get_observation(tree, "990101", codes[0], 2021).text is None
    assert observations.get_observation(tree, "990101", codes[0], 2021).value == 31
