"""Original_URL: the old portal address of an imported article, validated once.

``old_location`` is the one validation of an ``Original_URL:`` value: the content rules
(``invoke check`` and the build's reader) report its ValueError with file and line, and
``plugins.legacy_redirects`` uses its result to place the redirect page.
"""

from urllib.parse import quote, unquote, urlsplit

# Safe in an nginx map key/value without quoting: everything else is %-encoded.
SAFE_PATH = "/-._~!$&()*+,=:@%"
SAFE_QUERY = SAFE_PATH + "?"


def encode(text, safe):
    # Decode first so already-encoded URLs are not encoded twice; keep %2F-style escapes of
    # reserved characters by re-encoding what unquote produced.
    return quote(unquote(text), safe=safe.replace("%", ""))


def old_location(url):
    """(map key, file path below output, query) for an old absolute URL.

    >>> old_location("http://vinhyen.vinhphuc.gov.vn/tin-tuc/123/abc.html")
    ('/tin-tuc/123/abc.html', 'tin-tuc/123/abc.html', '')
    >>> old_location("http://x.vn/Default.aspx?tabid=120&ID=4521")
    ('/Default.aspx?tabid=120&ID=4521', 'Default.aspx', 'tabid=120&ID=4521')
    >>> old_location("https://x.vn/tin-tuc/")
    ('/tin-tuc/', 'tin-tuc/index.html', '')

    Raises ValueError for a URL without a usable path.
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"Original_URL {url!r} is not an absolute http(s) URL")
    path = parts.path or "/"
    key = encode(path, SAFE_PATH)
    query = parts.query
    if query:
        key += "?" + encode(query, SAFE_QUERY.replace("?", "") + "?")
    plain = unquote(path)
    segments = plain.split("/")[1:]
    if any(s in (".", "..") for s in segments) or "\\" in plain or "\x00" in plain:
        raise ValueError(f"Original_URL {url!r} has an unsafe path")
    if plain in ("", "/"):
        if not query:
            raise ValueError(f"Original_URL {url!r} is the old home page, not an article")
        raise ValueError(f"Original_URL {url!r} has a query but no path to hold a dispatcher page")
    rel = plain.lstrip("/")
    if rel.endswith("/"):
        rel += "index.html"
    elif "." not in rel.rsplit("/", 1)[-1]:
        rel += "/index.html"
    return key, rel, query
