from __future__ import annotations

from collections.abc import Iterable

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
    not_applicable,
    passed,
    rule,
    unknown,
)
from serverless_guard.facts.base import Resource
from serverless_guard.facts.graph import Graph
from serverless_guard.facts.lambda_ import EventInvokeConfig, Function
from serverless_guard.facts.messaging import Queue, QueueRedrive
from serverless_guard.facts.value import Known, Unknown, Value

DLQ_PERMISSIONS = ("allowAll", "byQueue")
REDRIVE = Fix.set(Queue, "dead_letter_target", Choice("the dead-letter queue's ARN"))


def _links(value: Value[str]) -> Iterable[str]:
    """A target link, and, when the link is an SQS ARN, its last part: a queue's name, which
    denotes a queue of the stack by its QueueName (`arn:aws:sqs:eu-west-1:123456789012:jobs`)
    or by reference (`...:${Dlq.QueueName}`)."""
    if not isinstance(value, Known):
        return ()
    text = value.value
    if text.startswith("arn:") and ":sqs:" in text:
        return (text, text.rsplit(":", 1)[1])
    return (text,)


def dead_letter_users(queue: Queue, graph: Graph) -> list[Resource]:
    """The queues, functions and asynchronous invoke configurations of the stack that send
    their failed messages or events to `queue`."""
    queues = graph.linked(Queue, lambda q: _links(q.dead_letter_target), queue)
    redrives = graph.linked(QueueRedrive, lambda r: _links(r.dead_letter_target), queue)
    owners: list[Resource] = [o for r in redrives for o in graph.resolve(r.queue, Queue) or (r,)]
    functions = graph.linked(Function, lambda f: _links(f.dead_letter_target), queue)
    configs = graph.linked(EventInvokeConfig, lambda c: _links(c.on_failure), queue)
    return [user for user in (*queues, *owners, *functions, *configs) if user.id != queue.id]


@rule(
    id="sqs-queue-dlq",
    title="SQS queues move messages that keep failing to a dead-letter queue",
    severity=Severity.LOW,
    domain=Domain.HARDENING,
    rationale=(
        "Without a redrive policy, a message that its consumer cannot process is received "
        "again and again until it expires: it blocks FIFO queues, wastes invocations and is "
        "then lost without a trace. A dead-letter queue keeps such messages for inspection and "
        "replay. A queue that is itself a dead-letter queue (of a queue, a function or an "
        "asynchronous invocation in the stack, or designated by its redrive allow policy) needs "
        "none."
    ),
    remediation=Remediation(
        cdk="Set `dead_letter_queue=sqs.DeadLetterQueue(queue=dlq, max_receive_count=5)` on "
        "`sqs.Queue`.",
        pulumi="Set `redrive_policy=json.dumps({'deadLetterTargetArn': dlq.arn, "
        "'maxReceiveCount': 5})` (or an `aws.sqs.RedrivePolicy`) on `aws.sqs.Queue`.",
        cloudformation="Set `RedrivePolicy: {deadLetterTargetArn: !GetAtt Dlq.Arn, "
        "maxReceiveCount: 5}` on `AWS::SQS::Queue`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html",
    ),
    anchors=Anchors(cdk_nag=("AwsSolutions-SQS3", "Serverless-SQSRedrivePolicy")),
    fixes=(REDRIVE,),
)
def sqs_queue_dlq(queue: Queue, ctx: Context[NoParams]) -> Verdict:
    # The queue's own redrive settings, and those declared as resources of their own.
    settings: list[Queue | QueueRedrive] = [
        queue,
        *ctx.graph.linked(QueueRedrive, lambda r: (r.queue,), queue),
    ]
    pending: Unknown | None = None
    for setting in settings:
        match setting.dead_letter_target:
            case Known(value=target) if target.strip():
                return passed()
            case Unknown() as u if pending is None:
                pending = u
    if pending is not None:
        return unknown(pending)
    for setting in settings:
        match setting.redrive_permission:
            case Known(value=permission) if permission in DLQ_PERMISSIONS:
                return not_applicable(
                    f"queue {queue.name} is a dead-letter queue (redrive allow policy {permission})"
                )
    users = dead_letter_users(queue, ctx.graph)
    if users:
        names = ", ".join(sorted({user.name for user in users}))
        return not_applicable(f"queue {queue.name} is the dead-letter queue of {names}")
    return failed(
        f"queue {queue.name} has no dead-letter queue", at=queue.dead_letter_target, fix=REDRIVE
    )
