from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.checks.schedules import ScheduleError, longest_gap_days
from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.params import param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Outcome,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.data import Secret, SecretRotation
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.value import Absent, Known, Unknown

# Secrets Manager's bounds on a number of days between rotations.
_FEWEST_DAYS, _MOST_DAYS = 1, 1000


def interval(max_days: int, schedule: SecretRotation | None = None) -> Fix:
    """A rotation interval within `max_days`, on `schedule` (by default, on a new one)."""
    return Fix.set(
        SecretRotation,
        "automatically_after_days",
        Choice(f"a number of days up to {max_days}"),
        on=schedule,
    ).otherwise(
        SecretRotation,
        "schedule_expression",
        Choice(f"a rate or cron expression that rotates it at least every {max_days} days"),
        on=schedule,
    )


INTERVAL = interval(90)


@dataclass(frozen=True, slots=True)
class RotationParams:
    max_days: int = param(90, "Longest time allowed between two rotations of a secret, in days.")


_WORSE = (Outcome.PASS, Outcome.UNKNOWN, Outcome.FAIL)


def _days(value: Known[int], max_days: int) -> Verdict:
    days = value.value
    if not _FEWEST_DAYS <= days <= _MOST_DAYS:
        return failed(
            f"rotates after {days} days, which Secrets Manager refuses (it takes "
            f"{_FEWEST_DAYS} to {_MOST_DAYS}), so no rotation is scheduled",
            at=value,
        )
    if days > max_days:
        return failed(f"rotates every {days} days, more than the {max_days} allowed", at=value)
    return passed()


def _expression(value: Known[str], max_days: int) -> Verdict:
    try:
        gap = longest_gap_days(value.value)
    except ScheduleError as error:
        reason = f"rotates on `{value.value}`, an expression this check cannot read ({error})"
        return unknown(Unknown(reason, value.at), reason)
    if gap is None:
        return failed(f"rotates on `{value.value}`, which stops (its year field ends)", at=value)
    if gap <= 0:
        return failed(
            f"rotates on `{value.value}`, which is no interval, so no rotation is scheduled",
            at=value,
        )
    if gap > max_days:
        return failed(
            f"rotates on `{value.value}`, which leaves up to {gap:g} days between rotations, "
            f"more than the {max_days} allowed",
            at=value,
        )
    return passed()


def _schedule(schedule: SecretRotation, max_days: int) -> Verdict:
    """The verdict on one schedule, its message naming what is wrong with it."""
    match schedule.enabled:
        case Known(value=False):
            return failed("turns rotation off", at=schedule.enabled)
        case Unknown() as u:
            return unknown(u)
    verdicts: list[Verdict] = []
    match schedule.automatically_after_days:
        case Known() as days:
            verdicts.append(_days(days, max_days))
        case Unknown() as u:
            verdicts.append(unknown(u))
    match schedule.schedule_expression:
        case Known() as expression:
            verdicts.append(_expression(expression, max_days))
        case Unknown() as u:
            verdicts.append(unknown(u))
    if not verdicts:
        return failed("sets no interval", at=schedule.automatically_after_days)
    return max(verdicts, key=lambda v: _WORSE.index(v.outcome))


@rule(
    id="secretsmanager-secret-rotation",
    title="Secrets Manager secrets rotate automatically on a bounded schedule",
    severity=Severity.MEDIUM,
    domain=Domain.HARDENING,
    rationale=(
        "A secret that never changes stays valid for as long as anyone who ever read it (a "
        "former team member, a leaked log, a compromised build) keeps a copy. A rotation "
        "schedule with a rotation function changes it on a fixed cadence and bounds how long a "
        "leaked value is useful. A schedule counts where it exists: one deployed under a "
        "condition does not protect the secret in deployments without it, and an interval "
        "longer than `max_days` (a cron expression that fires once a year, or not after some "
        "year) does not meet it."
    ),
    remediation=Remediation(
        cdk="Call `secret.add_rotation_schedule('Rotation', automatically_after=Duration.days"
        "(30), rotation_lambda=fn)` (or `hosted_rotation=secretsmanager.HostedRotation."
        "postgre_sql_single_user()`).",
        pulumi="Add an `aws.secretsmanager.SecretRotation(secret_id=secret.id, "
        "rotation_lambda_arn=fn.arn, rotation_rules={'automatically_after_days': 30})`.",
        cloudformation="Add an `AWS::SecretsManager::RotationSchedule` with `SecretId: !Ref "
        "Secret`, a `RotationLambdaARN` (or `HostedRotationLambda`) and `RotationRules: "
        "{ScheduleExpression: rate(30 days)}`.",
    ),
    references=(
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html",
    ),
    params=RotationParams,
    fixes=(INTERVAL,),
    anchors=Anchors(
        fsbp=("SecretsManager.1", "SecretsManager.4"),
        cdk_nag=(
            "AwsSolutions-SMG4",
            "NIST.800.53.R5-SecretsManagerRotationEnabled",
            "HIPAA.Security-SecretsManagerRotationEnabled",
        ),
        checkov=("CKV_AWS_304", "CKV2_AWS_57"),
    ),
)
def secretsmanager_secret_rotation(secret: Secret, ctx: Context[RotationParams]) -> Verdict:
    graph = ctx.graph
    max_days = ctx.params.max_days
    schedules = graph.linked(SecretRotation, lambda r: (r.secret,), secret)
    if not schedules:
        elsewhere = [r for r in graph.of_kind(SecretRotation) if is_opaque_text(r.secret)]
        if elsewhere:
            reason = (
                f"secret {secret.name} has no rotation schedule, unless {elsewhere[0].name} (whose "
                "secret is only known at deployment) rotates it"
            )
            return unknown(Unknown(reason), reason)
        return failed(
            f"secret {secret.name} has no rotation schedule", at=Absent(), fix=interval(max_days)
        )
    judged = [(schedule, _schedule(schedule, max_days)) for schedule in schedules]
    schedule, worst = max(judged, key=lambda j: _WORSE.index(j[1].outcome))
    if worst.outcome is Outcome.PASS:
        return passed(f"rotation schedule {schedule.name}")
    text = f"rotation schedule {schedule.name} of secret {secret.name} {worst.message}"
    if worst.outcome is Outcome.UNKNOWN:
        return unknown(Unknown(text), text)
    if isinstance(schedule.enabled, Known) and schedule.enabled.value is False:
        return failed(f"{text}: turn it on with an interval of at most {max_days} days")
    return failed(text, fix=interval(max_days, schedule))
