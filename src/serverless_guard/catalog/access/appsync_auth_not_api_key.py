from __future__ import annotations

from dataclasses import dataclass

from serverless_guard.catalog.fix import AnyOf, Choice, Fix
from serverless_guard.catalog.params import param
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
from serverless_guard.facts.appsync import GraphqlApi
from serverless_guard.facts.value import Absent, Known, Unknown

API_KEY = "API_KEY"
IDENTIFYING = ("AWS_IAM", "AMAZON_COGNITO_USER_POOLS", "OPENID_CONNECT", "AWS_LAMBDA")
DEFAULT = Fix.set(GraphqlApi, "authentication_type", AnyOf(IDENTIFYING))
ADDITIONAL = Fix.set(
    GraphqlApi,
    "additional_authentication_types",
    Choice("authentication types other than API_KEY (or set allow_additional_api_key)"),
)


@dataclass(frozen=True, slots=True)
class ApiKeyParams:
    allow_additional_api_key: bool = param(
        True,
        "Whether API_KEY may be one of the additional authentication providers, beside a "
        "default that identifies the caller (for a few public fields marked @aws_api_key).",
    )


@rule(
    id="appsync-auth-not-api-key",
    title="AppSync GraphQL APIs authenticate callers with more than an API key",
    severity=Severity.HIGH,
    domain=Domain.NETWORK,
    rationale=(
        "An API key is a shared, long-lived string shipped inside every client: whoever reads "
        "it from a web page or an app bundle can call the API, and AppSync cannot tell one "
        "caller from another. With API_KEY as the default authentication type every field "
        "without its own directive is open to anyone holding the key. IAM, Cognito user pools, "
        "OpenID Connect and Lambda authorizers identify the caller. An API key may still serve "
        "a few public fields as an additional provider beside such a default "
        "(`allow_additional_api_key`)."
    ),
    remediation=Remediation(
        cdk="Set `authorization_config=appsync.AuthorizationConfig(default_authorization="
        "appsync.AuthorizationMode(authorization_type=appsync.AuthorizationType.IAM))` (or "
        "USER_POOL, OIDC, LAMBDA) on `appsync.GraphqlApi`: its default is API_KEY "
        "(SecureGraphqlApi defaults to IAM).",
        pulumi="Set `authentication_type='AWS_IAM'` (or `AMAZON_COGNITO_USER_POOLS`, "
        "`OPENID_CONNECT`, `AWS_LAMBDA`) on `aws.appsync.GraphQLApi`.",
        cloudformation="Set `AuthenticationType: AWS_IAM` (or AMAZON_COGNITO_USER_POOLS, "
        "OPENID_CONNECT, AWS_LAMBDA) on `AWS::AppSync::GraphQLApi` (SAM: `Auth.Type` on "
        "`AWS::Serverless::GraphQLApi`).",
    ),
    references=(
        "https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html",
        "https://docs.aws.amazon.com/securityhub/latest/userguide/appsync-controls.html#appsync-5",
    ),
    params=ApiKeyParams,
    anchors=Anchors(fsbp=("AppSync.5",)),
    fixes=(DEFAULT, ADDITIONAL),
)
def appsync_auth_not_api_key(api: GraphqlApi, ctx: Context[ApiKeyParams]) -> Verdict:
    match api.authentication_type:
        case Unknown() as u:
            return unknown(u)
        case Absent():
            return failed(
                f"GraphQL API {api.name} has no default authentication type",
                at=api.authentication_type,
                fix=DEFAULT,
            )
        case Known(value=kind) if kind.strip().upper() == API_KEY:
            return failed(
                f"GraphQL API {api.name} authenticates callers with an API key by default: "
                "anyone holding the key can call every field",
                at=api.authentication_type,
                fix=DEFAULT,
            )
    if ctx.params.allow_additional_api_key:
        return passed()
    match api.additional_authentication_types:
        case Unknown() as u:
            return unknown(u)
        case Known(value=kinds) if any(k.strip().upper() == API_KEY for k in kinds):
            return failed(
                f"GraphQL API {api.name} accepts an API key as an additional authentication "
                "provider",
                at=api.additional_authentication_types,
                fix=ADDITIONAL,
            )
    return passed()
