"""Property-based tests (hypothesis) for plugins/vntext."""

import datetime as dt
import re
import string
import unicodedata

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify as pelican_slugify

from plugins.vntext import (
    fold,
    format_date,
    format_datetime,
    format_short_date,
    has_time,
    nfc,
    parse_vn_date,
    slugify,
    sort_key,
    weekday_name,
)

PROPS = settings(max_examples=200, deadline=None)

# Written out independently of vntext, Monday first.
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]

_VOWELS = "aàảãáạăằẳẵắặâầẩẫấậeèẻẽéẹêềểễếệiìỉĩíịoòỏõóọôồổỗốộơờởỡớợuùủũúụưừửữứựyỳỷỹýỵ"
_CONSONANTS = "bcdđghklmnpqrstvx"
_LOWER = _VOWELS + _CONSONANTS
VN_LETTERS = _LOWER + _LOWER.upper()
assert unicodedata.is_normalized("NFC", VN_LETTERS)
assert len(set(VN_LETTERS)) == len(VN_LETTERS) == 2 * (12 * 6 + 17)

SLUG_RE = re.compile(r"^[a-z0-9_]+(-[a-z0-9_]+)*$|^$")
EXTRA_PUNCT = "–—“”‘’…\u00a0"


def _normal_form(strategy):
    """The same text, sometimes NFC and sometimes NFD (as editors' tools produce)."""
    return st.tuples(strategy, st.sampled_from(["NFC", "NFD"])).map(
        lambda pair: unicodedata.normalize(pair[1], pair[0])
    )


vn_words = st.text(alphabet=VN_LETTERS + string.digits + " ", max_size=60)
vn_text = _normal_form(vn_words)
vn_punct_text = _normal_form(
    st.text(alphabet=VN_LETTERS + string.digits + " " + string.punctuation, max_size=60)
)
vn_rich_text = _normal_form(
    st.text(alphabet=VN_LETTERS + string.digits + " \t\n" + string.punctuation + EXTRA_PUNCT,
            max_size=60)
)
any_text = st.text(max_size=40)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


def pelican_tag_slug(text):
    key = "TAG_REGEX_SUBSTITUTIONS"
    if key not in DEFAULT_CONFIG:
        key = "SLUG_REGEX_SUBSTITUTIONS"
    return pelican_slugify(text, regex_subs=DEFAULT_CONFIG[key])


def _has_mark(text):
    return any(unicodedata.combining(c) for c in unicodedata.normalize("NFD", text))


# --------------------------------------------------------------------------
# nfc / fold
# --------------------------------------------------------------------------

@PROPS
@given(any_text)
def test_nfc_idempotent(text):
    once = nfc(text)
    assert nfc(once) == once
    assert unicodedata.is_normalized("NFC", once)


@PROPS
@given(vn_rich_text)
def test_fold_has_no_marks_and_no_d_bar(text):
    folded = fold(text)
    assert not _has_mark(folded)
    assert "đ" not in folded and "Đ" not in folded
    assert folded == folded.lower()


@PROPS
@given(vn_punct_text)
def test_fold_vietnamese_is_ascii_letter_for_letter(text):
    folded = fold(text)
    assert folded.isascii()
    assert len(folded) == len(nfc(text))


@PROPS
@given(vn_rich_text)
def test_fold_idempotent(text):
    assert fold(fold(text)) == fold(text)


@PROPS
@given(vn_rich_text)
def test_fold_ignores_normal_form(text):
    assert fold(nfc(text)) == fold(text)
    assert fold(unicodedata.normalize("NFD", text)) == fold(text)


@PROPS
@given(any_text)
def test_fold_any_text(text):
    folded = fold(text)
    assert not any(unicodedata.combining(c) for c in folded)
    assert "đ" not in folded and "Đ" not in folded
    assert fold(folded) == folded
    assert fold(nfc(text)) == folded


# --------------------------------------------------------------------------
# slugify
# --------------------------------------------------------------------------

@PROPS
@given(vn_text)
def test_slug_shape_for_vietnamese_words(text):
    slug = slugify(text)
    assert SLUG_RE.match(slug), slug
    assert slugify(slug) == slug


@PROPS
@given(vn_rich_text)
def test_slug_ascii_and_idempotent(text):
    slug = slugify(text)
    assert slug.isascii()
    assert slug == slug.lower()
    assert slugify(slug) == slug


@PROPS
@given(any_text)
def test_slug_ascii_and_idempotent_any_text(text):
    slug = slugify(text)
    assert slug.isascii()
    assert slugify(slug) == slug


@PROPS
@given(vn_punct_text)
def test_slug_equals_pelican_tag_slug(text):
    assert slugify(text) == pelican_tag_slug(text)


@PROPS
@given(vn_rich_text)
def test_slug_equals_pelican_tag_slug_with_dashes_and_nbsp(text):
    assert slugify(text) == pelican_tag_slug(text)


@PROPS
@given(any_text)
@example("Đảng bộ Ξ")  # Greek capital Xi: Pelican gives "ks", lower-casing first gives "x"
@example("Ʒ")  # ezh: Pelican "zh", lower-casing first "z"
@example("\ufe76")  # Arabic fatha (isolated form): Pelican "a", stripping marks first ""
def test_slug_equals_pelican_tag_slug_any_text(text):
    """The contract: slugs identical to Pelican's tag slugs, for any name a tag may have."""
    assert slugify(text) == pelican_tag_slug(text)


@PROPS
@given(vn_punct_text)
def test_slug_ignores_normal_form(text):
    assert slugify(unicodedata.normalize("NFD", text)) == slugify(nfc(text))


# --------------------------------------------------------------------------
# parse_vn_date
# --------------------------------------------------------------------------

def _check(value, day):
    assert (value.year, value.month, value.day) == (day.year, day.month, day.day)
    assert getattr(value.tzinfo, "key", None) == "Asia/Ho_Chi_Minh"


@PROPS
@given(dates)
def test_parse_round_trip_padded(day):
    value = parse_vn_date(day.strftime("%d/%m/%Y"))
    _check(value, day)
    assert (value.hour, value.minute, value.second) == (0, 0, 0)
    assert not has_time(value)


@PROPS
@given(dates)
def test_parse_round_trip_unpadded(day):
    _check(parse_vn_date(f"{day.day}/{day.month}/{day.year}"), day)


@PROPS
@given(dates, st.sampled_from(["-", "."]))
def test_parse_round_trip_other_separators(day, sep):
    _check(parse_vn_date(f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"), day)


@PROPS
@given(dates)
def test_parse_round_trip_iso(day):
    _check(parse_vn_date(day.isoformat()), day)


@PROPS
@given(dates)
def test_day_first_always_wins(day):
    assume(day.day <= 12)
    value = parse_vn_date(f"{day.month:02d}/{day.day:02d}/{day.year}")
    assert (value.day, value.month) == (day.month, day.day)


@PROPS
@given(dates, st.times().map(lambda t: t.replace(microsecond=0)), st.booleans(), st.booleans())
def test_parse_round_trip_with_time(day, time, seconds, iso):
    fmt = ("%Y-%m-%dT" if iso else "%d/%m/%Y ") + ("%H:%M:%S" if seconds else "%H:%M")
    moment = dt.datetime.combine(day, time)
    value = parse_vn_date(moment.strftime(fmt))
    _check(value, day)
    expected = (time.hour, time.minute, time.second if seconds else 0)
    assert (value.hour, value.minute, value.second) == expected
    assert has_time(value) == (expected != (0, 0, 0))


@PROPS
@given(st.integers(1900, 2100), st.integers(0, 13), st.integers(0, 32))
def test_parse_accepts_exactly_the_real_dates(year, month, day):
    text = f"{day:02d}/{month:02d}/{year}"
    try:
        real = dt.date(year, month, day)
    except ValueError:
        real = None
    if real is None:
        with pytest.raises(ValueError) as excinfo:
            parse_vn_date(text)
        assert text in str(excinfo.value)
    else:
        _check(parse_vn_date(text), real)


@PROPS
@given(st.integers(1, 31), st.integers(1, 12), st.integers(0, 99))
def test_parse_rejects_two_digit_years(day, month, year):
    text = f"{day:02d}/{month:02d}/{year:02d}"
    with pytest.raises(ValueError) as excinfo:
        parse_vn_date(text)
    assert text in str(excinfo.value)


@PROPS
@given(dates)
def test_formatting_matches_the_calendar(day):
    value = parse_vn_date(day.strftime("%d/%m/%Y"))
    assert weekday_name(value) == WEEKDAYS[day.weekday()]
    assert format_short_date(value) == f"{day.day:02d}/{day.month:02d}/{day.year}"
    assert format_date(value) == f"{WEEKDAYS[day.weekday()]}, {day.day:02d}/{day.month:02d}/{day.year}"
    assert format_datetime(value) == format_date(value)


# --------------------------------------------------------------------------
# sort_key
# --------------------------------------------------------------------------

@PROPS
@given(vn_rich_text, vn_rich_text)
def test_sort_key_total_order_consistent_with_nfc_equality(a, b):
    ka, kb = sort_key(a), sort_key(b)
    assert (ka == kb) == (nfc(a) == nfc(b))
    assert [ka < kb, ka == kb, ka > kb].count(True) == 1


@PROPS
@given(any_text, any_text)
def test_sort_key_any_text_is_comparable(a, b):
    ka, kb = sort_key(a), sort_key(b)
    assert (ka == kb) == (nfc(a) == nfc(b))
    assert [ka < kb, ka == kb, ka > kb].count(True) == 1


@PROPS
@given(st.lists(vn_rich_text, max_size=12), st.randoms(use_true_random=False))
def test_sort_is_independent_of_input_order(words, rng):
    ordered = [nfc(w) for w in sorted(words, key=sort_key)]
    shuffled = list(words)
    rng.shuffle(shuffled)
    assert [nfc(w) for w in sorted(shuffled, key=sort_key)] == ordered
    keys = [sort_key(w) for w in sorted(words, key=sort_key)]
    assert all(x <= y for x, y in zip(keys, keys[1:]))


@PROPS
@given(vn_words, vn_words)
def test_sort_key_letters_outrank_tones_and_case(a, b):
    """When the letters (tones and case ignored) differ, they alone decide."""
    def letters(text):
        # vntext-independent: strip only tone marks, keep vowel shapes and đ.
        tones = {"\u0300", "\u0309", "\u0303", "\u0301", "\u0323"}
        return nfc("".join(c for c in unicodedata.normalize("NFD", text.lower()) if c not in tones))

    assume(letters(a) != letters(b))
    swapped = b.swapcase()
    assert (sort_key(a) < sort_key(b)) == (sort_key(a) < sort_key(swapped))
