from __future__ import annotations

from serverless_guard.catalog.checks.kms import KmsKeyParams, aws_managed_alias, key_of
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
from serverless_guard.facts.data import Table
from serverless_guard.facts.value import Absent, Known, Unknown


@rule(
    id="dynamodb-table-encryption-kms",
    title="DynamoDB tables are encrypted with KMS keys",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "Without an SSE specification, DynamoDB encrypts a table with a key that AWS owns: it "
        "appears in no account, its use is not logged in CloudTrail and no key policy governs "
        "it. With KMS encryption, key use is logged and access to the data can be limited or "
        "cut off through the key; a customer-managed key also gives you its key policy."
    ),
    remediation=Remediation(
        cdk="Set `encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED` with "
        "`encryption_key=kms.Key(...)` (or `AWS_MANAGED`) on `dynamodb.Table`.",
        pulumi="Set `server_side_encryption={'enabled': True, 'kms_key_arn': key.arn}` on "
        "`aws.dynamodb.Table`.",
        cloudformation="Set `SSESpecification: {SSEEnabled: true, SSEType: KMS, "
        "KMSMasterKeyId: <key>}` on the table (SAM `SimpleTable` too).",
    ),
    references=(
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/EncryptionAtRest.html",
    ),
    params=KmsKeyParams,
    anchors=Anchors(checkov=("CKV_AWS_119",)),
)
def dynamodb_table_encryption_kms(table: Table, ctx: Context[KmsKeyParams]) -> Verdict:
    match table.sse_enabled:
        case Absent() | Known(value=False):
            return failed(
                f"table {table.name} is encrypted with an AWS-owned key: set SSESpecification "
                "with SSEEnabled true (and a KMSMasterKeyId)",
                at=table.sse_enabled,
            )
        case Unknown() as u:
            return unknown(u)
    match table.sse_type:
        case Unknown() as u:
            return unknown(u)
        case Known(value=kind) if kind.upper() != "KMS":
            return failed(
                f"table {table.name} has SSEType {kind}: set SSEType to KMS", at=table.sse_type
            )
    if not ctx.params.require_customer_key:
        return passed()
    match key_of(table.kms_key):
        case Absent():
            return failed(
                f"table {table.name} uses the AWS-managed key aws/dynamodb: set KMSMasterKeyId "
                "to a customer-managed KMS key",
                at=table.kms_key,
            )
        case Known(value=key) if alias := aws_managed_alias(key):
            return failed(
                f"table {table.name} uses the AWS-managed key {alias}: set KMSMasterKeyId to a "
                "customer-managed KMS key",
                at=table.kms_key,
            )
    return passed()
