"""robots.txt for the archive (pure code)."""

from urllib.parse import urlsplit


def robots_txt(base_url, sitemap_save_as, disallow):
    """The text of robots.txt.

    ``base_url`` is the site's absolute address (``https://host/tin-tuc``) or "" when unknown;
    ``disallow`` lists site-relative URLs (``khong-co-tin/``) crawlers should skip. Paths in
    robots.txt are from the host root, so they carry the site's path prefix.

    >>> print(robots_txt("https://x.vn/tin-tuc", "sitemap.xml", ["khong-co-tin/"]), end="")
    User-agent: *
    Disallow: /tin-tuc/khong-co-tin/
    <BLANKLINE>
    Sitemap: https://x.vn/tin-tuc/sitemap.xml
    """
    prefix = urlsplit(base_url).path.rstrip("/")
    lines = ["User-agent: *"]
    lines += [f"Disallow: {prefix}/{path.lstrip('/')}" for path in disallow] or ["Disallow:"]
    if sitemap_save_as and base_url:
        # The protocol wants an absolute URL here; without a known address there is no line.
        lines += ["", f"Sitemap: {base_url}/{sitemap_save_as}"]
    return "\n".join(lines) + "\n"
