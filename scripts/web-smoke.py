#!/usr/bin/python3
"""Browser test of `annals serve` in headless Chromium (Debian's chromium, chromium-driver, python3-selenium: the
driver is the browser's own, /usr/bin/chromedriver, nothing is downloaded).

    scripts/web-smoke.py [--annals .build/debug/annals] [--shots FOLDER]
    scripts/web-smoke.py --url http://127.0.0.1:8080 --user NAME --password PASSWORD [--shots FOLDER]

Without --url it builds the demo registry in a temporary folder and serves it (`annals demo --serve`) on a free port
of 127.0.0.1, signing in with the demo account it prints. Then, in Chinese and in English, on a desktop window and on a
phone-width one (390 px): signs in through the form, opens the dashboard, filters the papers through their form, asks
a case question with a Chinese procedure name, opens the reports page and downloads the Word report (checking its
file name and that it is a ZIP package). A screenshot of every page goes to FOLDER (web-smoke by default).

Fails (exit 1) on a missing element, a browser console error (a blocked inline script or style shows there), English
words in the labels, buttons, headings and menus of a Chinese page, or a page wider than a phone's window. (Text the
registry's layers write in English only is not checked yet: the explanation of a case count, "through 2015-12-31
(baseline)"; papers' titles are the journals' own.)
"""
import argparse
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser_wait import left


# Words a Chinese page may show in Latin letters: names of formats and indexes, and the switch to English.
LATIN_ALLOWED = {"SCI", "DOI", "PMID", "HTML", "Markdown", "JSON", "Word", "Excel", "English", "demo", "JCR", "ORCID"}
# A procedure in the vocabulary, by its Chinese name.
CHINESE_PROCEDURE = "胆总管囊肿切除术"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_demo(annals, folder):
    """Starts `annals demo --serve` and returns (process, url, user, password)."""
    port = free_port()
    process = subprocess.Popen(
        [annals, "demo", "--serve", "--port", str(port), "--out", os.path.join(folder, "demo")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    user = password = None
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("Sign in as:"):
            user = line.split(":", 1)[1].strip()
        if line.startswith("Password:"):
            password = line.split(":", 1)[1].split()[0]
            break
    if not (user and password):
        process.kill()
        sys.exit("annals demo --serve printed no account:\n" + "".join(lines))
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        sys.exit(f"the demo server did not answer on {url}/healthz")
    return process, url, user, password


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annals", default=".build/debug/annals")
    parser.add_argument("--url")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--shots", default="web-smoke")
    args = parser.parse_args()
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix="annals-web-smoke-")
    server = None
    if args.url:
        base, user, password = args.url.rstrip("/"), args.user, args.password
    else:
        server, base, user, password = serve_demo(args.annals, work)
    shots = args.shots
    os.makedirs(shots, exist_ok=True)
    downloads = os.path.join(work, "downloads")
    os.makedirs(downloads)

    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=zh-CN", "--hide-scrollbars"]:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": downloads, "download.prompt_for_download": False,
        "intl.accept_languages": "zh-CN,zh"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    def shot(name, width):
        """A screenshot of the whole page at `width`; checks the console and, on a phone, the page's width."""
        driver.set_window_size(width, 900)
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(max(height + 200, 600), 4000))
        driver.save_screenshot(os.path.join(shots, name + ".png"))
        errors = [e["message"] for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
        check(not errors, f"{name}: no console error {errors[:2]}")
        if width < 500:
            wide = driver.execute_script(
                "return [document.documentElement.scrollWidth, window.innerWidth]")
            check(wide[0] <= wide[1], f"{name}: fits the phone's width ({wide[0]} px in {wide[1]} px)")

    def submit(selector):
        """Clicks a form's button and waits for the next page."""
        page = driver.find_element(By.TAG_NAME, "html")
        driver.find_element(By.CSS_SELECTOR, selector).click()
        WebDriverWait(driver, 20).until(left(page))

    def chinese_only(name):
        """Labels, buttons, headings, menus and table heads of a Chinese page have no English words."""
        texts = driver.execute_script("""
            return Array.from(document.querySelectorAll(
                'nav a, nav button, h1, h2, label, button, th, option, .label, .group, .pager, title'))
                .filter(e => !e.closest('.report') && !e.closest('ul.papers') && !e.closest('datalist'))
                .map(e => e.tagName === 'OPTION' || e.tagName === 'TITLE' ? e.textContent : e.innerText)""")
        stray = sorted({w for t in texts for w in re.findall(r"[A-Za-z]{3,}", t or "")} - LATIN_ALLOWED)
        check(not stray, f"{name}: no English words in the Chinese page's labels {stray[:12]}")

    try:
        for lang in ["zh", "en"]:
            other = "en" if lang == "zh" else "zh"
            driver.delete_all_cookies()
            driver.set_window_size(1280, 900)
            driver.get(base + f"/?lang={lang}")
            check("/signin" in driver.current_url, f"{lang}: signed out, sent to the sign-in page")
            shot(f"signin-{lang}", 1280)
            driver.find_element(By.NAME, "name").send_keys(user)
            driver.find_element(By.NAME, "password").send_keys(password)
            submit("form[action='/signin'] button")
            check(driver.find_elements(By.CSS_SELECTOR, ".figures .figure"), f"{lang}: the dashboard has figures")
            check(("概览" if lang == "zh" else "Dashboard") in driver.page_source, f"{lang}: dashboard in {lang}")
            check(driver.find_elements(By.CSS_SELECTOR, "svg.chart"), f"{lang}: the dashboard has its chart")
            if lang == "zh":
                chinese_only("dashboard-zh")
            shot(f"dashboard-{lang}", 1280)
            shot(f"dashboard-phone-{lang}", 390)

            # Papers: filtered through the form, as a user does.
            driver.set_window_size(1280, 900)
            driver.get(base + "/papers")
            driver.find_element(By.CSS_SELECTOR, "form.filters input[name='sci']").click()
            submit("form.filters button")
            check("sci=1" in driver.current_url, f"{lang}: the papers' filter applied ({driver.current_url})")
            check(driver.find_elements(By.CSS_SELECTOR, "ul.papers li"), f"{lang}: SCI papers listed")
            if lang == "zh":
                chinese_only("papers-zh")
            shot(f"papers-{lang}", 1280)
            shot(f"papers-phone-{lang}", 390)

            # A case question with a Chinese procedure name, by year.
            driver.set_window_size(1280, 900)
            driver.get(base + "/cases")
            field = driver.find_element(By.NAME, "procedure")
            field.clear()
            field.send_keys(CHINESE_PROCEDURE)
            driver.find_element(By.CSS_SELECTOR, "select[name='by'] option[value='year']").click()
            submit("form.filters button")
            figures = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "table tbody td.figure-cell")]
            check(len(figures) >= 5 and all(f.strip() for f in figures),
                  f"{lang}: the case question is answered by year ({', '.join(figures[:4])}…)")
            if lang == "zh":
                chinese_only("cases-zh")
            shot(f"cases-{lang}", 1280)
            shot(f"cases-phone-{lang}", 390)

            # Reports: shown, and the Word report downloaded.
            driver.set_window_size(1280, 900)
            driver.get(base + "/reports")
            check(driver.find_elements(By.CSS_SELECTOR, ".report h1, .report h2"), f"{lang}: the report is shown")
            if lang == "zh":
                chinese_only("reports-zh")
            shot(f"reports-{lang}", 1280)
            shot(f"reports-phone-{lang}", 390)
            driver.set_window_size(1280, 900)
            for old in glob.glob(os.path.join(downloads, "*")):
                os.remove(old)
            word = driver.find_element(By.CSS_SELECTOR, "a[href*='/downloads/report'][href*='format=docx']")
            word.click()
            got = []
            for _ in range(150):
                got = [f for f in os.listdir(downloads) if not f.endswith(".crdownload")]
                if got:
                    break
                time.sleep(0.1)
            name = got[0] if got else ""
            expected = r"\d{4}年度科研报告-全院\.docx" if lang == "zh" else r"annual-report-\d{4}\.docx"
            check(re.fullmatch(expected, name), f"{lang}: the Word report downloaded as {name or 'nothing'}")
            if name:
                with open(os.path.join(downloads, name), "rb") as f:
                    check(f.read(2) == b"PK", f"{lang}: the Word report is a ZIP package")
            # The language switch leads to the other language's page.
            driver.get(base + "/reports")
            page = driver.find_element(By.TAG_NAME, "html")
            driver.find_element(By.CSS_SELECTOR, "nav a[lang]").click()
            WebDriverWait(driver, 20).until(left(page))
            shown = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
            check(shown.startswith(other), f"{lang}: the language switch leads to {other} ({shown})")
    finally:
        driver.quit()
        if server:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failed" if failures else "all passed",
          f"({time.monotonic() - started:.0f} s; screenshots in {shots})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
