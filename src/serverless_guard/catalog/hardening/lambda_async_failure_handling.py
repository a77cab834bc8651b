from __future__ import annotations

from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.params import NoParams
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.lambda_ import EventInvokeConfig, Function
from serverless_guard.facts.nodes import is_opaque_text
from serverless_guard.facts.value import Known, Unknown

DEAD_LETTER_QUEUE = Choice("an SQS queue's or SNS topic's ARN")
DESTINATION = Choice("an SQS queue's, SNS topic's, function's or event bus's ARN")
FAILURES = Fix.set(Function, "dead_letter_target", DEAD_LETTER_QUEUE).otherwise(
    EventInvokeConfig, "on_failure", DESTINATION
)


@rule(
    id="lambda-async-failure-handling",
    title="Failed asynchronous Lambda invocations go to a dead-letter queue or destination",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "Lambda retries an asynchronous invocation (from S3, SNS, EventBridge and others) at "
        "most twice and then discards the event. Without a dead-letter queue or an on-failure "
        "destination, that event is lost without a trace; with one, it can be inspected and "
        "replayed."
    ),
    remediation=Remediation(
        cdk="Pass `on_failure=destinations.SqsDestination(queue)` (or `dead_letter_queue=...`) "
        "to the function.",
        pulumi="Create `aws.lambda_.FunctionEventInvokeConfig` with "
        "`destination_config={'on_failure': {'destination': queue.arn}}`, or set "
        "`dead_letter_config={'target_arn': queue.arn}` on the function.",
        cloudformation="Add an `AWS::Lambda::EventInvokeConfig` with "
        "`DestinationConfig.OnFailure.Destination`, or set `DeadLetterConfig.TargetArn` on the "
        "function (SAM: `EventInvokeConfig` or `DeadLetterQueue` on the function).",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html",
        "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html",
    ),
    anchors=Anchors(
        cdk_nag=(
            "Serverless-LambdaDLQ",
            "Serverless-LambdaAsyncFailureDestination",
            "NIST.800.53.R5-LambdaDLQ",
            "HIPAA.Security-LambdaDLQ",
        ),
        checkov=("CKV_AWS_116",),
    ),
    fixes=(FAILURES,),
)
def lambda_async_failure_handling(fn: Function, ctx: Context[NoParams]) -> Verdict:
    match fn.dead_letter_target:
        case Known():
            return passed()
        case Unknown() as u:
            return passed(f"dead-letter queue set ({u.reason})")
    configs = ctx.graph.linked(EventInvokeConfig, lambda c: (c.function,), fn)
    for config in configs:
        match config.on_failure:
            case Known():
                return passed()
            case Unknown() as u:
                return passed(f"on-failure destination set in {config.name} ({u.reason})")
    undecided = [
        c
        for c in ctx.graph.of_kind(EventInvokeConfig)
        if c not in configs and is_opaque_text(c.function)
    ]
    if undecided:
        return unknown(
            Unknown(f"the function of {undecided[0].name} is only known at deployment"),
            f"function {fn.name} has no dead-letter queue, and whether {undecided[0].name} "
            "configures it cannot be known before deployment",
        )
    if configs:
        return failed(
            f"function {fn.name} has no dead-letter queue and its asynchronous invocation "
            f"settings {configs[0].name} have no on-failure destination",
            at=fn.dead_letter_target,
            fix=Fix.set(EventInvokeConfig, "on_failure", DESTINATION, on=configs[0]).otherwise(
                Function, "dead_letter_target", DEAD_LETTER_QUEUE
            ),
        )
    return failed(
        f"function {fn.name} has neither a dead-letter queue nor an on-failure destination, "
        "so the events of failed asynchronous invocations are dropped",
        at=fn.dead_letter_target,
        fix=FAILURES,
    )
