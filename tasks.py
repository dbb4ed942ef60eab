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
OUTPUT = ROOT / "output"
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"


def pelican_args(settings, output, content=CONTENT, extra=()):
    """The one Pelican command line every build uses: errors are fatal, so no article is dropped."""
    args = [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o", str(output),
            "--fatal", "errors", *extra]
    return " ".join(shlex.quote(str(a)) for a in args)


@task
def build(c):
    """Build the development site from content/ into output/."""
    c.run(pelican_args(DEV_SETTINGS, OUTPUT), pty=False)


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
TEST_DEBIAN_PACKAGES = {"/usr/bin/chromium": "chromium chromium-driver", "/usr/sbin/nginx": "nginx"}


def ensure_test_packages(c):
    """Install Chromium and nginx with apt-get when running as root on Debian and they are missing."""
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


@task
def test(c):
    """Run the whole test suite (builds real sites in temporary folders)."""
    ensure_test_packages(c)
    c.run(f"{shlex.quote(sys.executable)} -m pytest", pty=False)


@task
def publish(c):
    """Build the production site (publishconf.py) into output/."""
    c.run(pelican_args(PUBLISH_SETTINGS, OUTPUT), pty=False)


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


@task(help={"articles": "how many synthetic articles (comma-separated for several sizes)",
            "repeat": "builds per size; the best time is reported and rebuilds are compared"})
def bench(c, articles="200,1000", repeat=2):
    """Build synthetic archives and print build time, output size and rebuild identity."""
    from benchmarks.build import report, run

    for count in (int(n) for n in articles.split(",")):
        report(run(count, repeat=int(repeat)))
        print()
