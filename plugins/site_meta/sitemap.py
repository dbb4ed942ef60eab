"""Sitemaps (https://www.sitemaps.org/protocol.html), written as a stream.

Pure code, no Pelican: :func:`write_sitemaps` takes ``(location, lastmod)`` pairs already
sorted and writes one ``<urlset>`` file, or, above ``max_urls`` locations, numbered part
files of at most ``max_urls`` each and a ``<sitemapindex>`` naming them. One pass over the
entries, one line per URL: memory and time are linear in the number of URLs.
"""

import os
from urllib.parse import quote
from xml.sax.saxutils import escape

NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# The protocol's limit per file (also 50 MB uncompressed; 50,000 of our URLs is ~6 MB).
PROTOCOL_MAX_URLS = 50000
# Characters a sitemap <loc> may keep as they are; anything else is %-encoded.
_SAFE = ":/?#[]@!$&'()*+,;=%~-._"


def xml_location(url):
    """A URL as a ``<loc>`` value: %-encoded (non-ASCII, spaces) and entity-escaped.

    >>> xml_location("https://x.vn/tin tức/a.html?x=1&y=2")
    'https://x.vn/tin%20t%E1%BB%A9c/a.html?x=1&amp;y=2'
    """
    return escape(quote(url, safe=_SAFE))


def part_names(count, max_urls, part_save_as):
    """Output names of the part files for ``count`` URLs ([] when one file is enough).

    >>> part_names(5, 2, "sitemap-{number}.xml")
    ['sitemap-1.xml', 'sitemap-2.xml', 'sitemap-3.xml']
    >>> part_names(2, 2, "sitemap-{number}.xml")
    []
    """
    if count <= max_urls:
        return []
    return [part_save_as.format(number=n) for n in range(1, (count + max_urls - 1) // max_urls + 1)]


def _url_line(location, lastmod):
    tail = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"<url><loc>{xml_location(location)}</loc>{tail}</url>\n"


def _open(path):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    return open(path, "w", encoding="utf-8", newline="\n")  # noqa: SIM115


def _write_urlset(path, entries):
    """Write ``entries`` (an iterator) to one ``<urlset>``; return the newest lastmod seen."""
    newest = ""
    with _open(path) as handle:
        handle.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n')
        for location, lastmod in entries:
            handle.write(_url_line(location, lastmod))
            # ISO 8601 strings in one time zone compare like the moments they name.
            newest = max(newest, lastmod or "")
        handle.write("</urlset>\n")
    return newest


def write_sitemaps(output, save_as, part_save_as, base_url, entries, count, max_urls):
    """Write the sitemap(s) of ``entries`` below ``output``; return the paths written.

    ``entries`` yields ``(absolute URL, lastmod string or "")`` in the order to write them;
    ``count`` is their number (known in advance, so the file names can be claimed first).
    """
    parts = part_names(count, max_urls, part_save_as)
    if not parts:
        _write_urlset(os.path.join(output, save_as), entries)
        return [save_as]
    iterator = iter(entries)
    newest = []
    for name in parts:
        chunk = (entry for _, entry in zip(range(max_urls), iterator))
        newest.append(_write_urlset(os.path.join(output, name), chunk))
    with _open(os.path.join(output, save_as)) as handle:
        handle.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n')
        for name, lastmod in zip(parts, newest):
            tail = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
            handle.write(f"<sitemap><loc>{xml_location(base_url + '/' + name)}</loc>{tail}</sitemap>\n")
        handle.write("</sitemapindex>\n")
    return [save_as, *parts]
