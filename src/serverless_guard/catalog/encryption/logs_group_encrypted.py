from __future__ import annotations

from serverless_guard.catalog.checks.kms import key_of
from serverless_guard.catalog.fix import Choice, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    not_applicable,
    required,
    rule,
)
from serverless_guard.facts.logs import LogGroup

ENCRYPT = Fix.set(LogGroup, "kms_key", Choice("a KMS key's ARN"))


@rule(
    id="logs-group-encrypted",
    title="CloudWatch log groups are encrypted with KMS keys",
    severity=Severity.LOW,
    domain=Domain.ENCRYPTION,
    rationale=(
        "CloudWatch Logs always encrypts log data, but with keys of its own: anyone allowed to "
        "read the log group reads the logs. Logs often hold request payloads, identifiers and "
        "error details; with a KMS key, reading them also needs permission on the key, and key "
        "use is logged."
    ),
    remediation=Remediation(
        cdk="Set `encryption_key=kms.Key(...)` on `logs.LogGroup` (the key policy must allow "
        "the logs service principal).",
        pulumi="Set `kms_key_id` on `aws.cloudwatch.LogGroup` to a KMS key ARN.",
        cloudformation="Set `KmsKeyId` on `AWS::Logs::LogGroup` to a KMS key ARN whose policy "
        "allows `logs.<region>.amazonaws.com`.",
    ),
    references=(
        "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    ),
    anchors=Anchors(
        cdk_nag=(
            "NIST.800.53.R5-CloudWatchLogGroupEncrypted",
            "HIPAA.Security-CloudWatchLogGroupEncrypted",
        ),
        checkov=("CKV_AWS_158",),
    ),
    fixes=(ENCRYPT,),
)
def logs_group_encrypted(group: LogGroup) -> Verdict:
    if group.retention_only:
        return not_applicable("sets the retention of a log group created elsewhere")
    return required(
        key_of(group.kms_key),
        "KMS key",
        f"log group {group.name} is not encrypted with a KMS key",
        fix=ENCRYPT,
    )
