from __future__ import annotations

from serverless_guard.catalog.checks.kms import aws_managed_alias, key_of
from serverless_guard.catalog.fix import CUSTOMER_KEY, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    failed,
    passed,
    rule,
)
from serverless_guard.facts.data import Secret
from serverless_guard.facts.value import Absent, Known, Unknown

CUSTOMER_MANAGED = Fix.set(Secret, "kms_key", CUSTOMER_KEY)


@rule(
    id="secretsmanager-secret-cmk",
    title="Secrets Manager secrets are encrypted with customer-managed KMS keys",
    severity=Severity.LOW,
    domain=Domain.ENCRYPTION,
    rationale=(
        "By default a secret is encrypted with the AWS-managed key aws/secretsmanager, whose "
        "key policy lets every principal of the account that may read the secret use it, and "
        "which cannot be shared with other accounts. A customer-managed key adds a key policy "
        "of your own as a second gate on the secret's value, and allows cross-account access."
    ),
    remediation=Remediation(
        cdk="Set `encryption_key=kms.Key(...)` on `secretsmanager.Secret`.",
        pulumi="Set `kms_key_id` on `aws.secretsmanager.Secret` to a customer-managed key.",
        cloudformation="Set `KmsKeyId` on `AWS::SecretsManager::Secret` to a customer-managed "
        "KMS key (not `alias/aws/secretsmanager`).",
    ),
    references=(
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
    ),
    anchors=Anchors(
        cdk_nag=(
            "NIST.800.53.R5-SecretsManagerUsingKMSKey",
            "HIPAA.Security-SecretsManagerUsingKMSKey",
        ),
        checkov=("CKV_AWS_149",),
    ),
    fixes=(CUSTOMER_MANAGED,),
)
def secretsmanager_secret_cmk(secret: Secret) -> Verdict:
    match key_of(secret.kms_key):
        case Known(value=key) if alias := aws_managed_alias(key):
            return failed(
                f"secret {secret.name} uses the AWS-managed key {alias}",
                at=secret.kms_key,
                fix=CUSTOMER_MANAGED,
            )
        case Known():
            return passed()
        case Unknown() as u:
            return passed(f"KMS key set ({u.reason})")
        case Absent():
            return failed(
                f"secret {secret.name} uses the AWS-managed key aws/secretsmanager",
                at=secret.kms_key,
                fix=CUSTOMER_MANAGED,
            )
