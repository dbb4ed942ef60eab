"""The build key: what every page depends on besides its own context values.

When the key of the previous build differs from this build's, nothing of the previous build is
reused (a full build). It hashes the settings, every file of the theme, every file of the plugins
package, the content files named in ``INCREMENTAL_BUILD_KEY_FILES`` and the installed
distributions with their versions (and the Python version).
"""

import hashlib
import importlib.metadata
import os
import sys

# Settings that name this build's folders or reports, or hold the plugins' per-build state, and
# PARALLEL_OUTPUT_PROCESSES/_BATCH, VN_READER_PROCESSES/_CACHE_PATH, SITE_SEARCH_PROCESSES,
# SITE_SEARCH_FRESH_PROCESS_DOCS, CAMPAIGNS_CACHE_PATH and EVENT_DATES_CACHE_PATH, which change no output byte
# (tests/test_parallel_output.py, tests/test_read_cache.py, tests/test_search_index.py,
# tests/test_campaigns.py, tests/test_date_archives.py).
VOLATILE_SETTINGS = ("OUTPUT_PATH", "BUILD_GUARD_REPORT", "INCREMENTAL_BUILD_BASE", "PARALLEL_OUTPUT_PROCESSES",
                     "PARALLEL_OUTPUT_BATCH", "PARALLEL_OUTPUT_WRITER_CLASS", "VN_READER_PROCESSES",
                     "VN_READER_CACHE_PATH", "SITE_SEARCH_PROCESSES", "SITE_SEARCH_FRESH_PROCESS_DOCS",
                     "CAMPAIGNS_CACHE_PATH", "EVENT_DATES_CACHE_PATH")


def _plain(value):
    """``value`` when it is plain data (its repr is stable), else None."""
    if value is None or isinstance(value, (str, bytes, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        items = [_plain(v) for v in value]
        return None if any(i is None and v is not None for i, v in zip(items, value)) else [type(value).__name__, *items]
    if isinstance(value, dict):
        return {repr(k): _plain(v) for k, v in sorted(value.items(), key=lambda kv: repr(kv[0]))}
    return None


def settings_digest(settings):
    """Hash of the plain-data settings (functions, classes and plugin state are left out)."""
    digest = hashlib.sha256()
    for name in sorted(settings):
        if name in VOLATILE_SETTINGS or name.endswith("_STATE") or not name.isupper():
            continue
        value = settings[name]
        plain = _plain(value)
        shown = repr(plain) if plain is not None or value is None else f"<{type(value).__qualname__}>"
        digest.update(f"{name}={shown}\n".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def tree_digest(folder, skip_dirs=("__pycache__",)):
    """Hash of every file's relative path and bytes below ``folder`` (sorted; "" if missing)."""
    digest = hashlib.sha256()
    if not os.path.isdir(folder):
        return ""
    for dirpath, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d not in skip_dirs and not d.startswith("."))
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            digest.update(os.path.relpath(path, folder).encode("utf-8", "surrogateescape") + b"\0")
            with open(path, "rb") as handle:
                digest.update(hashlib.sha256(handle.read()).digest())
    return digest.hexdigest()


def packages_digest():
    """Hash of the Python version and every installed distribution's name and version."""
    found = sorted({(d.metadata["Name"] or "", d.version or "") for d in importlib.metadata.distributions()})
    text = sys.version + "\n" + "\n".join(f"{name}=={version}" for name, version in found)
    return hashlib.sha256(text.encode()).hexdigest()


def environment_digest(tag, settings, files, code_folder):
    """Hash of what a per-source cache's rows depend on besides the source: ``tag`` (the
    cache's name and row version), the plain-data ``settings``, the bytes of ``files`` (a
    missing one counts as missing), every file of ``code_folder``, Python and the installed
    distributions. The read cache and the campaign assessment cache key their rows with it."""
    digest = hashlib.sha256(f"{tag}\n".encode())
    digest.update(settings_digest(settings).encode())
    for path in files:
        try:
            with open(path, "rb") as handle:
                digest.update(b"registry " + hashlib.sha256(handle.read()).digest())
        except OSError:
            digest.update(b"no registry")
    digest.update(tree_digest(code_folder).encode())
    digest.update(packages_digest().encode())
    return digest.hexdigest()


def build_key(settings, plugins_folder, key_files=()):
    """A dict of digests; builds with equal keys may share their pages."""
    content = settings.get("PATH", "")
    files = {}
    for rel in key_files:
        path = os.path.join(content, rel)
        try:
            with open(path, "rb") as handle:
                files[rel] = hashlib.sha256(handle.read()).hexdigest()
        except FileNotFoundError:
            files[rel] = ""
    return {
        "settings": settings_digest(settings),
        "theme": tree_digest(settings.get("THEME", "")),
        "plugins": tree_digest(plugins_folder),
        "packages": packages_digest(),
        "files": files,
    }


def changed_parts(old, new):
    """Names of the key parts that differ ("state" when there is no usable old key)."""
    if not isinstance(old, dict):
        return ["state"]
    return [name for name in new if old.get(name) != new[name]]
