"""Build into a fresh folder, verify it, then swap it in atomically.

Layout, for a live folder ``output`` (any name works, always beside it, same filesystem)::

    output/                 the live site: always a complete build, served as is
    output.prev/            the build that was live before the last swap (``invoke rollback``)
    output.new-<pid>/       a build in progress (deleted on failure; stale ones on the next run)
    output.state/lock       flock: one publish/build/rollback at a time
    output.state/report-<pid>.json  the build_guard summary of that build (outside the site)

How the swap is atomic (and why this way)
-----------------------------------------
On Linux the swap is one ``renameat2(new, live, RENAME_EXCHANGE)`` system call: the kernel
exchanges the two directory entries atomically, so a reader (or a crash) sees either the old
complete site or the new complete site, never a missing or half-written one, and ``output``
stays a plain directory (rsync, web servers, ``invoke serve`` and the tests need no symlink
awareness; a symlink ``output -> builds/<id>`` is equally atomic but turns every ``rm -rf
output``/``DELETE_OUTPUT_DIRECTORY``/``rsync output/`` into a trap). After the exchange the
old site sits at ``output.new-<pid>`` and is renamed to ``output.prev``.

Where ``RENAME_EXCHANGE`` is unavailable (non-Linux, old kernels, some filesystems) the swap
falls back to two renames: ``output -> output.old-<pid>`` then ``output.new-<pid> -> output``.
Between them ``output`` is missing for a moment; if the process dies exactly there the next
run's recovery renames ``output.old-<pid>`` back to ``output`` before doing anything else, so
the previous site is restored (never a half-written one).

A failure at any point before the swap (the build exits non-zero, a plugin raises, the build
is killed, the summary says a source was lost, a link is broken) only ever touches
``output.new-<pid>``; the live folder is not opened for writing at all.
"""

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass, field

from .verify import broken_links

RENAME_EXCHANGE = 2
AT_FDCWD = -100
PR_SET_PDEATHSIG = 1


class PublishError(RuntimeError):
    """A publish that did not happen; the live folder is unchanged."""


@dataclass
class PublishResult:
    live: str
    previous: str | None
    summary: dict = field(default_factory=dict)
    stdout: str = ""
    stderr: str = ""
    swap: str = ""  # "exchange", "rename" (first publish) or "two-renames"


def _paths(live):
    live = os.path.abspath(live).rstrip(os.sep)
    parent, name = os.path.split(live)
    return live, parent, name


def state_dir(live):
    """``<live>.state/``: the lock and build reports, beside the live folder, never inside it."""
    live, parent, name = _paths(live)
    path = os.path.join(parent, f"{name}.state")
    os.makedirs(path, exist_ok=True)
    return path


@contextlib.contextmanager
def locked(live):
    """Hold an exclusive lock for ``live`` (beside it); fail fast when another run holds it."""
    live, parent, name = _paths(live)
    os.makedirs(parent, exist_ok=True)
    handle = open(os.path.join(state_dir(live), "lock"), "a+")  # noqa: SIM115
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError(f"another build or publish of {live} is running") from None
        yield
    finally:
        handle.close()


def recover(live):
    """Repair what a killed run left behind. Call with the lock held.

    - ``output`` missing but ``output.old-<pid>`` present (killed between the two renames of
      the fallback swap): put the old site back;
    - every ``output.new-*``/``output.old-*`` folder and ``output.state/report-*`` left is stale:
      delete it.
    Returns the list of removed paths.
    """
    live, parent, name = _paths(live)
    olds = sorted(e for e in os.listdir(parent) if e.startswith(f"{name}.old-"))
    if not os.path.exists(live) and olds:
        os.rename(os.path.join(parent, olds[-1]), live)
        olds = olds[:-1]
    removed = []
    state = state_dir(live)
    entries = [os.path.join(parent, e) for e in sorted(os.listdir(parent))
               if e.startswith((f"{name}.new-", f"{name}.old-"))]
    entries += [os.path.join(state, e) for e in sorted(os.listdir(state)) if e.startswith("report-")]
    for path in entries:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
        removed.append(path)
    return removed


def exchange(a, b):
    """Atomically exchange two directory entries (Linux renameat2). False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), a)


def _fsync_dir(path):
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def swap_in(new, live):
    """Make ``new`` the live folder and keep the replaced one as ``<live>.prev``.

    Returns (how, previous path or None).
    """
    live, parent, name = _paths(live)
    prev = os.path.join(parent, f"{name}.prev")
    if not os.path.exists(live):
        os.rename(new, live)
        _fsync_dir(parent)
        return "rename", None
    if exchange(new, live):
        how = "exchange"
    else:
        old = os.path.join(parent, f"{name}.old-{os.getpid()}")
        os.rename(live, old)
        os.rename(new, live)
        os.rename(old, new)
        how = "two-renames"
    # ``new`` now holds the site that was live: it becomes output.prev.
    if os.path.exists(prev):
        trash = os.path.join(parent, f"{name}.old-{os.getpid()}-prev")
        os.rename(prev, trash)
        shutil.rmtree(trash, ignore_errors=True)
    os.rename(new, prev)
    _fsync_dir(parent)
    return how, prev


def _die_with_parent():  # pragma: no cover - runs in the child between fork and exec
    """Kill the build if the publishing process dies (so no orphan keeps writing)."""
    with contextlib.suppress(Exception):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def failure_lines(lines, last=30):
    """What a failed build shows: every content-rules problem line (the build lists them all,
    issue 11; there may be hundreds), then the last ``last`` other lines of the log."""
    problems = [line for line in lines if re.search(r":\d+: (?:error|warning): .* \[[a-z-]+\]$", line)]
    listed = set(problems)
    rest = [line for line in lines if line not in listed][-last:]
    return problems + rest


def run_pelican(content, settings_file, output, report, extra=None, env=None, timeout=None):
    """Run Pelican exactly like ``invoke build`` into ``output``; return CompletedProcess."""
    command = [
        sys.executable, "-m", "pelican", os.path.abspath(content),
        "-s", os.path.abspath(settings_file), "-o", os.path.abspath(output), "--fatal", "errors",
    ]
    overrides = {"BUILD_GUARD_REPORT": os.path.abspath(report)}
    overrides.update(extra or {})
    command += ["-e", *(f"{key}={json.dumps(value)}" for key, value in sorted(overrides.items()))]
    return subprocess.run(
        command, capture_output=True, text=True, env=env, timeout=timeout,
        cwd=os.path.dirname(os.path.abspath(settings_file)),
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
    )


def read_summary(report):
    try:
        with open(report, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def verify(new, summary, check_links=True, siteurl=""):
    """Problems that forbid swapping ``new`` in (empty list: good to publish)."""
    problems = []
    if summary is None:
        problems.append("no build summary was written (is plugins.build_guard in PLUGINS?)")
    else:
        if summary.get("failed", 0):
            problems.append(f"{summary['failed']} source(s) failed: {', '.join(summary.get('failed_files', []))}")
        lost = list(summary.get("lost", [])) + list(summary.get("lost_pages", []))
        if lost:
            problems.append(f"source(s) neither published nor held back: {', '.join(lost)}")
        held = sum(summary.get(k, 0) for k in ("published", "drafts", "scheduled", "hidden", "failed"))
        if summary.get("found", 0) != held:
            problems.append(f"summary does not add up: found {summary.get('found')} but accounted for {held}")
    if not os.path.isfile(os.path.join(new, "index.html")):
        problems.append("the build has no index.html")
    if check_links and not problems:
        broken = broken_links(new, siteurl=siteurl)
        problems += [f"broken internal link in {page}: {href}" for page, href in broken[:50]]
        if len(broken) > 50:
            problems.append(f"... and {len(broken) - 50} more broken links")
    return problems


def publish(content, settings_file, live, extra=None, check_links=True, env=None, timeout=None, log=None):
    """Build ``content`` with ``settings_file`` and atomically make it the ``live`` folder.

    Raises PublishError (live untouched) on any failure; returns a PublishResult.
    """
    log = log or (lambda message: print(message, file=sys.stderr))
    live, parent, name = _paths(live)
    with locked(live):
        for path in recover(live):
            log(f"publish: removed stale {os.path.basename(path)}")
        new = os.path.join(parent, f"{name}.new-{os.getpid()}")
        report = os.path.join(state_dir(live), f"report-{os.getpid()}.json")
        try:
            os.makedirs(new)
            try:
                proc = run_pelican(content, settings_file, new, report, extra=extra, env=env, timeout=timeout)
            except subprocess.TimeoutExpired as exc:
                raise PublishError(f"build timed out after {exc.timeout} s; {live} is unchanged") from None
            if proc.returncode != 0:
                tail = "\n".join(failure_lines((proc.stdout + proc.stderr).strip().splitlines()))
                raise PublishError(f"build failed (exit {proc.returncode}); {live} is unchanged\n{tail}")
            summary = read_summary(report)
            siteurl = (extra or {}).get("SITEURL") or _siteurl(settings_file)
            problems = verify(new, summary, check_links=check_links, siteurl=siteurl)
            if problems:
                raise PublishError("verification failed; %s is unchanged:\n  %s" % (live, "\n  ".join(problems)))
            how, previous = swap_in(new, live)
            return PublishResult(live=live, previous=previous, summary=summary or {},
                                 stdout=proc.stdout, stderr=proc.stderr, swap=how)
        finally:
            if os.path.exists(new):
                shutil.rmtree(new, ignore_errors=True)
            with contextlib.suppress(FileNotFoundError):
                os.remove(report)


def rollback(live):
    """Swap ``live`` and ``<live>.prev`` (running it twice undoes the rollback)."""
    live, parent, name = _paths(live)
    prev = os.path.join(parent, f"{name}.prev")
    with locked(live):
        recover(live)
        if not os.path.isdir(prev):
            raise PublishError(f"nothing to roll back to: {prev} does not exist")
        if not os.path.isdir(live):
            os.rename(prev, live)
        elif not exchange(prev, live):
            old = os.path.join(parent, f"{name}.old-{os.getpid()}")
            os.rename(live, old)
            os.rename(prev, live)
            os.rename(old, prev)
        _fsync_dir(parent)
    return live


def _siteurl(settings_file):
    from plugins.content_check.cli import load_settings  # noqa: PLC0415 (keeps the locale)

    try:
        return load_settings(settings_file).get("SITEURL", "")
    except Exception:
        return ""
