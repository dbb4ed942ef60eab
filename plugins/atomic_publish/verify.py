"""Check that every internal link of a built site resolves to a file of that build."""

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


def resolve(root, page_rel, href, siteurl=""):
    """The file path a link points to inside ``root``, or None when it is not internal."""
    if siteurl and href.startswith(siteurl.rstrip("/") + "/"):
        href = "/" + href[len(siteurl.rstrip("/")) + 1:]
    elif siteurl and href == siteurl.rstrip("/"):
        href = "/"
    if not href or href.startswith(SKIP_SCHEMES) or href.startswith("//"):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return None  # "?q=..." or "#x" on the same page
    url = urljoin("/" + page_rel, unquote(parts.path))
    target = os.path.normpath(os.path.join(root, url.lstrip("/")))
    if url.endswith("/"):
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
                inside = os.path.commonpath([root, os.path.abspath(target)]) == root
                if not inside or not (os.path.isfile(target) or os.path.isfile(os.path.join(target, "index.html"))):
                    broken.append((rel, href))
    return sorted(set(broken))
