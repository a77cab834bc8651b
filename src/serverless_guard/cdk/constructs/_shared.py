"""What the secure constructs share: rule warnings, struct arguments and log retention."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TypeVar

from aws_cdk import Annotations
from aws_cdk import aws_logs as logs
from constructs import IConstruct

from serverless_guard.catalog import BY_ID
from serverless_guard.catalog.checks.retention import RetentionParams
from serverless_guard.catalog.checks.retention import retention_problem as days_problem

S = TypeVar("S")

WARNING_PREFIX = "serverless-guard::"
"""Warnings name the rule they break as `serverless-guard::<rule-id>`, the id under which the
validation plugin reports it too."""

# The days of each CDK retention choice (INFINITE: never expires).
RETENTION_DAYS: dict[logs.RetentionDays, int | None] = {
    logs.RetentionDays.ONE_DAY: 1,
    logs.RetentionDays.THREE_DAYS: 3,
    logs.RetentionDays.FIVE_DAYS: 5,
    logs.RetentionDays.ONE_WEEK: 7,
    logs.RetentionDays.TWO_WEEKS: 14,
    logs.RetentionDays.ONE_MONTH: 30,
    logs.RetentionDays.TWO_MONTHS: 60,
    logs.RetentionDays.THREE_MONTHS: 90,
    logs.RetentionDays.FOUR_MONTHS: 120,
    logs.RetentionDays.FIVE_MONTHS: 150,
    logs.RetentionDays.SIX_MONTHS: 180,
    logs.RetentionDays.ONE_YEAR: 365,
    logs.RetentionDays.THIRTEEN_MONTHS: 400,
    logs.RetentionDays.EIGHTEEN_MONTHS: 545,
    logs.RetentionDays.TWO_YEARS: 731,
    logs.RetentionDays.THREE_YEARS: 1096,
    logs.RetentionDays.FIVE_YEARS: 1827,
    logs.RetentionDays.SIX_YEARS: 2192,
    logs.RetentionDays.SEVEN_YEARS: 2557,
    logs.RetentionDays.EIGHT_YEARS: 2922,
    logs.RetentionDays.NINE_YEARS: 3288,
    logs.RetentionDays.TEN_YEARS: 3653,
    logs.RetentionDays.INFINITE: None,
}


def retention_of_at_least(days: int) -> logs.RetentionDays:
    """The shortest CDK retention choice that keeps logs for at least `days` days."""
    bounded = [(d, r) for r, d in RETENTION_DAYS.items() if d is not None and d >= days]
    return min(bounded, key=lambda item: item[0])[1] if bounded else logs.RetentionDays.INFINITE


DEFAULT_LOG_RETENTION = retention_of_at_least(RetentionParams().min_days)
"""The retention of the log groups the constructs create: the smallest CDK choice that meets
the `min_days` of `logs-retention-set` in the default configuration (365 days: ONE_YEAR)."""


def retention_problem(retention: logs.RetentionDays) -> str | None:
    """Why a retention breaks `logs-retention-set` with its default parameters, if it does."""
    days = RETENTION_DAYS[retention]
    if days is None:
        return "keeps logs forever"
    return days_problem(days, RetentionParams())


def warn(scope: IConstruct, rule_id: str, message: str) -> None:
    """A CDK warning on `scope` that names the catalog rule a setting breaks."""
    rule = BY_ID[rule_id]
    Annotations.of(scope).add_warning_v2(
        f"{WARNING_PREFIX}{rule_id}", f"{message}: this breaks {rule_id} ({rule.title})"
    )


def warn_unknown(scope: IConstruct, rule_id: str, message: str) -> None:
    """A CDK warning on `scope` that a setting cannot be checked against a catalog rule before
    deployment (an imported resource)."""
    rule = BY_ID[rule_id]
    Annotations.of(scope).add_warning_v2(
        f"{WARNING_PREFIX}{rule_id}", f"{message}: {rule_id} cannot be checked ({rule.title})"
    )


def as_struct(kind: type[S], given: object) -> S | None:
    """A struct argument as its class: jsii also accepts a dict of the struct's fields."""
    if given is None or isinstance(given, kind):
        return given
    if isinstance(given, Mapping):
        return kind(**given)
    raise TypeError(f"expected {kind.__name__} or a dict of its fields, got {given!r}")


def struct_fields(given: object) -> dict[str, object]:
    """The fields set on a jsii struct (e.g. `apigateway.StageOptions(...)`)."""
    names = [n for n in inspect.signature(type(given).__init__).parameters if n != "self"]
    return {name: value for name in names if (value := getattr(given, name)) is not None}


def layered(
    kind: type[S],
    defaults: Mapping[str, object],
    given: object,
    enforced: Mapping[str, object] | None = None,
) -> S:
    """A struct with the defaults, overridden field by field by what the user set (a struct or
    a dict of its fields), and then by what is enforced."""
    fields = dict(defaults)
    struct = as_struct(kind, given)
    if struct is not None:
        fields.update(struct_fields(struct))
    fields.update(enforced or {})
    return kind(**fields)
