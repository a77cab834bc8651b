from __future__ import annotations

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.rule import (
    Anchors,
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

PITR = Fix.set(Table, "point_in_time_recovery", True)


@rule(
    id="dynamodb-pitr",
    title="DynamoDB tables have point-in-time recovery enabled",
    severity=Severity.MEDIUM,
    domain=Domain.HARDENING,
    rationale=(
        "Point-in-time recovery keeps continuous backups of a table, so it can be restored to "
        "any second of the recovery period after an accidental or malicious write or delete. "
        "Without it, the only way back is an on-demand backup taken before the damage, if "
        "there is one. For global tables every replica needs it."
    ),
    remediation=Remediation(
        cdk="Set `point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification("
        "point_in_time_recovery_enabled=True)` on `dynamodb.TableV2`/`dynamodb.Table` (per "
        "replica for global tables).",
        pulumi="Set `point_in_time_recovery={'enabled': True}` on `aws.dynamodb.Table`.",
        cloudformation="Set `PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: "
        "true}` on `AWS::DynamoDB::Table` (on every replica of `AWS::DynamoDB::GlobalTable`; "
        "SAM's `AWS::Serverless::SimpleTable` takes the same property).",
    ),
    references=(
        "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/PointInTimeRecovery.html",
    ),
    anchors=Anchors(
        fsbp=("DynamoDB.2",),
        cdk_nag=("AwsSolutions-DDB3", "NIST.800.53.R5-DynamoDBPITREnabled"),
        checkov=("CKV_AWS_28",),
    ),
    fixes=(PITR,),
)
def dynamodb_pitr(table: Table) -> Verdict:
    match table.point_in_time_recovery:
        case Known(value=True):
            return passed()
        case Unknown() as u:
            return unknown(u)
        case Known() | Absent():
            return failed(
                f"table {table.name} has no point-in-time recovery",
                at=table.point_in_time_recovery,
                fix=PITR,
            )
