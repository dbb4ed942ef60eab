"""Vietnamese date formatting, independent of the machine's locale."""

from .dates import VN_TZ, has_time

# datetime.weekday(): Monday is 0.
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
WEEKDAY_SHORT = ("T2", "T3", "T4", "T5", "T6", "T7", "CN")
MONTHS = (
    "Tháng Một", "Tháng Hai", "Tháng Ba", "Tháng Tư", "Tháng Năm", "Tháng Sáu",
    "Tháng Bảy", "Tháng Tám", "Tháng Chín", "Tháng Mười", "Tháng Mười Một", "Tháng Mười Hai",
)


def weekday_name(value):
    """'Thứ Tư' for a Wednesday, 'Chủ nhật' for a Sunday."""
    return WEEKDAYS[value.weekday()]


def format_short_date(value):
    """'22/06/2022'."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_date(value):
    """'Thứ Tư, 22/06/2022'."""
    return f"{weekday_name(value)}, {format_short_date(value)}"


def format_time(value):
    """'10:08'."""
    return f"{value.hour:02d}:{value.minute:02d}"


def format_datetime(value):
    """'10:08, Thứ Tư, 22/06/2022', or just the date when no time was given."""
    if not has_time(value):
        return format_date(value)
    return f"{format_time(value)}, {format_date(value)}"


def format_long_date(value):
    """'ngày 22 tháng 6 năm 2022', as running text writes it."""
    return f"ngày {value.day} tháng {value.month} năm {value.year}"


def month_name(month):
    """'Tháng Sáu' for 6 (also accepts a date)."""
    month = getattr(month, "month", month)
    return MONTHS[int(month) - 1]


def month_label(month, year=None):
    """'tháng 6', or 'Tháng 6/2022' when a year is given (also accepts a date)."""
    if hasattr(month, "month"):
        month = month.month
    if year is None:
        return f"tháng {int(month)}"
    return f"Tháng {int(month)}/{int(year)}"


def format_iso(value):
    """'2022-06-22T10:08:00+07:00': W3C/ISO 8601 in Vietnam time, for sitemaps and JSON.

    A naive datetime is taken as Vietnam time; an aware one is converted to it.

    >>> import datetime as dt
    >>> format_iso(dt.datetime(2022, 6, 22, 10, 8))
    '2022-06-22T10:08:00+07:00'
    >>> format_iso(dt.datetime(2022, 6, 22, 3, 8, tzinfo=dt.timezone.utc))
    '2022-06-22T10:08:00+07:00'
    """
    local = value.replace(tzinfo=VN_TZ) if value.tzinfo is None else value.astimezone(VN_TZ)
    return local.isoformat(timespec="seconds")
