"""Tasks for editors and developers: `invoke --list` shows them all."""

import os
import shlex
import shutil
import sys
from pathlib import Path

from invoke import task

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

CONTENT = ROOT / "content"
OUTPUT = ROOT / "output"  # development builds (invoke build, invoke serve)
PUBLIC = ROOT / "public"  # the production site (invoke publish, invoke rollback): its own .prev and state
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def pelican_args(settings, output, content=CONTENT, extra=()):
    """The one Pelican command line every build uses: errors are fatal, so no article is dropped."""
    args = [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output),
            "--fatal", "errors", *extra]
    return " ".join(shlex.quote(str(a)) for a in args)


def atomic_build(settings, check_links, live=OUTPUT, full=False):
    """Build beside ``live``, verify, swap in atomically (plugins.atomic_publish); exit 1 on failure.

    Incremental unless ``full``: unchanged pages are reused from ``live`` (plugins.incremental_build),
    and a change of templates, settings, plugins or packages makes it a full build by itself."""
    from invoke.exceptions import Exit

    from plugins.atomic_publish import PublishError
    from plugins.atomic_publish import publish as publish_atomically

    try:
        result = publish_atomically(CONTENT, settings, live, check_links=check_links, incremental=not full)
    except PublishError as exc:
        raise Exit(f"{exc}", code=1) from None
    print((result.stdout + result.stderr).rstrip())
    kept = f"; the previous build is kept in {Path(result.previous).name}/" if result.previous else ""
    print(f"{live.name}/ replaced atomically ({result.swap}){kept}")
    return result


@task(help={"full": "rebuild every page instead of reusing the unchanged ones of output/"})
def build(c, full=False):
    """Build the development site from content/ into output/ (incremental, atomic: a failed build changes nothing)."""
    atomic_build(DEV_SETTINGS, check_links=False, full=full)


@task(help={"fix": "normalise files in place first (NFC, no BOM, LF line endings)",
            "path": "folder to check (default: content/)"})
def check(c, path="", fix=False):
    """Check content/ without building: one `path:line: error|warning: message` per problem."""
    from invoke.exceptions import Exit

    from plugins.content_check import main as check_main

    code = check_main((["--fix"] if fix else []) + [path or str(CONTENT)])
    if code:
        raise Exit(code=code)


@task
def clean(c):
    """Delete the generated output/ folder."""
    if OUTPUT.exists():
        shutil.rmtree(OUTPUT)


@task
def serve(c, port=8000):
    """Preview the site at http://localhost:PORT with live reload on every change."""
    from livereload import Server

    build(c)
    server = Server()
    for watched in ("content/**/*", "theme/**/*", "plugins/**/*.py", "pelicanconf.py"):
        server.watch(str(ROOT / watched), lambda: build(c))
    server.serve(host="localhost", port=port, root=str(OUTPUT))


# Debian packages the browser and web-server tests drive.
TEST_DEBIAN_PACKAGES = {"/usr/bin/chromium": "chromium chromium-driver", "/usr/sbin/nginx": "nginx",
                        "/usr/bin/java": "default-jre-headless"}


def ensure_test_packages(c):
    """Install Chromium, nginx and Java with apt-get when running as root on Debian and they are missing."""
    missing = [pkg for path, pkg in TEST_DEBIAN_PACKAGES.items() if not os.path.exists(path)]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        c.run("apt-get update -qq", env=env, pty=False)
        c.run(f"apt-get install -y -qq --no-install-recommends {' '.join(missing)}", env=env, pty=False)
    else:
        print(f"note: {', '.join(missing)} not installed; browser/web-server tests will be skipped",
              file=sys.stderr)


# Locales the locale-independence test compares with C (tests/test_vntext.py).
TEST_LOCALES = ("en_US.UTF-8", "vi_VN.UTF-8")


def ensure_test_locales(c):
    """Generate TEST_LOCALES with Debian's locales/locale-gen when root and they are missing."""
    import locale

    def available(name):
        saved = locale.setlocale(locale.LC_ALL)
        try:
            locale.setlocale(locale.LC_ALL, name)
            return True
        except locale.Error:
            return False
        finally:
            locale.setlocale(locale.LC_ALL, saved)

    missing = [name for name in TEST_LOCALES if not available(name)]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        env = {"DEBIAN_FRONTEND": "noninteractive"}
        if not shutil.which("locale-gen"):
            c.run("apt-get update -qq", env=env, pty=False)
            c.run("apt-get install -y -qq --no-install-recommends locales", env=env, pty=False)
        with open("/etc/locale.gen", "a+", encoding="utf-8") as handle:
            handle.seek(0)
            present = handle.read().splitlines()
            handle.writelines(f"{name} UTF-8\n" for name in missing if f"{name} UTF-8" not in present)
        c.run("locale-gen", pty=False, hide="out")
    else:
        print(f"note: locales {', '.join(missing)} not installed; the locale test will be skipped",
              file=sys.stderr)


@task
def test(c):
    """Run the whole test suite (builds real sites in temporary folders), one pytest-xdist worker per core."""
    ensure_test_packages(c)
    ensure_test_locales(c)
    # Most tests wait on one Pelican process at a time, so one core idles without workers
    # (2 cores, one run each, not interleaved: 954 s serial, 598 s with two workers).
    # --dist loadfile keeps each module on one worker: its module-scoped sites are built once,
    # and its tests run in file order.
    c.run(f"{shlex.quote(sys.executable)} -m pytest -n auto --dist loadfile", pty=False)


@task(help={"full": "rebuild every page instead of reusing the unchanged ones of public/"})
def publish(c, full=False):
    """Build the production site (publishconf.py), verify, swap into public/ atomically (incremental; keeps public.prev/)."""
    atomic_build(PUBLISH_SETTINGS, check_links=True, live=PUBLIC, full=full)


@task
def rollback(c):
    """Put the previously published site back live (swaps public/ and public.prev/; run again to undo)."""
    from invoke.exceptions import Exit

    from plugins.atomic_publish import PublishError
    from plugins.atomic_publish import rollback as rollback_atomically

    try:
        rollback_atomically(PUBLIC)
    except PublishError as exc:
        raise Exit(str(exc), code=1) from None
    print(f"{PUBLIC.name}/ now holds the previous build; {PUBLIC.name}.prev/ the one that was live")


@task(help={"title": "the article's title, in Vietnamese", "category": "its category",
            "author": "the reporter's name", "content": "content folder (default: content/)"})
def new(c, title, category="Tin tức - Sự kiện", author="", content=str(CONTENT)):
    """Create content/yyyy/mm/<slug>.md dated now (Asia/Ho_Chi_Minh); never overwrites."""
    from plugins.authoring.new_article import new_article

    try:
        path = new_article(content, title, category, author)
    except FileExistsError as exc:
        sys.exit(f"refusing to overwrite {exc.filename}: the file exists")
    except ValueError as exc:
        sys.exit(str(exc))
    print(path)


@task(help={"explain": "an article source: print which campaigns it gets and why"})
def campaigns(c, explain=""):
    """List every campaign with its article count over content/ (or --explain FILE)."""
    from invoke.exceptions import Exit

    from plugins.campaigns.cli import main as campaigns_main

    code = campaigns_main(["--explain", explain] if explain else [])
    if code:
        raise Exit(code=code)


@task(help={"split": "dev (for tuning: batch 1, batch 2 dev), test (report only: the held-out set, batch 2 test) or both",
            "errors": "list every wrongly tagged real-news article of the split"})
def eval_campaigns(c, split="both", errors=False):
    """Precision, recall and confusion of campaign tagging: repo corpus, held-out set, labelled real news."""
    from invoke.exceptions import Exit

    from plugins.campaigns.evaluation import main as evaluation_main

    code = evaluation_main(["--split", split] + (["--errors"] if errors else []))
    if code:
        raise Exit(code=code)


@task(help={"baseline": "git revision to compare with (default: the tagger before issue 13)",
            "repeat": "runs per measurement; the best is reported"})
def bench_campaigns(c, baseline="d8ead0d", repeat=3):
    """Time campaign tagging on the real news and `invoke campaigns`, this tree against a revision."""
    from invoke.exceptions import Exit

    from benchmarks.campaigns import run as bench_run

    code = bench_run(baseline, int(repeat))
    if code:
        raise Exit(code=code)


@task(positional=["src"], iterable=["more"],
      help={"src": "a saved HTML page, a text dump, or a folder of them",
            "more": "another file or folder to import (repeatable)",
            "content": "content folder (default: content/)",
            "force": "overwrite articles an editor changed since their import",
            "report_json": "also write the report as JSON to this file"})
def import_legacy(c, src, more=None, content=str(CONTENT), force=False, report_json=""):
    """Import the old portal's pages (saved HTML, text dumps) as content/yyyy/mm/<slug>.md."""
    from invoke.exceptions import Exit

    from plugins.legacy_import import main as import_main

    argv = [src, *(more or []), "--content", content]
    argv += ["--force"] if force else []
    argv += ["--report-json", report_json] if report_json else []
    code = import_main(argv)
    if code:
        raise Exit(code=code)


@task(help={"articles": "synthetic archive sizes, comma-separated (default 1000,10000)",
            "large": "also build 100,000 articles (tens of minutes)",
            "repeat": "builds per size and per generator; the best time of each is reported",
            "changes": "also time publishing one added, one edited and one deleted article",
            "stock": "also build with stock Pelican for the ratio (--no-stock: the site's builds only)",
            "out": "folder for bench.json and bench.png"})
def bench(c, articles="1000,10000", large=False, repeat=2, changes=True, stock=True, out="benchmarks/results"):
    """Time full builds against stock Pelican on synthetic archives; print a table, write JSON + PNG."""
    from benchmarks.build import report, run, table, write_outputs

    sizes = [int(n) for n in articles.split(",") if n.strip()] + ([100_000] if large else [])
    results = []
    for count in sizes:
        results.append(run(count, repeat=int(repeat), changes=changes, stock=stock))
        report(results[-1])
        print()
    print(table(results))
    for path in write_outputs(results, ROOT / out):
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


@task(help={"out": "folder for the PNGs (default: screenshots/)"})
def screenshots(c, out="screenshots"):
    """Build content/ and write home, article, day archive, campaign and search PNGs at 390 and 1280 px."""
    from benchmarks.portal_pages import page_weight, report_weight
    from benchmarks.portal_pages import screenshots as take

    for path in take(ROOT / out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    report_weight(page_weight())


@task(name="page-weight")
def page_weight_task(c):
    """Print the compressed weight of an article page (HTML+CSS+JS+fonts; budget 100 KB)."""
    from benchmarks.portal_pages import page_weight, report_weight

    report_weight(page_weight())


@task(help={"articles": "archive sizes (comma-separated; default 10000)",
            "large": "also run 100,000 articles (long: minutes of build, GBs for Pagefind)",
            "pagefind": "compare with Pagefind 1.5.2 on the same archive (default on)",
            "full_build": "time full Pelican builds with/without search (default: sizes <= 10,000)",
            "reuse": "reuse the full Pelican builds of an earlier run of the same archive",
            "server": "nginx (default: as the portal serves the site, .gz copies included) or python"})
def bench_search(c, articles="10000", large=False, pagefind=True, full_build=None, reuse=False, server="nginx"):
    """Search benchmark in headless Chromium: bytes, latency, recall/precision vs the reference, Pagefind."""
    from benchmarks.search import report, run

    sizes = [int(n) for n in articles.split(",") if n]
    if large and 100000 not in sizes:
        sizes.append(100000)
    for count in sizes:
        report(run(count, pagefind=pagefind, full_build=full_build, reuse=reuse, server=server))
