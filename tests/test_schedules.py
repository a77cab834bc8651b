"""How often a rotation schedule expression rotates: the longest gap, in days, between two
rotations."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from serverless_guard.catalog.checks.schedules import ScheduleError, longest_gap_days


@pytest.mark.parametrize(
    ("expression", "days"),
    [
        ("rate(30 days)", 30),
        ("rate(1 day)", 1),
        ("RATE(90 Days)", 90),
        ("rate(12 hours)", 0.5),
        ("rate(0 days)", 0),
        ("cron(0 16 1,15 * ? *)", 17),  # the 15th to the 1st of a 31-day month
        ("cron(0 0 1 * ? *)", 31),
        ("cron(0 0 L * ? *)", 31),
        ("cron(0 0 31 * ? *)", 61),  # months of 31 days only: July and August, then October
        ("cron(0 0 1 */3 ? *)", 92),
        ("cron(0 8 1 JAN,JUL ? *)", 184),
        ("cron(0 0 1 1 ? *)", 366),
        ("cron(0 0 29 2 ? *)", 1461),  # leap days
        ("cron(0 0 ? * MON *)", 7),
        ("cron(0 0 ? * FRI-MON *)", 4),  # a range across the end of the week
        ("cron(0 0 ? * 2-6 *)", 3),  # weekdays
        ("cron(0 0 ? * 6L *)", 35),  # the last Friday of the month
        ("cron(0 0 ? * MON#1 *)", 35),
        ("cron(0 0 ? 2 5#5 *)", 10227),  # a fifth Thursday in February: once in 28 years
        ("cron(0 0 15W * ? *)", 32),
        ("cron(0 0 LW * ? *)", 33),
        ("cron(0 0 1 * ? 1970-2199)", 31),
        ("cron(0 */4 * * ? *)", 1),
    ],
)
def test_longest_gap(expression: str, days: float) -> None:
    assert longest_gap_days(expression) == days


@pytest.mark.parametrize(
    "expression", ["cron(0 0 1 * ? 2026)", "cron(0 0 1 * ? 2026-2030)", "cron(0 0 30 2 ? *)"]
)
def test_schedules_that_stop_or_never_fire(expression: str) -> None:
    assert longest_gap_days(expression) is None


@pytest.mark.parametrize(
    "expression",
    [
        "cron(0 0 1 * ?)",
        "cron(0 0 ? * ? *)",
        "cron(0 0 32 * ? *)",
        "cron(0 24 1 * ? *)",
        "cron(0 0 1 13 ? *)",
        "cron(0 0 ? * MON#6 *)",
        "cron(0 0 1 * ? 1960)",
        "rate(5 minutes)",
        "every day",
        "",
    ],
)
def test_expressions_that_cannot_be_read(expression: str) -> None:
    with pytest.raises(ScheduleError):
        longest_gap_days(expression)


@given(st.sets(st.integers(1, 28), min_size=1))
def test_days_of_the_month(days: set[int]) -> None:
    """Firing on the same days of every month, the longest gap is the longest one within a
    month or the one across the end of a 31-day month."""
    ordered = sorted(days)
    within = max((b - a for a, b in pairwise(ordered)), default=0)
    across = 31 - ordered[-1] + ordered[0]
    expression = f"cron(0 3 {','.join(map(str, ordered))} * ? *)"
    assert longest_gap_days(expression) == max(within, across)


@given(st.integers(1, 1000), st.sampled_from(["day", "days", "hour", "hours"]))
def test_rates(count: int, unit: str) -> None:
    expected = count / 24 if unit.startswith("hour") else count
    assert longest_gap_days(f"rate({count} {unit})") == expected
