"""Projects, tasks and problems in a real browser (headless Chromium against ``ecociv serve``):

* a project moves from 储备 to 验收 with two 调度 reports, one change request approved and
  one refused (the plan's project list changes only for the approved one);
* a key task is decomposed to two departments, reported on with evidence and closed;
* a problem from a central 督察 goes 交办 → 整改 → 申请销号 → 退回 → 销号 with evidence, and an
  overdue one is escalated by ``ecociv jobs run``.

Screenshots go to ``tests/_artifacts/work_*.png``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date, timedelta

import httpx
import pytest
from web_live_server import (
    CITY,
    DISTRICT_A,
    PASSWORD,
    chromium,
    csp_violations,
    live_server,
    prepared_store,
    require_browser,
    screenshot,
)

from ecociv import model
from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import departments, plans, users

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_S = 60
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _plan() -> model.Plan:
    rows = [
        model.ProjectRow(
            seq="1",
            category="水环境治理",
            name="甲区河道综合整治",
            period_start=2024,
            period_end=2026,
            period_text="2024—2026",
            investment_wan_yuan=3000.0,
            lead_units=["甲区水利局"],
        )
    ]
    indicator = model.IndicatorRow(
        seq="1",
        domain="生态环境",
        unit="%",
        name="城镇污水处理率",
        cells={"name": model.Cell(text="城镇污水处理率")},
    )
    return model.Plan(
        source=model.PlanSource(path="甲区规划.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="甲区生态环境保护规划", period_start=2021, period_end=2030
        ),
        tables=[
            model.PlanTable(
                index=0,
                kind="indicator",
                rows=[indicator],
                columns=[model.Column(index=0, key="name", role="name", header="指标")],
            ),
            model.PlanTable(index=1, kind="project", rows=rows),
        ],
    )


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """A live server: regions, editor_a (甲区, the assigning office), editor_city (the city,
    approves), zjj and slj (甲区's 住建局 and 水利局), the plan of 甲区."""
    require_browser()
    folder = tmp_path_factory.mktemp("work-browser")
    settings = prepared_store(folder, with_regions=True)
    engine = create_engine_for(settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        users.create_user(
            db, "test", name="editor_city", password=PASSWORD, role="editor", region_code=CITY
        )
        for code, name, user in [("a-zjj", "甲区住建局", "zjj"), ("a-slj", "甲区水利局", "slj")]:
            departments.create_department(db, "test", code=code, name=name, region_code=DISTRICT_A)
            users.create_user(
                db, "test", name=user, password=PASSWORD, role="editor", region_code=DISTRICT_A
            )
            departments.assign_user(db, "test", user, code)
        plan_id = plans.import_plan(db, "test", _plan(), region_code=DISTRICT_A).plan_id
    engine.dispose()
    with live_server(settings) as server, chromium() as driver:
        yield server, driver, plan_id


def _wait(driver):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, TIMEOUT_S)


def _by_id(driver, ident):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, ident)


def sign_in(driver, base: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    driver.delete_all_cookies()
    driver.get(f"{base}/login")
    _by_id(driver, "name").send_keys(name)
    _by_id(driver, "password").send_keys(PASSWORD)
    _by_id(driver, "login-submit").click()
    _wait(driver).until(ec.presence_of_element_located((By.ID, "region-tree")))


def _reloaded_after(driver, click) -> None:
    """Click, then wait for a new page (work.js reloads on success: the marker set on the old
    window is gone) or for the form to show a refusal (which fails the test with its text)."""
    driver.execute_script("window.__beforeClick = true")
    click()

    def settled(d):
        fresh = d.execute_script(
            "return window.__beforeClick === undefined && document.readyState === 'complete'"
        )
        return fresh or any(e.text for e in d.find_elements("css selector", "[data-error]"))

    try:
        _wait(driver).until(settled)
    except Exception:
        pass
    errors = [e.text for e in driver.find_elements("css selector", "[data-error]") if e.text]
    if errors or not driver.execute_script("return window.__beforeClick === undefined"):
        shot = screenshot(driver, "work_failed_no_reload")
        raise AssertionError(
            f"no reload at {driver.current_url}; the page says: {errors}; see {shot}"
        )


def _step(driver, name: str, comment: str = "", **fields: str) -> None:
    if comment:
        _by_id(driver, "step-comment").send_keys(comment)
    for ident, value in fields.items():
        driver.execute_script("arguments[0].value = arguments[1]", _by_id(driver, ident), value)
    _reloaded_after(driver, _by_id(driver, f"step-{name}").click)


def _upload(driver, path) -> None:
    _by_id(driver, "evidence-file").send_keys(str(path))
    _reloaded_after(driver, _by_id(driver, "evidence-upload").click)


def _fill(driver, values: dict[str, str]) -> None:
    for ident, value in values.items():
        field = _by_id(driver, ident)
        if field.tag_name == "select":
            from selenium.webdriver.support.ui import Select

            Select(field).select_by_value(value)
        elif field.get_attribute("type") == "date":
            driver.execute_script("arguments[0].value = arguments[1]", field, value)
        else:
            field.clear()
            field.send_keys(value)


def _api(driver, base: str) -> httpx.Client:
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    return httpx.Client(base_url=base, cookies=cookies, timeout=30)


def test_a_project_through_its_life(platform, tmp_path) -> None:
    server, driver, plan_id = platform
    base = server.url
    sign_in(driver, base, "editor_a")
    driver.get(f"{base}/plans/{plan_id}/library")
    _reloaded_after(driver, _by_id(driver, "enrol").click)
    assert _by_id(driver, "enrolled").text == "1"
    driver.find_element("link text", "甲区河道综合整治").click()
    assert _by_id(driver, "state").text == "储备"
    for name in (
        "start_feasibility",
        "approve_feasibility",
        "approve_design",
        "start_construction",
    ):
        _step(driver, name)
    assert _by_id(driver, "state").text == "在建"
    for name, planned in [("主体工程开工", "2025-03-01"), ("主体工程完工", "2026-06-30")]:
        form = _by_id(driver, "milestone-form")
        form.find_element("name", "name").send_keys(name)
        driver.execute_script(
            "arguments[0].value = arguments[1]", form.find_element("name", "planned"), planned
        )
        _reloaded_after(driver, form.find_element("css selector", "button").click)
    for period, progress, invested, problem in [
        ("2025-Q1", "15", "400", "征地协调滞后"),
        ("2025-Q2", "30", "600", "汛期施工受限"),
    ]:
        _fill(
            driver,
            {
                "report-period": period,
                "report-progress": progress,
                "report-invested": invested,
                "report-problems": problem,
            },
        )
        _reloaded_after(driver, _by_id(driver, "report-save").click)
    rows = driver.find_elements("css selector", "#reports tr")[1:]
    assert [r.find_elements("tag name", "td")[3].text for r in rows] == ["400", "1000"]
    _fill(
        driver,
        {"change-field": "investment", "change-value": "3600", "change-reason": "增加生态护岸"},
    )
    _reloaded_after(driver, _by_id(driver, "change-submit").click)
    _fill(
        driver,
        {"change-field": "location", "change-value": "甲区北河", "change-reason": "选址调整"},
    )
    _reloaded_after(driver, _by_id(driver, "change-submit").click)
    record_url = driver.current_url
    screenshot(driver, "work_01_project_changes_pending")

    sign_in(driver, base, "editor_city")
    driver.get(record_url)
    investment_change, location_change = [
        int(e.get_attribute("id").split("-")[1])
        for e in driver.find_elements("css selector", "#changes tr[id^=change-]")
    ]
    _reloaded_after(driver, _by_id(driver, f"approve-{investment_change}").click)
    _by_id(driver, f"decision-comment-{location_change}").send_keys("选址未经论证")
    _reloaded_after(driver, _by_id(driver, f"refuse-{location_change}").click)
    assert _by_id(driver, "investment").text == "3600"
    assert _by_id(driver, "location").text == "—"
    statuses = [e.text for e in driver.find_elements("css selector", "#changes .change-status")]
    assert statuses == ["已批准", "未批准（选址未经论证）"]
    projects = _api(driver, base).get(f"/plans/{plan_id}/projects.json").json()["projects"]
    assert projects[0]["investment_wan_yuan"] == 3600

    sign_in(driver, base, "editor_a")
    driver.get(record_url)
    _step(driver, "complete")
    receipt = tmp_path / "竣工验收报告.pdf"
    receipt.write_bytes(PDF)
    _upload(driver, receipt)
    assert "accept" not in [
        b.get_attribute("value") for b in driver.find_elements("css selector", "#steps-form button")
    ]
    sign_in(driver, base, "editor_city")
    driver.get(record_url)
    _step(driver, "accept", "验收合格")
    assert _by_id(driver, "state").text == "验收"
    screenshot(driver, "work_02_project_accepted")
    driver.get(f"{base}/plans/{plan_id}/library")
    _wait(driver).until(lambda d: _by_id(d, "timeline").get_attribute("data-chart-ready") == "1")
    time.sleep(1.5)  # the charts' entry animation
    screenshot(driver, "work_03_library")
    driver.execute_script("arguments[0].scrollIntoView()", _by_id(driver, "timeline"))
    screenshot(driver, "work_03b_timeline")
    assert csp_violations(driver) == []


def test_a_task_to_two_departments(platform, tmp_path) -> None:
    server, driver, plan_id = platform
    base = server.url
    sign_in(driver, base, "editor_a")
    driver.get(f"{base}/plans/{plan_id}/tasks")
    _fill(
        driver,
        {
            "task-code": "T-01",
            "task-title": "推进城镇污水管网建设",
            "task-measures": "新建污水管网 5 公里",
            "task-deadline": "2026-12-31",
            "task-year": "2026",
        },
    )
    from selenium.webdriver.support import expected_conditions as ec

    _by_id(driver, "task-create").click()
    _wait(driver).until(ec.url_contains("/tasks/"))
    task_url = driver.current_url
    for department, role in [("a-zjj", "lead"), ("a-slj", "cooperate")]:
        _fill(driver, {"assign-department": department, "assign-role": role})
        _reloaded_after(driver, _by_id(driver, "assign-submit").click)
    assert _by_id(driver, "task-state").text == "推进中"
    report = tmp_path / "管网竣工资料.pdf"
    report.write_bytes(PDF)
    for user, department in [("zjj", "a-zjj"), ("slj", "a-slj")]:
        sign_in(driver, base, user)
        driver.get(task_url)
        part = lambda d=department: _by_id(driver, f"part-{d}")  # noqa: E731
        _reloaded_after(driver, part().find_element("css selector", "button[value=start]").click)
        form = _by_id(driver, f"report-{department}")
        form.find_element("name", "percent").send_keys("100")
        form.find_element("name", "text").send_keys("已完成全部工程量")
        _reloaded_after(driver, form.find_element("css selector", "button").click)
        part().find_element("css selector", "input[type=file]").send_keys(str(report))
        _reloaded_after(driver, part().find_element("css selector", "form[enctype] button").click)
        part().find_element("css selector", "textarea[name=comment]").send_keys("申请办结")
        _reloaded_after(driver, part().find_element("css selector", "button[value=submit]").click)
    sign_in(driver, base, "editor_a")
    driver.get(task_url)
    for department in ("a-zjj", "a-slj"):
        _reloaded_after(
            driver,
            _by_id(driver, f"part-{department}")
            .find_element("css selector", "button[value=accept]")
            .click,
        )
    assert _by_id(driver, "task-state").text == "已办结"
    assert [e.text for e in driver.find_elements("css selector", ".part-state")] == [
        "已办结",
        "已办结",
    ]
    screenshot(driver, "work_04_task_done")
    driver.get(f"{base}/departments/a-zjj/tasks")
    assert "推进城镇污水管网建设" in _by_id(driver, "responsibilities").text
    assert csp_violations(driver) == []


def test_a_problem_from_an_inspection_and_an_overdue_one(platform, tmp_path) -> None:
    server, driver, _plan_id = platform
    base = server.url
    from selenium.webdriver.support import expected_conditions as ec

    sign_in(driver, base, "editor_a")
    driver.get(f"{base}/problems")
    _fill(
        driver,
        {
            "problem-region": DISTRICT_A,
            "problem-source": "central_inspection",
            "problem-title": "甲区河道沿岸生活污水直排",
            "problem-goal": "排口全部截污纳管",
            "problem-measures": "新建截污管 3.2 公里",
            "problem-deadline": (date.today() + timedelta(days=90)).isoformat(),
            "problem-leader": "副区长",
            "problem-longitude": "120.15",
            "problem-latitude": "30.27",
            "problem-lead": "a-zjj",
            "problem-units": "a-slj",
        },
    )
    _by_id(driver, "problem-create").click()
    _wait(driver).until(ec.url_contains("/problems/"))
    problem_url = driver.current_url
    _step(driver, "assign", "请限期整改")
    sign_in(driver, base, "zjj")
    driver.get(problem_url)
    _step(driver, "start")
    photo = tmp_path / "截污管照片.pdf"
    photo.write_bytes(PDF)
    _upload(driver, photo)
    _step(driver, "request_closure", "已完成截污纳管")
    sign_in(driver, base, "editor_a")
    driver.get(problem_url)
    _step(driver, "return", "仍有 2 处排口未封堵")
    assert _by_id(driver, "state").text == "整改中"
    sign_in(driver, base, "zjj")
    driver.get(problem_url)
    photo2 = tmp_path / "排口封堵照片.pdf"
    photo2.write_bytes(PDF + b"2")
    _upload(driver, photo2)
    _step(driver, "request_closure", "排口已全部封堵")
    sign_in(driver, base, "editor_a")
    driver.get(problem_url)
    _step(driver, "close", "现场核查属实")
    assert _by_id(driver, "state").text == "已销号"
    actions = [
        e.get_attribute("data-action")
        for e in driver.find_elements("css selector", ".event-action")
    ]
    assert actions == [
        "create",
        "assign",
        "start",
        "request_closure",
        "return",
        "request_closure",
        "close",
    ]
    screenshot(driver, "work_05_problem_closed")

    # an overdue one: assigned, its deadline passed; the scheduled job escalates it
    client = _api(driver, base)
    csrf = driver.find_element("tag name", "body").get_attribute("hx-headers").split('"')[3]
    made = client.post(
        "/api/v1/problems",
        json={
            "region_code": DISTRICT_A,
            "source": "provincial_inspection",
            "title": "甲区工业园区扬尘",
            "category": "air",
            "severity": "general",
            "deadline": (date.today() - timedelta(days=5)).isoformat(),
            "lead_unit": "a-zjj",
        },
        headers={"X-CSRF-Token": csrf},
    )
    assert made.status_code == 201, made.text
    late = made.json()
    stepped = client.post(
        f"/api/v1/problems/{late['id']}/transitions",
        json={"transition": "assign", "expected_version": 1},
        headers={"X-CSRF-Token": csrf},
    )
    assert stepped.status_code == 200, stepped.text
    env = {
        **os.environ,
        "ECOCIV_DATA_DIR": str(server.settings.data_dir),
        "ECOCIV_DATABASE_URL": server.settings.database_url,
        "ECOCIV_SECRET_KEY": server.settings.secret_key,
    }
    run = subprocess.run(
        [sys.executable, "-m", "ecociv", "jobs", "run", "--only", "problems_overdue"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "1" in run.stdout, run.stdout
    driver.get(f"{base}/problems/{late['id']}")
    assert _by_id(driver, "overdue").text == "已逾期"
    assert "逾期督办" in _by_id(driver, "events").text
    driver.get(f"{base}/notifications")
    assert "逾期督办" in driver.find_element("tag name", "main").text
    screenshot(driver, "work_06_overdue_notified")
    driver.get(f"{base}/problems")
    screenshot(driver, "work_07_problems")
    assert csp_violations(driver) == []


def test_a_project_evaluated_and_re_evaluated(platform) -> None:
    """绩效评价: the level above enters a year's evaluation with one indicator 不适用 and sees
    the total and grade; an update from the version read changes the grade."""
    from ecociv.projects.indicator_set import indicator_set

    server, driver, plan_id = platform
    base = server.url
    sign_in(driver, base, "editor_city")
    driver.get(f"{base}/plans/{plan_id}/library")
    if driver.find_elements("id", "enrol"):
        _reloaded_after(driver, _by_id(driver, "enrol").click)
    driver.find_element("link text", "甲区河道综合整治").click()
    points = {code: i.points for code, i in indicator_set().indicators.items()}
    values = {f"score-{code}": f"{p:g}" for code, p in points.items()}
    values["score-output_quality"] = "5"  # 10 → 5
    del values["score-outcome_satisfaction"]  # 5 points 不适用: 90 of 95 → 94.74
    values["score-comment-outcome_satisfaction"] = "未开展满意度调查"
    values |= {
        "evaluation-year": "2025",
        "evaluation-evaluator": "市财政局绩效评价组",
        "evaluation-date": "2026-03-01",
    }
    _fill(driver, values)
    _reloaded_after(driver, _by_id(driver, "evaluation-save").click)
    row = [td.text for td in _by_id(driver, "evaluation-2025").find_elements("tag name", "td")]
    assert row[:3] == ["2025", "94.74", "优"]
    _fill(
        driver,
        {
            **values,
            "score-output_quality": "0",
            "score-outcome_ecological": "10",
            "evaluation-version": "1",
        },
    )
    _reloaded_after(driver, _by_id(driver, "evaluation-save").click)
    row = [td.text for td in _by_id(driver, "evaluation-2025").find_elements("tag name", "td")]
    assert row[1:3] == ["84.21", "良"] and row[-1] == "2"
    driver.execute_script("arguments[0].scrollIntoView()", _by_id(driver, "evaluations"))
    screenshot(driver, "work_08_evaluation")
    assert csp_violations(driver) == []
