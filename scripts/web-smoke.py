#!/usr/bin/env python3
"""Browser smoke test of `annals serve` in headless Chromium (Debian's chromium, chromium-driver, python3-selenium).

    scripts/web-smoke.py http://127.0.0.1:8080 USER PASSWORD [SCREENSHOT-FOLDER]

Signs in through the form, loads the dashboard in Chinese and in English, filters the papers, asks a case question in
Chinese and opens the report page; saves a screenshot of each page; fails (exit 1) on a missing element, a
browser console error (a blocked inline script or style shows there) or a page that is not the expected one.
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By


def main():
    base, user, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    shots = sys.argv[4] if len(sys.argv) > 4 else "web-smoke"
    os.makedirs(shots, exist_ok=True)
    options = Options()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000", "--lang=zh-CN"]:
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    def shot(name):
        path = os.path.join(shots, name + ".png")
        driver.save_screenshot(path)
        errors = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        check(not errors, f"{name}: no console error {errors[:2]}")

    try:
        driver.get(base + "/?lang=zh")
        check("/signin" in driver.current_url, "signed out: sent to the sign-in page")
        shot("signin-zh")
        driver.find_element(By.NAME, "name").send_keys(user)
        driver.find_element(By.NAME, "password").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button").click()
        check(driver.find_elements(By.CSS_SELECTOR, ".figures .figure"), "dashboard after sign-in has figures")
        check("概览" in driver.page_source, "dashboard in Chinese")
        check(driver.find_elements(By.CSS_SELECTOR, "svg.chart"), "dashboard has its chart")
        shot("dashboard-zh")
        driver.get(base + "/?lang=en")
        check("Dashboard" in driver.page_source, "dashboard in English")
        shot("dashboard-en")
        driver.get(base + "/papers?lang=zh&sci=1")
        check(driver.find_elements(By.CSS_SELECTOR, "ul.papers li"), "SCI papers listed")
        shot("papers-zh")
        driver.get(base + "/cases?procedure=%E8%83%86%E6%80%BB%E7%AE%A1%E5%9B%8A%E8%82%BF%E5%88%87%E9%99%A4%E6%9C%AF&by=year")
        check(driver.find_elements(By.CSS_SELECTOR, ".answer, table, .message"), "case question answered")
        shot("cases-zh")
        driver.get(base + "/reports?year=2024")
        check(driver.find_elements(By.CSS_SELECTOR, ".report h1, .report h2"), "report shown")
        shot("reports-zh")
        driver.set_window_size(390, 844)
        driver.get(base + "/")
        shot("dashboard-phone-zh")
    finally:
        driver.quit()
    print(f"{len(failures)} failed" if failures else "all passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
