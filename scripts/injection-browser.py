#!/usr/bin/python3
"""The injection corpus in headless Chromium: no payload runs on any page that shows it, even with the page's
Content-Security-Policy switched off (escaping must hold on its own; the CSP is a second wall).

    scripts/injection-browser.py [--annals .build/debug/annals] [--port PORT]

Builds the demo registry in a temporary folder (`annals demo`), imports Tests/InjectionCorpus (PubMed with inline
markup, EndNote, CERIF, registry XML, tally CSV) with `annals import`, adds an admin account, serves it
(`annals serve`, on a free port of 127.0.0.1 unless --port), signs in through the form and loads every page that
shows the payload records, in Chinese and in English, and the downloaded HTML report and profile as files. Every
payload sets `window.pwned` (the first also `document.title`); on each page, also after hovering and clicking
every element a payload could have made, the script checks that `window.pwned` is unset, the title is not
`PWNED`, no element of a payload is in the document (script, iframe, object, embed, math, an `on…` attribute,
a `javascript:` or `data:` link), and the browser console shows no Content-Security-Policy violation (which would
mean escaping failed and only the CSP stopped it). Fails (exit 1) on any of these.
"""
import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "Tests", "InjectionCorpus")
PASSWORD = "injection check 1"

# What a payload would leave in the document had it been parsed as markup (the site's own scripts are files of
# /assets/, the upload page's progress script).
PAYLOAD_ELEMENTS = """
return Array.from(document.querySelectorAll(
  'script:not([src^="/assets/"]), iframe, object, embed, math, mglyph, [onerror], [onload], [onmouseover], [onclick], [onfocus], ' +
  'a[href^="javascript:" i], a[href^="data:" i], [style*="expression(" i], [src^="javascript:" i], img:not([src^="/"])'
)).map(e => e.outerHTML.slice(0, 120));
"""

# Hovers over and clicks everything a payload could have made clickable (links and inline markup), in place.
POKE = """
for (const e of document.querySelectorAll('main a, main i, main b, main sub, main sup, main em, main strong, main div')) {
  for (const type of ['mouseover', 'focus']) e.dispatchEvent(new Event(type, {bubbles: true}));
  const href = e.getAttribute && e.getAttribute('href');
  if (href && /^\\s*(javascript|data):/i.test(href)) e.click();
}
return [typeof window.pwned === 'undefined' ? null : String(window.pwned), document.title];
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args, **kwargs):
    result = subprocess.run(args, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annals", default=".build/debug/annals")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    annals = os.path.abspath(args.annals)
    work = tempfile.mkdtemp(prefix="annals-injection-")
    demo = os.path.join(work, "demo")
    db = os.path.join(demo, "annals.sqlite")
    run([annals, "demo", "--out", demo], cwd=work)
    for kind, name in [("pubmed", "pubmed.xml"), ("endnote", "endnote.xml"), ("cerif", "cerif.xml"),
                       ("registry", "registry.xml"), ("tallies", "tallies.csv")]:
        run([annals, "import", kind, "--db", db, os.path.join(CORPUS, name)], cwd=work)
    run([annals, "user", "add", "--db", db, "inspector", "--role", "admin", "--password-stdin"], cwd=work,
        input=PASSWORD + "\n")
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([annals, "serve", "--db", db, "--port", str(port)], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    failures = []
    driver = None
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            sys.exit(f"annals serve did not answer on {base}/healthz")

        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--lang=zh-CN"]:
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

        def check(condition, what):
            print(("ok   " if condition else "FAIL ") + what)
            if not condition:
                failures.append(what)

        def inspect(url, label, clean=True):
            driver.get(url)
            state = driver.execute_script(POKE)
            left = driver.execute_script(PAYLOAD_ELEMENTS)
            console = [e["message"] for e in driver.get_log("browser")]
            csp = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
            ok = state[0] is None and state[1] != "PWNED" and not left and not csp
            if not clean:
                check(not ok, f"{label}: the check sees a payload that runs (pwned={state[0]})")
                return ""
            check(ok, f"{label}: no payload ran (pwned={state[0]}, title={state[1][:40]!r}, "
                      f"elements={left[:2]}, csp={csp[:1]})")
            return driver.page_source

        # The check itself: the payloads unescaped in a page do run, and are seen.
        with open(os.path.join(CORPUS, "payloads.txt")) as f:
            raw = "<main><p>" + " ".join(line for line in f.read().splitlines() if "<" in line) + "</p></main>"
        bait = os.path.join(work, "unescaped.html")
        with open(bait, "w") as f:
            f.write(raw)
        inspect("file://" + bait, "unescaped payloads", clean=False)

        # Sign in through the form (with the CSP in force, as users see it).
        driver.get(base + "/signin")
        driver.find_element(By.NAME, "name").send_keys("inspector")
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]").click()
        time.sleep(0.5)
        check("/signin" not in driver.current_url, "signed in")

        pages = ["/", "/?year=2024", "/papers", "/papers?q=pwned", "/papers?q=%3Cscript%3E", "/projects",
                 "/projects?q=pwned", "/patents", "/awards", "/people", "/people?q=pwned", "/history", "/tasks",
                 "/reports?year=2024", "/reports?year=2024&department=general-surgery",
                 "/review?department=general-surgery", "/projects/inj-project", "/patents/inj-patent",
                 "/awards/inj-award", "/people/inj-person", "/entry/projects/inj-project",
                 "/entry/patents/inj-patent", "/entry/awards/inj-award", "/entry/people/inj-person",
                 "/entry/tallies/month?department=general-surgery&month=2026-01"]
        driver.get(base + "/papers?q=pwned")
        papers = sorted({a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a[href*='/papers/']")})
        check(len(papers) >= 5, f"the payload papers are listed ({len(papers)})")
        pages += [urllib.parse.urlsplit(p).path for p in papers]
        pages += ["/entry/papers/" + urllib.parse.urlsplit(p).path.rsplit("/", 1)[1] for p in papers]

        # First with the page's CSP switched off (escaping alone), then with it on.
        for bypass in [True, False]:
            driver.execute_cdp_cmd("Page.setBypassCSP", {"enabled": bypass})
            for language in ["zh", "en"]:
                for page in pages:
                    url = base + page + ("&" if "?" in page else "?") + "lang=" + language
                    source = inspect(url, f"{'no CSP' if bypass else 'CSP'} {language} {page}")
                    if page == "/papers?q=pwned":
                        check("window.pwned" in source, "the payloads are shown as text")

        # The HTML report and profile as downloaded files, opened from disk (no server, no CSP header).
        jar = http.cookiejar.CookieJar()
        for cookie in driver.get_cookies():
            jar.set_cookie(http.cookiejar.Cookie(
                0, cookie["name"], cookie["value"], None, False, "127.0.0.1", False, False, "/", True, False, None,
                False, None, None, {}))
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for path in ["/downloads/report?year=2024&format=html",
                     "/downloads/report?year=2024&department=general-surgery&format=html",
                     "/downloads/profile?department=general-surgery&format=html"]:
            body = opener.open(base + path, timeout=30).read()
            file = os.path.join(work, re.sub(r"[^a-z0-9]+", "-", path) + ".html")
            with open(file, "wb") as f:
                f.write(body)
            check(b"pwned" in body, f"{path}: the payloads are in the file")
            inspect("file://" + file, f"file {path}")
    finally:
        if driver:
            driver.quit()
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("no payload ran")


if __name__ == "__main__":
    main()
