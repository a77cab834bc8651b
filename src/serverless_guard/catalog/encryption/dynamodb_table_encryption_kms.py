from __future__ import annotations

from serverless_guard.catalog.checks.kms import KmsKeyParams, aws_managed_alias, key_of
from serverless_guard.catalog.fix import CUSTOMER_KEY, Fix
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

ENCRYPT = Fix.set(Table, "sse_enabled", True)
ENCRYPT_WITH_KEY = ENCRYPT.also(Table, "kms_key", CUSTOMER_KEY)
KMS = Fix.set(Table, "sse_type", "KMS")
CUSTOMER_MANAGED = Fix.set(Table, "kms_key", CUSTOMER_KEY)


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
    fixes=(
        ENCRYPT_WITH_KEY,
        KMS,
        CUSTOMER_MANAGED,
    ),
)
def dynamodb_table_encryption_kms(table: Table, ctx: Context[KmsKeyParams]) -> Verdict:
    match table.sse_enabled:
        case Absent() | Known(value=False):
            return failed(
                f"table {table.name} is encrypted with an AWS-owned key",
                at=table.sse_enabled,
                fix=ENCRYPT_WITH_KEY if ctx.params.require_customer_key else ENCRYPT,
            )
        case Unknown() as u:
            return unknown(u)
    match table.sse_type:
        case Unknown() as u:
            return unknown(u)
        case Known(value=kind) if kind.upper() != "KMS":
            return failed(
                f"table {table.name} is encrypted with SSE type {kind}", at=table.sse_type, fix=KMS
            )
    if not ctx.params.require_customer_key:
        return passed()
    match key_of(table.kms_key):
        case Absent():
            return failed(
                f"table {table.name} uses the AWS-managed key aws/dynamodb",
                at=table.kms_key,
                fix=CUSTOMER_MANAGED,
            )
        case Known(value=key) if alias := aws_managed_alias(key):
            return failed(
                f"table {table.name} uses the AWS-managed key {alias}",
                at=table.kms_key,
                fix=CUSTOMER_MANAGED,
            )
    return passed()
