"""Background work in a new Python interpreter instead of a fork of the build.

A forked child starts with the build's whole resident memory mapped (1.3 GB at 100,000
articles when the search index is encoded), so its peak is that plus its own work. A new
interpreter holds only what it is given. :class:`FreshBackground` has the interface of
:class:`.parallel_output.Background`; the work is ``function(*args, proceed)`` with
``function`` a module-level function and ``args`` picklable, sent through a file.

Run as ``python -m plugins.parallel_output.fresh_process FOLDER GATE_FD`` by
:class:`FreshBackground` only.
"""

import gc
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import traceback

from .parallel_output import released_by, round_robin

JOB, RESULT, ERROR = "job.pickle", "result.pickle", "error.txt"


def _import_root():
    """The folder that holds the ``plugins`` package, for the child's ``sys.path``."""
    import plugins

    return os.path.dirname(os.path.dirname(os.path.abspath(plugins.__file__)))


class FreshBackground:
    """``function(*args, proceed)`` run in a new interpreter while this process goes on; its
    result comes back (pickled, through the private temporary folder) from :meth:`result`.

    ``proceed()``, called in the child, waits until this process calls :meth:`release` (or
    :meth:`result`) and returns True, or returns False when this process ended (or dropped
    this object) without releasing it: work that must not touch the output before the build
    has checked its claims waits for it. Raises OSError when the interpreter cannot start."""

    def __init__(self, function, args, prefix="fresh_process-"):
        self._folder = tempfile.mkdtemp(prefix=prefix)
        self._gate = None
        try:
            with open(os.path.join(self._folder, JOB), "wb") as handle:
                pickle.dump((function, tuple(args)), handle, protocol=pickle.HIGHEST_PROTOCOL)
            gate_read, self._gate = os.pipe()
            try:
                path = os.environ.get("PYTHONPATH")
                env = dict(os.environ, PYTHONPATH=_import_root() + (os.pathsep + path if path else ""))
                self._process = subprocess.Popen(
                    [sys.executable, "-m", "plugins.parallel_output.fresh_process", self._folder, str(gate_read)],
                    stdin=subprocess.DEVNULL, pass_fds=(gate_read,), env=env)
            finally:
                os.close(gate_read)
        except BaseException:
            self._close_gate()
            shutil.rmtree(self._folder, ignore_errors=True)
            raise

    def _close_gate(self, message=b""):
        if self._gate is not None:
            try:
                if message:
                    try:
                        os.write(self._gate, message)
                    except BrokenPipeError:
                        pass  # the child ended without waiting for the gate: nothing to release
            finally:
                os.close(self._gate)
                self._gate = None

    def release(self):
        """Let the child's ``proceed()`` return True (once; later calls do nothing)."""
        self._close_gate(b"1")

    def result(self):
        """The value of the work; raises RuntimeError with the child's traceback if it failed."""
        self.release()
        try:
            code = self._process.wait()
            error = os.path.join(self._folder, ERROR)
            if os.path.exists(error) or code != 0:
                report = ""
                if os.path.exists(error):
                    with open(error, encoding="utf-8", errors="replace") as handle:
                        report = handle.read()
                raise RuntimeError("parallel_output: background work failed:\n"
                                   + (report or f"process {self._process.pid} exited with status {code}"))
            with open(os.path.join(self._folder, RESULT), "rb") as handle:
                return pickle.load(handle)
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)

    def __del__(self):
        # Dropped without result() (a build that stopped): the child's proceed() says False.
        try:
            self._close_gate()
        except Exception:  # noqa: BLE001 - at interpreter exit os may be gone; the fd goes with it
            pass


def run_in_fresh_processes(items, processes, function, *args):
    """``function(share, *args)`` over ``items`` split round-robin into ``processes`` shares,
    the first in this process and each other in a new interpreter (:class:`FreshBackground`):
    :func:`.parallel_output.run_in_processes` for work late in a large build, where a forked
    child would start with the build's whole resident memory (about 1 GB at 100,000 articles)
    and add its own. ``function`` is a module-level function, ``args`` and the items
    picklable; nothing comes back but failures (RuntimeError with every failing share's
    traceback). Starting an interpreter costs about a tenth of a second."""
    shares = round_robin(items, processes)
    jobs = [FreshBackground(_share, (function, share, args), prefix="fresh_share-") for share in shares[1:] if share]
    failures = []
    try:
        function(shares[0], *args)
    except Exception:  # noqa: BLE001 (collected with the other processes', raised below)
        failures.append(traceback.format_exc())
    for job in jobs:
        try:
            job.result()
        except RuntimeError as exc:
            failures.append(str(exc))
    if failures:
        raise RuntimeError("parallel_output: " + "\n".join(failures))


def _share(function, share, args, _proceed):
    function(share, *args)


def main(argv):
    # A short-lived process of many long-lived objects: the cyclic collector would walk them
    # again and again for nothing (see plugins.site_search.gc_pause).
    gc.disable()
    folder, gate = argv[0], int(argv[1])
    abandoned = []
    try:
        with open(os.path.join(folder, JOB), "rb") as handle:
            function, args = pickle.load(handle)
        value = function(*args, released_by(gate, abandoned))
    except BaseException:  # noqa: BLE001 - every failure must reach the build
        with open(os.path.join(folder, ERROR), "w", encoding="utf-8") as handle:
            handle.write(traceback.format_exc())
        return 1
    if abandoned:  # nobody will collect it
        shutil.rmtree(folder, ignore_errors=True)
        return 0
    with open(os.path.join(folder, RESULT + ".part"), "wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(os.path.join(folder, RESULT + ".part"), os.path.join(folder, RESULT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
