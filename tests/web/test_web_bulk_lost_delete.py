"""Issue 18 #4 through the page: a stale, unchanged template uploaded after a delete reports
the conflict (every one) and brings nothing back."""

from __future__ import annotations

import pytest

from conftest import DISTRICT_A


@pytest.mark.parametrize("deleted_years", [[2021], [2021, 2022]])
def test_an_unchanged_stale_template_reports_the_deletes(client_as, seeded, deleted_years):
    client, token = client_as("editor_a")
    plan_id, code = seeded["plan_id"], seeded["codes"][0]
    template = client.get(f"/plans/{plan_id}/entry/template.xlsx?region={DISTRICT_A}").content
    for year in deleted_years:
        current = client.get(f"/api/v1/regions/{DISTRICT_A}/observations?indicator={code}").json()
        version = next(o["version"] for o in current if o["year"] == year)
        deleted = client.delete(
            f"/api/v1/regions/{DISTRICT_A}/observations/{code}/{year}?expected_version={version}",
            headers={"X-CSRF-Token": token},
        )
        assert deleted.status_code == 204
    response = client.post(
        f"/plans/{plan_id}/entry",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("entry.xlsx", template, "application/octet-stream")},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    result = response.json()["result"]
    conflicts = [
        (c["indicator_code"], c["year"]) for c in result["cells"] if c["status"] == "conflict"
    ]
    assert conflicts == [(code, year) for year in deleted_years]
    assert not result["applied"]
    left = client.get(f"/api/v1/regions/{DISTRICT_A}/observations?indicator={code}").json()
    assert [o["year"] for o in left] == [y for y in (2021, 2022) if y not in deleted_years]
