"""Event dates mentioned in article bodies (plugins/vntext/eventdates.py)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plugins.vntext import find_event_dates
from plugins.vntext.eventdates import EventDate, strip_html


def D(text):
    return dt.date.fromisoformat(text)


# Sentences as the city portal and provincial papers write them, with the span expected.
# (phrase, default year, [(start, end, kind), ...])
REAL = [
    (
        "tổ chức triển khai thực hiện Tháng hành động vì bình đẳng giới và phòng chống bạo lực"
        " trên cơ sở giới từ ngày 15/11 - 15/12/2022.",
        2022,
        [("2022-11-15", "2022-12-15", "days")],
    ),
    (
        "Tháng hành động vì bình đẳng giới được triển khai từ ngày 15/11 đến ngày 15/12/2022.",
        2022,
        [("2022-11-15", "2022-12-15", "days")],
    ),
    (
        "Sáng ngày 9/11, UBND thành phố Vĩnh Yên tổ chức Hội nghị tổng kết công tác năm.",
        2022,
        [("2022-11-09", "2022-11-09", "day")],
    ),
    (
        "Ngày 9/11, Ban Thường vụ Thành ủy Vĩnh Yên tổ chức hội nghị.",
        2021,
        [("2021-11-09", "2021-11-09", "day")],
    ),
    (
        "Vĩnh Yên, ngày 22 tháng 6 năm 2022",
        2020,
        [("2022-06-22", "2022-06-22", "day")],
    ),
    (
        "UBND thành phố xây dựng Kế hoạch triển khai công tác bình đẳng giới năm 2022.",
        2022,
        [("2022-01-01", "2022-12-31", "year")],
    ),
    (
        "Trong tháng 6/2022, toàn thành phố có 15 lượt đoàn viên tham gia hiến máu.",
        2022,
        [("2022-06-01", "2022-06-30", "month")],
    ),
    (
        "Giải bóng đá thanh niên thành phố diễn ra trong 2 ngày 15-16/11/2022 tại Sân vận động.",
        2022,
        [("2022-11-15", "2022-11-16", "days")],
    ),
    (
        "Sáng 02/6, tại Hội trường Thành ủy, Ban Tuyên giáo tổ chức hội nghị báo cáo viên.",
        2022,
        [("2022-06-02", "2022-06-02", "day")],
    ),
    (
        "Sáng nay (22/6), Hội Liên hiệp Phụ nữ thành phố tổ chức lễ ra quân.",
        2022,
        [("2022-06-22", "2022-06-22", "day")],
    ),
    (
        "Chiều thứ Hai, ngày 20/6/2022, Thường trực HĐND thành phố tiếp công dân định kỳ.",
        2019,
        [("2022-06-20", "2022-06-20", "day")],
    ),
    (
        "Thực hiện Kế hoạch số 125/KH-UBND ngày 10/5/2022 của UBND tỉnh Vĩnh Phúc.",
        2022,
        [("2022-05-10", "2022-05-10", "day")],
    ),
    (
        "Thời gian nhận hồ sơ: từ ngày 01/7/2022 đến hết ngày 30/7/2022.",
        2022,
        [("2022-07-01", "2022-07-30", "days")],
    ),
    (
        "Đợt cao điểm tấn công trấn áp tội phạm từ ngày 15/12 - 15/1/2023 đón Tết Nguyên đán.",
        2022,
        [("2022-12-15", "2023-01-15", "days")],
    ),
    (
        "Chương trình được tổ chức từ ngày 01 tháng 7 đến ngày 31 tháng 7 năm 2022.",
        2022,
        [("2022-07-01", "2022-07-31", "days")],
    ),
    (
        "Tối 30/4, thành phố tổ chức bắn pháo hoa chào mừng kỷ niệm 47 năm Ngày giải phóng"
        " miền Nam, thống nhất đất nước.",
        2022,
        [("2022-04-30", "2022-04-30", "day")],
    ),
    (
        "Nghị quyết Đại hội Đảng bộ thành phố lần thứ XX, nhiệm kỳ 2020 - 2025.",
        2022,
        [("2020-01-01", "2025-12-31", "years")],
    ),
    (
        "Kế hoạch phát triển kinh tế - xã hội giai đoạn 2021-2025.",
        2022,
        [("2021-01-01", "2025-12-31", "years")],
    ),
    (
        "Kết quả công tác quý II/2022 và nhiệm vụ trọng tâm quý III/2022.",
        2022,
        [("2022-04-01", "2022-06-30", "quarter"), ("2022-07-01", "2022-09-30", "quarter")],
    ),
    (
        "Hội nghị sơ kết 6 tháng đầu năm 2022, triển khai nhiệm vụ 6 tháng cuối năm 2022.",
        2022,
        [("2022-01-01", "2022-06-30", "months"), ("2022-07-01", "2022-12-31", "months")],
    ),
    (
        "Chiến dịch tiêm chủng được triển khai từ tháng 6 đến tháng 9/2022.",
        2022,
        [("2022-06-01", "2022-09-30", "months")],
    ),
    (
        "Tổng kết năm học 2021-2022, triển khai nhiệm vụ năm học 2022 - 2023.",
        2022,
        [("2021-09-01", "2022-05-31", "school_year"), ("2022-09-01", "2023-05-31", "school_year")],
    ),
    (
        "Lễ hội diễn ra trong 2 ngày 5 và 6/11 tại Quảng trường Hồ Chí Minh.",
        2022,
        [("2022-11-05", "2022-11-06", "days")],
    ),
    (
        "Hôm qua (21/6), Đoàn kiểm tra của Tỉnh ủy làm việc với Thành ủy Vĩnh Yên.",
        2022,
        [("2022-06-21", "2022-06-21", "day")],
    ),
    (
        "Sáng 27-7-2022, lãnh đạo thành phố dâng hương tại Nghĩa trang liệt sỹ.",
        2022,
        [("2022-07-27", "2022-07-27", "day")],
    ),
    (
        "Ngày 15.11.2022, UBND phường Đống Đa tổ chức Ngày hội Đại đoàn kết toàn dân tộc.",
        2022,
        [("2022-11-15", "2022-11-15", "day")],
    ),
    (
        "Tháng 12 năm 2022, thành phố hoàn thành kế hoạch giải ngân vốn đầu tư công.",
        2022,
        [("2022-12-01", "2022-12-31", "month")],
    ),
    (
        "Mùng 2/9, nhân dân thành phố treo cờ Tổ quốc chào mừng Quốc khánh.",
        2022,
        [("2022-09-02", "2022-09-02", "day")],
    ),
    (
        "Các hoạt động diễn ra từ 28/10 đến 3/11 tại Nhà văn hóa trung tâm.",
        2022,
        [("2022-10-28", "2022-11-03", "days")],
    ),
    (
        "Hạn chót nộp hồ sơ là ngày 22 tháng 6, lúc 17 giờ.",
        2022,
        [("2022-06-22", "2022-06-22", "day")],
    ),
]


@pytest.mark.parametrize("text, year, expected", REAL, ids=[r[0][:40] for r in REAL])
def test_real_phrasings(text, year, expected):
    found = find_event_dates(text, year)
    assert [(e.start, e.end, e.kind) for e in found] == [
        (D(s), D(e), kind) for s, e, kind in expected
    ]
    for event in found:
        # The phrase is quoted as written, so the campaigns plugin can show it.
        assert " ".join(event.text.split()) in " ".join(text.split())


def test_at_least_twenty_real_phrasings_are_recognised():
    """Not the size of the list but what the extractor does with it: twenty or more real
    phrasings with dates in them, each found exactly (fails when extraction breaks)."""
    exact = [text for text, year, expected in REAL if expected and
             [(e.start, e.end, e.kind) for e in find_event_dates(text, year)]
             == [(D(s), D(e), kind) for s, e, kind in expected]]
    assert len(exact) >= 20, f"{len(exact)} of {len(REAL)} recognised"
    kinds = {kind for _, _, expected in REAL for _, _, kind in expected}
    assert len(kinds) >= 2, kinds


NEGATIVE = [
    "Quyết định số 15/2022/QĐ-UBND của UBND tỉnh.",
    "Thực hiện Nghị định 100/2019/NĐ-CP về xử phạt vi phạm hành chính.",
    "Thông tư số 01/2021/TT-BNV hướng dẫn.",
    "Mọi thông tin xin liên hệ số điện thoại 0211.3861.234 hoặc 0211 3862 123.",
    "Đường dây nóng: 0912-345-678.",
    "Chung cuộc, đội phường Liên Bảo thắng 3/1 trước đội phường Ngô Quyền.",
    "Trận chung kết kết thúc với tỉ số 2-1.",
    "Có 15/20 chỉ tiêu đạt và vượt kế hoạch, tăng 2,5% so với cùng kỳ.",
    "Tỷ lệ hộ gia đình văn hóa đạt 95,6%, có 2/3 số hộ tham gia.",
    "Công văn số 1234/UBND-VP về việc triển khai.",
    "Diện tích 12.500 m2, tổng vốn 45,6 tỷ đồng.",
    "Hơn 1.200 đoàn viên tham gia, 30 đội bóng.",
    "Hội nghị lần thứ 12 Ban Chấp hành Đảng bộ thành phố.",
    "Mã số thuế 2500123456, tài khoản 102010000123.",
    "Phiên bản 2.0.1, cập nhật lần 3.",
    "Trong 6 tháng, thành phố đã giải quyết 500 hồ sơ.",
    "2/1 - 3/1 là tỉ số của hai hiệp.",
    "Ngày 31/6/2022 không tồn tại.",  # an impossible day is dropped, never guessed
    "Ngày 29/2/2023 là ngày không có thật.",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_not_dates(text):
    assert find_event_dates(text, 2022) == []


def test_without_default_year_day_month_is_skipped():
    assert find_event_dates("Sáng ngày 9/11, hội nghị khai mạc.") == []
    assert find_event_dates("Sáng ngày 9/11/2022, hội nghị khai mạc.") == [
        EventDate(D("2022-11-09"), D("2022-11-09"), "day", "Sáng ngày 9/11/2022")
    ]


def test_publication_date_is_not_added():
    # A body that mentions no date gives no event date, whatever the article's own date.
    assert find_event_dates("UBND thành phố triển khai công tác bình đẳng giới.", 2022) == []


def test_html_is_ignored_and_entities_decoded():
    html = (
        "<p>Tháng hành động <strong>từ ngày 15/11</strong>&nbsp;&ndash;&nbsp;15/12/2022</p>"
        "<p>Sáng <em>02/6</em>, khai mạc.</p>"
    )
    found = find_event_dates(html, 2022)
    assert [(e.start, e.end) for e in found] == [
        (D("2022-11-15"), D("2022-12-15")),
        (D("2022-06-02"), D("2022-06-02")),
    ]
    assert "<" not in strip_html(html)


def test_repeated_mentions_are_listed_once_in_text_order():
    text = "Ngày 10/5/2022 khai mạc; năm 2022 là năm bản lề; bế mạc ngày 12/5/2022; ngày 10/5/2022."
    found = find_event_dates(text, 2022)
    assert [e.kind for e in found] == ["day", "year", "day"]
    assert [e.start for e in found] == [D("2022-05-10"), D("2022-01-01"), D("2022-05-12")]


def test_event_date_helpers():
    event = find_event_dates("từ ngày 15/11 - 15/12/2022")[0]
    assert event.is_range
    assert event.contains(dt.datetime(2022, 11, 30, 8, 0))
    assert not event.contains(dt.date(2022, 12, 16))
    assert event.as_dict() == {
        "start": "2022-11-15",
        "end": "2022-12-15",
        "kind": "days",
        "text": "từ ngày 15/11 - 15/12/2022",
    }


@given(st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_any_written_day_round_trips(day):
    text = f"Sáng ngày {day.day}/{day.month}/{day.year}, hội nghị khai mạc."
    assert [(e.start, e.end) for e in find_event_dates(text)] == [(day, day)]
    long_text = f"Vĩnh Yên, ngày {day.day} tháng {day.month} năm {day.year}"
    assert [(e.start, e.end) for e in find_event_dates(long_text)] == [(day, day)]


@given(st.text(alphabet="0123456789/.-, %QĐUBNDngày", max_size=40))
def test_never_crashes_and_spans_are_ordered(text):
    for event in find_event_dates(text, 2022):
        assert event.start <= event.end
