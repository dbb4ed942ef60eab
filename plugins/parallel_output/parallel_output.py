"""parallel_output: render and write the site's pages in several processes, byte for byte.

Pelican renders every page (articles, listings, archives, campaign pages) one after the other in
one process; on a machine with more than one core the others stay idle while Jinja runs. This
plugin's writer (``get_writer``) lets Pelican and every plugin call ``write_file`` exactly as
before: Pelican still builds each page's context, paginates, keeps its overwrite checks and
updates ``context["localsiteurl"]`` in the same order, but the template's ``render`` only
records the page (template, local context, the ``localsiteurl`` it would have seen) and Pelican
writes an empty placeholder. At ``finalized`` (list this plugin FIRST in PLUGINS, so that every
plugin reading the output at ``finalized`` finds it complete) the recorded pages are split
round-robin over ``PARALLEL_OUTPUT_PROCESSES`` processes forked from the build (the parent takes
the first share) and each page is rendered from the state it was recorded in and written.
Every ``PARALLEL_OUTPUT_BATCH`` recorded pages are rendered the same way as soon as the
``write_file`` call that recorded them returns: each recorded page holds its own copy of the
context, and holding all of them until ``finalized`` costs gigabytes at 100,000 articles.

Deterministic: every page's bytes depend only on its own recorded context, never on which
process renders it or when; the order of the recorded list is Pelican's. An error in any process
(a template error, or an error log under ``--fatal errors``) fails the build naming the page.

Settings: ``PARALLEL_OUTPUT_PROCESSES`` (None: the machine's core count; 1 = Pelican's own
serial writer), ``PARALLEL_OUTPUT_BATCH`` (1000 pages). With a receiver connected to ``content_written`` (which would see the
placeholders) the writer falls back to serial writing.
"""

import logging
import os
import pickle
import shutil
import tempfile
import traceback

from pelican import signals
from pelican.utils import sanitised_join
from pelican.writers import Writer

logger = logging.getLogger(__name__)

DEFAULTS = {
    "PARALLEL_OUTPUT_PROCESSES": [None, "processes that render pages; None = os.cpu_count(), 1 = serial"],
    "PARALLEL_OUTPUT_BATCH": [1000, "recorded pages rendered together; bounds the memory of held contexts"],
}
STATE_KEY = "PARALLEL_OUTPUT_STATE"
# Pelican uses only the first writer a get_writer receiver returns, and this plugin must come
# first in PLUGINS: a plugin that needs its own writer subclasses ParallelWriter and puts the
# subclass here at ``initialized`` (plugins.incremental_build does), so there is one writer.
WRITER_KEY = "PARALLEL_OUTPUT_WRITER_CLASS"
_UNSET = object()


class _Page:
    """One recorded page: what ``Template.render`` was given, and the shared state it saw."""

    __slots__ = ("path", "template", "localcontext", "context", "localsiteurl")

    def __init__(self, path, template, localcontext, context):
        self.path, self.template, self.localcontext, self.context = path, template, localcontext, context
        self.localsiteurl = context.get("localsiteurl", _UNSET)

    def write(self):
        # Contents read context["localsiteurl"] to make their links relative: restore what the
        # serial writer had set when it rendered this page.
        if self.localsiteurl is _UNSET:
            self.context.pop("localsiteurl", None)
        else:
            self.context["localsiteurl"] = self.localsiteurl
        output = self.template.render(self.localcontext)
        with open(self.path, "w", encoding="utf-8") as handle:
            handle.write(output)


class _Recording:
    """Stands in for a Jinja template inside ``Writer.write_file``: records instead of rendering."""

    def __init__(self, template, writer, context):
        self._template, self._writer, self._context = template, writer, context

    def render(self, localcontext):
        path = sanitised_join(self._writer.output_path, localcontext["output_file"])
        self._writer.pages.append(_Page(path, self._template, localcontext, self._context))
        return ""

    def __getattr__(self, name):
        return getattr(self._template, name)


class ParallelWriter(Writer):
    """Pelican's Writer whose pages are rendered at ``finalized`` by several processes."""

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.pages = []
        self.processes = process_count(settings or {})
        self.batch = (settings or {}).get("PARALLEL_OUTPUT_BATCH") or DEFAULTS["PARALLEL_OUTPUT_BATCH"][0]
        if settings is not None:
            settings[STATE_KEY] = self

    def write_file(self, name, template, context, *args, **kwargs):
        result = super().write_file(name, self.wrap_template(template, context), context, *args, **kwargs)
        # Every recorded page holds its own copy of the context (Pelican copies it per page):
        # render them in batches, or 100,000 articles keep gigabytes alive until finalized.
        # Only here, once write_file has written the placeholders of this call's pages.
        if len(self.pages) >= self.batch:
            self.flush()
        return result

    def wrap_template(self, template, context):
        """The template ``Writer.write_file`` renders; subclasses wrap the result further (their
        wrapper's ``render`` runs first, in this process, in Pelican's order)."""
        if self.processes > 1 and not signals.content_written.receivers:
            return _Recording(template, self, context)
        return template

    def flush(self):
        """Render and write every recorded page; raise RuntimeError if any process failed."""
        pages, self.pages = self.pages, []
        if not pages:
            return
        run_in_processes(pages, self.processes, _write_share)


def _fork(work):
    """Run ``work()`` in a child forked from this process: ``(pid, read end of the pipe that
    carries the child's traceback when it fails)``. The child never returns."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run the work, report a failure through the pipe
        os.close(read_end)
        code = 0
        try:
            work()
        except BaseException:  # noqa: BLE001 (every failure must reach the parent)
            os.write(write_end, traceback.format_exc().encode("utf-8", "replace"))
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _join(pid, read_end):
    """Wait for a child of :func:`_fork`: "" when it succeeded, else what went wrong."""
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if report or os.waitstatus_to_exitcode(status) != 0:
        return report or f"process {pid} exited with status {status}"
    return ""


def round_robin(items, processes):
    """``items`` split into ``max(1, processes)`` shares, item i in share i % processes."""
    processes = max(1, processes)
    return [items[i::processes] for i in range(processes)]


def run_in_processes(items, processes, work):
    """``work(share)`` over ``items`` split round-robin into ``processes`` shares, the first in
    this process and each other in a child forked from it (so it sees this process's state).

    Nothing comes back but failures: ``work`` must write its results itself (files, each owned
    by exactly one item), so the result never depends on which process ran which share.
    Raises RuntimeError with every failing share's traceback."""
    shares = round_robin(items, processes)
    children = [_fork(lambda share=share: work(share)) for share in shares[1:] if share]
    failures = []
    try:
        work(shares[0])
    except Exception:  # noqa: BLE001 (collected with the children's, raised below)
        failures.append(traceback.format_exc())
    failures += [report for report in (_join(pid, read_end) for pid, read_end in children) if report]
    if failures:
        raise RuntimeError("parallel_output: " + "\n".join(failures))


def released_by(read_end, abandoned):
    """The ``proceed()`` of background work waiting on the pipe ``read_end``: True once the
    build writes "1" to it; False when the pipe closes first (the build ended without releasing
    the work), which is also noted in the list ``abandoned``."""

    def proceed():
        if os.read(read_end, 1) == b"1":
            return True
        abandoned.append(True)
        return False

    return proceed


class Background:
    """``work(proceed)`` computed in a process forked from this one while this one goes on; its
    (picklable) result comes back through a file in a private temporary folder when
    :meth:`result` is called. Use it for work whose result is needed later in the build and
    that reads only what it was given (the child sees this process as it was at the fork).

    ``proceed()``, called in the child, waits until this process calls :meth:`release` (or
    :meth:`result`) and returns True, or returns False when this process ended without
    releasing it (a build that failed): work that must not touch the output before the build
    has checked its claims waits for it."""

    def __init__(self, work, prefix="parallel_output-"):
        self._folder = tempfile.mkdtemp(prefix=prefix)
        self._path = os.path.join(self._folder, "result.pickle")
        gate_read, self._gate = os.pipe()
        abandoned = []
        proceed = released_by(gate_read, abandoned)

        def run():
            os.close(self._gate)
            value = work(proceed)
            if abandoned:  # nobody will collect it
                shutil.rmtree(self._folder, ignore_errors=True)
                return
            with open(self._path, "wb") as handle:
                pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)

        try:
            self._child = _fork(run)
        except OSError:
            os.close(self._gate)
            shutil.rmtree(self._folder, ignore_errors=True)
            raise
        finally:
            os.close(gate_read)

    def release(self):
        """Let the child's ``proceed()`` return True (once; later calls do nothing)."""
        if self._gate is not None:
            os.write(self._gate, b"1")
            os.close(self._gate)
            self._gate = None

    def result(self):
        """The value of ``work()``; raises RuntimeError with the child's traceback if it failed."""
        self.release()
        try:
            report = _join(*self._child)
            if report:
                raise RuntimeError("parallel_output: background work failed:\n" + report)
            with open(self._path, "rb") as handle:
                return pickle.load(handle)
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


def _write_share(share):
    for page in share:
        try:
            page.write()
        except Exception as exc:
            raise RuntimeError(f"parallel_output: {page.localcontext.get('output_file')}: {exc}") from exc


def process_count(settings):
    value = settings.get("PARALLEL_OUTPUT_PROCESSES")
    if value is None:
        return max(1, os.cpu_count() or 1)
    return value


def configure(pelican):
    settings = pelican.settings
    for name, (default, _doc) in DEFAULTS.items():
        value = settings.get(name, default)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            logger.error("parallel_output: invalid %s %r; using %r", name, value, default)
            value = default
        settings[name] = value
    settings[STATE_KEY] = None
    settings[WRITER_KEY] = ParallelWriter


def get_writer(pelican):
    return pelican.settings.get(WRITER_KEY) or ParallelWriter


def flush(pelican):
    writer = pelican.settings.get(STATE_KEY)
    if writer is not None:
        writer.flush()


def register():
    signals.initialized.connect(configure)
    signals.get_writer.connect(get_writer)
    signals.finalized.connect(flush)
