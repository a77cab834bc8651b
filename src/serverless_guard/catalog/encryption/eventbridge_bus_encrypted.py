from __future__ import annotations

from serverless_guard.catalog.checks.kms import key_of
from serverless_guard.catalog.fix import CUSTOMER_KEY, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    required,
    rule,
)
from serverless_guard.facts.messaging import EventBus

CUSTOMER_MANAGED = Fix.set(EventBus, "kms_key", CUSTOMER_KEY)


@rule(
    id="eventbridge-bus-encrypted",
    title="Custom EventBridge event buses are encrypted with customer-managed KMS keys",
    severity=Severity.LOW,
    domain=Domain.ENCRYPTION,
    rationale=(
        "EventBridge encrypts events on a bus with an AWS-owned key unless the bus names a "
        "customer-managed key. Events often carry business data; with your own key, its use "
        "is logged in CloudTrail and its key policy decides who can have events decrypted."
    ),
    remediation=Remediation(
        cdk="Set `kms_key=kms.Key(...)` on `events.EventBus`.",
        pulumi="Set `kms_key_identifier` on `aws.cloudwatch.EventBus` to a customer-managed "
        "KMS key.",
        cloudformation="Set `KmsKeyIdentifier` on `AWS::Events::EventBus` to a customer-managed "
        "KMS key (its policy must allow events.amazonaws.com).",
    ),
    references=(
        "https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-encryption-event-bus-cmkey.html",
    ),
    anchors=Anchors(),
    fixes=(CUSTOMER_MANAGED,),
)
def eventbridge_bus_encrypted(bus: EventBus) -> Verdict:
    return required(
        key_of(bus.kms_key),
        "KMS key",
        f"event bus {bus.name} encrypts events with an AWS-owned key",
        fix=CUSTOMER_MANAGED,
    )
