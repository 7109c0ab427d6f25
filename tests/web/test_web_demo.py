"""The bundled sample (青岚市) loads through the real ingest and store, and its dashboard
tells the districts apart."""

from __future__ import annotations

import pytest

from ecociv.demo.sample import CITY_CODE, DISTRICT_CODES, PLAN_NAME, load_sample
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.services import assessment, projects


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    upgrade(url)
    engine = create_engine_for(url)
    with unit_of_work(session_factory(engine)) as db:
        loaded = load_sample(db)
    yield engine, loaded
    engine.dispose()


def test_sample_loads_every_row(demo_store):
    _, loaded = demo_store
    assert (loaded.regions, loaded.indicators, loaded.values, loaded.skipped) == (4, 26, 520, [])
    assert loaded.monitored == 6  # 2024 air values of three districts, from station data


def test_sample_plan_has_its_projects_and_total(demo_store):
    engine, loaded = demo_store
    with session_factory(engine)() as db:
        by_category = projects.investment_summary(db, loaded.plan_id, "category")
        plan_projects = projects.list_projects(db, loaded.plan_id)
        plan_name = plan_projects[0].plan_version.plan.name
    assert len(plan_projects) == 10
    assert sum(g.total_wan_yuan for g in by_category) == 146600
    assert plan_name == PLAN_NAME


def test_slow_district_fails_more_indicators_than_the_fast_one(demo_store):
    engine, loaded = demo_store
    with session_factory(engine)() as db:
        fast = assessment.assess_plan(db, loaded.plan_id, region_code=DISTRICT_CODES[0])
        slow = assessment.assess_plan(db, loaded.plan_id, region_code=DISTRICT_CODES[2])
        city = assessment.assess_plan(db, loaded.plan_id, region_code=CITY_CODE)
    assert slow.totals.get("not_met", 0) > fast.totals.get("not_met", 0)
    assert slow.totals.get("no_data", 0) >= 1  # 暂无数据 in 2024 for one indicator
    assert sum(city.totals.values()) == 26


def test_monitored_air_values_carry_their_method(demo_store):
    from ecociv.store.services import observations

    engine, _ = demo_store
    with session_factory(engine)() as db:
        stored = observations.list_observations(db, DISTRICT_CODES[0], years=[2024])
    monitored = [o for o in stored if o.source and "ecociv.monitor" in o.source]
    assert len(monitored) == 2
    assert all(o.value is not None and "HJ 633" in (o.note or "") for o in monitored)


def test_every_indicator_with_values_has_a_picture_and_milestones_are_timelines(demo_store):
    from ecociv.web.dashboard_data import dashboard_dict

    engine, loaded = demo_store
    with session_factory(engine)() as db:
        judged = assessment.assess_plan(db, loaded.plan_id, region_code=DISTRICT_CODES[0])
    rows = dashboard_dict(judged)["indicators"]
    for row in rows:
        if row["chart_kind"] == "line":
            drawn = [point for series in row["chart"]["series"] for point in series["data"]]
            assert any(value is not None for _, value in drawn), row["name"]
        else:
            assert row["timeline"], row["name"]
    timelines = [row for row in rows if row["chart_kind"] == "timeline"]
    assert timelines  # the sample has milestones (制定实施, 全面实施) among its indicators
    for row in timelines:
        assert not any(o["value"] is not None for o in row["observed"])
        entered = {e["year"]: e.get("observed") for e in row["timeline"]}
        assert all(entered.get(o["year"]) == o["text"] for o in row["observed"])
        assert sum(e["judged"] for e in row["timeline"]) == (1 if row["year"] else 0)


def test_every_sample_region_has_a_gep_account_and_the_city_drills_down(demo_store):
    from ecociv.store.services import gep_accounts

    engine, loaded = demo_store
    assert loaded.gep_accounts == 4
    with session_factory(engine)() as db:
        city = gep_accounts.get_account(db, CITY_CODE, 2024)
        below = gep_accounts.children_accounts(db, CITY_CODE, 2024, None)
        assert [r.code for r, a in below if a is not None] == list(DISTRICT_CODES)
        assert city.gep > max(a.gep for _, a in below if a is not None)
        assert all(a.yoy is not None and a.yoy > 0 for _, a in below if a is not None)
