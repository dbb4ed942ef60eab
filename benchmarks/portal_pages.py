"""The reader's portal seen in Chromium: screenshots for review (`invoke screenshots`) and the
compressed weight of an article page (`invoke page-weight`), over a fresh build of content/.

Page weight counts what the browser loads for the page (HTML, CSS, JS, fonts; images
excluded), each response gzip-compressed at level 9 as the web server sends it precompressed
(woff2 is already compressed: the smaller of raw and gzip is counted)."""

import gzip
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from .browser import launch, serve

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = "2022/06/22/ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022.html"
# name: URL path below the site root. The search page exists once plugins add /tim-kiem/.
PAGES = {
    "home": "",
    "article": SEED_ARTICLE,
    "day-archive": "2022/06/22/",
    "campaign": "chien-dich/thang-hanh-dong-vi-binh-dang-gioi/",
    "search": "tim-kiem/",
}
WIDTHS = (390, 1280)
WEIGHT_BUDGET = 100 * 1024


def build(output, content=ROOT / "content"):
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"),
               "-o", str(output), "--fatal", "errors"]
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    if completed.returncode:
        raise SystemExit(f"build failed:\n{completed.stdout}{completed.stderr}")


def exists(site, path):
    target = Path(site) / path
    return (target / "index.html").is_file() if path == "" or path.endswith("/") else target.is_file()


def screenshots(out_dir, site=None):
    """Write <name>-<width>.png for every page of PAGES that the build has; returns the paths."""
    from playwright.sync_api import sync_playwright

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        if site is None:
            site = Path(tmp) / "output"
            build(site)
        browser = launch(playwright)
        try:
            with serve(site) as base:
                for name, path in PAGES.items():
                    if not exists(site, path):
                        print(f"skipped {name}: /{path} is not in this build")
                        continue
                    for width in WIDTHS:
                        context = browser.new_context(viewport={"width": width, "height": 900},
                                                      locale="vi-VN", device_scale_factor=1)
                        page = context.new_page()
                        page.goto(f"{base}/{path}", wait_until="networkidle")
                        page.evaluate("document.fonts.ready")
                        target = out_dir / f"{name}-{width}.png"
                        page.screenshot(path=str(target), full_page=True)
                        context.close()
                        written.append(target)
        finally:
            browser.close()
    return written


def page_weight(path=SEED_ARTICLE, site=None):
    """[(url, kind, raw bytes, compressed bytes)] for everything the page loads except images."""
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        if site is None:
            site = Path(tmp) / "output"
            build(site)
        browser = launch(playwright)
        try:
            with serve(site) as base:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                responses = []
                page.on("response", lambda response: responses.append(response))
                page.goto(f"{base}/{path}", wait_until="networkidle")
                page.evaluate("document.fonts.ready")
                for response in responses:
                    kind = response.request.resource_type
                    if kind == "image":
                        continue
                    body = response.body()
                    packed = min(len(body), len(gzip.compress(body, 9, mtime=0)))
                    rows.append((urlsplit(response.url).path, kind, len(body), packed))
                context.close()
        finally:
            browser.close()
    return rows


def report_weight(rows):
    total = sum(row[3] for row in rows)
    for url, kind, raw, packed in rows:
        print(f"{kind:>10} {raw:>8,} B raw {packed:>8,} B compressed  {url}")
    verdict = "within" if total <= WEIGHT_BUDGET else "OVER"
    print(f"article page weight: {total:,} B compressed ({total / 1024:.1f} KB), "
          f"{verdict} the {WEIGHT_BUDGET // 1024} KB budget; {len(rows)} requests")
    return total
