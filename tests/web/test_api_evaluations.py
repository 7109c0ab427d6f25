"""``/api/v1/projects/{id}/evaluations`` over HTTP: create, list, conflict, update from the
version read, refusals naming the indicator; the project page's data carries them."""

from __future__ import annotations

from work_write_cases import _evaluation_body, _headers, _record, _scores


def test_evaluations_over_http(client_as, seeded) -> None:
    client, token = client_as("admin")
    record = _record(client, seeded)
    url = f"/api/v1/projects/{record}/evaluations"
    scores = _scores()
    scores["outcome_satisfaction"] = {"score": None, "comment": "未开展满意度调查"}
    scores["output_quality"] = {"score": 5, "comment": "存在整改事项"}
    created = client.post(
        url, json=_evaluation_body(year=2025, scores=scores), headers=_headers(token)
    )
    assert created.status_code == 201, created.text
    assert {k: created.json()[k] for k in ("year", "total", "grade", "grade_label", "version")} == {
        "year": 2025,
        "total": 94.74,
        "grade": "excellent",
        "grade_label": "优",
        "version": 1,
    }
    again = client.post(url, json=_evaluation_body(year=2025), headers=_headers(token))
    assert again.status_code == 409
    bad = dict(scores, input_funds={"score": 9, "comment": ""})
    refused = client.put(
        f"{url}/2025",
        json=_evaluation_body(scores=bad, expected_version=1),
        headers=_headers(token),
    )
    assert refused.status_code == 422 and "input_funds" in refused.json()["detail_en"]
    scores["outcome_ecological"] = {"score": 10, "comment": ""}
    updated = client.put(
        f"{url}/2025",
        json=_evaluation_body(scores=scores, expected_version=1),
        headers=_headers(token),
    )
    assert (updated.json()["total"], updated.json()["grade_label"]) == (89.47, "良")
    stale = client.put(
        f"{url}/2025",
        json=_evaluation_body(scores=scores, expected_version=1),
        headers=_headers(token),
    )
    assert stale.status_code == 409
    listed = client.get(url).json()
    assert [(e["year"], e["version"]) for e in listed] == [(2025, 2)]
    page = client.get(f"/library/{record}.json").json()
    assert page["evaluations"][0]["grade_label"] == "良"
    assert [d["weight"] for d in page["indicator_set"]["dimensions"]] == [20, 20, 30, 30]
