"""Month calendars for archive pages: pure helpers, no Pelican.

A month is a list of weeks, Monday first (Vietnamese calendars start the week on Thứ Hai),
each week seven cells; days outside the month are ``None``.
"""

import calendar
import dataclasses
import datetime as _dt
from dataclasses import dataclass

from plugins.vntext import WEEKDAY_SHORT

__all__ = ["CalendarDay", "MonthCalendar", "WEEKDAY_SHORT", "month_grid", "with_current"]


@dataclass(frozen=True)
class CalendarDay:
    """One day of a month calendar; ``url`` is set when the day has news."""

    date: _dt.date
    url: str | None = None
    count: int = 0
    current: bool = False

    @property
    def day(self):
        return self.date.day

    @property
    def has_news(self):
        return self.url is not None


@dataclass(frozen=True)
class MonthCalendar:
    """A month laid out Monday first, ready for ``partials/calendar.html``."""

    year: int
    month: int
    weeks: tuple
    headers: tuple = WEEKDAY_SHORT

    @property
    def first(self):
        return _dt.date(self.year, self.month, 1)

    def days(self):
        return [cell for week in self.weeks for cell in week if cell is not None]


def month_grid(year, month, links=None, counts=None, current=None):
    """Lay out ``month`` of ``year`` Monday first.

    ``links`` maps a day number (or a ``date``) to the URL of that day's archive; days
    without an entry are plain. ``counts`` likewise gives the number of articles;
    ``current`` is the day being shown (a ``date``), marked for the template.

    >>> grid = month_grid(2022, 6, {22: "/2022/06/22/"})
    >>> [c and c.day for c in grid.weeks[0]]
    [None, None, 1, 2, 3, 4, 5]
    >>> grid.weeks[3][2].url
    '/2022/06/22/'
    """
    links = _by_day(links or {})
    counts = _by_day(counts or {})
    weeks = []
    for week in calendar.Calendar(firstweekday=calendar.MONDAY).monthdayscalendar(year, month):
        cells = []
        for day in week:
            if day == 0:
                cells.append(None)
                continue
            date = _dt.date(year, month, day)
            cells.append(
                CalendarDay(
                    date=date,
                    url=links.get(day),
                    count=counts.get(day, 0),
                    current=current is not None and _as_date(current) == date,
                )
            )
        weeks.append(tuple(cells))
    return MonthCalendar(year=year, month=month, weeks=tuple(weeks))


def with_current(grid, current):
    """``grid`` with the day ``current`` (a ``date``) marked, as ``month_grid(..., current=current)``
    would lay it out; every other week and cell is ``grid``'s own.

    Each day page shows its month's calendar: a new grid per day page was 30 cells each
    (300,000 cells for the 10,000-article bench archive).

    >>> june = month_grid(2022, 6, {22: "/2022/06/22/"})
    >>> day = with_current(june, _dt.date(2022, 6, 22))
    >>> day == month_grid(2022, 6, {22: "/2022/06/22/"}, current=_dt.date(2022, 6, 22))
    True
    >>> day.weeks[0] is june.weeks[0]
    True
    """
    current = _as_date(current)
    weeks = list(grid.weeks)
    for number, week in enumerate(weeks):
        for column, cell in enumerate(week):
            if cell is not None and cell.date == current:
                weeks[number] = week[:column] + (dataclasses.replace(cell, current=True),) + week[column + 1:]
    return dataclasses.replace(grid, weeks=tuple(weeks))


def _as_date(value):
    return value.date() if isinstance(value, _dt.datetime) else value


def _by_day(mapping):
    return {(getattr(k, "day", k)): v for k, v in mapping.items()}
