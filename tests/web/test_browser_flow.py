"""The platform in a real browser: headless Chromium against ``ecociv serve`` on 127.0.0.1.

Flow: sign in → import the seed plan 003 (upload → preview with diagnostics → confirm) → enter
a year's value for a district → the verdict and the chart change → export the city and
re-import it into a second, empty server → an editor of the other district is refused.
Screenshots go to ``tests/_artifacts/`` (listed in the test's output).
"""

from __future__ import annotations

import json
import re

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

pytestmark = [pytest.mark.browser, pytest.mark.slow]
TIMEOUT_S = 60


def _wait(driver):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, TIMEOUT_S)


def sign_in(driver, base: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    driver.get(f"{base}/login")
    driver.find_element(By.ID, "name").send_keys(name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-submit").click()
    _wait(driver).until(ec.presence_of_element_located((By.ID, "region-tree")))


def sign_out(driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    driver.find_element(By.ID, "logout").click()
    _wait(driver).until(ec.presence_of_element_located((By.ID, "login-submit")))


def as_http_client(driver, base: str) -> httpx.Client:
    """An HTTP client carrying the browser's session (for JSON twins and downloads)."""
    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    return httpx.Client(base_url=base, cookies=cookies, timeout=30)


def chart_option(driver, element_id: str) -> dict:
    from selenium.webdriver.common.by import By

    return json.loads(driver.find_element(By.ID, element_id).get_attribute("textContent"))


def observed_points(option: dict) -> list:
    return next(s["data"] for s in option["series"] if s["type"] == "line")


def pick_indicator(dashboard: dict) -> dict:
    """An indicator with a numeric target and a direction (the first such row of the plan)."""
    for row in dashboard["indicators"]:
        if row.get("target_value") is not None and row.get("better") in ("higher", "lower"):
            return row
    raise AssertionError("the imported plan has no indicator with a numeric target")


def test_browser_flow(seed_path, tmp_path):
    require_browser()
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select

    seed = seed_path("003")
    shots = []
    main_settings = prepared_store(tmp_path / "main", with_regions=True)
    empty_settings = prepared_store(tmp_path / "empty", with_regions=False)
    with (
        live_server(main_settings) as server,
        live_server(empty_settings) as fresh,
        chromium() as driver,
    ):
        base = server.url
        wait = _wait(driver)

        # 1. sign in
        sign_in(driver, base, "admin")
        shots.append(screenshot(driver, "01_regions"))

        # 2. import the seed plan: upload → preview with every diagnostic → confirm
        driver.get(f"{base}/import")
        driver.find_element(By.ID, "plan-file").send_keys(str(seed))
        Select(driver.find_element(By.ID, "plan-region")).select_by_value(CITY)
        driver.find_element(By.ID, "import-preview").click()
        wait.until(ec.presence_of_element_located((By.ID, "import-preview-panel")))
        assert int(driver.find_element(By.ID, "preview-indicators").text) > 0
        shots.append(screenshot(driver, "02_import_preview"))
        diagnostics = driver.find_element(By.ID, "diagnostics")
        shown = len(diagnostics.find_elements(By.CSS_SELECTOR, "tr.diag"))
        assert shown == int(driver.find_element(By.ID, "diagnostic-count").text)  # every one listed
        driver.execute_script("arguments[0].scrollIntoView()", diagnostics)
        shots.append(screenshot(driver, "02b_import_diagnostics"))
        driver.find_element(By.ID, "import-confirm").click()
        wait.until(ec.presence_of_element_located((By.ID, "verdict-counts")))
        plan_id = int(re.search(r"/plans/(\d+)", driver.current_url).group(1))
        shots.append(screenshot(driver, "03_dashboard_city"))

        # 3. a district enters a year's value; the verdict and the chart change
        with as_http_client(driver, base) as http:
            dashboard = http.get(f"/plans/{plan_id}.json", params={"region": DISTRICT_A}).json()
        row = pick_indicator(dashboard)
        assert row["verdict"]["status"] in ("no_data", "needs_review")
        page = f"{base}/plans/{plan_id}/indicators/{row['code']}?region={DISTRICT_A}"
        driver.get(page)
        before = chart_option(driver, "indicator-chart-option")
        meeting = row["target_value"] + (1 if row["better"] == "higher" else -1) * max(
            abs(row["target_value"]) * 0.05, 1
        )
        driver.find_element(By.ID, "year").clear()
        driver.find_element(By.ID, "year").send_keys("2023")
        wrong_unit = "29%" if "g/m" in (row["unit"] or "") else "29μg/m³"
        driver.find_element(By.ID, "text").send_keys(wrong_unit)
        wait.until(ec.text_to_be_present_in_element((By.ID, "entry-check"), "✗"))  # told at once
        shots.append(screenshot(driver, "04a_entry_wrong_unit"))
        driver.find_element(By.ID, "text").clear()
        driver.find_element(By.ID, "text").send_keys(f"{meeting:g}")
        wait.until(ec.text_to_be_present_in_element((By.ID, "entry-check"), "✓"))
        shots.append(screenshot(driver, "04_entry_check"))
        driver.find_element(By.ID, "entry-save").click()
        wait.until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "#values tr[data-year='2023']"))
        )
        wait.until(ec.presence_of_element_located((By.ID, "indicator-verdict")))
        after = chart_option(driver, "indicator-chart-option")
        assert observed_points(after) != observed_points(before)
        assert ["2023", meeting] in observed_points(after) or [
            "2023",
            pytest.approx(meeting),
        ] in observed_points(after)
        chip = driver.find_element(By.CSS_SELECTOR, "#indicator-verdict .chip")
        assert "met" in chip.get_attribute("class").split()
        driver.execute_script("window.scrollTo(0, 0)")
        shots.append(screenshot(driver, "05_after_entry"))
        driver.get(f"{base}/plans/{plan_id}?region={DISTRICT_A}")
        wait.until(ec.presence_of_element_located((By.ID, "verdict-counts")))
        shots.append(screenshot(driver, "06_dashboard_district"))

        # 4. export the city and re-import it into an empty server
        with as_http_client(driver, base) as http:
            export = http.get(f"/regions/{CITY}/export", params={"format": "json"})
            assert export.status_code == 200
            before_export = http.get(f"/plans/{plan_id}.json", params={"region": DISTRICT_A}).json()
        export_path = tmp_path / "export.json"
        export_path.write_bytes(export.content)
        sign_in(driver, fresh.url, "admin")
        driver.get(f"{fresh.url}/import")
        driver.find_element(By.ID, "exchange-file").send_keys(str(export_path))
        driver.find_element(By.ID, "exchange-submit").click()
        wait.until(ec.url_contains(f"/regions/{CITY}"))
        shots.append(screenshot(driver, "07_reimported"))
        with as_http_client(driver, fresh.url) as http:
            plans_there = http.get("/api/v1/plans", params={"region": CITY}).json()
            assert len(plans_there) == 1
            again = http.get(
                f"/plans/{plans_there[0]['id']}.json", params={"region": DISTRICT_A}
            ).json()
        assert [(r["code"], r["verdict"]["status"]) for r in again["indicators"]] == [
            (r["code"], r["verdict"]["status"]) for r in before_export["indicators"]
        ]

        # the pages, charts and htmx fragments so far needed nothing the CSP forbids
        assert csp_violations(driver) == []

        # 5. the editor of the other district is refused.  Cookies are per host, not per port:
        # the browser now holds the second server's session, which only that server knows.
        driver.get(fresh.url + "/regions")
        sign_out(driver)
        sign_in(driver, base, "editor_b")
        driver.get(page)
        assert driver.find_elements(By.ID, "readonly-note")
        assert not driver.find_elements(By.ID, "entry-form")
        status = driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            const token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"];
            const form = new URLSearchParams({region: arguments[0], year: "2024", text: "1"});
            fetch(arguments[1], {method: "POST", body: form, headers: {"X-CSRF-Token": token}})
              .then(r => done(r.status));
            """,
            DISTRICT_A,
            f"/plans/{plan_id}/indicators/{row['code']}/observations",
        )
        assert status == 403
        shots.append(screenshot(driver, "08_editor_b_refused"))
    print("screenshots:", *[str(s) for s in shots], sep="\n  ")
