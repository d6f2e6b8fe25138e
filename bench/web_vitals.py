#!/usr/bin/env python
"""``make bench``: Core Web Vitals as a council officer on a phone feels them.

Builds a throwaway SQLite database with the demo data (``seed_demo``),
collects the static files, serves the app with daphne (as ``make run``
does), and loads the main pages in Chromium on a throttled mobile profile:
412×823 viewport, 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, CPU
slowed 4× (Lighthouse's "slow 4G" mobile). Largest Contentful Paint and
Cumulative Layout Shift come from the browser's own PerformanceObserver.

Targets (issue 8): LCP ≤ 2.5 s, CLS < 0.1. Timing belongs here, not in
``make test``: a loaded CI machine would make a timed test flaky. The browser
tests check layout shift, which does not depend on speed.

    .venv/bin/python bench/web_vitals.py [--runs 3]

Writes ``bench/results/web_vitals.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

from bench.asgi_server import daphne  # noqa: E402

PAGES = [
    ("Home", "/"),
    ("Initiative catalogue", "/initiatives/"),
    ("Catalogue search", "/initiatives/?q=waste"),
    ("Council directory", "/councils/"),
]
LCP_TARGET_MS = 2500
CLS_TARGET = 0.1
OBSERVE = """
window.__vitals = {lcp: 0, cls: 0};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__vitals.lcp = entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.__vitals.cls += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def _chromium() -> str:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "chromium"


def measure(base_url: str, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    results = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium())
        for label, path in PAGES:
            lcps, clss, weights = [], [], []
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 412, "height": 823})
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                cdp.send(
                    "Network.emulateNetworkConditions",
                    {
                        "offline": False,
                        "latency": 150,
                        "downloadThroughput": 1.6 * 1024 * 1024 / 8,
                        "uploadThroughput": 750 * 1024 / 8,
                    },
                )
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
                page.add_init_script(OBSERVE)
                page.goto(base_url + path, wait_until="load")
                page.wait_for_timeout(1500)
                vitals = page.evaluate("window.__vitals")
                weight = page.evaluate(
                    "performance.getEntriesByType('resource')"
                    ".reduce((sum, r) => sum + r.transferSize, 0)"
                    " + performance.getEntriesByType('navigation')[0].transferSize"
                )
                lcps.append(vitals["lcp"])
                clss.append(vitals["cls"])
                weights.append(weight)
                context.close()
            results.append(
                {
                    "page": label,
                    "path": path,
                    "lcp_ms": round(statistics.median(lcps)),
                    "cls": round(max(clss), 3),
                    "kib": round(statistics.median(weights) / 1024),
                    "runs": runs,
                }
            )
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="collab-vitals-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "collab_platform.settings",
    }
    env.pop("REDIS_URL", None)  # the embedded defaults, as make run serves them
    python = sys.executable
    for command in (["migrate", "--noinput"], ["seed_demo"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [python, "manage.py", *command, "--verbosity", "0"],
            cwd=BASE_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    try:
        with daphne(env) as port:
            results = measure(f"http://127.0.0.1:{port}", args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = BASE_DIR / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "web_vitals.json").write_text(json.dumps(results, indent=2) + "\n")
    print("\n| Page | LCP (median) | CLS (worst) | Transferred |")
    print("|---|---|---|---|")
    for r in results:
        lcp_flag = "" if r["lcp_ms"] <= LCP_TARGET_MS else " (over 2.5 s)"
        cls_flag = "" if r["cls"] < CLS_TARGET else " (over 0.1)"
        print(
            f"| {r['page']} | {r['lcp_ms']} ms{lcp_flag} | {r['cls']}{cls_flag} | {r['kib']} KiB |"
        )


if __name__ == "__main__":
    main()
