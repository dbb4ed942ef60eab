"""Parse saved HTML pages of the old portal into a LegacyArticle.

The old portal went through several CMSs (table layouts with ``<font>``, ASP.NET
``Default.aspx?...`` pages, SharePoint, a later ``<article>`` template), so the
parser works from signals every layout shares instead of one template:

1. decode (BOM, UTF-8, the declared charset, windows-1258 as last resort), NFC;
2. drop what must never reach the Markdown (scripts, styles, iframes, forms
   controls, comments) and mark portal chrome (menus, polls, share/print links,
   related news, the "Các tin đã đưa ngày" picker) by tag, class/id and text;
3. find the body container (known class names, else the block holding the most
   paragraph text outside links), the title (headline element agreeing with
   ``og:title``/``<title>``), the date (a date-like element near the title, or
   ``article:published_time``), the category (breadcrumb, ``article:section``);
4. take the author from the trailing right-aligned signature or a
   "Nguồn:"/"Theo ..." line, and convert the rest to Markdown.
"""

import re
from urllib.parse import unquote, urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, Tag

from plugins.vntext import nfc

from .common import (
    ImageRef,
    ImportError_,
    LegacyArticle,
    find_date,
    lead_summary,
    looks_like_name,
    md_to_plain,
    source_line_author,
)
from .html2md import Converter, collapse_ws, escape_inline
from .legacy_charsets import repair

# Never reach the Markdown, whatever they contain.
DROP_TAGS = (
    "script style noscript iframe frame frameset object embed applet param input button select "
    "option textarea link meta svg canvas map area audio video source track template base "
    "marquee dialog"
).split()

# class/id fragments of portal chrome (matched on lower-cased "class id" text).
CHROME_RE = re.compile(
    r"menu|(?<![a-z])nav|sidebar|footer|poll|vote|binhchon|binh-chon|thamdo|tham-do|survey"
    r"|share|social|print|sendmail|send-mail|guimail|related|lienquan|lien-quan|tinkhac|tin-khac"
    r"|other|samecat|cungchuyenmuc|banner|quangcao|advert|(?<![a-z])ads?(?![a-z])"
    r"|search|timkiem|login|weather|thoitiet|counter|thongke|visitor|truycap|calendar|datepicker"
    r"|tindadua|tin-da-dua|comment|binhluan|ykien|toolbar|tools|facebook|zalo|twitter|hotline"
    r"|slider|copyright|breadcrumb|duongdan|duong-dan|sitemappath|tags?(?![a-z])",
    re.I,
)
CHROME_TAGS = ("nav", "aside", "footer")
# Text that marks a chrome block (short blocks only; "Chia sẻ tại hội nghị..." is body text).
CHROME_TEXT_RE = re.compile(
    r"^\s*(?:các tin đã đưa ngày|bạn thấy trang web|các tin khác|các bài khác|tin liên quan|bài liên quan"
    r"|tin cùng chuyên mục|tin mới hơn|tin cũ hơn|các tin mới|tin đọc nhiều|thăm dò ý kiến|in trang\s*$"
    r"|in bài\s*(?:viết)?\s*$|bản in\s*$|gửi email|gửi bài viết|chia sẻ\s*(?::|facebook|zalo|$)|lưu bài\s*$|về đầu trang|quay lại\s*$|trở về\s*$|lượt xem"
    r"|số lượt xem|đánh giá bài viết|ý kiến bạn đọc|gửi ý kiến|tags?\s*:|từ khóa\s*:"
    r"|font size|cỡ chữ|\[?\s*(?:in|email|đầu trang)\s*\]?\s*$)",
    re.I,
)
# Headings that start a trailing related-news block: it and all that follows go.
TRAILING_CHROME_RE = re.compile(
    r"^\s*(?:các tin đã đưa ngày|bạn thấy trang web|các tin khác|các bài khác|tin liên quan"
    r"|bài liên quan|tin cùng chuyên mục|tin mới hơn|tin cũ hơn|tin đã đưa|xem thêm)",
    re.I,
)
CONTAINER_RE = re.compile(
    r"articlebody|article[-_]?(?:content|body|detail|text)|news[-_]?(?:content|body|detail|text)"
    r"|entry[-_]?content|post[-_]?(?:content|body)|detail[-_]?content|content[-_]?detail"
    r"|noidung|noi-dung|chitiet|chi-tiet|ms-rtestate-field|lblcontent|lblnoidung|bodytext"
    r"|fulltext|contentnews|newsbody|itemfulltext|item-fulltext",
    re.I,
)
TITLE_RE = re.compile(
    r"title|tieude|tieu-de|tieu_de|headline|tenbai|ten-bai|heading|lbltitle", re.I
)
DATE_CLASS_RE = re.compile(
    r"date|time|ngay|thoigian|thoi-gian|published|posted|created|postdate|ngaydang", re.I
)
# The header widget showing the day the page was viewed, not the article's date.
TODAY_RE = re.compile(r"hôm nay|today", re.I)
SAPO_RE = re.compile(r"sapo|summary|(?<![a-z])lead|tomtat|tom-tat|trichyeu|abstract|intro|mota", re.I)
AUTHOR_RE = re.compile(r"author|tacgia|tac-gia|signature|byline|nguoiviet|butdanh", re.I)
CATEGORY_RE = re.compile(r"(?<![a-z])cat(?![a-z])|category|chuyenmuc|chuyen-muc|catname|cate-name", re.I)
BREADCRUMB_RE = re.compile(r"(?<![a-z])path(?![a-z])|breadcrumb|duongdan|duong-dan|sitemappath|navpath|pathway", re.I)
HOME_WORDS = {"trang chủ", "trang nhất", "home", "trang chu", "tin tức"}
SAVED_FROM_RE = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
SITE_WORDS_RE = re.compile(r"cổng thông tin|trang thông tin|cổng ttđt|portal", re.I)


def decode_html(data):
    """Return (text, encoding, warnings); TCVN3 and VNI pages are converted (legacy_charsets)."""
    text, encoding, warnings = _decode_declared(data)
    try:
        fixed, legacy, notes = repair(text, None if encoding in ("utf-8", "utf-16") else data)
    except ValueError as exc:
        raise ImportError_(str(exc)) from None
    return (fixed, legacy, notes) if legacy else (text, encoding, warnings)


def _decode_declared(data):
    """(text, encoding, warnings): BOM, UTF-8, the declared charset, else windows-1258."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace"), "utf-8", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16", []
    m = CHARSET_RE.search(data[:4096])
    declared = m.group(1).decode("ascii", "replace").lower() if m else ""
    try:
        # A page of Vietnamese in a legacy code page is never valid UTF-8.
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    if declared and declared not in ("utf-8", "utf8"):
        try:
            return data.decode(declared), declared, []
        except (LookupError, UnicodeDecodeError):
            pass
    return (
        data.decode("cp1258", "replace"),
        "cp1258",
        [f"not valid {declared or 'UTF-8'}: decoded as windows-1258"],
    )


# Old editors nested <font><font><font>... (unclosed tags); the heuristics walk parents.
MAX_DEPTH = 200
_REDUNDANT = frozenset("font span b strong i em u small big".split())


def _flatten(soup):
    """Unwrap inline tags that only wrap one tag, then refuse pathologically deep pages."""
    stack = [(soup, 0)]
    deepest = 0
    while stack:
        tag, depth = stack.pop()
        children = [c for c in tag.children if isinstance(c, Tag)]
        for child in children:
            # <font><font>text</font></font>: the inner one adds nothing but depth.
            while (child.name in _REDUNDANT and not child.attrs and len(child.contents) == 1
                   and isinstance(child.contents[0], Tag) and child.contents[0].name in _REDUNDANT):
                inner = child.contents[0]
                child.unwrap()
                child = inner
            stack.append((child, depth + 1))
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            raise ImportError_(f"markup nested more than {MAX_DEPTH} levels deep: not a page of the portal")


def _attrs_text(tag):
    classes = tag.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join(classes) + " " + (tag.get("id") or "")


def _text(tag):
    return collapse_ws(tag.get_text(" ")).strip()


# bs4 compares and hashes tags by their markup (slow, and two equal paragraphs are "the
# same"): every set, dict and ancestry test here goes by identity.
def _is_inside(tag, ids):
    return id(tag) in ids or any(id(p) in ids for p in tag.parents)


def _within(tag, ancestor):
    """Is ``tag`` a descendant of ``ancestor`` (identity, not markup equality)?"""
    return any(p is ancestor for p in tag.parents)


def _meta(soup, *names):
    for name in names:
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content", "").strip():
            return collapse_ws(tag["content"]).strip()
    return ""


def _link_density(tag):
    text = len(_text(tag)) or 1
    links = sum(len(_text(a)) for a in tag.find_all("a"))
    return links / text


class HtmlPage:
    def __init__(self, path, data):
        self.path = path
        raw, self.encoding, self.warnings = decode_html(data)
        raw = nfc(raw)
        self.soup = BeautifulSoup(raw, "html.parser")
        _flatten(self.soup)
        self.original_url = self._original_url(raw)
        self.meta_title = _meta(self.soup, "og:title", "title")
        title_tag = self.soup.find("title")
        self.head_title = _text(title_tag) if title_tag else ""
        self.meta_description = _meta(self.soup, "description", "og:description")
        self.meta_published = _meta(self.soup, "article:published_time", "pubdate", "date")
        self.meta_section = _meta(self.soup, "article:section")
        self._strip()
        self.chrome = self._find_chrome()

    # -- setup --------------------------------------------------------------
    def _original_url(self, raw):
        saved = SAVED_FROM_RE.search(raw[:2048])
        saved_url = saved.group(1) if saved else ""
        for candidate in (
            (self.soup.find("link", rel="canonical") or {}).get("href", ""),
            _meta(self.soup, "og:url"),
            saved_url,
        ):
            candidate = (candidate or "").strip()
            if not candidate or candidate.startswith(("file:", "about:")):
                continue
            if not candidate.startswith(("http://", "https://")) and saved_url:
                candidate = urljoin(saved_url, candidate)
            if candidate.startswith(("http://", "https://")):
                return candidate
        return ""

    def _strip(self):
        for comment in self.soup.find_all(string=lambda s: isinstance(s, Comment)):
            comment.extract()
        for tag in self.soup.find_all(DROP_TAGS):
            tag.decompose()
        for tag in self.soup.find_all(True):
            if getattr(tag, "decomposed", False) or tag.attrs is None:
                continue
            for attr in [a for a in tag.attrs if a.lower().startswith("on")]:
                del tag[attr]
            style = (tag.get("style") or "").replace(" ", "").lower()
            if "display:none" in style or "visibility:hidden" in style or tag.has_attr("hidden"):
                tag.decompose()  # invisible on the old page: not the article
            elif tag.name == "img" and _is_tracker(tag):
                tag.decompose()
        # ASP.NET wraps the whole page in one <form>: keep its content.
        for form in self.soup.find_all("form"):
            form.unwrap()

    def _find_chrome(self):
        chrome = set()
        for tag in self.soup.find_all(True):
            if tag.name in ("html", "body"):
                continue
            if tag.name in CHROME_TAGS or tag.get("role") in ("navigation", "banner", "contentinfo"):
                chrome.add(id(tag))
            elif CHROME_RE.search(_attrs_text(tag)) and not TITLE_RE.search(_attrs_text(tag)):
                chrome.add(id(tag))
            elif tag.name in ("div", "td", "table", "ul", "p", "span", "li", "section"):
                text = _text(tag)
                if len(text) < 400 and TRAILING_CHROME_RE.match(text):
                    chrome.add(id(tag))
        # Never the body itself, nor what holds it ("content-wrapper tools" classes exist).
        for tag in self.soup.find_all(True):
            if tag.get("itemprop") == "articleBody" or CONTAINER_RE.search(_attrs_text(tag)):
                chrome.discard(id(tag))
                chrome.difference_update(id(p) for p in tag.parents)
        return chrome

    def body_text_size(self, tag):
        """Characters of text below ``tag`` outside chrome and headings."""
        total = 0
        for s in tag.find_all(string=True):
            if s.find_parent(["h1", "h2"]) is not None or self.in_chrome(s.parent):
                continue
            total += len(collapse_ws(str(s)).strip())
        return total

    def in_chrome(self, tag):
        return _is_inside(tag, self.chrome)

    # -- regions ------------------------------------------------------------
    def find_container(self):
        known = [
            t for t in self.soup.find_all(True)
            if (t.get("itemprop") == "articleBody" or CONTAINER_RE.search(_attrs_text(t)))
            and not self.in_chrome(t)
        ]
        sizes = {id(t): self.body_text_size(t) for t in known}
        known = [t for t in known if sizes[id(t)] >= 80]
        if known:
            # The innermost of nested matches that still holds most of the text
            # ("news-detail" holds the title and date, "news-detail-body" the text).
            best = max(known, key=lambda t: sizes[id(t)])
            inner = [t for t in known if t is best or _within(t, best)]
            for t in sorted(inner, key=lambda t: sizes[id(t)]):
                if sizes[id(t)] >= 0.75 * sizes[id(best)]:
                    return t
            return best
        return self._score_container()

    def _score_container(self):
        scores = {}
        tags = {}
        order = {}

        def add(tag, value):
            key = id(tag)
            scores[key] = scores.get(key, 0) + value
            tags[key] = tag

        units = []
        for tag in self.soup.find_all(["p", "div", "td", "font", "span", "blockquote", "center"]):
            if self.in_chrome(tag):
                continue
            if tag.name == "p":
                text = _text(tag)
                if len(text) >= 25 and _link_density(tag) < 0.5:
                    units.append((tag, len(text)))
            else:
                own = sum(len(collapse_ws(str(s)).strip()) for s in tag.find_all(string=True, recursive=False))
                if own >= 25:
                    units.append((tag, own))
        for tag, size in units:
            parent = tag if tag.name != "p" else tag.parent
            while parent is not None and parent.name in ("font", "span", "b", "strong", "i", "em", "center"):
                parent = parent.parent
            if parent is None:
                continue
            add(parent, size)
            if parent.parent is not None and parent.parent.name not in ("html", "[document]"):
                add(parent.parent, size / 2)
        if not scores:
            raise ImportError_("no article text found")
        for i, tag in enumerate(self.soup.find_all(True)):
            order[id(tag)] = i
        best = max(scores, key=lambda k: (scores[k], -order.get(k, 0)))
        return tags[best]

    def find_title(self, container):
        refs = [collapse_ws(x).lower() for x in (self.meta_title, self.head_title) if x]
        candidates = []
        order = {id(t): i for i, t in enumerate(self.soup.find_all(True))}
        start = order.get(id(container), 0)
        for tag in self.soup.find_all(True):
            if self.in_chrome(tag) or tag.name in ("html", "body", "title", "table", "tr", "tbody"):
                continue
            attrs = _attrs_text(tag)
            is_heading = tag.name in ("h1", "h2", "h3")
            by_class = bool(TITLE_RE.search(attrs)) or tag.get("itemprop") == "headline"
            if not (is_heading or by_class):
                continue
            text = _text(tag)
            if not 8 <= len(text) <= 300 or SITE_WORDS_RE.search(text):
                continue
            if tag.find(["p", "table", "ul"]):
                continue
            if tag is container or _within(container, tag):
                continue
            score = 0
            low = text.lower()
            if any(low == r or low in r for r in refs):
                score += 10
            if by_class:
                score += 4
            if tag.name == "h1":
                score += 3
            elif is_heading:
                score += 1
            if tag.find_parent("a") or tag.find("a"):
                score -= 3  # list items link to other articles; a headline rarely does
            pos = order.get(id(tag), 0)
            closeness = -abs(start - pos) / 10000
            candidates.append((score + closeness, pos, tag))
        if candidates:
            candidates.sort(key=lambda c: (-c[0], c[1]))
            return candidates[0][2], _text(candidates[0][2])
        # An element repeating the <title>/og:title text (pages without headline markup).
        for tag in self.soup.find_all(["td", "div", "p", "span", "font", "b", "strong", "center"]):
            if tag is container or _within(container, tag) or self.in_chrome(tag):
                continue
            text = _text(tag)
            if len(text) >= 8 and text.lower() in refs:
                return tag, text
        # The first short bold/heading block of the container itself (old CMS).
        first = next((t for t in container.find_all(["h1", "h2", "h3", "h4", "b", "strong", "p"])
                      if _text(t)), None)
        if first is not None and refs and _text(first).lower() in refs[-1]:
            return first, _text(first)
        if self.meta_title:
            return None, self.meta_title
        if self.head_title:
            parts = re.split(r"\s+[-|–»]\s+", self.head_title)
            parts = [p for p in parts if not SITE_WORDS_RE.search(p)] or parts
            return None, max(parts, key=len)
        raise ImportError_("no title found")

    def find_date(self, title_tag, container):
        # 1. an element marked as the date, the nearest to the title (a header widget
        #    showing today's date comes before it)
        order = {id(t): i for i, t in enumerate(self.soup.find_all(True))}
        anchor = order.get(id(title_tag if title_tag is not None else container), 0)
        tags = [
            t for t in self.soup.find_all(True)
            if (t.name == "time" or DATE_CLASS_RE.search(_attrs_text(t))) and not self.in_chrome(t)
            and not TITLE_RE.search(_attrs_text(t)) and len(_text(t)) < 150
            and not TODAY_RE.search(_text(t))
        ]
        tags.sort(key=lambda t: (order[id(t)] < anchor, abs(order[id(t)] - anchor)))
        for tag in tags:
            for value in (tag.get("datetime", ""), _text(tag)):
                if value:
                    dt = find_date(value)
                    if dt is not None:
                        return dt, tag
        # 2. any text between the title and the body, then the body's first and last lines
        strings = []
        if title_tag is not None:
            for s in title_tag.find_all_next(string=True):
                if len(strings) >= 12:
                    break
                if collapse_ws(str(s)).strip() and not self.in_chrome(s.parent):
                    strings.append(s)
        body_strings = [s for s in container.find_all(string=True) if collapse_ws(str(s)).strip()]
        strings += body_strings[:3] + body_strings[-3:]
        for s in strings:
            text = collapse_ws(str(s))
            if len(text) > 120:
                continue
            dt = find_date(text)
            if dt is not None:
                return dt, s.parent
        if self.meta_published:
            dt = find_date(self.meta_published)
            if dt is not None:
                return dt, None
        raise ImportError_("no date found near the title")

    def find_category(self, title):
        crumbs = [
            t for t in self.soup.find_all(True)
            if BREADCRUMB_RE.search(_attrs_text(t)) or t.get("itemtype", "").endswith("BreadcrumbList")
        ]
        crumb_ids = {id(t) for t in crumbs}
        crumbs = [t for t in crumbs if not any(id(p) in crumb_ids for p in t.parents)]
        if not crumbs:
            for s in self.soup.find_all(string=re.compile(r"^\s*Trang chủ\s*$", re.I)):
                block = s.find_parent(["div", "td", "p", "ul", "ol", "span"])
                # A breadcrumb separates its items: "Trang chủ > Tin tức > ..."
                if block is not None and len(_text(block)) < 200 and re.search(r"[>»›/]", _text(block)):
                    crumbs = [block]
                    break
        for crumb in crumbs:
            items = [_text(a) for a in crumb.find_all(["a", "li", "span"]) if not a.find(["a", "li"])]
            if len(items) < 2:
                items = re.split(r"\s*[>»›/|]\s*", _text(crumb))
            items = [i.strip(" >»›/|") for i in items]
            items = [i for i in items if i and i.lower() not in HOME_WORDS and i != title]
            items = [i for i in items if not i.lower().startswith(("bạn đang ở", "vị trí"))]
            # The last crumb is often the (shortened) title itself.
            items = [i for i in items if not (len(i) > 15 and title.startswith(i.rstrip(".… ")))]
            if items:
                return items[-1]
        if self.meta_section:
            return self.meta_section
        for tag in self.soup.find_all(True):
            if CATEGORY_RE.search(_attrs_text(tag)) and 2 <= len(_text(tag)) <= 60:
                return _text(tag)
        return ""

    def find_sapo(self, container, title_tag):
        for tag in self.soup.find_all(True):
            if tag is container or _within(tag, container) or _within(container, tag):
                continue
            if self.in_chrome(tag) or not SAPO_RE.search(_attrs_text(tag)):
                continue
            text = _text(tag)
            if len(text) >= 30:
                return tag
        return None


def _right_aligned(tag):
    align = (tag.get("align") or "").lower()
    style = (tag.get("style") or "").replace(" ", "").lower()
    return align == "right" or "text-align:right" in style


def _text_after(tag, container):
    total = 0
    for s in tag.find_all_next(string=True):
        if not _within(s, container):
            break
        if _within(s, tag):
            continue
        total += len(collapse_ws(str(s)).strip())
    return total


def _signature(container):
    """The trailing right-aligned signature element of the body, or None."""
    for tag in reversed(container.find_all(["p", "div", "td", "span", "font", "strong", "b", "em", "i"])):
        text = _text(tag)
        if not text:
            continue
        if len(text) > 100:
            return None
        aligned = _right_aligned(tag)
        for p in tag.parents:
            if p is container or aligned:
                break
            aligned = _right_aligned(p)
        if aligned and _text_after(tag, container) < 3:
            # The outermost element holding just the signature (<p align=right><b>..</b></p>).
            while tag.parent is not container and tag.parent is not None and _text(tag.parent) == text:
                tag = tag.parent
            return tag
        if _text_after(tag, container) >= 3:
            return None
    return None


def parse_html_page(path, data):
    page = HtmlPage(path, data)
    warnings = list(page.warnings)
    container = page.find_container()
    title_tag, title = page.find_title(container)
    title = collapse_ws(title).strip()
    date, date_tag = page.find_date(title_tag, container)
    category = page.find_category(title)
    sapo = page.find_sapo(container, title_tag)

    # Remove what is not body text from the container.
    if title_tag is not None and _within(title_tag, container):
        title_tag.decompose()
    for tag in list(container.find_all(True)):
        if getattr(tag, "decomposed", False) or tag.parent is None:
            continue
        if page.in_chrome(tag):
            tag.decompose()
    if date_tag is not None and _within(date_tag, container):
        if len(_text(date_tag)) < 80:
            date_tag.decompose()
    # Whole blocks only: "<b>Chia sẻ với phóng viên</b>, ông A cho biết..." is body text.
    for tag in list(container.find_all(["p", "div", "td", "li", "h2", "h3", "h4", "h5", "ul", "table"])):
        if getattr(tag, "decomposed", False) or tag.parent is None:
            continue
        text = _text(tag)
        if text and len(text) < 120 and CHROME_TEXT_RE.match(text):
            if TRAILING_CHROME_RE.match(text):
                for sib in list(tag.find_next_siblings()):
                    sib.decompose()
            tag.decompose()
    for a in [a for a in container.find_all("a") if not getattr(a, "decomposed", False)]:
        href = (a.get("href") or "").strip().lower()
        if href.startswith("javascript:") and not _text(a):
            a.decompose()
    # The title repeated at the top of the body.
    first = next((t for t in container.find_all(["h1", "h2", "h3", "p", "div", "b", "strong"]) if _text(t)), None)
    if first is not None and _text(first) == title and not first.find(["p", "div", "img"]):
        first.decompose()

    author = ""
    sig = _signature(container)
    if sig is not None:
        for br in sig.find_all("br"):
            br.replace_with(" - ")
        author = _text(sig).strip(" -")
        author = source_line_author(author) or author
        sig.decompose()
    else:
        for tag in container.find_all(True):
            if AUTHOR_RE.search(_attrs_text(tag)) and 2 <= len(_text(tag)) <= 80:
                author = _text(tag)
                tag.decompose()
                break
    if not author:
        for tag in page.soup.find_all(True):
            if page.in_chrome(tag) or _within(tag, container) or tag is container:
                continue
            if AUTHOR_RE.search(_attrs_text(tag)) and 2 <= len(_text(tag)) <= 80:
                author = _text(tag)
                break
    author = re.sub(r"^(?:tác giả|người viết|bài viết|pv)\s*:\s*", "", author, flags=re.I).strip()

    # Images and links.
    images = []
    base_url = page.original_url

    def image_src(tag):
        src = (tag.get("src") or tag.get("data-src") or "").strip()
        if not src or src.startswith("data:"):
            return None
        token = f"\x00IMG{len(images)}\x00"
        alt = collapse_ws(tag.get("alt") or tag.get("title") or "").strip()
        local = _local_image(path, src)
        remote = ""
        if "_files/" not in src:
            # (a browser's "save page" rewrites sources to ./page_files/..., not on the portal)
            remote = safe_href(src, base_url) or ""
            if not remote.startswith(("http://", "https://")):
                remote = ""
        images.append(ImageRef(token=token, src=src, alt=alt, local=local, remote=remote))
        return token

    def link_href(href):
        return safe_href(href, base_url)

    converter = Converter(image_src=image_src, link_href=link_href)
    blocks = converter.blocks(container)
    blocks = [b for b in blocks if b.strip()]
    if sapo is not None and not _within(sapo, container):
        sapo_blocks = converter.blocks(sapo)
        sapo_text = " ".join(md_to_plain(b) for b in sapo_blocks)
        if blocks and md_to_plain(blocks[0]) == sapo_text:
            pass
        elif sapo_text:
            blocks.insert(0, "**" + escape_inline(sapo_text) + "**")
    # Author as the last short paragraph ("Nguồn: ...", "Theo ...", or a bare bold name).
    if not author and len(blocks) > 1:
        last = md_to_plain(blocks[-1])
        if source_line_author(last):
            author = source_line_author(last)
            blocks.pop()
        elif looks_like_name(last) and blocks[-1].startswith(("**", "*")):
            author = last
            blocks.pop()
    if not blocks:
        raise ImportError_("empty body after removing the portal chrome")

    summary = ""
    if sapo is not None:
        summary = collapse_ws(_text(sapo)).strip()
    if not summary:
        desc = page.meta_description
        if desc and len(desc) >= 40 and not SITE_WORDS_RE.search(desc) and not desc.endswith(("...", "…")):
            summary = desc
    if not summary:
        lead = next((b for b in blocks if not b.startswith(("!", "#", "|", "\x00", "- ", "1. "))
                     and len(md_to_plain(b)) > 40), "")
        summary = lead_summary(md_to_plain(lead))
    return LegacyArticle(
        source=path,
        title=title,
        date=date,
        author=collapse_ws(author).strip(),
        category=collapse_ws(category).strip(),
        summary=summary,
        body="\n\n".join(blocks) + "\n",
        original_url=page.original_url,
        images=images,
        warnings=warnings,
    )


# Hosts of counters and analytics (a tracking pixel must not come back as an "image").
TRACKER_HOST_RE = re.compile(r"(?:^|\.)(?:stats?|counter|analytics|google-analytics|doubleclick|pixel|track)[.-]", re.I)
ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_CONTROL_WS_RE = re.compile(r"[\x00-\x20\x7f]+")


def _is_tracker(img):
    def tiny(value):
        return str(value or "").strip().rstrip("px") in ("0", "1", "2")

    host = urlsplit((img.get("src") or "").strip()).netloc
    return (tiny(img.get("width")) and tiny(img.get("height"))) or bool(TRACKER_HOST_RE.search(host))


def safe_href(href, base_url=""):
    """A link target that can only be http(s)/mailto/tel or relative, or None.

    Browsers ignore tabs and newlines inside a scheme ("jav\tascript:"), so they are
    removed before the scheme is checked.

    >>> safe_href("jav\tascript:alert(1)") is None
    True
    >>> safe_href("/tin-tuc/1.html", "http://x.vn/a/b.html")
    'http://x.vn/tin-tuc/1.html'
    """
    cleaned = _CONTROL_WS_RE.sub("", href or "")
    if not cleaned or cleaned.startswith("#"):
        return None
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    if m:
        return cleaned if m.group(1).lower() in ALLOWED_SCHEMES else None
    if cleaned.startswith("//"):
        return "http:" + cleaned
    target = urljoin(base_url, href.strip()) if base_url else href.strip()
    return target.replace(" ", "%20")


def _local_image(page_path, src):
    """The saved copy of an image next to the page, if there is one."""
    parts = urlsplit(src)
    folder = page_path.parent
    candidates = []
    if parts.scheme in ("", "file"):
        rel = unquote(parts.path)
        if parts.scheme == "file" or rel.startswith("/"):
            candidates.append(folder / f"{page_path.stem}_files" / rel.rsplit("/", 1)[-1])
        else:
            candidates.append(folder / rel)
    name = unquote(parts.path.rsplit("/", 1)[-1])
    if name:
        candidates.append(folder / f"{page_path.stem}_files" / name)
        candidates.append(folder / "images" / name)
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        # Only files below the page's folder: a page cannot pull in /etc/passwd.
        if resolved.is_file() and folder.resolve() in resolved.parents:
            return resolved
    return None
