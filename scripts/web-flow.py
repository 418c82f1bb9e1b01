#!/usr/bin/python3
"""Browser test of the whole entry-and-validation flow of `annals serve`, in Chinese, in headless Chromium.

    scripts/web-flow.py [--annals .build/debug/annals] [--shots FOLDER] [--postgres URL]

Makes a fresh registry (a SQLite file in a temporary folder, or with --postgres, or $ANNALS_FLOW_POSTGRES_URL, a new
database on that PostgreSQL server) holding a hospital, one department (普外科) and one of its surgeons, with two
accounts: a research-office account and the department's secretary. Serves it (`annals serve`) on a free port of
127.0.0.1 and, through the real pages and forms, in Chinese:

  1. the secretary enters a project in Chinese (国家级, 52万, 2021/3/1; a first try without a title is refused with
     the reason at the field), a month of case tallies through the month grid, and uploads a PubMed file
     (Tests/AnnalsInterchangeTests/Fixtures/pubmed-small.xml), checks its preview and confirms it;
  2. the research office returns the paper with an opinion and validates the project; the secretary sees the
     opinion in 我的待办 and on the paper's page;
  3. the office closes 2021 on /years; the annual report of 2021, counting validated records only, counts the
     project (1 national project, 52 万元), the month's operations and no paper, where every record counted gives
     the paper too.

A screenshot of every page goes to FOLDER (web-flow by default). Fails (exit 1) on a missing element, a wrong figure,
a browser console error, or English words in the labels, buttons, headings and menus of a page (see web-smoke.py).
"""
import argparse
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from browser_wait import left

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("web_smoke", os.path.join(HERE, "web-smoke.py"))
web_smoke = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(web_smoke)

PUBMED = os.path.join(HERE, "..", "Tests", "AnnalsInterchangeTests", "Fixtures", "pubmed-small.xml")
YEAR = 2021
# Words a Chinese page of this flow may show in Latin letters, beyond web-smoke's: names of formats.
LATIN_ALLOWED = web_smoke.LATIN_ALLOWED | {"PubMed", "EndNote", "CERIF", "XML", "CSV", "CNY", "PDF", "JPEG", "PNG"}

SEED = """<?xml version="1.0" encoding="UTF-8"?>
<registry xmlns="urn:annals:registry:1" version="2">
  <orgUnit id="hospital" kind="hospital">
    <name>Children's Hospital, Zhejiang University School of Medicine</name>
    <nameZH>浙江大学医学院附属儿童医院</nameZH>
    <affiliationPattern>Children's Hospital, Zhejiang University School of Medicine</affiliationPattern>
    <affiliationPattern>National Clinical Research Center for Child Health</affiliationPattern>
  </orgUnit>
  <orgUnit id="general-surgery" kind="department" parent="hospital">
    <name>General Surgery Department</name>
    <nameZH>普外科</nameZH>
  </orgUnit>
  <person id="gao-zhigang">
    <familyName>Gao</familyName>
    <givenName>Zhigang</givenName>
    <nameVariant kind="initials">Gao Z</nameVariant>
    <nameVariant kind="initials">Gao ZG</nameVariant>
    <nameVariant kind="chinese">高志刚</nameVariant>
    <clinicalRank>chief-physician</clinicalRank>
    <department ref="general-surgery"/>
  </person>
</registry>
"""

OFFICE = ("olga", "office-pass-2021")
SECRETARY = ("sam", "secretary-pass-2021")
PROJECT_TITLE = "儿童先天性巨结肠遗传机制研究"
OPINION = "第二作者单位与本院不符，请核对后重新提交。"
# The month grid: (procedure as typed, {approach: count}).
TALLIES = [("胆总管囊肿切除术", {"laparoscopic": "12", "open": "3"}), ("巨结肠根治术", {"laparoscopic": "7"})]
OPERATIONS = 12 + 3 + 7


def run(annals, env, *arguments, stdin=None):
    done = subprocess.run([annals, *arguments], input=stdin, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"annals {' '.join(arguments)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def registry(annals, work, postgres):
    """Makes the fresh registry; returns (environment naming it, description)."""
    env = dict(os.environ)
    if postgres:
        parts = urllib.parse.urlsplit(postgres)
        # A new database on the server; its password goes through the environment, never on a command line.
        if parts.password:
            env["PGPASSWORD"] = urllib.parse.unquote(parts.password)
        netloc = (parts.username or "") + "@" + (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
        database = "annals_flow_" + uuid.uuid4().hex[:12]
        env["ANNALS_DB"] = urllib.parse.urlunsplit((parts.scheme, netloc, "/" + database, parts.query, ""))
        shown = f"PostgreSQL database {database}"
    else:
        env["ANNALS_DB"] = os.path.join(work, "flow.sqlite")
        shown = "SQLite"
    run(annals, env, "init")
    seed = os.path.join(work, "seed.xml")
    with open(seed, "w", encoding="utf-8") as f:
        f.write(SEED)
    run(annals, env, "import", "registry", seed)
    run(annals, env, "user", "add", OFFICE[0], "--role", "office", "--password-stdin", stdin=OFFICE[1] + "\n")
    run(annals, env, "user", "add", SECRETARY[0], "--role", "secretary", "--department", "general-surgery",
        "--password-stdin", stdin=SECRETARY[1] + "\n")
    return env, shown


def serve(annals, env, port):
    process = subprocess.Popen([annals, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1).read()
            return process, url
        except OSError:
            if process.poll() is not None:
                sys.exit("annals serve stopped:\n" + process.stdout.read())
            time.sleep(0.1)
    process.kill()
    sys.exit(f"annals serve did not answer on {url}/healthz")


class Flow:
    """The browser, with the checks and helpers of one run."""

    def __init__(self, base, shots):
        self.base, self.shots, self.failures = base, shots, []
        options = Options()
        options.binary_location = "/usr/bin/chromium"
        for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--lang=zh-CN", "--hide-scrollbars"]:
            options.add_argument(argument)
        options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        self.count = 0

    def check(self, condition, what):
        print(("ok   " if condition else "FAIL ") + what, flush=True)
        if not condition:
            self.failures.append(what)
        return condition

    def shot(self, name, width=1280, own=()):
        """A screenshot of the whole page; checks the console and the page's Chinese labels (but for `own` texts:
        a paper's title, as its journal wrote it)."""
        d = self.driver
        self.count += 1
        d.set_window_size(width, 900)
        height = d.execute_script("return document.documentElement.scrollHeight")
        d.set_window_size(width, min(max(height + 100, 600), 4000))
        d.save_screenshot(os.path.join(self.shots, f"{self.count:02d}-{name}.png"))
        d.set_window_size(width, 900)
        if width >= 1280:
            below = d.execute_script("""
                const boxes = Array.from(document.querySelectorAll('nav > *'))
                    .map(e => e.getBoundingClientRect()).filter(r => r.width > 0 && r.height > 0);
                const first = Math.min(...boxes.map(r => r.top));
                return boxes.filter(r => r.top > first + 16).length""")
            self.check(below == 0, f"{name}: the menu fits one line at {width} px ({below} items on a second line)")
        # A refused form answers 422 on purpose; the browser logs that as an error, which it is not here.
        errors = [e["message"] for e in d.get_log("browser")
                  if e.get("level") == "SEVERE" and "status of 422" not in e["message"]]
        self.check(not errors, f"{name}: no console error {errors[:2]}")
        texts = d.execute_script("""
            return Array.from(document.querySelectorAll(
                'nav a, nav button, h1, h2, label, button, th, option, .label, .group, .pager, title, .notice,'
                + ' .message, .field-error, .hint, .opinion, .tag'))
                .filter(e => !e.closest('.report') && !e.closest('ul.papers') && !e.closest('datalist'))
                .map(e => e.tagName === 'OPTION' || e.tagName === 'TITLE' ? e.textContent : e.innerText)""")
        # A file's name is the user's own.
        for text in [os.path.basename(PUBMED), OFFICE[0], SECRETARY[0], *own]:
            texts = [(t or "").replace(text, "") for t in texts]
        stray = sorted({w for t in texts for w in re.findall(r"[A-Za-z]{3,}", t or "")} - LATIN_ALLOWED)
        self.check(not stray, f"{name}: no English words in the page's labels {stray[:12]}")

    def get(self, path):
        self.driver.get(self.base + path)

    def submit(self, element):
        """Clicks a form's button and waits for the next page."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        element.click()

        WebDriverWait(self.driver, 30).until(left(page))

    def find(self, selector):
        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def text(self):
        return self.find("main").text

    def sign_in(self, account):
        self.driver.delete_all_cookies()
        self.get("/signin?lang=zh")
        self.find("input[name='name']").send_keys(account[0])
        self.find("input[name='password']").send_keys(account[1])
        self.submit(self.find("form[action='/signin'] button"))
        self.check("/signin" not in self.driver.current_url, f"{account[0]} signed in")

    def fetch(self, path):
        """GETs `path` from the page, with the session's cookie, and returns (status, text)."""
        return self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text().then(t => done([r.status, t])))
                .catch(e => done([0, String(e)]));""", self.base + path)


def field(flow, key, value):
    element = flow.find(f"#f-{key}")
    if element.tag_name == "select":
        Select(element).select_by_visible_text(value)
    else:
        element.clear()
        element.send_keys(value)


def secretary_enters(flow, attachment_file):
    d = flow.driver
    flow.sign_in(SECRETARY)
    # A project, in Chinese. First without its title: refused, the reason at the field, nothing written.
    flow.get("/entry/projects/new?department=general-surgery")
    flow.check(flow.find("#f-departments").get_attribute("value") == "普外科", "project form: 普外科 filled in")
    values = {"funder": "国家自然科学基金委员会", "programme": "面上项目", "level": "国家级", "grant_number": "82171234",
              "principal_investigator": "高志刚", "start": "2021/3/1", "end": "2024/12/31", "amount": "52万",
              "status": "在研"}
    for key, value in values.items():
        field(flow, key, value)
    flow.submit(flow.find("form.entry button[type='submit']"))
    errors = d.find_elements(By.CSS_SELECTOR, ".field.invalid #e-title")
    flow.check(errors and re.search(r"[\u4e00-\u9fff]", errors[0].text),
               f"project without a title: refused at its field ({errors[0].text if errors else 'no message'})")
    flow.shot("project-refused")
    field(flow, "title", PROJECT_TITLE)
    flow.submit(flow.find("form.entry button[type='submit']"))
    flow.check(re.search(r"/projects/[^/?]+", d.current_url), f"project saved, its page shown ({d.current_url})")
    page = flow.text()
    flow.check(PROJECT_TITLE in page, "project page: its title")
    flow.check("52" in page and "万" in page, "project page: the grant in 万元")
    flow.check("国家级" in page, "project page: 国家级")
    flow.check("待审核" in page, "project page: waiting for validation (待审核)")
    project = urllib.parse.unquote(d.current_url.split("/projects/")[1].split("?")[0])
    flow.shot("project")

    # An attachment on the project's page: added, listed with its remove button, removed (a wrong file).
    flow.find("#f-attach").send_keys(attachment_file)
    flow.submit(flow.find("form[action='/records/attachments'] button[type='submit']"))
    names = [a.text for a in d.find_elements(By.CSS_SELECTOR, "section.attachments a[download]")]
    flow.check(names == ["立项通知书.png"], f"attachment listed ({names})")
    flow.shot("project-attachment")
    flow.submit(flow.find("form[action='/records/attachments/remove'] button"))
    flow.check(not d.find_elements(By.CSS_SELECTOR, "section.attachments a[download]"), "attachment removed")

    # A month of tallies through the grid.
    flow.get(f"/entry/tallies/month?department=general-surgery&month={YEAR}-03")
    for row, (procedure, counts) in enumerate(TALLIES):
        flow.find(f"input[name='p{row}']").send_keys(procedure)
        for approach, count in counts.items():
            flow.find(f"input[name='c{row}.{approach}']").send_keys(count)
    flow.find("input[name='source']").send_keys("手术室登记本")
    flow.submit(flow.find("main form[method='post'][action^='/entry/tallies/month'] button[type='submit']"))
    notice = d.find_elements(By.CSS_SELECTOR, ".notice")
    flow.check(notice and "3" in notice[0].text, f"tallies saved ({notice[0].text if notice else 'no notice'})")
    flow.check(not d.find_elements(By.CSS_SELECTOR, ".field-error"), "tallies: no error")
    shown = [e.get_attribute("value") for e in d.find_elements(By.CSS_SELECTOR, "table.grid td input")]
    flow.check(sorted(v for v in shown if v) == sorted(["12", "3", "7"]), f"the grid shows the month's counts {shown}")
    flow.shot("tallies-month")

    # A PubMed file: preview, then confirm.
    flow.get("/uploads?department=general-surgery")
    select = Select(flow.find("#f-kind"))
    pubmed = [o.get_attribute("value") for o in select.options if "PubMed" in o.text]
    flow.check(pubmed, "upload form: PubMed offered")
    select.select_by_value(pubmed[0])
    flow.find("#f-file").send_keys(os.path.abspath(PUBMED))
    flow.shot("upload-form")
    flow.submit(flow.find("form.entry button[type='submit']"))
    flow.check(d.find_elements(By.CSS_SELECTOR, "input[name='token']"), "upload preview: a confirm button")
    flow.shot("upload-preview")
    preview = flow.text()
    flow.submit(flow.find("form.entry button[type='submit']"))
    flow.check(not d.find_elements(By.CSS_SELECTOR, "input[name='token']"), "upload confirmed")
    flow.shot("upload-done")
    return project, preview


def paper_ids(flow):
    """The ids of the department's papers of YEAR, from the papers page."""
    flow.get(f"/papers?year={YEAR}&department=general-surgery")
    links = [a.get_attribute("href") for a in flow.driver.find_elements(By.CSS_SELECTOR, "ul.papers li a[href*='/papers/']")]
    flow.shot("papers")
    return sorted({urllib.parse.unquote(h.split("/papers/")[1].split("?")[0]) for h in links})


def office_checks(flow, project, papers):
    d = flow.driver
    flow.sign_in(OFFICE)
    flow.get("/tasks")
    tasks = flow.text()
    flow.check(PROJECT_TITLE in tasks, "office's tasks: the project waits")
    flow.shot("office-tasks")
    # The paper: returned with an opinion.
    flow.get(f"/papers/{urllib.parse.quote(papers[0])}")
    flow.find("form.workflow-actions textarea[name='opinion']").send_keys(OPINION)
    flow.submit(flow.find("form.workflow-actions button[formaction='/records/return']"))
    flow.check("已退回" in flow.text() and OPINION in flow.text(), "paper returned with the opinion")
    flow.shot("paper-returned", own=[flow.find("h1").text])
    # The project: validated.
    flow.get(f"/projects/{urllib.parse.quote(project)}")
    flow.submit(flow.find("form.workflow-actions button[formaction='/records/validate']"))
    flow.check("已审核通过" in flow.text(), "project validated")
    flow.shot("project-validated")


def secretary_sees_opinion(flow, papers):
    flow.sign_in(SECRETARY)
    flow.get("/tasks")
    flow.check(OPINION in flow.text(), "secretary's tasks: the returned paper with the opinion")
    flow.shot("secretary-tasks")
    flow.get(f"/papers/{urllib.parse.quote(papers[0])}")
    flow.check(OPINION in flow.text() and "已退回" in flow.text(), "paper page: returned, with the opinion")
    flow.shot("secretary-paper", own=[flow.find("h1").text])


def office_closes_and_reports(flow, papers):
    d = flow.driver
    flow.sign_in(OFFICE)
    flow.get("/years")
    year = flow.find("form[action='/years/close'] input[name='year']")
    year.clear()
    year.send_keys(str(YEAR))
    flow.submit(flow.find("form[action='/years/close'] button"))
    flow.check(d.find_elements(By.CSS_SELECTOR, "form[action='/years/reopen'] input[value='%d']" % YEAR),
               f"{YEAR} closed")
    flow.shot("years")

    flow.get(f"/reports?year={YEAR}&validated=1")
    report = flow.text()
    flow.shot("report-validated")
    return report


def report_json(flow, validated):
    status, body = flow.fetch(f"/downloads/report?year={YEAR}&format=json&lang=zh&validated={validated}")
    flow.check(status == 200, f"the report as JSON (validated={validated}) answers ({status})")
    return json.loads(body) if status == 200 else {}


def report_figures(flow, page, validated, everything):
    """The annual report counts the validated project and the month's operations, not the returned paper."""
    check = flow.check
    check(validated.get("validatedOnly") is True, "report JSON: validated records only")
    projects = validated.get("projects", {})
    check(projects.get("new") == 1 and projects.get("ongoing") == 1,
          f"report: 1 new project, 1 ongoing ({projects.get('new')}, {projects.get('ongoing')})")
    # The JSON carries values (the level's id, the amount as currency and decimal); the page carries the words.
    levels = [(line["level"], line["new"], [(a["currency"], a["amount"]) for a in line["awarded"]])
              for line in projects.get("byLevel", [])]
    check(levels == [("national", 1, [("CNY", "520000")])], f"report: national 1 new, CNY 520000 awarded ({levels})")
    titles = [line["title"] for line in projects.get("list", [])]
    check(titles == [PROJECT_TITLE], f"report: the project listed ({titles})")
    papers, all_papers = validated.get("publications", {}), everything.get("publications", {})
    check(papers.get("total") == 0, f"report: the returned paper is not counted ({papers.get('total')} papers)")
    check(all_papers.get("total") == 1,
          f"report of every record: the returned paper is counted there ({all_papers.get('total')} papers)")
    cases = validated.get("cases", {})
    check(cases.get("total", {}).get("count") == OPERATIONS,
          f"report: {OPERATIONS} operations ({cases.get('total')})")
    top = sorted((t["procedure"], t["approach"], t["count"]["count"]) for t in cases.get("top", []))
    expected = sorted([("胆总管囊肿切除术", "laparoscopic", 12), ("胆总管囊肿切除术", "open", 3), ("巨结肠根治术", "laparoscopic", 7)])
    check(top == expected, f"report: the operations by procedure and approach ({top})")
    # The page says the same, in Chinese, and says what it counts.
    check("仅统计已审核通过的记录" in page, "report page: says it counts validated records only")
    check("52万元" in page and PROJECT_TITLE in page, "report page: the project and its 52万元")
    check(re.search(r"手术总量：\s*≥\s*%d例" % OPERATIONS, page), f"report page: {OPERATIONS} operations")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annals", default=".build/debug/annals")
    parser.add_argument("--shots", default="web-flow")
    parser.add_argument("--postgres", default=os.environ.get("ANNALS_FLOW_POSTGRES_URL"),
                        help="a PostgreSQL server's URL (postgres://USER:PASSWORD@HOST:PORT/DB): the registry is a "
                             "new database there")
    parser.add_argument("--port", type=int, default=0, help="the port to serve on (a free one by default)")
    args = parser.parse_args()
    started = time.monotonic()
    annals = os.path.abspath(args.annals)
    work = tempfile.mkdtemp(prefix="annals-web-flow-")
    os.makedirs(args.shots, exist_ok=True)
    for old in os.listdir(args.shots):
        if old.endswith(".png"):
            os.remove(os.path.join(args.shots, old))
    env, shown = registry(annals, work, args.postgres)
    print(f"registry: {shown}", flush=True)
    server, base = serve(annals, env, args.port or web_smoke.free_port())
    flow = None
    try:
        flow = Flow(base, args.shots)
        attachment = os.path.join(work, "立项通知书.png")
        with open(attachment, "wb") as f:
            f.write(bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(64))
        project, preview = secretary_enters(flow, attachment)
        papers = paper_ids(flow)
        flow.check(len(papers) == 1, f"one paper of {YEAR} imported ({papers})")
        office_checks(flow, project, papers)
        secretary_sees_opinion(flow, papers)
        page = office_closes_and_reports(flow, papers)
        validated, everything = report_json(flow, 1), report_json(flow, 0)
        report_figures(flow, page, validated, everything)
    finally:
        if flow:
            flow.driver.quit()
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    failures = flow.failures if flow else ["the browser did not start"]
    print(f"{len(failures)} failed" if failures else "all passed",
          f"({time.monotonic() - started:.0f} s, {shown}; screenshots in {args.shots})")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
