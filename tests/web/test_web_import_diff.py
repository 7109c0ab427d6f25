"""Plan import preview: before confirming a re-import, the differences against the current
version are shown (a dry run — nothing is stored until the confirmation)."""

from __future__ import annotations

from pathlib import Path

from conftest import DISTRICT_A

PLAN_TEXT = (Path(__file__).parents[2] / "src/ecociv/demo/data/qinglan_plan.txt").read_bytes()
JSON = {"Accept": "application/json"}


def _preview(client, token: str, content: bytes, headers: dict[str, str] | None = None):
    return client.post(
        "/import/preview",
        data={"region": DISTRICT_A, "csrf_token": token},
        files={"file": ("plan.txt", content, "text/plain")},
        headers=headers or {},
    )


def _confirm(client, token: str, pending: str) -> int:
    response = client.post(
        "/import/confirm", data={"token": pending, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].split("?")[0].rsplit("/", 1)[1])


def test_preview_of_a_reimport_shows_its_differences_before_confirming(client_as):
    client, token = client_as("admin")
    assert "确认后导入为第 1 版" in _preview(client, token, PLAN_TEXT).text
    first = _preview(client, token, PLAN_TEXT, JSON).json()["preview"]
    assert first["diff"] is None  # a new plan for the district
    plan_id = _confirm(client, token, first["token"])

    changed = PLAN_TEXT.replace("\t≥22\n".encode(), "\t≥23\n".encode(), 1)
    assert changed != PLAN_TEXT
    preview = _preview(client, token, changed, JSON).json()["preview"]
    diff = preview["diff"]
    assert (diff["plan_id"], diff["from_version"], diff["to_version"]) == (plan_id, 1, 2)
    assert diff["indicators"]["added"] == [] and diff["indicators"]["removed"] == []
    [target] = diff["indicators"]["changed"]
    assert target["fields"]["targets"][0]["2025"] == "≥22"
    assert target["fields"]["targets"][1]["2025"] == "≥23"
    assert not any(diff["projects"][kind] for kind in ("added", "removed", "changed"))
    # a dry run: the plan is still at version 1
    versions = client.get(f"/plans/{plan_id}/versions.json").json()["versions"]
    assert [v["version"] for v in versions] == [1]

    html = _preview(client, token, changed).text
    assert 'id="import-diff"' in html and "≥23" in html and "第 2 版" in html

    same = _preview(client, token, PLAN_TEXT, JSON).json()["preview"]
    assert not any(
        same["diff"][part][kind]
        for part in ("indicators", "projects")
        for kind in ("added", "removed", "changed")
    )
    assert "与当前版本没有差异" in _preview(client, token, PLAN_TEXT).text


def test_a_milestone_indicator_is_drawn_as_a_timeline(client_as):
    client, token = client_as("admin")
    pending = _preview(client, token, PLAN_TEXT, JSON).json()["preview"]["token"]
    plan_id = _confirm(client, token, pending)
    rows = client.get(f"/plans/{plan_id}.json?region={DISTRICT_A}").json()["indicators"]
    milestone = next(r for r in rows if r["targets"] and r["targets"][0]["text"] == "全面实施")
    page = f"/plans/{plan_id}/indicators/{milestone['code']}?region={DISTRICT_A}"
    html = client.get(page).text
    assert 'id="indicator-timeline"' in html and 'id="indicator-chart"' not in html
    saved = client.post(
        f"/plans/{plan_id}/indicators/{milestone['code']}/observations",
        data={"region": DISTRICT_A, "year": "2023", "text": "全面实施", "csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    html = client.get(page).text
    assert 'class="tl-year judged" data-year="2023"' in html
    dashboard = client.get(f"/plans/{plan_id}?region={DISTRICT_A}").text
    assert f'data-timeline-of="{milestone["code"]}"' in dashboard
