from __future__ import annotations

from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
)
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Absent, Known, Unknown

RESERVE = Fix.set(Function, "reserved_concurrency", Choice("the concurrency it may use"))


@rule(
    id="lambda-reserved-concurrency",
    title="Lambda functions have a reserved concurrency",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "Without reserved concurrency a function draws from the account's shared regional "
        "pool: a burst (or an attack) on one function can throttle every other function in the "
        "account, and its own scaling is unbounded, as is the load it puts on downstream "
        "databases and the bill. Reserving concurrency both guarantees and caps it. It is off "
        "by default because the right value depends on the workload."
    ),
    remediation=Remediation(
        cdk="Pass `reserved_concurrent_executions=<n>` to the function.",
        pulumi="Set `reserved_concurrent_executions=<n>` on `aws.lambda_.Function`.",
        cloudformation="Set `ReservedConcurrentExecutions` on the function "
        "(SAM: `ReservedConcurrentExecutions` on `AWS::Serverless::Function`).",
    ),
    references=("https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html",),
    anchors=Anchors(
        cdk_nag=("NIST.800.53.R5-LambdaConcurrency", "HIPAA.Security-LambdaConcurrency"),
        checkov=("CKV_AWS_115",),
    ),
    enabled_by_default=False,
    fixes=(RESERVE,),
)
def lambda_reserved_concurrency(fn: Function) -> Verdict:
    match fn.reserved_concurrency:
        case Known(value=0):
            return passed(f"function {fn.name} has a reserved concurrency of 0 (it is throttled)")
        case Known():
            return passed()
        case Unknown() as u:
            return passed(f"reserved concurrency set ({u.reason})")
        case Absent():
            return failed(
                f"function {fn.name} has no reserved concurrency and shares the account's "
                "concurrency pool",
                at=fn.reserved_concurrency,
                fix=RESERVE,
            )
