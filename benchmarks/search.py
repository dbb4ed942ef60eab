"""`invoke bench-search`: the archive's search against the brute-force reference and
against Pagefind 1.5.2, on the same archive, in headless Chromium (issue 9).

For each archive size: index build time and peak memory (a separate process), total size,
file count and largest file; for 10,000 articles (or with full_build) the full Pelican
build with and without the search plugin; then for every query of QUERIES, cold (fresh
browser profile) and warm (same profile, page loaded again): bytes fetched (counted by the
HTTP server), time to the first 10 results (measured in the page), recall and precision
of the result set against plugins.site_search.reference.
"""

import contextlib
import datetime as _dt
import functools
import html
import http.server
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from . import nginx
from .browser import launch
from .search_corpus import parsed_articles, read_documents, write_search_archive

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "builds" / "bench-search"
INDEX_DIR = "tim-kiem/chi-muc"
# Pagefind at 100,000 articles needed minutes and ~15 GB (issue 9); past these it is reported
# as timed out rather than holding the run.
PAGEFIND_INDEX_TIMEOUT = 900
PAGEFIND_QUERY_TIMEOUT_MS = 30000
# All Pagefind queries of one archive together: past it the remaining ones are not run.
PAGEFIND_QUERIES_BUDGET_SECONDS = 900

# Fixed list: common and rare words, names, unaccented text, đ-words, tone placements,
# quoted phrases (2-4 syllables), filters and date sort. Written before tuning, kept fixed.
QUERIES = [
    {"q": "bình đẳng giới"},
    {"q": "binh dang gioi"},
    {"q": "BÌNH ĐẲNG GIỚI"},
    {"q": '"bình đẳng giới"'},
    {"q": "phường"},
    {"q": "duong"},
    {"q": "đường"},
    {"q": "Đống Đa"},
    {"q": "dong da"},
    {"q": "Tích Sơn"},
    {"q": "ma túy"},
    {"q": "ma tuý"},
    {"q": '"phòng chống bạo lực"'},
    {"q": "chuyển đổi số"},
    {"q": '"chuyen doi so"'},
    {"q": "giao thông", "campaign": "nam-an-toan-giao-thong"},
    {"q": "tuyên truyền", "category": "tuyen-truyen"},
    {"q": "đảng viên"},
    {"q": "dang vien"},
    {"q": "Hà Nội"},
    {"q": "ha noi"},
    {"q": "Covid"},
    {"q": "giáo dục"},
    {"q": '"học sinh"'},
    {"q": "Vinamilk"},
    {"q": "số 4242"},
    {"q": "phụ nữ"},
    {"q": '"phụ nữ"'},
    {"q": "trẻ em", "sort": "date"},
    {"q": "nhân dân", "fromYear": 2015, "toYear": 2018},
    {"q": "văn minh đô thị"},
    {"q": '"đại đoàn kết toàn dân tộc"'},
    {"q": "khởi công", "fromYear": 2020},
    {"q": "thủy"},
    {"q": "hoà"},
    {"q": "thuong mai"},
]


# --- serving and counting -------------------------------------------------------------------


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.bytes = {}
            self.requests = 0

    def add(self, path, size):
        with self.lock:
            self.requests += 1
            self.bytes[path] = self.bytes.get(path, 0) + size

    def total(self, contains=""):
        with self.lock:
            return sum(size for path, size in self.bytes.items() if contains in path)


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    # HTTP/1.1 keep-alive, like any production server (HTTP/1.0 opens a connection per file).
    protocol_version = "HTTP/1.1"
    counter = None

    def copyfile(self, source, outputfile):
        data = source.read()
        outputfile.write(data)
        self.counter.add(self.path.split("?")[0], len(data))

    def log_message(self, *args):
        pass


def serve(folder, counter):
    handler = functools.partial(type("H", (CountingHandler,), {"counter": counter}), directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    return httpd, thread, f"http://127.0.0.1:{httpd.server_address[1]}"


@contextlib.contextmanager
def serving(folder, server, work):
    """(base URL, counter) of ``folder`` served by nginx (``server`` "nginx": as the portal
    serves it, with the build's .gz copies) or by this process ("python": no compression)."""
    if server == "nginx":
        with nginx.serving(folder, work / "nginx") as served:
            yield served
        return
    counter = Counter()
    httpd, thread, base = serve(folder, counter)
    try:
        yield base, counter
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


# --- building ------------------------------------------------------------------------------


def timed(command, timeout=None):
    """Run ``command`` under /usr/bin/time: (seconds, peak RSS MB, stdout, CPU seconds: user +
    system of the process and the children it waited for). Past ``timeout`` seconds its whole
    process group is killed and subprocess.TimeoutExpired raised."""
    started = time.perf_counter()
    process = subprocess.Popen(["/usr/bin/time", "-f", "MAXRSS %M CPU %U %S", *command], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed:\n{stdout[-3000:]}{stderr[-3000:]}")
    found = re.findall(r"MAXRSS (\d+) CPU ([\d.]+) ([\d.]+)", stderr)
    rss, cpu = (int(found[-1][0]) / 1024, float(found[-1][1]) + float(found[-1][2])) if found else (0.0, 0.0)
    return elapsed, rss, stdout, cpu


def pelican(content, output, extra=None):
    command = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"), "-o", str(output),
               "--fatal", "errors"]
    extra = dict({"SCHEDULE_NOW": "01/01/2030 08:00"}, **(extra or {}))
    command += ["-e", *(f"{k}={json.dumps(v)}" for k, v in extra.items())]
    if output.exists():
        shutil.rmtree(output)
    return timed(command)


def tree_size(folder):
    """(files, bytes, largest file) below ``folder``, the ``.gz`` copies of the site's text
    files (plugins.precompress) left out: the index's own size, as the build reports it."""
    files = [p for p in Path(folder).rglob("*") if p.is_file() and p.suffix != ".gz"]
    return len(files), sum(p.stat().st_size for p in files), max((p.stat().st_size for p in files), default=0)


def precompress_index(folder):
    """The ``.gz`` copies plugins.precompress writes for the text files of ``folder``, with
    the site's settings (its extensions, pelicanconf's level)."""
    from pelicanconf import PRECOMPRESS_LEVEL
    from plugins.precompress.gzipped import text_files, write_gzipped
    from plugins.precompress.precompress import DEFAULTS

    for rel in text_files(str(folder), tuple(DEFAULTS["PRECOMPRESS_EXTENSIONS"][0])):
        write_gzipped(str(folder), rel, PRECOMPRESS_LEVEL)


def pagefind_site(raw, categories, campaigns, folder):
    """Plain HTML pages of the same articles for Pagefind (title, summary, body; filters, date sort)."""
    if folder.exists():
        shutil.rmtree(folder)
    slug_of = {name: slug for name, slug in categories}
    for date, _, slug, title, summary, body, category, camps in raw:
        path = folder / f"{date:%Y}/{date:%m}/{date:%d}/{slug}.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        filters = "".join(f'<span data-pagefind-filter="campaign">{campaigns[c][1]}</span>' for c in camps)
        if category:
            filters += f'<span data-pagefind-filter="category">{slug_of[category]}</span>'
        path.write_text(
            f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title></head>'
            f'<body><main data-pagefind-body><h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p>{body}'
            f'<div hidden>{filters}<span data-pagefind-sort="date">{date:%Y-%m-%dT%H:%M}</span></div></main></body></html>',
            encoding="utf-8")
    (folder / "bench.html").write_text('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"></head><body></body></html>',
                                       encoding="utf-8")


# --- measuring in the browser -----------------------------------------------------------------

PAGEFIND_JS = """async (p) => {
  const t0 = performance.now();
  const work = (async () => {
    const pf = await import(p.module);
    await pf.init();
    const options = {};
    if (p.filters) options.filters = p.filters;
    if (p.sort) options.sort = {date: "desc"};
    const search = await pf.search(p.q, options);
    const top = await Promise.all(search.results.slice(0, 10).map(r => r.data()));
    const ms = performance.now() - t0;
    return {ms, total: search.results.length, top: top.map(d => d.url), ids: search.results.map(r => r.id)};
  })();
  const late = new Promise(resolve => setTimeout(() => resolve({timedOut: true}), p.timeout));
  return Promise.race([work, late]);
}"""
URL_TAIL = re.compile(r"(\d{4}/\d{2}/\d{2}/[^/?#]+\.html)")


def query_string(spec):
    from urllib.parse import urlencode

    names = {"q": "q", "campaign": "chien-dich", "category": "chuyen-muc", "fromYear": "tu-nam", "toYear": "den-nam"}
    params = {names[k]: v for k, v in spec.items() if k in names}
    if spec.get("sort") == "date":
        params["sap-xep"] = "ngay"
    return urlencode(params)


# Bytes the page had received when its first 10 results were shown (Resource Timing: body
# sizes of the page and of every response that ended before siteSearch.firstResultsAt);
# the per-filter counts are computed after that and are in "bytes" (everything to "done").
FIRST_RESULTS_JS = """(indexPath) => {
  const at = siteSearch.firstResultsAt;
  let bytes = performance.getEntriesByType("navigation")[0].encodedBodySize, index = 0;
  for (const entry of performance.getEntriesByType("resource")) {
    if (entry.responseEnd > at) continue;
    bytes += entry.encodedBodySize;
    if (new URL(entry.name).pathname.includes(indexPath)) index += entry.encodedBodySize;
  }
  return {bytes, index};
}"""


# The search page says it is done on the console: waiting for a selector instead would run
# Playwright's injected script in the page while the query is being answered (measured on
# 10,000 articles: some 30 ms more per cold query, a cost no reader's browser has).
DONE_MESSAGE = "bench: search done"
DONE_SCRIPT = """new MutationObserver(function (records, observer) {
  var root = document.querySelector("[data-search]");
  if (root && root.getAttribute("data-search-state") === "done") {
    observer.disconnect();
    console.debug(%s);
  }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-search-state"]});""" % json.dumps(DONE_MESSAGE)


def measure_ours(browser, base, counter, spec):
    context = browser.new_context()
    context.add_init_script(DONE_SCRIPT)
    try:
        page = context.new_page()
        url = f"{base}/site/tim-kiem/?{query_string(spec)}"
        runs = {}
        for label in ("cold", "warm"):
            counter.reset()
            started = time.perf_counter()
            with page.expect_console_message(lambda message: message.text == DONE_MESSAGE, timeout=300000):
                page.goto(url, wait_until="commit")
            wall = time.perf_counter() - started
            first = page.evaluate(FIRST_RESULTS_JS, "/" + INDEX_DIR + "/")
            runs[label] = {"ms": page.evaluate("siteSearch.lastTiming"), "wall_ms": wall * 1000,
                           "bytes": counter.total(), "index_bytes": counter.total("/" + INDEX_DIR + "/"),
                           "first_bytes": first["bytes"], "first_index_bytes": first["index"],
                           "requests": counter.requests}
        params = {k: v for k, v in spec.items()}
        ids = page.evaluate("p => siteSearch.search(p).then(r => r.ids)", params)
        return runs, ids
    finally:
        context.close()


def pagefind_urls(folder):
    """{page id: URL} from Pagefind's fragment files (gzip, JSON after a signature): the
    full result set's URLs without fetching a fragment per result in the page."""
    import gzip

    urls = {}
    for path in (Path(folder) / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        data = data[data.index(b"{"):]
        urls[path.stem] = json.loads(data)["url"]
    return urls


def measure_pagefind(browser, base, counter, spec, urls):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/pf/bench.html")
        filters = {k: spec[k] for k in ("campaign", "category") if spec.get(k)}
        args = {"module": f"{base}/pf/pagefind/pagefind.js", "q": spec["q"], "filters": filters or None,
                "sort": spec.get("sort") == "date", "timeout": PAGEFIND_QUERY_TIMEOUT_MS}
        runs, ids = {}, None
        for label in ("cold", "warm"):
            if label == "warm":
                page.goto(f"{base}/pf/bench.html")
            counter.reset()
            result = page.evaluate(PAGEFIND_JS, args)
            if result.get("timedOut"):
                runs[label] = {"timed_out_ms": PAGEFIND_QUERY_TIMEOUT_MS, "bytes": counter.total("/pf/pagefind/"),
                               "requests": counter.requests}
                break
            runs[label] = {"ms": result["ms"], "bytes": counter.total("/pf/pagefind/"), "requests": counter.requests,
                           "total": result["total"]}
            ids = result["ids"]
        if ids is None:
            return runs, None
        found = [urls.get(i, "") for i in ids]
        return runs, [m.group(1) for m in map(URL_TAIL.search, found) if m]
    finally:
        context.close()


def recall_precision(found, expected):
    found, expected = set(found), set(expected)
    hit = len(found & expected)
    return (hit / len(expected) if expected else 1.0), (hit / len(found) if found else 1.0)


# --- the run -----------------------------------------------------------------------------------


def run(count, pagefind=True, full_build=None, browser_runs=True, reuse=False, server="nginx"):
    """All figures for an archive of ``count`` articles. ``reuse``: keep the full Pelican builds
    of an earlier run of the same archive (their figures are marked "reused"); ``server``:
    "nginx" (the default; this process's own server when nginx is not installed) or "python"."""
    from plugins.site_search import reference
    from plugins.site_search.decoder import IndexReader
    from plugins.site_search.ranking import Filters

    full_build = count <= 10000 if full_build is None else full_build
    work = WORK / str(count)
    content = work / "content"
    marker = work / "content.complete"
    if not marker.exists():
        if content.exists():
            shutil.rmtree(content)
        print(f"writing {count} articles to {content} ...", flush=True)
        write_search_archive(content, count)
        marker.write_text("ok")
    figures = {"articles": count, "date": _dt.date.today().isoformat()}

    # The Markdown is read once (here) and its parse kept in the work folder: the index
    # builds, the reference and Pagefind's pages all start from it.
    parsed = work / "parsed.pickle"
    raw, read_seconds = parsed_articles(content, parsed)
    figures["markdown_read_seconds"] = round(read_seconds, 1)

    print("index build (separate process, no cache) ...", flush=True)
    standalone = work / "standalone-index"
    cache = work / "cache"
    if cache.exists():
        shutil.rmtree(cache)
    index_command = [sys.executable, "-m", "benchmarks.search_index", str(content), str(standalone), str(cache),
                     str(parsed)]
    _, rss, out, _ = timed(index_command)
    figures["index"] = dict(json.loads(out.strip().splitlines()[-1]), peak_rss_mb=round(rss, 1))
    _, _, out, _ = timed(index_command)
    cached = json.loads(out.strip().splitlines()[-1])
    figures["index_rebuild_cached"] = {k: cached.get(k) for k in ("analyse_seconds", "encode_seconds", "write_seconds",
                                                                   "index_seconds", "cache_hits", "cache_misses")}

    site = work / "serve" / "site"
    checkpoint = work / "full_build.json"
    if full_build and reuse and checkpoint.exists() and (site / INDEX_DIR / "index.json").exists():
        figures["full_build"] = dict(json.loads(checkpoint.read_text()), reused=True)
    elif full_build:
        print("full Pelican builds, interleaved: without site_search, with it (analysis cache cold), without, "
              "with it (cache warm) ...", flush=True)
        from pelicanconf import PLUGINS

        without = work / "without-search"
        build_cache = work / "build-cache"
        if build_cache.exists():
            shutil.rmtree(build_cache)
        # The other per-article caches (reading, campaigns, event dates) are off in all four
        # builds: their warmth would otherwise differ between the two plugin lists (each list
        # is another reading environment) and blur what the search plugin itself costs.
        others = {"VN_READER_CACHE_PATH": "", "CAMPAIGNS_CACHE_PATH": "", "EVENT_DATES_CACHE_PATH": ""}
        runs_without = []
        for step in ("cold", "warm"):
            runs_without.append(pelican(content, without, {
                **others, "PLUGINS": [p for p in PLUGINS if p != "plugins.site_search"]}))
            shutil.rmtree(without)
            if step == "cold":
                cold_seconds, cold_rss, _, cold_cpu = pelican(content, site, {**others, "SITE_SEARCH_CACHE_PATH": str(build_cache)})
            else:
                warm_seconds, warm_rss, _, warm_cpu = pelican(content, site, {**others, "SITE_SEARCH_CACHE_PATH": str(build_cache)})
        # each build with the plugin against the build without it just before it
        without_seconds, without_rss = min(r[0] for r in runs_without), max(r[1] for r in runs_without)
        figures["full_build"] = {
            "without_search_runs_seconds": [round(r[0], 1) for r in runs_without],
            "overhead_against_previous_percent": [
                round(100 * (cold_seconds - runs_without[0][0]) / runs_without[0][0], 1),
                round(100 * (warm_seconds - runs_without[1][0]) / runs_without[1][0], 1)],
            "without_search_seconds": round(without_seconds, 1),
            "with_search_seconds": round(cold_seconds, 1),
            "overhead_percent": round(100 * (cold_seconds - without_seconds) / without_seconds, 1),
            "with_search_warm_cache_seconds": round(warm_seconds, 1),
            "overhead_warm_cache_percent": round(100 * (warm_seconds - without_seconds) / without_seconds, 1),
            "peak_rss_mb": round(max(cold_rss, warm_rss), 1), "without_search_peak_rss_mb": round(without_rss, 1),
            # CPU (user + system, the render and encoding processes included) is steadier than
            # wall time on a shared machine; the overhead in CPU against the cheaper run without.
            "without_search_cpu_seconds": [round(r[3], 1) for r in runs_without],
            "with_search_cpu_seconds": [round(cold_cpu, 1), round(warm_cpu, 1)],
            "cpu_overhead_percent": [round(100 * (cpu - min(r[3] for r in runs_without)) / min(r[3] for r in runs_without), 1)
                                     for cpu in (cold_cpu, warm_cpu)]}
        checkpoint.write_text(json.dumps(figures["full_build"]))
    else:
        # The page and the theme from a one-article build; the index from the standalone build.
        tiny = work / "tiny-content"
        if tiny.exists():
            shutil.rmtree(tiny)
        first = sorted(content.rglob("*.md"))[0]
        (tiny / "a").mkdir(parents=True)
        shutil.copy(first, tiny / "a" / first.name)
        pelican(tiny, site, {"SITE_SEARCH_CACHE_PATH": ""})
        shutil.rmtree(site / INDEX_DIR)
        shutil.copytree(standalone, site / INDEX_DIR)
        # What the build's precompress plugin gives the real site's index: a .gz copy of each
        # text file (index.json, the metadata chunks), which nginx's gzip_static serves. Without
        # them this site sent the metadata uncompressed, unlike the 10k site and production.
        precompress_index(site / INDEX_DIR)
    files, size, largest = tree_size(site / INDEX_DIR)
    figures["index"].update(files=files, bytes=size, largest_file=largest)

    if pagefind:
        # Before the reference is loaded: Pagefind needs GBs of its own at 100,000 articles.
        print("Pagefind 1.5.2 index ...", flush=True)
        from .search_corpus import campaign_registry
        from plugins.vntext import slugify, sort_key

        pf = work / "serve" / "pf"
        names = sorted({r[6] for r in raw if r[6]}, key=sort_key)
        pagefind_site(raw, [(name, slugify(name)) for name in names], campaign_registry(content), pf)
        del raw
        try:
            seconds, rss, _, _ = timed([sys.executable, "-m", "pagefind", "--site", str(pf), "--output-subdir",
                                     "pagefind", "--quiet"], timeout=PAGEFIND_INDEX_TIMEOUT)
        except subprocess.TimeoutExpired:
            figures["pagefind_index"] = {"timed_out_seconds": PAGEFIND_INDEX_TIMEOUT}
            pagefind = False
        else:
            pf_files, pf_size, pf_largest = tree_size(pf / "pagefind")
            figures["pagefind_index"] = {"seconds": round(seconds, 1), "peak_rss_mb": round(rss, 1),
                                         "files": pf_files, "bytes": pf_size, "largest_file": pf_largest}
    raw = None

    print("the archive's documents for the reference ...", flush=True)
    docs, categories, campaigns, analyzer, _, _, _ = read_documents(content, None, parsed, keep_raw=False,
                                                                    processes=os.cpu_count() or 1)
    site_index = IndexReader(site / INDEX_DIR)
    urls_of_site = [site_index.meta(n)[0] for n in range(site_index.manifest["docs"])]
    assert len(urls_of_site) == site_index.manifest["docs"] == len(docs), "site and reference disagree"
    prepared = reference.prepare(docs, analyzer)

    rows = []
    if browser_runs:
        from playwright import sync_api

        pf_url_of = pagefind_urls(work / "serve" / "pf" / "pagefind") if pagefind else {}
        pf_spent = [0.0]
        if server == "nginx" and not nginx.available():
            print("nginx is not installed: serving with Python's http.server (no compression)", flush=True)
            server = "python"
        figures["server"] = server
        with serving(work / "serve", server, work) as (base, counter):
            with sync_api.sync_playwright() as playwright:
                browser = launch(playwright)
                try:
                    for spec in QUERIES:
                        filters = Filters(category=spec.get("category", ""), campaign=spec.get("campaign", ""),
                                          from_year=spec.get("fromYear", 0), to_year=spec.get("toYear", 0),
                                          sort=spec.get("sort", "relevance"))
                        expected = reference.search(docs, categories, campaigns, analyzer, spec["q"], filters,
                                                    prepared=prepared)
                        expected_urls = [docs[i].url for i in expected.ids]
                        runs, ids = measure_ours(browser, base, counter, spec)
                        pf_mark = time.perf_counter()
                        found_urls = [urls_of_site[i] for i in ids]
                        recall, precision = recall_precision(found_urls, expected_urls)
                        row = {"query": spec, "reference_hits": len(expected_urls), "ours": dict(
                            runs, hits=len(found_urls), recall=recall, precision=precision,
                            same_order=found_urls == expected_urls)}
                        if pagefind and pf_spent[0] > PAGEFIND_QUERIES_BUDGET_SECONDS:
                            row["pagefind"] = {"not_run": True}
                        elif pagefind and not (spec.get("fromYear") or spec.get("toYear")):
                            pf_runs, pf_urls = measure_pagefind(browser, base, counter, spec, pf_url_of)
                            pf_spent[0] += time.perf_counter() - pf_mark
                            if pf_urls is None:
                                row["pagefind"] = dict(pf_runs, timed_out=True)
                            else:
                                pf_recall, pf_precision = recall_precision(pf_urls, expected_urls)
                                row["pagefind"] = dict(pf_runs, hits=len(pf_urls), recall=pf_recall,
                                                       precision=pf_precision)
                        rows.append(row)
                        print(format_row(row), flush=True)
                finally:
                    browser.close()
    figures["queries"] = rows
    out = work / "results.json"
    out.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    figures["json"] = str(out)
    return figures


def describe(spec):
    text = spec["q"]
    extra = [f"{k}={v}" for k, v in spec.items() if k != "q"]
    return text + (f" [{', '.join(extra)}]" if extra else "")


def format_row(row):
    ours = row["ours"]
    cells = [describe(row["query"])[:44].ljust(44), f"{row['reference_hits']:>6}",
             f"{ours['hits']:>6} {ours['recall']:.2f}/{ours['precision']:.2f}",
             f"{ours['cold']['first_bytes'] / 1024:6.1f} {ours['cold']['first_index_bytes'] / 1024:6.1f} "
             f"{ours['cold']['bytes'] / 1024:6.1f} {ours['cold']['ms']:5.0f}",
             f"{ours['warm']['bytes'] / 1024:6.1f} {ours['warm']['ms']:5.0f}"]
    pf = row.get("pagefind")
    if pf and pf.get("not_run"):
        cells.append(f"not run (Pagefind queries past {PAGEFIND_QUERIES_BUDGET_SECONDS} s in all)")
    elif pf and pf.get("timed_out"):
        cells.append(f"timed out after {PAGEFIND_QUERY_TIMEOUT_MS / 1000:.0f} s ({pf['cold']['bytes'] / 1024:.0f} KB)")
    else:
        cells.append(f"{pf['hits']:>6} {pf['recall']:.2f}/{pf['precision']:.2f} {pf['cold']['bytes'] / 1024:7.1f} "
                     f"{pf['cold']['ms']:6.0f}" if pf else "   n/a (no year ranges)")
    return " | ".join(cells)


HEADER = ("query".ljust(44) + " |    ref | ours: hits  R / P  | cold KB: first (index) all   ms | warm KB    ms"
          " | pagefind: hits R / P  cold KB     ms")


def report(figures):
    print(f"\n## bench-search: {figures['articles']:,} articles ({figures['date']})")
    index = figures["index"]
    print(f"ours: index {index['index_seconds']} s (analysis {index['analyse_seconds']} s + encode "
          f"{index['encode_seconds']} s + write {index.get('write_seconds')} s, {index.get('encode_cpu_seconds')} s CPU; "
          f"Markdown reading "
          f"{figures.get('markdown_read_seconds')} s not counted), peak RSS "
          f"{index['peak_rss_mb']} MB (whole process), {index['bytes'] / 1e6:.1f} MB in {index['files']} files, "
          f"largest {index['largest_file'] / 1024:.1f} KB")
    cached = figures["index_rebuild_cached"]
    print(f"ours: rebuild with the analysis cache {cached['index_seconds']} s ({cached['cache_hits']} cached, "
          f"{cached['cache_misses']} analysed)")
    if "full_build" in figures:
        full = figures["full_build"]
        print(f"full Pelican build: {full['without_search_seconds']} s without search (best of "
              f"{full.get('without_search_runs_seconds')}); with search "
              f"{full['with_search_seconds']} s (analysis cache cold: +{full['overhead_percent']} %), "
              f"{full.get('with_search_warm_cache_seconds')} s (warm: +{full.get('overhead_warm_cache_percent')} %); "
              f"against the build just before each: {full.get('overhead_against_previous_percent')} %; "
              f"CPU {full.get('without_search_cpu_seconds')} s without, {full.get('with_search_cpu_seconds')} s with "
              f"(+{full.get('cpu_overhead_percent')} %); peak RSS {full['peak_rss_mb']} MB")
    if "pagefind_index" in figures and "seconds" not in figures["pagefind_index"]:
        print(f"pagefind 1.5.2: index timed out after {figures['pagefind_index']['timed_out_seconds']} s")
    elif "pagefind_index" in figures:
        pf = figures["pagefind_index"]
        print(f"pagefind 1.5.2: index {pf['seconds']} s, peak RSS {pf['peak_rss_mb']} MB, {pf['bytes'] / 1e6:.1f} MB "
              f"in {pf['files']} files, largest {pf['largest_file'] / 1024:.1f} KB")
    rows = figures["queries"]
    if rows:
        print(HEADER)
        for row in rows:
            print(format_row(row))
        ours = [r["ours"] for r in rows]
        print(f"ours: recall min {min(o['recall'] for o in ours):.2f}, precision min "
              f"{min(o['precision'] for o in ours):.2f}, same order as the reference {sum(o['same_order'] for o in ours)}"
              f"/{len(ours)}; cold to the first results max {max(o['cold']['first_bytes'] for o in ours) / 1024:.1f} KB "
              f"in all (index files {max(o['cold']['first_index_bytes'] for o in ours) / 1024:.1f} KB), median "
              f"{sorted(o['cold']['first_bytes'] for o in ours)[len(ours) // 2] / 1024:.1f} KB; with the filter "
              f"counts max {max(o['cold']['bytes'] for o in ours) / 1024:.1f} KB; "
              f"max {max(o['cold']['ms'] for o in ours):.0f} ms, median "
              f"{sorted(o['cold']['ms'] for o in ours)[len(ours) // 2]:.0f} ms")
        pfs = [r["pagefind"] for r in rows if "pagefind" in r and "recall" in r["pagefind"]]
        late = sum(1 for r in rows if r.get("pagefind", {}).get("timed_out"))
        if late:
            print(f"pagefind: {late} queries timed out after {PAGEFIND_QUERY_TIMEOUT_MS / 1000:.0f} s")
        if pfs:
            print(f"pagefind: recall min {min(p['recall'] for p in pfs):.2f} mean "
                  f"{sum(p['recall'] for p in pfs) / len(pfs):.2f}, precision min {min(p['precision'] for p in pfs):.2f}"
                  f" mean {sum(p['precision'] for p in pfs) / len(pfs):.2f}; cold max "
                  f"{max(p['cold']['bytes'] for p in pfs) / 1024:.1f} KB, max {max(p['cold']['ms'] for p in pfs):.0f} ms")
    print(f"JSON: {figures['json']}")


def markdown(figures):
    """The README's table for one run (``python -m benchmarks.search results.json``)."""
    lines = [f"**{figures['articles']:,} articles** ({figures['date']}, 2 shared cores):", ""]
    index = figures["index"]
    lines.append(f"- ours: index {index['index_seconds']} s (analysis {index['analyse_seconds']} s, encoding "
                 f"{index['encode_seconds']} s, writing the files {index.get('write_seconds')} s; reading Markdown, {figures.get('markdown_read_seconds')} s, is Pelican's "
                 f"work in a real build), peak RSS {index['peak_rss_mb']} MB for the whole process, "
                 f"{index['bytes'] / 1e6:.1f} MB in {index['files']:,} files, largest file "
                 f"{index['largest_file'] / 1024:.1f} KB; rebuild with every analysis cached "
                 f"{figures['index_rebuild_cached']['index_seconds']} s")
    if "full_build" in figures:
        full = figures["full_build"]
        interleaved = "without_search_runs_seconds" in full
        lines.append(f"- full Pelican build{', interleaved (without, with, without, with)' if interleaved else ''}: "
                     f"{full['without_search_seconds']} s without search"
                     + (f" (best of {full['without_search_runs_seconds']} s)" if interleaved else "") + "; with search "
                     f"{full['with_search_seconds']} s with the analysis cache cold (+{full['overhead_percent']} %), "
                     f"{full.get('with_search_warm_cache_seconds')} s warm "
                     f"(+{full.get('overhead_warm_cache_percent')} %)"
                     + (f"; against the build without it just before each: "
                        f"{full['overhead_against_previous_percent']} %" if interleaved else "")
                     + (f"; CPU (user + system, all processes) {full['without_search_cpu_seconds']} s without, "
                        f"{full['with_search_cpu_seconds']} s with (+{full['cpu_overhead_percent']} % against the "
                        f"cheaper run without)" if "cpu_overhead_percent" in full else ""))
    if "pagefind_index" in figures and "seconds" not in figures["pagefind_index"]:
        lines.append(f"- Pagefind 1.5.2: index timed out after {figures['pagefind_index']['timed_out_seconds']} s")
    elif "pagefind_index" in figures:
        pf = figures["pagefind_index"]
        lines.append(f"- Pagefind 1.5.2: index {pf['seconds']} s, peak RSS {pf['peak_rss_mb']} MB, "
                     f"{pf['bytes'] / 1e6:.1f} MB in {pf['files']:,} files, largest {pf['largest_file'] / 1024:.1f} KB")
    # A run without Pagefind (--no-pagefind) gets no Pagefind columns.
    with_pagefind = "pagefind_index" in figures
    lines += ["", "| query | reference | ours: hits | R / P | cold KB to first results (index only) | cold KB with "
              "counts | cold ms | warm KB | warm ms |" + (" Pagefind: hits | R / P | cold KB | cold ms |"
                                                       if with_pagefind else ""),
              "|" + " --- |" * (13 if with_pagefind else 9)]
    for row in figures["queries"]:
        ours, pf = row["ours"], row.get("pagefind")
        cells = [describe(row["query"]).replace("|", "\\|"), row["reference_hits"], ours["hits"],
                 f"{ours['recall']:.2f} / {ours['precision']:.2f}",
                 f"{ours['cold']['first_bytes'] / 1024:.0f} ({ours['cold']['first_index_bytes'] / 1024:.0f})",
                 f"{ours['cold']['bytes'] / 1024:.0f}",
                 f"{ours['cold']['ms']:.0f}", f"{ours['warm']['bytes'] / 1024:.0f}", f"{ours['warm']['ms']:.0f}"]
        if not with_pagefind:
            pass
        elif pf and pf.get("not_run"):
            cells += ["not run (time budget)", "", "", ""]
        elif pf and pf.get("timed_out"):
            cells += [f"timed out ({PAGEFIND_QUERY_TIMEOUT_MS / 1000:.0f} s)", "", f"{pf['cold']['bytes'] / 1024:.0f}", ""]
        else:
            cells += ([pf["hits"], f"{pf['recall']:.2f} / {pf['precision']:.2f}", f"{pf['cold']['bytes'] / 1024:.0f}",
                       f"{pf['cold']['ms']:.0f}"] if pf else ["n/a (year range)", "", "", ""])
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(markdown(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
