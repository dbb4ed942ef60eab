"""Helpers for the search tests: Doc records from plain text, with the shared analyser."""

import unicodedata

from plugins.site_search.segments import analyse
from plugins.site_search.writer import Doc

# Syllables chosen to collide: the same folded key with several exact forms, tone
# placements (hòa/hoà, thủy/thuỷ), đ-words and a plain unaccented form of each.
VOCABULARY = [
    "đảng", "đẳng", "đang", "dang", "đáng", "bình", "binh", "giới", "gioi", "đường", "dương", "duong",
    "phố", "pho", "hòa", "hoà", "hoa", "thủy", "thuỷ", "thuy", "phụ", "nữ", "nu", "phu", "vĩnh", "yên",
    "2022", "số", "so", "quý", "quy",
]
CATEGORIES = [("Tin tức - Sự kiện", "tin-tuc-su-kien"), ("Tuyên truyền", "tuyen-truyen")]
CAMPAIGNS = [("Bình đẳng giới", "binh-dang-gioi"), ("Chuyển đổi số", "chuyen-doi-so")]


def disguise(word, style):
    """The same syllable as an editor might type it: upper case, NFD, a soft hyphen inside."""
    if style == 1:
        return word.upper()
    if style == 2:
        return unicodedata.normalize("NFD", word)
    if style == 3 and len(word) > 2:
        return word[:1] + "\u00ad" + word[1:]
    if style == 4:
        return word.capitalize()
    return word


def make_doc(analyzer, title, summary, paragraphs, year, category=0, campaigns=(), url="x.html"):
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    analysis = analyse(title, summary, body, analyzer)
    return Doc(url=url, title=title, date=f"01/01/{year}", year=year, category=category,
               campaigns=sorted(set(campaigns)), lead=analysis["lead"], segments=analysis["segments"])
