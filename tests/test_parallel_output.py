"""The speed-ups of issue 10 change no output byte: parallel pages, reused Markdown, frozen URLs."""

import os

import pytest

from benchmarks.build import tree_digest
from conftest import ROOT, run_build, synthetic_archive
from plugins.parallel_output.parallel_output import Background, run_in_processes

# Scheduling depends on "now": fix it so the two builds cannot straddle a scheduled article.
NOW = {"SCHEDULE_NOW": "2026-12-01T00:00", "SITE_SEARCH_CACHE_PATH": ""}


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    """120 synthetic articles (lists, headings, tags, campaigns) plus the real registries."""
    return synthetic_archive(tmp_path_factory.mktemp("speed") / "content", 120)


@pytest.mark.parametrize("batch", [1000, 7])
def test_parallel_and_serial_builds_write_the_same_bytes(archive, tmp_path, batch):
    serial = run_build(archive, tmp_path / "serial", extra={**NOW, "PARALLEL_OUTPUT_PROCESSES": 1})
    # batch 7: the recorded pages are rendered in many batches during the build, not only at
    # finalized (the default batch holds every page of this small archive).
    parallel = run_build(archive, tmp_path / "parallel",
                         extra={**NOW, "PARALLEL_OUTPUT_PROCESSES": 3, "PARALLEL_OUTPUT_BATCH": batch})
    assert serial.returncode == 0, serial.log
    assert parallel.returncode == 0, parallel.log
    files = _files(tmp_path / "serial")
    assert len(files) > 300 and files == _files(tmp_path / "parallel")
    # No placeholder left behind: every article page was rendered by some process.
    page = next(p for p in (tmp_path / "parallel").rglob("*.html") if p.parent.name.isdigit())
    assert "<h1>" in page.read_text(encoding="utf-8")
    assert tree_digest(tmp_path / "serial") == tree_digest(tmp_path / "parallel")


def test_repository_content_parallel_equals_serial(tmp_path):
    serial = run_build(ROOT / "content", tmp_path / "serial", extra={**NOW, "PARALLEL_OUTPUT_PROCESSES": 1})
    parallel = run_build(ROOT / "content", tmp_path / "parallel", extra=NOW)
    assert serial.returncode == 0 and parallel.returncode == 0, serial.log + parallel.log
    assert tree_digest(tmp_path / "serial") == tree_digest(tmp_path / "parallel")


def test_a_template_error_in_a_render_process_fails_the_build(tmp_path, make_content):
    theme = tmp_path / "theme"
    for path in (ROOT / "theme").rglob("*"):
        if path.is_file():
            target = theme / path.relative_to(ROOT / "theme")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    article = theme / "templates" / "article.html"
    article.write_text(article.read_text(encoding="utf-8").replace(
        "{{ article.content }}", "{{ article.content }}{{ article.no_such_thing.boom() }}"), encoding="utf-8")
    content = make_content({f"2022/06/bai-{n}.md": f"Title: Bài {n}\nDate: 2{n}/06/2022\n\nNội dung {n}.\n"
                            for n in range(4)})
    result = run_build(content, tmp_path / "out", extra={**NOW, "THEME": str(theme)})
    assert result.returncode != 0
    assert "parallel_output" in result.log and "no_such_thing" in result.log


def test_run_in_processes_runs_every_item_once_and_reports_failures(tmp_path):
    items = [f"f{n}" for n in range(7)]

    def touch(share):
        for name in share:
            (tmp_path / name).write_text(str(os.getpid()), encoding="utf-8")

    run_in_processes(items, 3, touch)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(items)
    assert len({p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}) == 3  # three processes

    def fail_on_f5(share):
        if "f5" in share:
            raise ValueError("bad item f5")

    with pytest.raises(RuntimeError, match="bad item f5"):
        run_in_processes(items, 3, fail_on_f5)


def test_background_work_runs_in_another_process_and_returns_its_value(tmp_path):
    """parallel_output.Background: the value comes back; the caller goes on meanwhile; the work
    waits at proceed() until released; a failure is raised with the child's traceback; the
    temporary folder is gone either way."""
    import tempfile
    import time

    computed, written = tmp_path / "computed", tmp_path / "written"

    def work(proceed):
        computed.write_text("yes", encoding="utf-8")
        allowed = proceed()
        written.write_text(str(allowed), encoding="utf-8")
        return {"pid": os.getpid(), "data": b"\x00" * 100_000, "allowed": allowed}

    before = set(os.listdir(tempfile.gettempdir()))
    job = Background(work, prefix="test-background-")
    deadline = time.monotonic() + 30
    while not computed.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    assert computed.exists() and not written.exists()  # held at proceed() until released
    job.release()
    value = job.result()
    assert value["pid"] != os.getpid() and value["data"] == b"\x00" * 100_000 and value["allowed"] is True

    def fail(proceed):
        raise ValueError("encoding broke")

    with pytest.raises(RuntimeError, match="encoding broke"):
        Background(fail, prefix="test-background-").result()
    assert not {n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith("test-background-")}


def test_fresh_background_runs_the_work_in_a_new_interpreter(tmp_path, monkeypatch):
    """parallel_output.fresh_process.FreshBackground: the work runs in a new interpreter (not a
    fork: pytest is not loaded there), holds at proceed() until released, and its value comes
    back; a failure is raised with the child's traceback; dropped without release, the work
    is told not to proceed; the temporary folders are gone every time."""
    import gc
    import tempfile
    import time

    import fresh_work
    from plugins.parallel_output.fresh_process import FreshBackground

    monkeypatch.setenv("PYTHONPATH", str(ROOT / "tests"))
    prefix = tmp_path.name + "-fresh-"

    def wait_for(path):
        deadline = time.monotonic() + 60
        while not (path.exists() and path.read_text()) and time.monotonic() < deadline:
            time.sleep(0.02)
        return path.exists()

    held = tmp_path / "held"
    held.mkdir()
    job = FreshBackground(fresh_work.report, (held / "started",), prefix=prefix)
    assert wait_for(held / "started")
    time.sleep(0.2)
    assert not (held / "after").exists()  # held at proceed() until released
    value = job.result()
    assert value["pid"] != os.getpid() and value["allowed"] is True and value["pytest_loaded"] is False
    assert value["data"] == b"\x00" * 100_000

    with pytest.raises(RuntimeError, match="encoding broke"):
        FreshBackground(fresh_work.fail, (), prefix=prefix).result()

    dropped = tmp_path / "dropped"
    dropped.mkdir()
    job = FreshBackground(fresh_work.report, (dropped / "started",), prefix=prefix)
    assert wait_for(dropped / "started")
    del job
    gc.collect()
    assert wait_for(dropped / "after") and (dropped / "after").read_text() == "False"
    deadline = time.monotonic() + 30
    while [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(prefix)] and time.monotonic() < deadline:
        time.sleep(0.05)  # the abandoned child removes its own folder
    assert not [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(prefix)]


def test_background_work_is_not_released_when_the_build_process_ends(tmp_path):
    """A build that stops (here: exits) without releasing the work: proceed() says False, so
    the work never writes into the output of a failed build."""
    import subprocess
    import sys
    import time

    outcome = tmp_path / "outcome"
    script = (
        "import os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from plugins.parallel_output.parallel_output import Background\n"
        f"def work(proceed):\n    open({str(outcome)!r}, 'w').write(str(proceed()))\n"
        f"Background(work, prefix={tmp_path.name + '-bg-'!r})\n"
        "os._exit(3)\n"
    )
    assert subprocess.run([sys.executable, "-c", script], timeout=60).returncode == 3
    deadline = time.monotonic() + 30
    while not (outcome.exists() and outcome.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert outcome.read_text() == "False"
    import tempfile

    time.sleep(0.5)  # the child removes its folder after writing the outcome
    assert not [n for n in os.listdir(tempfile.gettempdir()) if n.startswith(tmp_path.name + "-bg-")]
