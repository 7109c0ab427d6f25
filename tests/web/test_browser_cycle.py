"""The yearly reporting cycle in a real browser (headless Chromium against ``ecociv serve``):

a department filler fills in and submits (with a PDF as evidence) → the reviewer returns one
value with a comment → the filler sees the comment, fixes the value and submits again → the
reviewer passes it → the approver approves and the report locks → an edit of the locked value
is refused → the approver unlocks, and the audit log shows the unlock with its comment.
Screenshots go to ``tests/_artifacts/cycle-*.png``.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from test_browser_flow import sign_in, sign_out
from web_live_server import (
    DISTRICT_A,
    PASSWORD,
    chromium,
    csp_violations,
    live_server,
    prepared_store,
    require_browser,
    screenshot,
)

from conftest import small_plan
from ecociv.store.db import create_engine_for, session_factory, unit_of_work

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_S = 60
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PEOPLE = {
    "filler_a": ("filler", DISTRICT_A),
    "reviewer_a": ("reviewer", DISTRICT_A),
    "approver_a": ("approver", DISTRICT_A),
}


def _cycle_store(folder) -> tuple[object, int]:
    """The browser store plus: env (生态环境局) owning both indicators of 甲区's plan, the three
    people of the cycle, and the 2023 period open; the settings and env's report id."""
    from ecociv.cycle import ownership, periods
    from ecociv.store.services import departments, plans, users

    settings = prepared_store(folder, with_regions=True)
    engine = create_engine_for(settings.database_url)
    try:
        with unit_of_work(session_factory(engine)) as db:
            version = plans.import_plan(db, "test", small_plan(), region_code=DISTRICT_A)
            departments.create_department(db, "test", code="env", name="生态环境局")
            for indicator in version.indicators:
                ownership.set_owner(
                    db,
                    "test",
                    plan_id=version.plan_id,
                    indicator_code=indicator.code,
                    department_code="env",
                )
            for name, (role, region) in PEOPLE.items():
                users.create_user(
                    db, "test", name=name, password=PASSWORD, role=role, region_code=region
                )
            departments.assign_user(db, "test", "filler_a", "env")
            period = periods.open_period(
                db, "test", plan_id=version.plan_id, year=2023, deadline=date(2024, 3, 31)
            )
            report_id = period.reports[0].id
    finally:
        engine.dispose()
    return settings, report_id


def _wait(driver):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, TIMEOUT_S)


def _state(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, "report-state").text


def _open_report(driver, base: str, report_id: int) -> None:
    """Through the nav's 填报任务 and the task list, as a user would."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    driver.find_element(By.ID, "nav-tasks").click()
    _wait(driver).until(ec.presence_of_element_located((By.ID, "task-list")))
    driver.find_element(By.CSS_SELECTOR, f"tr[data-report='{report_id}'] a.report-link").click()
    _wait(driver).until(ec.presence_of_element_located((By.ID, "report-lines")))


def _fill(driver, row: int, value: str, source: str | None = None) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    form = driver.find_elements(By.CSS_SELECTOR, "form.line-form")[row]
    field = form.find_element(By.NAME, "text")
    field.clear()
    field.send_keys(value)
    if source is not None:
        form.find_element(By.NAME, "source").send_keys(source)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    _wait(driver).until(ec.staleness_of(form))
    _wait(driver).until(ec.presence_of_element_located((By.ID, "report-lines")))


def _take(driver, transition: str, comment: str | None = None) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    if comment is not None:
        driver.find_element(By.ID, f"comment-{transition}").send_keys(comment)
    button = driver.find_element(By.ID, f"do-{transition}")
    button.click()
    _wait(driver).until(ec.staleness_of(button))
    _wait(driver).until(ec.presence_of_element_located((By.ID, "report-state")))


def test_fill_submit_return_fix_approve_lock_unlock(tmp_path):
    require_browser()

    settings, report_id = _cycle_store(tmp_path)
    evidence_file = tmp_path / "2023年环境质量公报.pdf"
    evidence_file.write_bytes(PDF)
    shots = []
    with live_server(settings) as server, chromium() as driver:
        try:
            _walk_through(driver, server.url, report_id, evidence_file, shots)
        except Exception:
            print(screenshot(driver, "cycle-failed"), driver.current_url)
            raise
    print("\n".join(str(path) for path in shots))


def _walk_through(driver, base: str, report_id: int, evidence_file, shots: list) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    if True:
        # 1. The department's filler fills in both values, attaches the bulletin, submits.
        sign_in(driver, base, "filler_a")
        _open_report(driver, base, report_id)
        assert _state(driver) == "填报中"
        _fill(driver, 0, "26", "2023年环境质量公报")  # PM2.5 [µg/m³]
        _fill(driver, 1, "96.2", "污水处理厂年报")  # sewage treatment [%]
        evidence = driver.find_elements(By.CSS_SELECTOR, "form.evidence-form")[0]
        evidence.find_element(By.NAME, "file").send_keys(str(evidence_file))
        evidence.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, "a.evidence-link")))
        assert driver.find_element(By.CSS_SELECTOR, "a.evidence-link").text == evidence_file.name
        assert driver.find_element(By.ID, "report-filled").text == "2 / 2"
        _take(driver, "submit")
        assert _state(driver) == "已上报待审核"
        assert driver.find_elements(By.CSS_SELECTOR, "form.line-form") == []
        shots.append(screenshot(driver, "cycle-1-submitted"))
        sign_out(driver)

        # 2. The reviewer returns the PM2.5 value with a comment.
        sign_in(driver, base, "reviewer_a")
        _open_report(driver, base, report_id)
        pm25 = driver.find_elements(By.CSS_SELECTOR, "#return-form input[name=returned_comment]")[0]
        pm25.send_keys("与省站年报（27）不符，请核对")
        driver.find_element(By.ID, "return-comment").send_keys("PM2.5 需核对")
        button = driver.find_element(By.ID, "do-return")
        button.click()
        _wait(driver).until(ec.staleness_of(button))
        assert _state(driver) == "已退回修改"
        shots.append(screenshot(driver, "cycle-2-returned"))
        sign_out(driver)

        # 3. The filler sees the comment on that value, fixes it and submits again.
        sign_in(driver, base, "filler_a")
        _open_report(driver, base, report_id)
        comments = driver.find_elements(By.CSS_SELECTOR, ".returned-comment")
        assert [c.text for c in comments] == ["退回意见：与省站年报（27）不符，请核对"]
        _fill(driver, 0, "27")
        assert driver.find_elements(By.CSS_SELECTOR, ".line-value")[0].text.startswith("27")
        _take(driver, "submit", "已按省站年报更正")
        assert _state(driver) == "已上报待审核"
        assert driver.find_elements(By.CSS_SELECTOR, ".returned-comment") == []
        sign_out(driver)

        # 4. The reviewer passes it; 5. the approver approves and the report locks.
        sign_in(driver, base, "reviewer_a")
        _open_report(driver, base, report_id)
        _take(driver, "review")
        assert _state(driver) == "已审核待审批"
        sign_out(driver)
        sign_in(driver, base, "approver_a")
        _open_report(driver, base, report_id)
        _take(driver, "approve")
        assert _state(driver) == "已审批锁定"
        assert driver.find_element(By.ID, "locked-notice").is_displayed()
        shots.append(screenshot(driver, "cycle-3-approved"))
        sign_out(driver)

        # 6. An edit of the locked value is refused: the form is gone, and a forged post of it
        #    (the form the filler had before) is answered 409 with the reason.
        sign_in(driver, base, "filler_a")
        _open_report(driver, base, report_id)
        assert driver.find_elements(By.CSS_SELECTOR, "form.line-form") == []
        token = driver.find_element(By.CSS_SELECTOR, "header form input[name=csrf_token]")
        token = token.get_attribute("value")
        code = driver.find_element(
            By.CSS_SELECTOR, "#report-lines tr[data-indicator]"
        ).get_attribute("data-indicator")
        driver.execute_script(
            "const f = document.createElement('form'); f.method = 'post';"
            "f.action = arguments[0];"
            "for (const [k, v] of Object.entries(arguments[1])) {"
            "  const i = document.createElement('input'); i.name = k; i.value = v; f.append(i); }"
            "document.body.append(f); f.submit();",
            f"/reports/{report_id}/values",
            {"csrf_token": token, "indicator_code": code, "text": "20", "expected_version": "2"},
        )
        _wait(driver).until(ec.presence_of_element_located((By.ID, "error-message")))
        refusal = driver.find_element(By.ID, "error-message").text
        assert "已审批锁定，不能修改" in refusal and "审批人解锁" in refusal
        assert driver.title.startswith("409")
        shots.append(screenshot(driver, "cycle-4-locked-edit-refused"))
        driver.get(f"{base}/tasks")  # the error page carries no navigation
        sign_out(driver)

        # 7. The approver unlocks with a reason; the audit log shows who, when and why.
        sign_in(driver, base, "approver_a")
        _open_report(driver, base, report_id)
        _take(driver, "unlock", "省厅通知更正2023年数据")
        assert _state(driver) == "已退回修改"
        steps = driver.find_element(By.ID, "report-steps").text
        assert "省厅通知更正2023年数据" in steps and steps.count("approver_a") == 2
        sign_out(driver)
        sign_in(driver, base, "admin")
        driver.get(f"{base}/audit?entity=period_report")
        _wait(driver).until(ec.presence_of_element_located((By.TAG_NAME, "table")))
        assert "approver_a 解锁 填报报告" in driver.find_element(By.TAG_NAME, "main").text
        shots.append(screenshot(driver, "cycle-5-unlock-audited"))
        assert csp_violations(driver) == []
        driver.get(f"{base}/audit.json?entity=period_report")  # the page's JSON twin, in full
        entries = json.loads(driver.find_element(By.TAG_NAME, "body").text)["entries"]
        unlock = next(e for e in entries if e["action"] == "unlock")
        assert unlock["actor"] == "approver_a"
        assert unlock["after"]["comment"] == "省厅通知更正2023年数据"
        assert (unlock["before"]["state"], unlock["after"]["state"]) == ("approved", "returned")

        # 8. The bureau's overview, the ownership page and the administration page.
        period_id = unlock["before"]["period_id"]
        driver.get(f"{base}/periods/{period_id}")
        _wait(driver).until(ec.presence_of_element_located((By.ID, "by-department")))
        assert "100%" in driver.find_element(By.ID, "by-department").text
        shots.append(screenshot(driver, "cycle-6-period-overview"))
        driver.find_element(By.LINK_TEXT, "数据责任与填报周期").click()
        _wait(driver).until(ec.presence_of_element_located((By.ID, "owner-table")))
        shots.append(screenshot(driver, "cycle-7-ownership"))
        driver.find_element(By.ID, "nav-admin").click()
        _wait(driver).until(ec.presence_of_element_located((By.ID, "user-table")))
        assert "部门填报员" in driver.find_element(By.ID, "user-table").text
        shots.append(screenshot(driver, "cycle-8-admin"))
        assert csp_violations(driver) == []
