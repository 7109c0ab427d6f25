"""A real platform for browser tests: a migrated SQLite store, ``ecociv serve`` in a
subprocess on 127.0.0.1 (a free port), and headless Debian Chromium driven by Selenium."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from ecociv.settings import Settings, load_settings
from ecociv.store.db import create_engine_for, session_factory, unit_of_work, upgrade
from ecociv.store.services import regions, users
from ecociv.web.local_server import served

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
REQUIRE_VAR = "ECOCIV_REQUIRE_BROWSER"
ARTIFACTS = Path(__file__).resolve().parents[1] / "_artifacts"
CITY, DISTRICT_A, DISTRICT_B = "990100", "990102", "990103"
PASSWORD = "browser-test-password"


def require_browser() -> None:
    """Skip (or, with ECOCIV_REQUIRE_BROWSER=1 as in CI, fail) without Chromium + chromedriver."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install selenium)")
    if not missing:
        return
    message = f"browser tests need {', '.join(missing)} (apt install chromium chromium-driver)"
    if os.environ.get(REQUIRE_VAR) == "1":
        pytest.fail(f"{REQUIRE_VAR}=1 but {message}", pytrace=False)
    pytest.skip(message)


@dataclass
class LiveServer:
    url: str
    settings: Settings
    process: subprocess.Popen


def prepared_store(folder: Path, *, with_regions: bool) -> Settings:
    settings = load_settings(
        data_dir=folder, database_url=f"sqlite:///{folder / 'live.db'}", secret_key="browser-tests"
    )
    upgrade(settings.database_url)
    engine = create_engine_for(settings.database_url)
    with unit_of_work(session_factory(engine)) as db:
        users.create_user(db, "test", name="admin", password=PASSWORD, role="admin")
        if with_regions:
            regions.create_region(db, "test", code=CITY, name="测试市", level="city")
            regions.create_region(
                db, "test", code=DISTRICT_A, name="甲区", level="county", parent_code=CITY
            )
            regions.create_region(
                db, "test", code=DISTRICT_B, name="乙区", level="county", parent_code=CITY
            )
            users.create_user(
                db,
                "test",
                name="editor_a",
                password=PASSWORD,
                role="editor",
                region_code=DISTRICT_A,
            )
            users.create_user(
                db,
                "test",
                name="editor_b",
                password=PASSWORD,
                role="editor",
                region_code=DISTRICT_B,
            )
    engine.dispose()
    return settings


@contextmanager
def live_server(settings: Settings) -> Iterator[LiveServer]:
    with served(settings) as (url, process):
        yield LiveServer(url=url, settings=settings, process=process)


@contextmanager
def chromium() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="ecociv-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1400,1000",
        "--lang=zh-CN",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # for csp_violations
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def csp_violations(driver) -> list[str]:
    """The console messages since the last call that report a Content-Security-Policy block."""
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if "Content Security Policy" in entry["message"]
    ]


def screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    return path
