from __future__ import annotations

from serverless_guard.catalog.fix import Fix
from serverless_guard.catalog.rule import (
    Anchors,
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
from serverless_guard.facts.data import Key
from serverless_guard.facts.value import Known, Unknown

SYMMETRIC = "SYMMETRIC_DEFAULT"
ROTATE = Fix.set(Key, "rotation_enabled", True)


@rule(
    id="kms-key-rotation",
    title="Symmetric KMS keys rotate their key material automatically",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "A key whose material never changes protects ever more data with the same secret. "
        "Automatic rotation gives a symmetric KMS key new material every year (or the period "
        "you choose) while old ciphertexts stay readable, with no change for the key's users. "
        "Asymmetric and HMAC keys, and keys with imported material, cannot rotate "
        "automatically."
    ),
    remediation=Remediation(
        cdk="Set `enable_key_rotation=True` on `kms.Key`.",
        pulumi="Set `enable_key_rotation=True` on `aws.kms.Key`.",
        cloudformation="Set `EnableKeyRotation: true` on `AWS::KMS::Key`.",
    ),
    references=("https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",),
    anchors=Anchors(
        fsbp=("KMS.4",),
        cdk_nag=("AwsSolutions-KMS5", "NIST.800.53.R5-KMSBackingKeyRotationEnabled"),
        checkov=("CKV_AWS_7",),
    ),
    fixes=(ROTATE,),
)
def kms_key_rotation(key: Key) -> Verdict:
    match key.origin:
        case Known(value=origin) if origin.upper() != "AWS_KMS":
            return not_applicable(f"key material from {origin} cannot rotate automatically")
    spec_unknown: Unknown | None = None
    match key.key_spec:
        case Known(value=spec) if spec.upper() != SYMMETRIC:
            return not_applicable(f"{spec} keys cannot rotate automatically")
        case Unknown() as u:
            spec_unknown = u
    match key.rotation_enabled:
        case Known(value=True):
            return passed()
        case Unknown() as u:
            return unknown(u)
    if spec_unknown is not None:
        return unknown(spec_unknown)
    return failed(
        f"KMS key {key.name} never rotates its key material", at=key.rotation_enabled, fix=ROTATE
    )
