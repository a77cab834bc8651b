"""Log retention bounds: the parameters of logs-retention-set, which lambda-log-retention reads."""

from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.params import param


@dataclass(frozen=True, slots=True)
class RetentionParams:
    min_days: int = param(365, "Shortest retention allowed, in days.")
    max_days: int | None = param(None, "Longest retention allowed, in days (null: no limit).")


def retention_problem(days: int, params: RetentionParams) -> str | None:
    """Why a retention in days breaks the configured bounds, or None when it fits."""
    if days < params.min_days:
        return f"keeps logs {days} days, fewer than the {params.min_days} required"
    if params.max_days is not None and days > params.max_days:
        return f"keeps logs {days} days, more than the {params.max_days} allowed"
    return None
