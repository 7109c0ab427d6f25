"""The report page in a real browser against ``ecociv serve``: from the dashboard of the
demo city to the report page, preview the annual report, edit 形势分析, generate the Word
file, see it in the history and download it.  Screenshots in ``tests/_artifacts/``."""

from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from test_browser_flow import _wait, as_http_client, sign_in
from web_live_server import (
    chromium,
    csp_violations,
    live_server,
    prepared_store,
    require_browser,
    screenshot,
)

from ecociv.demo.sample import CITY_CODE, load_sample
from ecociv.store.db import create_engine_for, session_factory, unit_of_work

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EDITED = "本年度空气质量持续改善，水环境质量总体稳定。"


def test_report_page_in_the_browser(tmp_path):
    require_browser()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    settings = prepared_store(tmp_path, with_regions=False)
    engine = create_engine_for(settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        plan_id = load_sample(db).plan_id
    engine.dispose()
    with live_server(settings) as server, chromium() as driver:
        sign_in(driver, server.url, "admin")
        driver.get(f"{server.url}/plans/{plan_id}?region={CITY_CODE}")
        driver.find_element(By.ID, "reports-link").click()
        _wait(driver).until(ec.presence_of_element_located((By.ID, "report-choice")))
        Select(driver.find_element(By.ID, "report-kind")).select_by_value("annual")
        year = driver.find_element(By.ID, "report-year")
        year.clear()
        year.send_keys("2024")
        driver.find_element(By.ID, "report-preview").click()
        box = _wait(driver).until(ec.presence_of_element_located((By.ID, "narrative-situation")))
        assert "青岚市2024年度评估报告" in driver.find_element(By.ID, "preview-title").text
        assert "已达到规划目标的指标10项" in box.get_attribute("value")  # pre-filled
        screenshot(driver, "report-page-preview")
        box.clear()
        box.send_keys(EDITED)
        driver.find_element(By.ID, "report-submit").click()
        row = _wait(driver).until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "#report-history tr[data-report]"))
        )
        assert "admin" in row.text and "青岚市2024年度评估报告" in row.text
        screenshot(driver, "report-page-history")
        assert not csp_violations(driver)
        link = row.find_element(By.LINK_TEXT, "下载").get_attribute("href")
        with as_http_client(driver, server.url) as client:
            file = client.get(link)
        assert file.status_code == 200
        paragraphs = [p.text for p in Document(BytesIO(file.content)).paragraphs]
        assert EDITED in paragraphs
