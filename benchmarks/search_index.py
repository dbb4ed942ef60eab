"""Build the search index of an archive outside Pelican (one process, so its peak memory is
the index build's own): ``python -m benchmarks.search_index CONTENT OUTPUT_INDEX_DIR [CACHE [PARSED]]``
(CACHE: analysis cache folder, ``-`` for none; PARSED: the pickle of the parsed articles,
see :func:`benchmarks.search_corpus.parsed_articles`).

Analyses the articles the cache misses and encodes with ``SITE_SEARCH_PROCESSES`` processes
(environment; default one per core), with the cyclic collector paused, as the build does.
Prints one JSON line: read (Markdown), analysis, encoding and writing seconds, documents,
files, bytes, peak RSS, cache hits/misses.
"""

import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from plugins.site_search.cache import AnalysisCache
from plugins.site_search.gc_pause import collector_paused
from plugins.site_search.writer import build_files

from .search_corpus import read_documents


def main(argv):
    content, output = Path(argv[0]), Path(argv[1])
    cache = AnalysisCache(argv[2]) if len(argv) > 2 and argv[2] != "-" else None
    parsed = argv[3] if len(argv) > 3 else None
    processes = int(os.environ.get("SITE_SEARCH_PROCESSES") or os.cpu_count() or 1)
    with collector_paused():  # as the plugin builds the index (site_search.build_index)
        docs, categories, campaigns, analyzer, read_seconds, analyse_seconds, _ = read_documents(
            content, cache, parsed, keep_raw=False, processes=processes)
        if cache:
            cache.close()
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, cpu_started = time.perf_counter(), time.process_time()
        files = build_files(docs, categories, campaigns, analyzer, processes)
        ndocs = len(docs)
        del docs
    built = time.perf_counter()
    if output.exists():
        shutil.rmtree(output)
    for path, data in files.items():
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    encode_seconds, write_seconds = built - started, time.perf_counter() - built
    done = resource.getrusage(resource.RUSAGE_CHILDREN)
    encode_cpu = (time.process_time() - cpu_started + done.ru_utime - children.ru_utime
                  + done.ru_stime - children.ru_stime)
    print(json.dumps({
        "docs": ndocs,
        "read_seconds": round(read_seconds, 2),
        "analyse_seconds": round(analyse_seconds, 2),
        "encode_seconds": round(encode_seconds, 2),
        # writing the files (as the build does); disk time varies from run to run
        "write_seconds": round(write_seconds, 2),
        "encode_cpu_seconds": round(encode_cpu, 2),  # encode and write, with the encoding processes
        "processes": processes,
        "index_seconds": round(analyse_seconds + encode_seconds + write_seconds, 2),
        "files": len(files),
        "bytes": sum(len(d) for d in files.values()),
        "largest_file": max(len(d) for d in files.values()),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "peak_rss_before_encoding_mb": round(rss_before, 1),
        "cache_hits": cache.hits if cache else 0,
        "cache_misses": cache.misses if cache else ndocs,
        "pid": os.getpid(),
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
