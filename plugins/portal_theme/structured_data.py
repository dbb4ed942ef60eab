"""JSON-LD ``NewsArticle`` for an article page (schema.org), as the text of a
``<script type="application/ld+json">`` element: data, never executed, so a
Content-Security-Policy without 'unsafe-inline' allows it."""

import json

from .lead import plain_text


def public_url(base, path):
    """Absolute URL of an output path (``index.html`` dropped), or the path when ``base`` is empty.

    >>> public_url("https://vinhyen.vinhphuc.gov.vn/tin-tuc", "2022/06/22/a.html")
    'https://vinhyen.vinhphuc.gov.vn/tin-tuc/2022/06/22/a.html'
    >>> public_url("https://x.vn", "the/abc/index.html")
    'https://x.vn/the/abc/'
    """
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return f"{base.rstrip('/')}/{path.lstrip('/')}" if base else f"/{path.lstrip('/')}"


def news_article(article, base_url, publisher, site_name):
    """The NewsArticle mapping for ``article`` (dates keep their +07:00 offset)."""
    url = public_url(base_url, article.url)
    organization = {"@type": "Organization", "name": publisher}
    if base_url:
        organization["url"] = base_url.rstrip("/") + "/"
    author = getattr(article, "author", None)
    modified = getattr(article, "modified", None) or article.date
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": plain_text(article.title),
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.date.isoformat(),
        "dateModified": modified.isoformat(),
        "inLanguage": "vi",
        "author": {"@type": "Person", "name": str(author)} if author else organization,
        "publisher": organization,
        "isPartOf": {"@type": "WebSite", "name": site_name},
    }
    summary = article.metadata.get("summary")
    if summary:
        data["description"] = plain_text(summary)
    category = getattr(article, "category", None)
    if category:
        data["articleSection"] = str(category)
    tags = getattr(article, "tags", None)
    if tags:
        data["keywords"] = [str(tag) for tag in tags]
    return data


def script_text(data):
    """JSON safe inside <script>: ``<``, ``>`` and ``&`` escaped, so no text can close the element.

    >>> script_text({"headline": "</script><b>"})
    '{"headline": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
