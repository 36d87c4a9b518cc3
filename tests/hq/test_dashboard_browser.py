"""The dashboard in a real headless Chromium (Debian's chromium + chromedriver, via selenium)
against a real HQ on loopback with data pushed by a desktop: sign in, the overview in Arabic
right to left, the switch to French, a scoped user refused another region's center by URL.
Screenshots of each page in both languages go to docs/screenshots/ (docs/hq.md, "Dashboard")."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from tests.hq.dashkit import add_user, new_center, serve_people
from tests.hq.hqkit import HqServer, SimDesktop

CHROMIUM, DRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
MONTH = "2026-03"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = pytest.mark.skipif(
    not (shutil.which(CHROMIUM) and shutil.which(DRIVER)), reason="Debian chromium not installed"
)


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--window-size=1280,1000",
        "--ignore-certificate-errors",
        "--disable-dev-shm-usage",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def sign_in(driver: webdriver.Chrome, hq: HqServer, user: str, lang: str) -> None:
    driver.get(f"{hq.base_url}/{lang}/dashboard/login/")
    driver.find_element(By.ID, "id_username").send_keys(user)
    driver.find_element(By.ID, "id_password").send_keys("correct horse battery")
    driver.find_element(By.ID, "sign-in").click()
    # Until the signed-in page has loaded (the sign-out button), not a fixed delay.
    WebDriverWait(driver, 30).until(lambda d: d.find_elements(By.ID, "logout"))


def shot(driver: webdriver.Chrome, name: str, backend: str) -> None:
    if backend == "sqlite":
        SHOTS.mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(SHOTS / f"hq-dashboard-{name}.png"))


def test_sign_in_arabic_rtl_switch_to_french_and_scope(
    hq: HqServer, browser: webdriver.Chrome
) -> None:
    backend = hq.backend
    rabat, enroll_r = new_center(hq, "04.421")
    casa, enroll_c = new_center(hq, "06.141")
    for enroll, n in ((enroll_r, 7), (enroll_c, 3)):
        desk = SimDesktop.enroll(hq.base_url, enroll)
        try:
            serve_people(desk, n)
        finally:
            desk.close()

    sign_in(browser, hq, add_user(hq, "national"), "ar")
    assert browser.find_elements(By.ID, "logout")
    browser.get(f"{hq.base_url}/ar/dashboard/?month={MONTH}")
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    assert "النظرة الوطنية" in browser.find_element(By.ID, "nav-overview").text
    # Region 06 has three children this month: below the center level, "< 5".
    assert "< 5" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "overview-ar", backend)

    browser.find_element(By.ID, "switch-lang").click()
    html = browser.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("dir") == "ltr" and html.get_attribute("lang") == "fr"
    assert browser.find_element(By.ID, "nav-overview").text == "Vue nationale"
    shot(browser, "overview-fr", backend)
    browser.get(f"{hq.base_url}/fr/dashboard/health/")
    assert rabat in browser.page_source and casa in browser.page_source
    shot(browser, "health-fr", backend)
    browser.get(f"{hq.base_url}/ar/dashboard/health/")
    shot(browser, "health-ar", backend)
    browser.get(f"{hq.base_url}/ar/dashboard/center/{rabat}/?month={MONTH}")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    shot(browser, "center-ar", backend)
    browser.get(f"{hq.base_url}/fr/dashboard/center/{rabat}/?month={MONTH}")
    shot(browser, "center-fr", backend)

    browser.delete_all_cookies()
    sign_in(browser, hq, add_user(hq, "region:04"), "fr")
    browser.get(f"{hq.base_url}/fr/dashboard/center/{rabat}/")
    assert rabat in browser.page_source
    browser.get(f"{hq.base_url}/fr/dashboard/center/{casa}/")
    assert casa not in browser.page_source
    assert "Centre " + casa not in browser.page_source


def test_drill_down_from_the_country_to_a_center_then_print(
    hq: HqServer, browser: webdriver.Chrome
) -> None:
    """A national user follows the links region → province → center, as a person from HQ
    would, and opens the printable report; the workshop and program tables are on the page."""
    code, enroll = new_center(hq, "01.511")
    desk = SimDesktop.enroll(hq.base_url, enroll)
    try:
        serve_people(desk, 6, service="workshop")
        serve_people(desk, 5, service="guidance")
    finally:
        desk.close()
    sign_in(browser, hq, add_user(hq, "national"), "fr")
    browser.get(f"{hq.base_url}/fr/dashboard/?month={MONTH}")
    region = browser.find_element(By.CSS_SELECTOR, '#drill tr[data-key="01"] th a')
    region.click()
    WebDriverWait(browser, 30).until(lambda d: "region=01" in d.current_url)
    assert "Provinces" in browser.find_element(By.TAG_NAME, "main").text
    browser.find_element(By.CSS_SELECTOR, '#drill tr[data-key="01.511"] th a').click()
    WebDriverWait(browser, 30).until(lambda d: "province=01.511" in d.current_url)
    row = browser.find_element(By.CSS_SELECTOR, f'#drill tr[data-key="{code}"]')
    assert row.find_elements(By.TAG_NAME, "td")[0].text == "11"
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Tanger-Assilah")
    programs = browser.find_element(By.ID, "programs")
    assert "Registre social unifié" in programs.text
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "programs"))
    shot(browser, "province-fr", hq.backend)
    row.find_element(By.CSS_SELECTOR, "th a").click()
    WebDriverWait(browser, 30).until(lambda d: f"/center/{code}/" in d.current_url)
    assert browser.find_element(By.ID, "month").text == MONTH
    browser.get(f"{hq.base_url}/ar/dashboard/?month={MONTH}&region=01&province=01.511")
    browser.execute_script("arguments[0].scrollIntoView()", browser.find_element(By.ID, "programs"))
    shot(browser, "province-ar", hq.backend)
    browser.find_element(By.ID, "print-view").click()
    WebDriverWait(browser, 30).until(lambda d: d.find_elements(By.ID, "print-button"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    assert browser.find_element(By.ID, "programs")
