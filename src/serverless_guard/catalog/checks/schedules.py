"""How often a Secrets Manager rotation schedule rotates: the longest time, in days, between two
rotations of a `rate(...)` or `cron(...)` expression.

`rate(N hours)` and `rate(N days)` say it. A `cron(minutes hours day-of-month month day-of-week
year)` expression (the AWS form: `?`, `L`, `W`, `#`, names, ranges, steps and lists) is judged
by the days it fires on: every day of one 28-year cycle of the calendar (which repeats every 28
years between 1901 and 2099, weekdays included) is tested, and the longest gap between two
firing days, across the cycle's end, is the answer. Times of day do not matter at this scale. A
year field other than `*` (or every year up to 2199) ends the schedule.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date
from functools import lru_cache
from itertools import pairwise

_RATE = re.compile(r"rate\(\s*(\d+)\s+(hours?|days?)\s*\)", re.IGNORECASE)
_CRON = re.compile(r"cron\((.*)\)", re.IGNORECASE | re.DOTALL)
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_WEEKDAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_START = date(2024, 1, 1)
_CYCLE = (date(2052, 1, 1) - _START).days  # 28 years: the calendar's cycle in 1901-2099
_LAST_YEAR = 2199  # the last year a cron expression may name

DayTest = Callable[[date], bool]


class ScheduleError(ValueError):
    """An expression this module cannot read."""


def _number(text: str, names: tuple[str, ...], low: int, high: int) -> int:
    upper = text.strip().upper()
    if upper in names:
        return names.index(upper) + low
    if not upper.isdigit() or not low <= int(upper) <= high:
        raise ScheduleError(f"{text!r} is not a value from {low} to {high}")
    return int(upper)


def _values(field: str, low: int, high: int, names: tuple[str, ...] = ()) -> frozenset[int]:
    """The values a field of numbers, names, ranges (wrapping: `FRI-MON`), steps and lists
    selects."""
    out: set[int] = set()
    for item in field.split(","):
        span, _, step_text = item.partition("/")
        step = _number(step_text, (), 1, high) if step_text else 1
        if span in ("*", "?"):
            first, last = low, high
        elif "-" in span:
            start, _, end = span.partition("-")
            first, last = _number(start, names, low, high), _number(end, names, low, high)
        else:
            first = _number(span, names, low, high)
            last = high if step_text else first
        size = high - low + 1
        count = (last - first) % size + 1
        out.update(low + (first - low + offset) % size for offset in range(0, count, step))
    return frozenset(out)


def _nearest_weekday(day: int, year: int, month: int) -> int | None:
    """The weekday nearest `day` within its month (AWS `W`), None when the month is shorter."""
    length = calendar.monthrange(year, month)[1]
    if day > length:
        return None
    weekday = date(year, month, day).weekday()  # Monday 0
    if weekday == 5:
        return day - 1 if day > 1 else day + 2
    if weekday == 6:
        return day + 1 if day < length else day - 2
    return day


def _last_weekday(year: int, month: int) -> int:
    length = calendar.monthrange(year, month)[1]
    return _nearest_weekday(length, year, month) or length


def _aws_weekday(day: date) -> int:
    """1 (Sunday) to 7 (Saturday), as cron expressions number days of the week."""
    return (day.weekday() + 1) % 7 + 1


def _day_of_month(field: str) -> DayTest:
    upper = field.upper()
    if upper in ("*", "?"):
        return lambda d: True
    if upper == "L":
        return lambda d: d.day == calendar.monthrange(d.year, d.month)[1]
    if upper == "LW":
        return lambda d: d.day == _last_weekday(d.year, d.month)
    if upper.endswith("W"):
        wanted = _number(upper[:-1], (), 1, 31)
        return lambda d: d.day == _nearest_weekday(wanted, d.year, d.month)
    days = _values(upper, 1, 31)
    return lambda d: d.day in days


def _day_of_week(field: str) -> DayTest:
    upper = field.upper()
    if upper in ("*", "?"):
        return lambda d: True
    if upper == "L":
        return lambda d: _aws_weekday(d) == 7
    if upper.endswith("L"):
        last = _number(upper[:-1], _WEEKDAYS, 1, 7)
        return lambda d: (
            _aws_weekday(d) == last and d.day + 7 > calendar.monthrange(d.year, d.month)[1]
        )
    if "#" in upper:
        weekday_text, _, nth_text = upper.partition("#")
        weekday, nth = _number(weekday_text, _WEEKDAYS, 1, 7), _number(nth_text, (), 1, 5)
        return lambda d: _aws_weekday(d) == weekday and (d.day - 1) // 7 + 1 == nth
    weekdays = _values(upper, 1, 7, _WEEKDAYS)
    return lambda d: _aws_weekday(d) in weekdays


def _cron_gap(body: str) -> float | None:
    fields = body.split()
    if len(fields) != 6:
        raise ScheduleError(f"a cron expression has 6 fields, not {len(fields)}")
    minutes, hours, day_of_month, month, day_of_week, year = fields
    if not _values(minutes, 0, 59) or not _values(hours, 0, 23):
        raise ScheduleError("no minute or hour")
    if year != "*":
        years = _values(year, 1970, _LAST_YEAR)
        if years != frozenset(range(min(years), _LAST_YEAR + 1)):
            return None
    if day_of_month == "?" and day_of_week == "?":
        raise ScheduleError("day-of-month and day-of-week are both ?")
    months = _values(month, 1, 12, _MONTHS)
    by_month, by_week = _day_of_month(day_of_month), _day_of_week(day_of_week)
    days = [
        offset
        for offset in range(_CYCLE)
        if (day := date.fromordinal(_START.toordinal() + offset)).month in months
        and by_month(day)
        and by_week(day)
    ]
    if not days:
        return None
    gaps = [later - earlier for earlier, later in pairwise(days)]
    return float(max([*gaps, days[0] + _CYCLE - days[-1]]))


@lru_cache(maxsize=256)
def longest_gap_days(expression: str) -> float | None:
    """The longest time, in days, between two rotations of a schedule expression (0 for a rate
    of 0, which is no schedule); None when it stops rotating (or never starts). Raises
    ScheduleError for an expression this module cannot read."""
    text = expression.strip()
    if (rate := _RATE.fullmatch(text)) is not None:
        count = int(rate.group(1))
        return count / 24 if rate.group(2).lower().startswith("hour") else float(count)
    if (cron := _CRON.fullmatch(text)) is not None:
        return _cron_gap(cron.group(1))
    raise ScheduleError("neither rate(...) nor cron(...)")
