"""Write the skeleton of a new article where editors are told to put it."""

from pathlib import Path

from plugins.content_rules import value_problem
from plugins.vntext import format_short_date, format_time, nfc, now_vn, slugify

# Markdown metadata has no comment syntax, so every field is written out. The article starts
# as a draft: unfinished text never goes live by accident; the editor deletes the Status line.
TEMPLATE = """\
Title: {title}
Date: {date}
Category: {category}
Author: {author}
Tags:
Summary: {summary}
Status: draft

Viết nội dung bài viết ở đây. Mỗi đoạn văn cách nhau một dòng trống. Khi bài đã sẵn sàng,
xóa dòng "Status: draft" ở trên để đăng.
"""


def article_path(content_dir, title, when):
    """content/{yyyy}/{mm}/{slug}.md, the path the editor's guide documents."""
    slug = slugify(title)
    if not slug:
        raise ValueError(f"cannot make a file name from the title {title!r}")
    return Path(content_dir) / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"


def check_values(**values):
    """Refuse a value that would break the header: a line break would inject header lines
    (``--author $'Lan\\nStatus: published'``), a control character is refused by the rules."""
    for name, value in values.items():
        why = value_problem(value or "")
        if why:
            raise ValueError(f"--{name} {why}: give the value on one line, without invisible characters")


def new_article(content_dir, title, category, author="", summary="", when=None):
    """Create the article file and return its path; refuse to overwrite an existing file."""
    check_values(title=title, category=category, author=author, summary=summary)
    title = " ".join(nfc(title).split())
    when = when or now_vn()
    path = article_path(content_dir, title, when)
    text = TEMPLATE.format(
        title=title,
        date=f"{format_short_date(when)} {format_time(when)}",
        category=nfc(category),
        author=nfc(author),
        summary=nfc(summary) or title,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # "x" mode: the existence check and the creation are one step, so nothing is overwritten.
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)
    return path
