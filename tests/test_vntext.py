"""Unit tests for plugins/vntext: NFC, folding, slugs, day-first dates,
locale-independent Vietnamese date formatting and Vietnamese collation.

Property-based tests live in tests/test_vntext_properties.py.
"""

import datetime as dt
import locale
import os
import random
import re
import unicodedata

import pytest
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from plugins import vntext
from plugins.vntext import (
    VN_TZ,
    WEEKDAY_SHORT,
    fold,
    format_date,
    format_datetime,
    format_long_date,
    format_short_date,
    format_time,
    has_time,
    month_label,
    month_name,
    nfc,
    now_vn,
    parse_vn_date,
    slugify,
    sort_key,
    weekday_name,
)


def nfd(text):
    return unicodedata.normalize("NFD", text)


def pelican_tag_slug(text):
    """Pelican's own slug for a tag name, with Pelican's default settings."""
    key = "TAG_REGEX_SUBSTITUTIONS"
    if key not in DEFAULT_CONFIG:
        key = "SLUG_REGEX_SUBSTITUTIONS"
    return pelican_slugify(text, regex_subs=DEFAULT_CONFIG[key])


# --------------------------------------------------------------------------
# Shared data
# --------------------------------------------------------------------------

SEED_TITLE = (
    "UBND thành phố triển khai công tác Bình đẳng giới và vì sự tiến bộ "
    "của phụ nữ năm 2022"
)
SEED_SLUG = "ubnd-thanh-pho-trien-khai-cong-tac-binh-dang-gioi-va-vi-su-tien-bo-cua-phu-nu-nam-2022"

# Every Vietnamese vowel with every tone, written out literally (NFC):
# base letter, then huyền, hỏi, ngã, sắc, nặng.
TONE_TABLE = {
    "a": "aàảãáạ",
    "ă": "ăằẳẵắặ",
    "â": "âầẩẫấậ",
    "e": "eèẻẽéẹ",
    "ê": "êềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọ",
    "ô": "ôồổỗốộ",
    "ơ": "ơờởỡớợ",
    "u": "uùủũúụ",
    "ư": "ưừửữứự",
    "y": "yỳỷỹýỵ",
}
TONE_MARKS = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
ASCII_BASE = {"ă": "a", "â": "a", "ê": "e", "ô": "o", "ơ": "o", "ư": "u"}

TONED_VOWELS = [
    (letter, ASCII_BASE.get(base, base))
    for base, letters in TONE_TABLE.items()
    for letter in letters
]

VN_ALPHABET = "a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y".split()

PLACE_NAMES = [
    "Vĩnh Yên",
    "Đống Đa",
    "Liên Bảo",
    "Tích Sơn",
    "Đà Nẵng",
    "Thừa Thiên Huế",
    "Bà Rịa – Vũng Tàu",
    "Định Trung",
    "Đồng Tâm",
    "Hội Hợp",
    "Khai Quang",
    "Ngô Quyền",
    "Thanh Trù",
]


# --------------------------------------------------------------------------
# Sanity checks on the test data itself (so the tables cannot be wrong)
# --------------------------------------------------------------------------

def test_tone_table_is_consistent_with_unicode():
    for base, letters in TONE_TABLE.items():
        assert len(letters) == 6
        for letter, mark in zip(letters, TONE_MARKS):
            assert unicodedata.is_normalized("NFC", letter)
            assert unicodedata.normalize("NFC", base + mark) == letter


# --------------------------------------------------------------------------
# nfc
# --------------------------------------------------------------------------

@pytest.mark.parametrize("text", PLACE_NAMES + [SEED_TITLE, "Nguyễn Thị Hường", "ĐẢNG ỦY"])
def test_nfc_of_nfd_input_equals_nfc_input(text):
    decomposed = nfd(text)
    assert decomposed != text or text.isascii()
    assert nfc(decomposed) == text
    assert nfc(text) == text
    assert nfc(nfc(decomposed)) == nfc(decomposed)


def test_nfc_keeps_non_letters():
    text = "Số 12,\u00a0phường Liên\u00a0Bảo – “Tin tức” — 22/06/2022"
    assert nfc(nfd(text)) == text


# --------------------------------------------------------------------------
# fold
# --------------------------------------------------------------------------

FOLD_CASES = [
    ("Đảng bộ phường Đống Đa", "dang bo phuong dong da"),
    ("Nguyễn Thị Hường", "nguyen thi huong"),
    ("Vĩnh Yên", "vinh yen"),
    ("Liên Bảo", "lien bao"),
    ("Tích Sơn", "tich son"),
    ("Đà Nẵng", "da nang"),
    ("Thừa Thiên Huế", "thua thien hue"),
    ("Bà Rịa – Vũng Tàu", "ba ria – vung tau"),
    ("Định Trung", "dinh trung"),
    ("Đồng Tâm", "dong tam"),
    ("Hội Hợp", "hoi hop"),
    ("Khai Quang", "khai quang"),
    ("Ngô Quyền", "ngo quyen"),
    ("Thanh Trù", "thanh tru"),
    ("ĐỐNG ĐA", "dong da"),
    ("đ", "d"),
    ("Đ", "d"),
    ("đẳng", "dang"),
    ("đảng", "dang"),
    ("Đảng", "dang"),
    ("bình đẳng", "binh dang"),
    ("Ưu tiên", "uu tien"),
    ("Ơn nghĩa", "on nghia"),
    ("ƯỚC MƠ", "uoc mo"),
    ("UBND", "ubnd"),
    ("năm 2022", "nam 2022"),
    ("Hà Nội, 22/06/2022", "ha noi, 22/06/2022"),
    ("Chủ tịch UBND TP. Vĩnh Yên", "chu tich ubnd tp. vinh yen"),
    ("Tuyên truyền “Bình đẳng giới” — năm 2022", "tuyen truyen “binh dang gioi” — nam 2022"),
    ("Phòng chống dịch Covid-19", "phong chong dich covid-19"),
    ("ĐẠi HộI", "dai hoi"),
    ("", ""),
    ("abc 123", "abc 123"),
]


@pytest.mark.parametrize("text,expected", FOLD_CASES)
def test_fold(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("text,expected", FOLD_CASES)
def test_fold_nfd_input_same_as_nfc(text, expected):
    assert fold(nfd(text)) == expected


@pytest.mark.parametrize("letter,expected", TONED_VOWELS)
def test_fold_every_tone_on_every_vowel(letter, expected):
    assert fold(letter) == expected
    assert fold(letter.upper()) == expected
    assert fold(nfd(letter.upper())) == expected


def test_fold_is_lossy_by_design():
    assert fold("đẳng") == fold("đảng") == "dang"
    assert fold("bình đẳng") == "binh dang"
    assert fold("Đảng") == "dang"
    assert fold("bình đẳng") != fold("Đảng")


def test_fold_non_breaking_space_keeps_words_apart():
    folded = fold("Vĩnh\u00a0Yên")
    assert folded.replace("\u00a0", " ") == "vinh yen"


@pytest.mark.parametrize("text", PLACE_NAMES + [SEED_TITLE])
def test_fold_output_is_plain(text):
    folded = fold(text)
    assert "đ" not in folded and "Đ" not in folded
    assert not any(unicodedata.combining(c) for c in nfd(folded))
    assert folded == folded.lower()
    assert fold(folded) == folded


# --------------------------------------------------------------------------
# slugify
# --------------------------------------------------------------------------

SLUG_CASES = [
    (SEED_TITLE, SEED_SLUG),
    ("Tin tức - Sự kiện", "tin-tuc-su-kien"),
    ("Tin tức – Sự kiện", "tin-tuc-su-kien"),
    ("Tin tức — Sự kiện", "tin-tuc-su-kien"),
    ("Vĩnh Yên", "vinh-yen"),
    ("Vĩnh\u00a0Yên", "vinh-yen"),
    ("Bà Rịa – Vũng Tàu", "ba-ria-vung-tau"),
    ("Đảng bộ phường Đống Đa", "dang-bo-phuong-dong-da"),
    ("Thừa Thiên Huế", "thua-thien-hue"),
    ("Đà Nẵng", "da-nang"),
    ("Liên Bảo", "lien-bao"),
    ("Tích Sơn", "tich-son"),
    ("Nguyễn Thị Hường", "nguyen-thi-huong"),
    ("ĐẠI HỘI ĐẢNG BỘ", "dai-hoi-dang-bo"),
    ("Ưu tiên", "uu-tien"),
    ("Hội nghị sơ kết 6 tháng đầu năm 2022", "hoi-nghi-so-ket-6-thang-dau-nam-2022"),
    ("  Chuyển đổi số  ", "chuyen-doi-so"),
    ("Covid-19: Vĩnh Yên tiêm vắc-xin mũi 3", "covid-19-vinh-yen-tiem-vac-xin-mui-3"),
    ("“Ngày hội Đại đoàn kết”", "ngay-hoi-dai-doan-ket"),
    ("Phường Liên Bảo (TP. Vĩnh Yên)", "phuong-lien-bao-tp-vinh-yen"),
    ("Tích Sơn, Định Trung", "tich-son-dinh-trung"),
    (
        "Kỷ niệm 75 năm Ngày Thương binh – Liệt sỹ (27/7/1947 – 27/7/2022)",
        "ky-niem-75-nam-ngay-thuong-binh-liet-sy-2771947-2772022",
    ),
    ("An ninh - Quốc phòng", "an-ninh-quoc-phong"),
    ("Văn hóa - Xã hội", "van-hoa-xa-hoi"),
    ("Kinh tế", "kinh-te"),
    ("", ""),
]


@pytest.mark.parametrize("text,expected", SLUG_CASES)
def test_slugify(text, expected):
    assert slugify(text) == expected


@pytest.mark.parametrize("text,expected", SLUG_CASES)
def test_slugify_matches_pelican_tag_slug(text, expected):
    assert slugify(text) == pelican_tag_slug(text) == expected


@pytest.mark.parametrize("text,expected", SLUG_CASES)
def test_slugify_nfd_input(text, expected):
    assert slugify(nfd(text)) == expected


@pytest.mark.parametrize("text,expected", SLUG_CASES)
def test_slugify_ascii_and_idempotent(text, expected):
    slug = slugify(text)
    assert slug.isascii()
    assert slugify(slug) == slug


# --------------------------------------------------------------------------
# parse_vn_date
# --------------------------------------------------------------------------

PARSE_OK = [
    ("22/06/2022", (2022, 6, 22, 0, 0, 0)),
    ("05/06/2022", (2022, 6, 5, 0, 0, 0)),  # 5 June, NOT 6 May
    ("5/6/2022", (2022, 6, 5, 0, 0, 0)),
    ("06/05/2022", (2022, 5, 6, 0, 0, 0)),
    ("1/1/2023", (2023, 1, 1, 0, 0, 0)),
    ("22/06/2022 10:08", (2022, 6, 22, 10, 8, 0)),
    ("22/06/2022 10:08:30", (2022, 6, 22, 10, 8, 30)),
    ("05/06/2022 07:05", (2022, 6, 5, 7, 5, 0)),
    ("31/12/2022 23:59", (2022, 12, 31, 23, 59, 0)),
    ("2022-06-22", (2022, 6, 22, 0, 0, 0)),
    ("2022-06-22 10:08", (2022, 6, 22, 10, 8, 0)),
    ("2022-06-22 10:08:30", (2022, 6, 22, 10, 8, 30)),
    ("2022-06-22T10:08", (2022, 6, 22, 10, 8, 0)),
    ("2022-06-22T10:08:30", (2022, 6, 22, 10, 8, 30)),
    ("2022-06-05", (2022, 6, 5, 0, 0, 0)),
    ("22-06-2022", (2022, 6, 22, 0, 0, 0)),
    ("05-06-2022", (2022, 6, 5, 0, 0, 0)),
    ("22.06.2022", (2022, 6, 22, 0, 0, 0)),
    ("05.06.2022", (2022, 6, 5, 0, 0, 0)),
    ("  22/06/2022  ", (2022, 6, 22, 0, 0, 0)),
    ("\t22/06/2022 10:08\n", (2022, 6, 22, 10, 8, 0)),
    (" 2022-06-22 ", (2022, 6, 22, 0, 0, 0)),
    ("29/02/2024", (2024, 2, 29, 0, 0, 0)),
    ("29/02/2000", (2000, 2, 29, 0, 0, 0)),
    ("01/01/1900", (1900, 1, 1, 0, 0, 0)),
    ("31/12/2099", (2099, 12, 31, 0, 0, 0)),
    ("22/06/2022 00:00", (2022, 6, 22, 0, 0, 0)),
]


@pytest.mark.parametrize("text,expected", PARSE_OK)
def test_parse_vn_date(text, expected):
    value = parse_vn_date(text)
    assert isinstance(value, dt.datetime)
    got = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    assert got == expected
    assert value.tzinfo is not None
    assert getattr(value.tzinfo, "key", None) == "Asia/Ho_Chi_Minh"
    if value.year >= 1976:  # earlier years had other historical offsets
        assert value.utcoffset() == dt.timedelta(hours=7)


def test_parse_vn_date_exact_value():
    expected = dt.datetime(2022, 6, 22, 0, 0, tzinfo=VN_TZ)
    assert parse_vn_date("22/06/2022") == expected
    assert parse_vn_date("22/06/2022").isoformat() == "2022-06-22T00:00:00+07:00"
    assert parse_vn_date("22/06/2022 10:08").isoformat() == "2022-06-22T10:08:00+07:00"


@pytest.mark.parametrize(
    "a,b",
    [
        ("22/06/2022", "2022-06-22"),
        ("22/06/2022", "22-06-2022"),
        ("22/06/2022", "22.06.2022"),
        ("05/06/2022", "5/6/2022"),
        ("22/06/2022 10:08", "2022-06-22 10:08"),
        ("22/06/2022 10:08", "2022-06-22T10:08:00"),
    ],
)
def test_parse_vn_date_equivalent_spellings(a, b):
    assert parse_vn_date(a) == parse_vn_date(b)


PARSE_BAD = [
    "31/02/2022",
    "30/02/2022",
    "31/04/2022",
    "00/01/2022",
    "32/01/2022",
    "29/02/2023",
    "29/02/1900",
    "13/13/2022",
    "01/00/2022",
    "06/22/2022",  # US order: month 22 does not exist, never silently swapped
    "22/06/22",  # two-digit year
    "",
    "   ",
    "hôm qua",
    "Thứ Tư, 22/06/2022",
    "22/06/2022 25:00",
    "22/06/2022 10:60",
    "2022/06/22",
    "2022-02-30",
    "2022-13-01",
    "22/06",
    "abc",
]


@pytest.mark.parametrize("text", PARSE_BAD)
def test_parse_vn_date_rejects(text):
    with pytest.raises(ValueError) as excinfo:
        parse_vn_date(text)
    # the message quotes the value (stripped or as given)
    message = str(excinfo.value)
    assert text.strip() in message


def test_parse_vn_date_never_swaps_day_and_month():
    for day in range(1, 13):
        for month in range(1, 13):
            value = parse_vn_date(f"{day:02d}/{month:02d}/2022")
            assert (value.day, value.month) == (day, month)
            value = parse_vn_date(f"{day}/{month}/2022")
            assert (value.day, value.month) == (day, month)


# --------------------------------------------------------------------------
# VN_TZ, now_vn, has_time
# --------------------------------------------------------------------------

def test_vn_tz():
    assert VN_TZ.key == "Asia/Ho_Chi_Minh"
    assert VN_TZ.utcoffset(dt.datetime(2022, 6, 22)) == dt.timedelta(hours=7)


def test_now_vn_is_aware_and_current():
    before = dt.datetime.now(dt.timezone.utc)
    value = now_vn()
    after = dt.datetime.now(dt.timezone.utc)
    assert value.tzinfo is not None
    assert getattr(value.tzinfo, "key", None) == "Asia/Ho_Chi_Minh"
    assert value.utcoffset() == dt.timedelta(hours=7)
    assert before - dt.timedelta(seconds=1) <= value <= after + dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("22/06/2022", False),
        ("2022-06-22", False),
        ("22/06/2022 00:00", False),
        ("22/06/2022 10:08", True),
        ("22/06/2022 00:01", True),
        ("2022-06-22T23:59", True),
    ],
)
def test_has_time(text, expected):
    assert has_time(parse_vn_date(text)) is expected


# --------------------------------------------------------------------------
# Formatting
# --------------------------------------------------------------------------

WEEK = [
    (20, "Thứ Hai", "T2"),
    (21, "Thứ Ba", "T3"),
    (22, "Thứ Tư", "T4"),
    (23, "Thứ Năm", "T5"),
    (24, "Thứ Sáu", "T6"),
    (25, "Thứ Bảy", "T7"),
    (26, "Chủ nhật", "CN"),
]


@pytest.mark.parametrize("day,name,short", WEEK)
def test_weekday_name_known_week(day, name, short):
    value = parse_vn_date(f"{day}/06/2022")
    assert weekday_name(value) == name
    assert weekday_name(dt.datetime(2022, 6, day)) == name
    assert WEEKDAY_SHORT[value.weekday()] == short


@pytest.mark.parametrize("day,name,short", WEEK)
def test_format_date_known_week(day, name, short):
    value = parse_vn_date(f"{day}/06/2022")
    assert format_date(value) == f"{name}, {day}/06/2022"
    assert format_short_date(value) == f"{day}/06/2022"


def test_weekday_short():
    assert tuple(WEEKDAY_SHORT) == ("T2", "T3", "T4", "T5", "T6", "T7", "CN")


def test_weekday_name_accepts_plain_date():
    assert weekday_name(dt.date(2022, 6, 22)) == "Thứ Tư"
    assert format_short_date(dt.date(2022, 6, 5)) == "05/06/2022"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("22/06/2022", "Thứ Tư, 22/06/2022"),
        ("05/06/2022", "Chủ nhật, 05/06/2022"),
        ("01/01/2023", "Chủ nhật, 01/01/2023"),
        ("29/02/2024", "Thứ Năm, 29/02/2024"),
        ("02/09/1945", "Chủ nhật, 02/09/1945"),
        ("30/04/1975", "Thứ Tư, 30/04/1975"),
        ("22/06/2022 10:08", "Thứ Tư, 22/06/2022"),
    ],
)
def test_format_date(text, expected):
    assert format_date(parse_vn_date(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("22/06/2022", "22/06/2022"),
        ("5/6/2022", "05/06/2022"),
        ("2022-01-09 10:08", "09/01/2022"),
    ],
)
def test_format_short_date(text, expected):
    assert format_short_date(parse_vn_date(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("22/06/2022", "ngày 22 tháng 6 năm 2022"),
        ("22/06/2022 10:08", "ngày 22 tháng 6 năm 2022"),
        ("31/12/2022", "ngày 31 tháng 12 năm 2022"),
        ("10/10/2021", "ngày 10 tháng 10 năm 2021"),
        ("15/03/2023", "ngày 15 tháng 3 năm 2023"),
        ("29/02/2024", "ngày 29 tháng 2 năm 2024"),
    ],
)
def test_format_long_date(text, expected):
    assert format_long_date(parse_vn_date(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("22/06/2022 10:08", "10:08, Thứ Tư, 22/06/2022"),
        ("22/06/2022 10:08:59", "10:08, Thứ Tư, 22/06/2022"),
        ("05/06/2022 07:05", "07:05, Chủ nhật, 05/06/2022"),
        ("22/06/2022 23:59", "23:59, Thứ Tư, 22/06/2022"),
        ("22/06/2022", "Thứ Tư, 22/06/2022"),
        ("22/06/2022 00:00", "Thứ Tư, 22/06/2022"),
        ("2022-06-26", "Chủ nhật, 26/06/2022"),
    ],
)
def test_format_datetime(text, expected):
    assert format_datetime(parse_vn_date(text)) == expected


@pytest.mark.parametrize(
    "text,expected",
    [("22/06/2022 10:08", "10:08"), ("05/06/2022 07:05", "07:05"), ("22/06/2022 23:59:59", "23:59")],
)
def test_format_time(text, expected):
    assert format_time(parse_vn_date(text)) == expected


MONTH_NAMES = [
    "Tháng Một",
    "Tháng Hai",
    "Tháng Ba",
    "Tháng Tư",
    "Tháng Năm",
    "Tháng Sáu",
    "Tháng Bảy",
    "Tháng Tám",
    "Tháng Chín",
    "Tháng Mười",
    "Tháng Mười Một",
    "Tháng Mười Hai",
]


@pytest.mark.parametrize("month,name", list(enumerate(MONTH_NAMES, start=1)))
def test_month_name(month, name):
    assert month_name(month) == name
    assert unicodedata.is_normalized("NFC", month_name(month))


@pytest.mark.parametrize("month", range(1, 13))
def test_month_label(month):
    assert month_label(month) == f"tháng {month}"
    assert month_label(month, 2022) == f"Tháng {month}/2022"


def test_month_label_examples():
    assert month_label(6) == "tháng 6"
    assert month_label(6, 2022) == "Tháng 6/2022"
    assert month_label(12, year=2021) == "Tháng 12/2021"


ENGLISH_WORDS = [
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
    "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "AM", "PM",
]


def _all_formatted():
    out = []
    for day in range(20, 27):
        value = parse_vn_date(f"{day}/06/2022 10:08")
        out += [
            weekday_name(value),
            format_date(value),
            format_short_date(value),
            format_datetime(value),
            format_long_date(value),
            format_time(value),
        ]
    out += [month_name(m) for m in range(1, 13)]
    out += [month_label(m) for m in range(1, 13)]
    out += [month_label(m, 2022) for m in range(1, 13)]
    return out


def _available_locales():
    candidates = ["C", "C.UTF-8", "POSIX", "en_US.UTF-8", "en_GB.UTF-8", "de_DE.UTF-8",
                  "fr_FR.UTF-8", "vi_VN.UTF-8"]
    found = []
    saved = locale.setlocale(locale.LC_ALL)
    try:
        for name in candidates:
            try:
                locale.setlocale(locale.LC_ALL, name)
            except locale.Error:
                continue
            found.append(name)
    finally:
        locale.setlocale(locale.LC_ALL, saved)
    return found


# Locales that really differ from C (weekday and month names, date order); .ci/run generates
# them with Debian's locales package and locale-gen. Comparing C with C.UTF-8 proves nothing.
DIFFERENT_LOCALES = ("en_US.UTF-8", "vi_VN.UTF-8")


def test_formatting_is_locale_independent(monkeypatch):
    reference = _all_formatted()
    words = set(re.findall(r"\w+", " ".join(reference)))
    assert not words & set(ENGLISH_WORDS), words & set(ENGLISH_WORDS)
    saved = locale.setlocale(locale.LC_ALL)
    locales = _available_locales()
    assert "C" in locales
    missing = [name for name in DIFFERENT_LOCALES if name not in locales]
    if missing and os.environ.get("CI"):
        pytest.fail(f"locales {missing} are not installed: .ci/run generates them (locales, locale-gen)")
    if missing:
        pytest.skip(f"locales {missing} are not installed (apt-get install locales; locale-gen)")
    try:
        # The locales really differ here: the same date gets different strftime() text.
        shown = set()
        for name in ("C", *DIFFERENT_LOCALES):
            locale.setlocale(locale.LC_ALL, name)
            shown.add(dt.date(2022, 6, 22).strftime("%A %x"))
        assert len(shown) == 3, shown
        for name in locales:
            locale.setlocale(locale.LC_ALL, name)
            for var in ("LC_ALL", "LC_TIME", "LANG"):
                monkeypatch.setenv(var, name)
            assert _all_formatted() == reference, name
    finally:
        locale.setlocale(locale.LC_ALL, saved)


def test_formatting_survives_broken_setlocale(monkeypatch):
    """Formatting must not call setlocale (which is process-global)."""

    def refuse(*args, **kwargs):
        if len(args) > 1 or kwargs:
            raise AssertionError("vntext must not change the process locale")
        return "C"

    reference = _all_formatted()
    monkeypatch.setattr(locale, "setlocale", refuse)
    assert _all_formatted() == reference


# --------------------------------------------------------------------------
# sort_key
# --------------------------------------------------------------------------

def _shuffled_sorted(items, seed=2022):
    items = list(items)
    for round_ in range(5):
        rng = random.Random(seed + round_)
        shuffled = items[:]
        rng.shuffle(shuffled)
        yield sorted(shuffled, key=sort_key)


def test_sort_key_brief_example():
    assert sorted(["đ", "d", "e", "a", "â", "ă", "b"], key=sort_key) == [
        "a", "ă", "â", "b", "d", "đ", "e",
    ]


def test_sort_key_full_alphabet():
    for result in _shuffled_sorted(VN_ALPHABET):
        assert result == VN_ALPHABET
    upper = [c.upper() for c in VN_ALPHABET]
    for result in _shuffled_sorted(upper):
        assert result == upper


@pytest.mark.parametrize("base,letters", list(TONE_TABLE.items()))
def test_sort_key_tone_order(base, letters):
    # ngang < huyền < hỏi < ngã < sắc < nặng
    ordered = list(letters)
    for result in _shuffled_sorted(ordered):
        assert result == ordered
    ordered_nfd = [nfd(c) for c in ordered]
    assert sorted(reversed(ordered_nfd), key=sort_key) == ordered_nfd


LESS_THAN = [
    ("a", "ă"),
    ("ă", "â"),
    ("â", "b"),
    ("d", "đ"),
    ("đ", "e"),
    ("e", "ê"),
    ("ê", "g"),
    ("o", "ô"),
    ("ô", "ơ"),
    ("ơ", "p"),
    ("u", "ư"),
    ("ư", "v"),
    ("a", "à"),
    ("à", "ả"),
    ("ả", "ã"),
    ("ã", "á"),
    ("á", "ạ"),
    ("ả", "b"),
    ("ạ", "ă"),  # letter beats tone
    ("ặ", "â"),
    ("ự", "v"),
    ("bà", "bả"),
    ("bả", "ca"),
    ("bà", "ca"),
    ("ba", "bà"),
    ("dương", "đa"),
    ("Dương", "Đa"),
    ("Đinh", "Đoàn"),
    ("Định Trung", "Đống Đa"),
    ("Định Trung", "Đồng Tâm"),
    ("Hội Hợp", "Khai Quang"),
    ("Thanh Trù", "Tích Sơn"),
    ("Tích Sơn", "Tỉnh ủy"),
    ("Vĩnh Phúc", "Vĩnh Yên"),
    ("Vĩnh Yên", "Vũng Tàu"),
    ("Nguyễn", "Nguyễn Thị"),
    ("Nga", "Ngô"),
    ("an", "ăn"),
    ("ăn", "ân"),
    ("ôm", "ơn"),
    ("ung", "ưng"),
]


@pytest.mark.parametrize("small,large", LESS_THAN)
def test_sort_key_pairs(small, large):
    assert sort_key(small) < sort_key(large)
    assert sort_key(nfd(small)) < sort_key(nfd(large))
    assert not sort_key(large) < sort_key(small)


@pytest.mark.parametrize("text", PLACE_NAMES + [SEED_TITLE, "Anh", "anh", "ĐẢNG"])
def test_sort_key_nfd_equals_nfc(text):
    assert sort_key(nfd(text)) == sort_key(text)


def test_sort_key_case_is_tertiary():
    words = ["anh", "Ánh", "Anh", "ao", "ánh", "Ăn", "an", "ảnh"]
    for result in _shuffled_sorted(words):
        i, j = result.index("Anh"), result.index("anh")
        assert abs(i - j) == 1, result
        # "an" < "anh"/"Anh" (prefix); all tone variants of "anh" come
        # after both plain ones; "ao" after every "anh"; "ăn" after "ao".
        assert result[0] == "an"
        assert set(result[1:3]) == {"Anh", "anh"}
        assert result.index("ảnh") < result.index("ánh")
        assert result.index("ảnh") < result.index("Ánh")
        assert result[-2:] == ["ao", "Ăn"]
    assert sort_key("Anh") != sort_key("anh")


def test_sort_key_upper_and_lower_interleave():
    words = ["Đa", "da", "Da", "đa", "Dạ", "dà"]
    result = sorted(words, key=sort_key)
    # primary: d < đ; the d-words come first
    assert [w[0].lower() for w in result] == ["d", "d", "d", "d", "đ", "đ"]
    assert set(result[:2]) == {"da", "Da"}
    assert result[2:4] == ["dà", "Dạ"]


def test_sort_key_place_names():
    # Tones are secondary over the whole string (they only break ties between
    # strings whose letters are all equal), so "Đống Đa" < "Đồng Tâm": the letters
    # already differ at "đa" < "tâm". Tone decides only between equal letters:
    # "Đồng" < "Đống" (huyền before sắc), and "i" < "o" puts "Định" first.
    assert sort_key("Đồng") < sort_key("Đống")
    assert sort_key("Đồng Tâm") < sort_key("Đống Tâm")
    assert sort_key("Đống Đa") < sort_key("Đồng Tâm")
    expected = [
        "Định Trung",
        "Đống Đa",
        "Đồng Tâm",
        "Hội Hợp",
        "Khai Quang",
        "Liên Bảo",
        "Ngô Quyền",
        "Thanh Trù",
        "Tích Sơn",
    ]
    for result in _shuffled_sorted(expected):
        assert result == expected


def test_sort_key_place_names_distinct_first_syllables():
    # Unambiguous whichever way tones are weighted across syllables.
    expected = [
        "Bà Rịa – Vũng Tàu",
        "Đà Nẵng",
        "Định Trung",
        "Hội Hợp",
        "Khai Quang",
        "Liên Bảo",
        "Ngô Quyền",
        "Thanh Trù",
        "Thừa Thiên Huế",
        "Tích Sơn",
        "Vĩnh Yên",
    ]
    for result in _shuffled_sorted(expected):
        assert result == expected


def test_sort_key_is_sortable_with_mixed_content():
    words = ["2022", "Đảng", "", "a", "A", "Tin tức - Sự kiện", "“Ngày hội”", "z", "ư"]
    result = sorted(words, key=sort_key)
    assert sorted(result, key=sort_key) == result
    keys = [sort_key(w) for w in words]
    for i, a in enumerate(keys):
        for j, b in enumerate(keys):
            assert (a == b) == (i == j)


def test_module_exports():
    for name in (
        "nfc", "fold", "slugify", "parse_vn_date", "VN_TZ", "now_vn", "has_time",
        "weekday_name", "format_date", "format_short_date", "format_datetime",
        "format_long_date", "month_name", "month_label", "format_time",
        "WEEKDAY_SHORT", "sort_key",
    ):
        assert hasattr(vntext, name), name
    assert not hasattr(vntext, "register"), "vntext is a library, not a plugin"


# --------------------------------------------------------------------------
# Jinja filters (the theme's only way to format dates and sort names)
# --------------------------------------------------------------------------

CONTRACT_FILTERS = (
    "vn_date", "vn_datetime", "vn_short_date", "vn_long_date", "vn_weekday",
    "vn_month", "vn_time", "vn_sort", "fold", "slugify",
)


def _pelicanconf_filters():
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("_pelicanconf_for_test", root / "pelicanconf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.JINJA_FILTERS


def _render(template, **context):
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(_pelicanconf_filters())
    return env.from_string(template).render(**context)


def test_pelicanconf_registers_contract_filters():
    filters = _pelicanconf_filters()
    for name in CONTRACT_FILTERS:
        assert callable(filters.get(name)), name


@pytest.mark.parametrize(
    "template,expected",
    [
        ("{{ d | vn_date }}", "Thứ Tư, 22/06/2022"),
        ("{{ d | vn_datetime }}", "10:08, Thứ Tư, 22/06/2022"),
        ("{{ d | vn_short_date }}", "22/06/2022"),
        ("{{ d | vn_long_date }}", "ngày 22 tháng 6 năm 2022"),
        ("{{ d | vn_weekday }}", "Thứ Tư"),
        ("{{ d.month | vn_month }}", "Tháng Sáu"),
        ("{{ d | vn_time }}", "10:08"),
        ("{{ 'Bà Rịa – Vũng Tàu' | fold }}", "ba ria – vung tau"),
        ("{{ 'Tin tức - Sự kiện' | slugify }}", "tin-tuc-su-kien"),
        ("{{ names | vn_sort | join('|') }}", "Định Trung|Hội Hợp|Tích Sơn"),
        ("{{ objs | vn_sort(attribute='name') | map(attribute='name') | join('|') }}",
         "Đà Nẵng|Liên Bảo|Vĩnh Yên"),
    ],
)
def test_jinja_filters_render(template, expected):
    objs = [{"name": "Vĩnh Yên"}, {"name": "Đà Nẵng"}, {"name": "Liên Bảo"}]
    out = _render(
        template,
        d=parse_vn_date("22/06/2022 10:08"),
        names=["Tích Sơn", "Hội Hợp", "Định Trung"],
        objs=objs,
    )
    assert out == expected


def test_jinja_vn_sort_by_object_attribute():
    class Tag:
        def __init__(self, name):
            self.name = name

    tags = [Tag(n) for n in ("ưu tiên", "Đảng", "an ninh", "dân vận", "ăn uống")]
    out = _render("{{ tags | vn_sort(attribute='name') | map(attribute='name') | join(',') }}", tags=tags)
    assert out == "an ninh,ăn uống,dân vận,Đảng,ưu tiên"


@pytest.mark.parametrize("word, expected", [
    ("hóa", {"hóa", "hoá"}), ("hoá", {"hóa", "hoá"}), ("thủy", {"thủy", "thuỷ"}),
    ("Khỏe", {"Khỏe", "Khoẻ"}), ("quý", {"quý"}), ("quả", {"quả"}), ("hoa", {"hoa"}),
    ("trường", {"trường"}), ("", {""}),
])
def test_tone_variants(word, expected):
    from plugins.vntext import tone_variants

    assert tone_variants(word) == expected
