"""Lambda's managed runtimes, when AWS deprecates each, and the date to judge them on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from serverless_guard.catalog.params import ParamError, param

RUNTIMES_SOURCE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html"
RUNTIMES_REVIEWED = datetime.date(2026, 11, 29)

# When each managed runtime is deprecated (phase 1 of end of support: no more security patches,
# no new functions), as published in AWS's runtime tables (RUNTIMES_SOURCE), reviewed on
# RUNTIMES_REVIEWED. Dates still ahead are AWS's projections; lambda-runtime-supported compares
# them with the current date, so a scheduled deprecation takes effect without a new release.
# Runtime identifiers missing here (newer ones) count as supported.
RUNTIME_DEPRECATIONS: dict[str, datetime.date] = {
    # Node.js
    "nodejs": datetime.date(2016, 10, 31),
    "nodejs4.3": datetime.date(2020, 3, 5),
    "nodejs4.3-edge": datetime.date(2020, 3, 5),
    "nodejs6.10": datetime.date(2019, 8, 12),
    "nodejs8.10": datetime.date(2020, 3, 6),
    "nodejs10.x": datetime.date(2021, 7, 30),
    "nodejs12.x": datetime.date(2023, 3, 31),
    "nodejs14.x": datetime.date(2023, 12, 4),
    "nodejs16.x": datetime.date(2024, 6, 12),
    "nodejs18.x": datetime.date(2025, 9, 1),
    "nodejs20.x": datetime.date(2026, 4, 30),
    "nodejs22.x": datetime.date(2027, 4, 30),
    "nodejs24.x": datetime.date(2028, 4, 30),
    # Python
    "python2.7": datetime.date(2021, 7, 15),
    "python3.6": datetime.date(2022, 7, 18),
    "python3.7": datetime.date(2023, 12, 4),
    "python3.8": datetime.date(2024, 10, 14),
    "python3.9": datetime.date(2025, 12, 15),
    "python3.10": datetime.date(2026, 10, 31),
    "python3.11": datetime.date(2027, 6, 30),
    "python3.12": datetime.date(2028, 10, 31),
    "python3.13": datetime.date(2029, 6, 30),
    "python3.14": datetime.date(2029, 6, 30),
    # Java
    "java8": datetime.date(2024, 1, 8),
    "java8.al2": datetime.date(2027, 6, 30),
    "java11": datetime.date(2027, 6, 30),
    "java17": datetime.date(2027, 6, 30),
    "java21": datetime.date(2029, 6, 30),
    "java25": datetime.date(2029, 6, 30),
    # .NET
    "dotnetcore1.0": datetime.date(2019, 6, 27),
    "dotnetcore2.0": datetime.date(2019, 5, 30),
    "dotnetcore2.1": datetime.date(2022, 1, 5),
    "dotnetcore3.1": datetime.date(2023, 4, 3),
    "dotnet6": datetime.date(2024, 12, 20),
    "dotnet8": datetime.date(2026, 11, 10),
    "dotnet10": datetime.date(2028, 11, 14),
    # Ruby
    "ruby2.5": datetime.date(2021, 7, 30),
    "ruby2.7": datetime.date(2023, 12, 7),
    "ruby3.2": datetime.date(2026, 3, 31),
    "ruby3.3": datetime.date(2027, 3, 31),
    "ruby3.4": datetime.date(2028, 3, 31),
    "ruby4.0": datetime.date(2029, 3, 31),
    # Go and OS-only runtimes
    "go1.x": datetime.date(2024, 1, 8),
    "provided": datetime.date(2024, 1, 8),
    "provided.al2": datetime.date(2026, 7, 31),
    "provided.al2023": datetime.date(2029, 6, 30),
}


@dataclass(frozen=True, slots=True)
class RuntimeParams:
    extra_deprecated: tuple[str, ...] = param(
        [],
        "Runtime identifiers to treat as deprecated besides AWS's (e.g. `python3.11` to move "
        "ahead of AWS's schedule).",
    )
    as_of: str | None = param(
        None,
        "Judge deprecations as of this date (YYYY-MM-DD) instead of today, for reproducible "
        "results; null: today (UTC).",
    )

    def __post_init__(self) -> None:
        if self.as_of is not None:
            try:
                datetime.date.fromisoformat(self.as_of)
            except ValueError:
                raise ParamError(f"as_of must be a date (YYYY-MM-DD), not {self.as_of!r}") from None

    @property
    def date(self) -> datetime.date:
        if self.as_of is not None:
            return datetime.date.fromisoformat(self.as_of)
        return datetime.datetime.now(datetime.UTC).date()
