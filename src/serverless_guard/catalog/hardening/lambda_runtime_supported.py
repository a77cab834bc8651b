from __future__ import annotations

from serverless_guard.catalog.checks.runtimes import (
    RUNTIME_DEPRECATIONS,
    RUNTIMES_REVIEWED,
    RUNTIMES_SOURCE,
    RuntimeParams,
)
from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Absent, Known, Unknown

SUPPORTED = Fix.set(Function, "runtime", Choice("a supported runtime"))
NEWER = Fix.set(Function, "runtime", Choice("a newer runtime"))


@rule(
    id="lambda-runtime-supported",
    title="Lambda functions use a runtime that AWS has not deprecated",
    severity=Severity.HIGH,
    domain=Domain.HARDENING,
    rationale=(
        "Once AWS deprecates a managed runtime, its language version and operating system get "
        "no more security patches, functions using it lose technical support, and AWS later "
        "blocks creating and then updating them, so an urgent fix can no longer be deployed "
        "without a runtime upgrade at the worst moment."
    ),
    remediation=Remediation(
        cdk="Set `runtime=` to a current `lambda_.Runtime` (for example `PYTHON_3_13` or "
        "`NODEJS_22_X`) and test the function on it.",
        pulumi="Set `runtime=` on `aws.lambda_.Function` to a current identifier (for example "
        "`python3.13` or `nodejs22.x`).",
        cloudformation="Set `Runtime` on the function (SAM: also in `Globals.Function`) to a "
        f"runtime that AWS supports; see {RUNTIMES_SOURCE}.",
    ),
    references=(
        RUNTIMES_SOURCE,
        "https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html",
    ),
    params=RuntimeParams,
    anchors=Anchors(
        fsbp=("Lambda.2",),
        cdk_nag=("AwsSolutions-L1", "Serverless-LambdaLatestVersion"),
        checkov=("CKV_AWS_363",),
    ),
    fixes=(
        SUPPORTED,
        NEWER,
    ),
)
def lambda_runtime_supported(fn: Function, ctx: Context[RuntimeParams]) -> Verdict:
    match fn.package_type:
        case Known(value=kind) if kind.strip().lower() == "image":
            return not_applicable("container image functions bring their own runtime")
    match fn.runtime:
        case Absent():
            return not_applicable("no managed runtime")
        case Unknown() as u:
            return unknown(u)
        case Known(value=raw):
            runtime = raw.strip().lower()
    extra = {r.strip().lower() for r in ctx.params.extra_deprecated}
    if runtime in extra:
        return failed(
            f"function {fn.name} uses runtime {runtime}, which this project treats as "
            "deprecated (extra_deprecated)",
            at=fn.runtime,
            fix=NEWER,
        )
    deprecated_on = RUNTIME_DEPRECATIONS.get(runtime)
    if deprecated_on is None:
        return passed(f"runtime {runtime} is not deprecated (AWS schedule of {RUNTIMES_REVIEWED})")
    if deprecated_on <= ctx.params.date:
        return failed(
            f"function {fn.name} uses runtime {runtime}, deprecated by AWS on "
            f"{deprecated_on.isoformat()} (see {RUNTIMES_SOURCE})",
            at=fn.runtime,
            fix=SUPPORTED,
        )
    return passed(f"runtime {runtime} is supported until {deprecated_on.isoformat()}")
