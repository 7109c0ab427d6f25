"""The GEP page in a real browser (headless Chromium against ``ecociv serve`` on 127.0.0.1).

Flow: the editor of 甲区 uploads a filled GEP workbook through the form → the account table,
its figures and the four charts appear (drawn by ECharts, no CSP violation) → a line's
provenance opens on click and names its inputs, formula, price and source → an upload with a
bad cell is refused naming the cell, and nothing is added → the admin uploads the same
workbook for 乙区 by the unverified DB33 method set → every item is marked unverified → the
city page drills down to both districts.  Screenshots go to ``tests/_artifacts/``.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from web_live_server import (
    CITY,
    DISTRICT_A,
    DISTRICT_B,
    chromium,
    csp_violations,
    live_server,
    prepared_store,
    require_browser,
    screenshot,
)

from ecociv.gep.example import write_example
from ecociv.gep.workbook import PHYSICAL

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_S = 60


def _workbook(folder: Path, code: str, name: str, scale: float, bad: bool = False) -> Path:
    buffer = BytesIO()
    write_example(buffer, region_name=name, region_code=code, year=2023, scale=scale)
    path = folder / f"{code}{'-bad' if bad else ''}.xlsx"
    if bad:
        book = load_workbook(BytesIO(buffer.getvalue()))
        book[PHYSICAL].cell(row=4, column=7, value=-12)
        book.save(path)
    else:
        path.write_bytes(buffer.getvalue())
    return path


def _upload(driver, base: str, code: str, path: Path, method: str | None = None) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver.get(f"{base}/regions/{code}/gep")
    driver.find_element(By.ID, "gep-file").send_keys(str(path))
    driver.find_element(By.ID, "gep-year").clear()
    driver.find_element(By.ID, "gep-year").send_keys("2023")
    if method:
        Select(driver.find_element(By.ID, "gep-method-choice")).select_by_value(method)
    driver.find_element(By.CSS_SELECTOR, "#gep-upload button[type=submit]").click()


def test_browser_gep(tmp_path):
    require_browser()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    from test_browser_flow import sign_in, sign_out

    settings = prepared_store(tmp_path / "store", with_regions=True)
    with live_server(settings) as server, chromium() as driver:
        base, wait = server.url, WebDriverWait(driver, TIMEOUT_S)
        sign_in(driver, base, "editor_a")
        _upload(driver, base, DISTRICT_A, _workbook(tmp_path, DISTRICT_A, "甲区", 1.0))
        wait.until(ec.presence_of_element_located((By.ID, "gep-table")))
        for key in ("lines", "accounts", "series"):
            wait.until(
                lambda d, key=key: d.find_element(
                    By.CSS_SELECTOR, f'[data-chart="gep-chart-{key}"][data-chart-ready="1"] canvas'
                )
            )
        assert "version=1" in driver.current_url
        assert driver.find_element(By.ID, "gep-yoy").text.startswith("+")
        screenshot(driver, "gep_01_account")

        row = driver.find_element(By.CSS_SELECTOR, 'tr[data-code="water_conservation.volume"]')
        row.find_element(By.TAG_NAME, "summary").click()
        trace = row.find_element(By.CSS_SELECTOR, "details.trace dl")
        wait.until(lambda d: trace.is_displayed())
        text = trace.text
        assert "Σ_i (P_i − R_i − ET_i)·A_i" in text and "GZ §2.4.1" in text
        assert "水库单位库容工程造价" in text and "森林" in text and "实物量!G" in text
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", row)
        screenshot(driver, "gep_02_provenance")

        _upload(driver, base, DISTRICT_A, _workbook(tmp_path, DISTRICT_A, "甲区", 1.0, bad=True))
        wait.until(ec.text_to_be_present_in_element((By.ID, "error-where"), "实物量!G4"))
        screenshot(driver, "gep_03_bad_cell")
        driver.get(f"{base}/regions/{DISTRICT_A}/gep")
        assert len(driver.find_elements(By.CSS_SELECTOR, "#gep-versions tr")) == 2  # header + v1
        assert csp_violations(driver) == []
        sign_out(driver)

        sign_in(driver, base, "admin")
        _upload(
            driver,
            base,
            DISTRICT_B,
            _workbook(tmp_path, DISTRICT_B, "乙区", 0.6),
            method="db33_2274_2025",
        )
        wait.until(ec.presence_of_element_located((By.ID, "gep-unverified-method")))
        rows = driver.find_elements(By.CSS_SELECTOR, "#gep-table tr[data-code]")
        assert rows and all("unverified" in r.get_attribute("class") for r in rows)
        screenshot(driver, "gep_04_unverified")

        _upload(driver, base, CITY, _workbook(tmp_path, CITY, "测试市", 2.0))
        wait.until(
            lambda d: d.find_element(
                By.CSS_SELECTOR, '[data-chart="gep-chart-children"][data-chart-ready="1"] canvas'
            )
        )
        links = driver.find_elements(By.CSS_SELECTOR, "#gep-children a")
        assert [a.text for a in links] == ["甲区", "乙区"]
        driver.execute_script(
            "arguments[0].scrollIntoView()", driver.find_element(By.ID, "gep-children")
        )
        screenshot(driver, "gep_05_drill_down")
        links[1].click()
        wait.until(ec.presence_of_element_located((By.ID, "gep-unverified-method")))
        assert csp_violations(driver) == []
