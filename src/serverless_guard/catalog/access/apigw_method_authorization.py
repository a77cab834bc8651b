from __future__ import annotations

from serverless_guard.catalog.fix import AnyOf, Fix
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
from serverless_guard.facts.apigw import RestMethod
from serverless_guard.facts.value import Absent, Known, Unknown

AUTHORIZE = Fix.set(
    RestMethod, "authorization_type", AnyOf(("AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"))
)


@rule(
    id="apigw-method-authorization",
    title="REST API methods require authorization",
    severity=Severity.HIGH,
    domain=Domain.NETWORK,
    rationale=(
        "A method with authorization NONE runs its integration for any caller who can reach "
        "the API. IAM, a Cognito user pool or a Lambda authorizer makes every request prove "
        "who sent it before the backend runs. An API key is not authorization: keys identify "
        "usage plans, travel in clear headers and are shared with clients. CORS preflight "
        "(OPTIONS) methods are exempt."
    ),
    remediation=Remediation(
        cdk="Set `default_method_options=apigw.MethodOptions(authorization_type="
        "apigw.AuthorizationType.IAM)` on `apigw.RestApi`, or an `authorizer=` per method "
        "(PrivateRestApi uses IAM by default).",
        pulumi="Set `authorization='AWS_IAM'` (or `CUSTOM`/`COGNITO_USER_POOLS` with "
        "`authorizer_id`) on `aws.apigateway.Method`.",
        cloudformation="Set `AuthorizationType` to `AWS_IAM`, `CUSTOM` or `COGNITO_USER_POOLS` "
        "on `AWS::ApiGateway::Method` (SAM: `Auth.DefaultAuthorizer`; in an OpenAPI body, a "
        "`security` requirement on every operation).",
    ),
    references=(
        "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-to-api.html",
    ),
    anchors=Anchors(cdk_nag=("AwsSolutions-APIG4",), checkov=("CKV_AWS_59",)),
    fixes=(AUTHORIZE,),
)
def apigw_method_authorization(method: RestMethod) -> Verdict:
    http_method = method.http_method
    if isinstance(http_method, Known) and http_method.value.upper() == "OPTIONS":
        return not_applicable("CORS preflight (OPTIONS) methods need no authorization")
    match method.authorization_type:
        case Unknown() as u:
            return unknown(u)
        case Known(value=kind) if kind.upper() != "NONE":
            return passed()
        case Known() | Absent():
            pass
    if isinstance(http_method, Unknown):
        return unknown(http_method)
    return failed(
        f"method {method.name} has no authorization (an API key alone is not authorization)",
        at=method.authorization_type,
        fix=AUTHORIZE,
    )
