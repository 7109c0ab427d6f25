"""Fixtures of the web tests: a migrated temporary store with a city, two districts, a small
plan, users of every role, and TestClients signed in as each of them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ecociv import model
from ecociv.settings import Settings, load_settings
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.services import observations, plans, regions, users
from ecociv.web.app import create_app

CITY, DISTRICT_A, DISTRICT_B = "990100", "990102", "990103"
PASSWORD = "correct-horse-battery"
USERS = {
    "admin": ("admin", None),
    "viewer": ("viewer", None),
    "editor_a": ("editor", DISTRICT_A),
    "editor_b": ("editor", DISTRICT_B),
    "editor_city": ("editor", CITY),
    "filler_a": ("filler", DISTRICT_A),
    "reviewer_a": ("reviewer", DISTRICT_A),
    "approver_city": ("approver", CITY),
}
DEPARTMENT = "env"
"""The department (生态环境局) that owns the plan's first indicator; filler_a belongs to it."""


def small_plan() -> model.Plan:
    """A two-indicator, two-project plan built by hand (the ingest tests cover real files)."""
    columns = [
        model.Column(index=0, key="seq", role="seq", header="序号"),
        model.Column(index=1, key="name", role="name", header="指标名称"),
        model.Column(index=2, key="unit", role="unit", header="单位"),
        model.Column(index=3, key="baseline", role="baseline", header="2020年", year=2020),
        model.Column(index=4, key="target_2025", role="target", header="2025年", year=2025),
    ]
    rows = [
        model.IndicatorRow(
            seq="1",
            domain="生态安全",
            name="细颗粒物（PM2.5）年均浓度",
            unit="微克/立方米",
            attribute="约束性",
            cells={"baseline": model.Cell(text="33"), "target_2025": model.Cell(text="≤28")},
        ),
        model.IndicatorRow(
            seq="2",
            domain="生态生活",
            name="城镇污水处理率",
            unit="%",
            attribute="约束性",
            cells={"baseline": model.Cell(text="94.1"), "target_2025": model.Cell(text="≥97")},
        ),
    ]
    projects = [
        model.ProjectRow(
            seq="1",
            category="水环境治理",
            name="示例河道整治",
            period_start=2021,
            period_end=2023,
            period_text="2021-2023",
            investment_wan_yuan=3000.0,
            lead_units=["区水利局"],
        ),
        model.ProjectRow(
            seq="2",
            category="大气污染防治",
            name="示例工业园区废气治理",
            period_start=2022,
            period_end=2022,
            period_text="2022",
            investment_wan_yuan=1200.0,
            lead_units=["市生态环境局"],
        ),
    ]
    return model.Plan(
        source=model.PlanSource(path="测试规划.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="测试市生态文明建设规划", period_start=2021, period_end=2025, base_year=2020
        ),
        tables=[
            model.PlanTable(index=0, kind="indicator", columns=columns, rows=rows),
            model.PlanTable(index=1, kind="project", rows=projects),
        ],
    )


def settings_for(folder: Path, database_url: str | None = None) -> Settings:
    return load_settings(
        data_dir=folder,
        database_url=database_url or f"sqlite:///{folder / 'web.db'}",
        secret_key="test-secret-key-for-web-tests",
        max_upload_mb=1,
    )


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """The seeded database, built once; each test works on its own copy."""
    folder = tmp_path_factory.mktemp("web-template")
    return folder / "web.db", seed(settings_for(folder))


@pytest.fixture()
def web_settings(tmp_path: Path, seeded_template: tuple[Path, dict[str, object]]) -> Settings:
    shutil.copyfile(seeded_template[0], tmp_path / "web.db")
    return settings_for(tmp_path)


@pytest.fixture()
def seeded(seeded_template: tuple[Path, dict[str, object]]) -> dict[str, object]:
    return seeded_template[1]


def seed(settings: Settings) -> dict[str, object]:
    """Regions, users, the small plan (for the city) and two years of values per district."""
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    try:
        with unit_of_work(session_factory(engine)) as db:
            regions.create_region(db, "test", code=CITY, name="测试市", level="city")
            regions.create_region(
                db, "test", code=DISTRICT_A, name="甲区", level="county", parent_code=CITY
            )
            regions.create_region(
                db, "test", code=DISTRICT_B, name="乙区", level="county", parent_code=CITY
            )
            for name, (role, region) in USERS.items():
                users.create_user(
                    db, "test", name=name, password=PASSWORD, role=role, region_code=region
                )
            version = plans.import_plan(db, "test", small_plan(), region_code=CITY)
            codes = [i.code for i in version.indicators]
            reports = _reporting_cycle(db, version.plan_id, codes[0])
            for region in (DISTRICT_A, DISTRICT_B):
                for year, pm25, sewage in ((2021, "31", "95.0"), (2022, "30", "95.5")):
                    observations.save_observation(
                        db,
                        "test",
                        region_code=region,
                        indicator_code=codes[0],
                        year=year,
                        text=pm25,
                    )
                    observations.save_observation(
                        db,
                        "test",
                        region_code=region,
                        indicator_code=codes[1],
                        year=year,
                        text=sewage,
                    )
            return {"plan_id": version.plan_id, "codes": codes, "reports": reports}
    finally:
        engine.dispose()


def _reporting_cycle(db, plan_id: int, owned_code: str) -> dict[str, int]:
    """The department ``env`` owns *owned_code*, filler_a is in it, and the 2023 period is
    open for both districts: region code → the id of env's report there."""
    from datetime import date

    from ecociv.cycle import ownership, periods
    from ecociv.store.services import departments

    departments.create_department(db, "test", code=DEPARTMENT, name="生态环境局", region_code=CITY)
    departments.assign_user(db, "test", "filler_a", DEPARTMENT)
    ownership.set_owner(
        db, "test", plan_id=plan_id, indicator_code=owned_code, department_code=DEPARTMENT
    )
    period = periods.open_period(
        db,
        "test",
        plan_id=plan_id,
        year=2023,
        deadline=date(2024, 3, 31),
        region_codes=[DISTRICT_A, DISTRICT_B],
    )
    return {report.region.code: report.id for report in period.reports}


@pytest.fixture()
def app(web_settings: Settings, seeded: dict[str, object]):
    return create_app(web_settings)


def csrf_of(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the login page carries no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, name: str) -> str:
    """Sign *client* in as *name*; returns the session's CSRF token."""
    response = client.post(
        "/login",
        data={"name": name, "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    page = client.get("/regions")
    match = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
    assert match
    return match.group(1)


@pytest.fixture()
def client_as(app) -> Iterator[Callable[[str | None], tuple[TestClient, str]]]:
    """``client_as("editor_a")`` → (a client signed in as that user, its CSRF token);
    ``client_as(None)`` → an anonymous client with a CSRF token of its own session."""
    opened: list[TestClient] = []

    def make(name: str | None) -> tuple[TestClient, str]:
        client = TestClient(app)
        opened.append(client)
        token = sign_in(client, name) if name else csrf_of(client)
        return client, token

    yield make
    for client in opened:
        client.close()
