"""A deterministic synthetic archive of Vietnamese news, for benchmarks at any size."""

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
]
_CATEGORIES = ["Tin tức - Sự kiện", "Tuyên truyền", "Văn hóa - Xã hội", "Kinh tế - Đô thị",
               "Giáo dục - Y tế", "An ninh - Quốc phòng"]
_SENTENCES = [
    "Sáng nay, UBND phường {place} phối hợp với các đoàn thể tổ chức hoạt động {subject}.",
    "Đến dự có đại diện lãnh đạo Thành ủy, HĐND, UBND thành phố Vĩnh Yên và đông đảo nhân dân.",
    "Hoạt động nhằm nâng cao nhận thức, trách nhiệm của cán bộ, đảng viên và người dân.",
    "Thời gian tới, phường {place} tiếp tục duy trì các mô hình hiệu quả, nhân rộng điển hình tiên tiến.",
    "Các khu dân cư đã treo băng rôn, khẩu hiệu và phát thanh tuyên truyền trên hệ thống loa truyền thanh.",
]


def write_archive(target, count, seed=2022):
    """Write ``count`` articles under ``target`` (content/yyyy/mm/slug.md); returns the folder."""
    rng = random.Random(seed)
    target = Path(target)
    start = _dt.datetime(2010, 1, 1, 7, 0)
    span_minutes = 16 * 365 * 24 * 60
    for number in range(count):
        place, subject = rng.choice(_PLACES), rng.choice(_SUBJECTS)
        when = start + _dt.timedelta(minutes=rng.randrange(span_minutes))
        title = f"Phường {place} {subject} (số {number})"
        body = "\n\n".join(
            " ".join(s.format(place=place, subject=subject) for s in rng.sample(_SENTENCES, 3))
            for _ in range(4)
        )
        path = target / f"{when:%Y}" / f"{when:%m}" / f"{slugify(title)}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f"Title: {title}\nDate: {format_short_date(when)} {format_time(when)}\n"
            f"Category: {rng.choice(_CATEGORIES)}\nAuthor: Phóng viên {number % 40}\n"
            f"Summary: Phường {place} {subject}.\nSample: yes\n\n{body}\n",
            encoding="utf-8",
        )
    return target
