"""The REST API keeps the entry rules of the form (issue 13): an outlier needs a confirmation,
and the stored reason comes back with the value; a unit that does not convert is refused."""

from __future__ import annotations

from conftest import DISTRICT_A


def test_an_outlier_through_the_api_needs_a_reason(client_as, seeded) -> None:
    client, token = client_as("editor_a")
    code = seeded["codes"][0]  # PM2.5: 31 (2021), 30 (2022)
    url = f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2023"
    refused = client.put(url, json={"value": 150}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422
    assert [p["field"] for p in refused.json()["problems"]] == ["confirmation"]
    saved = client.put(
        url, json={"value": 150, "confirmation": "沙尘天气"}, headers={"X-CSRF-Token": token}
    )
    assert saved.status_code == 200 and saved.json()["confirmation"] == "沙尘天气"
    wrong = client.put(
        f"/api/v1/regions/{DISTRICT_A}/observations/{code}/2024",
        json={"text": "26 mg/m3"},
        headers={"X-CSRF-Token": token},
    )
    assert wrong.status_code == 422 and "µg/m³" in wrong.json()["detail"]
