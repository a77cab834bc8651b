"""SecureTable and SecureTableV2: DynamoDB tables encrypted with a KMS key, with point-in-time
recovery."""

from __future__ import annotations

from collections.abc import Mapping

from aws_cdk import Stack, Token
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_kms as kms
from constructs import Construct

from serverless_guard.cdk.constructs._shared import as_struct, warn
from serverless_guard.cdk.constructs._signature import init_l2, same_arguments_as
from serverless_guard.cdk.constructs.defaults import default_key
from serverless_guard.cdk.constructs.key import check_rotation

_PITR_ON = dynamodb.PointInTimeRecoverySpecification(point_in_time_recovery_enabled=True)
_AWS_OWNED = "encryption is DEFAULT: the table is encrypted with a key AWS owns"


def _with_recovery(props: Mapping[str, object]) -> dict[str, object]:
    """Point-in-time recovery on, unless either of its two arguments is given."""
    given = ("point_in_time_recovery", "point_in_time_recovery_specification")
    return {} if any(name in props for name in given) else {given[1]: _PITR_ON}


def _warn_without_recovery(scope: Construct, merged: Mapping[str, object]) -> None:
    specification = as_struct(
        dynamodb.PointInTimeRecoverySpecification,
        merged.get("point_in_time_recovery_specification"),
    )
    enabled = (
        specification.point_in_time_recovery_enabled
        if specification is not None
        else merged.get("point_in_time_recovery")
    )
    if not enabled:
        warn(scope, "dynamodb-pitr", "point-in-time recovery is off")


class SecureTable(dynamodb.Table):
    """`dynamodb.Table` that passes every rule of the catalog by default.

    Takes the arguments of `dynamodb.Table`. Defaults: `encryption=CUSTOMER_MANAGED` with the
    stack's shared key (`SecureDefaults`; or the `encryption_key` given), `AWS_MANAGED` for a
    global table (`replication_regions`, which DynamoDB cannot encrypt with a customer-managed
    key); point-in-time recovery on (`point_in_time_recovery_specification`; the older
    `point_in_time_recovery` keyword replaces it). `encryption=DEFAULT` (an AWS-owned key) or
    turning point-in-time recovery off warns. It is a `dynamodb.Table`:
    `table.grant_read_data(fn)` includes `kms:Decrypt` on the key (`.encryption_key`, also
    `.key`).
    """

    @same_arguments_as(dynamodb.Table.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        encryption = (
            dynamodb.TableEncryption.AWS_MANAGED
            if props.get("replication_regions")
            else dynamodb.TableEncryption.CUSTOMER_MANAGED
        )
        merged: dict[str, object] = {"encryption": encryption, **_with_recovery(props), **props}
        customer_managed = merged.get("encryption") is dynamodb.TableEncryption.CUSTOMER_MANAGED
        if customer_managed and merged.get("encryption_key") is None:
            merged["encryption_key"] = default_key(scope)
        init_l2(super().__init__, scope, id, merged)
        self.key: kms.IKey | None = self.encryption_key
        check_rotation(self, props.get("encryption_key"))
        aws_owned = merged.get("encryption") in (None, dynamodb.TableEncryption.DEFAULT)
        if aws_owned and merged.get("encryption_key") is None:
            warn(self, "dynamodb-table-encryption-kms", _AWS_OWNED)
        _warn_without_recovery(self, merged)


class SecureTableV2(dynamodb.TableV2):
    """`dynamodb.TableV2` (a global table, `AWS::DynamoDB::GlobalTable`) that passes every rule
    of the catalog by default.

    Takes the arguments of `dynamodb.TableV2`. Defaults: `encryption` with the stack's shared key
    (`TableEncryptionV2.customer_managed_key`, `SecureDefaults`), or `aws_managed_key()` when
    the stack has no region (its `env`: the L2 needs one to place a customer-managed key) or
    the table has `replicas` (a customer-managed key needs a key per replica region: pass
    `encryption=TableEncryptionV2.customer_managed_key(key, replica_key_arns={...})`);
    point-in-time recovery on. `TableEncryptionV2.dynamo_owned_key()` or turning point-in-time
    recovery off warns. It is a `dynamodb.TableV2`; the key is `.encryption_key` (also `.key`).
    """

    @same_arguments_as(dynamodb.TableV2.__init__)
    def __init__(self, scope: Construct, id: str, **props: object) -> None:
        merged: dict[str, object] = {**_with_recovery(props), **props}
        if "encryption" not in props:
            # A customer-managed key is given per region: the stack's region must be known.
            regional = not Token.is_unresolved(Stack.of(scope).region)
            merged["encryption"] = (
                dynamodb.TableEncryptionV2.customer_managed_key(default_key(scope))
                if regional and not props.get("replicas")
                else dynamodb.TableEncryptionV2.aws_managed_key()
            )
        init_l2(super().__init__, scope, id, merged)
        self.key: kms.IKey | None = self.encryption_key
        encryption = merged.get("encryption")
        if isinstance(encryption, dynamodb.TableEncryptionV2):
            check_rotation(self, encryption.table_key if "encryption" in props else None)
        if not isinstance(encryption, dynamodb.TableEncryptionV2) or encryption.type in (
            None,
            dynamodb.TableEncryption.DEFAULT,
        ):
            warn(self, "dynamodb-table-encryption-kms", _AWS_OWNED)
        _warn_without_recovery(self, merged)
