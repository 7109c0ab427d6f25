"""Pages and their JSON twins, sign-in, language switch."""

from __future__ import annotations

from conftest import CITY, DISTRICT_A


def test_anonymous_page_request_goes_to_login(client_as):
    client, _ = client_as(None)
    response = client.get("/regions", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/regions")


def test_anonymous_json_twin_is_401(client_as):
    client, _ = client_as(None)
    response = client.get("/regions.json")
    assert response.status_code == 401
    assert response.json()["detail_en"] == "please sign in first"


def test_wrong_password_is_refused_with_message(client_as):
    client, _ = client_as(None)
    from conftest import csrf_of

    response = client.post(
        "/login", data={"name": "admin", "password": "nope-nope", "csrf_token": csrf_of(client)}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text


def test_session_cookie_flags(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        response = client.get("/login")
        cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # secure_cookies is off in the test settings


def test_secure_cookie_flag_when_configured(web_settings, seeded):
    from fastapi.testclient import TestClient

    from ecociv.web.app import create_app

    secure = web_settings.model_copy(update={"secure_cookies": True})
    with TestClient(create_app(secure), base_url="https://testserver") as client:
        cookie = client.get("/login").headers["set-cookie"].lower()
    assert "; secure" in cookie


def test_region_tree_html_and_json_come_from_the_same_data(client_as):
    client, _ = client_as("viewer")
    data = client.get("/regions.json").json()
    codes = [r["code"] for r in data["regions"]]
    assert codes[:1] == [CITY] and DISTRICT_A in codes
    html = client.get("/regions").text
    for region in data["regions"]:
        assert region["name"] in html
    assert data["regions"][1]["depth"] == 1


def test_editable_flag_follows_the_users_subtree(client_as):
    client, _ = client_as("editor_a")
    flags = {r["code"]: r["editable"] for r in client.get("/regions.json").json()["regions"]}
    assert flags == {CITY: False, DISTRICT_A: True, "990103": False}


def test_language_switch_to_english_and_back(client_as):
    client, _ = client_as("viewer")
    assert "行政区" in client.get("/regions").text
    english = client.get("/regions?lang=en").text
    assert "Regions" in english and "Sign out" in english
    assert "Regions" in client.get("/regions").text  # the choice sticks to the session
    assert "退出" in client.get("/regions?lang=zh").text


def test_unknown_region_is_404_page(client_as):
    client, _ = client_as("viewer")
    response = client.get("/regions/nope")
    assert response.status_code == 404
    assert "nope" in response.text


def test_projects_page_sums_investment(client_as, seeded):
    client, _ = client_as("viewer")
    data = client.get(f"/plans/{seeded['plan_id']}/projects.json").json()
    assert data["total_wan_yuan"] == 4200.0
    by_year = {g["key"]: g["total_wan_yuan"] for g in data["summaries"]["year"]["groups"]}
    assert by_year == {"2021": 1000.0, "2022": 2200.0, "2023": 1000.0}
    html = client.get(f"/plans/{seeded['plan_id']}/projects").text
    assert "示例河道整治" in html and "4,200" in html


def test_templates_escape_user_text(client_as, seeded):
    client, token = client_as("editor_a")
    code = seeded["codes"][0]
    client.post(
        f"/plans/{seeded['plan_id']}/indicators/{code}/observations",
        data={
            "region": DISTRICT_A,
            "year": "2023",
            "text": "29",
            "source": "<script>alert(1)</script>",
            "csrf_token": token,
        },
    )
    html = client.get(f"/plans/{seeded['plan_id']}/indicators/{code}?region={DISTRICT_A}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_region_comparison_puts_districts_side_by_side(client_as, seeded):
    client, _ = client_as("viewer")
    data = client.get(f"/regions/{CITY}/compare.json").json()
    assert [r["code"] for r in data["regions"]] == [CITY, DISTRICT_A, "990103"]
    first = data["rows"][0]
    cell = first["values"][DISTRICT_A]
    assert (cell["year"], cell["value"], cell["text"]) == (2022, 30.0, "30")
    assert (cell["verdict"]["status"], cell["verdict"]["margin"]) == ("not_met", -2.0)
    assert CITY not in first["values"]  # the city itself entered nothing
    assert data["totals"][CITY] == {"no_data": 2}
    in_2021 = client.get(f"/regions/{CITY}/compare.json?year=2021").json()
    assert in_2021["rows"][0]["values"][DISTRICT_A]["value"] == 31.0
    assert "未达标" in client.get(f"/regions/{CITY}/compare").text


def test_dashboard_judges_the_districts_values(client_as, seeded):
    client, _ = client_as("viewer")
    data = client.get(f"/plans/{seeded['plan_id']}.json?region={DISTRICT_A}").json()
    assert data["region"]["code"] == DISTRICT_A
    by_code = {row["code"]: row for row in data["indicators"]}
    pm25, sewage = (by_code[code] for code in seeded["codes"])
    assert (pm25["year"], pm25["latest"]["value"], pm25["target_text"]) == (2022, 30.0, "≤28")
    assert pm25["verdict"]["status"] == "not_met" and pm25["verdict"]["margin"] == -2.0
    assert sewage["verdict"]["status"] == "not_met" and sewage["verdict"]["margin"] == -1.5
    assert data["totals"] == {"not_met": 2}
    assert sum(d["total"] for d in data["counts_by_domain"]) == 2
    assert pm25["chart"]["series"][0]["data"][-1] == ["2022", 30.0]
    # The district has no 2020 value: the city's baseline (33) is not its own (issue 12).
    assert (pm25["baseline_year"], pm25["baseline_value"], pm25["target_value"]) == (
        2020,
        None,
        28.0,
    )
    chart_series = {s["name"]: s["data"] for s in pm25["chart"]["series"]}
    assert "基准值" not in chart_series and chart_series["目标值"] == [["2025", 28.0]]
    html = client.get(f"/plans/{seeded['plan_id']}?region={DISTRICT_A}").text
    assert "驾驶舱" in html and "未达标" in html and "-2" in html


def test_dashboard_of_the_city_has_no_data_yet(client_as, seeded):
    client, _ = client_as("viewer")
    data = client.get(f"/plans/{seeded['plan_id']}.json").json()
    assert data["totals"] == {"no_data": 2}


def test_api_verdicts_match_the_dashboard(client_as, seeded):
    client, _ = client_as("viewer")
    api = client.get(f"/api/v1/plans/{seeded['plan_id']}/verdicts?region={DISTRICT_A}").json()
    page = client.get(f"/plans/{seeded['plan_id']}.json?region={DISTRICT_A}").json()
    assert api["region_code"] == DISTRICT_A
    assert [(r["code"], r["verdict"]) for r in api["indicators"]] == [
        (r["code"], r["verdict"]) for r in page["indicators"]
    ]
    assert "chart" not in api["indicators"][0]
    assert api["indicators"][0]["targets"] == [{"year": 2025, "text": "≤28", "value": 28.0}]
    assert api["indicators"][0]["baseline_value"] is None  # the district's own: none in 2020
    as_of_2021 = client.get(
        f"/api/v1/plans/{seeded['plan_id']}/verdicts?region={DISTRICT_A}&as_of=2021"
    ).json()
    assert {r["year"] for r in as_of_2021["indicators"]} == {2021}


def test_changed_target_keeps_its_previous_text(client_as, seeded):
    client, token = client_as("editor_city")
    code = seeded["codes"][0]
    url = f"/plans/{seeded['plan_id']}/indicators/{code}"
    saved = client.post(
        f"{url}/targets",
        data={"year": "2025", "text": "≤27", "expected_version": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    data = client.get(f"{url}.json?region={DISTRICT_A}").json()
    assert [(t["year"], t["text"], t["version"]) for t in data["indicator"]["targets"]] == [
        (2025, "≤27", 2)
    ]
    assert [(h["year"], h["text"], h["version"]) for h in data["target_history"]] == [
        (2025, "≤28", 1)
    ]
    assert data["verdict"]["margin"] == -3.0  # 30 against the new ≤27
    stale = client.put(
        f"/api/v1/plans/{seeded['plan_id']}/indicators/{code}/targets/2025",
        json={"text": "≤26", "expected_version": 1},
        headers={"X-CSRF-Token": token},
    )
    assert stale.status_code == 409


def test_reimport_is_a_new_version_with_its_differences(client_as, seeded, web_settings):
    from conftest import small_plan
    from ecociv.store.db import create_engine_for, session_factory, unit_of_work
    from ecociv.store.services import plans

    changed = small_plan()
    changed.tables[0].rows[1].cells["target_2025"].text = "≥98"
    engine = create_engine_for(web_settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        plans.import_plan(db, "test", changed, region_code=CITY)
    engine.dispose()
    client, _ = client_as("viewer")
    data = client.get(f"/plans/{seeded['plan_id']}/versions.json").json()
    assert [v["version"] for v in data["versions"]] == [2, 1]
    diff = data["versions"][0]["diff"]["indicators"]
    assert diff["added"] == [] and diff["removed"] == []
    assert [c["name"] for c in diff["changed"]] == ["城镇污水处理率"]
    html = client.get(f"/plans/{seeded['plan_id']}/versions").text
    assert "≥98" in html and "≥97" in html


def test_pages_load_nothing_from_another_host(client_as, seeded):
    import re

    client, _ = client_as("admin")
    plan = seeded["plan_id"]
    code = seeded["codes"][0]
    for path in (
        "/regions",
        f"/plans/{plan}?region={DISTRICT_A}",
        f"/plans/{plan}/indicators/{code}?region={DISTRICT_A}",
        f"/plans/{plan}/projects",
        f"/regions/{CITY}/compare",
        "/import",
    ):
        html = client.get(path).text
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html), path
        assert "/static/vendor/" in html or path == "/import", path
    assert client.get("/static/vendor/echarts/echarts.common.min.js").status_code == 200
    assert client.get("/api/v1/docs").status_code == 404  # Swagger UI would come from a CDN


def test_audit_log_lists_writes_for_admins_only(client_as, seeded):
    editor, token = client_as("editor_a")
    editor.post(
        f"/plans/{seeded['plan_id']}/indicators/{seeded['codes'][0]}/observations",
        data={"region": DISTRICT_A, "year": "2023", "text": "29", "csrf_token": token},
    )
    assert editor.get("/audit.json").status_code == 403
    admin, _ = client_as("admin")
    entries = admin.get("/audit.json?actor=editor_a").json()["entries"]
    assert [(e["action"], e["entity"]) for e in entries] == [("create", "observation")]
    assert entries[0]["after"]["value"] == 29
    assert entries[0]["key"] == f"{DISTRICT_A}/{seeded['codes'][0]}/2023"
