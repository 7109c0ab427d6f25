"""一张图 and the drill-down on the bundled sample (青岚市, drawn on 湖州市's borrowed
boundaries) and on a store with an additive indicator: JSON twins, the twin table, totals."""

from __future__ import annotations

import html
import json

import pytest
from fastapi.testclient import TestClient

from ecociv import model
from ecociv.demo.sample import CITY_CODE, DISTRICT_CODES, load_sample
from ecociv.settings import load_settings
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.services import observations, plans, readiness, regions, users
from ecociv.web.app import create_app

PASSWORD = "map-test-password"


def _client(folder, build) -> TestClient:
    settings = load_settings(
        data_dir=folder, database_url=f"sqlite:///{folder / 'map.db'}", secret_key="map-tests"
    )
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        users.create_user(db, "test", name="admin", password=PASSWORD, role="admin")
        build(db)
    engine.dispose()
    client = TestClient(create_app(settings))
    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(
        "/login",
        data={"name": "admin", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    loaded = {}

    def build(db):
        loaded["plan_id"] = load_sample(db).plan_id

    client = _client(tmp_path_factory.mktemp("map-demo"), build)
    yield client, loaded["plan_id"]
    client.close()


def test_map_twin_draws_the_districts_on_their_borrowed_boundaries(demo):
    client, plan_id = demo
    data = client.get(f"/plans/{plan_id}/map.json").json()
    assert data["region"] == {
        "code": CITY_CODE,
        "name": "青岚市",
        "level": "city",
        "division_code": "330500",
    }
    assert data["boundary"]["file"] == "/static/geo/330500.json"
    drawn = {a["name"]: (a["division_code"], a["boundary_name"]) for a in data["areas"]}
    assert drawn == {
        "澄湖区": ("330503", "南浔区"),
        "云溪区": ("330502", "吴兴区"),
        "松岭区": ("330523", "安吉县"),
    }
    for area in data["areas"]:
        ready = area["readiness"]
        assert ready["share"] == ready["met"] / ready["applicable"]
        assert sum(ready["counts"].values()) == ready["applicable"]
        assert area["not_drawn"] is None
    assert data["standard"]["id"] == "nat2021"  # nobody chose one: the national default
    assert data["standard_source"] == "platform_default"
    assert "（平台默认）" in client.get(f"/plans/{plan_id}/map").text
    assert data["standard"]["title"] == "国家生态文明建设示范区建设指标（修订版）"


@pytest.mark.parametrize(
    ("standard", "expected"),
    [
        # (met, applicable) per district 澄湖区, 云溪区, 松岭区 — the readiness view's counts
        ("nat2019", [(15, 41), (14, 41), (12, 41)]),
        ("nat2021", [(15, 44), (15, 44), (12, 44)]),
        ("zj2019", [(12, 54), (10, 54), (10, 54)]),
    ],
)
def test_map_readiness_follows_the_chosen_standard(demo, standard, expected):
    client, plan_id = demo
    data = client.get(f"/plans/{plan_id}/map.json", params={"standard": standard}).json()
    assert data["standard"]["id"] == standard
    got = [(a["readiness"]["met"], a["readiness"]["applicable"]) for a in data["areas"]]
    assert got == expected
    drawn = {a["name"]: (a["met"], a["applicable"]) for a in data["areas_for_map"]}
    assert drawn == {a["name"]: pair for a, pair in zip(data["areas"], expected, strict=True)}
    for area in data["areas"]:  # the same figures as the readiness view of that district
        page = client.get(
            f"/plans/{plan_id}/readiness.json",
            params={"region": area["code"], "standard": standard},
        ).json()
        counts = page["counts"]
        assert area["readiness"]["met"] == counts["met"]
        assert area["readiness"]["applicable"] == sum(counts.values()) - counts["not_applicable"]
    html_page = client.get(f"/plans/{plan_id}/map", params={"standard": standard}).text
    assert f'<option value="{standard}" selected>' in html_page
    legend = html_page.split('id="map-legend"', 1)[1].split("</h3>", 1)[0]
    assert data["standard"]["title"] in legend
    row = html_page.split('data-region="990102"', 1)[1].split("</tr>", 1)[0]
    met, applicable = expected[0]
    assert f"{100 * met / applicable:.0f}%（{met}/{applicable}）" in row
    assert f"/readiness?region=990102&amp;standard={standard}" in row


def test_the_map_opens_with_the_region_default_standard(tmp_path):
    built = {}

    def build(db):
        built["plan_id"] = load_sample(db).plan_id
        readiness.set_default_standard(db, "test", CITY_CODE, "zj2019")

    client = _client(tmp_path, build)
    data = client.get(f"/plans/{built['plan_id']}/map.json").json()
    assert (data["standard"]["id"], data["standard_source"]) == ("zj2019", "region_default")
    assert data["areas"][0]["readiness"]["applicable"] == 54
    assert "（本地区默认）" in client.get(f"/plans/{built['plan_id']}/map").text
    asked = client.get(f"/plans/{built['plan_id']}/map.json", params={"standard": "nat2019"})
    assert asked.json()["areas"][0]["readiness"]["applicable"] == 41
    screen = client.get(f"/plans/{built['plan_id']}/screen.json").json()
    assert screen["map"]["standard"]["id"] == screen["standard"]["id"] == "zj2019"
    # the form's empty fields (year, indicator) mean "latest" and "readiness"
    form = client.get(f"/plans/{built['plan_id']}/map?as_of=&indicator=&standard=nat2019")
    assert form.status_code == 200
    assert client.get(f"/plans/{built['plan_id']}/map.json?standard=xx2099").status_code in (
        400,
        404,
        422,
    )
    client.close()


def test_map_points_have_coordinates_and_the_rest_are_listed(demo):
    client, plan_id = demo
    data = client.get(f"/plans/{plan_id}/map.json").json()
    assert [s["code"] for s in data["stations"] if s["lon"] is None] == ["QL-W01"]
    kinds = sorted((p["type"], p["kind"]) for p in data["points_for_map"])
    assert kinds.count(("station", "air")) == 6
    assert kinds.count(("project", "project")) == 3
    page = client.get(f"/plans/{plan_id}/map").text
    assert "云溪河出境断面" in page and "无坐标，未在图上标出" in page


def test_served_boundaries_are_keyed_by_division_code(demo):
    client, _ = demo
    response = client.get("/static/geo/330500.json")
    assert response.status_code == 200
    features = json.loads(response.content)["features"]
    assert {f["id"]: f["properties"]["name"] for f in features} == {
        "330502": "吴兴区",
        "330503": "南浔区",
        "330521": "德清县",
        "330522": "长兴县",
        "330523": "安吉县",
    }
    assert len(response.content) < 100_000


def test_map_by_indicator_writes_each_reason_in_the_table(demo):
    client, plan_id = demo
    code = "nat2021.air.good_days_ratio"
    data = client.get(f"/plans/{plan_id}/map.json", params={"indicator": code}).json()
    assert data["indicator"]["name"] == "环境空气质量优良天数比例"
    page = client.get(f"/plans/{plan_id}/map", params={"indicator": code}).text
    for area in data["areas"]:
        verdict = area["indicator"]["verdict"]
        assert html.escape(verdict["reason_zh"], quote=False) in page
        url = f"/plans/{plan_id}/drill/{code}?region={area['code']}"
        assert url in page
    assert code not in page.split('id="map-table"', 1)[1].split("</table>", 1)[0].replace(
        f"/drill/{code}", ""
    )


def test_map_of_an_earlier_year_judges_that_year(demo):
    client, plan_id = demo
    code = "nat2021.air.good_days_ratio"
    data = client.get(
        f"/plans/{plan_id}/map.json", params={"indicator": code, "as_of": 2022}
    ).json()
    assert {a["indicator"]["latest"]["year"] for a in data["areas"]} == {2022}


def test_drill_down_lists_districts_and_refuses_to_sum_a_ratio(demo):
    client, plan_id = demo
    code = "nat2021.air.good_days_ratio"
    data = client.get(f"/plans/{plan_id}/drill/{code}.json").json()
    assert [c["code"] for c in data["children"]] == list(DISTRICT_CODES)
    assert data["total"]["status"] == "refused"
    assert data["total"]["kind"] == "ratio"
    assert "比例或比率不能相加" in data["total"]["method_zh"]
    page = client.get(f"/plans/{plan_id}/drill/{code}").text
    assert "比例或比率不能相加" in page and "不汇总" in page
    district = client.get(
        f"/plans/{plan_id}/drill/{code}.json", params={"region": DISTRICT_CODES[0]}
    ).json()
    assert district["parent"]["code"] == CITY_CODE and district["children"] == []
    assert (
        f"/drill/{code}?region={CITY_CODE}"
        in client.get(f"/plans/{plan_id}/drill/{code}", params={"region": DISTRICT_CODES[0]}).text
    )


def _additive_plan() -> model.Plan:
    columns = [
        model.Column(index=0, key="seq", role="seq", header="序号"),
        model.Column(index=1, key="name", role="name", header="指标名称"),
        model.Column(index=2, key="unit", role="unit", header="单位"),
        model.Column(index=3, key="target_2025", role="target", header="2025年", year=2025),
    ]
    rows = [
        model.IndicatorRow(
            seq="1",
            name="新增造林面积",
            unit="公顷",
            cells={"target_2025": model.Cell(text="≥500")},
        ),
        model.IndicatorRow(
            seq="2",
            name="城镇污水处理率",
            unit="%",
            cells={"target_2025": model.Cell(text="≥97")},
        ),
    ]
    return model.Plan(
        source=model.PlanSource(path="合计测试.txt", format="tika"),
        metadata=model.PlanMetadata(name="合计测试规划", period_start=2021, period_end=2025),
        tables=[model.PlanTable(index=0, kind="indicator", columns=columns, rows=rows)],
    )


@pytest.fixture(scope="module")
def additive(tmp_path_factory):
    found = {}

    def build(db):
        regions.create_region(
            db, "test", code="c", name="合计市", level="city", division_code="330600"
        )
        for code, name, division in (
            ("d1", "甲区", "330602"),
            ("d2", "乙区", "330603"),
            ("d3", "丙区", None),
        ):
            regions.create_region(
                db,
                "test",
                code=code,
                name=name,
                level="county",
                parent_code="c",
                division_code=division,
            )
        version = plans.import_plan(db, "test", _additive_plan(), region_code="c")
        area, sewage = (i.code for i in version.indicators)
        for region, value in (("d1", "120.5"), ("d2", "80.25"), ("d3", "10"), ("c", "215")):
            observations.save_observation(
                db, "test", region_code=region, indicator_code=area, year=2023, text=value
            )
        for region, value in (("d1", "120"), ("d2", "80")):
            observations.save_observation(
                db, "test", region_code=region, indicator_code=area, year=2022, text=value
            )
        found.update(plan_id=version.plan_id, area=area, sewage=sewage)

    client = _client(tmp_path_factory.mktemp("map-additive"), build)
    yield client, found
    client.close()


def test_additive_indicator_is_summed_with_its_method(additive):
    client, found = additive
    data = client.get(f"/plans/{found['plan_id']}/drill/{found['area']}.json").json()
    total = data["total"]
    assert (total["status"], total["kind"], total["value"], total["year"]) == (
        "summed",
        "area",
        210.75,
        2023,
    )
    assert total["difference"] == pytest.approx(4.25)
    assert "各区县数值之和（3 个区县）" in total["method_zh"]
    page = client.get(f"/plans/{found['plan_id']}/drill/{found['area']}").text
    assert 'id="drill-total-value">210.75<' in page
    assert "+4.25" in page


def test_a_district_without_a_value_stops_the_total(additive):
    client, found = additive
    data = client.get(
        f"/plans/{found['plan_id']}/drill/{found['area']}.json", params={"as_of": 2022}
    ).json()
    assert data["total"]["status"] == "incomplete"
    assert data["total"]["missing"] == ["丙区"]
    assert data["total"]["value"] is None


def test_non_additive_indicator_is_refused_with_the_reason(additive):
    client, found = additive
    data = client.get(f"/plans/{found['plan_id']}/drill/{found['sewage']}.json").json()
    assert data["total"]["status"] == "refused"
    assert data["total"]["method_en"].startswith("ratio or rate (a relative indicator): ")


def test_a_region_without_a_known_boundary_is_listed_with_the_reason(additive):
    client, found = additive
    data = client.get(f"/plans/{found['plan_id']}/map.json").json()
    reasons = {a["name"]: a["not_drawn"] for a in data["areas"]}
    assert reasons == {"甲区": None, "乙区": None, "丙区": "no_division_code"}
    assert [a["name"] for a in data["areas_for_map"]] == ["甲区", "乙区"]
    page = client.get(f"/plans/{found['plan_id']}/map").text
    assert "未登记行政区划代码，无法绘制边界" in page


def test_computed_map_keys_exist_in_both_catalogs():
    from ecociv.store.services.geo import STATION_KINDS
    from ecociv.web.i18n import load_catalogs
    from ecociv.web.map_data import BANDS

    catalogs = load_catalogs()
    wanted = {f"map_kind.{kind}" for kind in STATION_KINDS}
    wanted |= {f"map_band.{band}" for _, band in BANDS} | {"map_band.none"}
    wanted |= {f"map_not_drawn.{reason}" for reason in ("no_division_code", "not_in_data")}
    wanted |= {f"drill.{status}" for status in ("summed", "refused", "incomplete")}
    for lang in ("zh", "en"):
        assert sorted(wanted - set(catalogs[lang])) == []


def test_the_english_map_and_drill_down_speak_english(demo):
    client, plan_id = demo
    code = "nat2021.air.good_days_ratio"
    page = client.get(f"/plans/{plan_id}/map", params={"indicator": code, "lang": "en"}).text
    data = client.get(f"/plans/{plan_id}/map.json", params={"indicator": code}).json()
    assert "Regions at a glance" in page and "Legend" in page
    for area in data["areas"]:
        assert html.escape(area["indicator"]["verdict"]["reason_en"], quote=False) in page
        assert html.escape(area["indicator"]["verdict"]["reason_zh"], quote=False) not in page
    drill = client.get(f"/plans/{plan_id}/drill/{code}", params={"lang": "en"}).text
    assert "a ratio or rate cannot be summed" in drill and "比例或比率不能相加" not in drill


def test_the_map_can_be_coloured_by_the_standard_verdict(demo):
    client, plan_id = demo
    code = "nat2021.air.good_days_ratio"
    params = {"indicator": code, "basis": "standard"}
    data = client.get(f"/plans/{plan_id}/map.json", params=params).json()
    for drawn, area in zip(data["areas_for_map"], data["areas"], strict=True):
        assert drawn["status"] == area["indicator"]["standard_verdict"]["status"]
        assert drawn["reason_zh"] == area["indicator"]["standard_verdict"]["reason_zh"]
    plan = client.get(f"/plans/{plan_id}/map.json", params={"indicator": code}).json()
    assert [a["status"] for a in plan["areas_for_map"]] == [
        a["indicator"]["verdict"]["status"] for a in plan["areas"]
    ]
    assert client.get(f"/plans/{plan_id}/map.json", params={"basis": "x"}).status_code == 422


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Even-odd ray casting: is *point* inside the polygon *ring*?"""
    x, y = point
    found = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            found = not found
    return found


def test_the_sample_points_lie_inside_their_districts_shapes(demo):
    client, plan_id = demo
    data = client.get(f"/plans/{plan_id}/map.json").json()
    shapes = {
        f["id"]: f["geometry"]["coordinates"][0]
        for f in json.loads(client.get(data["boundary"]["file"]).content)["features"]
    }
    division = {a["code"]: a["division_code"] for a in data["areas"]}
    placed = [s for s in data["stations"] if s["lon"] is not None]
    assert len(placed) == 6
    for station in placed:
        ring = shapes[division[station["region_code"]]]
        assert _inside((station["lon"], station["lat"]), ring), station["code"]
