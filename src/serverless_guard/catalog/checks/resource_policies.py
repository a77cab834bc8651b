"""What the rules on resource policies call the resource a policy is attached to."""

from __future__ import annotations

from serverless_guard.facts.resource_policy import PolicyService, ResourcePolicy

NOUNS: dict[PolicyService, str] = {
    PolicyService.S3: "bucket",
    PolicyService.SQS: "queue",
    PolicyService.SNS: "topic",
    PolicyService.EVENTS: "event bus",
    PolicyService.KMS: "key",
    PolicyService.SECRETSMANAGER: "secret",
    PolicyService.LAMBDA_LAYER: "layer version",
}


def policy_label(policy: ResourcePolicy) -> str:
    """`queue policy Jobs`, `key policy OrdersKey`, `layer version policy SharedLayer`."""
    return f"{NOUNS.get(policy.service, 'resource')} policy {policy.name}"
