"""The README's two set-up commands (issue 11, item 14): they work where the system Python refuses
`pip install` (PEP 668, stock Debian 12 / Ubuntu 24.04), and .ci/run runs exactly them."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT

SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


def readme_commands():
    """{what: command} of the README's set-up table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (install and [^|]+?) \| `([^`]+)` \|$", section, re.M)
    return dict(rows)


def test_ci_runs_exactly_the_readme_commands():
    commands = readme_commands()
    assert set(commands) == {"install and build the site from the sample content into `output/`",
                             "install and run the tests"}, commands
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    runs = [line for line in lines if line and not line.startswith("#")]
    # After the Debian packages: the two commands, in README order, verbatim, and nothing else.
    assert runs[-2:] == list(commands.values()), runs
    assert not [line for line in runs if "pip install" in line]


def externally_managed_python():
    """A system Python (not a venv) that refuses `pip install` (PEP 668 marker in its stdlib)."""
    for candidate in SYSTEM_PYTHONS:
        if not os.path.exists(candidate):
            continue
        probe = subprocess.run([candidate, "-c", "import sys, sysconfig; print(sys.prefix == sys.base_prefix, "
                                "sysconfig.get_path('stdlib'))"], capture_output=True, text=True)
        plain, _, stdlib = probe.stdout.strip().partition(" ")
        if plain == "True" and os.path.exists(os.path.join(stdlib, "EXTERNALLY-MANAGED")):
            return candidate
    return None


def test_readme_build_command_works_where_pip_is_externally_managed(tmp_path):
    python = externally_managed_python()
    if python is None:
        if os.environ.get("CI") and os.path.exists("/etc/debian_version") and os.path.exists("/usr/bin/python3"):
            pytest.fail("Debian's /usr/bin/python3 has no EXTERNALLY-MANAGED marker: cannot check PEP 668")
        pytest.skip("no PEP 668 (externally managed) system Python on this machine")
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
        ".git", ".venv", "output*", "public*", "__pycache__", ".pytest_cache", ".hypothesis"))
    # A PATH where python3 is that system Python and nothing else of ours comes first.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python3").symlink_to(python)
    env = {key: value for key, value in os.environ.items()
           if key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYENV_VERSION", "VENV", "PYTHON")}
    env["PATH"] = f"{bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin"
    # The old README command fails there: that Python refuses to install anything.
    old = subprocess.run(["python3", "-m", "pip", "install", "-r", "requirements.txt"], cwd=repo, env=env,
                         capture_output=True, text=True)
    assert old.returncode != 0
    assert "externally-managed-environment" in old.stderr or "No module named pip" in old.stderr, old.stderr
    if subprocess.run([python, "-c", "import ensurepip"], capture_output=True).returncode != 0 and os.geteuid() != 0:
        pytest.skip(f"{python} has no ensurepip (python3-venv) and the test cannot apt-get it")
    command = readme_commands()["install and build the site from the sample content into `output/`"]
    run = subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                         encoding="utf-8", timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "build summary: found" in run.stdout and (repo / "output" / "index.html").is_file()
    venv_python = repo / ".venv" / "bin" / "python"
    assert os.path.realpath(subprocess.run([venv_python, "-c", "import sys; print(sys._base_executable)"],
                                           capture_output=True, text=True).stdout.strip()) == os.path.realpath(python)
    # Run again: nothing to install, straight to the task.
    again = subprocess.run(["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True,
                           encoding="utf-8", timeout=300)
    assert again.returncode == 0 and "installing requirements" not in again.stderr, again.stderr


def test_bootstrap_explains_a_missing_python():
    env = dict(os.environ, PYTHON="python3-that-does-not-exist")
    run = subprocess.run([str(ROOT / "scripts" / "bootstrap"), "build"], env=env, capture_output=True, text=True)
    assert run.returncode == 1
    assert "bootstrap: python3-that-does-not-exist not found" in run.stderr
