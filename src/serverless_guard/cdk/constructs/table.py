"""SecureTable: a DynamoDB table encrypted with its own KMS key, with point-in-time recovery."""

from __future__ import annotations

from typing import Unpack

from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from constructs import Construct

from serverless_guard.cdk.constructs._children import new_key
from serverless_guard.cdk.constructs._props import TableKwargs
from serverless_guard.cdk.constructs._shared import warn

_PITR_ON = dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True)


class SecureTable(Construct):
    """`dynamodb.Table` that passes every rule of the catalog by default.

    Takes the keyword arguments of `dynamodb.Table`. Defaults: `encryption=CUSTOMER_MANAGED`
    with a SecureKey of its own (`.key`; or the `encryption_key` given), and point-in-time
    recovery on (`point_in_time_recovery_specification`; the older `point_in_time_recovery`
    keyword replaces it). `encryption=DEFAULT` (an AWS-owned key) or turning point-in-time
    recovery off warns. The table is `.table`; grant with its methods
    (`secure.table.grant_read_data(fn)`: the grant includes `kms:Decrypt` on the key).
    """

    def __init__(self, scope: Construct, id: str, **props: Unpack[TableKwargs]) -> None:
        super().__init__(scope, id)
        merged: TableKwargs = {"encryption": dynamodb.TableEncryption.CUSTOMER_MANAGED}
        if "point_in_time_recovery" not in props:
            merged["point_in_time_recovery_specification"] = _PITR_ON
        merged.update(props)
        self.key: kms.IKey | None = merged.get("encryption_key")
        if merged.get("encryption") is dynamodb.TableEncryption.CUSTOMER_MANAGED and not self.key:
            self.key = new_key(self)
            merged["encryption_key"] = self.key
        self._warn_weakened(merged)
        self.table = dynamodb.Table(self, "Default", **merged)

    def _warn_weakened(self, merged: TableKwargs) -> None:
        encryption = merged.get("encryption")
        if encryption in (None, dynamodb.TableEncryption.DEFAULT) and not merged.get(
            "encryption_key"
        ):
            warn(
                self,
                "dynamodb-table-encryption-kms",
                "encryption is DEFAULT: the table is encrypted with a key AWS owns",
            )
        specification = merged.get("point_in_time_recovery_specification")
        enabled = (
            specification.point_in_time_recovery_enabled
            if specification is not None
            else merged.get("point_in_time_recovery")
        )
        if not enabled:
            warn(self, "dynamodb-pitr", "point-in-time recovery is off")
