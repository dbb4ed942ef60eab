"""A deterministic synthetic archive of Vietnamese news, for benchmarks at any size.

Seeded, so the same ``count`` always gives the same files: builds of two commits can be compared
byte for byte. The archive varies what a real one varies: six categories, campaigns named in the
title, the lead or only in passing, dates over sixteen years, tags, authors or none, headings,
bulleted and numbered lists, and lengths from a two-paragraph brief to a long report.
"""

import datetime as _dt
import random
from pathlib import Path

from plugins.vntext import format_short_date, format_time, slugify

_PLACES = ["Liên Bảo", "Tích Sơn", "Ngô Quyền", "Đống Đa", "Đồng Tâm", "Khai Quang", "Hội Hợp",
           "Định Trung", "Thanh Trù"]
_SUBJECTS = [
    "ra quân hưởng ứng Tháng hành động vì trẻ em",
    "tổ chức hội nghị tuyên truyền pháp luật",
    "triển khai Tháng hành động vì bình đẳng giới và phòng chống bạo lực trên cơ sở giới",
    "đẩy mạnh chuyển đổi số trong cải cách hành chính",
    "ra mắt mô hình khu dân cư không có tệ nạn ma túy",
    "chỉnh trang đô thị, xây dựng tuyến phố văn minh",
    "tuyên truyền bảo đảm trật tự an toàn giao thông",
    "khởi công nâng cấp tuyến đường liên phường",
    "tổ chức ngày hội đại đoàn kết toàn dân tộc",
    "kiểm tra an toàn thực phẩm tại các bếp ăn tập thể",
    "vận động nhân dân tham gia hiến máu tình nguyện",
    "diễn tập phương án phòng cháy, chữa cháy tại khu dân cư",
    "tập huấn nghiệp vụ cho cán bộ một cửa",
    "trao học bổng cho học sinh nghèo vượt khó",
]
_CATEGORIES = ["Tin tức - Sự kiện", "Tuyên truyền", "Văn hóa - Xã hội", "Kinh tế - Đô thị",
               "Giáo dục - Y tế", "An ninh - Quốc phòng"]
_TAGS = ["phụ nữ", "trẻ em", "thanh niên", "cải cách hành chính", "đô thị", "giao thông",
         "y tế", "giáo dục", "môi trường", "an ninh trật tự", "văn hóa", "doanh nghiệp"]
_SENTENCES = [
    "Sáng nay, UBND phường {place} phối hợp với các đoàn thể tổ chức hoạt động {subject}.",
    "Đến dự có đại diện lãnh đạo Thành ủy, HĐND, UBND thành phố Vĩnh Yên và đông đảo nhân dân.",
    "Hoạt động nhằm nâng cao nhận thức, trách nhiệm của cán bộ, đảng viên và người dân.",
    "Thời gian tới, phường {place} tiếp tục duy trì các mô hình hiệu quả, nhân rộng điển hình tiên tiến.",
    "Các khu dân cư đã treo băng rôn, khẩu hiệu và phát thanh tuyên truyền trên hệ thống loa truyền thanh.",
    "Theo báo cáo, trong năm qua toàn phường đã giải quyết đúng hạn 98% hồ sơ thủ tục hành chính.",
    "Đồng chí Chủ tịch UBND phường {place} đề nghị các ngành tiếp tục phối hợp chặt chẽ.",
    "Nhiều hộ gia đình đã chủ động đăng ký tham gia và cam kết thực hiện tốt các quy định.",
    "Dịp này, thành phố khen thưởng các tập thể, cá nhân có thành tích xuất sắc.",
    "Đoàn kiểm tra đã nhắc nhở, hướng dẫn các cơ sở khắc phục những tồn tại, hạn chế.",
]
_HEADINGS = ["Kết quả nổi bật", "Nhiệm vụ thời gian tới", "Ý kiến người dân", "Một số giải pháp"]
_LIST_ITEMS = [
    "Tuyên truyền sâu rộng đến từng khu dân cư",
    "Kiểm tra, giám sát việc thực hiện tại cơ sở",
    "Biểu dương các mô hình, cách làm hay",
    "Bố trí kinh phí bảo đảm cho các hoạt động",
    "Báo cáo kết quả về UBND thành phố trước ngày 30 hằng tháng",
]


def _paragraph(rng, place, subject, sentences):
    return " ".join(s.format(place=place, subject=subject) for s in rng.sample(_SENTENCES, sentences))


def _body(rng, place, subject):
    # Lengths as a portal has them: briefs, ordinary news, and long reports with structure.
    kind = rng.choices(("brief", "news", "report"), weights=(25, 55, 20))[0]
    paragraphs = {"brief": 2, "news": rng.randint(3, 6), "report": rng.randint(8, 14)}[kind]
    blocks = []
    for index in range(paragraphs):
        if kind == "report" and index and index % 4 == 0:
            blocks.append(f"## {rng.choice(_HEADINGS)}")
        blocks.append(_paragraph(rng, place, subject, rng.randint(2, 5)))
        if kind != "brief" and rng.random() < 0.12:
            marker = rng.choice(("-", "1."))
            blocks.append("\n".join(f"{marker} {item}." for item in rng.sample(_LIST_ITEMS, 3)))
    if rng.random() < 0.1:
        # A passing mention of a campaign that is not the article's subject.
        blocks.append("Các đơn vị cũng lồng ghép tuyên truyền về chuyển đổi số trong dịp này.")
    return "\n\n".join(blocks)


def article_text(number, rng):
    """(relative path, Markdown text) of synthetic article ``number`` drawn from ``rng``."""
    start = _dt.datetime(2010, 1, 1, 7, 0)
    span_minutes = 16 * 365 * 24 * 60
    place, subject = rng.choice(_PLACES), rng.choice(_SUBJECTS)
    when = start + _dt.timedelta(minutes=rng.randrange(span_minutes))
    title = f"Phường {place} {subject} (số {number})"
    header = [f"Title: {title}", f"Date: {format_short_date(when)} {format_time(when)}",
              f"Category: {rng.choice(_CATEGORIES)}"]
    if rng.random() < 0.8:
        header.append(f"Author: Phóng viên {number % 40}")
    if rng.random() < 0.6:
        header.append("Tags: " + ", ".join(rng.sample(_TAGS, rng.randint(1, 3))))
    header += [f"Summary: Phường {place} {subject}.", "Sample: yes"]
    body = _body(rng, place, subject)
    relative = Path(f"{when:%Y}") / f"{when:%m}" / f"{slugify(title)}.md"
    return relative, "\n".join(header) + "\n\n" + body + "\n"


def write_archive(target, count, seed=2022):
    """Write ``count`` articles under ``target`` (content/yyyy/mm/slug.md); returns the folder."""
    rng = random.Random(seed)
    target = Path(target)
    for number in range(count):
        relative, text = article_text(number, rng)
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return target
