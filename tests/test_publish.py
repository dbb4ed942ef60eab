"""Atomic publish (issue 5): a failed publish, however it fails, leaves the live folder as it was."""

import hashlib
import json
import os
import shlex
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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
    live = tmp_path / "www" / "public"
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
    in_progress = [p for p in live.parent.iterdir() if p.name.startswith("public.new-")]
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
    assert tree_hash(live.parent / "public.prev") == good


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
    assert tree_hash(live.parent / "public.prev") == second
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
    """The invoke tasks are thin wrappers: run them on a copy of the repository. The published
    site lives in public/ with its own public.prev/; invoke build (and serve) use output/ and
    never touch them (issue 11, item 8)."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "output*", "public*", "__pycache__",
                                                              ".pytest_cache", ".hypothesis", "tests", ".venv"))
    env = dict(os.environ, SITEURL=SITEURL)

    def invoke(*args):
        return subprocess.run([sys.executable, "-m", "invoke", *args], cwd=repo, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=300)

    first = invoke("publish")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "build summary: found" in first.stdout and "public/ replaced atomically" in first.stdout
    assert not (repo / "output").exists()
    good = tree_hash(repo / "public")
    assert SITEURL in (repo / "public" / "index.html").read_text(encoding="utf-8")
    (repo / "content" / "2022" / "06" / "hong.md").write_text("Title: Hỏng\nDate: 32/06/2022\n\nx\n",
                                                              encoding="utf-8")
    failed = invoke("publish")
    assert failed.returncode != 0 and "hong.md" in failed.stdout + failed.stderr
    assert tree_hash(repo / "public") == good
    built = invoke("build")  # the dev build goes through the same atomic path
    assert built.returncode != 0 and tree_hash(repo / "public") == good
    (repo / "content" / "2022" / "06" / "hong.md").write_text(
        "Title: Bài thứ hai\nDate: 23/06/2022\nCategory: Tin tức - Sự kiện\n\nx\n", encoding="utf-8")
    assert invoke("publish").returncode == 0
    second = tree_hash(repo / "public")
    assert second != good and tree_hash(repo / "public.prev") == good
    # Development builds, twice (so output.prev/ exists too): the published folders do not move.
    for _ in range(2):
        dev = invoke("build")
        assert dev.returncode == 0, dev.stdout + dev.stderr
    assert "output/ replaced atomically" in dev.stdout
    assert SITEURL not in (repo / "output" / "index.html").read_text(encoding="utf-8")
    assert tree_hash(repo / "public") == second and tree_hash(repo / "public.prev") == good
    assert invoke("rollback").returncode == 0
    assert tree_hash(repo / "public") == good and tree_hash(repo / "public.prev") == second
    assert (repo / "output" / "index.html").is_file() and (repo / "output.prev" / "index.html").is_file()


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


# --- issue 11, item 9: a rollback target always exists; clear errors, nothing left behind -------

SLOW_DELETE = """
import importlib, os, shutil, sys, time
sys.path.insert(0, {root!r})
module = importlib.import_module("plugins.atomic_publish.publish")

real = shutil.rmtree

def slow(path, *args, **kwargs):
    name = os.path.basename(str(path))
    if "trash" in name or name.endswith("-prev"):
        # delete part of the old previous build, then stall: the test kills us here
        for entry in sorted(os.listdir(path))[:1]:
            os.remove(os.path.join(path, entry))
        open({marker!r}, "w").close()
        time.sleep(120)
    return real(path, *args, **kwargs)

shutil.rmtree = slow
module.swap_in({new!r}, {live!r})
"""


def test_sigkill_while_the_old_previous_build_is_deleted_keeps_a_rollback_target(tmp_path):
    live = _folder(tmp_path / "public", "hien tai")
    _folder(tmp_path / "public.prev", "cu nhat")
    (tmp_path / "public.prev" / "z.html").write_text("z", encoding="utf-8")
    new = _folder(tmp_path / "public.new-1", "moi")
    marker = tmp_path / "deleting"
    driver = SLOW_DELETE.format(root=str(ROOT), marker=str(marker), new=str(new), live=str(live))
    process = subprocess.Popen([sys.executable, "-c", driver], start_new_session=True)
    deadline = time.monotonic() + 30
    while not marker.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
    assert marker.exists(), "the swap never reached the deletion of the old previous build"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert (live / "index.html").read_text(encoding="utf-8") == "moi"
    # The next run (here: a rollback) still finds the site that was live before the swap.
    rollback(live)
    assert (live / "index.html").read_text(encoding="utf-8") == "hien tai"
    assert (tmp_path / "public.prev" / "index.html").read_text(encoding="utf-8") == "moi"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deleting", "public", "public.prev", "public.state"]


def test_a_swap_killed_before_the_old_site_became_prev_is_completed(tmp_path, monkeypatch):
    """Killed after the exchange but before the old site was renamed to .prev: recover finishes it."""
    from plugins.atomic_publish.publish import recover

    live = _folder(tmp_path / "public", "moi")
    _folder(tmp_path / "public.old-77", "vua thay")
    _folder(tmp_path / "public.prev", "cu nhat")
    recover(str(live))
    assert (tmp_path / "public.prev" / "index.html").read_text(encoding="utf-8") == "vua thay"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public", "public.prev", "public.state"]


NOBODY = 65534


def as_unprivileged(tmp_path, function, prepare=None):
    """Run ``function(workdir)`` as a user whom file modes bind (root ignores them): forked and
    setuid to nobody when the tests run as root. ``prepare(workdir)`` runs first as the caller
    (as root it may leave files nobody cannot delete). Returns (exit status, error text)."""
    work = tmp_path / "unprivileged"
    if os.geteuid() != 0:
        work.mkdir()
        if prepare:
            prepare(work)
        try:
            function(work)
        except Exception as exc:  # noqa: BLE001
            return 1, f"{type(exc).__name__}: {exc}"
        return 0, ""
    import tempfile
    work = Path(tempfile.mkdtemp(prefix="publish-ro-", dir="/tmp"))
    os.chown(work, NOBODY, NOBODY)
    if prepare:
        prepare(work)
    errors = work.parent / (work.name + ".err")
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        code = 0
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            function(work)
        except BaseException as exc:  # noqa: BLE001
            import traceback
            errors.write_text(f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}", encoding="utf-8")
            code = 1
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    text = errors.read_text(encoding="utf-8") if errors.exists() else ""
    errors.unlink(missing_ok=True)
    os.system(f"chmod -R u+w {shlex.quote(str(work))} 2>/dev/null; rm -rf {shlex.quote(str(work))}")
    return os.waitstatus_to_exitcode(status), text


def _read_only_tree(path, text):
    _folder(path, text)
    sub = path / "images"
    sub.mkdir()
    (sub / "anh.png").write_bytes(b"png")
    sub.chmod(0o555)


def test_read_only_folders_in_old_builds_are_deleted_not_left_behind(tmp_path):
    from plugins.atomic_publish.publish import swap_in

    def scenario(work):
        live = work / "public"
        _read_only_tree(live, "hien tai")
        _read_only_tree(work / "public.prev", "cu nhat")
        _folder(work / "public.new-5", "moi")
        swap_in(str(work / "public.new-5"), str(live))
        left = sorted(p.name for p in work.iterdir())
        assert left == ["public", "public.prev"], left
        assert (work / "public.prev" / "index.html").read_text(encoding="utf-8") == "hien tai"

    code, error = as_unprivileged(tmp_path, scenario)
    assert code == 0, error


def test_an_undeletable_leftover_is_a_clear_error_not_silent(tmp_path):
    """A stale folder this user cannot delete (another user's files in it) is named, with what to do."""
    from plugins.atomic_publish.publish import recover

    def prepare(work):
        _folder(work / "public", "hien tai")
        _folder(work / "public.trash-1" / "khoa", "x")
        if os.geteuid() == 0:  # everything nobody's except khoa/, which stays root's
            for path in (work / "public", work / "public" / "index.html", work / "public.trash-1"):
                os.chown(path, NOBODY, NOBODY)
        else:
            (work / "public.trash-1" / "khoa").chmod(0o555)

    def scenario(work):
        with pytest.raises(PublishError) as failure:
            recover(str(work / "public"))
        message = str(failure.value)
        assert "could not delete" in message and "public.trash-1" in message and "by hand" in message
        assert "Traceback" not in message

    code, error = as_unprivileged(tmp_path, scenario, prepare)
    assert code == 0, error


def test_read_only_parent_is_a_clear_message_not_a_traceback(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    content.chmod(0o755)

    def scenario(work):
        www = work / "www"
        www.mkdir()
        www.chmod(0o555)
        with pytest.raises(PublishError) as failure:
            publish(content, PUBLISH_SETTINGS, www / "public", check_links=False)
        assert "permission denied" in str(failure.value) and str(www) in str(failure.value)
        with pytest.raises(PublishError, match="permission denied"):
            rollback(www / "public")
        assert sorted(www.iterdir()) == []

    tmp_path.chmod(0o755)
    code, error = as_unprivileged(tmp_path, scenario)
    assert code == 0, error


@pytest.mark.parametrize("which", ["public", "public.prev"])
def test_a_live_or_previous_folder_that_is_a_file_is_refused(tmp_path, which):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    live = tmp_path / "www" / "public"
    live.parent.mkdir()
    if which == "public.prev":
        _folder(live, "hien tai")
    blocker = live.parent / which
    blocker.write_text("không phải một thư mục", encoding="utf-8")
    with pytest.raises(PublishError, match="is a file, not a build folder"):
        publish(content, PUBLISH_SETTINGS, live)
    with pytest.raises(PublishError, match="is a file, not a build folder"):
        rollback(live)
    assert blocker.read_text(encoding="utf-8") == "không phải một thư mục"
    assert not [p for p in live.parent.iterdir() if ".new-" in p.name or ".old-" in p.name]


def test_invoke_publish_into_a_file_fails_cleanly(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".git", "output*", "public*", "__pycache__",
                                                              ".pytest_cache", ".hypothesis", "tests", ".venv"))
    (repo / "public").write_text("x", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "invoke", "publish"], cwd=repo, capture_output=True,
                         text=True, encoding="utf-8", timeout=300)
    assert run.returncode == 1
    assert "is a file, not a build folder" in run.stderr and "Traceback" not in run.stdout + run.stderr


# --- issue 11, item 10: links checked as the portal serves them --------------------------------


def _tree(root, files):
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("href, broken", [
    ("/2022/06/22/a.html", True),                              # the portal serves /tin-tuc/...: 404
    ("/tin-tuc/2022/06/22/a.html", False),
    ("https://vinhyen.example/tin-tuc/2022/06/22/a.html", False),
    ("https://vinhyen.example/tin-tuc/2022/06/22/khong-co.html", True),
    ("../22/a.html", False),
    ("../../../../lien-he.html", True),                        # climbs out of /tin-tuc/
    ("https://vinhyen.example/lien-he.html", False),           # a deliberate link to the rest of the portal
    ("https://baochinhphu.vn/x.html", False),
])
def test_links_are_checked_under_the_production_siteurl(tmp_path, href, broken):
    _tree(tmp_path, {"2022/06/22/a.html": "a", "index.html": f'<a href="{href}">x</a>'})
    _tree(tmp_path, {"2022/06/22/b.html": f'<a href="{href}">x</a>'})
    found = broken_links(tmp_path, siteurl=SITEURL)
    pages = {page for page, _ in found}
    if broken:
        assert "2022/06/22/b.html" in pages or "index.html" in pages, found
    elif href.startswith("../"):
        assert "2022/06/22/b.html" not in pages, found
    else:
        assert found == [], found


def test_publish_refuses_a_root_relative_body_link(site):
    content, live, _ = site
    (content / "2022" / "06" / "lien-ket-goc.md").write_text(
        "Title: Liên kết gốc\nDate: 23/06/2022\nCategory: Tin tức - Sự kiện\n\n"
        "Xem [bài gốc](/2022/06/22/ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022.html).\n",
        encoding="utf-8")
    with pytest.raises(PublishError) as failure:
        publish(content, PUBLISH_SETTINGS, live)
    assert "broken internal link in 2022/06/23/lien-ket-goc.html: /2022/06/22/ubnd-thanh-pho" in str(failure.value)
    assert not live.exists()
    (content / "2022" / "06" / "lien-ket-goc.md").write_text(
        "Title: Liên kết gốc\nDate: 23/06/2022\nCategory: Tin tức - Sự kiện\n\n"
        "Xem [bài gốc]({filename}ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022.md).\n", encoding="utf-8")
    assert publish(content, PUBLISH_SETTINGS, live).summary["failed"] == 0


def test_publish_fails_when_siteurl_cannot_be_read(site, monkeypatch):
    import plugins.content_check.cli as cli

    content, live, _ = site
    monkeypatch.delenv("SITEURL")

    def unreadable(path):
        raise SyntaxError("invalid syntax (publishconf.py, line 3)")

    monkeypatch.setattr(cli, "load_settings", unreadable)
    with pytest.raises(PublishError, match="cannot read SITEURL from .*publishconf.py"):
        publish(content, PUBLISH_SETTINGS, live)
    assert not live.exists()
