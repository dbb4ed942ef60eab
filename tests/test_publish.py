"""Atomic publish (issue 5): a failed publish, however it fails, leaves the live folder as it was."""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import ROOT

from plugins.atomic_publish import PublishError, broken_links, publish, rollback
from plugins.content_check.cli import load_settings

PUBLISH_SETTINGS = ROOT / "publishconf.py"
SITEURL = "https://vinhyen.example/tin-tuc"
PLUGINS = list(load_settings(ROOT / "pelicanconf.py")["PLUGINS"])

# Plugins that fail in the middle of writing the site (after a few files are already written).
FAULT_PLUGINS = {
    "boom_plugin.py": """
        from pelican import signals

        def explode(path, context):
            if path.endswith(".html") and "index" not in path:
                raise RuntimeError("injected fault while writing " + path)

        def register():
            signals.content_written.connect(explode)
    """,
    "sleepy_plugin.py": """
        import os, time
        from pelican import signals

        def stall(path, context):
            if path.endswith(".html"):
                open(os.environ["SLEEPY_MARKER"], "a").close()
                time.sleep(120)

        def register():
            signals.content_written.connect(stall)
    """,
}


def tree_hash(folder):
    """{relative path: sha256} of every file under ``folder`` (byte-identical comparison)."""
    hashes = {}
    for dirpath, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(dirpath, name)
            with open(path, "rb") as handle:
                hashes[os.path.relpath(path, folder)] = hashlib.sha256(handle.read()).hexdigest()
    return hashes


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A copy of content/, a live folder path and a folder of fault-injecting plugins."""
    monkeypatch.setenv("SITEURL", SITEURL)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    faults = tmp_path / "faults"
    faults.mkdir()
    for name, code in FAULT_PLUGINS.items():
        (faults / name).write_text(textwrap.dedent(code), encoding="utf-8")
    live = tmp_path / "www" / "output"
    return content, live, faults


def leftovers(live):
    """Everything beside the live folder except the live folder, output.prev and the lock."""
    keep = (live.name, f"{live.name}.prev", f"{live.name}.state")
    return sorted([p.name for p in live.parent.iterdir() if p.name not in keep]
                  + [p.name for p in (live.parent / f"{live.name}.state").iterdir() if p.name != "lock"])


def with_plugin(faults, name):
    return {"PLUGIN_PATHS": [str(ROOT), str(faults)], "PLUGINS": [*PLUGINS, name]}


def test_failed_publishes_leave_live_byte_identical(site):
    content, live, faults = site
    first = publish(content, PUBLISH_SETTINGS, live)
    assert first.summary["published"] >= 20 and first.summary["failed"] == 0
    good = tree_hash(live)
    assert "index.html" in good and len(good) > 50
    assert broken_links(live, siteurl=SITEURL) == []

    # 1. bad content: an impossible date.
    bad = content / "2022" / "06" / "ngay-khong-co.md"
    bad.write_text("Title: Ngày không có thật\nDate: 31/06/2022\n\nNội dung.\n", encoding="utf-8")
    with pytest.raises(PublishError) as failure:
        publish(content, PUBLISH_SETTINGS, live)
    assert "ngay-khong-co.md" in str(failure.value) and "31/06/2022" in str(failure.value)
    assert tree_hash(live) == good
    assert leftovers(live) == []
    bad.unlink()

    # 2. an exception in a plugin, raised after some pages are already written.
    with pytest.raises(PublishError) as failure:
        publish(content, PUBLISH_SETTINGS, live, extra=with_plugin(faults, "boom_plugin"))
    assert "injected fault" in str(failure.value)
    assert tree_hash(live) == good
    assert leftovers(live) == []

    # 3. the build process killed midway (SIGKILL to the whole publish: driver and Pelican).
    marker = live.parent / "sleepy.marker"
    driver = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from plugins.atomic_publish import publish
        publish({str(content)!r}, {str(PUBLISH_SETTINGS)!r}, {str(live)!r},
                extra={json.dumps(with_plugin(faults, "sleepy_plugin"))})
    """)
    env = dict(os.environ, SLEEPY_MARKER=str(marker))
    process = subprocess.Popen([sys.executable, "-c", driver], env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    assert marker.exists(), "the build never reached the writing stage"
    in_progress = [p for p in live.parent.iterdir() if p.name.startswith("output.new-")]
    assert in_progress and any(in_progress[0].rglob("*.html")), "killed before writing anything"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    marker.unlink()
    assert tree_hash(live) == good

    # 4. a build that succeeds but does not verify: a link to a page that does not exist.
    broken = content / "2022" / "06" / "lien-ket-hong.md"
    broken.write_text("Title: Liên kết hỏng\nDate: 23/06/2022\n\nXem [bài này](/2019/01/01/khong-co.html).\n",
                      encoding="utf-8")
    with pytest.raises(PublishError) as failure:
        publish(content, PUBLISH_SETTINGS, live)
    # Since issue 11 the content rules refuse the link while reading (missing-page), before verify.
    assert "[missing-page]" in str(failure.value) and "khong-co.html" in str(failure.value)
    assert tree_hash(live) == good
    broken.unlink()

    # The next good publish cleans what the killed one left, and rebuilds the same bytes.
    again = publish(content, PUBLISH_SETTINGS, live)
    assert leftovers(live) == []
    assert again.swap in ("exchange", "two-renames")
    assert tree_hash(live) == good
    assert tree_hash(live.parent / "output.prev") == good


def test_rollback_swaps_previous_build_back(site):
    content, live, _ = site
    publish(content, PUBLISH_SETTINGS, live)
    first = tree_hash(live)
    (content / "2022" / "06" / "bai-moi.md").write_text(
        "Title: Bài mới để thử quay lui\nDate: 24/06/2022\nCategory: Tin tức - Sự kiện\n\nNội dung.\n",
        encoding="utf-8")
    publish(content, PUBLISH_SETTINGS, live)
    second = tree_hash(live)
    assert "2022/06/24/bai-moi-de-thu-quay-lui.html" in second and second != first
    rollback(live)
    assert tree_hash(live) == first
    assert tree_hash(live.parent / "output.prev") == second
    rollback(live)  # and back again
    assert tree_hash(live) == second


def test_rollback_without_previous_build_fails_cleanly(tmp_path):
    live = tmp_path / "output"
    live.mkdir()
    (live / "index.html").write_text("x", encoding="utf-8")
    with pytest.raises(PublishError, match="nothing to roll back"):
        rollback(live)
    assert (live / "index.html").read_text(encoding="utf-8") == "x"


def test_invoke_publish_and_rollback_tasks(tmp_path):
    """The invoke tasks are thin wrappers: run them on a copy of the repository."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "output*", "__pycache__",
                                                              ".pytest_cache", ".hypothesis", "tests"))
    env = dict(os.environ, SITEURL=SITEURL)

    def invoke(*args):
        return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=repo, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=300)

    first = invoke("publish")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "build summary: found" in first.stdout
    good = tree_hash(repo / "output")
    (repo / "content" / "2022" / "06" / "hong.md").write_text("Title: Hỏng\nDate: 32/06/2022\n\nx\n",
                                                              encoding="utf-8")
    failed = invoke("publish")
    assert failed.returncode != 0 and "hong.md" in failed.stdout + failed.stderr
    assert tree_hash(repo / "output") == good
    built = invoke("build")  # the dev build goes through the same atomic path
    assert built.returncode != 0 and tree_hash(repo / "output") == good
    (repo / "content" / "2022" / "06" / "hong.md").unlink()
    assert invoke("build").returncode == 0
    assert invoke("rollback").returncode == 0
    assert tree_hash(repo / "output") == good


def test_duplicate_slug_and_date_fails_naming_both_files(build_site, make_content):
    content = make_content({
        "2022/06/mot.md": "Title: Hai bài cùng tên\nDate: 22/06/2022 08:00\n\nBài một.\n",
        "2022/06/hai.md": "Title: Hai bài cùng tên\nDate: 22/06/2022 15:00\n\nBài hai.\n",
    })
    result = build_site(content)
    assert result.returncode != 0
    # The content rules (issue 11) report it for each file, naming the other one.
    log = result.log
    assert re.search(r"2022/06/hai\.md:1: error: same output URL /2022/06/22/hai-bai-cung-ten\.html as \S*2022/06/mot\.md", log), log
    assert re.search(r"2022/06/mot\.md:1: error: same output URL /2022/06/22/hai-bai-cung-ten\.html as \S*2022/06/hai\.md", log), log
    assert "Traceback" not in result.log


def test_build_summary_counts_every_source(build_site, make_content):
    content = make_content({
        "2022/06/a.md": "Title: Đăng\nDate: 22/06/2022\n\nx\n",
        "2022/06/b.md": "Title: Nháp\nDate: 22/06/2022\nStatus: draft\n\nx\n",
        "2022/06/c.md": "Title: Ẩn\nDate: 22/06/2022\nStatus: hidden\n\nx\n",
        "2022/07/d.md": "Title: Hẹn giờ đăng\nDate: 01/07/2022 08:00\n\nx\n",
        "pages/trang.md": "Title: Trang\n\nx\n",
    })
    # "Now" is 30/06/2022 for the dates plugin: d.md is scheduled, not lost.
    result = build_site(content, extra={"SCHEDULE_NOW": "30/06/2022 12:00"})
    assert result.returncode == 0, result.log
    assert "build summary: found 4, published 1, drafts 1, scheduled 1, hidden 1, failed 0, pages 1" in result.log
    assert not (result.output / "2022/07/01/hen-gio-dang.html").exists()


def test_a_silently_dropped_article_fails_the_build(build_site, make_content, tmp_path):
    """Nothing lost: a plugin that drops an article without a word makes the build fail, naming it."""
    plugins = tmp_path / "dropper"
    plugins.mkdir()
    (plugins / "dropper_plugin.py").write_text(textwrap.dedent("""
        from pelican import signals

        def drop(generator):
            generator.articles = [a for a in generator.articles if "mat" not in a.source_path]

        def register():
            signals.article_generator_pretaxonomy.connect(drop)
    """), encoding="utf-8")
    content = make_content({
        "2022/06/con.md": "Title: Còn\nDate: 22/06/2022\n\nx\n",
        "2022/06/mat.md": "Title: Mất\nDate: 22/06/2022\n\nx\n",
    })
    result = build_site(content, extra={"PLUGIN_PATHS": [str(ROOT), str(plugins)],
                                        "PLUGINS": ["dropper_plugin", *PLUGINS]})
    assert result.returncode != 0
    assert "build_guard: 2022/06/mat.md was not published" in " ".join(result.log.split())


def _folder(path, text):
    path.mkdir(parents=True)
    (path / "index.html").write_text(text, encoding="utf-8")
    return path


def test_fallback_two_renames_and_crash_recovery(tmp_path, monkeypatch):
    """Without RENAME_EXCHANGE the swap is two renames; a crash between them is repaired."""
    import importlib

    module = importlib.import_module("plugins.atomic_publish.publish")

    live = _folder(tmp_path / "output", "cu")
    new = _folder(tmp_path / "output.new-1", "moi")
    monkeypatch.setattr(module, "exchange", lambda a, b: False)
    how, previous = module.swap_in(str(new), str(live))
    assert how == "two-renames"
    assert (live / "index.html").read_text(encoding="utf-8") == "moi"
    assert (tmp_path / "output.prev" / "index.html").read_text(encoding="utf-8") == "cu"
    assert not new.exists()

    # A crash right after the first rename: no live folder, the old site in output.old-<pid>.
    (tmp_path / "output").rename(tmp_path / "output.old-999")
    _folder(tmp_path / "output.new-999", "do dang")
    removed = module.recover(str(live))
    assert (live / "index.html").read_text(encoding="utf-8") == "moi"
    assert [os.path.basename(p) for p in removed] == ["output.new-999"]


def test_concurrent_runs_are_refused(tmp_path):
    from plugins.atomic_publish.publish import locked

    live = tmp_path / "output"
    with locked(live):
        with pytest.raises(PublishError, match="another build or publish"):
            with locked(live):
                pass


@pytest.mark.parametrize("summary, expected", [
    (None, "no build summary"),
    ({"found": 2, "published": 1, "drafts": 0, "scheduled": 0, "hidden": 0, "failed": 1,
      "failed_files": ["2022/06/a.md"], "lost": []}, "2022/06/a.md"),
    ({"found": 2, "published": 1, "drafts": 0, "scheduled": 0, "hidden": 0, "failed": 0,
      "lost": ["2022/06/b.md"]}, "neither published nor held back: 2022/06/b.md"),
    ({"found": 3, "published": 1, "drafts": 0, "scheduled": 0, "hidden": 0, "failed": 0, "lost": []},
     "does not add up"),
])
def test_verify_refuses_incomplete_builds(tmp_path, summary, expected):
    from plugins.atomic_publish import verify

    (tmp_path / "index.html").write_text('<a href="khong-co.html">x</a>', encoding="utf-8")
    problems = verify(str(tmp_path), summary)
    assert any(expected in p for p in problems), problems
    good = {"found": 1, "published": 1, "drafts": 0, "scheduled": 0, "hidden": 0, "failed": 0, "lost": []}
    assert verify(str(tmp_path), good) == ["broken internal link in index.html: khong-co.html"]
    assert verify(str(tmp_path), good, check_links=False) == []
