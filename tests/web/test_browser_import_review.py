"""The import review in a real browser (headless Chromium, ``ecociv serve`` on 127.0.0.1): a
table whose value columns the reader cannot name is fixed with the column-role selectors (htmx,
under the strict CSP), confirmed, and re-imported with the stored mapping applied; the check
findings are shown in the preview and accepted as is on the plan's findings page.
Screenshots go to ``tests/_artifacts/``."""

from __future__ import annotations

import re

import pytest
from review_plan import MISREAD, plan_text
from test_browser_flow import sign_in
from web_live_server import (
    DISTRICT_A,
    chromium,
    csp_violations,
    live_server,
    prepared_store,
    require_browser,
    screenshot,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_S = 60


def _upload(driver, base: str, path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver.get(f"{base}/import")
    driver.find_element(By.ID, "plan-file").send_keys(str(path))
    Select(driver.find_element(By.ID, "plan-region")).select_by_value(DISTRICT_A)
    driver.find_element(By.ID, "plan-name").send_keys("碧溪县生态文明建设规划")
    driver.find_element(By.ID, "import-preview").click()
    WebDriverWait(driver, TIMEOUT_S).until(
        ec.presence_of_element_located((By.ID, "import-preview-panel"))
    )


def _role_row(driver, column: int) -> list[str]:
    from selenium.webdriver.common.by import By

    row = driver.find_element(By.CSS_SELECTOR, f"#columns-0 tr[data-column='{column}']")
    return [td.text for td in row.find_elements(By.TAG_NAME, "td")[2:4]]


def test_a_misread_table_is_fixed_in_the_browser_and_reused(tmp_path) -> None:
    require_browser()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait

    misread = tmp_path / "碧溪县规划.txt"
    misread.write_bytes(plan_text(MISREAD))
    settings = prepared_store(tmp_path / "store", with_regions=True)
    with live_server(settings) as server, chromium() as driver:
        base, wait = server.url, WebDriverWait(driver, TIMEOUT_S)
        sign_in(driver, base, "admin")
        _upload(driver, base, misread)
        assert _role_row(driver, 3) == ["0.30", "无依据"]
        assert driver.find_element(By.ID, "finding-count").text == "0"

        for column, role, year in ((3, "baseline", "2020"), (4, "target", "2025")):
            panel = driver.find_element(By.ID, "import-preview-panel")
            Select(driver.find_element(By.ID, f"role-0-{column}")).select_by_value(role)
            wait.until(ec.staleness_of(panel))  # htmx swapped in the panel read again
            panel = driver.find_element(By.ID, "import-preview-panel")
            driver.find_element(By.ID, f"year-0-{column}").send_keys(year, Keys.TAB)
            wait.until(ec.staleness_of(panel))
        assert _role_row(driver, 3) == ["1.00", "已更正"]
        assert _role_row(driver, 4) == ["1.00", "已更正"]
        assert driver.find_element(By.ID, "year-0-4").get_attribute("value") == "2025"
        assert driver.find_element(By.ID, "finding-count").text == "2"
        assert "2025年目标 ≥38 劣于基准值 40.2" in driver.find_element(By.ID, "findings").text
        selectors = driver.find_element(By.ID, "columns-0")
        driver.execute_script("arguments[0].scrollIntoView()", selectors)
        shot = screenshot(driver, "10_import_column_roles")
        findings = driver.find_element(By.ID, "findings")
        driver.execute_script("arguments[0].scrollIntoView()", findings)
        screenshot(driver, "11_import_findings")
        driver.find_element(By.ID, "import-confirm").click()
        wait.until(ec.presence_of_element_located((By.ID, "verdict-counts")))
        plan_id = int(re.search(r"/plans/(\d+)", driver.current_url).group(1))

        _upload(driver, base, misread)
        assert driver.find_elements(By.ID, "columns-reused")
        assert _role_row(driver, 3) == ["1.00", "已更正"]
        assert _role_row(driver, 4) == ["1.00", "已更正"]
        assert driver.find_element(By.ID, "year-0-4").get_attribute("value") == "2025"

        driver.get(f"{base}/plans/{plan_id}/findings")
        driver.find_element(By.CSS_SELECTOR, "button.accept-finding").click()
        wait.until(ec.presence_of_element_located((By.ID, "findings-accepted")))
        screenshot(driver, "12_plan_findings_accepted")
        assert csp_violations(driver) == []
    assert shot.is_file()
