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
from serverless_guard.facts.lambda_ import FunctionUrl
from serverless_guard.facts.value import Absent, Known, Unknown

IAM = Fix.set(FunctionUrl, "auth_type", "AWS_IAM")


@rule(
    id="lambda-url-auth-iam",
    title="Lambda function URLs require IAM authentication",
    severity=Severity.CRITICAL,
    domain=Domain.NETWORK,
    rationale=(
        "A function URL with AuthType NONE is a public HTTPS endpoint: anyone on the internet "
        "who learns the URL can invoke the function, with no throttling by caller and no "
        "identity in the logs. AWS_IAM makes every request carry a SigV4 signature from a "
        "principal that the function's resource policy or its own account's IAM allows."
    ),
    remediation=Remediation(
        cdk="Use `fn.add_function_url(auth_type=lambda_.FunctionUrlAuthType.AWS_IAM)`, or front "
        "the function with an API that has an authorizer.",
        pulumi="Set `authorization_type='AWS_IAM'` on `aws.lambda_.FunctionUrl`.",
        cloudformation="Set `AuthType: AWS_IAM` on `AWS::Lambda::Url` "
        "(SAM: `FunctionUrlConfig.AuthType: AWS_IAM`).",
    ),
    references=("https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",),
    anchors=Anchors(checkov=("CKV_AWS_258",)),
    fixes=(IAM,),
)
def lambda_url_auth_iam(url: FunctionUrl) -> Verdict:
    match url.auth_type:
        case Unknown() as u:
            return unknown(u)
        case Known(value=kind) if kind.upper() == "AWS_IAM":
            return passed()
        case Known(value=kind):
            return failed(
                f"function URL {url.name} lets anyone invoke the function (auth type {kind})",
                at=url.auth_type,
                fix=IAM,
            )
        case Absent():
            return failed(f"function URL {url.name} has no auth type", at=url.auth_type, fix=IAM)
