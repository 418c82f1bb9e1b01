#!/usr/bin/env python3
"""Times every page and API route of `annals serve` on the demo registry, signed in (a benchmark, not a test).

    swift build -c release --scratch-path .build-bench --product annals
    scripts/bench-web.py [--annals .build-bench/release/annals] [-n 50]

Builds the demo registry in a temporary folder and serves it from the given binary (a release build, in
the scratch folder the other benchmarks use) on a free port of 127.0.0.1, signs in as the demo account (the research
office's role; the API takes the same session cookie). Each route is asked N times one after the other (after one warm-up request) over one keep-alive connection; prints the
median and the 95th percentile in milliseconds, the status and the size of the answer.

Target (issue 17): every page answers in under 100 ms on the demo registry. The exit status is 1 when a route's
median is over the target or a route does not answer 200.
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

TARGET_MS = 100.0

PROCEDURE = urllib.parse.quote("胆总管囊肿切除术")
ROUTES = [
    "/healthz",
    "/signin",
    "/assets/app.css",
    "/",
    "/?year=2024&department=general-surgery",
    "/papers",
    "/papers?sci=1",
    "/papers?q=laparoscopic",
    "/cases",
    f"/cases?procedure={PROCEDURE}",
    f"/cases?procedure={PROCEDURE}&by=year",
    "/reports",
    "/reports?department=general-surgery",
    "/downloads/report?format=markdown",
    "/downloads/report?format=docx",
    "/downloads/profile?department=general-surgery&format=docx",
    "/downloads/table?table=papers",
    "/downloads/table?table=tallies",
    "/downloads/template?kind=papers",
    "/api/openapi.json",
    f"/api/cases?procedure={PROCEDURE}",
    "/api/publications",
    "/api/stats?year=2024",
    "/api/history",
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annals", default=".build-bench/release/annals")
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="annals-bench-web-")
    port = free_port()
    server = subprocess.Popen(
        [args.annals, "demo", "--serve", "--port", str(port), "--out", os.path.join(work, "demo")],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        user = password = None
        for line in server.stdout:
            if line.startswith("Sign in as:"):
                user = line.split(":", 1)[1].strip()
            if line.startswith("Password:"):
                password = line.split(":", 1)[1].split()[0]
                break
        if not (user and password):
            sys.exit("annals demo --serve printed no account")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(100):
            try:
                connection.request("GET", "/healthz")
                connection.getresponse().read()
                break
            except OSError:
                connection.close()
                time.sleep(0.1)
        # Sign in through the form, as a browser does.
        connection.request("GET", "/signin")
        response = connection.getresponse()
        form = response.read().decode()
        cookie = response.getheader("Set-Cookie").split(";")[0]
        csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
        body = urllib.parse.urlencode({"csrf": csrf, "name": user, "password": password, "next": "/"})
        connection.request("POST", "/signin", body, {
            "Cookie": cookie, "Origin": f"http://127.0.0.1:{port}", "Sec-Fetch-Site": "same-origin",
            "Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        response.read()
        session = [c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if "Max-Age=0" not in c]
        headers = {"Cookie": "; ".join(session), "Accept-Language": "zh-CN"}
        print(f"annals serve, demo registry, signed in as {user} (office); {args.n} requests per route, one at a time")
        print(f"{'route':<62} {'median ms':>9} {'p95 ms':>8} {'status':>6} {'bytes':>8}")
        over = []
        for route in ROUTES:
            times = []
            status = size = 0
            for i in range(args.n + 1):
                start = time.perf_counter()
                connection.request("GET", route, headers=headers)
                response = connection.getresponse()
                data = response.read()
                elapsed = (time.perf_counter() - start) * 1000
                status, size = response.status, len(data)
                if i > 0:
                    times.append(elapsed)
            times.sort()
            median = statistics.median(times)
            p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
            shown = urllib.parse.unquote(route)
            print(f"{shown:<62} {median:>9.1f} {p95:>8.1f} {status:>6} {size:>8}")
            if median > TARGET_MS or status != 200:
                over.append(shown)
        print(f"target: every route's median under {TARGET_MS:.0f} ms; "
              + (f"over it or failing: {', '.join(over)}" if over else "all within it"))
        return 1 if over else 0
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
