"""Analyse many articles' texts on every core.

The analysis (:func:`.segments.analyse`) is a pure function of an article's title, Summary and
body, so the texts the analysis cache misses are shared round-robin over processes forked
from the build (``parallel_output.run_in_processes``); each writes its results as a pickle to
a private temporary folder and the build process reads them back (a pickle keeps one string
object per distinct syllable, as the analyzer's memo made them; JSON made one per occurrence,
and reading it back cost more than the second core saved). The result is the same list
whatever the number of processes.
"""

import logging
import os
import pickle
import shutil
import tempfile

from plugins.parallel_output.parallel_output import run_in_processes

from .segments import analyse

logger = logging.getLogger(__name__)

# Below this many texts the fork costs more than it saves.
PARALLEL_MIN_TEXTS = 64


def analyse_all(texts, analyzer, processes=1):
    """``[analyse(title, summary, body)]`` for each ``(title, summary, body)`` of ``texts``."""
    if processes > 1 and len(texts) >= PARALLEL_MIN_TEXTS:
        try:
            return _in_processes(texts, analyzer, processes)
        except (RuntimeError, OSError, ValueError, pickle.UnpicklingError, EOFError) as exc:
            logger.warning("site_search: analysing in %d processes failed; analysing serially:\n%s",
                           processes, exc)
    return [analyse(title, summary, body, analyzer) for title, summary, body in texts]


def _in_processes(texts, analyzer, processes):
    folder = tempfile.mkdtemp(prefix="site_search-analysis-")
    try:
        def share_work(share):
            rows = [(i, analyse(*texts[i], analyzer)) for i in share]
            with open(os.path.join(folder, f"{share[0]:08d}.pickle"), "wb") as handle:
                pickle.dump(rows, handle, protocol=pickle.HIGHEST_PROTOCOL)

        run_in_processes(list(range(len(texts))), processes, share_work)
        results = [None] * len(texts)
        for name in os.listdir(folder):
            with open(os.path.join(folder, name), "rb") as handle:
                for i, value in pickle.load(handle):
                    results[i] = value
        if any(value is None for value in results):
            raise ValueError("an analysis process left texts out")
        return results
    finally:
        shutil.rmtree(folder, ignore_errors=True)
