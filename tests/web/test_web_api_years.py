"""Issue 18 #9: the OpenAPI document's year bounds are the ones the service applies."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conftest import DISTRICT_A

THIS_YEAR = datetime.now(UTC).year


def _bounds(document: dict, path: str, method: str) -> tuple[int, int]:
    parameter = next(
        p for p in document["paths"][path][method]["parameters"] if p["name"] == "year"
    )
    return parameter["schema"]["minimum"], parameter["schema"]["maximum"]


def test_the_document_bounds_observed_years_by_this_year(client_as) -> None:
    client, _ = client_as("viewer")
    document = client.get("/api/v1/openapi.json").json()
    path = "/regions/{code}/observations/{indicator_code}/{year}"
    assert _bounds(document, path, "put") == (1949, THIS_YEAR)
    assert _bounds(document, path, "delete") == (1949, THIS_YEAR)
    target = "/plans/{plan_id}/indicators/{indicator_code}/targets/{year}"
    assert _bounds(document, target, "put") == (1949, 2100)


@pytest.mark.parametrize("offset", [-1, 0, 1, 2])
def test_the_service_accepts_exactly_the_documented_observed_years(
    offset: int, client_as, seeded
) -> None:
    client, token = client_as("admin")
    document = client.get("/api/v1/openapi.json").json()
    low, high = _bounds(document, "/regions/{code}/observations/{indicator_code}/{year}", "put")
    code = seeded["codes"][0]
    for year in (low + offset, high + offset - 1):
        response = client.put(
            f"/api/v1/regions/{DISTRICT_A}/observations/{code}/{year}",
            json={"text": "29"},
            headers={"X-CSRF-Token": token},
        )
        documented = low <= year <= high
        assert (response.status_code == 200) == documented, (year, response.text[:200])
        assert response.status_code in (200, 422), response.text[:200]


@pytest.mark.parametrize("year", [1948, 1949, 2100, 2101])
def test_the_service_accepts_exactly_the_documented_target_years(year: int, client_as, seeded):
    client, token = client_as("admin")
    code = seeded["codes"][0]
    response = client.put(
        f"/api/v1/plans/{seeded['plan_id']}/indicators/{code}/targets/{year}",
        json={"text": "≤25"},
        headers={"X-CSRF-Token": token},
    )
    assert (response.status_code == 200) == (1949 <= year <= 2100), response.text[:200]
