from __future__ import annotations

from serverless_guard.catalog.checks.kms import key_of
from serverless_guard.catalog.fix import CUSTOMER_KEY, Fix
from serverless_guard.catalog.rule import (
    Anchors,
    Domain,
    Remediation,
    Severity,
    Verdict,
    not_applicable,
    required,
    rule,
    unknown,
)
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Absent, Known, Unknown

CUSTOMER_MANAGED = Fix.set(Function, "kms_key", CUSTOMER_KEY)


@rule(
    id="lambda-env-encrypted",
    title="Lambda environment variables are encrypted with a customer-managed KMS key",
    severity=Severity.MEDIUM,
    domain=Domain.ENCRYPTION,
    rationale=(
        "Lambda encrypts environment variables with an AWS-managed key that every principal "
        "with lambda:GetFunctionConfiguration can have decrypted for them. A customer-managed "
        "key adds its own key policy, so reading the values needs kms:Decrypt on that key, and "
        "its use is logged in CloudTrail."
    ),
    remediation=Remediation(
        cdk="Pass `environment_encryption=kms.Key(...)` to the function "
        "(SecureFunction does this by default).",
        pulumi="Set `kms_key_arn` on `aws.lambda_.Function` to a customer-managed key's ARN.",
        cloudformation="Set `KmsKeyArn` on the function (SAM: in `Globals.Function` too).",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
    ),
    anchors=Anchors(checkov=("CKV_AWS_173",)),
    fixes=(CUSTOMER_MANAGED,),
)
def lambda_env_encrypted(fn: Function) -> Verdict:
    match fn.environment:
        case Absent():
            return not_applicable("no environment variables")
        case Known(value=variables) if not variables:
            return not_applicable("no environment variables")
        case Unknown() as u:
            return unknown(u)
    return required(
        key_of(fn.kms_key),
        "KMS key",
        f"function {fn.name} has environment variables encrypted only with the AWS-managed key",
        at=fn.environment,
        fix=CUSTOMER_MANAGED,
    )
