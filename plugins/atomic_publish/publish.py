"""Build into a fresh folder, verify it, then swap it in atomically.

Layout, for a live folder ``public`` (``invoke publish``; ``invoke build`` uses ``output`` the same
way; any name works, everything beside it on the same filesystem)::

    public/                 the live site: always a complete build, served as is
    public.prev/            the build that was live before the last swap (``invoke rollback``)
    public.new-<pid>/       a build in progress (deleted on failure; stale ones on the next run)
    public.old-<pid>/       a site that was live a moment ago, on its way to public.prev/
    public.trash-<pid>/     the replaced public.prev/, being deleted
    public.state/lock       flock: one publish/build/rollback at a time
    public.state/report-<pid>.json  the build_guard summary of that build (outside the site)

The rollback target is never deleted before its successor is in place: the old ``.prev`` is
renamed to ``.trash-<pid>`` (atomic) and the replaced site renamed to ``.prev`` before the trash
is deleted, so a SIGKILL at any moment leaves a ``.prev`` to roll back to; ``recover`` finishes
an interrupted swap (an ``.old-*`` folder beside a live folder is the site that was live before
it and becomes ``.prev``).

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


def _not_a_folder(path):
    """Why ``path`` cannot be a live or previous build folder, or "" (also when it is missing)."""
    if os.path.islink(path):
        return f"{path} is a symbolic link, not a build folder: move it away (the swap would replace the link)"
    if os.path.lexists(path) and not os.path.isdir(path):
        return f"{path} is a file, not a build folder: move it away or delete it, then run again"
    return ""


def _describe(exc, live):
    """A one-line reason for an OSError met while publishing ``live`` (no traceback for editors)."""
    where = exc.filename or live
    if isinstance(exc, PermissionError):
        return (f"permission denied on {where}: the folder beside {os.path.basename(live)}/ must be "
                f"writable by this user (it holds the new, previous and state folders)")
    return f"{exc.strerror or exc} ({where})"


def remove_tree(path):
    """Delete a build folder completely, also read-only folders inside it (a build copies the
    modes of static files). Raises PublishError naming what is left when that is impossible."""

    def make_writable(function, failed, _exc):
        parent = os.path.dirname(failed)
        for folder in (parent, failed):
            with contextlib.suppress(OSError):
                os.chmod(folder, os.stat(folder).st_mode | 0o700)
        function(failed)

    if not os.path.lexists(path):
        return
    try:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, onerror=make_writable)
        else:
            os.remove(path)
    except OSError as exc:
        raise PublishError(f"could not delete {path}: {_describe(exc, path)}; delete it by hand") from None


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

    - ``public`` missing but ``public.old-<pid>`` present (killed between the two renames of the
      fallback swap): put the old site back;
    - ``public`` present and ``public.old-<pid>`` present (killed after the swap, before the old
      site became ``public.prev``): it is the site that was live before, so it becomes
      ``public.prev`` (the previous ``.prev`` is older and goes);
    - every other ``.new-*``/``.old-*``/``.trash-*`` folder and ``.state/report-*`` is stale: delete it.
    Returns the list of removed paths.
    """
    live, parent, name = _paths(live)
    # (``.old-<pid>-prev``: a half-deleted previous build, as runs before issue 11 named it.)
    olds = sorted((e for e in os.listdir(parent) if e.startswith(f"{name}.old-") and not e.endswith("-prev")),
                  key=lambda e: os.stat(os.path.join(parent, e)).st_mtime_ns)
    if not os.path.exists(live) and olds:
        os.rename(os.path.join(parent, olds.pop()), live)
    elif olds:
        _retire(os.path.join(parent, olds.pop()), live)
    removed = []
    state = state_dir(live)
    entries = [os.path.join(parent, e) for e in sorted(os.listdir(parent))
               if e.startswith((f"{name}.new-", f"{name}.old-", f"{name}.trash-"))]
    entries += [os.path.join(state, e) for e in sorted(os.listdir(state)) if e.startswith("report-")]
    for path in entries:
        remove_tree(path)
        removed.append(path)
    return removed


def _retire(old, live, log=None):
    """Make ``old`` (the site that was live until the swap) the rollback target ``<live>.prev``.

    The current ``.prev`` is renamed aside first and deleted only once ``old`` has taken its
    place: at every moment one of them is there to roll back to.
    """
    live, parent, name = _paths(live)
    prev = os.path.join(parent, f"{name}.prev")
    trash = None
    if os.path.lexists(prev):
        trash = os.path.join(parent, f"{name}.trash-{os.getpid()}")
        os.rename(prev, trash)
    os.rename(old, prev)
    _fsync_dir(parent)
    if trash:
        try:
            remove_tree(trash)
        except PublishError as exc:
            if log is None:
                raise
            # The new site is live and .prev is in place: say what is left, loudly, and go on;
            # the next run retries and refuses to start until it is gone.
            log(f"publish: warning: {exc}")
    return prev


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


def swap_in(new, live, log=None):
    """Make ``new`` the live folder and keep the replaced one as ``<live>.prev``.

    Returns (how, previous path or None).
    """
    live, parent, name = _paths(live)
    if not os.path.exists(live):
        os.rename(new, live)
        _fsync_dir(parent)
        return "rename", None
    old = os.path.join(parent, f"{name}.old-{os.getpid()}")
    if exchange(new, live):
        how = "exchange"
        os.rename(new, old)  # ``new`` now holds the site that was live
    else:
        os.rename(live, old)
        os.rename(new, live)
        how = "two-renames"
    return how, _retire(old, live, log)


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


def publish(content, settings_file, live, extra=None, check_links=True, env=None, timeout=None, log=None,
            incremental=False):
    """Build ``content`` with ``settings_file`` and atomically make it the ``live`` folder.

    ``incremental``: reuse the unchanged pages of the live folder (plugins.incremental_build
    hard-links them into the new folder; the live folder is only read). The build is still
    made in a fresh folder and swapped in whole.

    Raises PublishError (live untouched) on any failure; returns a PublishResult.
    """
    log = log or (lambda message: print(message, file=sys.stderr))
    live, parent, name = _paths(live)
    if incremental and os.path.isdir(live):
        extra = {**(extra or {}), "INCREMENTAL_BUILD_BASE": live}
    try:
        return _publish(content, settings_file, live, extra, check_links, env, timeout, log)
    except OSError as exc:
        raise PublishError(f"cannot publish into {live}: {_describe(exc, live)}; {live} is unchanged") from None


def _refuse_non_folders(live):
    _, parent, name = _paths(live)
    for path in (live, os.path.join(parent, f"{name}.prev")):
        why = _not_a_folder(path)
        if why:
            raise PublishError(why)


def _publish(content, settings_file, live, extra, check_links, env, timeout, log):
    live, parent, name = _paths(live)
    _refuse_non_folders(live)
    # Before building: a publish that cannot tell where the site is served must not start.
    siteurl = (extra or {}).get("SITEURL") or (_siteurl(settings_file) if check_links else "")
    if os.path.isdir(parent) and not os.access(parent, os.W_OK | os.X_OK):
        raise PermissionError(errno.EACCES, "Permission denied", parent)
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
            problems = verify(new, summary, check_links=check_links, siteurl=siteurl)
            if problems:
                raise PublishError("verification failed; %s is unchanged:\n  %s" % (live, "\n  ".join(problems)))
            how, previous = swap_in(new, live, log)
            return PublishResult(live=live, previous=previous, summary=summary or {},
                                 stdout=proc.stdout, stderr=proc.stderr, swap=how)
        finally:
            try:
                remove_tree(new)
            except PublishError as exc:
                log(f"publish: warning: {exc}")  # never hide why the publish itself failed
            with contextlib.suppress(FileNotFoundError):
                os.remove(report)


def rollback(live):
    """Swap ``live`` and ``<live>.prev`` (running it twice undoes the rollback)."""
    live, parent, name = _paths(live)
    prev = os.path.join(parent, f"{name}.prev")
    try:
        _refuse_non_folders(live)
        with locked(live):
            recover(live)
            if not os.path.isdir(prev):
                raise PublishError(f"nothing to roll back to: {prev} does not exist")
            if not os.path.isdir(live):
                os.rename(prev, live)
            elif not exchange(prev, live):
                # live -> old, prev -> live; recover() completes it (old becomes prev) if killed here.
                old = os.path.join(parent, f"{name}.old-{os.getpid()}")
                os.rename(live, old)
                os.rename(prev, live)
                os.rename(old, prev)
            _fsync_dir(parent)
    except OSError as exc:
        raise PublishError(f"cannot roll back {live}: {_describe(exc, live)}; nothing was changed") from None
    return live


def _siteurl(settings_file):
    """SITEURL of the settings, so links are checked as the portal serves them. A publish whose
    settings cannot be read fails: checking links against the wrong address checks nothing."""
    from plugins.content_check.cli import load_settings  # noqa: PLC0415 (keeps the locale)

    try:
        return load_settings(settings_file).get("SITEURL", "") or ""
    except Exception as exc:  # noqa: BLE001 - any error in a settings file
        raise PublishError(f"cannot read SITEURL from {settings_file} to check the links "
                           f"({type(exc).__name__}: {exc}); nothing was published") from None
