"""Which files under content/ are sources: decided once, for ``invoke check`` and the build.

:func:`discover` walks the content folder and sorts every file into sources (checked by
``invoke check``, read by the build) and problems:

- a file or folder that is a symbolic link resolving **outside** content/ is refused
  (``outside-content``): the build neither reads nor copies it; a dangling link is refused
  too (``dangling-link``);
- names starting with ``.`` are not sources (pelicanconf's ``IGNORE_FILES = [".*"]`` makes
  Pelican skip them as well); a hidden Markdown file, or a hidden folder holding some, gets a
  warning (``hidden-file``), because it is not published;
- a Markdown extension in capitals (``.MD``) is refused (``source-extension``): Pelican reads
  extensions case-sensitively, so such a file would silently not be published;
- other document files (``.txt``, ``.docx``…) get a warning (``not-a-source``).

The build calls :func:`discover` when Pelican starts and :func:`outside_root` for every file
Pelican reads or copies, so the two can never disagree.
"""

import fnmatch
import os
from dataclasses import dataclass, field

from .problems import ERROR, WARNING

SOURCE_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# Files an editor may drop next to articles by mistake: they are silently not published.
STRAY_EXTENSIONS = (".txt", ".doc", ".docx", ".htm", ".html", ".rtf", ".odt")


@dataclass
class Discovery:
    sources: list = field(default_factory=list)  # (absolute path, content-relative posix path)
    problems: list = field(default_factory=list)


def outside_root(path, root, resolved=None):
    """Why ``path`` may not be used (it resolves outside ``root`` or nowhere), or "".

    ``resolved``: a dict the caller keeps for one build, {folder: its real path}, so that the
    folders of the tree are resolved once, not once per file (``os.path.realpath`` makes one
    ``lstat`` per path component: a quarter of a million at 10,000 articles). The file itself
    is still checked every time: only a file that is not a link is joined to its folder's
    real path, which is what ``realpath`` gives for it."""
    if not os.path.lexists(path):
        return ""
    real = _realpath(path, resolved)
    if not os.path.exists(real):
        return "dangling-link"
    base = _realpath(root, resolved)
    if real != base and not real.startswith(base.rstrip(os.sep) + os.sep):
        return "outside-content"
    return ""


def _realpath(path, resolved):
    if resolved is None:
        return os.path.realpath(path)
    folder, name = os.path.split(path)
    if name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    real_folder = resolved.get(folder)
    if real_folder is None:
        real_folder = resolved[folder] = os.path.realpath(folder)
    return os.path.join(real_folder, name)


def link_message(kind, path):
    if kind == "dangling-link":
        return "symbolic link to a file that does not exist; delete it or copy the real file here"
    return (f"symbolic link to {os.path.realpath(path)}, outside content/: it is not published; "
            "copy the file into content/ instead")


def is_page_path(rel, settings):
    for page_path in settings.get("PAGE_PATHS", ["pages"]) or []:
        page_path = page_path.strip("/")
        if page_path and (rel == page_path or rel.startswith(page_path + "/")):
            return True
    return False


def is_excluded(rel, settings):
    """True for paths that hold no articles (images/, excluded folders), pages excepted."""
    excludes = list(settings.get("ARTICLE_EXCLUDES", []) or [])
    paths = list(settings.get("PAGE_PATHS", []) or []) + list(settings.get("STATIC_PATHS", []) or [])
    for ex in excludes + paths:
        ex = ex.strip("/")
        if ex and (rel == ex or rel.startswith(ex + "/")) and not is_page_path(rel, settings):
            return True
    return False


def _ignored(name, ignores):
    return name.startswith(".") or any(fnmatch.fnmatch(name, pattern) for pattern in ignores)


def _has_sources(folder):
    for _, _, files in os.walk(folder):
        if any(f.endswith(SOURCE_EXTENSIONS) for f in files):
            return True
    return False


def discover(root, settings, ctx):
    """Sources and problems of the tree under ``root`` (sorted walk; symlinks checked once)."""
    found = Discovery()
    ignores = settings.get("IGNORE_FILES", [".#*"]) or []
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            names = sorted(os.listdir(folder))
        except OSError as exc:
            found.problems.append(ctx.problem(folder, 1, ERROR, "unreadable", f"cannot read this folder: {exc}"))
            continue
        subfolders = []
        for name in names:
            path = os.path.join(folder, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            if os.path.islink(path):
                kind = outside_root(path, root)
                if kind:
                    found.problems.append(ctx.problem(path, 1, ERROR, kind, link_message(kind, path)))
                    continue
            if _ignored(name, ignores):
                if name.startswith(".") and (name.endswith(SOURCE_EXTENSIONS) or (
                        os.path.isdir(path) and _has_sources(path))):
                    what = "folder" if os.path.isdir(path) else "file"
                    found.problems.append(ctx.problem(path, 1, WARNING, "hidden-file",
                                                      f"hidden {what} (name starts with '.'): it is not published; "
                                                      "rename it without the leading dot"))
                continue
            if os.path.isdir(path):
                # Walked like Pelican walks it (links followed); a link to one of its own
                # parents would loop, and Pelican never finishes on it either: refused.
                real, here = os.path.realpath(path), os.path.realpath(folder)
                if here == real or here.startswith(real.rstrip(os.sep) + os.sep):
                    found.problems.append(ctx.problem(path, 1, ERROR, "link-loop",
                                                      "symbolic link to one of its own parent folders; delete it"))
                    continue
                subfolders.append(path)
                continue
            lower = name.lower()
            if lower.endswith(SOURCE_EXTENSIONS) and not name.endswith(SOURCE_EXTENSIONS):
                if not is_excluded(rel, settings):
                    found.problems.append(ctx.problem(
                        path, 1, ERROR, "source-extension",
                        f"the extension {os.path.splitext(name)[1]!r} must be lower-case "
                        f"(rename the file to {os.path.splitext(name)[0]}{os.path.splitext(name)[1].lower()})"))
                continue
            if not lower.endswith(SOURCE_EXTENSIONS):
                if lower.endswith(STRAY_EXTENSIONS) and not is_excluded(rel, settings):
                    found.problems.append(ctx.problem(
                        path, 1, WARNING, "not-a-source",
                        "this file is not a Markdown source (.md) and will not be published; "
                        "rename it to .md or move it out of content/"))
                continue
            if is_excluded(rel, settings):
                continue
            found.sources.append((path, rel))
        stack.extend(reversed(subfolders))
    found.sources.sort(key=lambda item: item[1])
    return found
