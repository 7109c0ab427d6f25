"""Entry that never lies (issue 13), in headless Chromium against ``ecociv serve``.

Each step reproduces a defect a new user met: a save for a year that already has a value
failed silently; 修改 dropped the value's 数据来源; ``26 mg/m3`` for PM2.5 passed as "可以保存"
with each warning printed twice; an outlier (5× the year before) was saved without a word.
"""

from __future__ import annotations

import pytest
from web_live_server import (
    CITY,
    DISTRICT_A,
    chromium,
    csp_violations,
    live_server,
    prepared_store,
    require_browser,
    screenshot,
)

from ecociv import model
from ecociv.store.db import create_engine_for, session_factory, unit_of_work
from ecociv.store.services import observations, plans

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_S = 60
SOURCE_2022 = "区环境监测站年报（2023年3月）"


def entry_plan() -> model.Plan:
    """PM2.5 with a baseline and a 2025 target, for a plan running 2021–2030."""
    columns = [
        model.Column(index=0, key="name", role="name", header="指标名称"),
        model.Column(index=1, key="unit", role="unit", header="单位"),
        model.Column(index=2, key="baseline", role="baseline", header="2020年", year=2020),
        model.Column(index=3, key="target_2025", role="target", header="2025年", year=2025),
    ]
    rows = [
        model.IndicatorRow(
            seq="1",
            domain="生态环境",
            name="细颗粒物（PM2.5）年均浓度",
            unit="微克/立方米",
            attribute="约束性",
            cells={"baseline": model.Cell(text="33"), "target_2025": model.Cell(text="≤28")},
        )
    ]
    return model.Plan(
        source=model.PlanSource(path="entry.txt", format="tika"),
        metadata=model.PlanMetadata(
            name="测试市生态文明建设规划（2021—2030年）",
            period_start=2021,
            period_end=2030,
            base_year=2020,
        ),
        tables=[model.PlanTable(index=0, kind="indicator", columns=columns, rows=rows)],
    )


def seeded_store(folder):
    settings = prepared_store(folder, with_regions=True)
    engine = create_engine_for(settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        version = plans.import_plan(db, "test", entry_plan(), region_code=CITY)
        code = version.indicators[0].code
        plan_id = version.plan_id
        for year, text, source in ((2021, "31", "省站年报"), (2022, "30", SOURCE_2022)):
            observations.save_observation(
                db,
                "test",
                region_code=DISTRICT_A,
                indicator_code=code,
                year=year,
                text=text,
                source=source,
            )
    engine.dispose()
    return settings, plan_id, code


def test_entry_never_lies(tmp_path):
    require_browser()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    from test_browser_flow import sign_in

    settings, plan_id, code = seeded_store(tmp_path)
    with live_server(settings) as server, chromium() as driver:
        wait = WebDriverWait(driver, TIMEOUT_S)
        sign_in(driver, server.url, "editor_a")
        page = f"{server.url}/plans/{plan_id}/indicators/{code}?region={DISTRICT_A}"
        driver.get(page)

        def check_text() -> str:
            return driver.find_element(By.ID, "entry-check").text

        def enter(year: str, text: str) -> None:
            for name, content in (("year", year), ("text", text)):
                field = driver.find_element(By.ID, name)
                field.clear()
                field.send_keys(content)

        # 1. a year that already has a value: told before and after pressing save
        enter("2021", "29")
        wait.until(ec.text_to_be_present_in_element((By.ID, "entry-check"), "✗"))
        assert "可以保存" not in check_text() and "修改" in check_text()
        driver.find_element(By.ID, "entry-save").click()
        wait.until(ec.presence_of_element_located((By.ID, "save-failed")))
        assert "可以保存" not in check_text() and "未保存" in check_text()
        assert "甲区 2021 年已有数据" in check_text() and code not in check_text()
        screenshot(driver, "entry_01_existing_year")
        assert (
            driver.find_element(By.CSS_SELECTOR, "#values tr[data-year='2021'] td.num").text == "31"
        )

        # 2. 修改 keeps the value's source and note
        driver.find_element(By.CSS_SELECTOR, "#values tr[data-year='2022'] button").click()
        assert driver.find_element(By.ID, "source").get_attribute("value") == SOURCE_2022
        assert driver.find_element(By.ID, "text").get_attribute("value") == "30"
        driver.find_element(By.ID, "text").clear()
        driver.find_element(By.ID, "text").send_keys("29.5")
        wait.until(ec.text_to_be_present_in_element((By.ID, "entry-check"), "✓"))
        driver.find_element(By.ID, "entry-save").click()
        wait.until(
            ec.text_to_be_present_in_element(
                (By.CSS_SELECTOR, "#values tr[data-year='2022'] td.num"), "29.5"
            )
        )
        row = driver.find_element(By.CSS_SELECTOR, "#values tr[data-year='2022']").text
        assert SOURCE_2022 in row
        screenshot(driver, "entry_02_edit_keeps_source")
        # 修改, then another year typed: a new entry, not an edit of the year filled in
        driver.find_element(By.CSS_SELECTOR, "#values tr[data-year='2021'] button").click()
        assert driver.find_element(By.ID, "expected_version").get_attribute("value") == "1"
        enter("2023", "28")
        assert driver.find_element(By.ID, "expected_version").get_attribute("value") == ""
        wait.until(ec.text_to_be_present_in_element((By.ID, "entry-check"), "✓"))

        # 3. a unit that does not convert: refused, the expected unit named, one message
        enter("2023", "26 mg/m3")
        wait.until(ec.text_to_be_present_in_element((By.ID, "entry-check"), "✗"))
        shown = check_text()
        assert "µg/m³" in shown.split("✗")[1]
        assert "可以保存" not in shown
        lines = [line for line in shown.splitlines() if line.strip()]
        assert len(lines) == len(set(lines)) and sum(line.startswith("✗") for line in lines) == 1
        assert not any(word in shown for word in ("Text", "vocab", "yaml"))
        screenshot(driver, "entry_03_wrong_unit")

        # 4. an outlier (5× the year before) needs a confirmation with a reason
        enter("2023", "150")
        wait.until(ec.text_to_be_present_in_element((By.ID, "entry-check"), "确认理由"))
        assert "可以保存" not in check_text()
        driver.find_element(By.ID, "entry-save").click()
        wait.until(ec.presence_of_element_located((By.ID, "save-failed")))
        assert not driver.find_elements(By.CSS_SELECTOR, "#values tr[data-year='2023']")
        screenshot(driver, "entry_04_outlier_refused")
        driver.find_element(By.ID, "confirmation").send_keys("沙尘天气，已与省站核实")
        driver.find_element(By.ID, "entry-save").click()
        wait.until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "#values tr[data-year='2023']"))
        )
        row = driver.find_element(By.CSS_SELECTOR, "#values tr[data-year='2023']").text
        assert "150" in row and "沙尘天气，已与省站核实" in row
        screenshot(driver, "entry_05_outlier_confirmed")

        # 5. a server failure is shown too (the session is gone: the save cannot succeed)
        driver.delete_all_cookies()
        enter("2024", "27")
        driver.find_element(By.ID, "entry-save").click()
        wait.until(ec.presence_of_element_located((By.ID, "save-failed")))
        assert "未保存" in check_text()
        screenshot(driver, "entry_06_failure_visible")
        assert csp_violations(driver) == []

        # 6. the audit log reads as a log: the confirmed outlier, in Chinese, Beijing time
        sign_in(driver, server.url, "admin")
        driver.get(f"{server.url}/audit?actor=editor_a")
        first = driver.find_element(By.CSS_SELECTOR, "#audit-entries tr.audit-entry")
        assert "新建" in first.text and "年度数据" in first.text and "\\u" not in first.text
        reason = first.find_element(By.CSS_SELECTOR, "tr[data-field='confirmation']")
        assert "沙尘天气，已与省站核实" in reason.text and "异常值确认理由" in reason.text
        screenshot(driver, "entry_08_audit_log")


def test_a_refused_bulk_upload_says_nothing_was_saved(tmp_path):
    """Issue 13: a refused upload listed its rows as green "updated", in English."""
    require_browser()
    import io

    import httpx
    from openpyxl import load_workbook
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    from test_browser_flow import sign_in

    settings, plan_id, code = seeded_store(tmp_path)
    with live_server(settings) as server, chromium() as driver:
        wait = WebDriverWait(driver, TIMEOUT_S)
        sign_in(driver, server.url, "editor_a")
        cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
        with httpx.Client(base_url=server.url, cookies=cookies, timeout=30) as http:
            template = http.get(
                f"/plans/{plan_id}/entry/template.xlsx", params={"region": DISTRICT_A}
            )
        workbook = load_workbook(io.BytesIO(template.content))
        sheet = workbook["填报"]
        header = [c.value for c in sheet[1]]
        assert header[5] == "2020年" and header[-4] == "2030年"  # the whole plan period
        column = {name: index + 1 for index, name in enumerate(header)}
        sheet.cell(row=2, column=column["2022年"], value=29.0)  # a plain change
        sheet.cell(row=2, column=column["2023年"], value=150.0)  # 5× the year before
        path = tmp_path / "filled.xlsx"
        workbook.save(path)

        driver.get(f"{server.url}/plans/{plan_id}/entry?region={DISTRICT_A}")
        driver.find_element(By.ID, "bulk-file").send_keys(str(path))
        driver.find_element(By.ID, "bulk-submit").click()
        wait.until(ec.presence_of_element_located((By.ID, "bulk-outcome")))
        outcome = driver.find_element(By.ID, "bulk-outcome").text
        assert "未保存任何数据" in outcome
        table = driver.find_element(By.ID, "bulk-cells").text
        assert not any(word in table for word in ("updated", "created", "error", "conflict"))
        assert code not in table  # no internal codes
        changed = driver.find_element(By.CSS_SELECTOR, "#bulk-cells tr[data-status='updated']")
        assert "ok" not in changed.find_element(By.CSS_SELECTOR, "td:nth-child(5)").get_attribute(
            "class"
        )
        assert (
            "需确认"
            in driver.find_element(By.CSS_SELECTOR, "#bulk-cells tr[data-status='outlier']").text
        )
        screenshot(driver, "entry_07_bulk_refused")
        driver.get(f"{server.url}/plans/{plan_id}/indicators/{code}?region={DISTRICT_A}")
        assert (
            driver.find_element(By.CSS_SELECTOR, "#values tr[data-year='2022'] td.num").text == "30"
        )
        assert csp_violations(driver) == []
