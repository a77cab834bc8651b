from __future__ import annotations

import re
from dataclasses import dataclass

from serverless_guard.catalog.checks.literal_secrets import secret_kind
from serverless_guard.catalog.params import ParamError, param
from serverless_guard.catalog.rule import (
    Anchors,
    Context,
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
from serverless_guard.facts.lambda_ import Function
from serverless_guard.facts.value import Absent, Known, Unknown


@dataclass(frozen=True, slots=True)
class SecretParams:
    extra_patterns: tuple[str, ...] = param(
        [],
        "Regular expressions (Python syntax) of further secret values; a variable whose value "
        "contains a match fails. An invalid expression is a configuration error.",
    )

    def __post_init__(self) -> None:
        for index, pattern in enumerate(self.extra_patterns):
            try:
                re.compile(pattern)
            except re.error as err:
                raise ParamError(
                    f"extra_patterns[{index}] is not a valid regular expression: {err}"
                ) from None


@rule(
    id="lambda-env-no-secrets",
    title="Lambda environment variables hold no literal secrets",
    severity=Severity.HIGH,
    domain=Domain.HARDENING,
    rationale=(
        "Environment variables are part of the function's configuration: anyone allowed "
        "lambda:GetFunctionConfiguration reads them in clear text, and a secret written in the "
        "template also lives in source control, in the deployed template and in every "
        "synthesized artifact, and cannot be rotated without a deployment. Keep secrets in "
        "Secrets Manager or Parameter Store and read them at run time."
    ),
    remediation=Remediation(
        cdk="Store the secret in `secretsmanager.Secret`, pass its ARN "
        "(`environment={'DB_SECRET_ARN': secret.secret_arn}`), call `secret.grant_read(fn)` "
        "and read it at run time (for example with the Parameters and Secrets Lambda "
        "extension).",
        pulumi="Create an `aws.secretsmanager.Secret` (mark inputs with `pulumi.Output.secret`), "
        "pass its ARN in the environment, grant secretsmanager:GetSecretValue to the role and "
        "read it at run time.",
        cloudformation="Replace the literal with the ARN or name of an "
        "`AWS::SecretsManager::Secret` (`!Ref DbSecret`) read at run time, or at least with a "
        "dynamic reference such as `{{resolve:secretsmanager:db:SecretString:password}}`.",
    ),
    references=(
        "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html",
        "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
        "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html",
    ),
    params=SecretParams,
    anchors=Anchors(checkov=("CKV_AWS_45",)),
)
def lambda_env_no_secrets(fn: Function, ctx: Context[SecretParams]) -> Verdict:
    match fn.environment:
        case Absent():
            return not_applicable("no environment variables")
        case Known(value=variables) if not variables:
            return not_applicable("no environment variables")
        case Unknown() as u:
            return unknown(u)
        case Known(value=variables):
            pass
    extra = tuple(re.compile(pattern) for pattern in ctx.params.extra_patterns)
    found = [
        (name, kind)
        for name, value in variables.items()
        if (kind := secret_kind(name, value, extra)) is not None
    ]
    if not found:
        return passed()
    listed = ", ".join(f"{name} ({kind})" for name, kind in found)
    return failed(
        f"function {fn.name} has environment variables that hold literal secrets: {listed}; "
        "keep secrets in Secrets Manager or Parameter Store (SecureString) and pass their name "
        "or ARN instead",
        at=(*fn.environment.at, found[0][0]),
    )
