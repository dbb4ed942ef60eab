"""Check that every internal link of a built site resolves to a file of that build, as the portal
serves it: the build's root is served at SITEURL (``https://host/tin-tuc`` in production), so a
root-relative ``/2022/06/22/x.html`` means ``https://host/2022/06/22/x.html``, outside the site,
and is broken; ``/tin-tuc/2022/06/22/x.html`` and ``https://host/tin-tuc/...`` are checked in
the build."""

import os
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

# (tag, attribute) pairs that load or link a resource of the site.
LINK_ATTRS = {
    "a": ("href",), "link": ("href",), "img": ("src", "srcset"), "script": ("src",),
    "source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster"),
    "audio": ("src",), "form": ("action",),
}
SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "#")


class _LinkParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        wanted = LINK_ATTRS.get(tag)
        if not wanted:
            return
        for name, value in attrs:
            if name in wanted and value:
                if name == "srcset":
                    self.links += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
                else:
                    self.links.append(value.strip())


def page_links(path):
    parser = _LinkParser()
    with open(path, encoding="utf-8", errors="replace") as handle:
        parser.feed(handle.read())
    return parser.links


OUTSIDE = "outside"  # a link to the site's host but outside SITEURL's path


def resolve(root, page_rel, href, siteurl=""):
    """The file a link points to inside ``root``, None when the link is not to this site, or
    OUTSIDE when it points at the site's host outside the folder the site is served from."""
    if not href or href.startswith(SKIP_SCHEMES):
        return None
    site = urlsplit(siteurl.rstrip("/"))
    prefix = site.path.rstrip("/")  # "/tin-tuc" in production, "" when served at the root
    parts = urlsplit(urljoin(siteurl.rstrip("/") + "/" + page_rel, href) if siteurl else href)
    if siteurl and site.netloc:
        if parts.netloc != site.netloc or parts.scheme not in ("http", "https"):
            return None  # another site (or the same host over another scheme: not ours to check)
    elif parts.scheme or parts.netloc or href.startswith("//"):
        return None
    if not parts.path and not siteurl:
        return None  # "?q=..." or "#x" on the same page
    path = unquote(parts.path) if siteurl else urljoin("/" + page_rel, unquote(parts.path))
    if prefix:
        if path != prefix and not path.startswith(prefix + "/"):
            # Written as a full address, it is a deliberate link to the rest of the portal;
            # written root-relative or relative, it assumed the site sits at the root: broken.
            return None if urlsplit(href).netloc else OUTSIDE
        path = path[len(prefix):] or "/"
    target = os.path.normpath(os.path.join(root, path.lstrip("/")))
    if path.endswith("/"):
        target = os.path.join(target, "index.html")
    return target


def broken_links(root, siteurl=""):
    """Sorted (page, href) pairs of internal links in ``root`` whose target does not exist."""
    root = os.path.abspath(root)
    broken = []
    for dirpath, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".html"):
                continue
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            for href in page_links(path):
                target = resolve(root, rel, href, siteurl)
                if target is None:
                    continue
                if target == OUTSIDE:
                    broken.append((rel, href))
                    continue
                inside = os.path.commonpath([root, os.path.abspath(target)]) == root
                if not inside or not (os.path.isfile(target) or os.path.isfile(os.path.join(target, "index.html"))):
                    broken.append((rel, href))
    return sorted(set(broken))
