"""The map's data in the store: GB/T 2260 division codes on regions, monitoring stations and
project locations (on SQLite and PostgreSQL), and the readiness and drill-down views."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from store_builders import ADMIN, make_plan

from ecociv import model
from ecociv.store.errors import Conflict, Forbidden, ValidationError
from ecociv.store.models import AuditEntry
from ecociv.store.services import geo, plans, regions, users
from ecociv.store.tables.geo import MonitoringStation


def test_division_code_is_checked_for_the_level_and_kept_unique(tree):
    region = geo.set_division_code(tree, ADMIN, "990101", " 330502 ")
    assert region.division_code == "330502"
    with pytest.raises(ValidationError, match="is a city code but the region is a county"):
        geo.set_division_code(tree, ADMIN, "990102", "330500")
    with pytest.raises(Conflict, match="already belongs to region 990101"):
        geo.set_division_code(tree, ADMIN, "990102", "330502")
    with pytest.raises(ValidationError, match="six digits"):
        geo.set_division_code(tree, ADMIN, "990102", "99010")
    assert geo.set_division_code(tree, ADMIN, "990101", "").division_code is None
    tree.commit()
    assert regions.get_region(tree, "990101").division_code is None


def test_create_region_takes_a_division_code(session):
    regions.create_region(
        session, ADMIN, code="zj", name="浙江省", level="province", division_code="330000"
    )
    with pytest.raises(ValidationError):
        regions.create_region(
            session,
            ADMIN,
            code="hz",
            name="湖州市",
            level="city",
            parent_code="zj",
            division_code="330523",
        )


def test_stations_are_saved_updated_and_audited(tree):
    geo.save_station(
        tree, ADMIN, code="S1", name="西溪站", kind="air", region_code="990101", lon=120.1, lat=30.2
    )
    geo.save_station(tree, ADMIN, code="S2", name="东岭断面", kind="water", region_code="990102")
    geo.save_station(
        tree,
        ADMIN,
        code="S1",
        name="西溪站（新址）",
        kind="air",
        region_code="990101",
        lon=120.2,
        lat=30.3,
    )
    tree.commit()
    stations = geo.stations_in(tree, regions.get_region(tree, "9901"))
    assert [(s.code, s.name, s.lon, s.lat) for s in stations] == [
        ("S1", "西溪站（新址）", 120.2, 30.3),
        ("S2", "东岭断面", None, None),
    ]
    assert [s.code for s in geo.stations_in(tree, regions.get_region(tree, "990102"))] == ["S2"]
    actions = tree.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "monitoring_station")
    ).all()
    assert actions == ["create", "create", "update"]


@pytest.mark.parametrize(
    ("lon", "lat", "message"),
    [
        (30.2, 120.1, "swapped"),
        (120.1, None, "both longitude and latitude"),
        (200.0, 30.0, "longitude 200.0"),
        (float("nan"), 30.0, "longitude nan"),
    ],
)
def test_station_coordinates_are_checked(tree, lon, lat, message):
    with pytest.raises(ValidationError, match=message):
        geo.save_station(
            tree, ADMIN, code="S9", name="站", kind="air", region_code="990101", lon=lon, lat=lat
        )
    assert tree.scalar(select(MonitoringStation).where(MonitoringStation.code == "S9")) is None


def test_station_kind_and_editor_subtree_are_enforced(tree):
    with pytest.raises(ValidationError, match="invalid station kind"):
        geo.save_station(tree, ADMIN, code="S1", name="站", kind="radar", region_code="990101")
    users.create_user(
        tree, ADMIN, name="ed", password="pw-pw-pw-pw-1", role="editor", region_code="990101"
    )
    editor = users.get_user(tree, "ed")
    with pytest.raises(Forbidden):
        geo.save_station(tree, editor, code="S1", name="站", kind="air", region_code="990102")


def _plan_with_projects():
    return make_plan(
        projects=[
            model.ProjectRow(seq="1", name="西溪河整治", investment_wan_yuan=3000.0),
            model.ProjectRow(seq="2", name="东岭矿山修复", investment_wan_yuan=1200.0),
        ]
    )


def test_project_location_survives_a_reimport(tree):
    version = plans.import_plan(tree, ADMIN, _plan_with_projects(), region_code="9901")
    first = version.projects[0]
    geo.set_project_location(tree, ADMIN, first.id, 120.1, 30.2)
    with pytest.raises(ValidationError, match="swapped"):
        geo.set_project_location(tree, ADMIN, first.id, 30.2, 120.1)
    tree.commit()
    again = plans.import_plan(tree, ADMIN, _plan_with_projects(), region_code="9901")
    moved = [(p.name, p.lon, p.lat) for p in again.projects if p.lon is not None]
    assert moved == [(first.name, 120.1, 30.2)]


def test_cli_imports_stations_and_sets_a_division_code(tree, db_url, tmp_path, monkeypatch, capsys):
    import sys

    from ecociv.cli import main

    monkeypatch.setenv("ECOCIV_DATABASE_URL", db_url)
    monkeypatch.setenv("ECOCIV_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "stations.csv"
    path.write_text(
        "\ufeffcode,name,kind,region_code,lon,lat,source\n"
        "S1,西溪站,air,990101,120.1,30.2,站点名录\n"
        "S2,东岭断面,water,990102,,,\n",
        encoding="utf-8",
    )
    for args in (["map", "stations", str(path)], ["map", "division-code", "990101", "330502"]):
        monkeypatch.setattr(sys, "argv", ["ecociv", *args])
        with pytest.raises(SystemExit) as ended:
            main()
        assert ended.value.code in (0, None), capsys.readouterr().err
    tree.rollback()
    stations = geo.stations_in(tree, regions.get_region(tree, "9901"))
    assert [(s.code, s.kind, s.lon, s.source) for s in stations] == [
        ("S1", "air", 120.1, "站点名录"),
        ("S2", "water", None, None),
    ]
    assert regions.get_region(tree, "990101").division_code == "330502"
    path.write_text("code,name,kind,region_code,lon,lat\nS3,站,air,990101,东经120,30\n", "utf-8")
    monkeypatch.setattr(sys, "argv", ["ecociv", "map", "stations", str(path)])
    with pytest.raises(SystemExit) as ended:
        main()
    err = capsys.readouterr().err
    assert ended.value.code == 2 and "stations.csv:2" in err and "lon" in err
