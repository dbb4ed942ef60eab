"""Shared test fixtures: build real sites with Pelican exactly as `invoke build` does."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def pelican_state_reset():
    """Pelican keeps state between in-process runs: signal receivers stay connected and
    LimitFilter remembers messages already logged. Restore both after every test."""
    from blinker import Signal
    from pelican.log import LimitFilter
    from pelican.plugins import signals

    every = [value for value in vars(signals).values() if isinstance(value, Signal)]
    saved = {signal: set(signal.receivers) for signal in every}
    yield
    for signal in every:
        for receiver_id in set(signal.receivers) - saved[signal]:
            receiver = signal.receivers[receiver_id]
            receiver = receiver() if isinstance(receiver, weakref.ref) else receiver
            if receiver is not None:
                signal.disconnect(receiver)
    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


@dataclass
class BuildResult:
    returncode: int
    stdout: str
    stderr: str
    output: Path

    @property
    def log(self):
        return self.stdout + self.stderr

    def page(self, relative):
        """Parsed HTML of ``relative`` (a URL path or file path below the output)."""
        path = self.output / relative.lstrip("/")
        if relative.endswith("/") or path.is_dir():
            path = path / "index.html"
        return soup(path)


def soup(path):
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "html.parser")


def output_digest(folder):
    """Every output file's path and bytes (.gz included), the incremental state file excepted
    (it holds the settings' digest, and builds compared with it differ in cache settings)."""
    files = {}
    for path in sorted(p for p in Path(folder).rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        if rel != ".state/incremental":
            files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def pelican_command(content_dir, output_dir, settings_file=None, extra=None):
    """The command line `invoke build` runs, for arbitrary content and output folders."""
    command = [
        sys.executable, "-m", "pelican", str(content_dir),
        "-s", str(settings_file or ROOT / "pelicanconf.py"),
        "-o", str(output_dir), "--fatal", "errors",
    ]
    if extra:
        command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in extra.items())]
    return command


def run_build(content_dir, output_dir, settings_file=None, extra=None, timeout=300):
    # Rich wraps log lines at the terminal width; a wide fake terminal keeps messages on one line.
    env = dict(os.environ, COLUMNS="250", PYTHONPATH=str(ROOT))
    completed = subprocess.run(
        pelican_command(content_dir, output_dir, settings_file, extra),
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
        # Pelican logs UTF-8; never decode with the locale (a test calling read_settings in-process
        # leaves LC_ALL at pelicanconf's "C", i.e. ASCII).
        encoding="utf-8", errors="replace",
    )
    return BuildResult(completed.returncode, completed.stdout, completed.stderr, Path(output_dir))


def verbose_build(content_dir, output_dir, extra):
    """(returncode, log) of a build like ``invoke build`` plus ``-v``: the plugins' figures
    ("N from the cache") are in the log, on unwrapped lines."""
    proc = subprocess.run(pelican_command(content_dir, output_dir, extra=extra) + ["-v"], cwd=ROOT,
                          env={"COLUMNS": "250", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                          capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=600)
    return proc.returncode, proc.stdout + proc.stderr


def synthetic_archive(folder, count):
    """``count`` articles of the bench's synthetic archive in ``folder`` with the site's real
    campaign registries (content/*.toml) beside them; returns the folder."""
    from benchmarks.synthetic import write_archive  # noqa: PLC0415

    content = write_archive(Path(folder), count)
    for registry in ROOT.glob("content/*.toml"):
        (content / registry.name).write_bytes(registry.read_bytes())
    return content


def with_imported_categories(content):
    """Build settings that accept the categories the import wrote.

    The importer keeps the old portal's breadcrumb category; the build refuses a category outside
    KNOWN_CATEGORIES (issue 11: as `invoke check` does), so a portal team adds them to the
    settings before building, which is what these builds do."""
    import re  # noqa: PLC0415

    from plugins.content_check.cli import load_settings  # noqa: PLC0415

    known = list(load_settings(ROOT / "pelicanconf.py")["KNOWN_CATEGORIES"])
    for path in sorted(Path(content).rglob("*.md")):
        found = re.search(r"^Category: (.+)$", path.read_text(encoding="utf-8"), re.M)
        if found and found.group(1) not in known:
            known.append(found.group(1))
    return {"KNOWN_CATEGORIES": known}


@pytest.fixture
def build_site(tmp_path):
    """Build ``content_dir`` into a fresh folder; returns a BuildResult (does not assert success)."""

    def build(content_dir, output_dir=None, settings=None, extra=None):
        output_dir = output_dir or tmp_path / f"output-{len(list(tmp_path.glob('output-*')))}"
        return run_build(content_dir, output_dir, settings, extra)

    return build


@pytest.fixture
def make_content(tmp_path):
    """Write ``{relative path: text}`` into a fresh content folder and return it."""

    def make(files, base=None):
        content = Path(base or tmp_path / "content")
        for relative, text in files.items():
            path = content / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                path.write_bytes(text)
            else:
                path.write_text(text, encoding="utf-8")
        return content

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory):
    """The repository's own content/, built once per test session; returns the output Path."""
    output = tmp_path_factory.mktemp("sample-site") / "output"
    result = run_build(ROOT / "content", output)
    assert result.returncode == 0, result.log
    return output


@pytest.fixture
def copy_site(tmp_path):
    """Copy a scenario from tests/sites/<name>/content into tmp_path and return the copy."""

    def copy(name):
        target = tmp_path / name / "content"
        shutil.copytree(SITES / name / "content", target)
        return target

    return copy


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium for one module's browser tests (benchmarks.browser.launch: the
    project's one launcher and flags). Modules check /usr/bin/chromium before using it."""
    from playwright import sync_api  # noqa: PLC0415 (only browser tests need it)

    from benchmarks.browser import launch  # noqa: PLC0415

    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        try:
            yield chromium
        finally:
            chromium.close()
